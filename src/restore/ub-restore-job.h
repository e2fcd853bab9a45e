/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device.h"
#include "ub-download.h"
#include "ub-engine-info.h"
#include "ub-failure.h"
#include "ub-firmware-manager.h"
#include "ub-restore-engine.h"
#include "ub-restore-report.h"

G_BEGIN_DECLS

#define UB_TYPE_RESTORE_JOB (ub_restore_job_get_type())
G_DECLARE_FINAL_TYPE(UbRestoreJob, ub_restore_job, UB, RESTORE_JOB, GObject)

/*
 * one restore of one device: preflight → firmware → wait-for-mode →
 * restoring → done | failed; lives on the main thread; @engine runs it
 */
UbRestoreJob *
ub_restore_job_new(UbDevice *device, UbRestoreKind kind, UbRestoreEngine *engine);

/* the firmware: a verified file already on disk … */
void
ub_restore_job_set_firmware_path(UbRestoreJob *self, const gchar *path);
/* … or a catalog entry, taken from the store or downloaded first */
void
ub_restore_job_set_firmware(UbRestoreJob *self, UbFirmwareManager *manager, UbFirmware *firmware);
/* the engine's version, checked against the device before anything runs;
 * NULL skips the check (the simulated engine) */
void
ub_restore_job_set_engine_info(UbRestoreJob *self, UbEngineInfo *info);
/* or why the engine could not be probed (not installed) */
void
ub_restore_job_set_engine_error(UbRestoreJob *self, const GError *error);
void
ub_restore_job_set_cache_dir(UbRestoreJob *self, const gchar *cache_dir);
/* how long the device may stay off USB before the run counts as unplugged;
 * 180 s by default (mode changes take seconds, booting the ramdisk a minute) */
void
ub_restore_job_set_disconnect_limit(UbRestoreJob *self, guint milliseconds);
/* how long without any progress before the job says it stalled; 30 min */
void
ub_restore_job_set_stall_limit(UbRestoreJob *self, guint milliseconds);

void
ub_restore_job_start(UbRestoreJob *self);
/* asks the engine to stop; the job fails with "cancelled" once it has */
void
ub_restore_job_cancel(UbRestoreJob *self);

UbDevice *
ub_restore_job_get_device(UbRestoreJob *self);
UbRestoreKind
ub_restore_job_get_kind(UbRestoreJob *self);
UbRestoreState
ub_restore_job_get_state(UbRestoreJob *self);
gboolean
ub_restore_job_get_finished(UbRestoreJob *self);
gboolean
ub_restore_job_get_cancelling(UbRestoreJob *self);
UbFirmware *
ub_restore_job_get_firmware(UbRestoreJob *self);
const gchar *
ub_restore_job_get_firmware_path(UbRestoreJob *self);
/* while the firmware downloads, else NULL */
UbDownload *
ub_restore_job_get_download(UbRestoreJob *self);
UbRestoreStage
ub_restore_job_get_stage(UbRestoreJob *self);
gdouble
ub_restore_job_get_stage_progress(UbRestoreJob *self, UbRestoreStage stage);
gdouble
ub_restore_job_get_overall_progress(UbRestoreJob *self);
/* seconds since start */
guint
ub_restore_job_get_elapsed(UbRestoreJob *self);
/* a rough estimate in seconds, or -1 while there is too little to go on */
gint
ub_restore_job_get_seconds_left(UbRestoreJob *self);
gboolean
ub_restore_job_get_stalled(UbRestoreJob *self);
/* an erase that reached Restore Mode, where the device's storage is wiped
 * first: from then on what was on it is gone, whatever the outcome */
gboolean
ub_restore_job_get_erase_begun(UbRestoreJob *self);
/* the restore tool ran; FALSE when the job ended while it waited for the
 * device to be connected */
gboolean
ub_restore_job_get_engine_ran(UbRestoreJob *self);
/* while the job waits for its device to be connected: the seconds it waits
 * still, or -1 when it is not waiting */
gint
ub_restore_job_get_wait_seconds_left(UbRestoreJob *self);
/* set when the state is FAILED */
const UbFailure *
ub_restore_job_get_failure(UbRestoreJob *self);
UbRestoreReport *
ub_restore_job_get_report(UbRestoreJob *self);
/* the text of Copy Diagnostics and the head of Save Log: device identity,
 * versions, timings, outcome, then the engine's full output */
gchar *
ub_restore_job_dup_diagnostics(UbRestoreJob *self);

/* whether @kind can start on a device in @mode: an Update needs iOS or
 * iBoot running (normal or Recovery Mode); a Restore also runs from DFU.
 * The device page offers only these, and the job refuses the rest */
gboolean
ub_restore_kind_allowed_in_mode(UbRestoreKind kind, UbDeviceMode mode);

G_END_DECLS
