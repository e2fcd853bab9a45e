/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-explain-log"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ub-diagnosis.h"
#include "ub-error.h"
#include "ub-explain-log.h"
#include "ub-restore-report.h"

#define UB_EXPLAIN_LOG_CHUNK (1024 * 1024)

static GBytes *
ub_explain_log_read(const gchar *path, GError **error)
{
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GByteArray) data = g_byte_array_new();

	if (g_strcmp0(path, "-") == 0) {
		stream = g_unix_input_stream_new(STDIN_FILENO, FALSE);
	} else {
		g_autoptr(GFile) file = g_file_new_for_path(path);
		g_autoptr(GFileInfo) info = NULL;

		stream = G_INPUT_STREAM(g_file_read(file, NULL, error));
		if (stream == NULL)
			return NULL;
		/* refuse a huge file before reading it; pipes and devices
		 * are caught by the limit below */
		info = g_file_input_stream_query_info(
		    G_FILE_INPUT_STREAM(stream), G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
		if (info != NULL &&
		    g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
		    g_file_info_get_size(info) > UB_EXPLAIN_LOG_MAX_SIZE) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    /* TRANSLATORS: %s is a file name */
				    _("%s is larger than 256 MiB, too large for a log"),
				    path);
			return NULL;
		}
	}

	for (;;) {
		guint old_len = data->len;
		gsize bytes_read = 0;

		g_byte_array_set_size(data, old_len + UB_EXPLAIN_LOG_CHUNK);
		if (!g_input_stream_read_all(stream,
					     data->data + old_len,
					     UB_EXPLAIN_LOG_CHUNK,
					     &bytes_read,
					     NULL,
					     error))
			return NULL;
		g_byte_array_set_size(data, old_len + (guint)bytes_read);
		if (data->len > UB_EXPLAIN_LOG_MAX_SIZE) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("%s is larger than 256 MiB, too large for a log"),
				    path);
			return NULL;
		}
		if (bytes_read < UB_EXPLAIN_LOG_CHUNK)
			break;
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&data));
}

static UbRestoreReport *
report_from_bytes(GBytes *bytes)
{
	UbRestoreReport *report = ub_restore_report_new();
	gsize size = 0;
	const gchar *data = g_bytes_get_data(bytes, &size);

	if (size > 0)
		ub_restore_report_add_text(report, data, (gssize)size);
	return report;
}

/* what the diagnosis would show for this failure on a device with no
 * history: the log cannot say what was tried before */
static GStrv
dup_card_ids(UbRestoreReport *report)
{
	g_autoptr(GStrvBuilder) ids = g_strv_builder_new();
	g_autoptr(UbDiagnosis) diagnosis = NULL;
	g_autoptr(UbDiagnosisResult) result = NULL;
	UbDiagnosisInput input = {
	    .cause = ub_restore_report_get_cause(report),
	    .device_status = ub_restore_report_get_device_status(report),
	    .kind = UB_RESTORE_KIND_UPDATE,
	    .start_mode = UB_DEVICE_MODE_RECOVERY,
	    .end_mode = UB_DEVICE_MODE_DISCONNECTED,
	};

	if (ub_restore_report_get_outcome(report, -1) != UB_RESTORE_OUTCOME_FAILURE)
		return g_strv_builder_end(ids);
	diagnosis = ub_diagnosis_new(NULL, NULL);
	result = ub_diagnosis_record_failure(diagnosis, 0, &input);
	for (guint i = 0; i < result->cards->len; i++)
		g_strv_builder_add(ids, ub_card_get_id(g_ptr_array_index(result->cards, i)));
	return g_strv_builder_end(ids);
}

gchar *
ub_explain_log_file(const gchar *path, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(UbRestoreReport) report = NULL;
	g_auto(GStrv) cards = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	bytes = ub_explain_log_read(path, error);
	if (bytes == NULL)
		return NULL;
	report = report_from_bytes(bytes);
	cards = dup_card_ids(report);
	return ub_restore_report_to_json(report, -1, (const gchar *const *)cards);
}

static void
report_thread_cb(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	const gchar *path = g_object_get_data(G_OBJECT(task), "path");
	g_autoptr(GBytes) bytes = NULL;
	GError *error = NULL;

	if (path != NULL)
		bytes = ub_explain_log_read(path, &error);
	else
		bytes = g_bytes_ref(task_data);
	if (bytes == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(
	    task, report_from_bytes(bytes), (GDestroyNotify)ub_restore_report_free);
}

void
ub_explain_log_report_async(const gchar *path,
			    GBytes *text,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

	g_return_if_fail(path != NULL || text != NULL);

	g_task_set_source_tag(task, ub_explain_log_report_async);
	if (path != NULL)
		g_object_set_data_full(G_OBJECT(task), "path", g_strdup(path), g_free);
	else
		g_task_set_task_data(task, g_bytes_ref(text), (GDestroyNotify)g_bytes_unref);
	g_task_run_in_thread(task, report_thread_cb);
}

UbRestoreReport *
ub_explain_log_report_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

gboolean
ub_explain_log_handle_args(gint argc, gchar **argv, gint *exit_status)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	const gchar *path = NULL;
	gboolean found = FALSE;

	g_return_val_if_fail(argc == 0 || argv != NULL, FALSE);
	g_return_val_if_fail(exit_status != NULL, FALSE);

	for (gint i = 1; i < argc && argv[i] != NULL; i++) {
		if (g_strcmp0(argv[i], "--") == 0)
			break;
		if (g_strcmp0(argv[i], "--explain-log") == 0) {
			found = TRUE;
			path = i + 1 < argc ? argv[i + 1] : NULL;
			break;
		}
		if (g_str_has_prefix(argv[i], "--explain-log=")) {
			found = TRUE;
			path = argv[i] + strlen("--explain-log=");
			break;
		}
	}
	if (!found)
		return FALSE;

	if (path == NULL || path[0] == '\0') {
		/* TRANSLATORS: "-" is typed as is */
		g_printerr("unbrick: %s\n",
			   _("--explain-log needs a FILE, or - for standard input"));
		*exit_status = 1;
		return TRUE;
	}
	json = ub_explain_log_file(path, &error);
	if (json == NULL) {
		g_printerr("unbrick: %s\n", error->message);
		*exit_status = 1;
		return TRUE;
	}

	/* bytes as they are: g_print() would convert to the locale's charset,
	 * and JSON is UTF-8 */
	if (fwrite(json, 1, strlen(json), stdout) != strlen(json) || fflush(stdout) != 0) {
		g_printerr("unbrick: %s\n", g_strerror(errno));
		*exit_status = 1;
		return TRUE;
	}
	*exit_status = 0;
	return TRUE;
}
