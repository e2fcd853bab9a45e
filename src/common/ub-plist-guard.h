/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The bytes of a property list from outside (a BuildManifest.plist, Apple's
 * catalog, a pair record) are checked here before libplist sees them:
 * libplist 2.2 (Debian 12) parses with unbounded recursion and copies a
 * shared object once for every reference to it, so a few kilobytes can
 * crash the process or take gigabytes. The limits are far above any real
 * file (ub-plist-guard.c says how far):
 */

/* bytes, binary or XML; as large as the largest member or body Unbrick
 * reads (MANIFEST_MAX_SIZE, UB_FIRMWARE_CATALOG_MAX_BODY) */
#define UB_PLIST_GUARD_MAX_SIZE (16 * 1024 * 1024)
/* levels of nesting, the top object being level 1 */
#define UB_PLIST_GUARD_MAX_DEPTH 64
/* nodes libplist would build, every reference to a shared object counted
 * again; for XML, elements */
#define UB_PLIST_GUARD_MAX_NODES 1000000
/* bytes of strings and data libplist would copy, counted the same way */
#define UB_PLIST_GUARD_MAX_EXPANDED_BYTES (64 * 1024 * 1024)

/* TRUE when @data ("bplist00" binary or else XML) stays inside the limits
 * above and every reference of a binary one points inside it, with no
 * loop; otherwise UB_ERROR_INVALID_DATA, its message a lowercase clause
 * ("it is nested more than 64 levels deep") for the caller to prefix */
gboolean
ub_plist_guard_check(const guint8 *data, gsize len, GError **error);

G_END_DECLS
