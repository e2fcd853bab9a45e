/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-next-step.h"

UbNextStep
ub_next_step_for_rung(UbRung rung, UbRestoreKind previous_kind)
{
	switch (rung) {
	case UB_RUNG_RECOVERY_REENTRY:
		return UB_NEXT_STEP_GUIDE_RECOVERY;
	case UB_RUNG_UPDATE:
		return UB_NEXT_STEP_UPDATE;
	case UB_RUNG_RESTORE:
		return UB_NEXT_STEP_ASK_ERASE;
	case UB_RUNG_DFU_RESTORE:
		return UB_NEXT_STEP_GUIDE_DFU;
	case UB_RUNG_NONE:
	case UB_RUNG_CABLE_PORT:
	case UB_RUNG_OTHER_COMPUTER:
	case UB_RUNG_SERVICE:
	default:
		return previous_kind == UB_RESTORE_KIND_ERASE ? UB_NEXT_STEP_ASK_ERASE
							      : UB_NEXT_STEP_UPDATE;
	}
}
