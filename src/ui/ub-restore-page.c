/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-restore-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-cause-card.h"
#include "ub-guidance-enums.h"
#include "ub-mode-text.h"
#include "ub-remediation-card.h"
#include "ub-restore-page.h"
#include "ub-stage-list.h"
#include "ub-toast.h"

/* the details view keeps the tail; Save Log has everything */
#define MAX_LOG_LINES 3000

struct _UbRestorePage {
	AdwBin parent_instance;

	UbContext *context;
	UbRestoreJob *job;
	UbDownload *download;
	GtkFileChooserNative *save_dialog;

	GtkWidget *content_box;
	GtkWidget *buttons_box;
	GtkWidget *outcome_box;
	GtkImage *outcome_icon;
	GtkLabel *outcome_title;
	GtkLabel *outcome_description;
	GtkWidget *firmware_group;
	UbCauseCard *cause_card;
	GtkWidget *running_header;
	GtkLabel *title_label;
	GtkLabel *data_label;
	GtkWidget *keep_connected_box;
	GtkLabel *keep_connected_label;
	gchar *keep_connected_text;
	GtkRevealer *stalled_revealer;
	GtkLabel *stalled_label;
	AdwActionRow *firmware_row;
	GtkProgressBar *download_bar;
	UbStageList *stage_list;
	GtkWidget *overall_box;
	GtkProgressBar *overall_bar;
	GtkLabel *overall_label;
	GtkWidget *try_again_button;
	GtkWidget *advice_box;
	GtkLabel *reason_label;
	GtkWidget *cards_box;
	UbRung next_rung;
	GtkWidget *done_button;
	GtkWidget *cancel_button;
	GtkTextView *log_view;
};

G_DEFINE_FINAL_TYPE(UbRestorePage, ub_restore_page, ADW_TYPE_BIN)

enum { SIGNAL_DONE, SIGNAL_TRY_AGAIN, SIGNAL_NEXT_RUNG, N_SIGNALS };

static guint signals[N_SIGNALS];

static const gchar *
device_name(UbRestorePage *self)
{
	return ub_device_get_name(ub_restore_job_get_device(self->job));
}

static gboolean
is_erase(UbRestorePage *self)
{
	return ub_restore_job_get_kind(self->job) == UB_RESTORE_KIND_ERASE;
}

static void
update_title(UbRestorePage *self)
{
	UbFirmware *firmware = ub_restore_job_get_firmware(self->job);
	g_autofree gchar *title = NULL;

	if (firmware != NULL)
		/* TRANSLATORS: "Updating iPhone 13 Pro to iOS 18.6.2" */
		title = g_strdup_printf(is_erase(self) ? _("Restoring %s to iOS %s")
						       : _("Updating %s to iOS %s"),
					device_name(self),
					ub_firmware_get_version(firmware));
	else
		title = g_strdup_printf(is_erase(self) ? _("Restoring %s") : _("Updating %s"),
					device_name(self));
	gtk_label_set_label(self->title_label, title);
	gtk_label_set_label(self->data_label,
			    is_erase(self) ? _("Erases everything on it and installs iOS again.")
					   : _("Keeps your photos, messages and apps."));
	gtk_button_set_label(GTK_BUTTON(self->cancel_button),
			     is_erase(self) ? _("_Stop Restore…") : _("_Stop Update…"));
}

/* what a failed attempt did to the data, from what the job saw */
static const gchar *
describe_data_after_failure(UbRestorePage *self)
{
	if (!is_erase(self))
		return _("Your data was not erased by this attempt.");
	if (ub_restore_job_get_erase_begun(self->job))
		return _("The erase had begun, so what was on it is gone. It starts again once "
			 "a restore finishes; a backup brings your data back after that.");
	return _("It stopped before the erase began: what was on it is still there.");
}

