/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-device-provider.h"

G_BEGIN_DECLS

#define UB_TYPE_IRECV_PROVIDER (ub_irecv_provider_get_type())
G_DECLARE_FINAL_TYPE(UbIrecvProvider, ub_irecv_provider, UB, IRECV_PROVIDER, GObject)

/* Recovery and DFU devices through libirecovery */
UbIrecvProvider *
ub_irecv_provider_new(void);

G_END_DECLS
