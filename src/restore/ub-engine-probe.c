/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-engine-probe"

#include "config.h"

#include "ub-engine-info-private.h"
#include "ub-engine-scan-private.h"
#include "ub-error.h"
#include "ub-idevicerestore-engine-private.h"

#define UB_ENGINE_PROBE_TIMEOUT_MS 10000
/* a version banner is one line, the loader's list a few dozen; anything
 * far longer is neither */
#define UB_ENGINE_PROBE_MAX_OUTPUT (64 * 1024)
#define UB_ENGINE_PROBE_READ_CHUNK 4096
/* idevicerestore is a few hundred KiB, libirecovery about 100 KiB */
#define UB_ENGINE_PROBE_MAX_PROGRAM (64 * 1024 * 1024)
#define UB_ENGINE_PROBE_MAX_LIBRARY (16 * 1024 * 1024)
#define UB_ENGINE_PROBE_LIBIRECOVERY "libirecovery-1.0.so"

/* one run of the engine: its output, bounded in size and time */

typedef struct {
	gchar *path;
	GSubprocess *subprocess;
	GInputStream *stream;
	GByteArray *output;
	guint8 *chunk;
	GCancellable *io_cancellable;
	GSource *timeout_source;
	GSource *cancel_source;
	guint timeout_ms;
	gboolean timed_out;
	gboolean cancelled;
} UbEngineRun;

static void
ub_engine_run_free(UbEngineRun *run)
{
	if (run->timeout_source != NULL) {
		g_source_destroy(run->timeout_source);
		g_source_unref(run->timeout_source);
	}
	if (run->cancel_source != NULL) {
		g_source_destroy(run->cancel_source);
		g_source_unref(run->cancel_source);
	}
	g_free(run->path);
	g_clear_object(&run->subprocess);
	g_clear_object(&run->stream);
	g_clear_pointer(&run->output, g_byte_array_unref);
	g_free(run->chunk);
	g_clear_object(&run->io_cancellable);
	g_free(run);
}

/* the sources hold the task: drop them before returning, or it never goes */
static void
ub_engine_run_stop(UbEngineRun *run)
{
	if (run->timeout_source != NULL) {
		g_source_destroy(run->timeout_source);
		g_clear_pointer(&run->timeout_source, g_source_unref);
	}
	if (run->cancel_source != NULL) {
		g_source_destroy(run->cancel_source);
		g_clear_pointer(&run->cancel_source, g_source_unref);
	}
	if (run->subprocess != NULL)
		g_subprocess_force_exit(run->subprocess);
}

static void
ub_engine_run_return_error(GTask *task, GError *error)
{
	UbEngineRun *run = g_task_get_task_data(task);

	ub_engine_run_stop(run);
	if (run->timed_out) {
		g_error_free(error);
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_TIMED_OUT,
					"%s did not finish within %u s",
					run->path,
					run->timeout_ms / 1000);
		return;
	}
	if (run->cancelled) {
		g_error_free(error);
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the probe was cancelled");
		return;
	}
	g_task_return_error(task, error);
}

static void
ub_engine_run_wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!g_subprocess_wait_finish(G_SUBPROCESS(source), result, &error)) {
		ub_engine_run_return_error(task, g_steal_pointer(&error));
		return;
	}
	ub_engine_run_stop(run);
	g_task_return_boolean(task, TRUE);
}

static void
ub_engine_run_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	gssize n_read = 0;

	n_read = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
	if (n_read < 0) {
		g_prefix_error(&error, "failed to read the output of %s: ", run->path);
		ub_engine_run_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (n_read > 0 && run->output->len < UB_ENGINE_PROBE_MAX_OUTPUT) {
		g_byte_array_append(run->output, run->chunk, (guint)n_read);
		g_input_stream_read_async(run->stream,
					  run->chunk,
					  UB_ENGINE_PROBE_READ_CHUNK,
					  G_PRIORITY_DEFAULT,
					  run->io_cancellable,
					  ub_engine_run_read_cb,
					  g_steal_pointer(&task));
		return;
	}

	/* the end of the output, or more than any answer: the program has
	 * said what it had to say */
	if (n_read > 0)
		g_subprocess_force_exit(run->subprocess);
	g_subprocess_wait_async(
	    run->subprocess, run->io_cancellable, ub_engine_run_wait_cb, g_steal_pointer(&task));
}

static gboolean
ub_engine_run_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineRun *run = g_task_get_task_data(task);

	g_clear_pointer(&run->timeout_source, g_source_unref);
	run->timed_out = TRUE;
	g_subprocess_force_exit(run->subprocess);
	g_cancellable_cancel(run->io_cancellable);
	return G_SOURCE_REMOVE;
}

