/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-device-monitor.h"
#include "ub-mode-guide.h"

G_BEGIN_DECLS

/*
 * UbModeGuideWindow: the countdown, from "what will happen" through each
 * step in very large type with the buttons drawn and heard, to how it ended
 * and what to change next time. Without a device the user picks the model.
 */
#define UB_TYPE_MODE_GUIDE_WINDOW (ub_mode_guide_window_get_type())
G_DECLARE_FINAL_TYPE(UbModeGuideWindow, ub_mode_guide_window, UB, MODE_GUIDE_WINDOW, AdwWindow)

UbModeGuideWindow *
ub_mode_guide_window_new(GtkWindow *parent,
			 UbDeviceMonitor *monitor,
			 UbDevice *device,
			 UbGuideTarget target);
UbModeGuide *
ub_mode_guide_window_get_guide(UbModeGuideWindow *self);

/* after a success the main button reads @label ("Continue to Restore…") and
 * emits "continue" instead of only closing */
void
ub_mode_guide_window_set_continue_label(UbModeGuideWindow *self, const gchar *label);
/* see ub_mode_guide_set_erase_begun() */
void
ub_mode_guide_window_set_erase_begun(UbModeGuideWindow *self, gboolean erase_begun);

G_END_DECLS
