/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-firmware-manager.h"

G_BEGIN_DECLS

#define UB_TYPE_FIRMWARE_ROW (ub_firmware_row_get_type())
G_DECLARE_FINAL_TYPE(UbFirmwareRow, ub_firmware_row, UB, FIRMWARE_ROW, AdwActionRow)

UbFirmwareRow *
ub_firmware_row_new(UbFirmwareManager *manager, UbFirmware *firmware, gboolean recommended);
UbFirmware *
ub_firmware_row_get_firmware(UbFirmwareRow *self);

G_END_DECLS
