/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ub-consent-dialog.h"
#include "ub-device-page.h"
#include "ub-error.h"
#include "ub-firmware-panel.h"
#include "ub-mode-guide-window.h"
#include "ub-mode-text.h"
#include "ub-next-step.h"
#include "ub-preflight-dialog.h"
#include "ub-restore-page.h"
#include "ub-restore-service.h"
#include "ub-toast.h"
#include "ub-troubleshoot-window.h"
#include "ub-usb-port.h"

/* what waits for the download first (a device left in Recovery or DFU
 * Mode leaves it by itself after about 15 minutes) */
typedef enum {
	AFTER_DOWNLOAD_NOTHING,
	AFTER_DOWNLOAD_ENTER_RECOVERY,
	AFTER_DOWNLOAD_GUIDE_RECOVERY,
	AFTER_DOWNLOAD_GUIDE_DFU,
} AfterDownload;

struct _UbDevicePage {
	AdwBin parent_instance;

	UbDeviceMonitor *monitor;
	UbContext *context;
	/* the context's, borrowed */
	UbFirmwareManager *manager;
	UbDevice *device;
	GCancellable *cancellable;
	gboolean busy;
	/* the checks before a restore: running, or their dialog open */
	UbPreflight *preflight;
	gboolean checking;
	guint checking_note_id;
	/* download first: looking for the version, then its download */
	AfterDownload after_download;
	gboolean finding_download;
	UbDownload *first_download;

	GtkImage *icon;
	GtkLabel *name_label;
	GtkLabel *mode_label;
	GtkLabel *demo_label;
	GtkLabel *description_label;
	GtkRevealer *note_revealer;
	GtkWidget *note_box;
	GtkImage *note_icon;
	GtkSpinner *note_spinner;
	GtkLabel *note_label;
	GtkWidget *actions_group;
	AdwBin *job_bin;
	GtkWidget *device_view;
	GtkWidget *engine_row;
	GtkWidget *update_row;
	GtkWidget *update_button;
	GtkWidget *restore_row;
	GtkWidget *restore_button;
	UbRestoreJob *shown_job;
	GtkWidget *exit_recovery_row;
	GtkWidget *exit_recovery_button;
	GtkWidget *enter_recovery_row;
	GtkWidget *enter_recovery_button;
	GtkWidget *force_restart_row;
	GtkWidget *enter_dfu_row;
	GtkWidget *waiting_row;
	GtkSpinner *waiting_spinner;
	GtkWidget *restoring_row;
	AdwBin *firmware_bin;
	AdwActionRow *hub_row;
	GtkWidget *ios_row;
	GtkWidget *model_number_row;
	GtkLabel *model_number_value;
	GtkWidget *serial_row;
	GtkWidget *ecid_row;
	GtkLabel *model_value;
	GtkLabel *product_type_value;
	GtkLabel *ios_value;
	GtkLabel *ecid_value;
	GtkLabel *serial_value;
	GtkLabel *connector_value;
	GtkLabel *connection_value;
};

G_DEFINE_FINAL_TYPE(UbDevicePage, ub_device_page, ADW_TYPE_BIN)

/* the checks usually take a moment: a note only when they take longer, so
 * it does not flash past */
#define CHECKING_NOTE_DELAY_MS 400

static UbRestoreService *
restore_service(UbDevicePage *self)
{
	return ub_context_get_restore_service(self->context);
}

/* the window the page is in, for dialogs; NULL before it is shown */
static GtkWindow *
parent_window(UbDevicePage *self)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));

	return GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL;
}

static void
set_note(UbDevicePage *self, const gchar *icon_name, const gchar *style, const gchar *text)
{
	gtk_widget_remove_css_class(self->note_box, "success");
	gtk_widget_remove_css_class(self->note_box, "warning");
	if (text == NULL) {
		gtk_revealer_set_reveal_child(self->note_revealer, FALSE);
		gtk_spinner_stop(self->note_spinner);
		return;
	}
	if (style != NULL)
		gtk_widget_add_css_class(self->note_box, style);
	gtk_widget_set_visible(GTK_WIDGET(self->note_icon), icon_name != NULL);
	gtk_widget_set_visible(GTK_WIDGET(self->note_spinner), icon_name == NULL);
	if (icon_name != NULL) {
		gtk_image_set_from_icon_name(self->note_icon, icon_name);
		gtk_spinner_stop(self->note_spinner);
	} else {
		gtk_spinner_start(self->note_spinner);
	}
	gtk_label_set_label(self->note_label, text);
	gtk_revealer_set_reveal_child(self->note_revealer, TRUE);
}

