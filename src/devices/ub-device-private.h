/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-device-db.h"
#include "ub-device-report.h"
#include "ub-device.h"

G_BEGIN_DECLS

/* only the monitor changes a device; everyone else watches notify:: */
UbDevice *
_ub_device_new(guint64 ecid);
void
_ub_device_apply_report(UbDevice *self, const UbDeviceReport *report, UbDeviceDb *db);
void
_ub_device_set_disconnected(UbDevice *self);
void
_ub_device_set_recovery_exit(UbDevice *self, UbRecoveryExit recovery_exit);
gint64
_ub_device_get_disconnected_since(UbDevice *self);
void
_ub_device_set_provider(UbDevice *self, UbDeviceProvider *provider);
UbDeviceProvider *
_ub_device_get_provider(UbDevice *self);

G_END_DECLS
