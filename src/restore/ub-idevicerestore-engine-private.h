/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @engine_path as given when it holds a "/" (made absolute), else looked up
 * in $PATH; UB_ERROR_NOT_FOUND when there is no such program */
gchar *
_ub_idevicerestore_engine_find(const gchar *engine_path, GError **error);

/* a launcher for any run of the engine: LC_ALL=C, and the child stopped
 * (SIGTERM, which idevicerestore treats like SIGINT) if Unbrick dies */
GSubprocessLauncher *
_ub_idevicerestore_engine_launcher_new(GSubprocessFlags flags);

G_END_DECLS