static void
update_note(UbDevicePage *self)
{
	const gchar *name = ub_device_get_name(self->device);
	g_autofree gchar *text = NULL;

	if (self->checking && self->checking_note_id == 0) {
		set_note(self, NULL, NULL, _("Checking this computer before the restore…"));
		return;
	}
	if (self->finding_download || self->first_download != NULL) {
		g_autofree gchar *amount = NULL;

		if (self->first_download != NULL)
			amount = ub_mode_text_dup_amount(
			    ub_download_get_bytes_done(self->first_download),
			    ub_download_get_bytes_total(self->first_download));
		/* TRANSLATORS: %s is an amount, "1.2 GB of 7.1 GB" */
		text = g_strdup_printf(
		    _("Downloading iOS first%s%s. A device waiting in Recovery or DFU Mode "
		      "leaves it by itself after about 15 minutes, so Unbrick asks for it "
		      "once the download is done."),
		    amount != NULL ? ": " : "",
		    amount != NULL ? amount : "");
		set_note(self, NULL, NULL, text);
		return;
	}
	switch (ub_device_get_recovery_exit(self->device)) {
	case UB_RECOVERY_EXIT_PENDING:
		/* TRANSLATORS: %s is the device name, e.g. "iPhone 13 Pro" */
		text = g_strdup_printf(_("Your %s is restarting. Unbrick is watching for it to "
					 "come back; this can take a minute."),
				       name);
		set_note(self, NULL, NULL, text);
		break;
	case UB_RECOVERY_EXIT_BOOTED:
		text = g_strdup_printf(_("Your %s left Recovery Mode and started iOS."), name);
		set_note(self, "emblem-ok-symbolic", "success", text);
		break;
	case UB_RECOVERY_EXIT_BACK_IN_RECOVERY:
		text = g_strdup_printf(_("Your %s came back to Recovery Mode. iOS on it is "
					 "damaged and needs to be repaired. An Update reinstalls "
					 "iOS and keeps your data."),
				       name);
		set_note(self, "dialog-warning-symbolic", "warning", text);
		break;
	case UB_RECOVERY_EXIT_NONE:
	default:
		set_note(self, NULL, NULL, NULL);
		break;
	}
}

static gchar *
describe_connection(UbUsbPort *port)
{
	g_autofree gchar *speed = NULL;

	if (port == NULL)
		return g_strdup(_("Unknown"));
	speed = ub_mode_text_dup_speed(ub_usb_port_get_speed_mbps(port));
	/* TRANSLATORS: the USB speed, then the port's name in the system, e.g. "3-2" */
	return g_strdup_printf(_("%s, port %s"), speed, ub_usb_port_get_path(port));
}

static void
set_fact(GtkWidget *row, GtkLabel *value_label, const gchar *value)
{
	gtk_widget_set_visible(row, value != NULL && value[0] != '\0');
	gtk_label_set_label(value_label, value != NULL ? value : "");
}

static void
update_facts(UbDevicePage *self)
{
	UbDevice *device = self->device;
	UbUsbPort *port = ub_device_get_usb_port(device);
	const gchar *hardware_model = ub_device_get_hardware_model(device);
	g_autofree gchar *model = NULL;
	g_autofree gchar *ios = NULL;
	g_autofree gchar *ecid = ub_device_dup_ecid_string(device);
	g_autofree gchar *connection = describe_connection(port);

	if (hardware_model != NULL) {
		/* Apple prints board names in capitals: "D63AP" */
		g_autofree gchar *board = g_ascii_strup(hardware_model, -1);
		model = g_strdup_printf("%s (%s)", ub_device_get_name(device), board);
	} else
		model = g_strdup(ub_device_get_name(device));
	gtk_label_set_label(self->model_value, model);
	gtk_label_set_label(self->product_type_value,
			    ub_device_get_product_type(device) != NULL
				? ub_device_get_product_type(device)
				: _("Unknown"));
	if (ub_device_get_ios_version(device) != NULL) {
		if (ub_device_get_ios_build(device) != NULL)
			ios = g_strdup_printf("%s (%s)",
					      ub_device_get_ios_version(device),
					      ub_device_get_ios_build(device));
		else
			ios = g_strdup(ub_device_get_ios_version(device));
	}
	set_fact(self->ios_row, self->ios_value, ios);
	set_fact(
	    self->model_number_row, self->model_number_value, ub_device_get_model_number(device));
	set_fact(self->ecid_row, self->ecid_value, ecid);
	set_fact(self->serial_row, self->serial_value, ub_device_get_serial(device));
	gtk_label_set_label(self->connector_value,
			    ub_mode_text_get_connector(ub_device_get_connector(device)));
	gtk_label_set_label(self->connection_value, connection);

	if (port != NULL && ub_usb_port_get_behind_hub(port)) {
		g_autofree gchar *subtitle = NULL;
		const gchar *hub_name = ub_usb_port_get_hub_name(port);

		if (hub_name != NULL)
			/* TRANSLATORS: %s is the hub's product name */
			subtitle = g_strdup_printf(_("Restores often fail through a hub (%s). "
						     "Plug it straight into the computer."),
						   hub_name);
		else
			subtitle = g_strdup(_("Restores often fail through a hub. Plug it "
					      "straight into the computer."));
		adw_action_row_set_subtitle(self->hub_row, subtitle);
		gtk_widget_set_visible(GTK_WIDGET(self->hub_row), TRUE);
	} else {
		gtk_widget_set_visible(GTK_WIDGET(self->hub_row), FALSE);
	}
}

