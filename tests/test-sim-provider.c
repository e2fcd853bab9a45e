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
#include "ub-sim-provider.h"
#include "ub-test.h"
#include "ub-usb-port.h"

#define FAST 0.01

static void
ub_sim_provider_bundled_func(void)
{
	const gchar *names[] = {"empty",
				"demo",
				"recovery",
				"recovery-loop",
				"two-devices",
				"mode-changes",
				"untrusted"};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(UbSimProvider) provider =
		    ub_sim_provider_new_for_scenario(names[i], &error);

		g_assert_no_error(error);
		g_assert_nonnull(provider);
		if (g_str_equal(names[i], "empty"))
			g_assert_cmpuint(ub_sim_provider_get_n_devices(provider), ==, 0);
		else
			g_assert_cmpuint(ub_sim_provider_get_n_devices(provider), >, 0);
		g_assert_cmpstr(ub_sim_provider_get_title(provider), !=, "");
	}
}

static void
ub_sim_provider_malformed_func(void)
{
	const struct {
		const gchar *json;
		const gchar *message;
	} cases[] = {
	    {"", "must be a JSON object"},
	    {"{", "not a scenario"},
	    {"\xff\xfe garbage", "not a scenario"},
	    {"[]", "must be a JSON object"},
	    {"{}", "\"devices\" must be a list"},
	    {"{\"devices\": {}}", "\"devices\" must be a list"},
	    {"{\"devices\": [1]}", "devices[0]: must be an object"},
	    {"{\"devices\": [{}]}", "devices[0]: \"id\" is missing"},
	    {"{\"devices\": [{\"id\": 7}]}", "devices[0]: \"id\" is not a string"},
	    {"{\"devices\": [{\"id\": \"a\"}]}", "\"ecid\" is missing"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0xZZ\"}]}", "\"ecid\" is not a number"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1FFFFFFFFFFFFFFFF\"}]}",
	     "\"ecid\" is not a number"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\"}]}", "\"product-type\" is missing"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"Pixel 9\"}]}",
	     "is not like iPhone14,2"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": "
	     "\"iPhone14,2\"}]}",
	     "\"mode\" is missing"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"sleepy\"}]}",
	     "unknown \"mode\": sleepy"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"appear-at\": -1}]}",
	     "\"appear-at\" must be between"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"appear-at\": \"soon\"}]}",
	     "\"appear-at\" is not a number"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"trusted\": \"yes\"}]}",
	     "\"trusted\" must be true or false"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"after-exit-recovery\": \"explodes\"}]}",
	     "\"after-exit-recovery\" must be"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"port\": 3}]}",
	     "devices[0].port: must be an object"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\", \"port\": {\"speed-mbps\": 0}}]}",
	     "\"speed-mbps\" must be between"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}, {\"id\": \"a\", \"ecid\": \"0x2\", \"product-type\": "
	     "\"iPhone14,2\", \"mode\": \"dfu\"}]}",
	     "the id \"a\" is used twice"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}], \"timeline\": {}}",
	     "\"timeline\" must be a list"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}], \"timeline\": [{\"device\": \"a\", \"mode\": \"dfu\"}]}",
	     "timeline[0]: \"at\" is missing"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}], \"timeline\": [{\"at\": 1, \"device\": \"b\", \"mode\": "
	     "\"dfu\"}]}",
	     "timeline[0]: no device has the id \"b\""},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}], \"timeline\": [{\"at\": 1, \"device\": \"a\", \"mode\": "
	     "\"off\"}]}",
	     "timeline[0]: unknown \"mode\": off"},
	    {"{\"devices\": [{\"id\": \"a\", \"ecid\": \"0x1\", \"product-type\": \"iPhone14,2\", "
	     "\"mode\": \"dfu\"}], \"timeline\": [{\"at\": 1e308, \"device\": \"a\", \"mode\": "
	     "\"dfu\"}]}",
	     "\"at\" must be between"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = g_bytes_new_static(cases[i].json, strlen(cases[i].json));
		g_autoptr(UbSimProvider) provider = ub_sim_provider_new_from_bytes(bytes, &error);

		/* some cases are not UTF-8, and the TAP stream must stay text */
		g_autofree gchar *printable = g_strescape(cases[i].json, NULL);

		g_test_message("case %u: %s", i, printable);
		g_assert_null(provider);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_test_message("error: %s", error->message);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void
ub_sim_provider_missing_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimProvider) provider = NULL;

	provider = ub_sim_provider_new_for_scenario("no-such-scenario", &error);
	g_assert_null(provider);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_clear_error(&error);

	provider = ub_sim_provider_new_for_scenario("/nonexistent/scenario.json", &error);
	g_assert_null(provider);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_nonnull(strstr(error->message, "failed to read scenario"));
}

