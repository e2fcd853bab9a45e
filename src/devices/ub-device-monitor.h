/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device-db.h"
#include "ub-device-provider.h"
#include "ub-device.h"

G_BEGIN_DECLS

#define UB_DEVICE_MONITOR_DEFAULT_GRACE_MS (120 * 1000)

#define UB_TYPE_DEVICE_MONITOR (ub_device_monitor_get_type())
G_DECLARE_FINAL_TYPE(UbDeviceMonitor, ub_device_monitor, UB, DEVICE_MONITOR, GObject)

/* a GListModel of UbDevice: one item per physical device, joined by ECID
 * across its re-enumerations */
UbDeviceMonitor *
ub_device_monitor_new(UbDeviceDb *db);
gboolean
ub_device_monitor_add_provider(UbDeviceMonitor *self, UbDeviceProvider *provider, GError **error);
void
ub_device_monitor_remove_provider(UbDeviceMonitor *self, UbDeviceProvider *provider);
GPtrArray *
ub_device_monitor_get_providers(UbDeviceMonitor *self);
void
ub_device_monitor_set_grace_period(UbDeviceMonitor *self, guint grace_ms);
guint
ub_device_monitor_get_grace_period(UbDeviceMonitor *self);
UbDevice *
ub_device_monitor_find_by_ecid(UbDeviceMonitor *self, guint64 ecid);
guint
ub_device_monitor_get_n_connected(UbDeviceMonitor *self);
/* counted: a held device is never dropped after its grace period; the last
 * release gives a still disconnected device a fresh grace period */
void
ub_device_monitor_hold_device(UbDeviceMonitor *self, UbDevice *device);
void
ub_device_monitor_release_device(UbDeviceMonitor *self, UbDevice *device);

void
ub_device_monitor_exit_recovery_async(UbDeviceMonitor *self,
				      UbDevice *device,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
gboolean
ub_device_monitor_exit_recovery_finish(UbDeviceMonitor *self, GAsyncResult *result, GError **error);
/* restarts a device in Recovery Mode while the user holds its buttons (the
 * DFU guide): unlike exit_recovery, no recovery-exit outcome is recorded */
void
ub_device_monitor_reboot_async(UbDeviceMonitor *self,
			       UbDevice *device,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
ub_device_monitor_reboot_finish(UbDeviceMonitor *self, GAsyncResult *result, GError **error);
void
ub_device_monitor_enter_recovery_async(UbDeviceMonitor *self,
				       UbDevice *device,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
gboolean
ub_device_monitor_enter_recovery_finish(UbDeviceMonitor *self,
					GAsyncResult *result,
					GError **error);

/* the user began a button sequence (see UbDeviceProviderInterface) */
void
ub_device_monitor_notify_buttons(UbDeviceMonitor *self, guint64 ecid, UbDeviceMode target);

G_END_DECLS
