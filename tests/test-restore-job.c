/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ub-device-monitor.h"
#include "ub-error.h"
#include "ub-firmware-manager.h"
#include "ub-idevicerestore-engine.h"
#include "ub-restore-enums.h"
#include "ub-restore-job.h"
#include "ub-sim-engine.h"
#include "ub-sim-provider.h"
#include "ub-test.h"

/* simulated seconds to real ones: the bundled logs take ~0.2 s */
#define SCALE 0.002
/* generous: a sanitizer build on a loaded machine is slow, not wrong */
#define JOB_TIMEOUT_MS 20000

#define ECID_A 0x000E4A1C2B3D5F61ULL

typedef struct {
	UbDeviceMonitor *monitor;
	UbSimProvider *provider;
	gchar *tmp_dir;
	gchar *firmware_path;
} Fixture;

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fixture->tmp_dir = g_dir_make_tmp("ub-restore-job-XXXXXX", &error);
	g_assert_no_error(error);
	/* the engines never read it; the real one only checks it exists */
	fixture->firmware_path =
	    g_build_filename(fixture->tmp_dir, "iPhone14,2_18.6.2_22G100_Restore.ipsw", NULL);
	g_assert_true(g_file_set_contents(fixture->firmware_path, "PK\x03\x04", 4, &error));
	g_assert_no_error(error);
}

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	if (fixture->monitor != NULL)
		g_assert_finalize_object(fixture->monitor);
	if (fixture->provider != NULL)
		g_assert_finalize_object(fixture->provider);
	remove_tree(fixture->tmp_dir);
	g_free(fixture->tmp_dir);
	g_free(fixture->firmware_path);
	g_unsetenv("UB_FAKE_ENGINE_LOG");
	g_unsetenv("UB_FAKE_ENGINE_SPEED");
	g_unsetenv("UB_FAKE_ENGINE_EXIT");
	g_unsetenv("UB_FAKE_ENGINE_HANG");
	g_unsetenv("UB_FAKE_ENGINE_ARGV_FILE");
}

/* one simulated device, as a scenario line */
static gchar *
device_json(const gchar *id,
	    guint64 ecid,
	    const gchar *mode,
	    const gchar *restore_log,
	    gboolean unplug)
{
	return g_strdup_printf("{\"id\": \"%s\", \"ecid\": \"0x%016" G_GINT64_MODIFIER "X\", "
			       "\"product-type\": \"iPhone14,2\", \"cpid\": \"0x8110\", "
			       "\"bdid\": \"0x0c\", \"serial\": \"F17XK2LMQ6N4\", "
			       "\"ios-version\": \"18.6.2\", \"ios-build\": \"22G100\", "
			       "\"mode\": \"%s\", \"restart-seconds\": 3, "
			       "\"restore-log\": \"%s\", \"unplug-during-restore\": %s}",
			       id,
			       ecid,
			       mode,
			       restore_log,
			       unplug ? "true" : "false");
}

static void
fixture_load(Fixture *fixture, const gchar *devices_json)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json =
	    g_strdup_printf("{\"title\": \"restore-job test\", \"devices\": [%s]}", devices_json);
	g_autoptr(GBytes) bytes = g_bytes_new(json, strlen(json));

	fixture->provider = ub_sim_provider_new_from_bytes(bytes, &error);
	g_assert_no_error(error);
	ub_sim_provider_set_time_scale(fixture->provider, SCALE);
	fixture->monitor = ub_device_monitor_new(ub_device_db_get_default());
	g_assert_true(ub_device_monitor_add_provider(
	    fixture->monitor, UB_DEVICE_PROVIDER(fixture->provider), &error));
	g_assert_no_error(error);
}

/* one device in @mode replaying @restore_log; returns the monitor's device */
static UbDevice *
fixture_load_one(Fixture *fixture, const gchar *mode, const gchar *restore_log, gboolean unplug)
{
	g_autofree gchar *device = device_json("iphone", ECID_A, mode, restore_log, unplug);
	UbDevice *found;

	fixture_load(fixture, device);
	found = ub_device_monitor_find_by_ecid(fixture->monitor, ECID_A);
	g_assert_nonnull(found);
	return found;
}

/* everything a job tells through its properties, in order */
typedef struct {
	UbRestoreJob *job;
	GArray *states;	    /* of UbRestoreState; the first is the one before start */
	GArray *cancelling; /* of gboolean, one per notify */
	GArray *stalled;    /* of gboolean, one per notify */
	GPtrArray *lines;
	UbRestoreStage max_stage;
	gdouble max_overall;
	gboolean overall_went_back;
	gboolean finished;
} Watch;

static void
state_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	UbRestoreState state = ub_restore_job_get_state(job);
	g_array_append_val(watch->states, state);
}

static void
finished_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	g_assert_true(ub_restore_job_get_finished(job));
	watch->finished = TRUE;
}

static void
cancelling_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	gboolean cancelling = ub_restore_job_get_cancelling(job);
	g_array_append_val(watch->cancelling, cancelling);
}

static void
stalled_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	gboolean stalled = ub_restore_job_get_stalled(job);
	g_array_append_val(watch->stalled, stalled);
}

static void
overall_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	gdouble overall = ub_restore_job_get_overall_progress(job);

	watch->overall_went_back |= overall < watch->max_overall;
	watch->max_overall = MAX(watch->max_overall, overall);
}

static void
stage_cb(UbRestoreJob *job, GParamSpec *pspec, Watch *watch)
{
	watch->max_stage = MAX(watch->max_stage, ub_restore_job_get_stage(job));
}

