/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-device.h"
#include "ub-firmware-manager.h"

G_BEGIN_DECLS

#define UB_TYPE_FIRMWARE_PANEL (ub_firmware_panel_get_type())
G_DECLARE_FINAL_TYPE(UbFirmwarePanel, ub_firmware_panel, UB, FIRMWARE_PANEL, AdwBin)

/* the device page's firmware section: the builds Apple signs for this
 * device, their downloads, and a user's own IPSW file */
UbFirmwarePanel *
ub_firmware_panel_new(UbFirmwareManager *manager, UbDevice *device);

G_END_DECLS
