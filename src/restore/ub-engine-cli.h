/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ub-engine-info.h"

G_BEGIN_DECLS

/* what `unbrick --probe-engine` prints: one JSON object with the engine's
 * version, generation, newest iOS, and every model of the bundled table it
 * can restore */
gchar *
ub_engine_cli_to_json(UbEngineInfo *info, const gchar *path);

/* `unbrick --probe-engine[=PATH]`, answered before any window opens (PATH
 * defaults to "idevicerestore" in $PATH): FALSE when the arguments do not
 * ask for it, else TRUE with the exit status set (0, or 1 with one line on
 * stderr) */
gboolean
ub_engine_cli_handle_args(gint argc, gchar **argv, gint *exit_status);

G_END_DECLS
