/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-error.h"
#include "ub-firmware-row.h"
#include "ub-mode-text.h"
#include "ub-toast.h"

struct _UbFirmwareRow {
	AdwActionRow parent_instance;

	UbFirmwareManager *manager;
	UbFirmware *firmware;
	UbDownload *download;
	gboolean restarted_after_mismatch;

	GtkWidget *recommended_label;
	GtkButton *download_state;
	GtkWidget *progress_state;
	GtkWidget *ready_state;
	GtkWidget *unsigned_state;
	GtkProgressBar *progress_bar;
	GtkButton *pause_button;
	GtkButton *cancel_button;
};

G_DEFINE_FINAL_TYPE(UbFirmwareRow, ub_firmware_row, ADW_TYPE_ACTION_ROW)

static gchar *
describe_static(UbFirmwareRow *self)
{
	UbFirmware *firmware = self->firmware;
	GDateTime *date = ub_firmware_get_release_date(firmware);
	g_autofree gchar *size = g_format_size(ub_firmware_get_size(firmware));
	g_autofree gchar *released = NULL;

	if (!ub_firmware_get_signed(firmware))
		/* TRANSLATORS: %s is the build, e.g. "22G100" */
		return g_strdup_printf(_("%s · Apple no longer signs this version, so it can’t "
					 "be installed"),
				       ub_firmware_get_build(firmware));
	if (date != NULL)
		/* TRANSLATORS: a release date, e.g. "20 August 2025" */
		released = g_date_time_format(date, _("%e %B %Y"));
	if (released != NULL)
		return g_strdup_printf(
		    "%s · %s · %s", ub_firmware_get_build(firmware), size, g_strstrip(released));
	return g_strdup_printf("%s · %s", ub_firmware_get_build(firmware), size);
}

static gchar *
describe_progress(UbDownload *download)
{
	g_autofree gchar *amount = ub_mode_text_dup_amount(ub_download_get_bytes_done(download),
							   ub_download_get_bytes_total(download));
	g_autofree gchar *rate = NULL;
	gint64 seconds_left;

	switch (ub_download_get_state(download)) {
	case UB_DOWNLOAD_STATE_PAUSED:
		/* TRANSLATORS: "Paused · 2.1 GB of 7.1 GB" */
		return g_strdup_printf(_("Paused · %s"), amount);
	case UB_DOWNLOAD_STATE_RETRYING:
		return g_strdup_printf(_("The connection dropped; trying again · %s"), amount);
	case UB_DOWNLOAD_STATE_IDLE:
	case UB_DOWNLOAD_STATE_RUNNING:
	case UB_DOWNLOAD_STATE_DONE:
	case UB_DOWNLOAD_STATE_FAILED:
	case UB_DOWNLOAD_STATE_CANCELLED:
	default:
		break;
	}
	rate = g_format_size((guint64)ub_download_get_rate(download));
	seconds_left = ub_download_get_seconds_left(download);
	if (seconds_left >= 0) {
		g_autofree gchar *left =
		    ub_mode_text_dup_duration((gint)MIN(seconds_left, G_MAXINT));
		/* TRANSLATORS: "2.1 GB of 7.1 GB · 12.3 MB/s · about 6 minutes left" */
		return g_strdup_printf(_("%s · %s/s · %s left"), amount, rate, left);
	}
	return g_strdup_printf(_("%s · %s/s"), amount, rate);
}

static void
show_state(UbFirmwareRow *self, GtkWidget *state)
{
	gtk_widget_set_visible(GTK_WIDGET(self->download_state),
			       state == GTK_WIDGET(self->download_state));
	gtk_widget_set_visible(self->progress_state, state == self->progress_state);
	gtk_widget_set_visible(self->ready_state, state == self->ready_state);
	gtk_widget_set_visible(self->unsigned_state, state == self->unsigned_state);
}

static gboolean
has_partial_download(UbFirmwareRow *self)
{
	g_autofree gchar *dest = ub_firmware_cache_dup_download_path(
	    ub_firmware_manager_get_cache(self->manager), self->firmware);
	g_autofree gchar *state = g_strconcat(dest, ".part.state", NULL);

	return g_file_test(state, G_FILE_TEST_EXISTS);
}

static void
update_row(UbFirmwareRow *self)
{
	const UbCachedFirmware *cached = ub_firmware_manager_lookup(self->manager, self->firmware);
	g_autofree gchar *subtitle = NULL;

	gtk_widget_set_sensitive(GTK_WIDGET(self), ub_firmware_get_signed(self->firmware));
	if (!ub_firmware_get_signed(self->firmware)) {
		show_state(self, self->unsigned_state);
		subtitle = describe_static(self);
	} else if (cached != NULL) {
		show_state(self, self->ready_state);
		subtitle = describe_static(self);
	} else if (self->download != NULL &&
		   ub_download_get_state(self->download) != UB_DOWNLOAD_STATE_FAILED &&
		   ub_download_get_state(self->download) != UB_DOWNLOAD_STATE_CANCELLED &&
		   ub_download_get_state(self->download) != UB_DOWNLOAD_STATE_DONE) {
		guint64 total = ub_download_get_bytes_total(self->download);
		gboolean paused = ub_download_get_state(self->download) == UB_DOWNLOAD_STATE_PAUSED;

		show_state(self, self->progress_state);
		gtk_progress_bar_set_fraction(
		    self->progress_bar,
		    total > 0 ? (gdouble)ub_download_get_bytes_done(self->download) / (gdouble)total
			      : 0.0);
		gtk_button_set_icon_name(self->pause_button,
					 paused ? "media-playback-start-symbolic"
						: "media-playback-pause-symbolic");
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->pause_button),
					    paused ? _("Resume") : _("Pause"));
		gtk_accessible_update_property(GTK_ACCESSIBLE(self->pause_button),
					       GTK_ACCESSIBLE_PROPERTY_LABEL,
					       paused ? _("Resume") : _("Pause"),
					       -1);
		subtitle = describe_progress(self->download);
	} else if (self->download != NULL &&
		   ub_download_get_state(self->download) == UB_DOWNLOAD_STATE_FAILED &&
		   ub_download_get_error(self->download) != NULL) {
		show_state(self, GTK_WIDGET(self->download_state));
		gtk_button_set_label(self->download_state, _("_Try Again"));
		subtitle = g_strdup(ub_download_get_error(self->download)->message);
	} else if (has_partial_download(self)) {
		/* a download from an earlier run: it continues where it stopped */
		show_state(self, GTK_WIDGET(self->download_state));
		gtk_button_set_label(self->download_state, _("_Resume"));
		subtitle = g_strdup(_("Partly downloaded earlier; continues where it stopped"));
	} else {
		show_state(self, GTK_WIDGET(self->download_state));
		gtk_button_set_label(self->download_state, _("_Download"));
		subtitle = describe_static(self);
	}
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self), subtitle);
}