static gboolean
ub_engine_run_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineRun *run = g_task_get_task_data(task);

	g_clear_pointer(&run->cancel_source, g_source_unref);
	run->cancelled = TRUE;
	g_subprocess_force_exit(run->subprocess);
	g_cancellable_cancel(run->io_cancellable);
	return G_SOURCE_REMOVE;
}

/* runs `PATH ARGUMENT` (no argument when NULL) with @env_name=@env_value
 * set when given; stdout and stderr together */
static void
ub_engine_run_async(const gchar *path,
		    const gchar *argument,
		    const gchar *env_name,
		    const gchar *env_value,
		    guint timeout_ms,
		    GCancellable *cancellable,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) error = NULL;
	UbEngineRun *run = g_new0(UbEngineRun, 1);
	const gchar *argv[3] = {path, argument, NULL};

	g_task_set_source_tag(task, ub_engine_run_async);
	run->path = g_strdup(path);
	run->timeout_ms = timeout_ms;
	run->output = g_byte_array_new();
	run->chunk = g_malloc(UB_ENGINE_PROBE_READ_CHUNK);
	run->io_cancellable = g_cancellable_new();
	g_task_set_task_data(task, run, (GDestroyNotify)ub_engine_run_free);
	if (g_task_return_error_if_cancelled(task))
		return;

	launcher = _ub_idevicerestore_engine_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
							  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
							  G_SUBPROCESS_FLAGS_STDERR_MERGE);
	if (env_name != NULL)
		g_subprocess_launcher_setenv(launcher, env_name, env_value, TRUE);
	run->subprocess = g_subprocess_launcher_spawnv(launcher, argv, &error);
	if (run->subprocess == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_FOUND,
					"failed to run %s: %s",
					path,
					error->message);
		return;
	}
	if (!g_output_stream_close(g_subprocess_get_stdin_pipe(run->subprocess), NULL, &error)) {
		g_debug("closing stdin of %s failed: %s", path, error->message);
		g_clear_error(&error);
	}
	run->stream = g_object_ref(g_subprocess_get_stdout_pipe(run->subprocess));

	run->timeout_source = g_timeout_source_new(timeout_ms);
	g_task_attach_source(task, run->timeout_source, ub_engine_run_timeout_cb);
	if (cancellable != NULL) {
		run->cancel_source = g_cancellable_source_new(cancellable);
		g_task_attach_source(task,
				     run->cancel_source,
				     (GSourceFunc)(void (*)(void))ub_engine_run_cancelled_cb);
	}
	g_input_stream_read_async(run->stream,
				  run->chunk,
				  UB_ENGINE_PROBE_READ_CHUNK,
				  G_PRIORITY_DEFAULT,
				  run->io_cancellable,
				  ub_engine_run_read_cb,
				  g_steal_pointer(&task));
}

/* the output as valid UTF-8; with the exit status (-1 when it did not exit) */
static gchar *
ub_engine_run_finish(GAsyncResult *result, gint *exit_status, GError **error)
{
	GTask *task = G_TASK(result);
	UbEngineRun *run = g_task_get_task_data(task);

	g_return_val_if_fail(g_async_result_is_tagged(result, ub_engine_run_async), NULL);

	if (!g_task_propagate_boolean(task, error))
		return NULL;
	if (exit_status != NULL)
		*exit_status = g_subprocess_get_if_exited(run->subprocess)
				   ? g_subprocess_get_exit_status(run->subprocess)
				   : -1;
	return g_utf8_make_valid(run->output->len > 0 ? (const gchar *)run->output->data : "",
				 (gssize)run->output->len);
}

/* the probe: `-v`, the loader's list, then reading both files */

typedef struct {
	gchar *path;
	guint timeout_ms;
	UbEngineInfo *info;
	gchar *libirecovery_path;
} UbEngineProbe;

static void
ub_engine_probe_free(UbEngineProbe *probe)
{
	g_free(probe->path);
	g_clear_pointer(&probe->info, ub_engine_info_unref);
	g_free(probe->libirecovery_path);
	g_free(probe);
}