static void
line_cb(UbRestoreJob *job, const gchar *line, Watch *watch)
{
	g_ptr_array_add(watch->lines, g_strdup(line));
}

static Watch *
watch_new(UbRestoreJob *job)
{
	Watch *watch = g_new0(Watch, 1);
	UbRestoreState state = ub_restore_job_get_state(job);

	watch->job = job;
	watch->states = g_array_new(FALSE, FALSE, sizeof(UbRestoreState));
	watch->cancelling = g_array_new(FALSE, FALSE, sizeof(gboolean));
	watch->stalled = g_array_new(FALSE, FALSE, sizeof(gboolean));
	watch->lines = g_ptr_array_new_with_free_func(g_free);
	g_array_append_val(watch->states, state);
	g_signal_connect(job, "notify::state", G_CALLBACK(state_cb), watch);
	g_signal_connect(job, "notify::finished", G_CALLBACK(finished_cb), watch);
	g_signal_connect(job, "notify::cancelling", G_CALLBACK(cancelling_cb), watch);
	g_signal_connect(job, "notify::stalled", G_CALLBACK(stalled_cb), watch);
	g_signal_connect(job, "notify::stage", G_CALLBACK(stage_cb), watch);
	g_signal_connect(job, "notify::overall-progress", G_CALLBACK(overall_cb), watch);
	g_signal_connect(job, "line", G_CALLBACK(line_cb), watch);
	return watch;
}

/* also drops the job, which must go away with it */
static void
watch_free(Watch *watch)
{
	g_signal_handlers_disconnect_by_data(watch->job, watch);
	g_assert_finalize_object(watch->job);
	g_array_unref(watch->states);
	g_array_unref(watch->cancelling);
	g_array_unref(watch->stalled);
	g_ptr_array_unref(watch->lines);
	g_free(watch);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Watch, watch_free)

static void
watch_wait(Watch *watch)
{
	g_assert_true(ub_test_wait_until(&watch->finished, JOB_TIMEOUT_MS));
}

static void
assert_states(Watch *watch, const UbRestoreState *expected, guint n_expected)
{
	for (guint i = 0; i < watch->states->len; i++) {
		g_autofree gchar *name = g_enum_to_string(
		    UB_TYPE_RESTORE_STATE, g_array_index(watch->states, UbRestoreState, i));
		g_test_message("state %u: %s", i, name);
	}
	g_assert_cmpuint(watch->states->len, ==, n_expected);
	for (guint i = 0; i < n_expected; i++)
		g_assert_cmpint(g_array_index(watch->states, UbRestoreState, i), ==, expected[i]);
}

static void
assert_failed(UbRestoreJob *job, UbFailureCause cause)
{
	const UbFailure *failure = ub_restore_job_get_failure(job);

	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	g_assert_nonnull(failure);
	g_test_message("failed: %s (%s)",
		       ub_failure_cause_to_id(failure->cause),
		       failure->engine_message != NULL ? failure->engine_message : "no message");
	g_assert_cmpstr(ub_failure_cause_to_id(failure->cause), ==, ub_failure_cause_to_id(cause));
}

static gboolean
wait_for_mode(UbDevice *device, UbDeviceMode mode)
{
	for (guint i = 0; i < 2000 && ub_device_get_mode(device) != mode; i++)
		ub_test_spin(5);
	return ub_device_get_mode(device) == mode;
}

/* the simulated engine playing the log the scenario names for @device */
static UbRestoreEngine *
sim_engine_new(Fixture *fixture, UbDevice *device, gdouble scale)
{
	g_autoptr(GError) error = NULL;
	guint64 ecid = ub_device_get_ecid(device);
	UbSimEngine *engine;

	engine = ub_sim_engine_new_for_name(
	    ub_sim_provider_get_restore_log(fixture->provider, ecid), scale, &error);
	g_assert_no_error(error);
	g_assert_nonnull(engine);
	ub_sim_engine_set_device(engine, fixture->provider, ecid);
	return UB_RESTORE_ENGINE(engine);
}

static UbRestoreJob *
sim_job_new(Fixture *fixture, UbDevice *device, UbRestoreKind kind, gdouble scale)
{
	g_autoptr(UbRestoreEngine) engine = sim_engine_new(fixture, device, scale);
	UbRestoreJob *job = ub_restore_job_new(device, kind, engine);

	ub_restore_job_set_firmware_path(job, fixture->firmware_path);
	return job;
}

/* simulated engine */

