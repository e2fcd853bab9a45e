/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * UbRung:
 * The escalation ladder, least drastic first. Each failure offers the next
 * rung not yet tried on this device.
 * @UB_RUNG_NONE: nothing tried yet
 * @UB_RUNG_CABLE_PORT: another cable, a port on the computer itself, try again
 * @UB_RUNG_RECOVERY_REENTRY: restart the device and enter Recovery Mode cleanly
 * @UB_RUNG_UPDATE: Update (keeps data)
 * @UB_RUNG_RESTORE: Restore (erases)
 * @UB_RUNG_DFU_RESTORE: Restore from DFU mode (erases)
 * @UB_RUNG_OTHER_COMPUTER: another computer
 * @UB_RUNG_SERVICE: Apple or an authorised repair shop
 */
typedef enum {
	UB_RUNG_NONE,
	UB_RUNG_CABLE_PORT,
	UB_RUNG_RECOVERY_REENTRY,
	UB_RUNG_UPDATE,
	UB_RUNG_RESTORE,
	UB_RUNG_DFU_RESTORE,
	UB_RUNG_OTHER_COMPUTER,
	UB_RUNG_SERVICE,
} UbRung;

/**
 * UbGuideTarget:
 * Where the countdown leads the device.
 * @UB_GUIDE_TARGET_RECOVERY: Recovery Mode
 * @UB_GUIDE_TARGET_DFU: DFU mode
 * @UB_GUIDE_TARGET_FORCE_RESTART: a force restart (also the way out of DFU)
 */
typedef enum {
	UB_GUIDE_TARGET_RECOVERY,
	UB_GUIDE_TARGET_DFU,
	UB_GUIDE_TARGET_FORCE_RESTART,
} UbGuideTarget;

/**
 * UbGuideOutcome:
 * How one countdown ended.
 * @UB_GUIDE_OUTCOME_NONE: still running, or not started
 * @UB_GUIDE_OUTCOME_SUCCESS: the device showed up in the target mode
 * @UB_GUIDE_OUTCOME_RECOVERY_INSTEAD: it came back in Recovery (DFU wanted):
 *   the bottom button was let go too early or the top one held too long
 * @UB_GUIDE_OUTCOME_NORMAL_INSTEAD: it started normally (the Apple logo): the
 *   top button was held too long, or the sequence was not caught
 * @UB_GUIDE_OUTCOME_DFU_INSTEAD: it went into DFU mode (Recovery wanted, or
 *   still DFU after a force restart)
 * @UB_GUIDE_OUTCOME_NOTHING: nothing showed up within the window
 * @UB_GUIDE_OUTCOME_CANCELLED: the user stopped it
 */
typedef enum {
	UB_GUIDE_OUTCOME_NONE,
	UB_GUIDE_OUTCOME_SUCCESS,
	UB_GUIDE_OUTCOME_RECOVERY_INSTEAD,
	UB_GUIDE_OUTCOME_NORMAL_INSTEAD,
	UB_GUIDE_OUTCOME_DFU_INSTEAD,
	UB_GUIDE_OUTCOME_NOTHING,
	UB_GUIDE_OUTCOME_CANCELLED,
} UbGuideOutcome;

/**
 * UbGuideCue:
 * What the user should hear.
 * @UB_GUIDE_CUE_STEP: a new step begins: change the buttons now
 * @UB_GUIDE_CUE_TICK: one of the last three seconds of a step
 * @UB_GUIDE_CUE_SUCCESS: it worked, let go
 * @UB_GUIDE_CUE_FAILURE: it did not work
 */
typedef enum {
	UB_GUIDE_CUE_STEP,
	UB_GUIDE_CUE_TICK,
	UB_GUIDE_CUE_SUCCESS,
	UB_GUIDE_CUE_FAILURE,
} UbGuideCue;

/**
 * UbButton:
 * The physical buttons a step names; flags, a step presses several.
 */
typedef enum /*< flags >*/ {
	UB_BUTTON_NONE = 0,
	UB_BUTTON_SIDE = 1 << 0,	/* Side (iPhone) or Top (iPad) */
	UB_BUTTON_VOLUME_UP = 1 << 1,	/* on iPads: the one nearest the top button */
	UB_BUTTON_VOLUME_DOWN = 1 << 2, /* on iPads: the one farthest from it */
	UB_BUTTON_HOME = 1 << 3,
} UbButton;

G_END_DECLS
