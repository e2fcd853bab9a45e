/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-restore-job"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-error.h"
#include "ub-firmware-catalog.h"
#include "ub-restore-enums.h"
#include "ub-restore-job.h"

#define DEFAULT_DISCONNECT_LIMIT_MS (180 * 1000)
#define DEFAULT_STALL_LIMIT_MS (30 * 60 * 1000)
/* too little done to extrapolate from below this */
#define MIN_PROGRESS_FOR_ESTIMATE 0.03

struct _UbRestoreJob {
	GObject parent_instance;

	UbDevice *device;
	UbRestoreKind kind;
	UbRestoreEngine *engine;
	UbFirmwareManager *manager;
	UbFirmware *firmware;
	gchar *firmware_path;
	gboolean holding_firmware;
	UbEngineInfo *engine_info;
	GError *engine_error;
	gchar *cache_dir;
	guint disconnect_limit_ms;
	guint stall_limit_ms;

	UbRestoreState state;
	gboolean started;
	gboolean cancelling;
	gboolean user_cancelled;
	gboolean unplugged;
	gboolean stalled;
	UbDownload *download;
	UbRestoreReport *report;
	UbFailure *failure;
	GCancellable *cancellable;

	gint64 started_at;   /* monotonic, µs */
	gint64 restore_from; /* when the engine started */
	gint64 finished_at;
	gint64 last_progress_at;
	gint64 stage_started_at[UB_RESTORE_N_STAGES];
	GDateTime *started_wall;
	gint exit_status;
	UbRestoreStage stage;
	gdouble overall;
	guint tick_id;
	guint disconnect_id;
	guint wait_mode_id;
	gint64 wait_deadline; /* monotonic, while wait_mode_id runs */
	gulong mode_handler;
};

G_DEFINE_FINAL_TYPE(UbRestoreJob, ub_restore_job, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_DEVICE,
	PROP_KIND,
	PROP_STATE,
	PROP_FINISHED,
	PROP_CANCELLING,
	PROP_DOWNLOAD,
	PROP_FIRMWARE,
	PROP_STAGE,
	PROP_OVERALL_PROGRESS,
	PROP_ELAPSED,
	PROP_SECONDS_LEFT,
	PROP_STALLED,
	N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_LINE, N_SIGNALS };

static guint signals[N_SIGNALS];

static void
run_engine(UbRestoreJob *self);

static void
set_state(UbRestoreJob *self, UbRestoreState state)
{
	gboolean was_finished = ub_restore_job_get_finished(self);
	g_autofree gchar *from = NULL;
	g_autofree gchar *to = NULL;

	if (self->state == state)
		return;
	/* g_enum_to_string() returns a new string */
	from = g_enum_to_string(UB_TYPE_RESTORE_STATE, self->state);
	to = g_enum_to_string(UB_TYPE_RESTORE_STATE, state);
	g_debug("%s → %s", from, to);
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
	if (!was_finished && ub_restore_job_get_finished(self))
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_FINISHED]);
}

static void
release_firmware(UbRestoreJob *self)
{
	if (!self->holding_firmware)
		return;
	self->holding_firmware = FALSE;
	if (self->manager != NULL)
		ub_firmware_cache_release(ub_firmware_manager_get_cache(self->manager),
					  self->firmware_path);
}

static void
stop_watching(UbRestoreJob *self)
{
	g_clear_handle_id(&self->tick_id, g_source_remove);
	g_clear_handle_id(&self->disconnect_id, g_source_remove);
	g_clear_handle_id(&self->wait_mode_id, g_source_remove);
	g_clear_signal_handler(&self->mode_handler, self->device);
}

static void
finish(UbRestoreJob *self, UbFailure *failure)
{
	if (ub_restore_job_get_finished(self)) {
		ub_failure_free(failure);
		return;
	}
	self->finished_at = g_get_monotonic_time();
	stop_watching(self);
	if (self->stalled) {
		self->stalled = FALSE;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STALLED]);
	}
	release_firmware(self);
	if (self->cancelling) {
		self->cancelling = FALSE;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_CANCELLING]);
	}
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ELAPSED]);
	if (failure == NULL) {
		set_state(self, UB_RESTORE_STATE_DONE);
		return;
	}
	g_debug("failed: %s (%s)",
		ub_failure_cause_to_id(failure->cause),
		failure->engine_message != NULL ? failure->engine_message : "no engine message");
	self->failure = failure;
	set_state(self, UB_RESTORE_STATE_FAILED);
}

