/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-idevice-provider.h"

G_BEGIN_DECLS

/* tests shorten the wait between lockdown attempts; the delay doubles after
 * each failed attempt */
void
_ub_idevice_provider_set_retry(UbIdeviceProvider *self, guint first_delay_ms, guint attempts);

/* probes of all providers still talking to usbmuxd; tests wait for zero
 * before they take their fake usbmuxd away */
guint
_ub_idevice_provider_get_n_probes(void);

G_END_DECLS
