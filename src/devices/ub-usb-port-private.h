/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-usb-port.h"

G_BEGIN_DECLS

/* the ECID in a USB serial string: the "ECID:" field iBoot and the boot ROM
 * put there in Recovery and DFU mode, or the last 16 digits of a 24-digit
 * normal-mode UDID ("00008030001A2B3C4D5E6F70"); FALSE when there is none */
gboolean
_ub_usb_port_parse_ecid(const gchar *usb_serial, guint64 *ecid);

/* the mode a product id means, without a port object */
UbDeviceMode
_ub_usb_port_mode_from_product_id(guint16 product_id);

G_END_DECLS