static void
fail(UbRestoreJob *self, UbFailureCause cause, const gchar *message)
{
	UbFailure *failure = ub_failure_new(cause, message);

	failure->exit_status = self->exit_status;
	finish(self, failure);
}

static void
update_progress(UbRestoreJob *self)
{
	UbRestoreStage stage = ub_restore_report_get_stage(self->report);
	gdouble overall = ub_restore_report_get_overall_progress(self->report);
	gboolean moved = FALSE;

	if (stage != self->stage) {
		for (guint i = self->stage + 1; i <= stage; i++)
			self->stage_started_at[i] = g_get_monotonic_time();
		self->stage = stage;
		moved = TRUE;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STAGE]);
	}
	/* a stage the engine starts again (files sent once more) moves its own
	 * bar back; the whole never goes backwards */
	if (overall > self->overall) {
		self->overall = overall;
		moved = TRUE;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_OVERALL_PROGRESS]);
	}
	if (moved) {
		self->last_progress_at = g_get_monotonic_time();
		if (self->stalled) {
			self->stalled = FALSE;
			g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STALLED]);
		}
	}
}

static gboolean
tick_cb(gpointer user_data)
{
	UbRestoreJob *self = UB_RESTORE_JOB(user_data);
	gint64 now = g_get_monotonic_time();

	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ELAPSED]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SECONDS_LEFT]);
	if (self->state == UB_RESTORE_STATE_RESTORING && !self->stalled &&
	    now - self->last_progress_at >= (gint64)self->stall_limit_ms * 1000) {
		/* no kill: a stalled restore sometimes moves again; the user decides */
		self->stalled = TRUE;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STALLED]);
	}
	return G_SOURCE_CONTINUE;
}

static void
output_line_cb(UbRestoreEngine *engine, const gchar *line, UbRestoreJob *self)
{
	g_autoptr(GPtrArray) events = ub_restore_report_add_line(self->report, line, -1);

	g_signal_emit(self, signals[SIGNAL_LINE], 0, line);
	update_progress(self);
}

static void
engine_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbRestoreJob) self = UB_RESTORE_JOB(user_data);
	g_autoptr(GError) error = NULL;
	UbRestoreOutcome outcome;
	UbFailure *failure;
	gint exit_status = -1;
	gboolean ran;

	ran = ub_restore_engine_run_finish(UB_RESTORE_ENGINE(source), result, &exit_status, &error);
	g_signal_handlers_disconnect_by_func(source, output_line_cb, self);
	self->exit_status = exit_status;

	if (self->unplugged) {
		fail(self,
		     UB_FAILURE_CAUSE_USB_CONNECTION,
		     _("The device was disconnected during the restore and did not come back."));
		return;
	}
	if (!ran && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		fail(self, UB_FAILURE_CAUSE_CANCELLED, _("Stopped by the user."));
		return;
	}
	if (!ran) {
		fail(self,
		     g_error_matches(error, UB_ERROR, UB_ERROR_NOT_FOUND)
			 ? UB_FAILURE_CAUSE_ENGINE_MISSING
			 : UB_FAILURE_CAUSE_UNKNOWN,
		     error->message);
		return;
	}

	outcome = ub_restore_report_get_outcome(self->report, exit_status);
	if (outcome == UB_RESTORE_OUTCOME_SUCCESS) {
		finish(self, NULL);
		return;
	}

	failure = ub_failure_new(ub_restore_report_get_cause(self->report),
				 ub_restore_report_get_last_error(self->report));
	failure->exit_status = exit_status;
	failure->device_status = ub_restore_report_get_device_status(self->report);
	if (exit_status == 0 && failure->engine_message == NULL) {
		/* "DONE" alone is not success: the device never confirmed */
		g_free(failure->engine_message);
		failure->engine_message =
		    g_strdup(_("The restore tool ended, but the device never said the "
			       "restore finished."));
	}
	/* an engine that only noticed the device was gone says little */
	if (failure->cause == UB_FAILURE_CAUSE_UNKNOWN &&
	    ub_device_get_mode(self->device) == UB_DEVICE_MODE_DISCONNECTED)
		failure->cause = UB_FAILURE_CAUSE_USB_CONNECTION;
	finish(self, failure);
}

