/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-card-ids.h"
#include "ub-context.h"
#include "ub-error.h"
#include "ub-next-step.h"
#include "ub-sim-provider.h"
#include "ub-test.h"

/* the replays run this much faster than the recorded restores */
#define SCALE 0.002
#define ECID G_GUINT64_CONSTANT(0x000E4A1C2B3D5F61)
#define WAIT_MS 20000

/* ---- an inhibitor that counts, as the application's would inhibit ---- */

#define TEST_TYPE_INHIBITOR (test_inhibitor_get_type())
G_DECLARE_FINAL_TYPE(TestInhibitor, test_inhibitor, TEST, INHIBITOR, GObject)

struct _TestInhibitor {
	GObject parent_instance;
	guint next_cookie;
	GPtrArray *reasons; /* of every inhibit */
	GArray *held;	    /* cookies not yet given back */
	guint released;
};

static void
test_inhibitor_iface_init(UbInhibitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(TestInhibitor,
			      test_inhibitor,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_INHIBITOR, test_inhibitor_iface_init))

static guint
test_inhibitor_inhibit(UbInhibitor *inhibitor, const gchar *reason)
{
	TestInhibitor *self = TEST_INHIBITOR(inhibitor);
	guint cookie = ++self->next_cookie;

	g_ptr_array_add(self->reasons, g_strdup(reason));
	g_array_append_val(self->held, cookie);
	return cookie;
}

static void
test_inhibitor_uninhibit(UbInhibitor *inhibitor, guint cookie)
{
	TestInhibitor *self = TEST_INHIBITOR(inhibitor);

	for (guint i = 0; i < self->held->len; i++) {
		if (g_array_index(self->held, guint, i) == cookie) {
			g_array_remove_index(self->held, i);
			self->released++;
			return;
		}
	}
	g_assert_not_reached();
}

static void
test_inhibitor_iface_init(UbInhibitorInterface *iface)
{
	iface->inhibit = test_inhibitor_inhibit;
	iface->uninhibit = test_inhibitor_uninhibit;
}

static void
test_inhibitor_finalize(GObject *object)
{
	TestInhibitor *self = TEST_INHIBITOR(object);

	g_ptr_array_unref(self->reasons);
	g_array_unref(self->held);
	G_OBJECT_CLASS(test_inhibitor_parent_class)->finalize(object);
}

static void
test_inhibitor_class_init(TestInhibitorClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = test_inhibitor_finalize;
}

static void
test_inhibitor_init(TestInhibitor *self)
{
	self->reasons = g_ptr_array_new_with_free_func(g_free);
	self->held = g_array_new(FALSE, FALSE, sizeof(guint));
}

/* ---- a context with one simulated iPhone ---- */

typedef struct {
	GSettings *settings;
	TestInhibitor *inhibitor;
	UbContext *context;
	UbRestoreService *service;
	UbSimProvider *provider;
	UbDevice *device;
	GPtrArray *added;   /* UbRestoreJob */
	GPtrArray *removed; /* UbRestoreJob */
	guint engine_changes;
} Fixture;

static void
job_added_cb(UbRestoreService *service, UbRestoreJob *job, Fixture *fixture)
{
	g_ptr_array_add(fixture->added, g_object_ref(job));
}

static void
job_removed_cb(UbRestoreService *service, UbRestoreJob *job, Fixture *fixture)
{
	g_ptr_array_add(fixture->removed, g_object_ref(job));
}

static void
engine_changed_cb(UbRestoreService *service, Fixture *fixture)
{
	fixture->engine_changes++;
}

