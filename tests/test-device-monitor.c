/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-device-monitor.h"
#include "ub-error.h"
#include "ub-test-provider.h"
#include "ub-test.h"

#define ECID_A 0x001A2B3C4D5E6F70ULL
#define ECID_B 0x00112B7C0D4E9A02ULL

typedef struct {
	UbDeviceMonitor *monitor;
	UbTestProvider *provider;
	guint items_changed;
} Fixture;

static void
items_changed_cb(GListModel *model, guint position, guint removed, guint added, Fixture *fixture)
{
	fixture->items_changed++;
}

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fixture->monitor = ub_device_monitor_new(ub_device_db_get_default());
	fixture->provider = ub_test_provider_new();
	g_assert_true(ub_device_monitor_add_provider(
	    fixture->monitor, UB_DEVICE_PROVIDER(fixture->provider), &error));
	g_assert_no_error(error);
	g_signal_connect(fixture->monitor, "items-changed", G_CALLBACK(items_changed_cb), fixture);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	g_assert_finalize_object(fixture->monitor);
	g_assert_finalize_object(fixture->provider);
}

static UbDevice *
nth_device(Fixture *fixture, guint position)
{
	g_autoptr(UbDevice) device =
	    g_list_model_get_item(G_LIST_MODEL(fixture->monitor), position);
	/* the monitor keeps its own reference */
	return device;
}

static guint
n_items(Fixture *fixture)
{
	return g_list_model_get_n_items(G_LIST_MODEL(fixture->monitor));
}

static void
seen(Fixture *fixture, const gchar *source_id, UbDeviceMode mode, guint64 ecid)
{
	ub_test_provider_seen(fixture->provider, source_id, mode, ecid, "iPhone14,2");
}

static void
lost(Fixture *fixture, const gchar *source_id)
{
	ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(fixture->provider), source_id);
}

static void
ub_device_monitor_merge_by_ecid_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbDeviceReport) report = NULL;
	UbDevice *device;

	report = ub_test_report_new("usbmux:udid-a", UB_DEVICE_MODE_NORMAL, ECID_A, "iPhone14,2");
	report->ios_version = g_strdup("18.6.2");
	report->ios_build = g_strdup("22G100");
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), report);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	device = nth_device(fixture, 0);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpstr(ub_device_get_name(device), ==, "iPhone 13 Pro");

	/* iOS restarts into Recovery: gone from usbmuxd, then back via libirecovery */
	lost(fixture, "usbmux:udid-a");
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(ub_device_get_last_connected_mode(device), ==, UB_DEVICE_MODE_NORMAL);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_true(nth_device(fixture, 0) == device);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
	/* Recovery does not tell the iOS version; the one known stays */
	g_assert_cmpstr(ub_device_get_ios_version(device), ==, "18.6.2");

	lost(fixture, "irecv:A:1281");
	seen(fixture, "irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpuint(fixture->items_changed, ==, 1);
}

static void
ub_device_monitor_new_mode_before_old_lost_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	/* two providers on two threads: the DFU arrival can beat the removal */
	seen(fixture, "irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A);
	lost(fixture, "irecv:A:1281");
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpuint(ub_device_monitor_get_n_connected(fixture->monitor), ==, 1);
}

static void
ub_device_monitor_grace_period_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	ub_device_monitor_set_grace_period(fixture->monitor, 50);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	g_object_add_weak_pointer(G_OBJECT(device), (gpointer *)&device);
	lost(fixture, "irecv:A:1281");
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpuint(ub_device_monitor_get_n_connected(fixture->monitor), ==, 0);

	ub_test_spin(150);
	g_assert_cmpuint(n_items(fixture), ==, 0);
	g_assert_null(device);
	g_assert_cmpuint(fixture->items_changed, ==, 2);
}

static void
ub_device_monitor_grace_return_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	ub_device_monitor_set_grace_period(fixture->monitor, 80);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	lost(fixture, "irecv:A:1281");
	ub_test_spin(40);
	seen(fixture, "irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A);
	ub_test_spin(120);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_true(nth_device(fixture, 0) == device);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DFU);
}