static void
ub_engine_probe_read_thread_cb(GTask *task,
			       gpointer source_object,
			       gpointer task_data,
			       GCancellable *cancellable)
{
	UbEngineProbe *probe = task_data;
	g_autoptr(GBytes) program = NULL;
	g_autoptr(GBytes) library = NULL;
	g_autoptr(GError) error = NULL;

	program = _ub_engine_scan_read(probe->path, UB_ENGINE_PROBE_MAX_PROGRAM, &error);
	if (program == NULL) {
		g_debug("not reading the engine: %s", error->message);
		g_clear_error(&error);
	}
	if (probe->libirecovery_path != NULL) {
		library = _ub_engine_scan_read(
		    probe->libirecovery_path, UB_ENGINE_PROBE_MAX_LIBRARY, &error);
		if (library == NULL)
			g_debug("not reading its libirecovery: %s", error->message);
	}
	_ub_engine_info_set_binary(probe->info, program, probe->libirecovery_path, library);
	g_debug("%s: idevicerestore %s, generation %s, libirecovery %s",
		probe->path,
		ub_engine_info_get_version(probe->info),
		ub_engine_info_get_generation(probe->info) != NULL
		    ? ub_engine_info_get_generation(probe->info)
		    : "unknown",
		probe->libirecovery_path != NULL ? probe->libirecovery_path : "unknown");
	g_task_return_pointer(
	    task, ub_engine_info_ref(probe->info), (GDestroyNotify)ub_engine_info_unref);
}

static void
ub_engine_probe_trace_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineProbe *probe = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = NULL;

	/* the loader's answer only adds detail: without it the engine is
	 * judged by its banner and its own bytes */
	trace = ub_engine_run_finish(result, NULL, &error);
	if (trace == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (trace == NULL)
		g_debug("no library list for %s: %s", probe->path, error->message);
	else
		probe->libirecovery_path =
		    _ub_engine_scan_library_path(trace, UB_ENGINE_PROBE_LIBIRECOVERY);
	if (g_task_return_error_if_cancelled(task))
		return;
	g_task_run_in_thread(task, ub_engine_probe_read_thread_cb);
}

static void
ub_engine_probe_version_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineProbe *probe = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	gint exit_status = -1;

	text = ub_engine_run_finish(result, &exit_status, &error);
	if (text == NULL) {
		if (g_error_matches(error, UB_ERROR, UB_ERROR_TIMED_OUT))
			g_prefix_error(&error, "%s -v: ", probe->path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	probe->info = ub_engine_info_parse(text, &error);
	if (probe->info == NULL) {
		if (exit_status > 0)
			g_prefix_error(
			    &error, "%s -v exited with status %d: ", probe->path, exit_status);
		else
			g_prefix_error(&error, "%s -v: ", probe->path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	/* glibc's loader lists the libraries and stops, as ldd does; a
	 * program it does not load runs with no arguments, which makes
	 * idevicerestore print its usage */
	ub_engine_run_async(probe->path,
			    NULL,
			    "LD_TRACE_LOADED_OBJECTS",
			    "1",
			    probe->timeout_ms,
			    g_task_get_cancellable(task),
			    ub_engine_probe_trace_cb,
			    g_object_ref(task));
}

void
_ub_engine_info_probe_full_async(const gchar *engine_path,
				 guint timeout_ms,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	UbEngineProbe *probe = NULL;

	g_return_if_fail(engine_path != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_engine_info_probe_async);
	if (g_task_return_error_if_cancelled(task))
		return;

	probe = g_new0(UbEngineProbe, 1);
	probe->timeout_ms = timeout_ms;
	g_task_set_task_data(task, probe, (GDestroyNotify)ub_engine_probe_free);
	probe->path = _ub_idevicerestore_engine_find(engine_path, &error);
	if (probe->path == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	ub_engine_run_async(probe->path,
			    "-v",
			    NULL,
			    NULL,
			    timeout_ms,
			    cancellable,
			    ub_engine_probe_version_cb,
			    g_object_ref(task));
}

/**
 * ub_engine_info_probe_async:
 * @engine_path: "idevicerestore" (looked up in $PATH) or a path
 * @cancellable: (nullable): stops the probe
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Runs `ENGINE -v` with LC_ALL=C, stdout and stderr together, for at most
 * 10 s; then asks the dynamic loader which libirecovery the engine loads
 * and reads the engine and that library on a worker thread.
 */
void
ub_engine_info_probe_async(const gchar *engine_path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	_ub_engine_info_probe_full_async(
	    engine_path, UB_ENGINE_PROBE_TIMEOUT_MS, cancellable, callback, user_data);
}

/**
 * ub_engine_info_probe_finish:
 * @result: the result given to the callback
 * @error: (nullable): return location for an error
 *
 * Returns: (transfer full) (nullable): the engine's description, or %NULL
 * with UB_ERROR_NOT_FOUND (no such program), UB_ERROR_TIMED_OUT,
 * UB_ERROR_INVALID_DATA (it printed something else) or
 * G_IO_ERROR_CANCELLED
 */
UbEngineInfo *
ub_engine_info_probe_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(g_async_result_is_tagged(result, ub_engine_info_probe_async), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}
