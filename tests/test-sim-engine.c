/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"
#include "ub-sim-engine.h"
#include "ub-test.h"

#define ECID 0x001A2B3C4D5E6F70ULL
#define FAST 0.001

typedef struct {
	GPtrArray *lines;
	gboolean done;
	gboolean ran;
	gint exit_status;
	GError *error;
} Run;

static void
run_clear(Run *run)
{
	g_clear_pointer(&run->lines, g_ptr_array_unref);
	g_clear_error(&run->error);
}

static void
output_line_cb(UbRestoreEngine *engine, const gchar *line, Run *run)
{
	g_ptr_array_add(run->lines, g_strdup(line));
}

static void
run_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Run *run = user_data;

	run->ran = ub_restore_engine_run_finish(
	    UB_RESTORE_ENGINE(source), result, &run->exit_status, &run->error);
	run->done = TRUE;
}

static void
run_start(UbSimEngine *engine, UbRestoreKind kind, GCancellable *cancellable, Run *run)
{
	g_autoptr(UbRestoreRequest) request =
	    ub_restore_request_new(ECID, "iPhone14,2", "/nonexistent/firmware.ipsw", kind);

	run->lines = g_ptr_array_new_with_free_func(g_free);
	run->exit_status = -2;
	run->done = FALSE;
	run->ran = FALSE;
	g_signal_connect(engine, "output-line", G_CALLBACK(output_line_cb), run);
	ub_restore_engine_run_async(
	    UB_RESTORE_ENGINE(engine), request, cancellable, run_done_cb, run);
}

static void
run_wait(UbSimEngine *engine, Run *run)
{
	g_assert_true(ub_test_wait_until(&run->done, 20000));
	g_signal_handlers_disconnect_by_data(engine, run);
}

static UbTimedLog *
bundled_log(const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path =
	    g_strdup_printf("/io/github/unbrick/Unbrick/restore-logs/%s.log", name);
	UbTimedLog *log = ub_timed_log_new_from_resource(path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(log);
	return log;
}

static void
ub_sim_engine_replay_func(void)
{
	const struct {
		const gchar *name;
		gint exit_status;
	} cases[] = {
	    {"success", 0},
	    {"fail-baseband", 1},
	    {"fail-usb", 1},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(UbTimedLog) log = bundled_log(cases[i].name);
		g_autoptr(UbSimEngine) engine = NULL;
		Run run = {0};

		g_test_message("replaying %s", cases[i].name);
		engine = ub_sim_engine_new_for_name(cases[i].name, FAST, &error);
		g_assert_no_error(error);
		g_assert_nonnull(engine);
		run_start(engine, UB_RESTORE_KIND_UPDATE, NULL, &run);
		/* nothing is emitted before the main loop runs */
		g_assert_cmpuint(run.lines->len, ==, 0);
		run_wait(engine, &run);

		g_assert_no_error(run.error);
		g_assert_true(run.ran);
		g_assert_cmpint(run.exit_status, ==, cases[i].exit_status);
		g_assert_cmpint(run.exit_status, ==, ub_timed_log_get_exit_status(log));
		g_assert_cmpuint(run.lines->len, ==, ub_timed_log_get_n_lines(log));
		for (guint j = 0; j < run.lines->len; j++)
			g_assert_cmpstr(g_ptr_array_index(run.lines, j),
					==,
					ub_timed_log_get_line(log, j)->text);
		run_clear(&run);
	}
}

static void
ub_sim_engine_replay_twice_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new_for_name("fail-usb", FAST, &error);
	Run first = {0};
	Run second = {0};

	/* an engine runs one restore at a time, and may run another after */
	g_assert_no_error(error);
	run_start(engine, UB_RESTORE_KIND_UPDATE, NULL, &first);
	run_start(engine, UB_RESTORE_KIND_UPDATE, NULL, &second);
	g_assert_true(ub_test_wait_until(&second.done, 5000));
	g_assert_false(second.ran);
	g_assert_error(second.error, UB_ERROR, UB_ERROR_FAILED);
	g_signal_handlers_disconnect_by_data(engine, &second);
	run_wait(engine, &first);
	g_assert_true(first.ran);
	run_clear(&second);

	run_start(engine, UB_RESTORE_KIND_UPDATE, NULL, &second);
	run_wait(engine, &second);
	g_assert_true(second.ran);
	g_assert_cmpuint(second.lines->len, ==, first.lines->len);
	run_clear(&first);
	run_clear(&second);
}

