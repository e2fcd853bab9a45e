/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-context.h"

G_BEGIN_DECLS

#define UB_TYPE_WINDOW (ub_window_get_type())
G_DECLARE_FINAL_TYPE(UbWindow, ub_window, UB, WINDOW, AdwApplicationWindow)

UbWindow *
ub_window_new(AdwApplication *application, UbContext *context);
void
ub_window_add_toast(UbWindow *self, const gchar *title);
void
ub_window_show_device(UbWindow *self, UbDevice *device);
void
ub_window_show_connection_checks(UbWindow *self);

G_END_DECLS
