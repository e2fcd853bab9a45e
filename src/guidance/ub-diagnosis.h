/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-guidance-types.h"
#include "ub-remediation.h"
#include "ub-restore-types.h"
#include "ub-types.h"

G_BEGIN_DECLS

/* what is known about one failed restore */
typedef struct {
	UbFailureCause cause;
	gint64 device_status;	 /* the device's status number, or -1 */
	UbRestoreKind kind;	 /* what ran: Update or Restore */
	UbDeviceMode start_mode; /* the device's mode when it started */
	UbDeviceMode end_mode;	 /* at the end; DISCONNECTED when it was gone */
	gboolean stalled;	 /* no progress for 30 minutes before it ended */
	/* the device never came back while the restore waited for it: the
	 * restore tool never ran, nothing was learnt about the device */
	gboolean never_connected;
} UbDiagnosisInput;

/* what to tell the user */
typedef struct {
	GPtrArray *cards; /* UbCard, the one explaining the cause first */
	UbRung next_rung; /* the one button to offer */
	/* TRUE when the fault is on this computer (usbmuxd, permissions, the
	 * engine, disk, network): fix it and try the same again */
	gboolean fix_host_first;
	gchar *reason; /* why this rung, one plain sentence */
} UbDiagnosisResult;

void
ub_diagnosis_result_free(UbDiagnosisResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbDiagnosisResult, ub_diagnosis_result_free)

#define UB_TYPE_DIAGNOSIS (ub_diagnosis_get_type())
G_DECLARE_FINAL_TYPE(UbDiagnosis, ub_diagnosis, UB, DIAGNOSIS, GObject)

/* @ladder_path: the key file remembering each device's ladder across
 * restarts; NULL keeps it in memory only */
UbDiagnosis *
ub_diagnosis_new(UbRemediation *cards, const gchar *ladder_path);
/* the default file under the user data folder ("unbrick/ladder.ini") */
gchar *
ub_diagnosis_dup_default_ladder_path(void);

/* a failure on @ecid: climbs its ladder, saves it, says what to do next */
UbDiagnosisResult *
ub_diagnosis_record_failure(UbDiagnosis *self, guint64 ecid, const UbDiagnosisInput *input);
/* a restore finished: the device starts from the bottom again */
void
ub_diagnosis_record_success(UbDiagnosis *self, guint64 ecid);
/* where @ecid stands: the rung last offered, UB_RUNG_NONE when nothing failed */
UbRung
ub_diagnosis_get_rung(UbDiagnosis *self, guint64 ecid);
/* the user tried every port and cable and the device never showed up */
UbDiagnosisResult *
ub_diagnosis_not_detected(UbDiagnosis *self);

G_END_DECLS