static gboolean
disconnect_limit_cb(gpointer user_data)
{
	UbRestoreJob *self = UB_RESTORE_JOB(user_data);

	self->disconnect_id = 0;
	g_info("the device stayed away for %u ms: the restore cannot go on",
	       self->disconnect_limit_ms);
	self->unplugged = TRUE;
	g_cancellable_cancel(self->cancellable);
	return G_SOURCE_REMOVE;
}

static gboolean
wait_mode_expired_cb(gpointer user_data)
{
	UbRestoreJob *self = UB_RESTORE_JOB(user_data);

	self->wait_mode_id = 0;
	fail(self,
	     UB_FAILURE_CAUSE_USB_CONNECTION,
	     _("The device was not connected, so the restore could not start."));
	return G_SOURCE_REMOVE;
}

static void
device_mode_cb(UbDevice *device, GParamSpec *pspec, UbRestoreJob *self)
{
	gboolean away = ub_device_get_mode(device) == UB_DEVICE_MODE_DISCONNECTED;

	if (self->state == UB_RESTORE_STATE_WAIT_FOR_MODE && !away) {
		g_clear_handle_id(&self->wait_mode_id, g_source_remove);
		run_engine(self);
		return;
	}
	if (self->state != UB_RESTORE_STATE_RESTORING)
		return;
	if (away && self->disconnect_id == 0)
		self->disconnect_id =
		    g_timeout_add(self->disconnect_limit_ms, disconnect_limit_cb, self);
	else if (!away)
		g_clear_handle_id(&self->disconnect_id, g_source_remove);
}

static void
run_engine(UbRestoreJob *self)
{
	g_autoptr(UbRestoreRequest) request = NULL;

	set_state(self, UB_RESTORE_STATE_RESTORING);
	request = ub_restore_request_new(ub_device_get_ecid(self->device),
					 ub_device_get_product_type(self->device),
					 self->firmware_path,
					 self->kind);
	request->cache_dir = g_strdup(self->cache_dir);
	self->restore_from = g_get_monotonic_time();
	self->last_progress_at = self->restore_from;
	self->stage_started_at[UB_RESTORE_STAGE_PREPARING] = self->restore_from;
	g_signal_connect(self->engine, "output-line", G_CALLBACK(output_line_cb), self);
	ub_restore_engine_run_async(
	    self->engine, request, self->cancellable, engine_done_cb, g_object_ref(self));
}

static void
wait_for_mode(UbRestoreJob *self)
{
	if (g_cancellable_is_cancelled(self->cancellable)) {
		fail(self, UB_FAILURE_CAUSE_CANCELLED, _("Stopped by the user."));
		return;
	}
	set_state(self, UB_RESTORE_STATE_WAIT_FOR_MODE);
	if (ub_device_get_mode(self->device) != UB_DEVICE_MODE_DISCONNECTED) {
		run_engine(self);
		return;
	}
	/* a device between two modes comes back within seconds */
	self->wait_deadline =
	    g_get_monotonic_time() + (gint64)self->disconnect_limit_ms * G_TIME_SPAN_MILLISECOND;
	self->wait_mode_id = g_timeout_add(self->disconnect_limit_ms, wait_mode_expired_cb, self);
}

static void
hold_firmware(UbRestoreJob *self, const gchar *path)
{
	if (self->firmware_path != path) {
		g_free(self->firmware_path);
		self->firmware_path = g_strdup(path);
	}
	if (self->manager != NULL) {
		ub_firmware_cache_hold(ub_firmware_manager_get_cache(self->manager), path);
		self->holding_firmware = TRUE;
	}
}