static void
update_firmware_row(UbRestorePage *self)
{
	UbFirmware *firmware = ub_restore_job_get_firmware(self->job);
	const gchar *path = ub_restore_job_get_firmware_path(self->job);
	g_autofree gchar *subtitle = NULL;

	if (self->download != NULL) {
		guint64 total = ub_download_get_bytes_total(self->download);
		guint64 done = ub_download_get_bytes_done(self->download);
		g_autofree gchar *amount = ub_mode_text_dup_amount(done, total);
		gint64 left = ub_download_get_seconds_left(self->download);
		g_autofree gchar *left_text =
		    left >= 0 ? ub_mode_text_dup_duration((gint)MIN(left, G_MAXINT)) : NULL;
		gtk_widget_set_visible(GTK_WIDGET(self->download_bar), TRUE);
		gtk_progress_bar_set_fraction(self->download_bar,
					      total > 0 ? (gdouble)done / (gdouble)total : 0);
		/* TRANSLATORS: "Downloading: 1.2 GB of 7.1 GB, about 5 minutes left" */
		subtitle = left_text != NULL
			       ? g_strdup_printf(_("Downloading: %s, %s left"), amount, left_text)
			       : g_strdup_printf(_("Downloading: %s"), amount);
	} else {
		gtk_widget_set_visible(GTK_WIDGET(self->download_bar), FALSE);
		if (path != NULL)
			subtitle = g_path_get_basename(path);
		else
			subtitle = g_strdup(_("Finding the version Apple signs…"));
	}
	if (firmware != NULL) {
		g_autofree gchar *title = g_strdup_printf(_("iOS %s (%s)"),
							  ub_firmware_get_version(firmware),
							  ub_firmware_get_build(firmware));
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->firmware_row), title);
	}
	adw_action_row_set_subtitle(self->firmware_row, subtitle);
}

static void
download_changed_cb(UbRestorePage *self)
{
	update_firmware_row(self);
}

static void
job_download_cb(UbRestorePage *self)
{
	UbDownload *download = ub_restore_job_get_download(self->job);

	if (self->download != NULL)
		g_signal_handlers_disconnect_by_data(self->download, self);
	g_set_object(&self->download, download);
	if (download != NULL)
		g_signal_connect_object(
		    download, "notify", G_CALLBACK(download_changed_cb), self, G_CONNECT_SWAPPED);
	update_firmware_row(self);
}

static void
update_stages(UbRestorePage *self)
{
	UbRestoreState state = ub_restore_job_get_state(self->job);
	UbRestoreStage current = ub_restore_job_get_stage(self->job);
	gboolean restoring = state == UB_RESTORE_STATE_RESTORING;
	gboolean done = state == UB_RESTORE_STATE_DONE;

	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		gdouble progress = ub_restore_job_get_stage_progress(self->job, (UbRestoreStage)i);
		UbStageRowState row_state = UB_STAGE_ROW_WAITING;

		if (done || (i < current && (restoring || state == UB_RESTORE_STATE_FAILED)))
			row_state = UB_STAGE_ROW_DONE;
		else if (restoring && i == current)
			row_state = UB_STAGE_ROW_ACTIVE;
		else if (state == UB_RESTORE_STATE_FAILED && i == current &&
			 ub_restore_job_get_elapsed(self->job) > 0 &&
			 current != UB_RESTORE_STAGE_PREPARING)
			row_state = UB_STAGE_ROW_STOPPED;
		ub_stage_list_set_stage(self->stage_list, (UbRestoreStage)i, row_state, progress);
	}
}

static void
update_overall(UbRestorePage *self)
{
	gdouble progress = ub_restore_job_get_overall_progress(self->job);
	gint left = ub_restore_job_get_seconds_left(self->job);
	guint elapsed = ub_restore_job_get_elapsed(self->job);
	g_autofree gchar *elapsed_text = NULL;
	g_autofree gchar *text = NULL;

	gtk_progress_bar_set_fraction(self->overall_bar, progress);
	elapsed_text = g_strdup_printf("%u:%02u", elapsed / 60, elapsed % 60);
	if (left >= 0) {
		g_autofree gchar *left_text = ub_mode_text_dup_duration(left);
		/* TRANSLATORS: "42 % · about 12 minutes left · 3:05 so far" */
		text = g_strdup_printf(_("%d %% · %s left · %s so far"),
				       (gint)(progress * 100),
				       left_text,
				       elapsed_text);
	} else {
		text =
		    g_strdup_printf(_("%d %% · %s so far"), (gint)(progress * 100), elapsed_text);
	}
	gtk_label_set_label(self->overall_label, text);
}

static const UbDiagnosisResult *
get_diagnosis(UbRestorePage *self)
{
	return ub_restore_service_get_diagnosis(ub_context_get_restore_service(self->context),
						self->job);
}