static void
ub_restore_job_sim_success_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_ERASE, SCALE));
	const UbRestoreState expected[] = {UB_RESTORE_STATE_PREFLIGHT,
					   UB_RESTORE_STATE_FIRMWARE,
					   UB_RESTORE_STATE_WAIT_FOR_MODE,
					   UB_RESTORE_STATE_RESTORING,
					   UB_RESTORE_STATE_DONE};
	g_autofree gchar *diagnostics = NULL;
	g_autofree gchar *ecid = ub_device_dup_ecid_string(device);

	g_assert_false(ub_restore_job_get_finished(watch->job));
	ub_restore_job_start(watch->job);
	watch_wait(watch);

	assert_states(watch, expected, G_N_ELEMENTS(expected));
	g_assert_null(ub_restore_job_get_failure(watch->job));
	g_assert_cmpint(ub_restore_job_get_stage(watch->job), ==, UB_RESTORE_STAGE_FINISHING);
	g_assert_cmpint(watch->max_stage, ==, UB_RESTORE_STAGE_FINISHING);
	g_assert_cmpfloat(ub_restore_job_get_overall_progress(watch->job), ==, 1.0);
	g_assert_cmpfloat(
	    ub_restore_job_get_stage_progress(watch->job, UB_RESTORE_STAGE_FINISHING), ==, 1.0);
	g_assert_cmpint(ub_restore_job_get_seconds_left(watch->job), ==, -1);
	g_assert_false(ub_restore_job_get_cancelling(watch->job));
	g_assert_false(ub_restore_job_get_stalled(watch->job));
	g_assert_cmpuint(watch->cancelling->len, ==, 0);
	g_assert_cmpuint(watch->lines->len,
			 ==,
			 ub_restore_report_get_n_lines(ub_restore_job_get_report(watch->job)));
	g_assert_true(
	    ub_restore_report_get_restore_finished(ub_restore_job_get_report(watch->job)));

	/* the device went through restore mode and boots into iOS */
	g_assert_true(wait_for_mode(device, UB_DEVICE_MODE_NORMAL));
	g_assert_true(ub_device_monitor_find_by_ecid(fixture->monitor, ECID_A) == device);

	diagnostics = ub_restore_job_dup_diagnostics(watch->job);
	g_test_message("%s", diagnostics);
	g_assert_nonnull(strstr(diagnostics, "iPhone14,2"));
	g_assert_nonnull(strstr(diagnostics, ecid));
	g_assert_nonnull(strstr(diagnostics, "restore (erase)"));
	g_assert_null(strstr(diagnostics, "Cause"));
	g_assert_nonnull(strstr(diagnostics, "Variant: Customer Erase Install (IPSW)"));
	g_assert_nonnull(strstr(diagnostics, "Status: Restore Finished"));
	g_assert_nonnull(strstr(diagnostics, "Exit status: 0"));
}

typedef struct {
	const gchar *restore_log;
	UbFailureCause cause;
} SimFailure;

static const SimFailure sim_fail_baseband = {"fail-baseband", UB_FAILURE_CAUSE_BASEBAND_FAILED};
static const SimFailure sim_fail_usb = {"fail-usb", UB_FAILURE_CAUSE_USB_CONNECTION};

static void
ub_restore_job_sim_failure_func(Fixture *fixture, gconstpointer user_data)
{
	const SimFailure *data = user_data;
	UbDevice *device = fixture_load_one(fixture, "recovery", data->restore_log, FALSE);
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_UPDATE, SCALE));
	const UbRestoreState expected[] = {UB_RESTORE_STATE_PREFLIGHT,
					   UB_RESTORE_STATE_FIRMWARE,
					   UB_RESTORE_STATE_WAIT_FOR_MODE,
					   UB_RESTORE_STATE_RESTORING,
					   UB_RESTORE_STATE_FAILED};
	g_autofree gchar *diagnostics = NULL;
	g_autofree gchar *cause_line = NULL;

	ub_restore_job_start(watch->job);
	watch_wait(watch);
	assert_states(watch, expected, G_N_ELEMENTS(expected));
	assert_failed(watch->job, data->cause);
	g_assert_cmpint(ub_restore_job_get_failure(watch->job)->exit_status, ==, 1);
	g_assert_cmpfloat(ub_restore_job_get_overall_progress(watch->job), <, 1.0);

	diagnostics = ub_restore_job_dup_diagnostics(watch->job);
	cause_line = g_strdup_printf("Cause: %s\n", ub_failure_cause_to_id(data->cause));
	g_assert_nonnull(strstr(diagnostics, cause_line));
	g_assert_nonnull(strstr(diagnostics, "Unable to restore device"));
}

static UbFirmwareManager *
manager_new(Fixture *fixture, UbFirmware **firmware)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root = g_build_filename(fixture->tmp_dir, "store", NULL);
	g_autofree gchar *path =
	    g_build_filename(root, "iPhone14,2_18.6.2_22G100_Restore.ipsw", NULL);
	const gchar *const product_types[] = {"iPhone14,2", NULL};
	g_autoptr(UbFirmwareCache) cache = NULL;
	/* never asked: the file is in the store already */
	g_autoptr(UbFirmwareCatalog) catalog =
	    ub_firmware_catalog_new("http://127.0.0.1:9", NULL, NULL);

	g_assert_cmpint(g_mkdir_with_parents(root, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, "PK\x03\x04", 4, &error));
	cache = ub_firmware_cache_new(root, &error);
	g_assert_no_error(error);
	g_assert_true(ub_firmware_cache_add_verified(
	    cache, path, "22G100", "18.6.2", product_types, NULL, NULL, &error));
	g_assert_no_error(error);
	*firmware = ub_firmware_new("iPhone14,2",
				    "18.6.2",
				    "22G100",
				    "http://127.0.0.1:9/iPhone14,2_18.6.2_22G100_Restore.ipsw",
				    4,
				    NULL,
				    NULL,
				    NULL,
				    TRUE);
	return ub_firmware_manager_new(catalog, cache);
}

typedef struct {
	UbFirmwareCache *cache;
	gchar *path;
	gboolean tried;
} DeleteWhileRunning;

