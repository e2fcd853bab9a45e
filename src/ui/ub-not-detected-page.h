/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UB_TYPE_NOT_DETECTED_PAGE (ub_not_detected_page_get_type())
G_DECLARE_FINAL_TYPE(UbNotDetectedPage, ub_not_detected_page, UB, NOT_DETECTED_PAGE, AdwBin)

void
ub_not_detected_page_run_checks(UbNotDetectedPage *self);

G_END_DECLS
