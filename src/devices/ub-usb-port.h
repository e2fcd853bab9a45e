/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-types.h"

G_BEGIN_DECLS

#define UB_APPLE_USB_VENDOR_ID 0x05ac

#define UB_TYPE_USB_PORT (ub_usb_port_get_type())
G_DECLARE_FINAL_TYPE(UbUsbPort, ub_usb_port, UB, USB_PORT, GObject)

/* one Apple USB device as sysfs shows it: where it is plugged in and how */
UbUsbPort *
ub_usb_port_new(const gchar *path, guint speed_mbps, gboolean behind_hub, const gchar *hub_name);
const gchar *
ub_usb_port_get_path(UbUsbPort *self);
guint
ub_usb_port_get_speed_mbps(UbUsbPort *self);
gboolean
ub_usb_port_get_behind_hub(UbUsbPort *self);
const gchar *
ub_usb_port_get_hub_name(UbUsbPort *self);
guint
ub_usb_port_get_busnum(UbUsbPort *self);
guint
ub_usb_port_get_devnum(UbUsbPort *self);
guint16
ub_usb_port_get_vendor_id(UbUsbPort *self);
guint16
ub_usb_port_get_product_id(UbUsbPort *self);
const gchar *
ub_usb_port_get_serial(UbUsbPort *self);
const gchar *
ub_usb_port_get_product_name(UbUsbPort *self);
UbDeviceMode
ub_usb_port_guess_mode(UbUsbPort *self);
gchar *
ub_usb_port_dup_dev_node(UbUsbPort *self, const gchar *dev_root);

GPtrArray *
ub_usb_port_list_apple(const gchar *sysfs_root, GError **error);
UbUsbPort *
ub_usb_port_find_by_serial(const gchar *sysfs_root, const gchar *usb_serial, GError **error);
UbUsbPort *
ub_usb_port_find_by_ecid(const gchar *sysfs_root, guint64 ecid, GError **error);
const gchar *
ub_usb_port_default_sysfs_root(void);

G_END_DECLS