/* an erase that began and stopped: the data is gone, whatever the mode says */
static gboolean
erase_begun(UbDevicePage *self)
{
	UbRestoreService *service = restore_service(self);

	return service != NULL && ub_restore_service_get_erase_begun(service, self->device);
}

static const gchar *
describe_force_restart(UbDeviceMode mode)
{
	switch (mode) {
	case UB_DEVICE_MODE_DFU:
		return _("A force restart takes it out of DFU mode. Unbrick counts you through "
			 "the buttons. Nothing is erased.");
	case UB_DEVICE_MODE_DISCONNECTED:
		return _("If it doesn’t come back, a force restart often wakes it. Unbrick "
			 "counts you through the buttons. Nothing is erased.");
	case UB_DEVICE_MODE_RESTORE:
		return _("Switches it off and on with its buttons; it comes back in Recovery "
			 "Mode. Unbrick counts you through them.");
	case UB_DEVICE_MODE_NORMAL:
	case UB_DEVICE_MODE_RECOVERY:
	default:
		return _("For a frozen or black screen: switches it off and on with its "
			 "buttons. Unbrick counts you through them. Nothing is erased.");
	}
}

/* the restore tool cannot restore this model: said at the top, with what
 * to install, before Update or Restore could be pressed */
static gboolean
update_engine_row(UbDevicePage *self, UbDeviceMode mode)
{
	UbRestoreService *service = restore_service(self);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *title = NULL;
	gboolean restorable = ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_ERASE, mode);

	if (service == NULL || !restorable ||
	    ub_restore_service_can_restore(service, self->device, &error)) {
		gtk_widget_set_visible(self->engine_row, FALSE);
		return TRUE;
	}
	/* TRANSLATORS: %s is the device name */
	title = g_strdup_printf(_("This computer can’t restore your %s yet"),
				ub_device_get_name(self->device));
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->engine_row), title);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self->engine_row), error->message);
	gtk_widget_set_visible(self->engine_row, TRUE);
	return FALSE;
}

static void
engine_fix_clicked_cb(UbDevicePage *self)
{
	UbTroubleshootWindow *window = ub_troubleshoot_window_new(parent_window(self));

	ub_troubleshoot_window_search(window, _("restore tool is too old"));
	gtk_window_present(GTK_WINDOW(window));
}

static void
update_actions(UbDevicePage *self)
{
	UbDeviceMode mode = ub_device_get_mode(self->device);
	gboolean can_restore = update_engine_row(self, mode);

	gtk_widget_set_visible(self->exit_recovery_row, mode == UB_DEVICE_MODE_RECOVERY);
	gtk_widget_set_visible(self->enter_recovery_row, mode == UB_DEVICE_MODE_NORMAL);
	/* a way out of every state: it is what gets a device back from DFU, from
	 * a Restore Mode that stays, from a frozen screen, from nowhere */
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->force_restart_row),
				      mode == UB_DEVICE_MODE_DFU ? _("Leave DFU Mode")
								 : _("Force Restart"));
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self->force_restart_row),
				    describe_force_restart(mode));
	gtk_widget_set_visible(self->enter_dfu_row,
			       mode == UB_DEVICE_MODE_NORMAL || mode == UB_DEVICE_MODE_RECOVERY);
	gtk_widget_set_visible(self->waiting_row, mode == UB_DEVICE_MODE_DISCONNECTED);
	gtk_widget_set_visible(self->restoring_row, mode == UB_DEVICE_MODE_RESTORE);
	/* after an erase began there is no data left for an Update to keep */
	gtk_widget_set_visible(self->update_row,
			       ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_UPDATE, mode) &&
				   !erase_begun(self));
	gtk_widget_set_visible(self->restore_row,
			       ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_ERASE, mode));
	if (erase_begun(self))
		adw_action_row_set_subtitle(
		    ADW_ACTION_ROW(self->restore_row),
		    _("Installs iOS again, so it can start. The restore that stopped had "
		      "already erased it."));
	else
		adw_action_row_set_subtitle(
		    ADW_ACTION_ROW(self->restore_row),
		    mode == UB_DEVICE_MODE_DFU
			? _("Only a restore can run from DFU mode: the device has not started "
			    "far enough to keep its data. It erases everything and installs iOS "
			    "again.")
			: _("Erases everything on it and installs iOS again. Use it when an "
			    "update did not help."));
	gtk_widget_set_sensitive(self->update_button, !self->busy && can_restore);
	gtk_widget_set_sensitive(self->restore_button, !self->busy && can_restore);
	/* the way that works is the one suggested */
	if (can_restore)
		gtk_widget_add_css_class(self->update_button, "suggested-action");
	else
		gtk_widget_remove_css_class(self->update_button, "suggested-action");
	gtk_widget_set_sensitive(self->exit_recovery_button, !self->busy);
	gtk_widget_set_sensitive(self->enter_recovery_button, !self->busy);
	if (mode == UB_DEVICE_MODE_DISCONNECTED)
		gtk_spinner_start(self->waiting_spinner);
	else
		gtk_spinner_stop(self->waiting_spinner);
}

