/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* a small result ("Log saved") in the window's toast overlay, if @widget
 * is inside one */
void
ub_toast_show(GtkWidget *widget, const gchar *title);

G_END_DECLS
