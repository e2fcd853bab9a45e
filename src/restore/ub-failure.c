/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-failure"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-failure.h"

G_DEFINE_BOXED_TYPE(UbFailure, ub_failure, ub_failure_copy, ub_failure_free)

typedef struct {
	UbFailureCause cause;
	const gchar *title;
	const gchar *explanation;
	const gchar *apple_codes; /* Apple's grouping, reference/error-codes.md */
} CauseText;

/* the guidance layer turns a cause into steps; here only what happened */
static const CauseText cause_texts[] = {
    {UB_FAILURE_CAUSE_UNKNOWN,
     N_("The restore didn’t finish"),
     N_("The restore stopped without saying why. The saved log may tell more."),
     NULL},
    {UB_FAILURE_CAUSE_USB_CONNECTION,
     N_("The connection to the device was lost"),
     N_("The cable or the USB port lost contact while files were being sent. "
	"This is the most common reason a restore fails, and usually not a fault of the device."),
     "9, 13, 14, 1600–1604, 2005, 2006, 4005, 4013, 4014, 4016"},
    {UB_FAILURE_CAUSE_USB_PERMISSION,
     N_("This computer isn’t allowed to use the device"),
     N_("The system did not let Unbrick open the device while it is in Recovery or DFU mode. "
	"The rules that allow it are missing."),
     NULL},
    {UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
     N_("The USB helper service isn’t running"),
     N_("The device started the restore system but the service that talks to it (usbmuxd) "
	"did not answer."),
     NULL},
    {UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED,
     N_("The device refused the prepared files"),
     N_("The device did not start the files made for it. Starting again from a clean "
	"Recovery or DFU mode usually fixes this."),
     "1, 3, 1015"},
    {UB_FAILURE_CAUSE_SIGNING_REFUSED,
     N_("Apple no longer allows this iOS version"),
     N_("Apple’s server refused to approve this version for this device. Only versions "
	"Apple still signs can be installed."),
     "3194"},
    {UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
     N_("Apple’s server couldn’t be reached"),
     N_("Every restore needs approval from Apple over the internet, and the request did "
	"not get through."),
     "17, 1638, 3014, 3194, 3000–3200"},
    {UB_FAILURE_CAUSE_ENGINE_OUTDATED,
     N_("The restore tool is too old for this device"),
     N_("The installed idevicerestore does not know this device or this iOS version."),
     NULL},
    {UB_FAILURE_CAUSE_ENGINE_MISSING,
     N_("The restore tool isn’t installed"),
     N_("Unbrick uses idevicerestore to restore devices and could not find it."),
     NULL},
    {UB_FAILURE_CAUSE_FDR_FAILED,
     N_("The device couldn’t recover its factory data"),
     N_("Near the end, the device asks Apple for its factory data through this computer, "
	"and that failed. A network problem is the usual reason; sometimes it is the "
	"hardware."),
     "53"},
    {UB_FAILURE_CAUSE_BASEBAND_FAILED,
     N_("The cellular modem couldn’t be updated"),
     N_("The device could not update the part that handles calls and mobile data. Trying "
	"again sometimes works; if it keeps failing it is usually a hardware problem."),
     "1, 1015, 1667, 1669"},
    {UB_FAILURE_CAUSE_STORAGE_FAILED,
     N_("The device’s storage reported a problem"),
     N_("The device could not prepare or check its internal storage."),
     "14, 1002–1014"},
    {UB_FAILURE_CAUSE_FIRMWARE_INVALID,
     N_("The firmware file can’t be used"),
     N_("The iOS file is damaged or meant for another model."),
     NULL},
    {UB_FAILURE_CAUSE_DISK_SPACE,
     N_("This computer is out of disk space"),
     N_("The restore needs room to unpack the iOS file."),
     NULL},
    {UB_FAILURE_CAUSE_CANCELLED,
     N_("The restore was stopped"),
     N_("The restore was stopped before it finished. The device may be in Recovery Mode "
	"now; starting again is safe."),
     NULL},
    {UB_FAILURE_CAUSE_DOWNLOAD_FAILED,
     N_("The iOS download didn’t finish"),
     N_("The firmware could not be downloaded. Nothing was sent to the device."),
     NULL},
};

static const CauseText *
find_text(UbFailureCause cause)
{
	for (guint i = 0; i < G_N_ELEMENTS(cause_texts); i++) {
		if (cause_texts[i].cause == cause)
			return &cause_texts[i];
	}
	return &cause_texts[0];
}

const gchar *
ub_failure_cause_get_title(UbFailureCause cause)
{
	return _(find_text(cause)->title);
}

const gchar *
ub_failure_cause_get_explanation(UbFailureCause cause)
{
	return _(find_text(cause)->explanation);
}

const gchar *
ub_failure_cause_get_apple_codes(UbFailureCause cause)
{
	return find_text(cause)->apple_codes;
}

UbFailure *
ub_failure_new(UbFailureCause cause, const gchar *engine_message)
{
	UbFailure *failure = g_new0(UbFailure, 1);

	failure->cause = cause;
	failure->engine_message = g_strdup(engine_message);
	failure->device_status = -1;
	failure->exit_status = -1;
	return failure;
}

UbFailure *
ub_failure_copy(const UbFailure *failure)
{
	UbFailure *copy;

	g_return_val_if_fail(failure != NULL, NULL);
	copy = ub_failure_new(failure->cause, failure->engine_message);
	copy->device_status = failure->device_status;
	copy->exit_status = failure->exit_status;
	return copy;
}

void
ub_failure_free(UbFailure *failure)
{
	if (failure == NULL)
		return;
	g_free(failure->engine_message);
	g_free(failure);
}
