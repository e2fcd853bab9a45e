/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-firmware-manager.h"
#include "ub-restore-service.h"

G_BEGIN_DECLS

#define UB_TYPE_PREFERENCES_WINDOW (ub_preferences_window_get_type())
G_DECLARE_FINAL_TYPE(UbPreferencesWindow,
		     ub_preferences_window,
		     UB,
		     PREFERENCES_WINDOW,
		     AdwPreferencesWindow)

UbPreferencesWindow *
ub_preferences_window_new(GtkWindow *parent, UbFirmwareManager *manager, UbRestoreService *service);

G_END_DECLS
