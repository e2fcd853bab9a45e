/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ub-device.h"

G_BEGIN_DECLS

#define UB_TYPE_DEVICE_ROW (ub_device_row_get_type())
G_DECLARE_FINAL_TYPE(UbDeviceRow, ub_device_row, UB, DEVICE_ROW, GtkListBoxRow)

UbDeviceRow *
ub_device_row_new(UbDevice *device);
UbDevice *
ub_device_row_get_device(UbDeviceRow *self);

G_END_DECLS
