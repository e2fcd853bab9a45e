/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "ub-error.h"
#include "ub-idevicerestore-engine.h"
#include "ub-test.h"

#define TEST_ECID G_GUINT64_CONSTANT(0x1a2b3c4d5e6f7)
#define TEST_ECID_ARG "0x1a2b3c4d5e6f7"
/* everything here finishes in well under a second; sanitizers are slow */
#define WAIT_MS 60000
#define MIB (1024 * 1024)

static const gchar *const fake_env[] = {
    "UB_FAKE_ENGINE_LOG",
    "UB_FAKE_ENGINE_SPEED",
    "UB_FAKE_ENGINE_EXIT",
    "UB_FAKE_ENGINE_VERSION",
    "UB_FAKE_ENGINE_ARGV_FILE",
    "UB_FAKE_ENGINE_PID_FILE",
    "UB_FAKE_ENGINE_INFO_FILE",
    "UB_FAKE_ENGINE_HANG",
};

typedef struct {
	const gchar *fake;
	gchar *dir;
	gchar *firmware;
	gchar *argv_file;
	gchar *pid_file;
	gchar *info_file;
	UbIdevicerestoreEngine *engine;
	GPtrArray *lines;
	GCancellable *cancellable;
	const gchar *cancel_on_line;
	gboolean done;
	gboolean ok;
	gint exit_status;
	GError *error;
} Fixture;

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name = NULL;

	if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) || !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_remove(path);
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		remove_tree(child);
	}
	g_rmdir(path);
}

static void
output_line_cb(UbRestoreEngine *engine, const gchar *line, gpointer user_data)
{
	Fixture *fixture = user_data;

	g_assert_true(g_utf8_validate(line, -1, NULL));
	g_ptr_array_add(fixture->lines, g_strdup(line));
	if (fixture->cancel_on_line != NULL && g_strcmp0(line, fixture->cancel_on_line) == 0)
		g_cancellable_cancel(fixture->cancellable);
}

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(fake_env); i++)
		g_unsetenv(fake_env[i]);

	fixture->fake = g_getenv("UB_FAKE_IDEVICERESTORE");
	if (fixture->fake == NULL || !g_file_test(fixture->fake, G_FILE_TEST_IS_EXECUTABLE)) {
		fixture->fake = NULL;
		g_test_skip("UB_FAKE_IDEVICERESTORE is not set");
		return;
	}
	fixture->dir = g_dir_make_tmp("ub-test-engine-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->firmware = g_build_filename(fixture->dir, "iPhone_Restore.ipsw", NULL);
	g_file_set_contents(fixture->firmware, "PK", -1, &error);
	g_assert_no_error(error);
	fixture->argv_file = g_build_filename(fixture->dir, "argv.txt", NULL);
	fixture->pid_file = g_build_filename(fixture->dir, "pid.txt", NULL);
	fixture->info_file = g_build_filename(fixture->dir, "info.txt", NULL);
	g_setenv("UB_FAKE_ENGINE_ARGV_FILE", fixture->argv_file, TRUE);
	g_setenv("UB_FAKE_ENGINE_PID_FILE", fixture->pid_file, TRUE);
	g_setenv("UB_FAKE_ENGINE_INFO_FILE", fixture->info_file, TRUE);
	g_setenv("UB_FAKE_ENGINE_SPEED", "0", TRUE);

	fixture->engine = ub_idevicerestore_engine_new(fixture->fake);
	fixture->lines = g_ptr_array_new_with_free_func(g_free);
	fixture->cancellable = g_cancellable_new();
	g_signal_connect(fixture->engine, "output-line", G_CALLBACK(output_line_cb), fixture);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	for (guint i = 0; i < G_N_ELEMENTS(fake_env); i++)
		g_unsetenv(fake_env[i]);
	if (fixture->engine != NULL)
		g_assert_finalize_object(fixture->engine);
	g_clear_pointer(&fixture->lines, g_ptr_array_unref);
	g_clear_object(&fixture->cancellable);
	g_clear_error(&fixture->error);
	if (fixture->dir != NULL)
		remove_tree(fixture->dir);
	g_free(fixture->dir);
	g_free(fixture->firmware);
	g_free(fixture->argv_file);
	g_free(fixture->pid_file);
	g_free(fixture->info_file);
}