/* the ladder's next rung as the one suggested button */
static void
set_next_rung(UbRestorePage *self, UbRung rung, gboolean fix_host_first)
{
	const gchar *label = _("_Try Again");
	gboolean offered = TRUE;
	gboolean erases =
	    !fix_host_first && (rung == UB_RUNG_RESTORE || rung == UB_RUNG_DFU_RESTORE);

	self->next_rung = fix_host_first ? UB_RUNG_NONE : rung;
	switch (fix_host_first ? UB_RUNG_NONE : rung) {
	case UB_RUNG_RECOVERY_REENTRY:
		label = _("_Restart Into Recovery Mode…");
		break;
	case UB_RUNG_UPDATE:
		label = _("Try an _Update");
		break;
	case UB_RUNG_RESTORE:
		label = _("_Restore…");
		break;
	case UB_RUNG_DFU_RESTORE:
		label = _("Try Again in _DFU Mode…");
		break;
	case UB_RUNG_OTHER_COMPUTER:
	case UB_RUNG_SERVICE:
		/* nothing more to try here: the cards say where to go */
		offered = FALSE;
		break;
	case UB_RUNG_NONE:
	case UB_RUNG_CABLE_PORT:
	default:
		break;
	}
	gtk_button_set_label(GTK_BUTTON(self->try_again_button), label);
	/* one style: with both classes the suggested blue wins and an erase
	 * looks like the safe choice */
	if (offered && !erases)
		gtk_widget_add_css_class(self->try_again_button, "suggested-action");
	else
		gtk_widget_remove_css_class(self->try_again_button, "suggested-action");
	if (erases)
		gtk_widget_add_css_class(self->try_again_button, "destructive-action");
	else
		gtk_widget_remove_css_class(self->try_again_button, "destructive-action");
}

static void
show_diagnosis(UbRestorePage *self)
{
	const UbDiagnosisResult *result = get_diagnosis(self);
	const UbFailure *failure = ub_restore_job_get_failure(self->job);
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(self->cards_box)) != NULL)
		gtk_box_remove(GTK_BOX(self->cards_box), child);
	gtk_widget_set_visible(self->advice_box, result != NULL);
	gtk_widget_set_visible(GTK_WIDGET(self->reason_label), result != NULL);
	if (result == NULL) {
		set_next_rung(self, UB_RUNG_NONE, FALSE);
		return;
	}
	gtk_label_set_label(self->reason_label, result->reason);
	for (guint i = 0; i < result->cards->len; i++) {
		UbCard *card = g_ptr_array_index(result->cards, i);
		GtkWidget *widget;

		/* the cause card above already says what happened: under it
		 * only what to do about it */
		if (failure != NULL && ub_card_covers_cause(card, failure->cause)) {
			widget = ub_remediation_card_new_what_to_do(card);
		} else {
			widget = ub_remediation_card_new(card);
		}
		gtk_box_append(GTK_BOX(self->cards_box), widget);
	}
	set_next_rung(self, result->next_rung, result->fix_host_first);
}