static gboolean
has_line(GPtrArray *lines, const gchar *text)
{
	for (guint i = 0; i < lines->len; i++) {
		if (g_strcmp0(g_ptr_array_index(lines, i), text) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
ub_sim_engine_erase_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new_for_name("success", FAST, &error);
	Run run = {0};

	g_assert_no_error(error);
	run_start(engine, UB_RESTORE_KIND_ERASE, NULL, &run);
	run_wait(engine, &run);
	g_assert_true(run.ran);
	g_assert_cmpint(run.exit_status, ==, 0);
	g_assert_true(has_line(run.lines, "Variant: Customer Erase Install (IPSW)"));
	g_assert_true(has_line(run.lines, "This restore will erase all device data."));
	g_assert_false(has_line(run.lines, "Variant: Customer Upgrade Install (IPSW)"));
	g_assert_false(
	    has_line(run.lines, "This restore will update the device without erasing user data."));
	run_clear(&run);

	/* and an update of the same engine prints the update variant again */
	run_start(engine, UB_RESTORE_KIND_UPDATE, NULL, &run);
	run_wait(engine, &run);
	g_assert_true(has_line(run.lines, "Variant: Customer Upgrade Install (IPSW)"));
	g_assert_false(has_line(run.lines, "Variant: Customer Erase Install (IPSW)"));
	run_clear(&run);
}

static void
ub_sim_engine_cancel_func(void)
{
	g_autoptr(GError) error = NULL;
	/* real time: the replay is still early on when it is cancelled */
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new_for_name("success", 1.0, &error);
	g_autoptr(UbTimedLog) log = bundled_log("success");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	Run run = {0};

	g_assert_no_error(error);
	run_start(engine, UB_RESTORE_KIND_UPDATE, cancellable, &run);
	for (guint i = 0; i < 1000 && run.lines->len < 3; i++)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(run.lines->len, >=, 3);
	g_cancellable_cancel(cancellable);
	run_wait(engine, &run);

	g_assert_false(run.ran);
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(run.exit_status, ==, -1);
	g_assert_cmpuint(run.lines->len, <, ub_timed_log_get_n_lines(log));
	g_assert_cmpstr(g_ptr_array_index(run.lines, run.lines->len - 1), ==, "Exiting...");
	run_clear(&run);
}

static void
ub_sim_engine_cancelled_before_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new_for_name("success", FAST, &error);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	Run run = {0};

	g_assert_no_error(error);
	g_cancellable_cancel(cancellable);
	run_start(engine, UB_RESTORE_KIND_UPDATE, cancellable, &run);
	run_wait(engine, &run);
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpuint(run.lines->len, >=, 1);
	g_assert_cmpstr(g_ptr_array_index(run.lines, run.lines->len - 1), ==, "Exiting...");
	run_clear(&run);
}

static void
ub_sim_engine_unknown_log_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new_for_name("no-such-log", FAST, &error);

	g_assert_null(engine);
	g_assert_error(error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/sim-engine/replay", ub_sim_engine_replay_func);
	g_test_add_func("/unbrick/sim-engine/replay-twice", ub_sim_engine_replay_twice_func);
	g_test_add_func("/unbrick/sim-engine/erase", ub_sim_engine_erase_func);
	g_test_add_func("/unbrick/sim-engine/cancel", ub_sim_engine_cancel_func);
	g_test_add_func("/unbrick/sim-engine/cancelled-before",
			ub_sim_engine_cancelled_before_func);
	g_test_add_func("/unbrick/sim-engine/unknown-log", ub_sim_engine_unknown_log_func);
	return g_test_run();
}
