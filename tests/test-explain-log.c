/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-explain-log.h"
#include "ub-test.h"

typedef struct {
	gint exit_status;
	gchar *out;
	gchar *err;
} UbRun;

static void
ub_run_clear(UbRun *run)
{
	g_free(run->out);
	g_free(run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(UbRun, ub_run_clear)

/* the built `unbrick`, from tests/meson.build; NULL and skipped without */
static const gchar *
unbrick_binary(void)
{
	const gchar *path = g_getenv("UB_UNBRICK_BINARY");

	if (path == NULL || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("UB_UNBRICK_BINARY does not name the built unbrick");
		return NULL;
	}
	return path;
}

/* `unbrick ARGS…` without a display, @input on stdin */
static void
run_unbrick(const gchar *const *args, const gchar *input, UbRun *run)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	g_ptr_array_add(argv, (gpointer)g_getenv("UB_UNBRICK_BINARY"));
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
					     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_unsetenv(launcher, "DISPLAY");
	g_subprocess_launcher_unsetenv(launcher, "WAYLAND_DISPLAY");
	process = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(
	    process, input != NULL ? input : "", NULL, &run->out, &run->err, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(process));
	run->exit_status = g_subprocess_get_exit_status(process);
}

static JsonObject *
parse_object(JsonParser *parser, const gchar *json)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
	return json_node_get_object(json_parser_get_root(parser));
}

static void
ub_explain_log_fixture_func(void)
{
	g_autofree gchar *path =
	    ub_test_data_path("idevicerestore-logs", "07-dfu-ibss-upload-failed-iphone8.log", NULL);
	g_autofree gchar *joined = NULL;
	g_autofree gchar *contents = NULL;
	g_auto(UbRun) separate = {0};
	g_auto(UbRun) equals = {0};
	g_auto(UbRun) piped = {0};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;

	if (path == NULL || unbrick_binary() == NULL)
		return;

	run_unbrick((const gchar *[]){"--explain-log", path, NULL}, NULL, &separate);
	g_assert_cmpstr(separate.err, ==, "");
	g_assert_cmpint(separate.exit_status, ==, 0);
	root = parse_object(parser, separate.out);
	g_assert_cmpstr(json_object_get_string_member(root, "outcome"), ==, "failure");
	g_assert_cmpstr(json_object_get_string_member(root, "cause"), ==, "usb-connection");
	g_assert_cmpstr(json_object_get_string_member(root, "last_error"),
			==,
			"Unable to send iBSS component: Unable to upload data to device");
	g_assert_cmpuint(
	    json_array_get_length(json_object_get_array_member(root, "stages")), ==, 8);
	/* the diagnosis' cards: the cause's, first */
	g_assert_cmpstr(
	    json_array_get_string_element(json_object_get_array_member(root, "cards"), 0),
	    ==,
	    "usb-connection");

	/* the same answer in every spelling */
	joined = g_strconcat("--explain-log=", path, NULL);
	run_unbrick((const gchar *[]){joined, NULL}, NULL, &equals);
	g_assert_cmpint(equals.exit_status, ==, 0);
	g_assert_cmpstr(equals.out, ==, separate.out);

	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	run_unbrick((const gchar *[]){"--explain-log", "-", NULL}, contents, &piped);
	g_assert_cmpint(piped.exit_status, ==, 0);
	g_assert_cmpstr(piped.out, ==, separate.out);
}

static void
ub_explain_log_missing_func(void)
{
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "no-such-log.txt", NULL);
	g_auto(UbRun) missing = {0};
	g_auto(UbRun) no_file = {0};
	g_auto(UbRun) directory = {0};

	if (unbrick_binary() == NULL)
		return;

	run_unbrick((const gchar *[]){"--explain-log", path, NULL}, NULL, &missing);
	g_assert_cmpint(missing.exit_status, ==, 1);
	g_assert_cmpstr(missing.out, ==, "");
	g_assert_nonnull(strstr(missing.err, "no-such-log.txt"));

	run_unbrick((const gchar *[]){"--explain-log", NULL}, NULL, &no_file);
	g_assert_cmpint(no_file.exit_status, ==, 1);
	g_assert_cmpstr(no_file.out, ==, "");
	g_assert_cmpstr(no_file.err, !=, "");

	run_unbrick((const gchar *[]){"--explain-log", g_get_tmp_dir(), NULL}, NULL, &directory);
	g_assert_cmpint(directory.exit_status, ==, 1);
	g_assert_cmpstr(directory.err, !=, "");
}

/* any bytes at all: a valid answer that says nothing */
static void
ub_explain_log_garbage_func(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(1234);
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "garbage.log", NULL);
	g_auto(UbRun) run = {0};
	JsonObject *root;

	if (unbrick_binary() == NULL)
		return;

	for (guint i = 0; i < 64 * 1024; i++) {
		guint8 byte = (guint8)g_rand_int_range(rand, 0, 256);
		g_byte_array_append(bytes, &byte, 1);
	}
	g_assert_true(g_file_set_contents(path, (const gchar *)bytes->data, bytes->len, &error));
	g_assert_no_error(error);

	run_unbrick((const gchar *[]){"--explain-log", path, NULL}, NULL, &run);
	g_assert_cmpint(run.exit_status, ==, 0);
	root = parse_object(parser, run.out);
	g_assert_cmpstr(json_object_get_string_member(root, "outcome"), ==, "unknown");
	g_assert_cmpstr(json_object_get_string_member(root, "cause"), ==, "unknown");
	g_assert_true(json_object_get_null_member(root, "engine_version"));
	g_assert_true(json_object_get_null_member(root, "last_error"));
}