static void
show_outcome(UbRestorePage *self)
{
	UbRestoreState state = ub_restore_job_get_state(self->job);
	const UbFailure *failure = ub_restore_job_get_failure(self->job);
	g_autofree gchar *title = NULL;
	g_autofree gchar *description = NULL;

	gtk_widget_set_visible(self->outcome_box, TRUE);
	/* what to do next comes right after what happened, not below the cards */
	gtk_box_reorder_child_after(
	    GTK_BOX(self->content_box), self->buttons_box, GTK_WIDGET(self->reason_label));
	gtk_widget_set_visible(self->running_header, FALSE);
	gtk_widget_set_visible(self->keep_connected_box, FALSE);
	gtk_widget_set_visible(GTK_WIDGET(self->stalled_revealer), FALSE);
	gtk_widget_set_visible(self->cancel_button, FALSE);
	gtk_widget_set_visible(self->done_button, TRUE);
	gtk_widget_set_visible(self->overall_box, FALSE);
	/* after success the steps are history; after a failure they show where */
	gtk_widget_set_visible(self->firmware_group, state != UB_RESTORE_STATE_DONE);
	gtk_widget_set_visible(GTK_WIDGET(self->stage_list), state != UB_RESTORE_STATE_DONE);

	if (state == UB_RESTORE_STATE_DONE) {
		gtk_image_set_from_icon_name(self->outcome_icon, "emblem-ok-symbolic");
		gtk_widget_add_css_class(GTK_WIDGET(self->outcome_icon), "success");
		/* TRANSLATORS: %s is the device name */
		title = g_strdup_printf(is_erase(self) ? _("Your %s Was Restored")
						       : _("Your %s Was Updated"),
					device_name(self));
		description = g_strdup(
		    is_erase(self)
			? _("It restarts by itself and shows the Hello screen. Set it up there: it "
			    "asks for the Apple ID that was on it (Activation Lock), and then "
			    "offers to bring back a backup.")
			: _("It restarts by itself into iOS, with your data as it was. The first "
			    "start can take a few minutes."));
		gtk_label_set_label(self->outcome_title, title);
		gtk_label_set_label(self->outcome_description, description);
		gtk_widget_add_css_class(self->done_button, "suggested-action");
		gtk_widget_set_visible(self->try_again_button, FALSE);
		gtk_widget_set_visible(GTK_WIDGET(self->cause_card), FALSE);
		return;
	}

	gtk_image_set_from_icon_name(self->outcome_icon, "dialog-warning-symbolic");
	gtk_widget_add_css_class(GTK_WIDGET(self->outcome_icon), "warning");
	if (failure != NULL && failure->cause == UB_FAILURE_CAUSE_CANCELLED)
		gtk_label_set_label(self->outcome_title,
				    is_erase(self) ? _("The Restore Was Stopped")
						   : _("The Update Was Stopped"));
	else if (!ub_restore_job_get_engine_ran(self->job))
		gtk_label_set_label(self->outcome_title,
				    is_erase(self) ? _("The Restore Didn’t Start")
						   : _("The Update Didn’t Start"));
	else
		gtk_label_set_label(self->outcome_title,
				    is_erase(self) ? _("The Restore Didn’t Finish")
						   : _("The Update Didn’t Finish"));
	gtk_label_set_label(self->outcome_description, describe_data_after_failure(self));
	gtk_widget_set_visible(GTK_WIDGET(self->outcome_description), TRUE);
	gtk_widget_remove_css_class(self->done_button, "suggested-action");
	gtk_widget_set_visible(self->try_again_button, TRUE);
	if (failure == NULL)
		return;
	/* a device that never came back lost no connection: the cards say
	 * it was not there */
	gtk_widget_set_visible(GTK_WIDGET(self->cause_card),
			       ub_restore_job_get_engine_ran(self->job) ||
				   failure->cause != UB_FAILURE_CAUSE_USB_CONNECTION);
	ub_cause_card_set_cause(self->cause_card, failure->cause, failure->engine_message);
	show_diagnosis(self);
}

/* waiting for the device to be connected is said, with how long, not shown
 * as a bar that does not move */
static void
update_waiting(UbRestorePage *self)
{
	gint left = ub_restore_job_get_wait_seconds_left(self->job);
	g_autofree gchar *duration = NULL;
	g_autofree gchar *text = NULL;

	if (left < 0) {
		gtk_label_set_label(self->keep_connected_label, self->keep_connected_text);
		return;
	}
	duration = ub_mode_text_dup_duration(left);
	/* TRANSLATORS: %s is the device name, then a duration ("2 minutes") */
	text = g_strdup_printf(_("Waiting for your %s to be connected. Plug it into this "
				 "computer now; Unbrick waits %s more before it stops."),
			       device_name(self),
			       duration);
	gtk_label_set_label(self->keep_connected_label, text);
}

static void
update_all(UbRestorePage *self)
{
	update_title(self);
	update_waiting(self);
	update_firmware_row(self);
	update_stages(self);
	update_overall(self);
	gtk_widget_set_sensitive(self->cancel_button, !ub_restore_job_get_cancelling(self->job));
	if (ub_restore_job_get_finished(self->job))
		show_outcome(self);
}

static void
stalled_cb(UbRestorePage *self)
{
	gboolean stalled = ub_restore_job_get_stalled(self->job);

	gtk_widget_set_visible(GTK_WIDGET(self->stalled_revealer), stalled);
	gtk_revealer_set_reveal_child(self->stalled_revealer, stalled);
}

static void
append_line(UbRestorePage *self, const gchar *line)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->log_view);
	GtkTextIter end;

	gtk_text_buffer_get_end_iter(buffer, &end);
	gtk_text_buffer_insert(buffer, &end, line, -1);
	gtk_text_buffer_insert(buffer, &end, "\n", 1);
	if (gtk_text_buffer_get_line_count(buffer) > MAX_LOG_LINES) {
		GtkTextIter start;
		GtkTextIter cut;
		gtk_text_buffer_get_start_iter(buffer, &start);
		gtk_text_buffer_get_iter_at_line(buffer, &cut, MAX_LOG_LINES / 10);
		gtk_text_buffer_delete(buffer, &start, &cut);
	}
}

