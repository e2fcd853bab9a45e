/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-restore-report.h"

G_BEGIN_DECLS

/* the largest log `unbrick --explain-log` reads */
#define UB_EXPLAIN_LOG_MAX_SIZE (256 * 1024 * 1024)

/* reads the idevicerestore log at @path ("-" for standard input; any bytes,
 * at most UB_EXPLAIN_LOG_MAX_SIZE) and returns ub_restore_report_to_json()
 * of it, exit status unknown */
gchar *
ub_explain_log_file(const gchar *path, GError **error);

/* `unbrick --explain-log FILE` and `--explain-log=FILE`, answered before any
 * UI starts so it works without a display: returns FALSE when @argv does not
 * ask for it, else prints the JSON (or a message on stderr) and returns TRUE
 * with the process exit status in @exit_status */
/* reads the log at @path (or takes @text when @path is NULL) and builds its
 * report on a worker thread: a log can be hundreds of megabytes */
void
ub_explain_log_report_async(const gchar *path,
			    GBytes *text,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
UbRestoreReport *
ub_explain_log_report_finish(GAsyncResult *result, GError **error);

gboolean
ub_explain_log_handle_args(gint argc, gchar **argv, gint *exit_status);

G_END_DECLS
