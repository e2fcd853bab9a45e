/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ub-test.h"
#include "ub-timed-log.h"

#define SUCCESS_LOG_RESOURCE "/io/github/unbrick/Unbrick/restore-logs/success.log"

static UbTimedLog *
log_new(const gchar *text)
{
	UbTimedLog *log = ub_timed_log_new_from_data(text, strlen(text));
	g_assert_nonnull(log);
	return log;
}

static void
assert_line(UbTimedLog *log, guint index, gdouble at, gboolean to_stderr, const gchar *text)
{
	const UbTimedLine *line = ub_timed_log_get_line(log, index);
	g_autofree gchar *escaped = NULL;

	g_assert_nonnull(line);
	/* TAP output must stay UTF-8 */
	escaped = g_strescape(line->text, NULL);
	g_test_message("line %u: @%f %s \"%s\"", index, line->at, line->stderr ? "!" : "", escaped);
	g_assert_cmpfloat_with_epsilon(line->at, at, 1e-9);
	g_assert_cmpint(line->stderr, ==, to_stderr);
	g_assert_cmpstr(line->text, ==, text);
}

static void
ub_timed_log_plain_func(void)
{
	g_autoptr(UbTimedLog) log = NULL;

	/* a transcript a user pasted is a timed log already */
	log = log_new("idevicerestore 1.0.0\n"
		      "Found device in Recovery mode\n"
		      "ERROR: Unable to discover device mode.\n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 3);
	assert_line(log, 0, 0.05, FALSE, "idevicerestore 1.0.0");
	assert_line(log, 1, 0.10, FALSE, "Found device in Recovery mode");
	assert_line(log, 2, 0.15, FALSE, "ERROR: Unable to discover device mode.");
	g_assert_cmpfloat_with_epsilon(ub_timed_log_get_duration(log), 0.15, 1e-9);
	g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 255);
	g_assert_null(ub_timed_log_get_version(log));
}

