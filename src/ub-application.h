/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-device-monitor.h"
#include "ub-restore-service.h"

G_BEGIN_DECLS

#define UB_TYPE_APPLICATION (ub_application_get_type())
G_DECLARE_FINAL_TYPE(UbApplication, ub_application, UB, APPLICATION, AdwApplication)

UbApplication *
ub_application_new(void);
UbDeviceMonitor *
ub_application_get_monitor(UbApplication *self);

UbRestoreService *
ub_application_get_restore_service(UbApplication *self);

G_END_DECLS