static void
ub_device_monitor_several_devices_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbDeviceReport) ipad = NULL;
	UbDevice *phone;
	UbDevice *tablet;

	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	ipad = ub_test_report_new("irecv:B:1227", UB_DEVICE_MODE_DFU, ECID_B, NULL);
	ipad->cpid = 0x8103;
	ipad->bdid = 0x10;
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), ipad);
	g_assert_cmpuint(n_items(fixture), ==, 2);
	phone = nth_device(fixture, 0);
	tablet = nth_device(fixture, 1);
	g_assert_cmpstr(ub_device_get_product_type(tablet), ==, "iPad13,16");
	g_assert_true(ub_device_get_is_ipad(tablet));
	g_assert_cmpint(ub_device_get_button_scheme(tablet), ==, UB_BUTTON_SCHEME_D);
	g_assert_cmpint(ub_device_get_connector(tablet), ==, UB_CONNECTOR_USB_C);

	/* one leaving does not touch the other */
	lost(fixture, "irecv:A:1281");
	g_assert_cmpint(ub_device_get_mode(phone), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(ub_device_get_mode(tablet), ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpuint(ub_device_monitor_get_n_connected(fixture->monitor), ==, 1);
	g_assert_true(ub_device_monitor_find_by_ecid(fixture->monitor, ECID_B) == tablet);
}

static void
ub_device_monitor_chip_lookup_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbDeviceReport) report = NULL;
	UbDevice *device;

	/* DFU tells only the chip; the name comes from Unbrick's own table,
	 * also for phones newer than Debian's libirecovery */
	report = ub_test_report_new("irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A, NULL);
	report->cpid = 0x8150;
	report->bdid = 0x16;
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), report);
	device = nth_device(fixture, 0);
	g_assert_cmpstr(ub_device_get_name(device), ==, "iPhone 17e");
	g_assert_cmpstr(ub_device_get_product_type(device), ==, "iPhone18,5");
	g_assert_cmpint(ub_device_get_connector(device), ==, UB_CONNECTOR_USB_C);
	g_assert_cmpint(ub_device_get_button_scheme(device), ==, UB_BUTTON_SCHEME_A);
}

static void
ub_device_monitor_unknown_chip_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbDeviceReport) report = NULL;
	UbDevice *device;

	report = ub_test_report_new("irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A, NULL);
	report->cpid = 0x9999;
	report->bdid = 0x77;
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), report);
	device = nth_device(fixture, 0);
	g_assert_cmpstr(ub_device_get_name(device), ==, "Apple device");
	g_assert_cmpint(ub_device_get_button_scheme(device), ==, UB_BUTTON_SCHEME_UNKNOWN);
	g_assert_cmpuint(ub_device_get_cpid(device), ==, 0x9999);
}

static void
ub_device_monitor_no_ecid_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	/* usbmuxd saw it but lockdown has not answered yet: one row, later
	 * completed by the same appearance */
	seen(fixture, "usbmux:udid-a", UB_DEVICE_MODE_NORMAL, 0);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	device = nth_device(fixture, 0);
	g_assert_cmpuint(ub_device_get_ecid(device), ==, 0);
	seen(fixture, "usbmux:udid-a", UB_DEVICE_MODE_NORMAL, ECID_A);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_cmpuint(ub_device_get_ecid(device), ==, ECID_A);
	g_assert_true(ub_device_monitor_find_by_ecid(fixture->monitor, ECID_A) == device);
}

typedef struct {
	UbTestProvider *provider;
	guint64 ecid;
} ThreadData;

static gpointer
emit_from_thread(gpointer user_data)
{
	ThreadData *data = user_data;
	ub_test_provider_seen(
	    data->provider, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, data->ecid, "iPhone14,2");
	ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(data->provider), "irecv:A:1281");
	return NULL;
}