static void
delete_while_running_cb(UbRestoreJob *job, GParamSpec *pspec, DeleteWhileRunning *data)
{
	g_autoptr(GError) error = NULL;

	if (ub_restore_job_get_state(job) != UB_RESTORE_STATE_RESTORING || data->tried)
		return;
	/* a running restore keeps its firmware */
	data->tried = TRUE;
	g_assert_false(ub_firmware_cache_delete(data->cache, data->path, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
}

static void
ub_restore_job_sim_unplug_func(Fixture *fixture, gconstpointer user_data)
{
	gboolean short_limit = GPOINTER_TO_INT(user_data);
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", TRUE);
	g_autoptr(UbFirmware) firmware = NULL;
	g_autoptr(UbFirmwareManager) manager = manager_new(fixture, &firmware);
	UbFirmwareCache *cache = ub_firmware_manager_get_cache(manager);
	/* the replay slower than the scenario's mode changes, so that only the
	 * unplug can outlast the short limit below */
	g_autoptr(UbRestoreEngine) engine = sim_engine_new(fixture, device, 0.02);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *diagnostics = NULL;
	DeleteWhileRunning delete = {cache, NULL, FALSE};
	const UbCachedFirmware *cached;
	const gchar *message;
	Watch *watch;

	ub_sim_provider_set_time_scale(fixture->provider, 0.001);
	cached = ub_firmware_manager_lookup(manager, firmware);
	g_assert_nonnull(cached);
	delete.path = g_strdup(cached->path);

	/* what the restore page does: keep the device while its job runs */
	g_object_add_weak_pointer(G_OBJECT(device), (gpointer *)&device);
	ub_device_monitor_set_grace_period(fixture->monitor, 50);
	ub_device_monitor_hold_device(fixture->monitor, device);

	watch = watch_new(ub_restore_job_new(device, UB_RESTORE_KIND_UPDATE, engine));
	ub_restore_job_set_firmware(watch->job, manager, firmware);
	/* short: the job gives up before the engine notices (the way into
	 * restore mode takes ~2 ms here, the engine's own failure ~60 ms);
	 * long: the engine fails first; either way it is the connection */
	if (short_limit)
		ub_restore_job_set_disconnect_limit(watch->job, 25);
	g_signal_connect(watch->job, "notify::state", G_CALLBACK(delete_while_running_cb), &delete);
	ub_restore_job_start(watch->job);
	watch_wait(watch);

	assert_failed(watch->job, UB_FAILURE_CAUSE_USB_CONNECTION);
	message = ub_restore_job_get_failure(watch->job)->engine_message;
	g_assert_nonnull(message);
	if (short_limit)
		g_assert_nonnull(strstr(message, "disconnected during the restore"));
	else
		g_assert_nonnull(strstr(message, "ASR"));
	g_assert_true(delete.tried);
	g_assert_cmpstr(ub_restore_job_get_firmware_path(watch->job), ==, delete.path);
	g_assert_cmpuint(watch->cancelling->len, ==, 0);
	diagnostics = ub_restore_job_dup_diagnostics(watch->job);
	g_assert_nonnull(strstr(diagnostics, "Cause: usb-connection\n"));

	/* unplugged for good, and held: listed long past its grace period */
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DISCONNECTED);
	ub_test_spin(200);
	g_assert_true(ub_device_monitor_find_by_ecid(fixture->monitor, ECID_A) == device);

	/* the firmware outlives the failure, and is no longer in use */
	g_assert_true(g_file_test(delete.path, G_FILE_TEST_EXISTS));
	g_signal_handlers_disconnect_by_data(watch->job, &delete);
	g_clear_pointer(&watch, watch_free);

	ub_device_monitor_release_device(fixture->monitor, device);
	for (guint i = 0; i < 400 && device != NULL; i++)
		ub_test_spin(5);
	g_assert_null(device);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(fixture->monitor)), ==, 0);
	g_assert_true(ub_firmware_cache_delete(cache, delete.path, &error));
	g_assert_no_error(error);
	g_free(delete.path);
}

static void
ub_restore_job_sim_cancel_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	/* slower than the others: there must be a middle to cancel in */
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_UPDATE, 0.02));

	ub_restore_job_start(watch->job);
	for (guint i = 0; i < 2000 && watch->lines->len < 5; i++)
		ub_test_spin(1);
	g_assert_cmpint(ub_restore_job_get_state(watch->job), ==, UB_RESTORE_STATE_RESTORING);
	g_assert_cmpuint(watch->lines->len, >=, 5);

	ub_restore_job_cancel(watch->job);
	g_assert_true(ub_restore_job_get_cancelling(watch->job));
	g_assert_false(ub_restore_job_get_finished(watch->job));
	/* a second click changes nothing */
	ub_restore_job_cancel(watch->job);
	watch_wait(watch);

	assert_failed(watch->job, UB_FAILURE_CAUSE_CANCELLED);
	g_assert_false(ub_restore_job_get_cancelling(watch->job));
	g_assert_cmpuint(watch->cancelling->len, ==, 2);
	g_assert_true(g_array_index(watch->cancelling, gboolean, 0));
	g_assert_false(g_array_index(watch->cancelling, gboolean, 1));
	g_assert_cmpstr(g_ptr_array_index(watch->lines, watch->lines->len - 1), ==, "Exiting...");
	/* cancelling a finished job does nothing */
	ub_restore_job_cancel(watch->job);
	g_assert_cmpuint(watch->cancelling->len, ==, 2);
}

static void
ub_restore_job_dfu_update_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "dfu", "success", FALSE);
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_UPDATE, SCALE));
	const UbRestoreState expected[] = {UB_RESTORE_STATE_PREFLIGHT, UB_RESTORE_STATE_FAILED};
	const UbFailure *failure;

	ub_restore_job_start(watch->job);
	/* decided at once, before any engine ran */
	g_assert_true(watch->finished);
	assert_states(watch, expected, G_N_ELEMENTS(expected));
	failure = ub_restore_job_get_failure(watch->job);
	g_assert_nonnull(failure);
	g_assert_nonnull(failure->engine_message);
	ub_test_spin(50);
	g_assert_cmpuint(watch->lines->len, ==, 0);
	g_assert_cmpuint(
	    ub_restore_report_get_n_lines(ub_restore_job_get_report(watch->job)), ==, 0);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DFU);
}