static void
ub_timed_log_markers_func(void)
{
	g_autoptr(UbTimedLog) log = NULL;

	log = log_new("@1 first\n"
		      "second\n"
		      "@+2 third\n"
		      "@12.5 fourth\n"
		      "@+0.25 fifth\n"
		      "@.5 sixth, due before the fifth\n"
		      "@+0 seventh\n"
		      "@20. eighth\n"
		      "@21\n"
		      "@+1.5 \n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 10);
	assert_line(log, 0, 1.0, FALSE, "first");
	assert_line(log, 1, 1.05, FALSE, "second");
	assert_line(log, 2, 3.05, FALSE, "third");
	assert_line(log, 3, 12.5, FALSE, "fourth");
	assert_line(log, 4, 12.75, FALSE, "fifth");
	/* lines come out in file order, so it is due with the one above */
	assert_line(log, 5, 12.75, FALSE, "sixth, due before the fifth");
	assert_line(log, 6, 12.75, FALSE, "seventh");
	assert_line(log, 7, 20.0, FALSE, "eighth");
	assert_line(log, 8, 21.0, FALSE, "");
	assert_line(log, 9, 22.5, FALSE, "");
	g_assert_cmpfloat_with_epsilon(ub_timed_log_get_duration(log), 22.5, 1e-9);

	/* a time is never negative, and times never go back */
	for (guint i = 1; i < ub_timed_log_get_n_lines(log); i++)
		g_assert_cmpfloat(
		    ub_timed_log_get_line(log, i)->at, >=, ub_timed_log_get_line(log, i - 1)->at);
}

static void
ub_timed_log_stderr_func(void)
{
	g_autoptr(UbTimedLog) log = NULL;

	log = log_new("!stderr ERROR: Unable to send iBEC\n"
		      "@+1 !stderr after a time\n"
		      "!stderr @+1 time after stderr\n"
		      "!stderr\n"
		      "!stderr  two spaces\n"
		      "ERROR: no marker goes to stdout here\n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 6);
	assert_line(log, 0, 0.05, TRUE, "ERROR: Unable to send iBEC");
	assert_line(log, 1, 1.05, TRUE, "after a time");
	assert_line(log, 2, 2.05, TRUE, "time after stderr");
	assert_line(log, 3, 2.10, TRUE, "");
	assert_line(log, 4, 2.15, TRUE, " two spaces");
	/* the fake engine sends "ERROR:" lines to stderr itself */
	assert_line(log, 5, 2.20, FALSE, "ERROR: no marker goes to stdout here");
}

static void
ub_timed_log_headers_func(void)
{
	g_autoptr(UbTimedLog) log = NULL;
	g_autoptr(UbTimedLog) finished = NULL;
	g_autoptr(UbTimedLog) overridden = NULL;
	g_autoptr(UbTimedLog) bad_status = NULL;

	/* headers anywhere; they are no lines and take no time */
	log = log_new("#! version 1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu "
		      "1.0.4-8-g7e1647b)\n"
		      "@1 one\n"
		      "#! exit-status 203\n"
		      "two\n"
		      "#! colour blue\n"
		      "#!  exit-status  254  \n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 2);
	assert_line(log, 0, 1.0, FALSE, "one");
	assert_line(log, 1, 1.05, FALSE, "two");
	g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 254);
	g_assert_cmpstr(ub_timed_log_get_version(log),
			==,
			"1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu "
			"1.0.4-8-g7e1647b)");

	/* without the header: what the log says happened */
	finished = log_new("Got status message\nStatus: Restore Finished\nDONE\n");
	g_assert_cmpint(ub_timed_log_get_exit_status(finished), ==, 0);
	overridden = log_new("Status: Restore Finished\n#! exit-status 1\n");
	g_assert_cmpint(ub_timed_log_get_exit_status(overridden), ==, 1);

	/* a header that is not a status leaves the default */
	bad_status = log_new("#! exit-status lots\n"
			     "#! exit-status 256\n"
			     "#! exit-status -1\n"
			     "#! exit-status\n"
			     "#! version\n"
			     "Status: Restore Finished\n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(bad_status), ==, 1);
	g_assert_cmpint(ub_timed_log_get_exit_status(bad_status), ==, 0);
	g_assert_null(ub_timed_log_get_version(bad_status));
}

static void
ub_timed_log_malformed_markers_func(void)
{
	const gchar *ordinary[] = {
	    "@",
	    "@abc",
	    "@+",
	    "@+x 1",
	    "@1x",
	    "@1.5s later",
	    "@-1 negative",
	    "@+-1 negative",
	    "@1e3 exponent",
	    "@inf forever",
	    "@nan",
	    "@0x10 hex",
	    "@ 5",
	    "@. dot",
	    "@user: hello",
	    "!stderrx",
	    "! stderr",
	    "#!version 1.0.0",
	    "#! ",
	    " #! exit-status 1",
	    " @1 indented",
	};

	for (guint i = 0; i < G_N_ELEMENTS(ordinary); i++) {
		g_autoptr(UbTimedLog) log = log_new(ordinary[i]);

		g_test_message("%s", ordinary[i]);
		if (g_str_has_prefix(ordinary[i], "#! ")) {
			/* a header without a key: no line, nothing set */
			g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 0);
			continue;
		}
		g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 1);
		assert_line(log, 0, 0.05, FALSE, ordinary[i]);
		g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 255);
	}
}