static void
download_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbRestoreJob) self = UB_RESTORE_JOB(user_data);
	UbDownload *download = UB_DOWNLOAD(source);
	g_autoptr(GError) error = NULL;

	if (ub_restore_job_get_finished(self))
		return;
	g_clear_object(&self->download);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_DOWNLOAD]);
	if (!ub_download_wait_finish(download, result, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			fail(self, UB_FAILURE_CAUSE_CANCELLED, _("Stopped by the user."));
		else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
			fail(self, UB_FAILURE_CAUSE_DISK_SPACE, error->message);
		else if (g_error_matches(error, UB_ERROR, UB_ERROR_CHECKSUM_MISMATCH))
			fail(self, UB_FAILURE_CAUSE_FIRMWARE_INVALID, error->message);
		else
			fail(self, UB_FAILURE_CAUSE_DOWNLOAD_FAILED, error->message);
		return;
	}
	hold_firmware(self, ub_download_get_dest_path(download));
	wait_for_mode(self);
}

static void
get_firmware(UbRestoreJob *self);

static void
catalog_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbRestoreJob) self = UB_RESTORE_JOB(user_data);
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GError) error = NULL;
	UbFirmware *signed_firmware;

	firmwares = ub_firmware_catalog_list_finish(
	    UB_FIRMWARE_CATALOG(source), result, NULL, NULL, &error);
	if (ub_restore_job_get_finished(self))
		return;
	if (firmwares == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			fail(self, UB_FAILURE_CAUSE_CANCELLED, _("Stopped by the user."));
		else
			fail(self, UB_FAILURE_CAUSE_DOWNLOAD_FAILED, error->message);
		return;
	}
	signed_firmware = ub_firmware_pick_signed(firmwares);
	if (signed_firmware != NULL) {
		self->firmware = g_object_ref(signed_firmware);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_FIRMWARE]);
		get_firmware(self);
		return;
	}
	fail(self,
	     UB_FAILURE_CAUSE_SIGNING_REFUSED,
	     _("Apple signs no iOS version for this model at the moment."));
}

static void
get_firmware(UbRestoreJob *self)
{
	const UbCachedFirmware *cached;
	g_autoptr(GError) error = NULL;
	UbDownload *download;

	set_state(self, UB_RESTORE_STATE_FIRMWARE);
	if (self->firmware_path != NULL) {
		hold_firmware(self, self->firmware_path);
		wait_for_mode(self);
		return;
	}
	if (self->manager == NULL) {
		fail(self, UB_FAILURE_CAUSE_FIRMWARE_INVALID, _("No firmware was chosen."));
		return;
	}
	if (self->firmware == NULL) {
		/* the newest version Apple signs: the only kind a restore can use */
		ub_firmware_catalog_list_async(ub_firmware_manager_get_catalog(self->manager),
					       ub_device_get_product_type(self->device),
					       self->cancellable,
					       catalog_done_cb,
					       g_object_ref(self));
		return;
	}
	cached = ub_firmware_manager_lookup(self->manager, self->firmware);
	if (cached != NULL) {
		hold_firmware(self, cached->path);
		wait_for_mode(self);
		return;
	}
	download = ub_firmware_manager_get_download(self->manager, self->firmware);
	if (download == NULL)
		download = ub_firmware_manager_download(self->manager, self->firmware, &error);
	if (download == NULL) {
		fail(self, UB_FAILURE_CAUSE_DOWNLOAD_FAILED, error->message);
		return;
	}
	self->download = g_object_ref(download);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_DOWNLOAD]);
	if (ub_download_get_state(download) == UB_DOWNLOAD_STATE_PAUSED)
		ub_download_resume(download);
	ub_download_wait_async(download, self->cancellable, download_done_cb, g_object_ref(self));
}

static guint
firmware_major(UbRestoreJob *self)
{
	const gchar *version =
	    self->firmware != NULL ? ub_firmware_get_version(self->firmware) : NULL;

	return version != NULL ? (guint)g_ascii_strtoull(version, NULL, 10) : 0;
}

