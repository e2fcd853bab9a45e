/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-guidance-types.h"
#include "ub-restore-types.h"

G_BEGIN_DECLS

/*
 * What the one button after a failed restore does: the ladder (guidance/)
 * names a rung, this says which action the interface takes for it.
 */
typedef enum {
	/* count the user through the buttons into Recovery Mode, cleanly */
	UB_NEXT_STEP_GUIDE_RECOVERY,
	/* count the user through the buttons into DFU Mode, then restore */
	UB_NEXT_STEP_GUIDE_DFU,
	/* an Update (keeps data) */
	UB_NEXT_STEP_UPDATE,
	/* a Restore (erases): never without asking for consent again */
	UB_NEXT_STEP_ASK_ERASE,
} UbNextStep;

/* @rung from the diagnosis of a job that ran as @previous_kind; a rung
 * that is advice rather than an action (another cable, another computer,
 * a repair shop) repeats what ran, an erase again only with consent */
UbNextStep
ub_next_step_for_rung(UbRung rung, UbRestoreKind previous_kind);

G_END_DECLS