static void
ub_restore_job_engine_missing_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_ERASE, SCALE));
	g_autoptr(GError) error =
	    g_error_new_literal(UB_ERROR, UB_ERROR_NOT_FOUND, "idevicerestore is not installed");

	ub_restore_job_set_engine_error(watch->job, error);
	ub_restore_job_start(watch->job);
	g_assert_true(watch->finished);
	assert_failed(watch->job, UB_FAILURE_CAUSE_ENGINE_MISSING);
	g_assert_cmpstr(ub_restore_job_get_failure(watch->job)->engine_message,
			==,
			"idevicerestore is not installed");
	ub_test_spin(50);
	g_assert_cmpuint(watch->lines->len, ==, 0);
}

static void
ub_restore_job_engine_outdated_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autoptr(Watch) watch =
	    watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_ERASE, SCALE));
	g_autoptr(GError) error = NULL;
	/* Debian 12's build: its libirecovery predates the iPhone 13 */
	g_autoptr(UbEngineInfo) info = ub_engine_info_parse("idevicerestore 1.0.0", &error);
	const UbRestoreState expected[] = {UB_RESTORE_STATE_PREFLIGHT, UB_RESTORE_STATE_FAILED};

	g_assert_no_error(error);
	g_assert_cmpstr(ub_device_get_product_type(device), ==, "iPhone14,2");
	ub_restore_job_set_engine_info(watch->job, info);
	ub_restore_job_start(watch->job);
	g_assert_true(watch->finished);
	assert_states(watch, expected, G_N_ELEMENTS(expected));
	assert_failed(watch->job, UB_FAILURE_CAUSE_ENGINE_OUTDATED);
	ub_test_spin(50);
	g_assert_cmpuint(watch->lines->len, ==, 0);
}

/* the real engine class, running the fake idevicerestore */

#define BANNER                                                                        \
	"idevicerestore 1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, libtatsu " \
	"1.0.5-3-g60a39f3)\n"

/* a whole run in brief; no "#! exit-status": 0, because the device said it
 * finished */
static const gchar success_log[] = BANNER "Found device in Recovery mode\n"
					  "Identified device as d63ap, iPhone14,2\n"
					  "progress: 0 0.500000\n"
					  "About to restore device... \n"
					  "Restoring image (13)\n"
					  "progress: 2 0.500000\n"
					  "progress: 2 1.000000\n"
					  "Verifying restore (14)\n"
					  "Unmounting filesystems (29)\n"
					  "Got status message\n"
					  "Status: Restore Finished\n"
					  "DONE\n";

/* the engine claims success, but the device never confirmed */
static const gchar done_only_log[] = "#! exit-status 0\n" BANNER "Found device in Recovery mode\n"
				     "Identified device as d63ap, iPhone14,2\n"
				     "About to restore device... \n"
				     "Restoring image (13)\n"
				     "progress: 2 0.500000\n"
				     "DONE\n";

/* slow enough to be stopped half-way */
static const gchar slow_log[] = BANNER "Found device in Recovery mode\n"
				       "About to restore device... \n"
				       "Restoring image (13)\n"
				       "@+0.1 progress: 2 0.100000\n"
				       "@+0.1 progress: 2 0.200000\n"
				       "@+0.1 progress: 2 0.300000\n"
				       "@+5 progress: 2 0.400000\n"
				       "@+5 progress: 2 0.500000\n"
				       "@+5 progress: 2 1.000000\n"
				       "Status: Restore Finished\n"
				       "DONE\n";

/* the filesystem sent twice: its bar starts again at the second send */
static const gchar resent_log[] = BANNER "Found device in Recovery mode\n"
					 "About to restore device... \n"
					 "Restoring image (13)\n"
					 "progress: 2 0.800000\n"
					 "progress: 2 0.100000\n"
					 "progress: 2 0.900000\n"
					 "ERROR: Unable to restore device\n";

/* refused before the device reached Restore Mode, where an erase begins */
static const gchar refused_early_log[] = BANNER "Found device in Recovery mode\n"
						"Sending iBEC (1234 bytes)...\n"
						"Waiting for device to enter restore mode...\n"
						"ERROR: Device failed to enter restore mode.\n";

static gchar *
write_log(Fixture *fixture, const gchar *name, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(fixture->tmp_dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, &error));
	g_assert_no_error(error);
	return path;
}

static void
set_or_unset(const gchar *name, const gchar *value)
{
	if (value != NULL)
		g_setenv(name, value, TRUE);
	else
		g_unsetenv(name);
}

/* a job whose engine is the fake, replaying @log_path; the child inherits
 * the environment set here. NULL (and the test skipped) without the fake */
