/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-restore-types.h"

/* stable ids: scripts read them from `unbrick --explain-log` */
static const gchar *const stage_ids[UB_RESTORE_N_STAGES] = {
    [UB_RESTORE_STAGE_PREPARING] = "preparing",
    [UB_RESTORE_STAGE_SENDING_BOOT_FILES] = "sending-boot-files",
    [UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE] = "waiting-for-restore-mode",
    [UB_RESTORE_STAGE_RESTORING_SYSTEM] = "restoring-system",
    [UB_RESTORE_STAGE_VERIFYING] = "verifying",
    [UB_RESTORE_STAGE_FLASHING_FIRMWARE] = "flashing-firmware",
    [UB_RESTORE_STAGE_BASEBAND] = "baseband",
    [UB_RESTORE_STAGE_FINISHING] = "finishing",
};

static const gchar *const cause_ids[] = {
    [UB_FAILURE_CAUSE_UNKNOWN] = "unknown",
    [UB_FAILURE_CAUSE_USB_CONNECTION] = "usb-connection",
    [UB_FAILURE_CAUSE_USB_PERMISSION] = "usb-permission",
    [UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE] = "usbmuxd-unavailable",
    [UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED] = "personalization-rejected",
    [UB_FAILURE_CAUSE_SIGNING_REFUSED] = "signing-refused",
    [UB_FAILURE_CAUSE_SIGNING_UNREACHABLE] = "signing-unreachable",
    [UB_FAILURE_CAUSE_ENGINE_OUTDATED] = "engine-outdated",
    [UB_FAILURE_CAUSE_ENGINE_MISSING] = "engine-missing",
    [UB_FAILURE_CAUSE_FDR_FAILED] = "fdr-failed",
    [UB_FAILURE_CAUSE_BASEBAND_FAILED] = "baseband-failed",
    [UB_FAILURE_CAUSE_STORAGE_FAILED] = "storage-failed",
    [UB_FAILURE_CAUSE_FIRMWARE_INVALID] = "firmware-invalid",
    [UB_FAILURE_CAUSE_DISK_SPACE] = "disk-space",
    [UB_FAILURE_CAUSE_CANCELLED] = "cancelled",
    [UB_FAILURE_CAUSE_DOWNLOAD_FAILED] = "download-failed",
};

const gchar *
ub_restore_stage_to_id(UbRestoreStage stage)
{
	g_return_val_if_fail((guint)stage < UB_RESTORE_N_STAGES, NULL);
	return stage_ids[stage];
}

gboolean
ub_restore_stage_from_id(const gchar *id, UbRestoreStage *stage)
{
	g_return_val_if_fail(id != NULL, FALSE);
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		if (g_strcmp0(stage_ids[i], id) == 0) {
			if (stage != NULL)
				*stage = (UbRestoreStage)i;
			return TRUE;
		}
	}
	return FALSE;
}

const gchar *
ub_failure_cause_to_id(UbFailureCause cause)
{
	g_return_val_if_fail((guint)cause < G_N_ELEMENTS(cause_ids), NULL);
	return cause_ids[cause];
}

gboolean
ub_failure_cause_from_id(const gchar *id, UbFailureCause *cause)
{
	g_return_val_if_fail(id != NULL, FALSE);
	for (guint i = 0; i < G_N_ELEMENTS(cause_ids); i++) {
		if (g_strcmp0(cause_ids[i], id) == 0) {
			if (cause != NULL)
				*cause = (UbFailureCause)i;
			return TRUE;
		}
	}
	return FALSE;
}

const gchar *
ub_restore_outcome_to_id(UbRestoreOutcome outcome)
{
	switch (outcome) {
	case UB_RESTORE_OUTCOME_SUCCESS:
		return "success";
	case UB_RESTORE_OUTCOME_FAILURE:
		return "failure";
	case UB_RESTORE_OUTCOME_UNKNOWN:
	default:
		return "unknown";
	}
}
