/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * UbTimedLog: an engine transcript with timing, for replays (the demo's
 * UbSimEngine and the fake idevicerestore the tests run). The format is the
 * engine's own output plus optional markers, so a log a user pasted is
 * already a valid timed log:
 *
 *   #! exit-status 0          header lines start with "#! " (anywhere)
 *   #! version 1.0.0          what `-v` prints after "idevicerestore "
 *   @12.5 Restoring image (13) a line due 12.5 s after the start
 *   @+2 progress: 2 0.5       a line due 2 s after the one before
 *   ERROR: ...                no marker: 0.05 s after the one before
 *   !stderr ERROR: ...        goes to stderr (the fake engine only)
 *
 * A "@" followed by anything but a number is an ordinary line.
 */
typedef struct {
	gdouble at;	 /* seconds since the start */
	gboolean stderr; /* was marked "!stderr" */
	gchar *text;	 /* without markers or line end */
} UbTimedLine;

typedef struct _UbTimedLog UbTimedLog;

UbTimedLog *
ub_timed_log_new_from_data(const gchar *data, gsize length);
UbTimedLog *
ub_timed_log_new_from_file(const gchar *path, GError **error);
UbTimedLog *
ub_timed_log_new_from_resource(const gchar *resource_path, GError **error);
void
ub_timed_log_free(UbTimedLog *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbTimedLog, ub_timed_log_free)

guint
ub_timed_log_get_n_lines(UbTimedLog *self);
const UbTimedLine *
ub_timed_log_get_line(UbTimedLog *self, guint index);
/* "#! exit-status N", else 0 when the log holds "Status: Restore Finished",
 * else 255 */
gint
ub_timed_log_get_exit_status(UbTimedLog *self);
/* "#! version ...", else NULL */
const gchar *
ub_timed_log_get_version(UbTimedLog *self);
/* when the last line is due */
gdouble
ub_timed_log_get_duration(UbTimedLog *self);

G_END_DECLS
