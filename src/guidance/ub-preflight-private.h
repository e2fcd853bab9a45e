/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-preflight.h"

G_BEGIN_DECLS

/* whether the user may open a USB node; tests run as root, which access()
 * lets through anything, so they judge by the mode bits instead */
void
_ub_preflight_set_access_func(UbPreflight *self,
			      UbConnectionCheckAccessFunc access_func,
			      gpointer user_data);

G_END_DECLS