static void
preflight(UbRestoreJob *self)
{
	g_autoptr(GError) error = NULL;

	set_state(self, UB_RESTORE_STATE_PREFLIGHT);
	/* the page offers no Update in DFU (ub_restore_kind_allowed_in_mode());
	 * a device that fell into DFU after the click still gets words for it */
	if (ub_device_get_mode(self->device) == UB_DEVICE_MODE_DFU &&
	    !ub_restore_kind_allowed_in_mode(self->kind, UB_DEVICE_MODE_DFU)) {
		fail(self,
		     UB_FAILURE_CAUSE_UNKNOWN,
		     _("An update can’t run from DFU mode; only a restore can."));
		return;
	}
	if (self->engine_error != NULL) {
		fail(self,
		     g_error_matches(self->engine_error, UB_ERROR, UB_ERROR_NOT_FOUND)
			 ? UB_FAILURE_CAUSE_ENGINE_MISSING
			 : UB_FAILURE_CAUSE_ENGINE_OUTDATED,
		     self->engine_error->message);
		return;
	}
	/* never let the user watch a restore that was never going to work */
	if (self->engine_info != NULL &&
	    !ub_engine_info_can_restore(self->engine_info,
					ub_device_get_product_type(self->device),
					firmware_major(self),
					&error)) {
		fail(self, UB_FAILURE_CAUSE_ENGINE_OUTDATED, error->message);
		return;
	}
	get_firmware(self);
}

void
ub_restore_job_start(UbRestoreJob *self)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_return_if_fail(!self->started);

	self->started = TRUE;
	self->started_at = g_get_monotonic_time();
	self->started_wall = g_date_time_new_now_local();
	self->tick_id = g_timeout_add_seconds(1, tick_cb, self);
	self->mode_handler =
	    g_signal_connect(self->device, "notify::mode", G_CALLBACK(device_mode_cb), self);
	preflight(self);
}

void
ub_restore_job_cancel(UbRestoreJob *self)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));

	if (ub_restore_job_get_finished(self) || self->cancelling)
		return;
	self->user_cancelled = TRUE;
	if (self->state == UB_RESTORE_STATE_WAIT_FOR_MODE || !self->started) {
		fail(self, UB_FAILURE_CAUSE_CANCELLED, _("Stopped by the user."));
		return;
	}
	self->cancelling = TRUE;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_CANCELLING]);
	g_cancellable_cancel(self->cancellable);
}

static gchar *
format_duration(gint64 microseconds)
{
	gint64 seconds = MAX(microseconds, 0) / G_USEC_PER_SEC;

	return g_strdup_printf("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
			       seconds / 3600,
			       (seconds / 60) % 60,
			       seconds % 60);
}

gchar *
ub_restore_job_dup_diagnostics(UbRestoreJob *self)
{
	GString *text;
	g_autofree gchar *ecid = NULL;
	g_autofree gchar *started = NULL;
	g_autofree gchar *elapsed = NULL;
	g_autofree gchar *state = NULL;
	const gchar *engine_version;
	gint64 end;

	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);

	text = g_string_new(NULL);
	ecid = ub_device_dup_ecid_string(self->device);
	end = self->finished_at != 0 ? self->finished_at : g_get_monotonic_time();
	g_string_append_printf(text, "Unbrick %s restore diagnostics\n", PACKAGE_VERSION);
	g_string_append_printf(text,
			       "Device: %s (%s), ECID %s, serial %s\n",
			       ub_device_get_name(self->device),
			       ub_device_get_product_type(self->device),
			       ecid != NULL ? ecid : "unknown",
			       ub_device_get_serial(self->device) != NULL
				   ? ub_device_get_serial(self->device)
				   : "unknown");
	g_string_append_printf(text,
			       "Kind: %s\n",
			       self->kind == UB_RESTORE_KIND_ERASE ? "restore (erase)"
								   : "update (keep data)");
	if (self->firmware != NULL)
		g_string_append_printf(text,
				       "Firmware: iOS %s (%s)\n",
				       ub_firmware_get_version(self->firmware),
				       ub_firmware_get_build(self->firmware));
	if (self->firmware_path != NULL) {
		g_autofree gchar *basename = g_path_get_basename(self->firmware_path);
		g_string_append_printf(text, "Firmware file: %s\n", basename);
	}
	engine_version = ub_restore_report_get_engine_version(self->report);
	if (engine_version == NULL && self->engine_info != NULL)
		engine_version = ub_engine_info_get_version(self->engine_info);
	g_string_append_printf(text,
			       "Engine: idevicerestore %s\n",
			       engine_version != NULL ? engine_version : "unknown");
	g_string_append_printf(text,
			       "Versions: GLib %u.%u.%u\n",
			       glib_major_version,
			       glib_minor_version,
			       glib_micro_version);
	if (self->started_wall != NULL) {
		started = g_date_time_format_iso8601(self->started_wall);
		elapsed = format_duration(end - self->started_at);
		g_string_append_printf(text, "Started: %s, took %s\n", started, elapsed);
	}
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		g_autofree gchar *took = NULL;
		gint64 stage_end;
		if (self->stage_started_at[i] == 0)
			continue;
		stage_end = end;
		for (guint j = i + 1; j < UB_RESTORE_N_STAGES; j++) {
			if (self->stage_started_at[j] != 0) {
				stage_end = self->stage_started_at[j];
				break;
			}
		}
		took = format_duration(stage_end - self->stage_started_at[i]);
		g_string_append_printf(
		    text, "  %-26s %s\n", ub_restore_stage_to_id((UbRestoreStage)i), took);
	}
	state = g_enum_to_string(UB_TYPE_RESTORE_STATE, self->state);
	g_string_append_printf(text, "State: %s\n", state);
	if (self->failure != NULL) {
		g_string_append_printf(
		    text, "Cause: %s\n", ub_failure_cause_to_id(self->failure->cause));
		if (self->failure->engine_message != NULL)
			g_string_append_printf(
			    text, "Message: %s\n", self->failure->engine_message);
		if (self->failure->device_status >= 0)
			g_string_append_printf(text,
					       "Device status: %" G_GINT64_FORMAT "\n",
					       self->failure->device_status);
	}
	if (self->finished_at != 0)
		g_string_append_printf(text, "Exit status: %d\n", self->exit_status);
	g_string_append(text, "\n--- engine output ---\n");
	g_string_append(text, ub_restore_report_get_transcript(self->report));
	if (text->len > 0 && text->str[text->len - 1] != '\n')
		g_string_append_c(text, '\n');
	return g_string_free(text, FALSE);
}

