/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-context.h"

G_BEGIN_DECLS

#define UB_TYPE_DEVICE_PAGE (ub_device_page_get_type())
G_DECLARE_FINAL_TYPE(UbDevicePage, ub_device_page, UB, DEVICE_PAGE, AdwBin)

UbDevicePage *
ub_device_page_new(UbContext *context, UbDevice *device);
UbDevice *
ub_device_page_get_device(UbDevicePage *self);

G_END_DECLS
