/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device-monitor.h"
#include "ub-diagnosis.h"
#include "ub-firmware-manager.h"
#include "ub-inhibitor.h"
#include "ub-preflight.h"
#include "ub-restore-job.h"

G_BEGIN_DECLS

#define UB_TYPE_RESTORE_SERVICE (ub_restore_service_get_type())
G_DECLARE_FINAL_TYPE(UbRestoreService, ub_restore_service, UB, RESTORE_SERVICE, GObject)

/*
 * the restores of this session: makes each job with the right engine (the
 * real idevicerestore, or the replay for a simulated device), keeps the app
 * alive (@application held) and the computer awake (@inhibitor) while one
 * runs, diagnoses how each ended and sends a notification of it.
 * @application and @inhibitor may be NULL (tests): nothing is held then.
 */
UbRestoreService *
ub_restore_service_new(GApplication *application,
		       UbInhibitor *inhibitor,
		       UbDeviceMonitor *monitor,
		       UbFirmwareManager *manager,
		       GSettings *settings);
/* starts a job for @device; the caller has the user's consent for @kind */
UbRestoreJob *
ub_restore_service_start(UbRestoreService *self,
			 UbDevice *device,
			 UbRestoreKind kind,
			 GError **error);
/* whether a restore of @device would replay a recorded one (a demo
 * device) rather than run idevicerestore */
gboolean
ub_restore_service_uses_simulated_engine(UbRestoreService *self, UbDevice *device);
/* whether this computer's restore tool can restore @device's model at all,
 * so the page can say so before any click; FALSE with a message for the
 * user that says what to install. TRUE while the tool is still being
 * probed (the preflight checks again) and for replayed demo restores */
gboolean
ub_restore_service_can_restore(UbRestoreService *self, UbDevice *device, GError **error);
/*
 * Download first: starts (or joins) the download of the iOS a restore of
 * @device would use, before the user is asked to put it in Recovery or DFU
 * Mode, where a device leaves by itself after about 15 minutes. Finishes
 * with that download (a new reference), or NULL without an error when the
 * file is already in the store or nothing is fetched (a replayed demo).
 */
void
ub_restore_service_prefetch_async(UbRestoreService *self,
				  UbDevice *device,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
UbDownload *
ub_restore_service_prefetch_finish(UbRestoreService *self, GAsyncResult *result, GError **error);
/* the device's job the user has not dismissed yet, or NULL */
UbRestoreJob *
ub_restore_service_get_job(UbRestoreService *self, UbDevice *device);
/* the user is done with a finished job: its page goes away */
void
ub_restore_service_dismiss(UbRestoreService *self, UbRestoreJob *job);
guint
ub_restore_service_get_n_running(UbRestoreService *self);
/* the idevicerestore in use, from its -v; NULL until probed or when
 * missing, then the error says why; "engine-changed" after each probe,
 * which also runs when the engine-path setting changes */
UbEngineInfo *
ub_restore_service_get_engine_info(UbRestoreService *self);
const GError *
ub_restore_service_get_engine_error(UbRestoreService *self);
/* probes the engine again, say after the user installed it; "engine-changed"
 * follows */
void
ub_restore_service_probe_engine(UbRestoreService *self);
/* the program that runs: the setting, else "idevicerestore" from PATH */
gchar *
ub_restore_service_dup_engine_path(UbRestoreService *self);
/* stops every running job; @callback runs once all have ended */
void
ub_restore_service_cancel_all(UbRestoreService *self, GCallback callback, gpointer user_data);

/* the checks before a restore, as @preflight (made for the device and
 * kind) asks: the engine is probed again first (it may have been installed
 * or updated since, which is what Check Again is for), then the preflight
 * learns what this run would use (the engine, the firmware folder, the
 * servers it asks) and runs; the finish gives its UbCheck array, or NULL
 * with G_IO_ERROR_CANCELLED */
void
ub_restore_service_run_preflight_async(UbRestoreService *self,
				       UbPreflight *preflight,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
GPtrArray *
ub_restore_service_run_preflight_finish(UbRestoreService *self,
					GAsyncResult *result,
					GError **error);

/* how a finished, failed job was diagnosed: its cards and the next rung;
 * NULL while it runs or after a success */
const UbDiagnosisResult *
ub_restore_service_get_diagnosis(UbRestoreService *self, UbRestoreJob *job);
/* an erase began on @device (it reached Restore Mode) and no restore has
 * finished since: what was on it is gone */
gboolean
ub_restore_service_get_erase_begun(UbRestoreService *self, UbDevice *device);

G_END_DECLS