void
ub_restore_job_set_firmware_path(UbRestoreJob *self, const gchar *path)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_return_if_fail(!self->started);
	g_free(self->firmware_path);
	self->firmware_path = g_strdup(path);
}

void
ub_restore_job_set_firmware(UbRestoreJob *self, UbFirmwareManager *manager, UbFirmware *firmware)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_return_if_fail(!self->started);
	g_set_object(&self->manager, manager);
	g_set_object(&self->firmware, firmware);
}

void
ub_restore_job_set_engine_info(UbRestoreJob *self, UbEngineInfo *info)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);
	if (info != NULL)
		self->engine_info = ub_engine_info_ref(info);
}

void
ub_restore_job_set_engine_error(UbRestoreJob *self, const GError *error)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_clear_error(&self->engine_error);
	if (error != NULL)
		self->engine_error = g_error_copy(error);
}

void
ub_restore_job_set_cache_dir(UbRestoreJob *self, const gchar *cache_dir)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	g_free(self->cache_dir);
	self->cache_dir = g_strdup(cache_dir);
}

void
ub_restore_job_set_disconnect_limit(UbRestoreJob *self, guint milliseconds)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	self->disconnect_limit_ms = milliseconds;
}

void
ub_restore_job_set_stall_limit(UbRestoreJob *self, guint milliseconds)
{
	g_return_if_fail(UB_IS_RESTORE_JOB(self));
	self->stall_limit_ms = milliseconds;
}

UbDevice *
ub_restore_job_get_device(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->device;
}

UbRestoreKind
ub_restore_job_get_kind(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), UB_RESTORE_KIND_UPDATE);
	return self->kind;
}

UbRestoreState
ub_restore_job_get_state(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), UB_RESTORE_STATE_FAILED);
	return self->state;
}

gboolean
ub_restore_job_get_finished(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), TRUE);
	return self->state == UB_RESTORE_STATE_DONE || self->state == UB_RESTORE_STATE_FAILED;
}

gboolean
ub_restore_job_get_cancelling(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), FALSE);
	return self->cancelling;
}

UbFirmware *
ub_restore_job_get_firmware(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->firmware;
}

const gchar *
ub_restore_job_get_firmware_path(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->firmware_path;
}

UbDownload *
ub_restore_job_get_download(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->download;
}

UbRestoreStage
ub_restore_job_get_stage(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), UB_RESTORE_STAGE_PREPARING);
	return self->stage;
}

gdouble
ub_restore_job_get_stage_progress(UbRestoreJob *self, UbRestoreStage stage)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), 0);
	if (self->state == UB_RESTORE_STATE_DONE)
		return 1.0;
	return ub_restore_report_get_stage_progress(self->report, stage);
}