/* an iPhone 13 Pro in Recovery Mode whose restore replays @restore_log */
static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	const gchar *restore_log = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = g_strdup_printf(
	    "{\"title\": \"restore-service test\", \"devices\": [{\"id\": \"iphone\", "
	    "\"ecid\": \"0x%016" G_GINT64_MODIFIER "X\", \"product-type\": \"iPhone14,2\", "
	    "\"cpid\": \"0x8110\", \"bdid\": \"0x0c\", \"serial\": \"F17XK2LMQ6N4\", "
	    "\"mode\": \"recovery\", \"restart-seconds\": 3, \"restore-log\": \"%s\"}]}",
	    ECID,
	    restore_log);
	g_autoptr(GBytes) bytes = g_bytes_new(json, strlen(json));

	fixture->settings = g_settings_new(APP_ID_BASE);
	/* an engine that is not there: the probe must say so, not hang */
	g_settings_set_string(fixture->settings, "engine-path", "/nonexistent/idevicerestore");
	fixture->inhibitor = g_object_new(TEST_TYPE_INHIBITOR, NULL);
	fixture->context =
	    ub_context_new(fixture->settings, NULL, UB_INHIBITOR(fixture->inhibitor));
	fixture->service = ub_context_get_restore_service(fixture->context);
	fixture->added = g_ptr_array_new_with_free_func(g_object_unref);
	fixture->removed = g_ptr_array_new_with_free_func(g_object_unref);
	g_signal_connect(fixture->service, "job-added", G_CALLBACK(job_added_cb), fixture);
	g_signal_connect(fixture->service, "job-removed", G_CALLBACK(job_removed_cb), fixture);
	g_signal_connect(
	    fixture->service, "engine-changed", G_CALLBACK(engine_changed_cb), fixture);

	fixture->provider = ub_sim_provider_new_from_bytes(bytes, &error);
	g_assert_no_error(error);
	ub_sim_provider_set_time_scale(fixture->provider, SCALE);
	g_assert_true(ub_device_monitor_add_provider(ub_context_get_monitor(fixture->context),
						     UB_DEVICE_PROVIDER(fixture->provider),
						     &error));
	g_assert_no_error(error);
	fixture->device =
	    ub_device_monitor_find_by_ecid(ub_context_get_monitor(fixture->context), ECID);
	g_assert_nonnull(fixture->device);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	g_signal_handlers_disconnect_by_data(fixture->service, fixture);
	g_clear_pointer(&fixture->added, g_ptr_array_unref);
	g_clear_pointer(&fixture->removed, g_ptr_array_unref);
	g_clear_object(&fixture->provider);
	g_clear_object(&fixture->context);
	g_clear_object(&fixture->inhibitor);
	g_clear_object(&fixture->settings);
}

static gboolean
job_finished(UbRestoreJob *job)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;

	while (!ub_restore_job_get_finished(job) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	return ub_restore_job_get_finished(job);
}

/* a demo device restores by replay; while it runs the computer is kept
 * awake, after it the session is given back and the ladder moves on */
static void
restore_service_success_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	UbRestoreJob *job;

	g_assert_true(ub_restore_service_uses_simulated_engine(fixture->service, fixture->device));
	g_assert_null(ub_restore_service_get_job(fixture->service, fixture->device));

	job = ub_restore_service_start(
	    fixture->service, fixture->device, UB_RESTORE_KIND_ERASE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(job);
	g_assert_true(ub_restore_service_get_job(fixture->service, fixture->device) == job);
	g_assert_cmpuint(fixture->added->len, ==, 1);
	g_assert_true(g_ptr_array_index(fixture->added, 0) == job);
	g_assert_cmpuint(ub_restore_service_get_n_running(fixture->service), ==, 1);
	g_assert_cmpuint(fixture->inhibitor->reasons->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(fixture->inhibitor->reasons, 0), "Restoring"));
	g_assert_cmpuint(fixture->inhibitor->held->len, ==, 1);

	g_assert_true(job_finished(job));
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_DONE);
	g_assert_cmpuint(ub_restore_service_get_n_running(fixture->service), ==, 0);
	g_assert_cmpuint(fixture->inhibitor->held->len, ==, 0);
	g_assert_cmpuint(fixture->inhibitor->released, ==, 1);
	/* a success has no diagnosis */
	g_assert_null(ub_restore_service_get_diagnosis(fixture->service, job));

	/* the user is done with it: the page's job goes */
	ub_restore_service_dismiss(fixture->service, job);
	g_assert_cmpuint(fixture->removed->len, ==, 1);
	g_assert_null(ub_restore_service_get_job(fixture->service, fixture->device));
}

