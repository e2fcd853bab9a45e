/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-ipsw.h"

G_BEGIN_DECLS

/* one JSON object, for repair shops' scripts: "path", "version", "build",
 * "product_types", "variants" (one per build identity: "board",
 * "behavior", "variant", "cpid", "bdid"), "restore_plist" and "checks"
 * (ub_ipsw_get_checks()) */
gchar *
ub_ipsw_inspect_to_json(UbIpsw *ipsw);

/* opens @path with ub_ipsw_open(), as "Use an IPSW File…" does, and
 * returns ub_ipsw_inspect_to_json() of it */
gchar *
ub_ipsw_inspect_file(const gchar *path, GError **error);

/* `unbrick --inspect-ipsw FILE` and `--inspect-ipsw=FILE`, answered before
 * any UI starts so it works without a display: returns FALSE when @argv
 * does not ask for it, else prints the JSON on stdout (or one line on
 * stderr) and returns TRUE with the exit status, 0 or 1, in @exit_status */
gboolean
ub_ipsw_inspect_handle_args(gint argc, gchar **argv, gint *exit_status);

G_END_DECLS