gdouble
ub_restore_job_get_overall_progress(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), 0);
	if (self->state == UB_RESTORE_STATE_DONE)
		return 1.0;
	return self->overall;
}

guint
ub_restore_job_get_elapsed(UbRestoreJob *self)
{
	gint64 end;

	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), 0);
	if (!self->started)
		return 0;
	end = self->finished_at != 0 ? self->finished_at : g_get_monotonic_time();
	return (guint)((end - self->started_at) / G_USEC_PER_SEC);
}

gint
ub_restore_job_get_seconds_left(UbRestoreJob *self)
{
	gdouble seconds;

	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), -1);
	if (self->state != UB_RESTORE_STATE_RESTORING || self->overall < MIN_PROGRESS_FOR_ESTIMATE)
		return -1;
	seconds = (gdouble)(g_get_monotonic_time() - self->restore_from) / G_USEC_PER_SEC;
	return (gint)(seconds * (1.0 - self->overall) / self->overall);
}

gboolean
ub_restore_job_get_engine_ran(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), FALSE);
	return self->restore_from != 0;
}

gint
ub_restore_job_get_wait_seconds_left(UbRestoreJob *self)
{
	gint64 left;

	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), -1);
	if (self->wait_mode_id == 0)
		return -1;
	left = self->wait_deadline - g_get_monotonic_time();
	return (gint)MAX(left / G_USEC_PER_SEC, 0);
}

gboolean
ub_restore_job_get_erase_begun(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), FALSE);
	return self->kind == UB_RESTORE_KIND_ERASE &&
	       self->stage >= UB_RESTORE_STAGE_RESTORING_SYSTEM;
}

gboolean
ub_restore_job_get_stalled(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), FALSE);
	return self->stalled;
}

const UbFailure *
ub_restore_job_get_failure(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->failure;
}

UbRestoreReport *
ub_restore_job_get_report(UbRestoreJob *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_JOB(self), NULL);
	return self->report;
}

static void
ub_restore_job_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbRestoreJob *self = UB_RESTORE_JOB(object);

	switch (prop_id) {
	case PROP_DEVICE:
		g_value_set_object(value, self->device);
		break;
	case PROP_KIND:
		g_value_set_enum(value, self->kind);
		break;
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_FINISHED:
		g_value_set_boolean(value, ub_restore_job_get_finished(self));
		break;
	case PROP_CANCELLING:
		g_value_set_boolean(value, self->cancelling);
		break;
	case PROP_DOWNLOAD:
		g_value_set_object(value, self->download);
		break;
	case PROP_FIRMWARE:
		g_value_set_object(value, self->firmware);
		break;
	case PROP_STAGE:
		g_value_set_enum(value, self->stage);
		break;
	case PROP_OVERALL_PROGRESS:
		g_value_set_double(value, ub_restore_job_get_overall_progress(self));
		break;
	case PROP_ELAPSED:
		g_value_set_uint(value, ub_restore_job_get_elapsed(self));
		break;
	case PROP_SECONDS_LEFT:
		g_value_set_int(value, ub_restore_job_get_seconds_left(self));
		break;
	case PROP_STALLED:
		g_value_set_boolean(value, self->stalled);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_restore_job_dispose(GObject *object)
{
	UbRestoreJob *self = UB_RESTORE_JOB(object);

	/* a job is only dropped once it finished; a running engine is stopped */
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	stop_watching(self);
	release_firmware(self);
	if (self->engine != NULL)
		g_signal_handlers_disconnect_by_func(self->engine, output_line_cb, self);
	g_clear_object(&self->engine);
	g_clear_object(&self->download);
	g_clear_object(&self->manager);
	g_clear_object(&self->firmware);
	g_clear_object(&self->device);
	G_OBJECT_CLASS(ub_restore_job_parent_class)->dispose(object);
}

static void
ub_restore_job_finalize(GObject *object)
{
	UbRestoreJob *self = UB_RESTORE_JOB(object);

	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->report, ub_restore_report_free);
	g_clear_pointer(&self->failure, ub_failure_free);
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);
	g_clear_pointer(&self->started_wall, g_date_time_unref);
	g_clear_error(&self->engine_error);
	g_free(self->firmware_path);
	g_free(self->cache_dir);
	G_OBJECT_CLASS(ub_restore_job_parent_class)->finalize(object);
}