static void
update_header(UbDevicePage *self)
{
	UbDeviceMode mode = ub_device_get_mode(self->device);
	g_autofree gchar *description = NULL;

	if (erase_begun(self) && (mode == UB_DEVICE_MODE_RECOVERY || mode == UB_DEVICE_MODE_DFU))
		description = g_strdup(_("Waiting for a restore to install iOS. The restore that "
					 "stopped had begun to erase it, so only a Restore can "
					 "run now."));
	else
		description = ub_mode_text_dup_description(self->device);
	gtk_image_set_from_icon_name(self->icon, ub_mode_text_get_icon_name(self->device));
	gtk_label_set_label(self->name_label, ub_device_get_name(self->device));
	ub_mode_text_apply_badge(self->mode_label, mode);
	gtk_label_set_label(self->description_label, description);
	gtk_widget_set_visible(GTK_WIDGET(self->demo_label), ub_device_get_simulated(self->device));
}

static void
update_all(UbDevicePage *self)
{
	update_header(self);
	update_note(self);
	update_actions(self);
	update_facts(self);
}

static void
device_recovery_exit_cb(UbDevicePage *self)
{
	g_autofree gchar *text = NULL;

	if (ub_device_get_recovery_exit(self->device) == UB_RECOVERY_EXIT_BOOTED) {
		/* TRANSLATORS: a short confirmation; %s is the device name */
		text =
		    g_strdup_printf(_("%s left Recovery Mode"), ub_device_get_name(self->device));
		ub_toast_show(GTK_WIDGET(self), text);
	}
}

/* the user reads this, so it says what happened and what to do, not how
 * the library failed; the technical text stays in the log */
static gchar *
explain_error(UbDevicePage *self, const GError *error, const gchar *heading_action)
{
	const gchar *name = ub_device_get_name(self->device);

	g_info("%s failed: %s", heading_action, error->message);
	if (g_error_matches(error, UB_ERROR, UB_ERROR_DEVICE_LOST))
		/* TRANSLATORS: %s is the device name */
		return g_strdup_printf(_("Your %s disconnected before it answered. Check that the "
					 "cable is firmly in, then try again."),
				       name);
	if (g_error_matches(error, UB_ERROR, UB_ERROR_PERMISSION_DENIED))
		return g_strdup(_("This computer does not let Unbrick use the USB connection. "
				  "The Connection Checks page shows how to fix that."));
	if (g_error_matches(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED))
		return g_strdup_printf(_("Your %s can’t do that in the mode it is in now."), name);
	if (g_error_matches(error, UB_ERROR, UB_ERROR_TIMED_OUT))
		return g_strdup_printf(_("Your %s did not answer in time. Unplug it, plug it in "
					 "again and retry."),
				       name);
	return g_strdup_printf(_("Your %s did not accept the command. Unplug it, plug it in "
				 "again and retry.\n\nDetails: %s"),
			       name,
			       error->message);
}

static void
show_error_dialog(UbDevicePage *self, const gchar *heading, const gchar *body)
{
	GtkWidget *dialog = adw_message_dialog_new(parent_window(self), heading, body);

	adw_message_dialog_add_response(ADW_MESSAGE_DIALOG(dialog), "close", _("_Close"));
	gtk_window_present(GTK_WINDOW(dialog));
}

/* asks, and hands the answer to @response_cb with a reference to the page */
static void
present_question(UbDevicePage *self, AdwMessageDialog *dialog, GCallback response_cb)
{
	g_signal_connect(dialog, "response", response_cb, g_object_ref(self));
	gtk_window_present(GTK_WINDOW(dialog));
}

static void
set_busy(UbDevicePage *self, gboolean busy)
{
	self->busy = busy;
	update_actions(self);
}

static void
exit_recovery_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;

	if (!ub_device_monitor_exit_recovery_finish(UB_DEVICE_MONITOR(source), result, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		set_busy(self, FALSE);
		body = explain_error(self, error, "exit recovery");
		show_error_dialog(self, _("Couldn’t Leave Recovery Mode"), body);
		return;
	}
	set_busy(self, FALSE);
}

