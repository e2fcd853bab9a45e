/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-restore-report"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-restore-report.h"

/* a whole run, even with -d, is a few MiB; past this the transcript stops
 * growing (the lines still count and their events still apply) */
#define UB_RESTORE_REPORT_TRANSCRIPT_MAX (64 * 1024 * 1024)
#define UB_RESTORE_REPORT_TRUNCATED_NOTE "\n[transcript truncated at 64 MiB]"

/* how long each stage usually takes, in percent of a whole restore */
static const guint stage_weights[UB_RESTORE_N_STAGES] = {
    [UB_RESTORE_STAGE_PREPARING] = 5,
    [UB_RESTORE_STAGE_SENDING_BOOT_FILES] = 5,
    [UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE] = 3,
    [UB_RESTORE_STAGE_RESTORING_SYSTEM] = 50,
    [UB_RESTORE_STAGE_VERIFYING] = 15,
    [UB_RESTORE_STAGE_FLASHING_FIRMWARE] = 10,
    [UB_RESTORE_STAGE_BASEBAND] = 7,
    [UB_RESTORE_STAGE_FINISHING] = 5,
};

/*
 * The cause and the last error:
 *
 * An error that names a cause replaces the cause known so far only when it
 * is more specific: the USB link and an unreachable signing server are
 * generic (they are often the consequence of something else: a refused
 * signature, a missing permission, usbmuxd), everything else is specific,
 * and among equals the first one wins, since later errors in a run are
 * mostly its consequences.
 *
 * The last error is the line that decided the cause; when no line named a
 * cause, it is the first error of the final burst, a burst being the
 * errors and failing device statuses since the run last moved on (a stage
 * or progress event): "Unable to send iBSS component: …" rather than the
 * "Unable to place device into recovery mode" it leads to.
 */
struct _UbRestoreReport {
	GString *transcript;
	gboolean transcript_truncated;
	guint n_lines;

	UbRestoreStage stage;
	gdouble progress[UB_RESTORE_N_STAGES];
	gboolean seen_baseband;

	gchar *engine_version;
	UbFailureCause cause;
	gchar *cause_line;
	gchar *burst_first;
	gboolean in_burst;
	gint64 device_status;

	gboolean failure_seen;
	gboolean failure_after_finished;
	gboolean restore_finished;
	gboolean done;
};

UbRestoreReport *
ub_restore_report_new(void)
{
	UbRestoreReport *self = g_new0(UbRestoreReport, 1);

	self->transcript = g_string_new(NULL);
	self->stage = UB_RESTORE_STAGE_PREPARING;
	self->cause = UB_FAILURE_CAUSE_UNKNOWN;
	self->device_status = -1;
	return self;
}

void
ub_restore_report_free(UbRestoreReport *self)
{
	if (self == NULL)
		return;
	g_string_free(self->transcript, TRUE);
	g_free(self->engine_version);
	g_free(self->cause_line);
	g_free(self->burst_first);
	g_free(self);
}

static guint
ub_restore_report_cause_rank(UbFailureCause cause)
{
	switch (cause) {
	case UB_FAILURE_CAUSE_UNKNOWN:
		return 0;
	case UB_FAILURE_CAUSE_USB_CONNECTION:
	case UB_FAILURE_CAUSE_SIGNING_UNREACHABLE:
		return 1;
	default:
		return 2;
	}
}

/* a later stage began: every stage before it is complete */
static void
ub_restore_report_advance(UbRestoreReport *self, UbRestoreStage stage)
{
	g_assert((guint)stage < UB_RESTORE_N_STAGES);

	if (stage == UB_RESTORE_STAGE_BASEBAND)
		self->seen_baseband = TRUE;
	if (stage <= self->stage)
		return;
	for (guint i = self->stage; i < stage; i++)
		self->progress[i] = 1.0;
	self->stage = stage;
	self->in_burst = FALSE;
}

static void
ub_restore_report_apply_progress(UbRestoreReport *self, const UbEngineEvent *event)
{
	UbRestoreStage stage = event->stage;
	gdouble fraction = event->fraction;

	if (stage == UB_RESTORE_STAGE_CURRENT)
		stage = self->stage;
	if ((guint)stage >= UB_RESTORE_N_STAGES)
		return;
	ub_restore_report_advance(self, stage);
	if (stage < self->stage)
		return;
	/* NaN fails both comparisons */
	if (!(fraction >= 0.0))
		fraction = 0.0;
	if (fraction > 1.0)
		fraction = 1.0;
	self->progress[stage] = fraction;
	self->in_burst = FALSE;
}

