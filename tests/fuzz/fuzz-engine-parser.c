/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-fuzz"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ub-engine-parser.h"
#include "ub-restore-report.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const gchar *text)
{
	if (text == NULL)
		return;
	if (!g_utf8_validate(text, -1, NULL) || strlen(text) > UB_ENGINE_EVENT_TEXT_MAX)
		abort();
}

/* the input as one line and as a whole log */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) events = ub_engine_parse_line((const gchar *)data, (gssize)size);
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();
	g_autofree gchar *json = NULL;

	for (guint i = 0; i < events->len; i++) {
		UbEngineEvent *event = g_ptr_array_index(events, i);

		check_text(event->text);
		if (event->kind == UB_ENGINE_EVENT_PROGRESS &&
		    (!(event->fraction >= 0.0 && event->fraction <= 1.0) ||
		     (event->stage != UB_RESTORE_STAGE_CURRENT &&
		      (guint)event->stage >= UB_RESTORE_N_STAGES)))
			abort();
	}

	ub_restore_report_add_text(report, (const gchar *)data, (gssize)size);
	json = ub_restore_report_to_json(report, -1, NULL);
	if (!g_utf8_validate(json, -1, NULL))
		abort();
	check_text(ub_restore_report_get_last_error(report));
	if (!g_utf8_validate(ub_restore_report_get_transcript(report), -1, NULL))
		abort();
	if (!(ub_restore_report_get_overall_progress(report) >= 0.0 &&
	      ub_restore_report_get_overall_progress(report) <= 1.0))
		abort();
	return 0;
}