static void
line_cb(UbRestorePage *self, const gchar *line)
{
	append_line(self, line);
}

static void
cancel_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbRestorePage) self = user_data;

	if (g_strcmp0(response, "stop") == 0)
		ub_restore_job_cancel(self->job);
}

static void
cancel_clicked_cb(UbRestorePage *self)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));
	g_autofree gchar *body = NULL;
	GtkWidget *dialog;

	/* TRANSLATORS: %s is the device name */
	body = g_strdup_printf(
	    is_erase(self) ? _("Stopping part-way leaves your %s unable to start until a "
			       "restore finishes; it stays in Recovery Mode and you can try "
			       "again at any time.")
			   : _("Stopping part-way leaves your %s unable to start until an "
			       "update finishes; it stays in Recovery Mode, and an Update "
			       "started again keeps your data."),
	    device_name(self));
	dialog =
	    adw_message_dialog_new(GTK_WINDOW(root),
				   is_erase(self) ? _("Stop the Restore?") : _("Stop the Update?"),
				   body);
	adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(dialog),
					 "continue",
					 _("_Keep Going"),
					 "stop",
					 is_erase(self) ? _("_Stop Restore") : _("_Stop Update"),
					 NULL);
	adw_message_dialog_set_response_appearance(
	    ADW_MESSAGE_DIALOG(dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(dialog), "continue");
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(dialog), "continue");
	g_signal_connect(dialog, "response", G_CALLBACK(cancel_response_cb), g_object_ref(self));
	gtk_window_present(GTK_WINDOW(dialog));
}

static void
done_clicked_cb(UbRestorePage *self)
{
	g_signal_emit(self, signals[SIGNAL_DONE], 0);
}

static void
try_again_clicked_cb(UbRestorePage *self)
{
	if (self->next_rung != UB_RUNG_NONE && self->next_rung != UB_RUNG_CABLE_PORT) {
		g_signal_emit(self, signals[SIGNAL_NEXT_RUNG], 0, self->next_rung);
		return;
	}
	g_signal_emit(self, signals[SIGNAL_TRY_AGAIN], 0);
}

static void
copy_clicked_cb(UbRestorePage *self)
{
	g_autofree gchar *text = ub_restore_job_dup_diagnostics(self->job);

	gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(self)), text);
	ub_toast_show(GTK_WIDGET(self), _("Diagnostics copied"));
}

static void
save_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbRestorePage) self = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_file_replace_contents_finish(G_FILE(source), result, NULL, &error)) {
		g_autofree gchar *message =
		    g_strdup_printf(_("Could not save the log: %s"), error->message);
		ub_toast_show(GTK_WIDGET(self), message);
		return;
	}
	ub_toast_show(GTK_WIDGET(self), _("Log saved"));
}

static void
save_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	g_autoptr(UbRestorePage) self = user_data;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gchar *text;

	if (response == GTK_RESPONSE_ACCEPT)
		file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
	g_clear_object(&self->save_dialog);
	if (file == NULL)
		return;
	/* a long restore's log runs to megabytes: write it off the main thread */
	text = ub_restore_job_dup_diagnostics(self->job);
	bytes = g_bytes_new_take(text, strlen(text));
	g_file_replace_contents_bytes_async(
	    file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, NULL, save_done_cb, g_object_ref(self));
}

static void
save_clicked_cb(UbRestorePage *self)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y-%m-%d-%H%M");
	g_autofree gchar *name = NULL;

	name = g_strdup_printf("unbrick-restore-%s-%s.log",
			       ub_device_get_product_type(ub_restore_job_get_device(self->job)),
			       stamp);
	g_clear_object(&self->save_dialog);
	self->save_dialog = gtk_file_chooser_native_new(_("Save Restore Log"),
							GTK_WINDOW(root),
							GTK_FILE_CHOOSER_ACTION_SAVE,
							_("_Save"),
							_("_Cancel"));
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(self->save_dialog), name);
	g_signal_connect(
	    self->save_dialog, "response", G_CALLBACK(save_response_cb), g_object_ref(self));
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->save_dialog));
}