static void
exit_recovery_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;

	if (g_strcmp0(response, "exit") != 0)
		return;
	set_busy(self, TRUE);
	ub_device_monitor_exit_recovery_async(self->monitor,
					      self->device,
					      self->cancellable,
					      exit_recovery_done_cb,
					      g_object_ref(self));
}

static void
exit_recovery_clicked_cb(UbDevicePage *self)
{
	present_question(self,
			 ub_consent_dialog_new_exit_recovery(parent_window(self), self->device),
			 G_CALLBACK(exit_recovery_response_cb));
}

static void
enter_recovery_clicked_cb(UbDevicePage *self);

static void
ask_restore_consent(UbDevicePage *self);

static void
open_guide_now(UbDevicePage *self, UbGuideTarget target)
{
	UbModeGuideWindow *window =
	    ub_mode_guide_window_new(parent_window(self), self->monitor, self->device, target);
	UbRestoreService *service = restore_service(self);

	if (service != NULL)
		ub_mode_guide_window_set_erase_begun(
		    window, ub_restore_service_get_erase_begun(service, self->device));

	/* DFU mode is only ever entered to restore from it */
	if (target == UB_GUIDE_TARGET_DFU) {
		ub_mode_guide_window_set_continue_label(window, _("_Continue to Restore…"));
		g_signal_connect_object(
		    window, "continue", G_CALLBACK(ask_restore_consent), self, G_CONNECT_SWAPPED);
	}
	gtk_window_present(GTK_WINDOW(window));
}

static void
present_enter_recovery(UbDevicePage *self);

static void
continue_after_download(UbDevicePage *self)
{
	AfterDownload after = self->after_download;

	self->after_download = AFTER_DOWNLOAD_NOTHING;
	update_note(self);
	switch (after) {
	case AFTER_DOWNLOAD_ENTER_RECOVERY:
		present_enter_recovery(self);
		break;
	case AFTER_DOWNLOAD_GUIDE_RECOVERY:
		open_guide_now(self, UB_GUIDE_TARGET_RECOVERY);
		break;
	case AFTER_DOWNLOAD_GUIDE_DFU:
		open_guide_now(self, UB_GUIDE_TARGET_DFU);
		break;
	case AFTER_DOWNLOAD_NOTHING:
	default:
		break;
	}
}

static void
first_download_changed_cb(UbDevicePage *self)
{
	UbDownloadState state = ub_download_get_state(self->first_download);
	g_autofree gchar *text = NULL;

	if (state == UB_DOWNLOAD_STATE_DONE) {
		g_signal_handlers_disconnect_by_data(self->first_download, self);
		g_clear_object(&self->first_download);
		ub_toast_show(GTK_WIDGET(self), _("iOS is downloaded"));
		continue_after_download(self);
		return;
	}
	if (state == UB_DOWNLOAD_STATE_FAILED || state == UB_DOWNLOAD_STATE_CANCELLED) {
		g_signal_handlers_disconnect_by_data(self->first_download, self);
		g_clear_object(&self->first_download);
		self->after_download = AFTER_DOWNLOAD_NOTHING;
		update_note(self);
		if (state == UB_DOWNLOAD_STATE_FAILED)
			set_note(self,
				 "dialog-warning-symbolic",
				 "warning",
				 _("The iOS download stopped, so Unbrick didn’t ask for Recovery "
				   "or DFU Mode. The Firmware section below says why; press the "
				   "button again to try again."));
		return;
	}
	update_note(self);
}

static void
prefetch_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDownload) download =
	    ub_restore_service_prefetch_finish(UB_RESTORE_SERVICE(source), result, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self->finding_download = FALSE;
	/* nothing to fetch, or the list could not be had: the restore fetches
	 * or says why later; do not hold the user up */
	if (download == NULL) {
		if (error != NULL)
			g_info("no download first: %s", error->message);
		continue_after_download(self);
		return;
	}
	self->first_download = g_steal_pointer(&download);
	g_signal_connect_object(self->first_download,
				"notify",
				G_CALLBACK(first_download_changed_cb),
				self,
				G_CONNECT_SWAPPED);
	first_download_changed_cb(self);
}

/* the actions that ask for Recovery or DFU Mode fetch iOS first */
static void
download_first(UbDevicePage *self, AfterDownload then)
{
	UbRestoreService *service = restore_service(self);

	self->after_download = then;
	if (self->finding_download || self->first_download != NULL) {
		update_note(self);
		return;
	}
	if (service == NULL) {
		continue_after_download(self);
		return;
	}
	self->finding_download = TRUE;
	update_note(self);
	ub_restore_service_prefetch_async(
	    service, self->device, self->cancellable, prefetch_done_cb, g_object_ref(self));
}

static void
open_guide(UbDevicePage *self, UbGuideTarget target)
{
	if (target == UB_GUIDE_TARGET_DFU)
		download_first(self, AFTER_DOWNLOAD_GUIDE_DFU);
	else if (target == UB_GUIDE_TARGET_RECOVERY)
		download_first(self, AFTER_DOWNLOAD_GUIDE_RECOVERY);
	else
		open_guide_now(self, target);
}

