/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _UbRestoreEngine UbRestoreEngine;
typedef struct _UbIdevicerestoreEngine UbIdevicerestoreEngine;
typedef struct _UbSimEngine UbSimEngine;
typedef struct _UbRestoreJob UbRestoreJob;

/**
 * UbRestoreStage:
 *
 * The stages a restore shows the user, in the order they usually happen.
 * idevicerestore's own step numbers and device operations map onto these
 * (see ub-engine-parser.c).
 */
typedef enum {
	UB_RESTORE_STAGE_PREPARING,
	UB_RESTORE_STAGE_SENDING_BOOT_FILES,
	UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE,
	UB_RESTORE_STAGE_RESTORING_SYSTEM,
	UB_RESTORE_STAGE_VERIFYING,
	UB_RESTORE_STAGE_FLASHING_FIRMWARE,
	UB_RESTORE_STAGE_BASEBAND,
	UB_RESTORE_STAGE_FINISHING,
} UbRestoreStage;

#define UB_RESTORE_N_STAGES 8

/**
 * UbFailureCause:
 *
 * Why a restore failed, as far as the engine's output tells. The ids
 * (ub_failure_cause_to_id()) are stable: the diagnosis, the remediation
 * cards and `unbrick --explain-log` use them.
 */
typedef enum {
	UB_FAILURE_CAUSE_UNKNOWN,
	UB_FAILURE_CAUSE_USB_CONNECTION,
	UB_FAILURE_CAUSE_USB_PERMISSION,
	UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
	UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED,
	UB_FAILURE_CAUSE_SIGNING_REFUSED,
	UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
	UB_FAILURE_CAUSE_ENGINE_OUTDATED,
	UB_FAILURE_CAUSE_ENGINE_MISSING,
	UB_FAILURE_CAUSE_FDR_FAILED,
	UB_FAILURE_CAUSE_BASEBAND_FAILED,
	UB_FAILURE_CAUSE_STORAGE_FAILED,
	UB_FAILURE_CAUSE_FIRMWARE_INVALID,
	UB_FAILURE_CAUSE_DISK_SPACE,
	UB_FAILURE_CAUSE_CANCELLED,
	UB_FAILURE_CAUSE_DOWNLOAD_FAILED,
} UbFailureCause;

/**
 * UbRestoreKind:
 * @UB_RESTORE_KIND_UPDATE: reinstall iOS and keep the user's data
 * @UB_RESTORE_KIND_ERASE: erase everything and install iOS (`-e`)
 */
typedef enum {
	UB_RESTORE_KIND_UPDATE,
	UB_RESTORE_KIND_ERASE,
} UbRestoreKind;

/**
 * UbRestoreState:
 *
 * Where a #UbRestoreJob is: preflight → firmware → wait-for-mode →
 * restoring → done | failed.
 */
typedef enum {
	UB_RESTORE_STATE_PREFLIGHT,
	UB_RESTORE_STATE_FIRMWARE,
	UB_RESTORE_STATE_WAIT_FOR_MODE,
	UB_RESTORE_STATE_RESTORING,
	UB_RESTORE_STATE_DONE,
	UB_RESTORE_STATE_FAILED,
} UbRestoreState;

/**
 * UbRestoreOutcome:
 *
 * How a finished run (or a log of one) ended.
 */
typedef enum {
	UB_RESTORE_OUTCOME_UNKNOWN,
	UB_RESTORE_OUTCOME_SUCCESS,
	UB_RESTORE_OUTCOME_FAILURE,
} UbRestoreOutcome;

const gchar *
ub_restore_stage_to_id(UbRestoreStage stage);
gboolean
ub_restore_stage_from_id(const gchar *id, UbRestoreStage *stage);
const gchar *
ub_failure_cause_to_id(UbFailureCause cause);
gboolean
ub_failure_cause_from_id(const gchar *id, UbFailureCause *cause);
const gchar *
ub_restore_outcome_to_id(UbRestoreOutcome outcome);

G_END_DECLS
