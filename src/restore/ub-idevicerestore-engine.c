/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-idevicerestore-engine"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ub-error.h"
#include "ub-idevicerestore-engine-private.h"
#include "ub-idevicerestore-engine.h"

#define UB_IDEVICERESTORE_ENGINE_DEFAULT_NAME "idevicerestore"
#define UB_IDEVICERESTORE_ENGINE_DEFAULT_KILL_GRACE_MS 30000
/* a single line longer than this is cut into pieces: the parser never has to
 * hold an unbounded line, and a runaway engine cannot eat all memory */
#define UB_IDEVICERESTORE_ENGINE_MAX_LINE (1024 * 1024)
#define UB_IDEVICERESTORE_ENGINE_READ_CHUNK (64 * 1024)
/* after the engine exited, how long its pipes may stay open (held by a
 * child of its own) before the rest of the output is given up */
#define UB_IDEVICERESTORE_ENGINE_DRAIN_MS 10000

typedef enum {
	UB_LINE_CR_NONE,
	UB_LINE_CR_AFTER_TEXT,	/* a "\r" ended a line: a "\n" next is part of that break */
	UB_LINE_CR_AFTER_EMPTY, /* a "\r" on an empty line: a "\n" next ends an empty line */
} UbLineCr;

typedef struct {
	const gchar *name; /* "stdout" or "stderr", for debug messages */
	GInputStream *stream;
	GByteArray *line;
	guint8 *chunk;
	UbLineCr cr;
	gboolean eof;
} UbLineReader;

typedef struct {
	UbIdevicerestoreEngine *self; /* the task's source object */
	GSubprocess *subprocess;
	UbLineReader readers[2];
	GCancellable *io_cancellable; /* only to give up on pipes that never close */
	GSource *cancel_source;
	GSource *kill_source;
	GSource *drain_source;
	gchar *tmp_dir; /* removed after the run */
	gchar *pid;
	gboolean exited;
	gint exit_status;
	gint term_sig;
	gboolean stop_requested;
	gboolean disposed;
	gboolean completed;
} UbEngineRun;

struct _UbIdevicerestoreEngine {
	GObject parent_instance;

	gchar *engine_path;
	guint kill_grace_ms;
	GTask *task; /* the run in progress, borrowed: the task owns the engine */
};

static void
ub_idevicerestore_engine_iface_init(UbRestoreEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbIdevicerestoreEngine,
			      ub_idevicerestore_engine,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_RESTORE_ENGINE,
						    ub_idevicerestore_engine_iface_init))

static void
ub_line_reader_clear(UbLineReader *reader)
{
	g_clear_object(&reader->stream);
	g_clear_pointer(&reader->line, g_byte_array_unref);
	g_clear_pointer(&reader->chunk, g_free);
}

static void
ub_engine_run_clear_sources(UbEngineRun *run)
{
	if (run->cancel_source != NULL) {
		g_source_destroy(run->cancel_source);
		g_clear_pointer(&run->cancel_source, g_source_unref);
	}
	if (run->kill_source != NULL) {
		g_source_destroy(run->kill_source);
		g_clear_pointer(&run->kill_source, g_source_unref);
	}
	if (run->drain_source != NULL) {
		g_source_destroy(run->drain_source);
		g_clear_pointer(&run->drain_source, g_source_unref);
	}
}

static void
ub_engine_run_free(UbEngineRun *run)
{
	ub_engine_run_clear_sources(run);
	for (guint i = 0; i < G_N_ELEMENTS(run->readers); i++)
		ub_line_reader_clear(&run->readers[i]);
	g_clear_object(&run->subprocess);
	g_clear_object(&run->io_cancellable);
	g_free(run->tmp_dir);
	g_free(run->pid);
	g_free(run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbEngineRun, ub_engine_run_free)

/* helpers shared with UbEngineInfo */

gchar *
_ub_idevicerestore_engine_find(const gchar *engine_path, GError **error)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(engine_path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (strchr(engine_path, '/') == NULL) {
		g_autofree gchar *found = g_find_program_in_path(engine_path);

		if (found == NULL) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_NOT_FOUND,
				    /* TRANSLATORS: %s is a program name, "idevicerestore" */
				    _("%s is not installed"),
				    engine_path);
			return NULL;
		}
		/* $PATH may hold relative entries */
		return g_canonicalize_filename(found, NULL);
	}

	/* the engine runs in another directory, so a relative path would
	 * point somewhere else there */
	path = g_canonicalize_filename(engine_path, NULL);
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) ||
	    !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    /* TRANSLATORS: %s is the path of the idevicerestore program */
			    _("idevicerestore is not installed: there is no program %s"),
			    path);
		return NULL;
	}
	return g_steal_pointer(&path);
}