static void
force_restart_clicked_cb(UbDevicePage *self)
{
	open_guide(self, UB_GUIDE_TARGET_FORCE_RESTART);
}

static void
enter_dfu_clicked_cb(UbDevicePage *self)
{
	open_guide(self, UB_GUIDE_TARGET_DFU);
}

static void
not_trusted_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;

	if (g_strcmp0(response, "retry") == 0)
		enter_recovery_clicked_cb(self);
	else if (g_strcmp0(response, "guide") == 0)
		open_guide(self, UB_GUIDE_TARGET_RECOVERY);
}

static void
show_not_trusted(UbDevicePage *self)
{
	present_question(self,
			 ub_consent_dialog_new_not_trusted(parent_window(self), self->device),
			 G_CALLBACK(not_trusted_response_cb));
}

static void
enter_recovery_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;

	if (!ub_device_monitor_enter_recovery_finish(UB_DEVICE_MONITOR(source), result, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		set_busy(self, FALSE);
		if (g_error_matches(error, UB_ERROR, UB_ERROR_NOT_TRUSTED)) {
			show_not_trusted(self);
			return;
		}
		text = explain_error(self, error, "enter recovery");
		show_error_dialog(self, _("Couldn’t Enter Recovery Mode"), text);
		return;
	}
	set_busy(self, FALSE);
	/* TRANSLATORS: %s is the device name */
	text = g_strdup_printf(_("%s is restarting into Recovery Mode"),
			       ub_device_get_name(self->device));
	ub_toast_show(GTK_WIDGET(self), text);
}

static void
enter_recovery_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;

	if (g_strcmp0(response, "enter") != 0)
		return;
	set_busy(self, TRUE);
	ub_device_monitor_enter_recovery_async(self->monitor,
					       self->device,
					       self->cancellable,
					       enter_recovery_done_cb,
					       g_object_ref(self));
}

static void
present_enter_recovery(UbDevicePage *self)
{
	present_question(self,
			 ub_consent_dialog_new_enter_recovery(parent_window(self), self->device),
			 G_CALLBACK(enter_recovery_response_cb));
}

static void
enter_recovery_clicked_cb(UbDevicePage *self)
{
	download_first(self, AFTER_DOWNLOAD_ENTER_RECOVERY);
}

static void
show_job(UbDevicePage *self, UbRestoreJob *job);

static void
start_restore_now(UbDevicePage *self, UbRestoreKind kind)
{
	UbRestoreService *service = restore_service(self);
	g_autoptr(GError) error = NULL;
	UbRestoreJob *job;

	if (service == NULL)
		return;
	job = ub_restore_service_start(service, self->device, kind, &error);
	if (job == NULL) {
		ub_toast_show(GTK_WIDGET(self), error->message);
		return;
	}
	show_job(self, job);
}

/* the checks before a restore: this computer, the connection, the engine */

static void
checking_note_cb(gpointer user_data)
{
	UbDevicePage *self = UB_DEVICE_PAGE(user_data);

	self->checking_note_id = 0;
	update_note(self);
}

/* the buttons wait while the checks run, so nothing starts twice */
static void
set_checking(UbDevicePage *self, gboolean checking)
{
	self->checking = checking;
	g_clear_handle_id(&self->checking_note_id, g_source_remove);
	if (checking)
		self->checking_note_id =
		    g_timeout_add_once(CHECKING_NOTE_DELAY_MS, checking_note_cb, self);
	set_busy(self, checking);
	update_note(self);
}

static void
preflight_response_cb(AdwMessageDialog *dialog, const gchar *response, UbDevicePage *self);

static void
preflight_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;
	UbRestoreKind kind;
	UbPreflightDialog *dialog;

	checks =
	    ub_restore_service_run_preflight_finish(UB_RESTORE_SERVICE(source), result, &error);
	/* only cancelled: the page went away */
	if (checks == NULL)
		return;
	kind = ub_preflight_get_kind(self->preflight);
	set_checking(self, FALSE);
	if (!ub_preflight_dialog_is_needed(checks)) {
		g_clear_object(&self->preflight);
		start_restore_now(self, kind);
		return;
	}
	/* self->preflight stays until the dialog answers: no second restore
	 * starts behind it */
	dialog = ub_preflight_dialog_new(parent_window(self), self->device, kind, checks);
	g_signal_connect_object(dialog, "response", G_CALLBACK(preflight_response_cb), self, 0);
	gtk_window_present(GTK_WINDOW(dialog));
}

/* every restore starts here: the checks first, then, unless one fails or
 * the user stops at a warning, the restore */
