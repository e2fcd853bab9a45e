/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* a G_IO_ERROR from @saved_errno reading "failed to <what>: <strerror>",
 * @what given as a printf format ("write %s", name); returns FALSE */
gboolean
ub_set_errno_error(GError **error, gint saved_errno, const gchar *format, ...) G_GNUC_PRINTF(3, 4);

/* all @size bytes of @data written to @fd, at @offset (pwrite) or, with
 * @offset -1, at the file position; interrupted and short writes go on.
 * FALSE with @saved_errno set when the system refused */
gboolean
ub_fd_write_all(gint fd, gconstpointer data, gsize size, gint64 offset, gint *saved_errno);

G_END_DECLS