#ifdef __linux__
static void
ub_idevicerestore_engine_child_setup(gpointer user_data)
{
	pid_t parent = (pid_t)GPOINTER_TO_INT(user_data);

	/* async-signal-safe calls only: this runs between fork and exec */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		(void)kill(getpid(), SIGTERM);
}
#endif

GSubprocessLauncher *
_ub_idevicerestore_engine_launcher_new(GSubprocessFlags flags)
{
	GSubprocessLauncher *launcher = g_subprocess_launcher_new(flags);

	/* the parser reads English text */
	g_subprocess_launcher_setenv(launcher, "LC_ALL", "C", TRUE);
#ifdef __linux__
	/* never leave an orphan that goes on writing to a device nobody
	 * watches: the signal is tied to the spawning thread, the main one */
	g_subprocess_launcher_set_child_setup(
	    launcher, ub_idevicerestore_engine_child_setup, GINT_TO_POINTER((gint)getpid()), NULL);
#endif
	return launcher;
}

/* argv */

static gboolean
ub_idevicerestore_engine_check_request(const UbRestoreRequest *request, GError **error)
{
	if (request->ecid == 0) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the request names no device: its ECID is 0");
		return FALSE;
	}
	if (request->firmware_path == NULL || request->firmware_path[0] == '\0') {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "the request names no firmware");
		return FALSE;
	}
	if (!g_file_test(request->firmware_path, G_FILE_TEST_EXISTS)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    _("The firmware file %s is gone"),
			    request->firmware_path);
		return FALSE;
	}
	if (request->cache_dir != NULL && request->cache_dir[0] == '\0') {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "the cache directory is empty");
		return FALSE;
	}
	return TRUE;
}

/**
 * ub_idevicerestore_engine_build_argv:
 * @self: a #UbIdevicerestoreEngine
 * @request: what to restore
 * @error: (nullable): return location for an error
 *
 * `ENGINE -P -y -i 0xECID [-e] [-C CACHE_DIR] FIRMWARE`: plain progress
 * lines, no prompts, the one device, erase only when asked. Paths are made
 * absolute because the engine runs in its own directory; that also means no
 * path can be taken for an option.
 *
 * Returns: (transfer full): the argv, or %NULL with UB_ERROR_NOT_FOUND (no
 * engine, no firmware) or UB_ERROR_INVALID_DATA (a bad request)
 */
GStrv
ub_idevicerestore_engine_build_argv(UbIdevicerestoreEngine *self,
				    const UbRestoreRequest *request,
				    GError **error)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	g_autofree gchar *engine = NULL;
	g_autofree gchar *ecid = NULL;
	g_autofree gchar *firmware = NULL;

	g_return_val_if_fail(UB_IS_IDEVICERESTORE_ENGINE(self), NULL);
	g_return_val_if_fail(request != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	engine = _ub_idevicerestore_engine_find(self->engine_path, error);
	if (engine == NULL)
		return NULL;
	if (!ub_idevicerestore_engine_check_request(request, error))
		return NULL;

	ecid = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", request->ecid);
	firmware = g_canonicalize_filename(request->firmware_path, NULL);

	g_strv_builder_add(builder, engine);
	g_strv_builder_add_many(builder, "-P", "-y", "-i", ecid, NULL);
	if (request->kind == UB_RESTORE_KIND_ERASE)
		g_strv_builder_add(builder, "-e");
	if (request->cache_dir != NULL) {
		g_autofree gchar *cache_dir = g_canonicalize_filename(request->cache_dir, NULL);
		g_strv_builder_add_many(builder, "-C", cache_dir, NULL);
	}
	g_strv_builder_add(builder, firmware);
	return g_strv_builder_end(builder);
}

