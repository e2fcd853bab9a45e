/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device-monitor.h"
#include "ub-firmware-manager.h"
#include "ub-inhibitor.h"
#include "ub-restore-service.h"

G_BEGIN_DECLS

/*
 * UbContext: everything below the interface that one run of Unbrick
 * shares, built once by the application from its settings and handed to
 * every window and page at construction (as gnome-software hands its
 * plugin loader to each page): the device monitor, the firmware manager
 * and the restore service. The interface reaches none of them any other
 * way.
 */
#define UB_TYPE_CONTEXT (ub_context_get_type())
G_DECLARE_FINAL_TYPE(UbContext, ub_context, UB, CONTEXT, GObject)

/* @application and @inhibitor: see ub_restore_service_new(); both may be
 * NULL in tests */
UbContext *
ub_context_new(GSettings *settings, GApplication *application, UbInhibitor *inhibitor);

GSettings *
ub_context_get_settings(UbContext *self);
UbDeviceMonitor *
ub_context_get_monitor(UbContext *self);
UbFirmwareManager *
ub_context_get_firmware_manager(UbContext *self);
UbRestoreService *
ub_context_get_restore_service(UbContext *self);

G_END_DECLS