static UbRestoreJob *
fake_job_new(Fixture *fixture,
	     UbDevice *device,
	     const gchar *log_path,
	     const gchar *speed,
	     const gchar *exit_status,
	     gboolean hang,
	     UbIdevicerestoreEngine **engine_out)
{
	const gchar *fake = g_getenv("UB_FAKE_IDEVICERESTORE");
	g_autoptr(UbIdevicerestoreEngine) engine = NULL;
	UbRestoreJob *job;

	if (fake == NULL || !g_file_test(fake, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("the fake idevicerestore was not built");
		return NULL;
	}
	set_or_unset("UB_FAKE_ENGINE_LOG", log_path);
	set_or_unset("UB_FAKE_ENGINE_SPEED", speed);
	set_or_unset("UB_FAKE_ENGINE_EXIT", exit_status);
	set_or_unset("UB_FAKE_ENGINE_HANG", hang ? "1" : NULL);
	engine = ub_idevicerestore_engine_new(fake);
	job = ub_restore_job_new(device, UB_RESTORE_KIND_ERASE, UB_RESTORE_ENGINE(engine));
	ub_restore_job_set_firmware_path(job, fixture->firmware_path);
	if (engine_out != NULL)
		*engine_out = g_object_ref(engine);
	return job;
}

static void
ub_restore_job_fake_success_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "success.log", success_log);
	UbRestoreJob *job = fake_job_new(fixture, device, log, "0", NULL, FALSE, NULL);
	g_autoptr(Watch) watch = NULL;
	g_autofree gchar *diagnostics = NULL;
	g_autofree gchar *argv_path = g_build_filename(fixture->tmp_dir, "argv.txt", NULL);
	g_autofree gchar *argv_text = NULL;
	g_auto(GStrv) argv = NULL;
	const UbRestoreState expected[] = {UB_RESTORE_STATE_PREFLIGHT,
					   UB_RESTORE_STATE_FIRMWARE,
					   UB_RESTORE_STATE_WAIT_FOR_MODE,
					   UB_RESTORE_STATE_RESTORING,
					   UB_RESTORE_STATE_DONE};

	if (job == NULL)
		return;
	g_setenv("UB_FAKE_ENGINE_ARGV_FILE", argv_path, TRUE);
	watch = watch_new(job);
	ub_restore_job_start(job);
	watch_wait(watch);
	assert_states(watch, expected, G_N_ELEMENTS(expected));
	g_assert_null(ub_restore_job_get_failure(job));

	/* the job asked for an erase of this one device with this file */
	g_assert_true(g_file_get_contents(argv_path, &argv_text, NULL, NULL));
	argv = g_strsplit(argv_text, "\n", -1);
	g_assert_true(g_strv_contains((const gchar *const *)argv, "-e"));
	g_assert_true(g_strv_contains((const gchar *const *)argv, "0xe4a1c2b3d5f61"));
	g_assert_true(g_strv_contains((const gchar *const *)argv, fixture->firmware_path));
	g_assert_cmpfloat(ub_restore_job_get_overall_progress(job), ==, 1.0);
	/* every line of the engine, in order */
	g_assert_cmpuint(watch->lines->len, ==, 13);
	g_assert_cmpstr(g_ptr_array_index(watch->lines, 12), ==, "DONE");
	diagnostics = ub_restore_job_dup_diagnostics(job);
	g_assert_nonnull(strstr(diagnostics, "Engine: idevicerestore 1.0.0-271-g45145e9"));
	g_assert_nonnull(strstr(diagnostics, "Exit status: 0"));
	g_assert_null(strstr(diagnostics, "Cause"));
}

static void
ub_restore_job_fake_progress_forward_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "resent.log", resent_log);
	UbRestoreJob *job = fake_job_new(fixture, device, log, "0", "1", FALSE, NULL);
	g_autoptr(Watch) watch = NULL;

	if (job == NULL)
		return;
	watch = watch_new(job);
	ub_restore_job_start(job);
	watch_wait(watch);
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	/* the stage's own bar went back; the whole did not */
	g_assert_cmpfloat(watch->max_overall, >, 0.0);
	g_assert_false(watch->overall_went_back);
	g_assert_cmpfloat(ub_restore_job_get_overall_progress(job), ==, watch->max_overall);
	/* an erase that reached Restore Mode has wiped the device */
	g_assert_true(ub_restore_job_get_erase_begun(job));
}

static void
ub_restore_job_fake_erase_not_begun_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "refused.log", refused_early_log);
	UbRestoreJob *job = fake_job_new(fixture, device, log, "0", "1", FALSE, NULL);
	g_autoptr(Watch) watch = NULL;

	if (job == NULL)
		return;
	watch = watch_new(job);
	ub_restore_job_start(job);
	watch_wait(watch);
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	g_assert_cmpint(ub_restore_job_get_kind(job), ==, UB_RESTORE_KIND_ERASE);
	g_assert_false(ub_restore_job_get_erase_begun(job));
}

static void
ub_restore_job_fake_done_only_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "done-only.log", done_only_log);
	UbRestoreJob *job = fake_job_new(fixture, device, log, "0", NULL, FALSE, NULL);
	g_autoptr(Watch) watch = NULL;
	const UbFailure *failure;

	if (job == NULL)
		return;
	watch = watch_new(job);
	ub_restore_job_start(job);
	watch_wait(watch);
	g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_FAILED);
	failure = ub_restore_job_get_failure(job);
	g_assert_nonnull(failure);
	g_assert_cmpint(failure->exit_status, ==, 0);
	g_assert_nonnull(failure->engine_message);
	g_assert_cmpint(ub_restore_report_get_outcome(ub_restore_job_get_report(job), 0),
			!=,
			UB_RESTORE_OUTCOME_SUCCESS);
	g_assert_cmpfloat(ub_restore_job_get_overall_progress(job), <, 1.0);
}

typedef struct {
	const gchar *name;
	const gchar *exit_status;
	UbRestoreState state;
	UbFailureCause cause;
} FixtureCase;

