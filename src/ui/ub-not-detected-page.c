/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-not-detected-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-command-row.h"
#include "ub-connection-check.h"
#include "ub-not-detected-page.h"
#include "ub-remediation-card.h"
#include "ub-remediation.h"

struct _UbNotDetectedPage {
	AdwBin parent_instance;

	AdwBin *not_detected_bin;

	GCancellable *cancellable;

	GtkWidget *rerun_button;
	GtkListBox *checks_list;
};

G_DEFINE_FINAL_TYPE(UbNotDetectedPage, ub_not_detected_page, ADW_TYPE_BIN)

static void
clear_checks(UbNotDetectedPage *self)
{
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->checks_list))) != NULL)
		gtk_list_box_remove(self->checks_list, child);
}

static const gchar *
status_icon(UbCheckStatus status)
{
	switch (status) {
	case UB_CHECK_STATUS_PASS:
		return "emblem-ok-symbolic";
	case UB_CHECK_STATUS_WARN:
		return "dialog-warning-symbolic";
	case UB_CHECK_STATUS_FAIL:
		return "dialog-error-symbolic";
	case UB_CHECK_STATUS_UNKNOWN:
	default:
		return "action-unavailable-symbolic";
	}
}

static const gchar *
status_style(UbCheckStatus status)
{
	switch (status) {
	case UB_CHECK_STATUS_PASS:
		return "success";
	case UB_CHECK_STATUS_WARN:
		return "warning";
	case UB_CHECK_STATUS_FAIL:
		return "error";
	case UB_CHECK_STATUS_UNKNOWN:
	default:
		return "dim-label";
	}
}

static const gchar *
status_words(UbCheckStatus status)
{
	switch (status) {
	case UB_CHECK_STATUS_PASS:
		return _("Passed");
	case UB_CHECK_STATUS_WARN:
		return _("Warning");
	case UB_CHECK_STATUS_FAIL:
		return _("Failed");
	case UB_CHECK_STATUS_UNKNOWN:
	default:
		return _("Not checked");
	}
}

static GtkWidget *
create_check_row(UbCheck *check)
{
	UbCheckStatus status = ub_check_get_status(check);
	const gchar *advice = ub_check_get_advice(check);
	GtkWidget *row = adw_action_row_new();
	GtkWidget *icon = gtk_image_new_from_icon_name(status_icon(status));

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), ub_check_get_title(check));
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	if (advice != NULL)
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row), advice);
	gtk_widget_add_css_class(icon, status_style(status));
	gtk_widget_set_valign(icon, GTK_ALIGN_START);
	gtk_widget_set_margin_top(icon, 14);
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(icon), GTK_ACCESSIBLE_PROPERTY_LABEL, status_words(status), -1);
	adw_action_row_add_prefix(ADW_ACTION_ROW(row), icon);
	gtk_widget_set_name(row, ub_check_get_id(check));
	return row;
}

static void
checks_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbNotDetectedPage) self = user_data;
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;

	checks = ub_connection_check_run_all_finish(result, &error);
	if (checks == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		g_warning("connection checks failed: %s", error->message);
	}
	clear_checks(self);
	gtk_widget_set_sensitive(self->rerun_button, TRUE);
	for (guint i = 0; checks != NULL && i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);

		/* a check with nothing to look at yet (no device for the
		 * permission or hub checks) would only add noise */
		if (ub_check_get_status(check) == UB_CHECK_STATUS_UNKNOWN)
			continue;
		gtk_list_box_append(self->checks_list, create_check_row(check));
		if (ub_check_get_command(check) != NULL) {
			gtk_list_box_append(self->checks_list,
					    ub_command_row_new(ub_check_get_command(check)));
		}
	}
}

void
ub_not_detected_page_run_checks(UbNotDetectedPage *self)
{
	GtkWidget *row;
	GtkWidget *spinner;

	g_return_if_fail(UB_IS_NOT_DETECTED_PAGE(self));

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();

	clear_checks(self);
	row = adw_action_row_new();
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), _("Checking…"));
	spinner = gtk_spinner_new();
	gtk_spinner_start(GTK_SPINNER(spinner));
	adw_action_row_add_prefix(ADW_ACTION_ROW(row), spinner);
	gtk_list_box_append(self->checks_list, row);
	gtk_widget_set_sensitive(self->rerun_button, FALSE);

	ub_connection_check_run_all_async(
	    NULL, self->cancellable, checks_done_cb, g_object_ref(self));
}

static void
rerun_clicked_cb(UbNotDetectedPage *self)
{
	ub_not_detected_page_run_checks(self);
}

static void
ub_not_detected_page_dispose(GObject *object)
{
	UbNotDetectedPage *self = UB_NOT_DETECTED_PAGE(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_NOT_DETECTED_PAGE);

	G_OBJECT_CLASS(ub_not_detected_page_parent_class)->dispose(object);
}

static void
ub_not_detected_page_class_init(UbNotDetectedPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_not_detected_page_dispose;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-not-detected-page.ui");
	gtk_widget_class_bind_template_child(widget_class, UbNotDetectedPage, not_detected_bin);
	gtk_widget_class_bind_template_child(widget_class, UbNotDetectedPage, rerun_button);
	gtk_widget_class_bind_template_child(widget_class, UbNotDetectedPage, checks_list);
	gtk_widget_class_bind_template_callback(widget_class, rerun_clicked_cb);
}

static void
ub_not_detected_page_init(UbNotDetectedPage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	adw_bin_set_child(self->not_detected_bin,
			  ub_remediation_card_new(ub_remediation_lookup(
			      ub_remediation_get_default(), UB_CARD_NOT_DETECTED)));
}