static void
notify_mode_cb(UbDevice *device, GParamSpec *pspec, gboolean *on_main)
{
	if (!g_main_context_is_owner(g_main_context_default()))
		*on_main = FALSE;
}

static void
ub_device_monitor_thread_events_func(Fixture *fixture, gconstpointer user_data)
{
	ThreadData data = {fixture->provider, ECID_A};
	GThread *thread;
	gboolean on_main = TRUE;
	UbDevice *device;

	g_assert_true(g_main_context_acquire(g_main_context_default()));
	thread = g_thread_new("library-thread", emit_from_thread, &data);
	g_thread_join(thread);
	/* nothing may arrive until the main loop runs it */
	g_assert_cmpuint(n_items(fixture), ==, 0);
	while (n_items(fixture) == 0)
		g_main_context_iteration(NULL, TRUE);
	device = nth_device(fixture, 0);
	g_signal_connect(device, "notify::mode", G_CALLBACK(notify_mode_cb), &on_main);
	while (ub_device_get_mode(device) != UB_DEVICE_MODE_DISCONNECTED)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(on_main);
	g_signal_handlers_disconnect_by_data(device, &on_main);
	g_main_context_release(g_main_context_default());
}

static void
action_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = user_data;
	g_assert_false(
	    ub_device_monitor_exit_recovery_finish(UB_DEVICE_MONITOR(source), result, error));
}

static void
ub_device_monitor_action_errors_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	UbDevice *device;

	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);

	/* the test provider implements no commands */
	ub_device_monitor_exit_recovery_async(
	    fixture->monitor, device, NULL, action_done_cb, &error);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_assert_cmpint(ub_device_get_recovery_exit(device), ==, UB_RECOVERY_EXIT_NONE);
	g_clear_error(&error);

	lost(fixture, "irecv:A:1281");
	ub_device_monitor_exit_recovery_async(
	    fixture->monitor, device, NULL, action_done_cb, &error);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_error(error, UB_ERROR, UB_ERROR_DEVICE_LOST);
}

static void
ub_device_monitor_remove_provider_func(Fixture *fixture, gconstpointer user_data)
{
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	seen(fixture, "irecv:B:1281", UB_DEVICE_MODE_RECOVERY, ECID_B);
	g_assert_cmpuint(n_items(fixture), ==, 2);
	ub_device_monitor_remove_provider(fixture->monitor, UB_DEVICE_PROVIDER(fixture->provider));
	g_assert_cmpuint(n_items(fixture), ==, 0);
	/* a late event from a removed provider changes nothing */
	seen(fixture, "irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A);
	g_assert_cmpuint(n_items(fixture), ==, 0);
}

static void
ub_device_monitor_hold_survives_grace_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	ub_device_monitor_set_grace_period(fixture->monitor, 50);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	ub_device_monitor_hold_device(fixture->monitor, device);
	lost(fixture, "irecv:A:1281");
	ub_test_spin(150);

	/* away three grace periods: still listed, as disconnected */
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_true(nth_device(fixture, 0) == device);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DISCONNECTED);

	/* coming back and leaving again while held changes nothing */
	seen(fixture, "irecv:A:1227", UB_DEVICE_MODE_DFU, ECID_A);
	lost(fixture, "irecv:A:1227");
	ub_test_spin(150);
	g_assert_cmpuint(n_items(fixture), ==, 1);

	ub_device_monitor_release_device(fixture->monitor, device);
	g_assert_cmpuint(n_items(fixture), ==, 1);
}

static void
ub_device_monitor_hold_release_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	ub_device_monitor_set_grace_period(fixture->monitor, 100);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	g_object_add_weak_pointer(G_OBJECT(device), (gpointer *)&device);

	/* counted: two holders, both must let go */
	ub_device_monitor_hold_device(fixture->monitor, device);
	ub_device_monitor_hold_device(fixture->monitor, device);
	lost(fixture, "irecv:A:1281");
	ub_test_spin(250);
	ub_device_monitor_release_device(fixture->monitor, device);
	ub_test_spin(250);
	g_assert_cmpuint(n_items(fixture), ==, 1);

	/* the last release starts a fresh grace period, not an expired one */
	ub_device_monitor_release_device(fixture->monitor, device);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_nonnull(device);
	for (guint i = 0; i < 200 && n_items(fixture) > 0; i++)
		ub_test_spin(10);
	g_assert_cmpuint(n_items(fixture), ==, 0);
	g_assert_null(device);
	g_assert_cmpuint(fixture->items_changed, ==, 2);
}