static void
fixture_write_log(Fixture *fixture, const gchar *text, gssize length)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(fixture->dir, "run.log", NULL);

	g_file_set_contents(path, text, length, &error);
	g_assert_no_error(error);
	g_setenv("UB_FAKE_ENGINE_LOG", path, TRUE);
}

static void
run_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Fixture *fixture = user_data;

	g_assert_true(UB_IS_IDEVICERESTORE_ENGINE(source));
	g_assert_false(fixture->done);
	fixture->exit_status = -2;
	fixture->ok = ub_restore_engine_run_finish(
	    UB_RESTORE_ENGINE(source), result, &fixture->exit_status, &fixture->error);
	fixture->done = TRUE;
}

static void
fixture_start(Fixture *fixture, const UbRestoreRequest *request)
{
	fixture->done = FALSE;
	fixture->ok = FALSE;
	g_clear_error(&fixture->error);
	g_ptr_array_set_size(fixture->lines, 0);
	ub_restore_engine_run_async(
	    UB_RESTORE_ENGINE(fixture->engine), request, fixture->cancellable, run_cb, fixture);
}

static void
fixture_wait(Fixture *fixture)
{
	g_assert_true(ub_test_wait_until(&fixture->done, WAIT_MS));
	for (guint i = 0; i < fixture->lines->len; i++) {
		const gchar *line = g_ptr_array_index(fixture->lines, i);
		g_autofree gchar *escaped = g_strescape(line, NULL);

		if (strlen(line) < 200)
			g_test_message("line %u: %s", i, escaped);
		else
			g_test_message("line %u: %zu bytes", i, strlen(line));
	}
}

static void
fixture_run(Fixture *fixture, const UbRestoreRequest *request)
{
	fixture_start(fixture, request);
	fixture_wait(fixture);
}

static UbRestoreRequest *
fixture_request(Fixture *fixture, UbRestoreKind kind)
{
	return ub_restore_request_new(TEST_ECID, "iPhone10,4", fixture->firmware, kind);
}

static gboolean
has_line(Fixture *fixture, const gchar *text)
{
	for (guint i = 0; i < fixture->lines->len; i++) {
		if (g_strcmp0(g_ptr_array_index(fixture->lines, i), text) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
has_line_prefix(Fixture *fixture, const gchar *prefix)
{
	for (guint i = 0; i < fixture->lines->len; i++) {
		if (g_str_has_prefix(g_ptr_array_index(fixture->lines, i), prefix))
			return TRUE;
	}
	return FALSE;
}

static GStrv
read_lines(const gchar *path)
{
	g_autofree gchar *contents = NULL;
	g_autoptr(GError) error = NULL;
	gchar **lines = NULL;
	guint n_lines = 0;

	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	lines = g_strsplit(contents, "\n", -1);
	n_lines = g_strv_length(lines);
	/* the final line end leaves an empty string behind */
	if (n_lines > 0 && lines[n_lines - 1][0] == '\0')
		g_clear_pointer(&lines[n_lines - 1], g_free);
	return lines;
}

static gchar *
read_info(Fixture *fixture, const gchar *key)
{
	g_auto(GStrv) lines = read_lines(fixture->info_file);
	g_autofree gchar *prefix = g_strdup_printf("%s=", key);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], prefix))
			return g_strdup(lines[i] + strlen(prefix));
	}
	return NULL;
}

static GPid
read_pid(Fixture *fixture)
{
	g_auto(GStrv) lines = read_lines(fixture->pid_file);
	guint64 pid = 0;
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(lines[0]);
	g_ascii_string_to_unsigned(lines[0], 10, 1, G_MAXINT, &pid, &error);
	g_assert_no_error(error);
	return (GPid)pid;
}