static void
start_download(UbFirmwareRow *self);

static void
download_notify_cb(UbDownload *download, GParamSpec *pspec, UbFirmwareRow *self)
{
	const GError *error = ub_download_get_error(download);

	/* a damaged file was thrown away; get it again, once, and say so */
	if (ub_download_get_state(download) == UB_DOWNLOAD_STATE_FAILED &&
	    g_error_matches(error, UB_ERROR, UB_ERROR_CHECKSUM_MISMATCH) &&
	    !self->restarted_after_mismatch) {
		self->restarted_after_mismatch = TRUE;
		ub_toast_show(GTK_WIDGET(self),
			      _("The download arrived damaged and was discarded. Downloading it "
				"again."));
		start_download(self);
		return;
	}
	update_row(self);
}

static void
set_download(UbFirmwareRow *self, UbDownload *download)
{
	if (self->download != NULL)
		g_signal_handlers_disconnect_by_data(self->download, self);
	g_set_object(&self->download, download);
	if (download != NULL)
		g_signal_connect_object(
		    download, "notify", G_CALLBACK(download_notify_cb), self, 0);
	update_row(self);
}

static void
start_download(UbFirmwareRow *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDownload) download =
	    ub_firmware_manager_download(self->manager, self->firmware, &error);

	if (download == NULL) {
		adw_action_row_set_subtitle(ADW_ACTION_ROW(self), error->message);
		return;
	}
	set_download(self, download);
}

static void
download_clicked_cb(UbFirmwareRow *self)
{
	self->restarted_after_mismatch = FALSE;
	start_download(self);
}

static void
pause_clicked_cb(UbFirmwareRow *self)
{
	if (self->download == NULL)
		return;
	if (ub_download_get_state(self->download) == UB_DOWNLOAD_STATE_PAUSED)
		ub_download_resume(self->download);
	else
		ub_download_pause(self->download);
}

static void
cancel_clicked_cb(UbFirmwareRow *self)
{
	if (self->download != NULL)
		ub_download_cancel(self->download);
}

static void
ub_firmware_row_dispose(GObject *object)
{
	UbFirmwareRow *self = UB_FIRMWARE_ROW(object);

	if (self->download != NULL)
		g_signal_handlers_disconnect_by_data(self->download, self);
	if (self->manager != NULL)
		g_signal_handlers_disconnect_by_data(ub_firmware_manager_get_cache(self->manager),
						     self);
	g_clear_object(&self->download);
	g_clear_object(&self->firmware);
	g_clear_object(&self->manager);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_FIRMWARE_ROW);

	G_OBJECT_CLASS(ub_firmware_row_parent_class)->dispose(object);
}

static void
ub_firmware_row_class_init(UbFirmwareRowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_firmware_row_dispose;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-firmware-row.ui");
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, recommended_label);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, download_state);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, progress_state);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, ready_state);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, unsigned_state);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, progress_bar);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, pause_button);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwareRow, cancel_button);
	gtk_widget_class_bind_template_callback(widget_class, download_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, pause_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, cancel_clicked_cb);
}

static void
ub_firmware_row_init(UbFirmwareRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

UbFirmwareRow *
ub_firmware_row_new(UbFirmwareManager *manager, UbFirmware *firmware, gboolean recommended)
{
	UbFirmwareRow *self;
	g_autofree gchar *title = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(manager), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE(firmware), NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_ROW, NULL);
	self->manager = g_object_ref(manager);
	self->firmware = g_object_ref(firmware);
	/* TRANSLATORS: a version of iOS or iPadOS, e.g. "iOS 18.6.2" */
	title = g_strdup_printf(_("iOS %s"), ub_firmware_get_version(firmware));
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self), title);
	gtk_widget_set_visible(self->recommended_label, recommended);
	g_signal_connect_object(ub_firmware_manager_get_cache(manager),
				"changed",
				G_CALLBACK(update_row),
				self,
				G_CONNECT_SWAPPED);
	/* a download another device started for the same file is this one too */
	set_download(self, ub_firmware_manager_get_download(manager, firmware));
	return self;
}

UbFirmware *
ub_firmware_row_get_firmware(UbFirmwareRow *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_ROW(self), NULL);
	return self->firmware;
}
