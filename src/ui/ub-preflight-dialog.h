/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-device.h"
#include "ub-preflight.h"

G_BEGIN_DECLS

/* the responses besides closing the dialog */
#define UB_PREFLIGHT_DIALOG_CONTINUE "continue"
#define UB_PREFLIGHT_DIALOG_RETRY "retry"

#define UB_TYPE_PREFLIGHT_DIALOG (ub_preflight_dialog_get_type())
G_DECLARE_FINAL_TYPE(UbPreflightDialog, ub_preflight_dialog, UB, PREFLIGHT_DIALOG, AdwMessageDialog)

/* whether @checks (of UbCheck) hold a warning or a failure the
 * user has to see before the restore starts */
gboolean
ub_preflight_dialog_is_needed(GPtrArray *checks);

/* what the checks before a restore of @device found, each with its card:
 * with a failure "Close" and "Check Again" (UB_PREFLIGHT_DIALOG_RETRY),
 * with only warnings "Cancel" and "Continue Anyway"
 * (UB_PREFLIGHT_DIALOG_CONTINUE) */
UbPreflightDialog *
ub_preflight_dialog_new(GtkWindow *parent, UbDevice *device, UbRestoreKind kind, GPtrArray *checks);

G_END_DECLS