static void
ub_sim_provider_from_file_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "bad.json", NULL);
	g_autoptr(UbSimProvider) provider = NULL;

	g_assert_true(g_file_set_contents(path, "{\"devices\": 5}", -1, &error));
	provider = ub_sim_provider_new_for_scenario(path, &error);
	g_assert_null(provider);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	/* the message names the file, so whoever wrote it can find it */
	g_assert_nonnull(strstr(error->message, path));
	g_unlink(path);
}

static void
ub_sim_provider_deep_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "deep.json", NULL);
	g_autoptr(GString) deep = g_string_new("{\"devices\": ");
	g_autoptr(UbSimProvider) provider = NULL;

	/* a few hundred KB of brackets would take json-glib a frame each, past
	 * the end of the stack: --simulate with such a file is refused instead */
	for (guint i = 0; i < 200000; i++)
		g_string_append_c(deep, '[');
	g_assert_true(g_file_set_contents(path, deep->str, (gssize)deep->len, &error));
	provider = ub_sim_provider_new_for_scenario(path, &error);
	g_assert_null(provider);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "nested more than"));
	g_unlink(path);
}

static void
mode_notify_cb(UbDevice *device, GParamSpec *pspec, GArray *modes)
{
	UbDeviceMode mode = ub_device_get_mode(device);
	g_array_append_val(modes, mode);
}

static UbDeviceMonitor *
monitor_for(const gchar *scenario, UbSimProvider **provider_out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbSimProvider) provider = ub_sim_provider_new_for_scenario(scenario, &error);
	UbDeviceMonitor *monitor = ub_device_monitor_new(ub_device_db_get_default());

	g_assert_no_error(error);
	ub_sim_provider_set_time_scale(provider, FAST);
	g_assert_true(
	    ub_device_monitor_add_provider(monitor, UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	if (provider_out != NULL)
		*provider_out = g_steal_pointer(&provider);
	return monitor;
}

static void
ub_sim_provider_timeline_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("mode-changes", NULL);
	g_autoptr(GArray) modes = g_array_new(FALSE, FALSE, sizeof(UbDeviceMode));
	g_autoptr(UbDevice) device = NULL;
	const UbDeviceMode expected[] = {UB_DEVICE_MODE_DISCONNECTED,
					 UB_DEVICE_MODE_RECOVERY,
					 UB_DEVICE_MODE_DISCONNECTED,
					 UB_DEVICE_MODE_DFU,
					 UB_DEVICE_MODE_DISCONNECTED};

	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 1);
	device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpstr(ub_device_get_name(device), ==, "iPhone X (Global)");
	g_assert_true(ub_device_get_simulated(device));
	g_signal_connect(device, "notify::mode", G_CALLBACK(mode_notify_cb), modes);

	ub_test_spin(150);
	g_signal_handlers_disconnect_by_data(device, modes);
	g_assert_cmpuint(modes->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < modes->len; i++)
		g_assert_cmpint(g_array_index(modes, UbDeviceMode, i), ==, expected[i]);
	/* still one row the whole time */
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 1);
}

static void
ub_sim_provider_two_devices_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("two-devices", NULL);
	g_autoptr(UbDevice) phone = NULL;
	g_autoptr(UbDevice) tablet = NULL;

	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 2);
	phone = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	tablet = g_list_model_get_item(G_LIST_MODEL(monitor), 1);
	g_assert_cmpint(ub_device_get_mode(phone), ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmpint(ub_device_get_mode(tablet), ==, UB_DEVICE_MODE_DFU);
	g_assert_false(ub_usb_port_get_behind_hub(ub_device_get_usb_port(phone)));
	g_assert_true(ub_usb_port_get_behind_hub(ub_device_get_usb_port(tablet)));
	g_assert_cmpstr(ub_usb_port_get_hub_name(ub_device_get_usb_port(tablet)), ==, "USB2.0 Hub");
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(ub_device_get_usb_port(tablet)), ==, 480);
}

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
} ActionResult;

static void
exit_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ActionResult *action = user_data;
	action->ok = ub_device_monitor_exit_recovery_finish(
	    UB_DEVICE_MONITOR(source), result, &action->error);
	action->done = TRUE;
}

static void
enter_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ActionResult *action = user_data;
	action->ok = ub_device_monitor_enter_recovery_finish(
	    UB_DEVICE_MONITOR(source), result, &action->error);
	action->done = TRUE;
}

static gboolean
wait_for_exit_result(UbDevice *device, UbRecoveryExit wanted)
{
	for (guint i = 0; i < 400 && ub_device_get_recovery_exit(device) != wanted; i++)
		ub_test_spin(5);
	return ub_device_get_recovery_exit(device) == wanted;
}