/* a failed restore is diagnosed whether or not a page looks at it */
static void
restore_service_failure_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const UbDiagnosisResult *diagnosis;
	UbRung first_rung;
	UbRestoreJob *job;

	job = ub_restore_service_start(
	    fixture->service, fixture->device, UB_RESTORE_KIND_ERASE, &error);
	g_assert_no_error(error);
	g_assert_true(job_finished(job));
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	g_assert_cmpuint(fixture->inhibitor->held->len, ==, 0);

	g_assert_cmpint(
	    ub_restore_job_get_failure(job)->cause, ==, UB_FAILURE_CAUSE_BASEBAND_FAILED);
	diagnosis = ub_restore_service_get_diagnosis(fixture->service, job);
	g_assert_nonnull(diagnosis);
	g_assert_cmpuint(diagnosis->cards->len, >, 0);
	g_assert_cmpint(diagnosis->next_rung, !=, UB_RUNG_NONE);
	g_assert_nonnull(diagnosis->reason);
	first_rung = diagnosis->next_rung;

	/* a second start replaces the finished job, which the page then drops */
	job = ub_restore_service_start(
	    fixture->service, fixture->device, UB_RESTORE_KIND_ERASE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fixture->removed->len, ==, 1);
	g_assert_true(job_finished(job));
	diagnosis = ub_restore_service_get_diagnosis(fixture->service, job);
	g_assert_nonnull(diagnosis);
	/* the same failure again: the ladder does not go back down */
	g_assert_cmpint(diagnosis->next_rung, >=, first_rung);
}

static void
set_flag_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
}

/* one restore per device at a time; stopping all waits for them */
static void
restore_service_one_at_a_time_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	gboolean all_stopped = FALSE;
	UbRestoreJob *job;

	job = ub_restore_service_start(
	    fixture->service, fixture->device, UB_RESTORE_KIND_UPDATE, &error);
	g_assert_no_error(error);
	g_assert_null(ub_restore_service_start(
	    fixture->service, fixture->device, UB_RESTORE_KIND_ERASE, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_assert_cmpuint(fixture->added->len, ==, 1);
	g_assert_cmpuint(fixture->inhibitor->held->len, ==, 1);

	ub_restore_service_cancel_all(fixture->service, G_CALLBACK(set_flag_cb), &all_stopped);
	g_assert_true(ub_test_wait_until(&all_stopped, WAIT_MS));
	g_assert_true(ub_restore_job_get_finished(job));
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	g_assert_cmpuint(fixture->inhibitor->held->len, ==, 0);
}

/* the engine is probed at once and whenever its setting changes */
static void
restore_service_engine_func(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *path = NULL;
	guint changes;

	while (fixture->engine_changes == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_null(ub_restore_service_get_engine_info(fixture->service));
	g_assert_nonnull(ub_restore_service_get_engine_error(fixture->service));
	path = ub_restore_service_dup_engine_path(fixture->service);
	g_assert_cmpstr(path, ==, "/nonexistent/idevicerestore");

	changes = fixture->engine_changes;
	g_settings_set_string(fixture->settings, "engine-path", "/nonexistent/other");
	while (fixture->engine_changes == changes)
		g_main_context_iteration(NULL, TRUE);
	g_assert_nonnull(ub_restore_service_get_engine_error(fixture->service));
}

static void
preflight_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GPtrArray **checks = user_data;
	g_autoptr(GError) error = NULL;

	*checks =
	    ub_restore_service_run_preflight_finish(UB_RESTORE_SERVICE(source), result, &error);
	g_assert_no_error(error);
	g_assert_nonnull(*checks);
}

static GPtrArray *
run_preflight(Fixture *fixture, UbRestoreKind kind)
{
	g_autoptr(UbPreflight) preflight = ub_preflight_new(fixture->device, kind);
	GPtrArray *checks = NULL;

	ub_restore_service_run_preflight_async(
	    fixture->service, preflight, NULL, preflight_done_cb, &checks);
	while (checks == NULL)
		g_main_context_iteration(NULL, TRUE);
	return checks;
}

static UbCheck *
find_card(GPtrArray *checks, const gchar *card_id)
{
	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		if (g_strcmp0(ub_check_get_card_id(check), card_id) == 0)
			return check;
	}
	return NULL;
}

/* the checks before a restore know what this run would use: a demo
 * replays, so no engine is asked for; the real engine, when it is not
 * there, is the failure that stops the restore */