static void
assert_process_gone(GPid pid)
{
	/* the run completes only after the child was reaped, so no zombie */
	g_assert_cmpint(kill(pid, 0), ==, -1);
	g_assert_cmpint(errno, ==, ESRCH);
}

static void
assert_argv(Fixture *fixture, const UbRestoreRequest *request, const gchar *const *expected)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) built = NULL;
	g_auto(GStrv) seen = NULL;

	built = ub_idevicerestore_engine_build_argv(fixture->engine, request, &error);
	g_assert_no_error(error);
	g_assert_nonnull(built);
	g_assert_cmpstrv(built, expected);

	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_true(fixture->ok);
	seen = read_lines(fixture->argv_file);
	g_assert_cmpstrv(seen, expected);
}

static void
test_argv(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) update = NULL;
	g_autoptr(UbRestoreRequest) erase = NULL;
	g_autoptr(UbRestoreRequest) cached = NULL;
	g_autoptr(UbRestoreRequest) relative = NULL;
	g_autofree gchar *cache_dir = NULL;
	g_autofree gchar *cwd = NULL;
	g_autofree gchar *lc_all = NULL;
	g_autofree gchar *stdin_state = NULL;
	g_autofree gchar *old_cwd = NULL;

	if (fixture->fake == NULL)
		return;
	fixture_write_log(fixture, "#! exit-status 0\nhello\n", -1);

	update = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	assert_argv(fixture,
		    update,
		    (const gchar *const[]){
			fixture->fake, "-P", "-y", "-i", TEST_ECID_ARG, fixture->firmware, NULL});

	/* no prompt can ever wait: English text, stdin closed */
	lc_all = read_info(fixture, "lc-all");
	g_assert_cmpstr(lc_all, ==, "C");
	stdin_state = read_info(fixture, "stdin");
	g_assert_cmpstr(stdin_state, ==, "eof");

	/* without a cache directory it ran in a temporary one, gone now */
	cwd = read_info(fixture, "cwd");
	g_assert_nonnull(cwd);
	g_assert_cmpstr(cwd, !=, fixture->dir);
	g_assert_false(g_file_test(cwd, G_FILE_TEST_EXISTS));
	g_clear_pointer(&cwd, g_free);

	/* -e only when erasing was asked for */
	erase = fixture_request(fixture, UB_RESTORE_KIND_ERASE);
	assert_argv(
	    fixture,
	    erase,
	    (const gchar *const[]){
		fixture->fake, "-P", "-y", "-i", TEST_ECID_ARG, "-e", fixture->firmware, NULL});

	/* -C, created when missing, and the working directory */
	cache_dir = g_build_filename(fixture->dir, "cache", "engine", NULL);
	cached = fixture_request(fixture, UB_RESTORE_KIND_ERASE);
	cached->cache_dir = g_strdup(cache_dir);
	assert_argv(fixture,
		    cached,
		    (const gchar *const[]){fixture->fake,
					   "-P",
					   "-y",
					   "-i",
					   TEST_ECID_ARG,
					   "-e",
					   "-C",
					   cache_dir,
					   fixture->firmware,
					   NULL});
	g_assert_true(g_file_test(cache_dir, G_FILE_TEST_IS_DIR));
	cwd = read_info(fixture, "cwd");
	g_assert_cmpstr(cwd, ==, cache_dir);

	/* relative paths would mean something else in the engine's directory */
	old_cwd = g_get_current_dir();
	g_assert_cmpint(g_chdir(fixture->dir), ==, 0);
	relative = ub_restore_request_new(
	    TEST_ECID, "iPhone10,4", "./iPhone_Restore.ipsw", UB_RESTORE_KIND_UPDATE);
	relative->cache_dir = g_strdup("cache/engine");
	assert_argv(fixture,
		    relative,
		    (const gchar *const[]){fixture->fake,
					   "-P",
					   "-y",
					   "-i",
					   TEST_ECID_ARG,
					   "-C",
					   cache_dir,
					   fixture->firmware,
					   NULL});
	g_assert_cmpint(g_chdir(old_cwd), ==, 0);
}

