/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-types.h"

G_BEGIN_DECLS

#define UB_TYPE_DEVICE (ub_device_get_type())
G_DECLARE_FINAL_TYPE(UbDevice, ub_device, UB, DEVICE, GObject)

UbDeviceMode
ub_device_get_mode(UbDevice *self);
UbDeviceMode
ub_device_get_last_connected_mode(UbDevice *self);
guint64
ub_device_get_ecid(UbDevice *self);
gchar *
ub_device_dup_ecid_string(UbDevice *self);
const gchar *
ub_device_get_product_type(UbDevice *self);
const gchar *
ub_device_get_hardware_model(UbDevice *self);
guint
ub_device_get_cpid(UbDevice *self);
guint
ub_device_get_bdid(UbDevice *self);
const gchar *
ub_device_get_name(UbDevice *self);
const gchar *
ub_device_get_ios_version(UbDevice *self);
const gchar *
ub_device_get_ios_build(UbDevice *self);
const gchar *
ub_device_get_serial(UbDevice *self);
const gchar *
ub_device_get_model_number(UbDevice *self);
const gchar *
ub_device_get_udid(UbDevice *self);
UbButtonScheme
ub_device_get_button_scheme(UbDevice *self);
UbConnector
ub_device_get_connector(UbDevice *self);
UbUsbPort *
ub_device_get_usb_port(UbDevice *self);
gboolean
ub_device_get_simulated(UbDevice *self);
gboolean
ub_device_get_is_ipad(UbDevice *self);
UbRecoveryExit
ub_device_get_recovery_exit(UbDevice *self);
const gchar *
ub_device_get_source_id(UbDevice *self);

G_END_DECLS