static void
restore_service_preflight_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) demo = run_preflight(fixture, UB_RESTORE_KIND_UPDATE);
	g_autoptr(GPtrArray) real = NULL;
	UbCheck *engine;

	g_assert_cmpuint(demo->len, >, 0);
	g_assert_null(find_card(demo, UB_CARD_ENGINE_MISSING));

	g_setenv("UNBRICK_SIM_REAL_ENGINE", "1", TRUE);
	real = run_preflight(fixture, UB_RESTORE_KIND_UPDATE);
	g_unsetenv("UNBRICK_SIM_REAL_ENGINE");
	engine = find_card(real, UB_CARD_ENGINE_MISSING);
	g_assert_nonnull(engine);
	g_assert_cmpint(ub_check_get_status(engine), ==, UB_CHECK_STATUS_FAIL);
	/* the probe ran for it */
	g_assert_cmpuint(fixture->engine_changes, >, 0);
}

/* the one button after a failure, for every rung */
static void
next_step_func(void)
{
	const struct {
		UbRung rung;
		UbRestoreKind previous;
		UbNextStep step;
	} cases[] = {
	    {UB_RUNG_RECOVERY_REENTRY, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_GUIDE_RECOVERY},
	    {UB_RUNG_UPDATE, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_UPDATE},
	    {UB_RUNG_UPDATE, UB_RESTORE_KIND_ERASE, UB_NEXT_STEP_UPDATE},
	    {UB_RUNG_RESTORE, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_ASK_ERASE},
	    {UB_RUNG_DFU_RESTORE, UB_RESTORE_KIND_ERASE, UB_NEXT_STEP_GUIDE_DFU},
	    /* advice, not an action: the same again, an erase only with consent */
	    {UB_RUNG_CABLE_PORT, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_UPDATE},
	    {UB_RUNG_CABLE_PORT, UB_RESTORE_KIND_ERASE, UB_NEXT_STEP_ASK_ERASE},
	    {UB_RUNG_OTHER_COMPUTER, UB_RESTORE_KIND_ERASE, UB_NEXT_STEP_ASK_ERASE},
	    {UB_RUNG_SERVICE, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_UPDATE},
	    {UB_RUNG_NONE, UB_RESTORE_KIND_UPDATE, UB_NEXT_STEP_UPDATE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpint(
		    ub_next_step_for_rung(cases[i].rung, cases[i].previous), ==, cases[i].step);
}

/* what can start in which mode: an Update never from DFU */
static void
allowed_in_mode_func(void)
{
	g_assert_true(
	    ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_UPDATE, UB_DEVICE_MODE_NORMAL));
	g_assert_true(
	    ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_UPDATE, UB_DEVICE_MODE_RECOVERY));
	g_assert_false(ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_UPDATE, UB_DEVICE_MODE_DFU));
	g_assert_true(ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_ERASE, UB_DEVICE_MODE_DFU));
	g_assert_true(
	    ub_restore_kind_allowed_in_mode(UB_RESTORE_KIND_ERASE, UB_DEVICE_MODE_RECOVERY));
	for (UbRestoreKind kind = UB_RESTORE_KIND_UPDATE; kind <= UB_RESTORE_KIND_ERASE; kind++) {
		g_assert_false(ub_restore_kind_allowed_in_mode(kind, UB_DEVICE_MODE_RESTORE));
		g_assert_false(ub_restore_kind_allowed_in_mode(kind, UB_DEVICE_MODE_DISCONNECTED));
	}
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/restore-service/next-step", next_step_func);
	g_test_add_func("/unbrick/restore-service/allowed-in-mode", allowed_in_mode_func);

	g_test_add("/unbrick/restore-service/success",
		   Fixture,
		   "success",
		   fixture_set_up,
		   restore_service_success_func,
		   fixture_tear_down);
	g_test_add("/unbrick/restore-service/failure",
		   Fixture,
		   "fail-baseband",
		   fixture_set_up,
		   restore_service_failure_func,
		   fixture_tear_down);
	g_test_add("/unbrick/restore-service/one-at-a-time",
		   Fixture,
		   "success",
		   fixture_set_up,
		   restore_service_one_at_a_time_func,
		   fixture_tear_down);
	g_test_add("/unbrick/restore-service/preflight",
		   Fixture,
		   "success",
		   fixture_set_up,
		   restore_service_preflight_func,
		   fixture_tear_down);
	g_test_add("/unbrick/restore-service/engine",
		   Fixture,
		   "success",
		   fixture_set_up,
		   restore_service_engine_func,
		   fixture_tear_down);
	return g_test_run();
}
