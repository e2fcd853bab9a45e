/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-explain-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-cause-card.h"
#include "ub-explain-log.h"
#include "ub-explain-window.h"
#include "ub-failure.h"
#include "ub-mode-text.h"
#include "ub-remediation-card.h"
#include "ub-remediation.h"
#include "ub-restore-report.h"
#include "ub-stage-list.h"

struct _UbExplainWindow {
	AdwWindow parent_instance;

	GtkFileChooserNative *open_dialog;
	GCancellable *cancellable;

	GtkWidget *back_button;
	GtkWidget *input_box;
	GtkTextView *paste_view;
	GtkWidget *explain_button;
	GtkWidget *open_button;
	GtkWidget *result_box;
	GtkLabel *outcome_label;
	UbCauseCard *cause_card;
	AdwBin *what_to_do_bin;
	UbStageList *stage_list;
	AdwActionRow *engine_row;
};

G_DEFINE_FINAL_TYPE(UbExplainWindow, ub_explain_window, ADW_TYPE_WINDOW)

static void
show_input(UbExplainWindow *self, gboolean input)
{
	gtk_widget_set_visible(self->input_box, input);
	gtk_widget_set_visible(self->result_box, !input);
	gtk_widget_set_visible(self->back_button, !input);
}

static void
show_report(UbExplainWindow *self, UbRestoreReport *report)
{
	UbRestoreOutcome outcome = ub_restore_report_get_outcome(report, -1);
	UbFailureCause cause = ub_restore_report_get_cause(report);
	UbRestoreStage reached = ub_restore_report_get_stage(report);
	const gchar *last_error = ub_restore_report_get_last_error(report);
	const gchar *version = ub_restore_report_get_engine_version(report);

	switch (outcome) {
	case UB_RESTORE_OUTCOME_SUCCESS:
		gtk_label_set_label(self->outcome_label, _("This restore finished"));
		break;
	case UB_RESTORE_OUTCOME_FAILURE:
		gtk_label_set_label(self->outcome_label, _("This restore didn’t finish"));
		break;
	case UB_RESTORE_OUTCOME_UNKNOWN:
	default:
		gtk_label_set_label(self->outcome_label, _("The log ends before the restore did"));
		break;
	}
	gtk_widget_set_visible(GTK_WIDGET(self->cause_card), outcome == UB_RESTORE_OUTCOME_FAILURE);
	ub_cause_card_set_cause(self->cause_card, cause, last_error);
	adw_bin_set_child(self->what_to_do_bin,
			  outcome == UB_RESTORE_OUTCOME_FAILURE
			      ? ub_remediation_card_new_what_to_do(ub_remediation_lookup_cause(
				    ub_remediation_get_default(), cause))
			      : NULL);

	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		UbStageRowState state;
		if (outcome == UB_RESTORE_OUTCOME_SUCCESS || i < reached)
			state = UB_STAGE_ROW_DONE;
		else if (i == reached && outcome == UB_RESTORE_OUTCOME_FAILURE)
			state = UB_STAGE_ROW_STOPPED;
		else if (i == reached)
			state = UB_STAGE_ROW_LAST_SEEN;
		else
			state = UB_STAGE_ROW_NOT_REACHED;
		ub_stage_list_set_stage(self->stage_list, (UbRestoreStage)i, state, 0);
	}
	adw_action_row_set_subtitle(self->engine_row,
				    version != NULL ? version : _("Not in the log"));
	show_input(self, FALSE);
}

static void
show_read_error(UbExplainWindow *self, const gchar *message)
{
	GtkWidget *dialog =
	    adw_message_dialog_new(GTK_WINDOW(self), _("The Log Can’t Be Read"), message);

	adw_message_dialog_add_response(ADW_MESSAGE_DIALOG(dialog), "close", _("_Close"));
	gtk_window_present(GTK_WINDOW(dialog));
}

static void
set_busy(UbExplainWindow *self, gboolean busy)
{
	gtk_widget_set_sensitive(self->explain_button, !busy);
	gtk_widget_set_sensitive(self->open_button, !busy);
}

