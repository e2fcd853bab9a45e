/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-context.h"
#include "ub-restore-job.h"

G_BEGIN_DECLS

#define UB_TYPE_RESTORE_PAGE (ub_restore_page_get_type())
G_DECLARE_FINAL_TYPE(UbRestorePage, ub_restore_page, UB, RESTORE_PAGE, AdwBin)

/* one job: its stages while it runs, then how it ended; signals "done"
 * (the user is finished with it) and "try-again" */
UbRestorePage *
ub_restore_page_new(UbContext *context, UbRestoreJob *job);
UbRestoreJob *
ub_restore_page_get_job(UbRestorePage *self);

G_END_DECLS
