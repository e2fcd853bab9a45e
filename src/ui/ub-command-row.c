/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ub-command-row.h"
#include "ub-toast.h"

static void
copy_clicked_cb(GtkButton *button, gpointer user_data)
{
	const gchar *command = user_data;

	gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(button)), command);
	/* a message dialog has no toast overlay: the button itself says so */
	gtk_button_set_icon_name(button, "object-select-symbolic");
	gtk_widget_set_tooltip_text(GTK_WIDGET(button), _("Copied"));
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copied"), -1);
	ub_toast_show(GTK_WIDGET(button), _("Command copied"));
}

static void
command_free_cb(gpointer data, GClosure *closure)
{
	g_free(data);
}

GtkWidget *
ub_command_row_new(const gchar *command)
{
	GtkWidget *row;
	GtkWidget *box;
	GtkWidget *label;
	GtkWidget *button;

	g_return_val_if_fail(command != NULL, NULL);

	/* a plain row, not an action row: the command is the content, wraps
	 * anywhere (it has long words) and can be selected by hand */
	row = gtk_list_box_row_new();
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), FALSE);
	gtk_list_box_row_set_selectable(GTK_LIST_BOX_ROW(row), FALSE);
	gtk_widget_set_focusable(row, FALSE);

	box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	gtk_widget_set_margin_start(box, 12);
	gtk_widget_set_margin_end(box, 6);
	gtk_widget_set_margin_top(box, 6);
	gtk_widget_set_margin_bottom(box, 6);

	label = gtk_label_new(command);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	gtk_label_set_xalign(GTK_LABEL(label), 0.0);
	gtk_widget_set_hexpand(label, TRUE);
	gtk_widget_add_css_class(label, "monospace");
	gtk_accessible_update_property(GTK_ACCESSIBLE(label),
				       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
				       _("Command to type in a terminal"),
				       -1);
	gtk_box_append(GTK_BOX(box), label);

	button = gtk_button_new_from_icon_name("edit-copy-symbolic");
	gtk_widget_set_valign(button, GTK_ALIGN_CENTER);
	gtk_widget_add_css_class(button, "flat");
	gtk_widget_set_tooltip_text(button, _("Copy Command"));
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Command"), -1);
	g_signal_connect_data(
	    button, "clicked", G_CALLBACK(copy_clicked_cb), g_strdup(command), command_free_cb, 0);
	gtk_box_append(GTK_BOX(box), button);

	gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
	return row;
}
