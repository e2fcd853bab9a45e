/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UB_TYPE_APPLICATION (ub_application_get_type())
G_DECLARE_FINAL_TYPE(UbApplication, ub_application, UB, APPLICATION, AdwApplication)

/* builds the UbContext (service/) every window is made with, and is the
 * UbInhibitor of its restores */
UbApplication *
ub_application_new(void);

G_END_DECLS