static void
ub_restore_job_class_init(UbRestoreJobClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = ub_restore_job_get_property;
	object_class->dispose = ub_restore_job_dispose;
	object_class->finalize = ub_restore_job_finalize;

	properties[PROP_DEVICE] = g_param_spec_object(
	    "device", NULL, NULL, UB_TYPE_DEVICE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_KIND] = g_param_spec_enum("kind",
						  NULL,
						  NULL,
						  UB_TYPE_RESTORE_KIND,
						  UB_RESTORE_KIND_UPDATE,
						  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_STATE] =
	    g_param_spec_enum("state",
			      NULL,
			      NULL,
			      UB_TYPE_RESTORE_STATE,
			      UB_RESTORE_STATE_PREFLIGHT,
			      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_FINISHED] = g_param_spec_boolean(
	    "finished",
	    NULL,
	    NULL,
	    FALSE,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_CANCELLING] = g_param_spec_boolean(
	    "cancelling",
	    NULL,
	    NULL,
	    FALSE,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_DOWNLOAD] = g_param_spec_object("download",
							NULL,
							NULL,
							UB_TYPE_DOWNLOAD,
							G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
							    G_PARAM_STATIC_STRINGS);
	properties[PROP_FIRMWARE] = g_param_spec_object("firmware",
							NULL,
							NULL,
							UB_TYPE_FIRMWARE,
							G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
							    G_PARAM_STATIC_STRINGS);
	properties[PROP_STAGE] =
	    g_param_spec_enum("stage",
			      NULL,
			      NULL,
			      UB_TYPE_RESTORE_STAGE,
			      UB_RESTORE_STAGE_PREPARING,
			      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_OVERALL_PROGRESS] = g_param_spec_double(
	    "overall-progress",
	    NULL,
	    NULL,
	    0,
	    1,
	    0,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_ELAPSED] =
	    g_param_spec_uint("elapsed",
			      NULL,
			      NULL,
			      0,
			      G_MAXUINT,
			      0,
			      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_SECONDS_LEFT] =
	    g_param_spec_int("seconds-left",
			     NULL,
			     NULL,
			     -1,
			     G_MAXINT,
			     -1,
			     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_STALLED] = g_param_spec_boolean("stalled",
							NULL,
							NULL,
							FALSE,
							G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
							    G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	/* one line of the engine's output, for the details view */
	signals[SIGNAL_LINE] = g_signal_new("line",
					    G_TYPE_FROM_CLASS(klass),
					    G_SIGNAL_RUN_LAST,
					    0,
					    NULL,
					    NULL,
					    NULL,
					    G_TYPE_NONE,
					    1,
					    G_TYPE_STRING);
}

static void
ub_restore_job_init(UbRestoreJob *self)
{
	self->report = ub_restore_report_new();
	self->cancellable = g_cancellable_new();
	self->disconnect_limit_ms = DEFAULT_DISCONNECT_LIMIT_MS;
	self->stall_limit_ms = DEFAULT_STALL_LIMIT_MS;
	self->exit_status = -1;
}

UbRestoreJob *
ub_restore_job_new(UbDevice *device, UbRestoreKind kind, UbRestoreEngine *engine)
{
	UbRestoreJob *self;

	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);
	g_return_val_if_fail(UB_IS_RESTORE_ENGINE(engine), NULL);

	self = g_object_new(UB_TYPE_RESTORE_JOB, NULL);
	self->device = g_object_ref(device);
	self->kind = kind;
	self->engine = g_object_ref(engine);
	return self;
}

gboolean
ub_restore_kind_allowed_in_mode(UbRestoreKind kind, UbDeviceMode mode)
{
	switch (mode) {
	case UB_DEVICE_MODE_NORMAL:
	case UB_DEVICE_MODE_RECOVERY:
		return TRUE;
	case UB_DEVICE_MODE_DFU:
		return kind == UB_RESTORE_KIND_ERASE;
	case UB_DEVICE_MODE_RESTORE:
	case UB_DEVICE_MODE_DISCONNECTED:
	default:
		return FALSE;
	}
}
