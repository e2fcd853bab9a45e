/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-firmware-cache.h"

G_BEGIN_DECLS

/* tests: make import copy even where a hard link would do */
void
_ub_firmware_cache_set_hard_links(UbFirmwareCache *self, gboolean allowed);

G_END_DECLS