static void
ub_restore_report_apply_failure(UbRestoreReport *self, const UbEngineEvent *event)
{
	UbFailureCause cause = event->cause;

	/* the device's Verification Error names no component; after a
	 * baseband update it is the baseband's */
	if (event->kind == UB_ENGINE_EVENT_DEVICE_STATUS && cause == UB_FAILURE_CAUSE_UNKNOWN &&
	    self->seen_baseband && event->text != NULL &&
	    strstr(event->text, "Verification Error") != NULL)
		cause = UB_FAILURE_CAUSE_BASEBAND_FAILED;
	if (event->kind == UB_ENGINE_EVENT_DEVICE_STATUS && event->status_code != -1)
		self->device_status = event->status_code;

	self->failure_seen = TRUE;
	if (self->restore_finished)
		self->failure_after_finished = TRUE;
	if (!self->in_burst) {
		g_free(self->burst_first);
		self->burst_first = g_strdup(event->text);
		self->in_burst = TRUE;
	}
	if ((guint)cause <= UB_FAILURE_CAUSE_CANCELLED &&
	    ub_restore_report_cause_rank(cause) > ub_restore_report_cause_rank(self->cause)) {
		self->cause = cause;
		g_free(self->cause_line);
		self->cause_line = g_strdup(event->text);
	}
}

void
ub_restore_report_apply_event(UbRestoreReport *self, const UbEngineEvent *event)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(event != NULL);

	switch (event->kind) {
	case UB_ENGINE_EVENT_ENGINE_VERSION:
		if (self->engine_version == NULL && event->text != NULL)
			self->engine_version = g_strdup(event->text);
		break;
	case UB_ENGINE_EVENT_STAGE:
		if ((guint)event->stage < UB_RESTORE_N_STAGES)
			ub_restore_report_advance(self, event->stage);
		break;
	case UB_ENGINE_EVENT_PROGRESS:
		ub_restore_report_apply_progress(self, event);
		break;
	case UB_ENGINE_EVENT_ERROR:
	case UB_ENGINE_EVENT_DEVICE_STATUS:
		ub_restore_report_apply_failure(self, event);
		break;
	case UB_ENGINE_EVENT_RESTORE_FINISHED:
		self->restore_finished = TRUE;
		ub_restore_report_advance(self, UB_RESTORE_STAGE_FINISHING);
		self->in_burst = FALSE;
		break;
	case UB_ENGINE_EVENT_DONE:
		self->done = TRUE;
		break;
	case UB_ENGINE_EVENT_DEVICE_MODE:
	case UB_ENGINE_EVENT_WARNING:
	default:
		break;
	}
}

static void
ub_restore_report_append_transcript(UbRestoreReport *self, const gchar *line, gsize length)
{
	g_autofree gchar *valid = NULL;
	gsize needed;

	if (self->transcript_truncated)
		return;
	/* NUL and invalid bytes become U+FFFD */
	valid = g_utf8_make_valid(line, (gssize)length);
	needed = strlen(valid) + (self->n_lines > 0 ? 1 : 0);
	if (self->transcript->len + needed > UB_RESTORE_REPORT_TRANSCRIPT_MAX) {
		self->transcript_truncated = TRUE;
		g_string_append(self->transcript, UB_RESTORE_REPORT_TRUNCATED_NOTE);
		return;
	}
	if (self->n_lines > 0)
		g_string_append_c(self->transcript, '\n');
	g_string_append(self->transcript, valid);
}

GPtrArray *
ub_restore_report_add_line(UbRestoreReport *self, const gchar *line, gssize length)
{
	g_autoptr(GPtrArray) events = NULL;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(line != NULL || length <= 0, NULL);

	if (line == NULL) {
		line = "";
		length = 0;
	}
	if (length < 0)
		length = (gssize)strlen(line);
	ub_restore_report_append_transcript(self, line, (gsize)length);
	self->n_lines++;

	events = ub_engine_parse_line(line, length);
	for (guint i = 0; i < events->len; i++)
		ub_restore_report_apply_event(self, g_ptr_array_index(events, i));
	return g_steal_pointer(&events);
}

void
ub_restore_report_add_text(UbRestoreReport *self, const gchar *text, gssize length)
{
	const gchar *end;

	g_return_if_fail(self != NULL);
	g_return_if_fail(text != NULL || length <= 0);

	if (text == NULL)
		return;
	if (length < 0)
		length = (gssize)strlen(text);
	end = text + length;
	while (text < end) {
		const gchar *newline = memchr(text, '\n', (gsize)(end - text));
		const gchar *line_end = newline != NULL ? newline : end;
		gsize line_len = (gsize)(line_end - text);
		g_autoptr(GPtrArray) events = NULL;

		/* a log saved on Windows */
		if (line_len > 0 && text[line_len - 1] == '\r')
			line_len--;
		events = ub_restore_report_add_line(self, text, (gssize)line_len);
		text = newline != NULL ? newline + 1 : end;
	}
}