static void
test_request_copy(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(UbRestoreRequest) copy = NULL;
	UbRestoreRequest *boxed = NULL;

	request = ub_restore_request_new(TEST_ECID, NULL, "firmware.ipsw", UB_RESTORE_KIND_ERASE);
	g_assert_null(request->cache_dir);
	g_assert_null(request->product_type);
	request->cache_dir = g_strdup("cache");
	copy = ub_restore_request_copy(request);
	g_assert_true(copy != request);
	g_assert_cmpuint(copy->ecid, ==, TEST_ECID);
	g_assert_cmpstr(copy->firmware_path, ==, "firmware.ipsw");
	g_assert_cmpstr(copy->cache_dir, ==, "cache");
	g_assert_true(copy->cache_dir != request->cache_dir);
	g_assert_cmpint(copy->kind, ==, UB_RESTORE_KIND_ERASE);

	boxed = g_boxed_copy(UB_TYPE_RESTORE_REQUEST, request);
	g_assert_cmpstr(boxed->cache_dir, ==, "cache");
	g_boxed_free(UB_TYPE_RESTORE_REQUEST, boxed);
	ub_restore_request_free(NULL);
}

static void
test_streams(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(GString) log = g_string_new("#! exit-status 0\n");
	guint next_out = 0;
	guint next_err = 0;

	if (fixture->fake == NULL)
		return;
	for (guint i = 0; i < 50; i++) {
		g_string_append_printf(log, "out %u\n", i);
		if (i % 3 == 0)
			g_string_append_printf(log, "!stderr err %u\n", next_err++);
		if (i % 7 == 0)
			g_string_append_printf(log, "ERROR: err %u\n", next_err++);
	}
	fixture_write_log(fixture, log->str, -1);

	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_true(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, 0);

	/* the streams interleave as they like; each keeps its own order */
	g_assert_cmpuint(fixture->lines->len, ==, 50 + next_err);
	next_out = 0;
	next_err = 0;
	for (guint i = 0; i < fixture->lines->len; i++) {
		const gchar *line = g_ptr_array_index(fixture->lines, i);
		g_autofree gchar *out = g_strdup_printf("out %u", next_out);
		g_autofree gchar *err = g_strdup_printf("err %u", next_err);
		g_autofree gchar *error_line = g_strdup_printf("ERROR: err %u", next_err);

		if (g_strcmp0(line, out) == 0) {
			next_out++;
		} else if (g_strcmp0(line, err) == 0 || g_strcmp0(line, error_line) == 0) {
			next_err++;
		} else {
			g_error("line %u \"%s\" is out of order", i, line);
		}
	}
	g_assert_cmpuint(next_out, ==, 50);
}

static void
test_redraws(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	const gchar *expected[] = {
	    "Sending iBSS (1234 bytes)...",
	    "[====      ]  40.0%",
	    "[========  ]  80.0%",
	    "[==========] 100.0%",
	    "Uploading",
	    "[=====] 50.0%",
	    "",
	    "crlf line",
	    "after a blank line",
	    "",
	    "two redraws, one break",
	    "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end",
	    "DONE",
	};

	if (fixture->fake == NULL)
		return;
	/* 1.0.0 draws its DFU bars with "\r" even with -P; the fake writes
	 * each text and a "\n" */
	fixture_write_log(fixture,
			  "#! exit-status 0\n"
			  "Sending iBSS (1234 bytes)...\n"
			  "\r[====      ]  40.0%\r[========  ]  80.0%\r[==========] 100.0%\r\r\n"
			  "Uploading\r[=====] 50.0%\n"
			  "\n"
			  "crlf line\r\r\n"
			  "after a blank line\n"
			  "\r\r\n"
			  "two redraws, one break\r\r\r\n"
			  "caf\xc3\xa9 \xff\xfe end\n"
			  "DONE\n",
			  -1);
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);

	g_assert_cmpuint(fixture->lines->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
		g_assert_cmpstr(g_ptr_array_index(fixture->lines, i), ==, expected[i]);
}