static void
ub_timed_log_empty_func(void)
{
	g_autoptr(UbTimedLog) empty = ub_timed_log_new_from_data(NULL, 0);
	g_autoptr(UbTimedLog) newline = log_new("\n");
	g_autoptr(UbTimedLog) headers = log_new("#! exit-status 0\n");

	g_assert_nonnull(empty);
	g_assert_cmpuint(ub_timed_log_get_n_lines(empty), ==, 0);
	g_assert_cmpfloat(ub_timed_log_get_duration(empty), ==, 0);
	g_assert_cmpint(ub_timed_log_get_exit_status(empty), ==, 255);
	g_assert_null(ub_timed_log_get_version(empty));

	/* one empty line is a line */
	g_assert_cmpuint(ub_timed_log_get_n_lines(newline), ==, 1);
	assert_line(newline, 0, 0.05, FALSE, "");

	g_assert_cmpuint(ub_timed_log_get_n_lines(headers), ==, 0);
	g_assert_cmpfloat(ub_timed_log_get_duration(headers), ==, 0);
	g_assert_cmpint(ub_timed_log_get_exit_status(headers), ==, 0);
}

static void
ub_timed_log_line_ends_func(void)
{
	g_autoptr(UbTimedLog) crlf = NULL;
	g_autoptr(UbTimedLog) bars = NULL;
	g_autoptr(UbTimedLog) no_end = NULL;
	g_autoptr(UbTimedLog) binary = NULL;
	const gchar binary_text[] = "caf\xc3\xa9 \xff\xfe\n@1 nul\0after\n";

	crlf = log_new("#! exit-status 7\r\n@2 first\r\n\r\nthird\r\n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(crlf), ==, 3);
	g_assert_cmpint(ub_timed_log_get_exit_status(crlf), ==, 7);
	assert_line(crlf, 0, 2.0, FALSE, "first");
	assert_line(crlf, 1, 2.05, FALSE, "");
	assert_line(crlf, 2, 2.10, FALSE, "third");

	/* progress bar redraws stay in the text; only a CRLF's "\r" goes */
	bars = log_new("@+1 \r[==       ]  20.0%\r[=====    ]  50.0%\r\n"
		       "Uploading\r[=========] 100.0%\n"
		       "two returns\r\r\n");
	g_assert_cmpuint(ub_timed_log_get_n_lines(bars), ==, 3);
	assert_line(bars, 0, 1.0, FALSE, "\r[==       ]  20.0%\r[=====    ]  50.0%");
	assert_line(bars, 1, 1.05, FALSE, "Uploading\r[=========] 100.0%");
	assert_line(bars, 2, 1.10, FALSE, "two returns\r");

	no_end = log_new("one\ntwo");
	g_assert_cmpuint(ub_timed_log_get_n_lines(no_end), ==, 2);
	assert_line(no_end, 1, 0.10, FALSE, "two");

	/* bytes pass through as they are; a NUL ends the text of its line */
	binary = ub_timed_log_new_from_data(binary_text, sizeof(binary_text) - 1);
	g_assert_cmpuint(ub_timed_log_get_n_lines(binary), ==, 2);
	assert_line(binary, 0, 0.05, FALSE, "caf\xc3\xa9 \xff\xfe");
	assert_line(binary, 1, 1.0, FALSE, "nul");
}

static void
ub_timed_log_file_func(void)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *missing = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbTimedLog) log = NULL;
	g_autoptr(UbTimedLog) none = NULL;

	dir = g_dir_make_tmp("ub-test-timed-log-XXXXXX", &error);
	g_assert_no_error(error);
	path = g_build_filename(dir, "run.log", NULL);
	missing = g_build_filename(dir, "missing.log", NULL);
	g_file_set_contents(path, "#! exit-status 1\n@0.5 hello\n!stderr oops\n", -1, &error);
	g_assert_no_error(error);

	log = ub_timed_log_new_from_file(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(log);
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, 2);
	assert_line(log, 0, 0.5, FALSE, "hello");
	assert_line(log, 1, 0.55, TRUE, "oops");
	g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 1);

	none = ub_timed_log_new_from_file(missing, &error);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_null(none);

	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