static void
check_and_start_restore(UbDevicePage *self, UbRestoreKind kind, gboolean backup_acknowledged)
{
	if (restore_service(self) == NULL)
		return;
	if (self->preflight != NULL) {
		g_debug("a restore is already being checked");
		return;
	}
	self->preflight = ub_preflight_new(self->device, kind);
	ub_preflight_set_backup_acknowledged(self->preflight, backup_acknowledged);
	set_checking(self, TRUE);
	ub_restore_service_run_preflight_async(restore_service(self),
					       self->preflight,
					       self->cancellable,
					       preflight_done_cb,
					       g_object_ref(self));
}

static void
preflight_response_cb(AdwMessageDialog *dialog, const gchar *response, UbDevicePage *self)
{
	g_autoptr(UbPreflight) preflight = g_steal_pointer(&self->preflight);

	if (preflight == NULL)
		return;
	if (g_strcmp0(response, UB_PREFLIGHT_DIALOG_CONTINUE) == 0)
		start_restore_now(self, ub_preflight_get_kind(preflight));
	else if (g_strcmp0(response, UB_PREFLIGHT_DIALOG_RETRY) == 0)
		check_and_start_restore(self,
					ub_preflight_get_kind(preflight),
					ub_preflight_get_backup_acknowledged(preflight));
}

/* only an erase needs the backup confirmed, and it has its own path */
static void
start_restore(UbDevicePage *self, UbRestoreKind kind)
{
	check_and_start_restore(self, kind, FALSE);
}

static void
restore_page_done_cb(UbRestorePage *page, UbDevicePage *self)
{
	UbRestoreService *service = restore_service(self);

	if (service != NULL)
		ub_restore_service_dismiss(service, ub_restore_page_get_job(page));
	show_job(self, NULL);
}

static void
ask_restore_consent(UbDevicePage *self);

static void
restore_page_try_again_cb(UbRestorePage *page, UbDevicePage *self)
{
	UbRestoreKind kind = ub_restore_job_get_kind(ub_restore_page_get_job(page));

	restore_page_done_cb(page, self);
	/* an erase is never repeated without asking again */
	if (kind == UB_RESTORE_KIND_ERASE)
		ask_restore_consent(self);
	else
		start_restore(self, kind);
}

static void
restore_page_next_rung_cb(UbRestorePage *page, UbRung rung, UbDevicePage *self)
{
	UbRestoreKind kind = ub_restore_job_get_kind(ub_restore_page_get_job(page));

	restore_page_done_cb(page, self);
	switch (ub_next_step_for_rung(rung, kind)) {
	case UB_NEXT_STEP_GUIDE_RECOVERY:
		open_guide(self, UB_GUIDE_TARGET_RECOVERY);
		break;
	case UB_NEXT_STEP_GUIDE_DFU:
		open_guide(self, UB_GUIDE_TARGET_DFU);
		break;
	case UB_NEXT_STEP_UPDATE:
		start_restore(self, UB_RESTORE_KIND_UPDATE);
		break;
	case UB_NEXT_STEP_ASK_ERASE:
	default:
		ask_restore_consent(self);
		break;
	}
}

static void
show_job(UbDevicePage *self, UbRestoreJob *job)
{
	if (job == self->shown_job && (job == NULL || adw_bin_get_child(self->job_bin) != NULL))
		return;
	g_set_object(&self->shown_job, job);
	if (job == NULL) {
		adw_bin_set_child(self->job_bin, NULL);
		gtk_widget_set_visible(GTK_WIDGET(self->job_bin), FALSE);
		gtk_widget_set_visible(self->device_view, TRUE);
		/* what the job did (an erase begun) changes what the page says */
		update_all(self);
		/* back from a restore, the page starts at its top, not where the
		 * button that started it was */
		gtk_adjustment_set_value(
		    gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(self->device_view)), 0);
		return;
	}
	{
		UbRestorePage *page = ub_restore_page_new(self->context, job);
		g_signal_connect_object(page, "done", G_CALLBACK(restore_page_done_cb), self, 0);
		g_signal_connect_object(
		    page, "try-again", G_CALLBACK(restore_page_try_again_cb), self, 0);
		g_signal_connect_object(
		    page, "next-rung", G_CALLBACK(restore_page_next_rung_cb), self, 0);
		adw_bin_set_child(self->job_bin, GTK_WIDGET(page));
	}
	gtk_widget_set_visible(self->device_view, FALSE);
	gtk_widget_set_visible(GTK_WIDGET(self->job_bin), TRUE);
}

static void
update_consent_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;

	if (g_strcmp0(response, "update") == 0)
		start_restore(self, UB_RESTORE_KIND_UPDATE);
}

static void
update_clicked_cb(UbDevicePage *self)
{
	present_question(self,
			 ub_consent_dialog_new_update(parent_window(self), self->device),
			 G_CALLBACK(update_consent_response_cb));
}