UbRestoreStage
ub_restore_report_get_stage(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, UB_RESTORE_STAGE_PREPARING);
	return self->stage;
}

gdouble
ub_restore_report_get_stage_progress(UbRestoreReport *self, UbRestoreStage stage)
{
	g_return_val_if_fail(self != NULL, 0.0);
	g_return_val_if_fail((guint)stage < UB_RESTORE_N_STAGES, 0.0);

	/* the device finished: stages it skipped (no baseband) are done too */
	if (self->restore_finished)
		return 1.0;
	return self->progress[stage];
}

gdouble
ub_restore_report_get_overall_progress(UbRestoreReport *self)
{
	gdouble done = 0.0;
	guint total = 0;

	g_return_val_if_fail(self != NULL, 0.0);

	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		done += stage_weights[i] * ub_restore_report_get_stage_progress(self, i);
		total += stage_weights[i];
	}
	return CLAMP(done / total, 0.0, 1.0);
}

const gchar *
ub_restore_report_get_engine_version(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->engine_version;
}

const gchar *
ub_restore_report_get_last_error(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (self->cause != UB_FAILURE_CAUSE_UNKNOWN)
		return self->cause_line;
	return self->burst_first;
}

gint64
ub_restore_report_get_device_status(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, -1);
	return self->device_status;
}

gboolean
ub_restore_report_get_restore_finished(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->restore_finished;
}

gboolean
ub_restore_report_get_done(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->done;
}

UbFailureCause
ub_restore_report_get_cause(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, UB_FAILURE_CAUSE_UNKNOWN);
	return self->cause;
}

gboolean
ub_restore_report_get_failure_seen(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->failure_seen;
}

UbRestoreOutcome
ub_restore_report_get_outcome(UbRestoreReport *self, gint exit_status)
{
	g_return_val_if_fail(self != NULL, UB_RESTORE_OUTCOME_UNKNOWN);

	/* "DONE" alone is not enough: 1.0.0 prints it after some failures */
	if (self->restore_finished && !self->failure_after_finished &&
	    (exit_status == 0 || exit_status == -1))
		return UB_RESTORE_OUTCOME_SUCCESS;
	if (exit_status > 0 || exit_status < -1 || self->failure_seen)
		return UB_RESTORE_OUTCOME_FAILURE;
	return UB_RESTORE_OUTCOME_UNKNOWN;
}

const gchar *
ub_restore_report_get_transcript(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->transcript->str;
}

gboolean
ub_restore_report_get_transcript_truncated(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->transcript_truncated;
}

guint
ub_restore_report_get_n_lines(UbRestoreReport *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->n_lines;
}

static void
ub_restore_report_add_string_or_null(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

gchar *
ub_restore_report_to_json(UbRestoreReport *self, gint exit_status, const gchar *const *cards)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	UbRestoreOutcome outcome;

	g_return_val_if_fail(self != NULL, NULL);

	outcome = ub_restore_report_get_outcome(self, exit_status);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "outcome");
	json_builder_add_string_value(builder, ub_restore_outcome_to_id(outcome));
	json_builder_set_member_name(builder, "cause");
	json_builder_add_string_value(builder, ub_failure_cause_to_id(self->cause));
	ub_restore_report_add_string_or_null(builder, "engine_version", self->engine_version);

	json_builder_set_member_name(builder, "stages");
	json_builder_begin_array(builder);
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		gdouble progress = ub_restore_report_get_stage_progress(self, i);

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, ub_restore_stage_to_id(i));
		json_builder_set_member_name(builder, "progress");
		/* three decimals are plenty and read back as short numbers */
		json_builder_add_double_value(builder, (gint)(progress * 1000.0 + 0.5) / 1000.0);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);

	ub_restore_report_add_string_or_null(
	    builder, "last_error", ub_restore_report_get_last_error(self));

	json_builder_set_member_name(builder, "cards");
	json_builder_begin_array(builder);
	for (guint i = 0; cards != NULL && cards[i] != NULL; i++)
		json_builder_add_string_value(builder, cards[i]);
	json_builder_end_array(builder);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, NULL);
	return g_strconcat(data, "\n", NULL);
}
