/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* a command line for the user to type in a terminal (the host setup of a
 * Flatpak): shown whole in monospace, selectable, with a Copy button */
GtkWidget *
ub_command_row_new(const gchar *command);

G_END_DECLS