/* a run */

static void
ub_engine_run_emit(UbEngineRun *run, const gchar *line)
{
	ub_restore_engine_emit_output_line(UB_RESTORE_ENGINE(run->self), line);
}

static void
ub_line_reader_emit(UbEngineRun *run, UbLineReader *reader)
{
	g_autofree gchar *text = NULL;

	/* the bytes are whatever the engine printed; the signal carries UTF-8 */
	text = g_utf8_make_valid(reader->line->len > 0 ? (const gchar *)reader->line->data : "",
				 (gssize)reader->line->len);
	g_byte_array_set_size(reader->line, 0);
	ub_engine_run_emit(run, text);
}

/* lines end at "\n", "\r\n" or "\r" (a progress bar redrawn); a "\r" at the
 * start of an empty line moves nothing and ends no line */
static void
ub_line_reader_feed(UbEngineRun *run, UbLineReader *reader, const guint8 *data, gsize length)
{
	gsize pos = 0;

	while (pos < length) {
		gsize end = pos;

		if (data[pos] == '\n') {
			if (reader->cr != UB_LINE_CR_AFTER_TEXT)
				ub_line_reader_emit(run, reader);
			reader->cr = UB_LINE_CR_NONE;
			pos++;
			continue;
		}
		if (data[pos] == '\r') {
			if (reader->line->len > 0) {
				ub_line_reader_emit(run, reader);
				reader->cr = UB_LINE_CR_AFTER_TEXT;
			} else if (reader->cr != UB_LINE_CR_AFTER_TEXT) {
				reader->cr = UB_LINE_CR_AFTER_EMPTY;
			}
			pos++;
			continue;
		}

		reader->cr = UB_LINE_CR_NONE;
		while (end < length && data[end] != '\n' && data[end] != '\r')
			end++;
		while (pos < end) {
			gsize room = UB_IDEVICERESTORE_ENGINE_MAX_LINE - reader->line->len;
			gsize n = MIN(room, end - pos);

			g_byte_array_append(reader->line, data + pos, (guint)n);
			pos += n;
			if (reader->line->len >= UB_IDEVICERESTORE_ENGINE_MAX_LINE) {
				g_debug("a line on %s is longer than %u bytes, cut",
					reader->name,
					(guint)UB_IDEVICERESTORE_ENGINE_MAX_LINE);
				ub_line_reader_emit(run, reader);
			}
		}
	}
}

static void
ub_engine_run_remove_tmp_dir(UbEngineRun *run)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name = NULL;

	if (run->tmp_dir == NULL)
		return;

	/* newer engines leave restore_*.log here; its text was all on the
	 * console too, which the output-line signal already carried */
	dir = g_dir_open(run->tmp_dir, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(run->tmp_dir, name, NULL);
		if (g_remove(path) != 0)
			g_debug("could not remove %s", path);
	}
	if (g_rmdir(run->tmp_dir) != 0)
		g_debug("could not remove %s", run->tmp_dir);
	g_clear_pointer(&run->tmp_dir, g_free);
}