static void
restore_consent_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbDevicePage) self = user_data;

	/* the button only works once the box is ticked; check it again here */
	if (g_strcmp0(response, "erase") == 0 &&
	    adw_message_dialog_get_response_enabled(dialog, "erase"))
		check_and_start_restore(self, UB_RESTORE_KIND_ERASE, TRUE);
}

static void
ask_restore_consent(UbDevicePage *self)
{
	present_question(self,
			 ub_consent_dialog_new_erase(parent_window(self), self->device),
			 G_CALLBACK(restore_consent_response_cb));
}

static void
restore_clicked_cb(UbDevicePage *self)
{
	ask_restore_consent(self);
}

static void
job_added_cb(UbRestoreService *service, UbRestoreJob *job, UbDevicePage *self)
{
	if (ub_restore_job_get_device(job) == self->device)
		show_job(self, job);
}

static void
job_removed_cb(UbRestoreService *service, UbRestoreJob *job, UbDevicePage *self)
{
	if (job == self->shown_job)
		show_job(self, NULL);
}

static void
ub_device_page_dispose(GObject *object)
{
	UbDevicePage *self = UB_DEVICE_PAGE(object);

	g_cancellable_cancel(self->cancellable);
	if (self->device != NULL)
		g_signal_handlers_disconnect_by_data(self->device, self);
	g_clear_handle_id(&self->checking_note_id, g_source_remove);
	g_clear_object(&self->preflight);
	if (self->first_download != NULL)
		g_signal_handlers_disconnect_by_data(self->first_download, self);
	g_clear_object(&self->first_download);
	g_clear_object(&self->shown_job);
	g_clear_object(&self->device);
	self->manager = NULL;
	g_clear_object(&self->monitor);
	g_clear_object(&self->context);
	g_clear_object(&self->cancellable);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_DEVICE_PAGE);

	G_OBJECT_CLASS(ub_device_page_parent_class)->dispose(object);
}

static void
ub_device_page_class_init(UbDevicePageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_device_page_dispose;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-device-page.ui");
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, icon);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, name_label);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, mode_label);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, demo_label);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, description_label);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, note_revealer);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, note_box);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, note_icon);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, note_spinner);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, note_label);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, actions_group);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, job_bin);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, device_view);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, engine_row);
	gtk_widget_class_bind_template_callback(widget_class, engine_fix_clicked_cb);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, update_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, update_button);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, restore_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, restore_button);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, exit_recovery_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, exit_recovery_button);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, enter_recovery_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, enter_recovery_button);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, force_restart_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, enter_dfu_row);
	gtk_widget_class_bind_template_callback(widget_class, force_restart_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, enter_dfu_clicked_cb);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, waiting_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, waiting_spinner);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, restoring_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, firmware_bin);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, hub_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, ios_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, model_number_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, model_number_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, serial_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, ecid_row);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, model_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, product_type_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, ios_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, ecid_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, serial_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, connector_value);
	gtk_widget_class_bind_template_child(widget_class, UbDevicePage, connection_value);
	gtk_widget_class_bind_template_callback(widget_class, exit_recovery_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, enter_recovery_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, update_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, restore_clicked_cb);
}

static void
ub_device_page_init(UbDevicePage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->cancellable = g_cancellable_new();
}

UbDevicePage *
ub_device_page_new(UbContext *context, UbDevice *device)
{
	UbDevicePage *self;

	g_return_val_if_fail(UB_IS_CONTEXT(context), NULL);
	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);

	self = g_object_new(UB_TYPE_DEVICE_PAGE, NULL);
	self->context = g_object_ref(context);
	self->monitor = g_object_ref(ub_context_get_monitor(context));
	self->manager = ub_context_get_firmware_manager(context);
	self->device = g_object_ref(device);
	adw_bin_set_child(self->firmware_bin,
			  GTK_WIDGET(ub_firmware_panel_new(self->manager, device)));
	g_signal_connect_object(device, "notify", G_CALLBACK(update_all), self, G_CONNECT_SWAPPED);
	g_signal_connect_object(device,
				"notify::recovery-exit",
				G_CALLBACK(device_recovery_exit_cb),
				self,
				G_CONNECT_SWAPPED);
	update_all(self);
	{
		UbRestoreService *service = restore_service(self);
		if (service != NULL) {
			g_signal_connect_object(
			    service, "job-added", G_CALLBACK(job_added_cb), self, 0);
			g_signal_connect_object(
			    service, "job-removed", G_CALLBACK(job_removed_cb), self, 0);
			/* the probe ends after the page was made, or the tool changed */
			g_signal_connect_object(service,
						"engine-changed",
						G_CALLBACK(update_actions),
						self,
						G_CONNECT_SWAPPED);
			show_job(self, ub_restore_service_get_job(service, device));
		}
	}
	return self;
}

UbDevice *
ub_device_page_get_device(UbDevicePage *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_PAGE(self), NULL);
	return self->device;
}