static void
test_exit_status(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;

	if (fixture->fake == NULL)
		return;
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);

	fixture_write_log(fixture, "Got status message\nStatus: Restore Finished\nDONE\n", -1);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_true(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, 0);
	g_assert_cmpuint(fixture->lines->len, ==, 3);

	fixture_write_log(fixture, "ERROR: Unable to discover device mode.\n", -1);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_true(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, 255);
	g_assert_true(has_line(fixture, "ERROR: Unable to discover device mode."));

	/* 1.0.0's 256 - AMRError 53 after a failed FDR */
	fixture_write_log(fixture, "#! exit-status 203\nStatus: Failed to recover FDR data.\n", -1);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_cmpint(fixture->exit_status, ==, 203);

	g_setenv("UB_FAKE_ENGINE_EXIT", "1", TRUE);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_cmpint(fixture->exit_status, ==, 1);
}

static void
test_usage_error(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;

	if (fixture->fake == NULL)
		return;
	/* an ECID the engine cannot parse never gets this far: 0 is refused */
	request = ub_restore_request_new(0, NULL, fixture->firmware, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);
	g_assert_error(fixture->error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_false(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, -1);
	g_assert_false(g_file_test(fixture->argv_file, G_FILE_TEST_EXISTS));
}

static void
test_missing_engine(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(UbIdevicerestoreEngine) missing = NULL;
	g_autoptr(UbIdevicerestoreEngine) unnamed = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) argv = NULL;
	g_autofree gchar *path = NULL;

	if (fixture->fake == NULL)
		return;
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);

	path = g_build_filename(fixture->dir, "no-such-idevicerestore", NULL);
	missing = ub_idevicerestore_engine_new(path);
	argv = ub_idevicerestore_engine_build_argv(missing, request, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(argv);
	g_clear_error(&error);

	g_signal_connect(missing, "output-line", G_CALLBACK(output_line_cb), fixture);
	fixture->done = FALSE;
	ub_restore_engine_run_async(UB_RESTORE_ENGINE(missing), request, NULL, run_cb, fixture);
	fixture_wait(fixture);
	g_assert_error(fixture->error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(fixture->error->message, "not installed"));
	g_assert_cmpuint(fixture->lines->len, ==, 0);

	/* a name is looked up in $PATH */
	unnamed = ub_idevicerestore_engine_new("ub-no-such-idevicerestore");
	fixture->done = FALSE;
	g_clear_error(&fixture->error);
	ub_restore_engine_run_async(UB_RESTORE_ENGINE(unnamed), request, NULL, run_cb, fixture);
	fixture_wait(fixture);
	g_assert_error(fixture->error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_false(g_file_test(fixture->argv_file, G_FILE_TEST_EXISTS));
}

static void
test_missing_firmware(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(UbRestoreRequest) empty = NULL;
	g_autofree gchar *path = NULL;

	if (fixture->fake == NULL)
		return;
	path = g_build_filename(fixture->dir, "gone.ipsw", NULL);
	request = ub_restore_request_new(TEST_ECID, NULL, path, UB_RESTORE_KIND_ERASE);
	fixture_run(fixture, request);
	g_assert_error(fixture->error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_false(fixture->ok);
	g_assert_false(g_file_test(fixture->argv_file, G_FILE_TEST_EXISTS));

	empty = ub_restore_request_new(TEST_ECID, NULL, "", UB_RESTORE_KIND_ERASE);
	fixture_run(fixture, empty);
	g_assert_error(fixture->error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_false(g_file_test(fixture->argv_file, G_FILE_TEST_EXISTS));
}

static void
test_cancel(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	GPid pid = 0;

	if (fixture->fake == NULL)
		return;
	/* the engine reaches its next check point and gives up */
	fixture_write_log(fixture, "@0 Found device in DFU mode\n@+600 never printed\n", -1);
	g_setenv("UB_FAKE_ENGINE_SPEED", "1", TRUE);
	fixture->cancel_on_line = "Found device in DFU mode";
	request = fixture_request(fixture, UB_RESTORE_KIND_ERASE);
	fixture_run(fixture, request);

	g_assert_error(fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_false(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, 255);
	g_assert_true(has_line(fixture, "Unbrick: asked the engine to stop (SIGINT)"));
	/* its last words arrived before the run completed */
	g_assert_true(has_line(fixture, "Exiting..."));
	g_assert_false(has_line(fixture, "never printed"));
	g_assert_false(has_line(fixture, "Unbrick: the engine did not stop; killed it"));
	pid = read_pid(fixture);
	assert_process_gone(pid);

	/* cancelled before it began: nothing is started */
	g_remove(fixture->argv_file);
	fixture_run(fixture, request);
	g_assert_error(fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpuint(fixture->lines->len, ==, 0);
	g_assert_false(g_file_test(fixture->argv_file, G_FILE_TEST_EXISTS));
}

static void
test_kill(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	GPid pid = 0;

	if (fixture->fake == NULL)
		return;
	/* ignores SIGINT and never exits on its own */
	fixture_write_log(fixture, "Found device in DFU mode\n", -1);
	g_setenv("UB_FAKE_ENGINE_HANG", "1", TRUE);
	ub_idevicerestore_engine_set_kill_grace(fixture->engine, 200);
	fixture->cancel_on_line = "Found device in DFU mode";
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);

	g_assert_error(fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(fixture->exit_status, ==, -1);
	g_assert_true(has_line(fixture, "Unbrick: asked the engine to stop (SIGINT)"));
	g_assert_true(has_line(fixture, "Unbrick: the engine did not stop; killed it"));
	pid = read_pid(fixture);
	assert_process_gone(pid);
}

static void
wait_for_file(const gchar *path)
{
	gboolean found = FALSE;

	for (guint i = 0; i < WAIT_MS / 10 && !found; i++) {
		/* written whole, by a rename */
		found = g_file_test(path, G_FILE_TEST_EXISTS);
		if (!found)
			ub_test_spin(10);
	}
	g_assert_true(found);
}

static void
test_dispose(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	GPid pid = 0;

	if (fixture->fake == NULL)
		return;
	g_setenv("UB_FAKE_ENGINE_HANG", "1", TRUE);
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_start(fixture, request);
	wait_for_file(fixture->pid_file);
	pid = read_pid(fixture);
	g_assert_cmpint(kill(pid, 0), ==, 0);

	/* the owner goes away mid-run: no orphan is left behind */
	g_object_run_dispose(G_OBJECT(fixture->engine));
	fixture_wait(fixture);
	g_assert_error(fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(fixture->exit_status, ==, -1);
	assert_process_gone(pid);
}

static void
test_crash(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	GPid pid = 0;

	if (fixture->fake == NULL)
		return;
	g_setenv("UB_FAKE_ENGINE_HANG", "1", TRUE);
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_start(fixture, request);
	wait_for_file(fixture->pid_file);
	pid = read_pid(fixture);

	/* killed by somebody else: it ran, with no status */
	g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
	fixture_wait(fixture);
	g_assert_no_error(fixture->error);
	g_assert_true(fixture->ok);
	g_assert_cmpint(fixture->exit_status, ==, -1);
	g_assert_true(has_line_prefix(fixture, "Unbrick: the engine was killed by signal 15 ("));
}

static void
test_busy(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	Fixture second = {0};

	if (fixture->fake == NULL)
		return;
	fixture_write_log(fixture, "@0 first\n@+0.2 last\n", -1);
	g_setenv("UB_FAKE_ENGINE_SPEED", "1", TRUE);
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_start(fixture, request);

	/* one run at a time */
	second.lines = g_ptr_array_new_with_free_func(g_free);
	ub_restore_engine_run_async(
	    UB_RESTORE_ENGINE(fixture->engine), request, NULL, run_cb, &second);
	g_assert_true(ub_test_wait_until(&second.done, WAIT_MS));
	g_assert_error(second.error, UB_ERROR, UB_ERROR_FAILED);
	g_assert_false(second.ok);
	g_clear_error(&second.error);
	g_ptr_array_unref(second.lines);

	fixture_wait(fixture);
	g_assert_no_error(fixture->error);
	g_assert_true(has_line(fixture, "last"));

	/* and then the next */
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_true(has_line(fixture, "last"));
}

static void
test_long_line(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(GString) log = g_string_new("#! exit-status 0\nbefore\n");
	gsize total = 0;

	if (fixture->fake == NULL)
		return;
	for (gsize i = 0; i < MIB + MIB / 2; i++)
		g_string_append_c(log, (gchar)('a' + i % 26));
	g_string_append(log, "\nafter\n");
	fixture_write_log(fixture, log->str, (gssize)log->len);

	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);

	/* cut at 1 MiB, nothing lost, nothing stuck */
	g_assert_cmpuint(fixture->lines->len, ==, 4);
	g_assert_cmpstr(g_ptr_array_index(fixture->lines, 0), ==, "before");
	g_assert_cmpuint(strlen(g_ptr_array_index(fixture->lines, 1)), ==, MIB);
	g_assert_cmpuint(strlen(g_ptr_array_index(fixture->lines, 2)), ==, MIB / 2);
	g_assert_cmpstr(g_ptr_array_index(fixture->lines, 3), ==, "after");
	for (guint i = 1; i <= 2; i++)
		total += strlen(g_ptr_array_index(fixture->lines, i));
	g_assert_cmpuint(total, ==, MIB + MIB / 2);
	g_assert_cmpint(
	    ((const gchar *)g_ptr_array_index(fixture->lines, 2))[0], ==, 'a' + (MIB % 26));
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
test_fixture_replay(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *contents = NULL;
	g_autoptr(UbRestoreRequest) request = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = NULL;

	if (fixture->fake == NULL)
		return;
	path = ub_test_data_path(
	    "idevicerestore-logs", "06-tss-send-failed-network-iphone11pro-ios18.3.1.log", NULL);
	g_setenv("UB_FAKE_ENGINE_LOG", path, TRUE);
	request = fixture_request(fixture, UB_RESTORE_KIND_UPDATE);
	fixture_run(fixture, request);
	g_assert_no_error(fixture->error);
	g_assert_cmpint(fixture->exit_status, ==, 255);
	g_assert_true(
	    has_line(fixture,
		     "idevicerestore 1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu "
		     "1.0.4-8-g7e1647b)"));

	/* the same lines as the file; across streams the order may differ */
	g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		gsize len = strlen(lines[i]);

		if (lines[i + 1] == NULL && len == 0)
			break;
		if (len > 0 && lines[i][len - 1] == '\r')
			lines[i][len - 1] = '\0';
		g_ptr_array_add(expected, g_strdup(lines[i]));
	}
	g_assert_cmpuint(fixture->lines->len, ==, expected->len);
	g_ptr_array_sort(expected, compare_strings);
	g_ptr_array_sort(fixture->lines, compare_strings);
	for (guint i = 0; i < expected->len; i++)
		g_assert_cmpstr(
		    g_ptr_array_index(fixture->lines, i), ==, g_ptr_array_index(expected, i));
}

#define ADD_TEST(name, func)                               \
	g_test_add("/unbrick/idevicerestore-engine/" name, \
		   Fixture,                                \
		   NULL,                                   \
		   fixture_set_up,                         \
		   func,                                   \
		   fixture_tear_down)

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	ADD_TEST("argv", test_argv);
	ADD_TEST("request-copy", test_request_copy);
	ADD_TEST("streams", test_streams);
	ADD_TEST("redraws", test_redraws);
	ADD_TEST("exit-status", test_exit_status);
	ADD_TEST("bad-request", test_usage_error);
	ADD_TEST("missing-engine", test_missing_engine);
	ADD_TEST("missing-firmware", test_missing_firmware);
	ADD_TEST("cancel", test_cancel);
	ADD_TEST("kill", test_kill);
	ADD_TEST("dispose", test_dispose);
	ADD_TEST("crash", test_crash);
	ADD_TEST("busy", test_busy);
	ADD_TEST("long-line", test_long_line);
	ADD_TEST("fixture-replay", test_fixture_replay);
	return g_test_run();
}