static void
report_ready_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbExplainWindow) self = user_data;
	g_autoptr(UbRestoreReport) report = NULL;
	g_autoptr(GError) error = NULL;

	report = ub_explain_log_report_finish(result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	set_busy(self, FALSE);
	if (report == NULL) {
		show_read_error(self, error->message);
		return;
	}
	show_report(self, report);
}

static void
explain(UbExplainWindow *self, const gchar *path, GBytes *text)
{
	set_busy(self, TRUE);
	ub_explain_log_report_async(
	    path, text, self->cancellable, report_ready_cb, g_object_ref(self));
}

void
ub_explain_window_explain_text(UbExplainWindow *self, const gchar *text, gssize length)
{
	g_autoptr(GBytes) bytes = NULL;

	g_return_if_fail(UB_IS_EXPLAIN_WINDOW(self));
	g_return_if_fail(text != NULL);
	bytes = g_bytes_new(text, length >= 0 ? (gsize)length : strlen(text));
	explain(self, NULL, bytes);
}

static void
explain_clicked_cb(UbExplainWindow *self)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->paste_view);
	GtkTextIter start;
	GtkTextIter end;
	g_autoptr(GBytes) bytes = NULL;
	gchar *text;

	gtk_text_buffer_get_bounds(buffer, &start, &end);
	text = gtk_text_buffer_get_text(buffer, &start, &end, FALSE);
	bytes = g_bytes_new_take(text, strlen(text));
	explain(self, NULL, bytes);
}

static void
back_clicked_cb(UbExplainWindow *self)
{
	show_input(self, TRUE);
}

static void
open_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	g_autoptr(UbExplainWindow) self = user_data;
	g_autoptr(GFile) file = NULL;
	g_autofree gchar *path = NULL;

	if (response == GTK_RESPONSE_ACCEPT)
		file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
	g_clear_object(&self->open_dialog);
	if (file == NULL)
		return;
	/* the file chooser portal hands out a local path for any file */
	path = g_file_get_path(file);
	if (path == NULL) {
		show_read_error(self, _("Only files on this computer can be opened."));
		return;
	}
	explain(self, path, NULL);
}

static void
open_clicked_cb(UbExplainWindow *self)
{
	g_clear_object(&self->open_dialog);
	self->open_dialog = gtk_file_chooser_native_new(_("Open Restore Log"),
							GTK_WINDOW(self),
							GTK_FILE_CHOOSER_ACTION_OPEN,
							_("_Open"),
							_("_Cancel"));
	g_signal_connect(
	    self->open_dialog, "response", G_CALLBACK(open_response_cb), g_object_ref(self));
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->open_dialog));
}

static void
ub_explain_window_dispose(GObject *object)
{
	UbExplainWindow *self = UB_EXPLAIN_WINDOW(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->open_dialog);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_EXPLAIN_WINDOW);
	G_OBJECT_CLASS(ub_explain_window_parent_class)->dispose(object);
}

static void
ub_explain_window_class_init(UbExplainWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_explain_window_dispose;

	g_type_ensure(UB_TYPE_CAUSE_CARD);
	g_type_ensure(UB_TYPE_STAGE_LIST);
	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-explain-window.ui");
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, back_button);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, input_box);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, paste_view);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, explain_button);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, open_button);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, result_box);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, outcome_label);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, engine_row);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, cause_card);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, what_to_do_bin);
	gtk_widget_class_bind_template_child(widget_class, UbExplainWindow, stage_list);
	gtk_widget_class_bind_template_callback(widget_class, explain_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, back_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, open_clicked_cb);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ub_explain_window_init(UbExplainWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->cancellable = g_cancellable_new();
	/* most people paste: be ready for it */
	gtk_window_set_focus(GTK_WINDOW(self), GTK_WIDGET(self->paste_view));
}

UbExplainWindow *
ub_explain_window_new(GtkWindow *parent)
{
	return g_object_new(
	    UB_TYPE_EXPLAIN_WINDOW, "transient-for", parent, "modal", parent != NULL, NULL);
}