static void
ub_engine_run_complete(GTask *task)
{
	UbEngineRun *run = g_task_get_task_data(task);
	UbIdevicerestoreEngine *self = run->self;

	if (run->completed)
		return;
	if (!run->exited)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(run->readers); i++) {
		if (!run->readers[i].eof)
			return;
	}
	run->completed = TRUE;

	if (run->term_sig != 0 && !run->stop_requested && !run->disposed) {
		g_autofree gchar *line =
		    g_strdup_printf("Unbrick: the engine was killed by signal %d (%s)",
				    run->term_sig,
				    g_strsignal(run->term_sig));
		ub_engine_run_emit(run, line);
	}

	ub_engine_run_clear_sources(run);
	ub_engine_run_remove_tmp_dir(run);
	if (self->task == task)
		self->task = NULL;

	if (run->stop_requested || run->disposed) {
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the restore was stopped");
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
ub_engine_read_cb(GObject *source, GAsyncResult *result, gpointer user_data);

static void
ub_line_reader_read(GTask *task, UbLineReader *reader)
{
	UbEngineRun *run = g_task_get_task_data(task);

	g_input_stream_read_async(reader->stream,
				  reader->chunk,
				  UB_IDEVICERESTORE_ENGINE_READ_CHUNK,
				  G_PRIORITY_DEFAULT,
				  run->io_cancellable,
				  ub_engine_read_cb,
				  g_object_ref(task));
}

static void
ub_engine_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineRun *run = g_task_get_task_data(task);
	UbLineReader *reader = NULL;
	g_autoptr(GError) error = NULL;
	gssize n_read = 0;

	for (guint i = 0; i < G_N_ELEMENTS(run->readers); i++) {
		if (G_OBJECT(run->readers[i].stream) == source)
			reader = &run->readers[i];
	}
	g_assert(reader != NULL);

	n_read = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
	if (n_read < 0) {
		g_debug("reading the engine's %s ended: %s", reader->name, error->message);
		n_read = 0;
	}
	if (n_read == 0) {
		/* the last line may lack its line end */
		if (reader->line->len > 0)
			ub_line_reader_emit(run, reader);
		reader->eof = TRUE;
		ub_engine_run_complete(task);
		return;
	}
	ub_line_reader_feed(run, reader, reader->chunk, (gsize)n_read);
	ub_line_reader_read(task, reader);
}

static gboolean
ub_engine_drain_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineRun *run = g_task_get_task_data(task);

	g_debug("the engine exited but its output is still open; giving up on it");
	g_clear_pointer(&run->drain_source, g_source_unref);
	g_cancellable_cancel(run->io_cancellable);
	return G_SOURCE_REMOVE;
}

static void
ub_engine_wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineRun *run = g_task_get_task_data(task);
	GSubprocess *subprocess = G_SUBPROCESS(source);
	g_autoptr(GError) error = NULL;

	if (!g_subprocess_wait_finish(subprocess, result, &error))
		g_debug("waiting for the engine failed: %s", error->message);

	run->exited = TRUE;
	if (g_subprocess_get_if_exited(subprocess)) {
		run->exit_status = g_subprocess_get_exit_status(subprocess);
		g_debug("engine %s exited with status %d", run->pid, run->exit_status);
	} else if (g_subprocess_get_if_signaled(subprocess)) {
		run->exit_status = -1;
		run->term_sig = g_subprocess_get_term_sig(subprocess);
		g_debug("engine %s was killed by signal %d (%s)",
			run->pid,
			run->term_sig,
			g_strsignal(run->term_sig));
	} else {
		run->exit_status = -1;
	}
	if (run->kill_source != NULL) {
		g_source_destroy(run->kill_source);
		g_clear_pointer(&run->kill_source, g_source_unref);
	}

	if (!run->readers[0].eof || !run->readers[1].eof) {
		run->drain_source = g_timeout_source_new(UB_IDEVICERESTORE_ENGINE_DRAIN_MS);
		g_task_attach_source(task, run->drain_source, ub_engine_drain_timeout_cb);
	}
	ub_engine_run_complete(task);
}

static gboolean
ub_engine_kill_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineRun *run = g_task_get_task_data(task);

	g_clear_pointer(&run->kill_source, g_source_unref);
	if (run->exited)
		return G_SOURCE_REMOVE;
	g_info("engine %s did not stop; killing it", run->pid);
	ub_engine_run_emit(run, "Unbrick: the engine did not stop; killed it");
	g_subprocess_force_exit(run->subprocess);
	return G_SOURCE_REMOVE;
}

static gboolean
ub_engine_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineRun *run = g_task_get_task_data(task);

	g_clear_pointer(&run->cancel_source, g_source_unref);
	if (run->exited || run->stop_requested)
		return G_SOURCE_REMOVE;

	/* idevicerestore stops at its next check point and cleans up; a USB
	 * transfer in flight is not interrupted, hence the long grace */
	g_info("asking engine %s to stop", run->pid);
	run->stop_requested = TRUE;
	ub_engine_run_emit(run, "Unbrick: asked the engine to stop (SIGINT)");
	g_subprocess_send_signal(run->subprocess, SIGINT);

	run->kill_source = g_timeout_source_new(run->self->kill_grace_ms);
	g_task_attach_source(task, run->kill_source, ub_engine_kill_timeout_cb);
	return G_SOURCE_REMOVE;
}