static void
ub_sim_provider_exit_recovery_boots_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("recovery", NULL);
	g_autoptr(UbDevice) device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	ActionResult action = {0};

	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
	ub_device_monitor_exit_recovery_async(monitor, device, NULL, exit_done_cb, &action);
	g_assert_true(ub_test_wait_until(&action.done, 1000));
	g_assert_no_error(action.error);
	g_assert_true(action.ok);
	g_assert_cmpint(ub_device_get_recovery_exit(device), ==, UB_RECOVERY_EXIT_PENDING);
	g_assert_true(wait_for_exit_result(device, UB_RECOVERY_EXIT_BOOTED));
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpstr(ub_device_get_ios_version(device), ==, "18.6.2");
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 1);
}

static void
ub_sim_provider_exit_recovery_returns_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("recovery-loop", NULL);
	g_autoptr(UbDevice) device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	ActionResult action = {0};

	ub_device_monitor_exit_recovery_async(monitor, device, NULL, exit_done_cb, &action);
	g_assert_true(ub_test_wait_until(&action.done, 1000));
	g_assert_true(action.ok);
	g_assert_true(wait_for_exit_result(device, UB_RECOVERY_EXIT_BACK_IN_RECOVERY));
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
}

static void
ub_sim_provider_enter_recovery_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("mode-changes", NULL);
	g_autoptr(UbDevice) device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	ActionResult action = {0};
	ActionResult again = {0};

	ub_device_monitor_enter_recovery_async(monitor, device, NULL, enter_done_cb, &action);
	g_assert_true(ub_test_wait_until(&action.done, 1000));
	g_assert_no_error(action.error);
	g_assert_true(action.ok);

	/* Recovery has no lockdown: entering again is refused clearly */
	for (guint i = 0; i < 200 && ub_device_get_mode(device) != UB_DEVICE_MODE_RECOVERY; i++)
		ub_test_spin(2);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
	ub_device_monitor_enter_recovery_async(monitor, device, NULL, enter_done_cb, &again);
	g_assert_true(ub_test_wait_until(&again.done, 1000));
	g_assert_error(again.error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_clear_error(&again.error);
}

static void
ub_sim_provider_untrusted_func(void)
{
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("untrusted", NULL);
	g_autoptr(UbDevice) device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);
	ActionResult action = {0};

	ub_device_monitor_enter_recovery_async(monitor, device, NULL, enter_done_cb, &action);
	g_assert_true(ub_test_wait_until(&action.done, 1000));
	g_assert_false(action.ok);
	g_assert_error(action.error, UB_ERROR, UB_ERROR_NOT_TRUSTED);
	g_clear_error(&action.error);
	/* nothing happened to the device */
	ub_test_spin(100);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_NORMAL);
}

static void
ub_sim_provider_stop_func(void)
{
	UbSimProvider *provider = NULL;
	g_autoptr(UbDeviceMonitor) monitor = monitor_for("mode-changes", &provider);
	g_autoptr(UbDevice) device = g_list_model_get_item(G_LIST_MODEL(monitor), 0);

	/* a stopped scenario plays no more of its timeline */
	ub_device_monitor_remove_provider(monitor, UB_DEVICE_PROVIDER(provider));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 0);
	ub_test_spin(150);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(monitor)), ==, 0);
	g_assert_finalize_object(provider);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/sim-provider/bundled", ub_sim_provider_bundled_func);
	g_test_add_func("/unbrick/sim-provider/malformed", ub_sim_provider_malformed_func);
	g_test_add_func("/unbrick/sim-provider/missing", ub_sim_provider_missing_func);
	g_test_add_func("/unbrick/sim-provider/from-file", ub_sim_provider_from_file_func);
	g_test_add_func("/unbrick/sim-provider/deep", ub_sim_provider_deep_func);
	g_test_add_func("/unbrick/sim-provider/timeline", ub_sim_provider_timeline_func);
	g_test_add_func("/unbrick/sim-provider/two-devices", ub_sim_provider_two_devices_func);
	g_test_add_func("/unbrick/sim-provider/exit-recovery-boots",
			ub_sim_provider_exit_recovery_boots_func);
	g_test_add_func("/unbrick/sim-provider/exit-recovery-returns",
			ub_sim_provider_exit_recovery_returns_func);
	g_test_add_func("/unbrick/sim-provider/enter-recovery",
			ub_sim_provider_enter_recovery_func);
	g_test_add_func("/unbrick/sim-provider/untrusted", ub_sim_provider_untrusted_func);
	g_test_add_func("/unbrick/sim-provider/stop", ub_sim_provider_stop_func);
	return g_test_run();
}