static const FixtureCase fixture_cases[] = {
    {"01-success-iphone3-3-ios4-legacykit.log",
     "0",
     UB_RESTORE_STATE_DONE,
     UB_FAILURE_CAUSE_UNKNOWN},
    {"04-tss-not-eligible-iphone5-ios6.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_SIGNING_REFUSED},
    {"06-tss-send-failed-network-iphone11pro-ios18.3.1.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_SIGNING_UNREACHABLE},
    {"07-dfu-ibss-upload-failed-iphone8.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_USB_CONNECTION},
    {"09-ibec-did-not-reconnect-ipad-mini2.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_USB_CONNECTION},
    {"10-ibec-upload-failed-recovery-iphone5s.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_USB_CONNECTION},
    {"12-failed-enter-restore-mode-usbmuxd-arch.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE},
    {"14-fdr-failed-iphone13-2-ios18.6.2.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_FDR_FAILED},
    {"16-baseband-verification-error.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_BASEBAND_FAILED},
    {"18-asr-send-failed-usb.log", "1", UB_RESTORE_STATE_FAILED, UB_FAILURE_CAUSE_USB_CONNECTION},
    {"19-libusb-access-denied-ubuntu.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_USB_PERMISSION},
    {"22-host-unsupported-ios18.log",
     "1",
     UB_RESTORE_STATE_FAILED,
     UB_FAILURE_CAUSE_ENGINE_OUTDATED},
};

static void
ub_restore_job_fake_fixture_func(Fixture *fixture, gconstpointer user_data)
{
	const FixtureCase *data = user_data;
	g_autofree gchar *log = ub_test_data_path("idevicerestore-logs", data->name, NULL);
	UbDevice *device;
	UbRestoreJob *job;
	g_autoptr(Watch) watch = NULL;

	device = fixture_load_one(fixture, "recovery", "success", FALSE);
	job = fake_job_new(fixture, device, log, "0", data->exit_status, FALSE, NULL);
	if (job == NULL)
		return;
	watch = watch_new(job);
	ub_restore_job_start(job);
	watch_wait(watch);
	g_assert_cmpuint(watch->lines->len, >, 0);
	if (data->state == UB_RESTORE_STATE_DONE) {
		g_assert_null(ub_restore_job_get_failure(job));
		g_assert_cmpint(ub_restore_job_get_state(job), ==, UB_RESTORE_STATE_DONE);
		return;
	}
	assert_failed(job, data->cause);
	g_assert_cmpint(ub_restore_job_get_failure(job)->exit_status, ==, 1);
}

static void
ub_restore_job_fake_cancel_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "slow.log", slow_log);
	UbRestoreJob *job = fake_job_new(fixture, device, log, "1", NULL, FALSE, NULL);
	g_autoptr(Watch) watch = NULL;

	if (job == NULL)
		return;
	watch = watch_new(job);
	ub_restore_job_start(job);
	for (guint i = 0; i < 2000 && watch->lines->len < 4; i++)
		ub_test_spin(5);
	g_assert_cmpuint(watch->lines->len, >=, 4);
	ub_restore_job_cancel(job);
	g_assert_true(ub_restore_job_get_cancelling(job));
	watch_wait(watch);

	assert_failed(job, UB_FAILURE_CAUSE_CANCELLED);
	g_assert_cmpuint(watch->cancelling->len, ==, 2);
	g_assert_false(ub_restore_job_get_cancelling(job));
	/* it stopped when asked, long before the end of the log */
	g_assert_null(strstr(ub_restore_report_get_transcript(ub_restore_job_get_report(job)),
			     "Status: Restore Finished"));
	g_assert_cmpstr(g_ptr_array_index(watch->lines, watch->lines->len - 1), ==, "Exiting...");
}

static void
ub_restore_job_fake_hang_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	g_autofree gchar *log = write_log(fixture, "done-only.log", done_only_log);
	g_autoptr(UbIdevicerestoreEngine) engine = NULL;
	UbRestoreJob *job = fake_job_new(fixture, device, log, "0", NULL, TRUE, &engine);
	g_autoptr(Watch) watch = NULL;
	gint64 cancelled_at;
	gint64 took_ms;

	if (job == NULL)
		return;
	/* it ignores SIGINT: only the kill after the grace ends it */
	ub_idevicerestore_engine_set_kill_grace(engine, 200);
	watch = watch_new(job);
	ub_restore_job_start(job);
	for (guint i = 0; i < 2000 && watch->lines->len < 7; i++)
		ub_test_spin(5);
	/* the whole log, up to its "DONE", and then it hangs */
	g_assert_cmpuint(watch->lines->len, ==, 7);
	ub_test_spin(50);
	g_assert_false(ub_restore_job_get_finished(job));

	cancelled_at = g_get_monotonic_time();
	ub_restore_job_cancel(job);
	watch_wait(watch);
	took_ms = (g_get_monotonic_time() - cancelled_at) / 1000;
	g_test_message("stopped %" G_GINT64_FORMAT " ms after the cancel", took_ms);
	assert_failed(job, UB_FAILURE_CAUSE_CANCELLED);
	g_assert_cmpint(took_ms, >=, 150);
	g_assert_cmpint(took_ms, <, 10000);
}

/* many at once */

#define N_PARALLEL 8

typedef struct {
	gint64 last;
	gint64 max_gap;
	guint ticks;
} Ticker;

static gboolean
ticker_cb(gpointer user_data)
{
	Ticker *ticker = user_data;
	gint64 now = g_get_monotonic_time();

	ticker->max_gap = MAX(ticker->max_gap, now - ticker->last);
	ticker->last = now;
	ticker->ticks++;
	return G_SOURCE_CONTINUE;
}

static void
ub_restore_job_parallel_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GString) devices = g_string_new(NULL);
	Watch *watches[N_PARALLEL];
	Ticker ticker = {0};
	gboolean all_finished = FALSE;
	guint ticker_id;

	for (guint i = 0; i < N_PARALLEL; i++) {
		g_autofree gchar *id = g_strdup_printf("iphone-%u", i);
		g_autofree gchar *device =
		    device_json(id, ECID_A + i, "recovery", "success", FALSE);
		g_string_append_printf(devices, "%s%s", i > 0 ? ", " : "", device);
	}
	fixture_load(fixture, devices->str);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(fixture->monitor)), ==, N_PARALLEL);

	for (guint i = 0; i < N_PARALLEL; i++) {
		UbDevice *device = ub_device_monitor_find_by_ecid(fixture->monitor, ECID_A + i);
		g_assert_nonnull(device);
		/* a little slower than elsewhere: long enough to measure */
		watches[i] = watch_new(sim_job_new(fixture, device, UB_RESTORE_KIND_ERASE, 0.01));
	}

	ticker.last = g_get_monotonic_time();
	ticker_id = g_timeout_add(10, ticker_cb, &ticker);
	for (guint i = 0; i < N_PARALLEL; i++)
		ub_restore_job_start(watches[i]->job);
	for (guint n = 0; n < JOB_TIMEOUT_MS / 5 && !all_finished; n++) {
		all_finished = TRUE;
		for (guint i = 0; i < N_PARALLEL; i++)
			all_finished = all_finished && watches[i]->finished;
		if (!all_finished)
			g_main_context_iteration(NULL, TRUE);
	}
	g_source_remove(ticker_id);
	g_test_message("%u jobs: longest main-loop gap %.1f ms over %u ticks",
		       N_PARALLEL,
		       ticker.max_gap / 1000.0,
		       ticker.ticks);
	g_assert_true(all_finished);
	/* a sanity bound, not a benchmark */
	g_assert_cmpint(ticker.max_gap, <, 250 * 1000);
	g_assert_cmpuint(ticker.ticks, >, 5);

	for (guint i = 0; i < N_PARALLEL; i++) {
		UbDevice *device = ub_restore_job_get_device(watches[i]->job);
		g_assert_cmpint(
		    ub_restore_job_get_state(watches[i]->job), ==, UB_RESTORE_STATE_DONE);
		g_assert_true(wait_for_mode(device, UB_DEVICE_MODE_NORMAL));
		watch_free(watches[i]);
	}
}

/* a restore that pauses longer than the stall limit */
static const gchar stall_log[] = BANNER "Found device in Recovery mode\n"
					"About to restore device... \n"
					"Restoring image (13)\n"
					"progress: 2 0.100000\n"
					"@+4 progress: 2 0.500000\n"
					"progress: 2 1.000000\n"
					"Status: Restore Finished\n"
					"DONE\n";

static void
ub_restore_job_stall_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device = fixture_load_one(fixture, "recovery", "success", FALSE);
	UbTimedLog *log = ub_timed_log_new_from_data(stall_log, strlen(stall_log));
	g_autoptr(UbSimEngine) engine = ub_sim_engine_new(log, 1.0);
	g_autoptr(Watch) watch =
	    watch_new(ub_restore_job_new(device, UB_RESTORE_KIND_ERASE, UB_RESTORE_ENGINE(engine)));

	ub_restore_job_set_firmware_path(watch->job, fixture->firmware_path);
	ub_restore_job_set_stall_limit(watch->job, 1500);
	ub_restore_job_start(watch->job);
	watch_wait(watch);

	g_assert_cmpint(ub_restore_job_get_state(watch->job), ==, UB_RESTORE_STATE_DONE);
	/* stalled during the pause, and no longer once it moved again */
	g_assert_cmpuint(watch->stalled->len, ==, 2);
	g_assert_true(g_array_index(watch->stalled, gboolean, 0));
	g_assert_false(g_array_index(watch->stalled, gboolean, 1));
	g_assert_false(ub_restore_job_get_stalled(watch->job));
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

#define ADD(path, data, func) \
	g_test_add(           \
	    "/unbrick/restore-job/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
	ADD("sim-success", NULL, ub_restore_job_sim_success_func);
	ADD("sim-fail-baseband", &sim_fail_baseband, ub_restore_job_sim_failure_func);
	ADD("sim-fail-usb", &sim_fail_usb, ub_restore_job_sim_failure_func);
	ADD("sim-unplug", GINT_TO_POINTER(FALSE), ub_restore_job_sim_unplug_func);
	ADD("sim-unplug-short-limit", GINT_TO_POINTER(TRUE), ub_restore_job_sim_unplug_func);
	ADD("sim-cancel", NULL, ub_restore_job_sim_cancel_func);
	ADD("dfu-update", NULL, ub_restore_job_dfu_update_func);
	ADD("engine-missing", NULL, ub_restore_job_engine_missing_func);
	ADD("engine-outdated", NULL, ub_restore_job_engine_outdated_func);
	ADD("fake-success", NULL, ub_restore_job_fake_success_func);
	ADD("fake-done-only", NULL, ub_restore_job_fake_done_only_func);
	ADD("fake-progress-forward", NULL, ub_restore_job_fake_progress_forward_func);
	ADD("fake-erase-not-begun", NULL, ub_restore_job_fake_erase_not_begun_func);
	ADD("fake-cancel", NULL, ub_restore_job_fake_cancel_func);
	ADD("fake-hang", NULL, ub_restore_job_fake_hang_func);
	for (guint i = 0; i < G_N_ELEMENTS(fixture_cases); i++) {
		/* named by the fixture's number: 04, 06, … */
		g_autofree gchar *number = g_strndup(fixture_cases[i].name, 2);
		g_autofree gchar *path =
		    g_strdup_printf("/unbrick/restore-job/fake-fixture/%s", number);
		g_test_add(path,
			   Fixture,
			   &fixture_cases[i],
			   fixture_set_up,
			   ub_restore_job_fake_fixture_func,
			   fixture_tear_down);
	}
	ADD("parallel", NULL, ub_restore_job_parallel_func);
	ADD("stall", NULL, ub_restore_job_stall_func);
#undef ADD
	return g_test_run();
}
