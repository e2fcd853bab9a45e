/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ub-engine-parser.h"

G_BEGIN_DECLS

/*
 * UbRestoreReport: everything one run's output says, accumulated from its
 * lines: the stages reached and their progress, the engine version, the last
 * error and the cause. The same code explains a live run, a simulated one and
 * a log the user opens. No I/O.
 */
typedef struct _UbRestoreReport UbRestoreReport;

UbRestoreReport *
ub_restore_report_new(void);
void
ub_restore_report_free(UbRestoreReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbRestoreReport, ub_restore_report_free)

/* parses one line, keeps it in the transcript and applies its events;
 * returns the events (transfer container+full) so callers can react */
GPtrArray *
ub_restore_report_add_line(UbRestoreReport *self, const gchar *line, gssize length);
/* a whole log: split on "\n" and fed line by line */
void
ub_restore_report_add_text(UbRestoreReport *self, const gchar *text, gssize length);
void
ub_restore_report_apply_event(UbRestoreReport *self, const UbEngineEvent *event);

/* the stage reached furthest; PREPARING before anything happened */
UbRestoreStage
ub_restore_report_get_stage(UbRestoreReport *self);
/* 0..1; stages before the current one count as complete */
gdouble
ub_restore_report_get_stage_progress(UbRestoreReport *self, UbRestoreStage stage);
/* 0..1 over all stages, weighted by how long each usually takes */
gdouble
ub_restore_report_get_overall_progress(UbRestoreReport *self);
/* "1.0.0" or "1.0.0-226-gbb5591d (libirecovery …)" or NULL */
const gchar *
ub_restore_report_get_engine_version(UbRestoreReport *self);
/* the line that decided the cause; without a cause, the first error of
 * the final burst (the errors since the run last made progress) */
const gchar *
ub_restore_report_get_last_error(UbRestoreReport *self);
/* the device status number of a failing "Status:" line, or -1 */
gint64
ub_restore_report_get_device_status(UbRestoreReport *self);
gboolean
ub_restore_report_get_restore_finished(UbRestoreReport *self);
gboolean
ub_restore_report_get_done(UbRestoreReport *self);
UbFailureCause
ub_restore_report_get_cause(UbRestoreReport *self);
/* an error line or a failing device status was seen */
gboolean
ub_restore_report_get_failure_seen(UbRestoreReport *self);
/* @exit_status: the engine's exit status, or -1 when unknown (a log file);
 * success needs "Restore Finished" and, when known, exit status 0 */
UbRestoreOutcome
ub_restore_report_get_outcome(UbRestoreReport *self, gint exit_status);
/* every line added, joined with "\n" */
const gchar *
ub_restore_report_get_transcript(UbRestoreReport *self);
/* the transcript reached 64 MiB and stopped growing */
gboolean
ub_restore_report_get_transcript_truncated(UbRestoreReport *self);
guint
ub_restore_report_get_n_lines(UbRestoreReport *self);

/* the `unbrick --explain-log` object: outcome, cause, engine_version,
 * stages, last_error, and @cards (ids of the guidance layer's remediation
 * cards, may be NULL); pretty-printed JSON with a final newline */
gchar *
ub_restore_report_to_json(UbRestoreReport *self, gint exit_status, const gchar *const *cards);

G_END_DECLS
