/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-download.h"

G_BEGIN_DECLS

typedef void (*UbFileHashProgress)(guint64 bytes_done, guint64 bytes_total, gpointer user_data);

/* the lowercase hex digest of a whole file, computed on a worker thread
 * with GnuTLS (which uses the CPU's SHA instructions); progress arrives on
 * the caller's main context at most ~10 times a second */
void
ub_file_hash_async(const gchar *path,
		   UbHashKind kind,
		   UbFileHashProgress progress,
		   gpointer progress_data,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data);
gchar *
ub_file_hash_finish(GAsyncResult *result, GError **error);
/* the same, blocking */
gchar *
ub_file_hash(const gchar *path, UbHashKind kind, GCancellable *cancellable, GError **error);

G_END_DECLS
