/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "ub-fd.h"

gboolean
ub_set_errno_error(GError **error, gint saved_errno, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(saved_errno),
		    "failed to %s: %s",
		    what,
		    g_strerror(saved_errno));
	return FALSE;
}

gboolean
ub_fd_write_all(gint fd, gconstpointer data, gsize size, gint64 offset, gint *saved_errno)
{
	const guint8 *at = data;

	g_return_val_if_fail(saved_errno != NULL, FALSE);

	while (size > 0) {
		gssize wrote =
		    offset >= 0 ? pwrite(fd, at, size, (off_t)offset) : write(fd, at, size);
		if (wrote < 0 && errno == EINTR)
			continue;
		if (wrote < 0) {
			*saved_errno = errno;
			return FALSE;
		}
		at += wrote;
		size -= (gsize)wrote;
		if (offset >= 0)
			offset += wrote;
	}
	return TRUE;
}