static void
ub_device_monitor_release_connected_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	ub_device_monitor_set_grace_period(fixture->monitor, 50);
	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	g_object_add_weak_pointer(G_OBJECT(device), (gpointer *)&device);
	ub_device_monitor_hold_device(fixture->monitor, device);
	ub_device_monitor_release_device(fixture->monitor, device);
	ub_test_spin(150);
	g_assert_cmpuint(n_items(fixture), ==, 1);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);

	/* no hold left: the next disconnection ends as usual */
	lost(fixture, "irecv:A:1281");
	ub_test_spin(150);
	g_assert_cmpuint(n_items(fixture), ==, 0);
	g_assert_null(device);
}

static void
ub_device_monitor_release_unbalanced_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	ub_device_monitor_hold_device(fixture->monitor, device);
	ub_device_monitor_release_device(fixture->monitor, device);
	g_test_expect_message("ub-device-monitor", G_LOG_LEVEL_CRITICAL, "*count > 0*");
	ub_device_monitor_release_device(fixture->monitor, device);
	g_test_assert_expected_messages();
	g_assert_cmpuint(n_items(fixture), ==, 1);
}

static void
ub_device_monitor_hold_provider_removed_func(Fixture *fixture, gconstpointer user_data)
{
	UbDevice *device;

	seen(fixture, "irecv:A:1281", UB_DEVICE_MODE_RECOVERY, ECID_A);
	device = nth_device(fixture, 0);
	g_object_add_weak_pointer(G_OBJECT(device), (gpointer *)&device);
	ub_device_monitor_hold_device(fixture->monitor, device);
	/* a removed provider still takes its devices; the hold keeps the
	 * object alive until its holder lets go */
	ub_device_monitor_remove_provider(fixture->monitor, UB_DEVICE_PROVIDER(fixture->provider));
	g_assert_cmpuint(n_items(fixture), ==, 0);
	g_assert_nonnull(device);
	ub_device_monitor_release_device(fixture->monitor, device);
	g_assert_null(device);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

#define ADD(path, func)                             \
	g_test_add("/unbrick/device-monitor/" path, \
		   Fixture,                         \
		   NULL,                            \
		   fixture_set_up,                  \
		   func,                            \
		   fixture_tear_down)
	ADD("merge-by-ecid", ub_device_monitor_merge_by_ecid_func);
	ADD("new-mode-before-old-lost", ub_device_monitor_new_mode_before_old_lost_func);
	ADD("grace-period", ub_device_monitor_grace_period_func);
	ADD("grace-return", ub_device_monitor_grace_return_func);
	ADD("several-devices", ub_device_monitor_several_devices_func);
	ADD("chip-lookup", ub_device_monitor_chip_lookup_func);
	ADD("unknown-chip", ub_device_monitor_unknown_chip_func);
	ADD("no-ecid-yet", ub_device_monitor_no_ecid_func);
	ADD("thread-events", ub_device_monitor_thread_events_func);
	ADD("action-errors", ub_device_monitor_action_errors_func);
	ADD("remove-provider", ub_device_monitor_remove_provider_func);
	ADD("hold-survives-grace", ub_device_monitor_hold_survives_grace_func);
	ADD("hold-release", ub_device_monitor_hold_release_func);
	ADD("release-connected", ub_device_monitor_release_connected_func);
	ADD("release-unbalanced", ub_device_monitor_release_unbalanced_func);
	ADD("hold-provider-removed", ub_device_monitor_hold_provider_removed_func);
#undef ADD
	return g_test_run();
}