static void
ub_restore_page_dispose(GObject *object)
{
	UbRestorePage *self = UB_RESTORE_PAGE(object);

	if (self->job != NULL)
		g_signal_handlers_disconnect_by_data(self->job, self);
	if (self->download != NULL)
		g_signal_handlers_disconnect_by_data(self->download, self);
	g_clear_object(&self->download);
	g_clear_object(&self->job);
	g_clear_object(&self->context);
	g_clear_object(&self->save_dialog);
	g_clear_pointer(&self->keep_connected_text, g_free);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_RESTORE_PAGE);
	G_OBJECT_CLASS(ub_restore_page_parent_class)->dispose(object);
}

static void
ub_restore_page_class_init(UbRestorePageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_restore_page_dispose;

	signals[SIGNAL_DONE] = g_signal_new("done",
					    G_TYPE_FROM_CLASS(klass),
					    G_SIGNAL_RUN_LAST,
					    0,
					    NULL,
					    NULL,
					    NULL,
					    G_TYPE_NONE,
					    0);
	signals[SIGNAL_TRY_AGAIN] = g_signal_new("try-again",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 0);
	/**
	 * UbRestorePage::next-rung:
	 * The user took the ladder's next step (a UbRung other than trying
	 * the same again): the device page runs it.
	 */
	signals[SIGNAL_NEXT_RUNG] = g_signal_new("next-rung",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 1,
						 UB_TYPE_RUNG);

	g_type_ensure(UB_TYPE_CAUSE_CARD);
	g_type_ensure(UB_TYPE_STAGE_LIST);
	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-restore-page.ui");
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, content_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, buttons_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, outcome_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, outcome_icon);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, outcome_title);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, outcome_description);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, firmware_group);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, running_header);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, title_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, data_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, keep_connected_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, keep_connected_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, stalled_revealer);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, stalled_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, firmware_row);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, download_bar);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, stage_list);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, cause_card);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, overall_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, overall_bar);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, overall_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, try_again_button);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, advice_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, reason_label);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, cards_box);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, done_button);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, cancel_button);
	gtk_widget_class_bind_template_child(widget_class, UbRestorePage, log_view);
	gtk_widget_class_bind_template_callback(widget_class, cancel_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, done_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, try_again_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, copy_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, save_clicked_cb);
}

static void
ub_restore_page_init(UbRestorePage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

UbRestorePage *
ub_restore_page_new(UbContext *context, UbRestoreJob *job)
{
	UbRestorePage *self;
	g_autofree gchar *keep = NULL;
	g_autofree gchar *stalled = NULL;

	g_return_val_if_fail(UB_IS_CONTEXT(context), NULL);
	g_return_val_if_fail(UB_IS_RESTORE_JOB(job), NULL);

	self = g_object_new(UB_TYPE_RESTORE_PAGE, NULL);
	self->context = g_object_ref(context);
	self->job = g_object_ref(job);
	/* TRANSLATORS: %s is the device name */
	keep = g_strdup_printf(_("Keep your %s connected and this computer awake. A restore "
				 "usually takes 15 to 45 minutes."),
			       device_name(self));
	self->keep_connected_text = g_steal_pointer(&keep);
	gtk_label_set_label(self->keep_connected_label, self->keep_connected_text);
	stalled = g_strdup_printf(_("Nothing has moved for 30 minutes. Leave it a little longer "
				    "if you can; if it stays stuck, stop the restore, then try "
				    "again in DFU mode with the %s plugged straight into this "
				    "computer."),
				  device_name(self));
	gtk_label_set_label(self->stalled_label, stalled);

	/* replay what happened before the page existed */
	{
		const gchar *transcript =
		    ub_restore_report_get_transcript(ub_restore_job_get_report(job));
		if (transcript != NULL && transcript[0] != '\0') {
			GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->log_view);
			gtk_text_buffer_set_text(buffer, transcript, -1);
		}
	}
	g_signal_connect_object(job, "notify", G_CALLBACK(update_all), self, G_CONNECT_SWAPPED);
	g_signal_connect_object(job, "line", G_CALLBACK(line_cb), self, G_CONNECT_SWAPPED);
	g_signal_connect_object(
	    job, "notify::download", G_CALLBACK(job_download_cb), self, G_CONNECT_SWAPPED);
	g_signal_connect_object(
	    job, "notify::stalled", G_CALLBACK(stalled_cb), self, G_CONNECT_SWAPPED);
	job_download_cb(self);
	update_all(self);
	stalled_cb(self);
	return self;
}

UbRestoreJob *
ub_restore_page_get_job(UbRestorePage *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_PAGE(self), NULL);
	return self->job;
}
