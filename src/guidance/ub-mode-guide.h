/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-clock.h"
#include "ub-device-monitor.h"
#include "ub-guidance-types.h"
#include "ub-guide-plan.h"

G_BEGIN_DECLS

/*
 * UbModeGuide: one countdown that talks a user through the button presses
 * into Recovery, into DFU or through a force restart, and watches the device
 * monitor for the result. The device is followed by ECID; without a device
 * (the user picked the model because nothing was detected) the first device
 * to show up is the one.
 */
#define UB_TYPE_MODE_GUIDE (ub_mode_guide_get_type())
G_DECLARE_FINAL_TYPE(UbModeGuide, ub_mode_guide, UB, MODE_GUIDE, GObject)

/* @device: may be NULL; @scheme: taken from @device when UNKNOWN */
UbModeGuide *
ub_mode_guide_new(UbDeviceMonitor *monitor,
		  UbClock *clock,
		  UbDevice *device,
		  UbButtonScheme scheme,
		  UbGuideTarget target);

UbGuideTarget
ub_mode_guide_get_target(UbModeGuide *self);
UbButtonScheme
ub_mode_guide_get_scheme(UbModeGuide *self);
/* the device followed; for a guide started without one, the device that
 * showed up, else NULL */
UbDevice *
ub_mode_guide_get_device(UbModeGuide *self);
/* the plan the next start runs; it depends on the device's mode now */
const UbGuidePlan *
ub_mode_guide_get_plan(UbModeGuide *self);

/* starts (or starts again, from the top) */
void
ub_mode_guide_start(UbModeGuide *self);
void
ub_mode_guide_cancel(UbModeGuide *self);

gboolean
ub_mode_guide_get_running(UbModeGuide *self);
/* -1 before the first step */
gint
ub_mode_guide_get_step_index(UbModeGuide *self);
/* whole seconds left in the step, counting down */
guint
ub_mode_guide_get_seconds_left(UbModeGuide *self);
/* TRUE after the last step, while it waits for the device to show up */
gboolean
ub_mode_guide_get_waiting(UbModeGuide *self);
UbGuideOutcome
ub_mode_guide_get_outcome(UbModeGuide *self);
/* whether the device dropped off USB (restarted) during this run */
gboolean
ub_mode_guide_get_device_left(UbModeGuide *self);

/* for the outcome page: a short title and what to change next time */
gchar *
ub_mode_guide_dup_outcome_title(UbModeGuide *self);
gchar *
ub_mode_guide_dup_outcome_advice(UbModeGuide *self);

/* an erase already began on the device (a restore that reached Restore
 * Mode and stopped): the guide no longer says nothing is erased */
void
ub_mode_guide_set_erase_begun(UbModeGuide *self, gboolean erase_begun);
gboolean
ub_mode_guide_get_erase_begun(UbModeGuide *self);

G_END_DECLS
