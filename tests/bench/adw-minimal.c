/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* the reference for tests/bench/startup.py: the smallest libadwaita window
 * that shows what Unbrick's first screen shows (header bar, status page),
 * reporting its first frame the same way Unbrick does */

#include <adwaita.h>

static gboolean first_frame_done;

static void
after_paint_cb(GdkFrameClock *clock, gpointer user_data)
{
	if (first_frame_done)
		return;
	first_frame_done = TRUE;
	g_print("first-frame-monotonic-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time());
}

static void
realize_cb(GtkWidget *window, gpointer user_data)
{
	g_signal_connect(
	    gtk_widget_get_frame_clock(window), "after-paint", G_CALLBACK(after_paint_cb), NULL);
}

static void
activate_cb(GApplication *application, gpointer user_data)
{
	GtkWidget *window = adw_application_window_new(GTK_APPLICATION(application));
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	GtkWidget *status = adw_status_page_new();

	adw_status_page_set_icon_name(ADW_STATUS_PAGE(status), "phone-symbolic");
	adw_status_page_set_title(ADW_STATUS_PAGE(status), "A minimal window");
	gtk_widget_set_vexpand(status, TRUE);
	gtk_box_append(GTK_BOX(box), adw_header_bar_new());
	gtk_box_append(GTK_BOX(box), status);
	adw_application_window_set_content(ADW_APPLICATION_WINDOW(window), box);
	gtk_window_set_default_size(GTK_WINDOW(window), 900, 680);
	g_signal_connect(window, "realize", G_CALLBACK(realize_cb), NULL);
	gtk_window_present(GTK_WINDOW(window));
}

int
main(int argc, char **argv)
{
	g_autoptr(AdwApplication) application =
	    adw_application_new("io.github.unbrick.BenchMinimal", G_APPLICATION_DEFAULT_FLAGS);

	g_signal_connect(application, "activate", G_CALLBACK(activate_cb), NULL);
	return g_application_run(G_APPLICATION(application), argc, argv);
}
