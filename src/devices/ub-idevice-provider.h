/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-device-provider.h"

G_BEGIN_DECLS

#define UB_TYPE_IDEVICE_PROVIDER (ub_idevice_provider_get_type())
G_DECLARE_FINAL_TYPE(UbIdeviceProvider, ub_idevice_provider, UB, IDEVICE_PROVIDER, GObject)

/* normal-mode devices through usbmuxd and lockdown (libimobiledevice) */
UbIdeviceProvider *
ub_idevice_provider_new(void);

G_END_DECLS