ub_timed_log_resource_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(UbTimedLog) log = NULL;
	g_autoptr(UbTimedLog) from_data = NULL;
	g_autoptr(UbTimedLog) none = NULL;
	const gchar *data = NULL;
	gsize length = 0;

	none = ub_timed_log_new_from_resource("/io/github/unbrick/Unbrick/no-such.log", &error);
	g_assert_error(error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
	g_assert_null(none);
	g_clear_error(&error);

	bytes = g_resources_lookup_data(SUCCESS_LOG_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	if (bytes == NULL) {
		g_test_skip("the demo's restore logs are not in the resources");
		return;
	}
	log = ub_timed_log_new_from_resource(SUCCESS_LOG_RESOURCE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(log);
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), >, 0);

	/* the same as the bytes parsed directly */
	data = g_bytes_get_data(bytes, &length);
	from_data = ub_timed_log_new_from_data(data, length);
	g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, ub_timed_log_get_n_lines(from_data));
	g_assert_cmpint(
	    ub_timed_log_get_exit_status(log), ==, ub_timed_log_get_exit_status(from_data));
	g_assert_cmpstr(ub_timed_log_get_version(log), ==, ub_timed_log_get_version(from_data));
	for (guint i = 0; i < ub_timed_log_get_n_lines(log); i++) {
		const UbTimedLine *a = ub_timed_log_get_line(log, i);
		const UbTimedLine *b = ub_timed_log_get_line(from_data, i);

		g_assert_cmpstr(a->text, ==, b->text);
		g_assert_cmpfloat(a->at, ==, b->at);
		g_assert_cmpint(a->stderr, ==, b->stderr);
	}
}

static void
ub_timed_log_fixtures_func(void)
{
	g_autofree gchar *dir = ub_test_data_path("idevicerestore-logs", NULL);
	g_autoptr(GDir) listing = NULL;
	const gchar *name = NULL;
	guint n_logs = 0;

	listing = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(listing);

	/* real transcripts, unmarked: every line is a line, nothing is lost */
	while ((name = g_dir_read_name(listing)) != NULL) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *contents = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(UbTimedLog) log = NULL;
		g_auto(GStrv) lines = NULL;
		guint n_lines = 0;

		if (!g_str_has_suffix(name, ".log"))
			continue;
		path = g_build_filename(dir, name, NULL);
		g_file_get_contents(path, &contents, NULL, &error);
		g_assert_no_error(error);
		log = ub_timed_log_new_from_file(path, &error);
		g_assert_no_error(error);

		lines = g_strsplit(contents, "\n", -1);
		n_lines = g_strv_length(lines);
		if (n_lines > 0 && lines[n_lines - 1][0] == '\0')
			n_lines--;
		g_test_message("%s: %u lines", name, n_lines);
		g_assert_cmpuint(ub_timed_log_get_n_lines(log), ==, n_lines);
		g_assert_cmpfloat_with_epsilon(
		    ub_timed_log_get_duration(log), n_lines * 0.05, 1e-6);
		if (strstr(contents, "Status: Restore Finished") != NULL)
			g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 0);
		else
			g_assert_cmpint(ub_timed_log_get_exit_status(log), ==, 255);
		n_logs++;
	}
	g_assert_cmpuint(n_logs, >, 0);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/timed-log/plain", ub_timed_log_plain_func);
	g_test_add_func("/unbrick/timed-log/markers", ub_timed_log_markers_func);
	g_test_add_func("/unbrick/timed-log/stderr", ub_timed_log_stderr_func);
	g_test_add_func("/unbrick/timed-log/headers", ub_timed_log_headers_func);
	g_test_add_func("/unbrick/timed-log/malformed-markers",
			ub_timed_log_malformed_markers_func);
	g_test_add_func("/unbrick/timed-log/empty", ub_timed_log_empty_func);
	g_test_add_func("/unbrick/timed-log/line-ends", ub_timed_log_line_ends_func);
	g_test_add_func("/unbrick/timed-log/file", ub_timed_log_file_func);
	g_test_add_func("/unbrick/timed-log/resource", ub_timed_log_resource_func);
	g_test_add_func("/unbrick/timed-log/fixtures", ub_timed_log_fixtures_func);
	return g_test_run();
}