/* GApplication knows the option, so --help shows it */
static void
ub_explain_log_help_func(void)
{
	g_auto(UbRun) run = {0};

	if (unbrick_binary() == NULL)
		return;
	run_unbrick((const gchar *[]){"--help", NULL}, NULL, &run);
	g_assert_cmpint(run.exit_status, ==, 0);
	g_assert_nonnull(strstr(run.out, "--explain-log"));
}

/* the cards are the remediation cards' ids, not the cause's: a usbmuxd
 * failure names the card "usbmuxd" */
static void
ub_explain_log_cards_func(void)
{
	g_autofree gchar *path = ub_test_data_path(
	    "idevicerestore-logs", "12-failed-enter-restore-mode-usbmuxd-arch.log", NULL);
	g_autofree gchar *json = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;
	JsonArray *cards;

	json = ub_explain_log_file(path, &error);
	g_assert_no_error(error);
	root = parse_object(parser, json);
	g_assert_cmpstr(json_object_get_string_member(root, "cause"), ==, "usbmuxd-unavailable");
	cards = json_object_get_array_member(root, "cards");
	g_assert_cmpuint(json_array_get_length(cards), >=, 1);
	g_assert_cmpstr(json_array_get_string_element(cards, 0), ==, "usbmuxd");
}

/* the core function without the binary */
static void
ub_explain_log_file_func(void)
{
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "small.log", NULL);
	g_autofree gchar *json = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_missing = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;

	g_assert_true(g_file_set_contents(path,
					  "idevicerestore 1.0.0\n"
					  "Status: Restore Finished\n"
					  "DONE\n",
					  -1,
					  &error));
	g_assert_no_error(error);
	json = ub_explain_log_file(path, &error);
	g_assert_no_error(error);
	root = parse_object(parser, json);
	g_assert_cmpstr(json_object_get_string_member(root, "outcome"), ==, "success");
	g_assert_cmpstr(json_object_get_string_member(root, "engine_version"), ==, "1.0.0");
	/* a success needs no card */
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "cards")), ==, 0);

	g_assert_null(ub_explain_log_file("/nonexistent/log", &error_missing));
	g_assert_error(error_missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
ub_explain_log_args_func(void)
{
	gint exit_status = -1;

	g_assert_false(ub_explain_log_handle_args(1, (gchar *[]){"unbrick", NULL}, &exit_status));
	g_assert_false(ub_explain_log_handle_args(
	    3, (gchar *[]){"unbrick", "--simulate", "demo", NULL}, &exit_status));
	/* after "--" it is a file name, not an option */
	g_assert_false(ub_explain_log_handle_args(
	    4, (gchar *[]){"unbrick", "--", "--explain-log", "x", NULL}, &exit_status));
	g_assert_cmpint(exit_status, ==, -1);
}

static void
report_ready_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;
	*out = g_object_ref(result);
}

static UbRestoreReport *
report_async(const gchar *path, GBytes *text, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	ub_explain_log_report_async(path, text, NULL, report_ready_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return ub_explain_log_report_finish(result, error);
}

/* the window reads logs on a worker thread: pasted text, a file, no file */
static void
ub_explain_log_report_async_func(void)
{
	const gchar *log =
	    "Sending iBEC (731057 bytes)...\n"
	    "ERROR: Unable to send iBEC component: Unable to upload data to device\n";
	g_autoptr(GBytes) text = g_bytes_new_static(log, strlen(log));
	g_autoptr(UbRestoreReport) pasted = NULL;
	g_autoptr(UbRestoreReport) from_file = NULL;
	g_autoptr(UbRestoreReport) missing = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("ub-explain-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "restore.log", NULL);
	g_autofree gchar *nowhere = g_build_filename(dir, "absent.log", NULL);
	g_autoptr(GError) error = NULL;

	pasted = report_async(NULL, text, &error);
	g_assert_no_error(error);
	g_assert_nonnull(pasted);
	g_assert_cmpint(ub_restore_report_get_cause(pasted), ==, UB_FAILURE_CAUSE_USB_CONNECTION);
	g_assert_cmpint(
	    ub_restore_report_get_stage(pasted), ==, UB_RESTORE_STAGE_SENDING_BOOT_FILES);

	g_assert_true(g_file_set_contents(path, log, -1, NULL));
	from_file = report_async(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(
	    ub_restore_report_get_cause(from_file), ==, UB_FAILURE_CAUSE_USB_CONNECTION);

	missing = report_async(nowhere, NULL, &error);
	g_assert_null(missing);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

	g_unlink(path);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/explain-log/fixture", ub_explain_log_fixture_func);
	g_test_add_func("/unbrick/explain-log/missing", ub_explain_log_missing_func);
	g_test_add_func("/unbrick/explain-log/garbage", ub_explain_log_garbage_func);
	g_test_add_func("/unbrick/explain-log/help", ub_explain_log_help_func);
	g_test_add_func("/unbrick/explain-log/cards", ub_explain_log_cards_func);
	g_test_add_func("/unbrick/explain-log/file", ub_explain_log_file_func);
	g_test_add_func("/unbrick/explain-log/args", ub_explain_log_args_func);
	g_test_add_func("/unbrick/explain-log/report-async", ub_explain_log_report_async_func);
	return g_test_run();
}