static gboolean
ub_idevicerestore_engine_prepare_dir(UbEngineRun *run,
				     const UbRestoreRequest *request,
				     gchar **cwd,
				     GError **error)
{
	if (request->cache_dir != NULL) {
		g_autofree gchar *cache_dir = g_canonicalize_filename(request->cache_dir, NULL);

		if (g_mkdir_with_parents(cache_dir, 0700) != 0) {
			gint saved_errno = errno;
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(saved_errno),
				    "failed to create %s: %s",
				    cache_dir,
				    g_strerror(saved_errno));
			return FALSE;
		}
		*cwd = g_steal_pointer(&cache_dir);
		return TRUE;
	}

	/* upstream builds write restore_*.log into their working directory */
	run->tmp_dir = g_dir_make_tmp("unbrick-idevicerestore-XXXXXX", error);
	if (run->tmp_dir == NULL)
		return FALSE;
	*cwd = g_strdup(run->tmp_dir);
	return TRUE;
}

static void
ub_idevicerestore_engine_run_async(UbRestoreEngine *engine,
				   const UbRestoreRequest *request,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	UbIdevicerestoreEngine *self = UB_IDEVICERESTORE_ENGINE(engine);
	g_autoptr(GTask) task = NULL;
	g_autoptr(UbEngineRun) run = NULL;
	UbEngineRun *running = NULL; /* owned by the task */
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) argv = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *command = NULL;
	GOutputStream *stdin_pipe = NULL;

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_idevicerestore_engine_run_async);

	if (self->task != NULL) {
		g_task_return_new_error(
		    task, UB_ERROR, UB_ERROR_FAILED, "this engine is already running a restore");
		return;
	}
	if (g_task_return_error_if_cancelled(task))
		return;

	argv = ub_idevicerestore_engine_build_argv(self, request, &error);
	if (argv == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	run = g_new0(UbEngineRun, 1);
	run->self = self;
	run->exit_status = -1;
	run->io_cancellable = g_cancellable_new();
	if (!ub_idevicerestore_engine_prepare_dir(run, request, &cwd, &error)) {
		ub_engine_run_remove_tmp_dir(run);
		g_prefix_error(&error, "failed to prepare the engine's directory: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	command = g_strjoinv(" ", argv);
	g_info("running %s in %s", command, cwd);

	launcher = _ub_idevicerestore_engine_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
							  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
							  G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_cwd(launcher, cwd);
	run->subprocess =
	    g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv, &error);
	if (run->subprocess == NULL) {
		gint code = UB_ERROR_FAILED;

		ub_engine_run_remove_tmp_dir(run);
		if (g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
			code = UB_ERROR_NOT_FOUND;
		else if (g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES) ||
			 g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_PERM))
			code = UB_ERROR_PERMISSION_DENIED;
		g_task_return_new_error(
		    task, UB_ERROR, code, "failed to start %s: %s", argv[0], error->message);
		return;
	}
	run->pid = g_strdup(g_subprocess_get_identifier(run->subprocess));

	/* a closed stdin is not a TTY: the engine never waits for an answer */
	stdin_pipe = g_subprocess_get_stdin_pipe(run->subprocess);
	if (!g_output_stream_close(stdin_pipe, NULL, &error)) {
		g_debug("closing the engine's stdin failed: %s", error->message);
		g_clear_error(&error);
	}

	/* separate pipes: 1.0.0 prints its errors on stderr */
	run->readers[0].name = "stdout";
	run->readers[0].stream = g_object_ref(g_subprocess_get_stdout_pipe(run->subprocess));
	run->readers[1].name = "stderr";
	run->readers[1].stream = g_object_ref(g_subprocess_get_stderr_pipe(run->subprocess));
	for (guint i = 0; i < G_N_ELEMENTS(run->readers); i++) {
		run->readers[i].line = g_byte_array_new();
		run->readers[i].chunk = g_malloc(UB_IDEVICERESTORE_ENGINE_READ_CHUNK);
	}

	running = g_steal_pointer(&run);
	g_task_set_task_data(task, running, (GDestroyNotify)ub_engine_run_free);
	self->task = task;

	if (cancellable != NULL) {
		running->cancel_source = g_cancellable_source_new(cancellable);
		g_task_attach_source(task,
				     running->cancel_source,
				     (GSourceFunc)(void (*)(void))ub_engine_cancelled_cb);
	}
	g_subprocess_wait_async(running->subprocess, NULL, ub_engine_wait_cb, g_object_ref(task));
	for (guint i = 0; i < G_N_ELEMENTS(running->readers); i++)
		ub_line_reader_read(task, &running->readers[i]);
}

static gboolean
ub_idevicerestore_engine_run_finish(UbRestoreEngine *engine,
				    GAsyncResult *result,
				    gint *exit_status,
				    GError **error)
{
	UbEngineRun *run = NULL;

	g_return_val_if_fail(g_task_is_valid(result, engine), FALSE);
	g_return_val_if_fail(g_async_result_is_tagged(result, ub_idevicerestore_engine_run_async),
			     FALSE);

	run = g_task_get_task_data(G_TASK(result));
	if (exit_status != NULL)
		*exit_status = run != NULL ? run->exit_status : -1;
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
ub_idevicerestore_engine_iface_init(UbRestoreEngineInterface *iface)
{
	iface->run_async = ub_idevicerestore_engine_run_async;
	iface->run_finish = ub_idevicerestore_engine_run_finish;
}

static void
ub_idevicerestore_engine_dispose(GObject *object)
{
	UbIdevicerestoreEngine *self = UB_IDEVICERESTORE_ENGINE(object);

	/* only g_object_run_dispose() gets here mid-run, as the task holds a
	 * reference; the run still completes, cancelled, once the child is
	 * gone and its output drained */
	if (self->task != NULL) {
		UbEngineRun *run = g_task_get_task_data(self->task);

		if (!run->exited && !run->disposed) {
			g_info("engine %s is still running; killing it", run->pid);
			run->disposed = TRUE;
			g_subprocess_force_exit(run->subprocess);
		}
	}
	G_OBJECT_CLASS(ub_idevicerestore_engine_parent_class)->dispose(object);
}

static void
ub_idevicerestore_engine_finalize(GObject *object)
{
	UbIdevicerestoreEngine *self = UB_IDEVICERESTORE_ENGINE(object);

	g_free(self->engine_path);
	G_OBJECT_CLASS(ub_idevicerestore_engine_parent_class)->finalize(object);
}

static void
ub_idevicerestore_engine_class_init(UbIdevicerestoreEngineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_idevicerestore_engine_dispose;
	object_class->finalize = ub_idevicerestore_engine_finalize;
}

static void
ub_idevicerestore_engine_init(UbIdevicerestoreEngine *self)
{
	self->kill_grace_ms = UB_IDEVICERESTORE_ENGINE_DEFAULT_KILL_GRACE_MS;
}

/**
 * ub_idevicerestore_engine_new:
 * @engine_path: (nullable): "idevicerestore" (looked up in $PATH when the
 *   engine runs) or a path; %NULL for "idevicerestore"
 *
 * Returns: (transfer full): a new engine
 */
UbIdevicerestoreEngine *
ub_idevicerestore_engine_new(const gchar *engine_path)
{
	UbIdevicerestoreEngine *self = NULL;

	g_return_val_if_fail(engine_path == NULL || engine_path[0] != '\0', NULL);

	self = g_object_new(UB_TYPE_IDEVICERESTORE_ENGINE, NULL);
	self->engine_path =
	    g_strdup(engine_path != NULL ? engine_path : UB_IDEVICERESTORE_ENGINE_DEFAULT_NAME);
	return self;
}

/**
 * ub_idevicerestore_engine_set_kill_grace:
 * @self: a #UbIdevicerestoreEngine
 * @milliseconds: how long after SIGINT the engine gets before SIGKILL
 *
 * Read when a run is cancelled, so it applies to the run in progress too.
 */
void
ub_idevicerestore_engine_set_kill_grace(UbIdevicerestoreEngine *self, guint milliseconds)
{
	g_return_if_fail(UB_IS_IDEVICERESTORE_ENGINE(self));

	self->kill_grace_ms = milliseconds;
}
