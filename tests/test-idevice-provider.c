/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"
#include "ub-fake-sysfs.h"
#include "ub-fake-usbmuxd.h"
#include "ub-idevice-provider-private.h"
#include "ub-idevice-provider.h"
#include "ub-test.h"
#include "ub-usb-port.h"

/* an iPhone 13 Pro on iOS 17.5.1; new-style UDID = CPID-ECID */
#define IPHONE_UDID "00008110-001A2B3C4D5E6F70"
#define IPHONE_ECID 0x001A2B3C4D5E6F70
#define IPHONE_USB_SERIAL "00008110001A2B3C4D5E6F70"
#define IPHONE_SERIAL "XXXXXXXXXXXX"

/* the A12 iPhone of tool-output/ideviceinfo-normal-iphone-a12-ios12.1.3 */
#define IPHONE_XR_UDID "00008020-000A11B22C33D44E"
#define IPHONE_XR_ECID 0x000A11B22C33D44E

#define APPLE_PID_IPHONE 0x12a8
#define WAIT_MS 20000

typedef struct {
	UbFakeUsbmuxd *fake;
	UbFakeSysfs *sysfs;
	UbIdeviceProvider *provider;
	GPtrArray *seen; /* UbDeviceReport */
	GPtrArray *lost; /* gchar */
	GThread *main_thread;
	gboolean wrong_thread;
} IdeviceFixture;

static GHashTable *
iphone13_pro_values(void)
{
	GHashTable *values = ub_fake_usbmuxd_values_new();

	ub_fake_usbmuxd_values_set_string(values, "ProductType", "iPhone14,2");
	ub_fake_usbmuxd_values_set_string(values, "HardwareModel", "D63AP");
	ub_fake_usbmuxd_values_set_string(values, "ProductVersion", "17.5.1");
	ub_fake_usbmuxd_values_set_string(values, "BuildVersion", "21F90");
	ub_fake_usbmuxd_values_set_string(values, "DeviceClass", "iPhone");
	ub_fake_usbmuxd_values_set_string(values, "DeviceName", "User’s iPhone");
	ub_fake_usbmuxd_values_set_uint(values, "UniqueChipID", IPHONE_ECID);
	ub_fake_usbmuxd_values_set_uint(values, "ChipID", 0x8110);
	ub_fake_usbmuxd_values_set_uint(values, "BoardId", 0x0c);
	ub_fake_usbmuxd_values_set_string(values, "UniqueDeviceID", IPHONE_UDID);
	ub_fake_usbmuxd_values_set_string(values, "SerialNumber", IPHONE_SERIAL);
	ub_fake_usbmuxd_values_set_string(values, "ModelNumber", "MLTT3");
	ub_fake_usbmuxd_values_set_string(values, "RegionInfo", "LL/A");
	ub_fake_usbmuxd_values_set_string(values, "WiFiAddress", "00:11:22:33:44:66");
	return values;
}

/* ChipID 32800, BoardId 12, 16D40 as in the shared ideviceinfo fixture */
static GHashTable *
iphone_xr_values(void)
{
	GHashTable *values = ub_fake_usbmuxd_values_new();

	ub_fake_usbmuxd_values_set_string(values, "ProductType", "iPhone11,8");
	ub_fake_usbmuxd_values_set_string(values, "HardwareModel", "N841AP");
	ub_fake_usbmuxd_values_set_string(values, "ProductVersion", "12.1.3");
	ub_fake_usbmuxd_values_set_string(values, "BuildVersion", "16D40");
	ub_fake_usbmuxd_values_set_string(values, "DeviceClass", "iPhone");
	ub_fake_usbmuxd_values_set_uint(values, "UniqueChipID", IPHONE_XR_ECID);
	ub_fake_usbmuxd_values_set_uint(values, "ChipID", 32800);
	ub_fake_usbmuxd_values_set_uint(values, "BoardId", 12);
	ub_fake_usbmuxd_values_set_string(values, "UniqueDeviceID", IPHONE_XR_UDID);
	ub_fake_usbmuxd_values_set_string(values, "SerialNumber", "XXXXXXXXXXXX");
	return values;
}

static void
device_seen_cb(UbDeviceProvider *provider G_GNUC_UNUSED, UbDeviceReport *report, gpointer user_data)
{
	IdeviceFixture *fixture = user_data;

	if (g_thread_self() != fixture->main_thread ||
	    !g_main_context_is_owner(g_main_context_default()))
		fixture->wrong_thread = TRUE;
	g_ptr_array_add(fixture->seen, ub_device_report_copy(report));
}

static void
device_lost_cb(UbDeviceProvider *provider G_GNUC_UNUSED, const gchar *source_id, gpointer user_data)
{
	IdeviceFixture *fixture = user_data;

	if (g_thread_self() != fixture->main_thread ||
	    !g_main_context_is_owner(g_main_context_default()))
		fixture->wrong_thread = TRUE;
	g_ptr_array_add(fixture->lost, g_strdup(source_id));
}

static void
fixture_setup(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GError) error = NULL;

	fixture->main_thread = g_thread_self();
	fixture->fake = ub_fake_usbmuxd_new(&error);
	g_assert_no_error(error);
	g_assert_nonnull(fixture->fake);

	/* libusbmuxd reads this on every connect; no library thread runs now */
	g_setenv("USBMUXD_SOCKET_ADDRESS", ub_fake_usbmuxd_get_address(fixture->fake), TRUE);
	/* ports are looked up in a sysfs of our own, not the machine's */
	fixture->sysfs = ub_fake_sysfs_new();
	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fixture->sysfs), TRUE);

	fixture->seen = g_ptr_array_new_with_free_func((GDestroyNotify)ub_device_report_free);
	fixture->lost = g_ptr_array_new_with_free_func(g_free);
	fixture->provider = ub_idevice_provider_new();
	_ub_idevice_provider_set_retry(fixture->provider, 20, 5);
	g_signal_connect(fixture->provider, "device-seen", G_CALLBACK(device_seen_cb), fixture);
	g_signal_connect(fixture->provider, "device-lost", G_CALLBACK(device_lost_cb), fixture);
}

static gboolean
fixture_wait_probes(guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	while (_ub_idevice_provider_get_n_probes() > 0) {
		if (g_get_monotonic_time() > deadline)
			return FALSE;
		ub_test_spin(10);
	}
	return TRUE;
}

static void
fixture_teardown(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	ub_device_provider_stop(UB_DEVICE_PROVIDER(fixture->provider));
	/* the fake must outlive every worker still talking to it */
	g_assert_true(fixture_wait_probes(WAIT_MS));
	ub_test_spin(20);
	g_assert_false(fixture->wrong_thread);
	g_assert_finalize_object(fixture->provider);
	g_clear_pointer(&fixture->fake, ub_fake_usbmuxd_free);
	g_ptr_array_unref(fixture->seen);
	g_ptr_array_unref(fixture->lost);
	g_clear_pointer(&fixture->sysfs, ub_fake_sysfs_free);
	g_unsetenv("USBMUXD_SOCKET_ADDRESS");
	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

/* libusbmuxd 2.0.2 cancels its event thread on unsubscribe and leaks the
 * packet it was reading at that moment; the tests let it finish reading the
 * answer to "Listen" before they go on, so a quick stop() stays leak-free */
static void
fixture_wait_listening(IdeviceFixture *fixture)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)WAIT_MS * 1000;

	while (ub_fake_usbmuxd_get_n_listeners(fixture->fake) == 0) {
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		ub_test_spin(5);
	}
	ub_test_spin(20);
}

static void
fixture_start(IdeviceFixture *fixture)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(fixture->provider), &error));
	g_assert_no_error(error);
	fixture_wait_listening(fixture);
}

static UbDeviceReport *
fixture_find_seen(IdeviceFixture *fixture, const gchar *source_id)
{
	UbDeviceReport *found = NULL;

	/* the newest report for that source */
	for (guint i = 0; i < fixture->seen->len; i++) {
		UbDeviceReport *report = g_ptr_array_index(fixture->seen, i);
		if (g_strcmp0(report->source_id, source_id) == 0)
			found = report;
	}
	return found;
}

typedef struct {
	IdeviceFixture *fixture;
	const gchar *source_id;
	gboolean with_values;
} SeenWait;

static gboolean
seen_ready(SeenWait *wait)
{
	UbDeviceReport *report = fixture_find_seen(wait->fixture, wait->source_id);

	if (report == NULL)
		return FALSE;
	return !wait->with_values || report->ecid != 0;
}

/* until a report for @source_id (with values, if asked) has arrived */
static UbDeviceReport *
fixture_wait_seen(IdeviceFixture *fixture, const gchar *source_id, gboolean with_values)
{
	SeenWait wait = {fixture, source_id, with_values};
	gint64 deadline = g_get_monotonic_time() + (gint64)WAIT_MS * 1000;

	while (!seen_ready(&wait)) {
		if (g_get_monotonic_time() > deadline)
			return NULL;
		g_main_context_iteration(NULL, TRUE);
	}
	return fixture_find_seen(fixture, source_id);
}

static gboolean
fixture_wait_lost(IdeviceFixture *fixture, const gchar *source_id)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)WAIT_MS * 1000;

	for (;;) {
		for (guint i = 0; i < fixture->lost->len; i++) {
			if (g_strcmp0(g_ptr_array_index(fixture->lost, i), source_id) == 0)
				return TRUE;
		}
		if (g_get_monotonic_time() > deadline)
			return FALSE;
		ub_test_spin(10);
	}
}

static void
idevice_provider_attach_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	UbDeviceReport *report;

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_TRUSTED));

	report = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	g_assert_nonnull(report);
	g_assert_false(fixture->wrong_thread);
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpuint(report->ecid, ==, IPHONE_ECID);
	g_assert_cmpstr(report->product_type, ==, "iPhone14,2");
	g_assert_cmpstr(report->hardware_model, ==, "D63AP");
	g_assert_cmpstr(report->ios_version, ==, "17.5.1");
	g_assert_cmpstr(report->ios_build, ==, "21F90");
	g_assert_cmpuint(report->cpid, ==, 0x8110);
	g_assert_cmpuint(report->bdid, ==, 0x0c);
	g_assert_cmpstr(report->udid, ==, IPHONE_UDID);
	g_assert_cmpstr(report->usb_serial, ==, IPHONE_USB_SERIAL);
	/* trusted: a session was opened for the serial number */
	g_assert_cmpstr(report->serial, ==, IPHONE_SERIAL);
	g_assert_cmpstr(report->model_number, ==, "MLTT3LL/A");
	g_assert_false(report->simulated);
	/* not in (the fake) sysfs */
	g_assert_null(report->port);

	/* one report only: lockdownd answered the first time */
	g_assert_cmpuint(fixture->seen->len, ==, 1);
	/* merely looking never starts pairing, which would show a dialog */
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "Pair"), ==, 0);
	g_assert_cmpuint(fixture->lost->len, ==, 0);
}

static void
idevice_provider_port_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	UbDeviceReport *report;

	/* the USB descriptor carries the UDID without its dash */
	ub_fake_sysfs_add_device(fixture->sysfs,
				 "1-2",
				 UB_APPLE_USB_VENDOR_ID,
				 APPLE_PID_IPHONE,
				 IPHONE_USB_SERIAL,
				 "iPhone",
				 "480",
				 1,
				 5);
	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_NONE));

	report = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	g_assert_nonnull(report);
	g_assert_nonnull(report->port);
	g_assert_cmpstr(ub_usb_port_get_path(report->port), ==, "1-2");
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(report->port), ==, 480);
}

static void
idevice_provider_detach_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE));

	g_assert_true(ub_fake_usbmuxd_detach(fixture->fake, IPHONE_UDID));
	g_assert_true(fixture_wait_lost(fixture, "usbmux:" IPHONE_UDID));
	g_assert_cmpuint(fixture->lost->len, ==, 1);
	g_assert_false(fixture->wrong_thread);
}

static void
idevice_provider_two_devices_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values1 = iphone13_pro_values();
	g_autoptr(GHashTable) values2 = iphone_xr_values();
	UbDeviceReport *report1;
	UbDeviceReport *report2;

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values1, UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_XR_UDID,
					     APPLE_PID_IPHONE,
					     values2,
					     UB_FAKE_IDEVICE_FLAG_TRUSTED));

	report1 = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	report2 = fixture_wait_seen(fixture, "usbmux:" IPHONE_XR_UDID, TRUE);
	g_assert_nonnull(report1);
	g_assert_nonnull(report2);
	g_assert_cmpuint(report1->ecid, ==, IPHONE_ECID);
	g_assert_cmpstr(report1->product_type, ==, "iPhone14,2");
	g_assert_cmpuint(report2->ecid, ==, IPHONE_XR_ECID);
	g_assert_cmpstr(report2->product_type, ==, "iPhone11,8");
	g_assert_cmpstr(report2->ios_version, ==, "12.1.3");
	g_assert_cmpstr(report2->ios_build, ==, "16D40");
	g_assert_cmpuint(report2->cpid, ==, 32800);
	g_assert_cmpuint(report2->bdid, ==, 12);

	/* unplugging one leaves the other alone */
	g_assert_true(ub_fake_usbmuxd_detach(fixture->fake, IPHONE_XR_UDID));
	g_assert_true(fixture_wait_lost(fixture, "usbmux:" IPHONE_XR_UDID));
	ub_test_spin(100);
	g_assert_cmpuint(fixture->lost->len, ==, 1);
	g_assert_cmpuint(fixture->seen->len, ==, 2);
}

static void
idevice_provider_untrusted_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	UbDeviceReport *report;

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_NONE));

	/* what lockdownd gives without pairing is enough to name the device */
	report = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	g_assert_nonnull(report);
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpuint(report->ecid, ==, IPHONE_ECID);
	g_assert_cmpstr(report->product_type, ==, "iPhone14,2");
	g_assert_cmpstr(report->ios_version, ==, "17.5.1");
	g_assert_cmpstr(report->ios_build, ==, "21F90");
	g_assert_cmpuint(report->cpid, ==, 0x8110);
	g_assert_null(report->serial);

	/* no pair record: neither a session nor pairing was tried */
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "StartSession"), ==, 0);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "Pair"), ==, 0);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "QueryType"), ==, 1);
}

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
} AsyncResultHelper;

static void
enter_recovery_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	AsyncResultHelper *helper = user_data;

	helper->ok = ub_device_provider_enter_recovery_finish(
	    UB_DEVICE_PROVIDER(source), result, &helper->error);
	helper->done = TRUE;
}

/* the provider running, one iPhone 13 Pro plugged in and seen */
static void
fixture_start_with_iphone(IdeviceFixture *fixture, UbFakeIdeviceFlags flags)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();

	fixture_start(fixture);
	g_assert_true(
	    ub_fake_usbmuxd_attach(fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, flags));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE));
}

/* asks @source_id to enter Recovery and waits for the answer */
static void
fixture_enter_recovery(IdeviceFixture *fixture, const gchar *source_id, AsyncResultHelper *helper)
{
	ub_device_provider_enter_recovery_async(
	    UB_DEVICE_PROVIDER(fixture->provider), source_id, NULL, enter_recovery_cb, helper);
	g_assert_true(ub_test_wait_until(&helper->done, WAIT_MS));
}

static void
idevice_provider_enter_recovery_untrusted_func(IdeviceFixture *fixture,
					       gconstpointer user_data G_GNUC_UNUSED)
{
	AsyncResultHelper helper = {0};

	fixture_start_with_iphone(fixture, UB_FAKE_IDEVICE_FLAG_NONE);
	fixture_enter_recovery(fixture, "usbmux:" IPHONE_UDID, &helper);
	g_assert_error(helper.error, UB_ERROR, UB_ERROR_NOT_TRUSTED);
	g_assert_false(helper.ok);
	g_clear_error(&helper.error);

	/* libimobiledevice asked to pair, which shows Trust on the iPhone */
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "Pair"), ==, 1);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "EnterRecovery"), ==, 0);
	g_assert_cmpuint(fixture->lost->len, ==, 0);
}

static void
idevice_provider_enter_recovery_passcode_func(IdeviceFixture *fixture,
					      gconstpointer user_data G_GNUC_UNUSED)
{
	AsyncResultHelper helper = {0};

	fixture_start_with_iphone(fixture, UB_FAKE_IDEVICE_FLAG_PASSCODE);
	fixture_enter_recovery(fixture, "usbmux:" IPHONE_UDID, &helper);
	g_assert_error(helper.error, UB_ERROR, UB_ERROR_NOT_TRUSTED);
	g_clear_error(&helper.error);
}

static void
idevice_provider_enter_recovery_trusted_func(IdeviceFixture *fixture,
					     gconstpointer user_data G_GNUC_UNUSED)
{
	AsyncResultHelper helper = {0};

	fixture_start_with_iphone(fixture, UB_FAKE_IDEVICE_FLAG_TRUSTED);
	fixture_enter_recovery(fixture, "usbmux:" IPHONE_UDID, &helper);
	g_assert_no_error(helper.error);
	g_assert_true(helper.ok);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "EnterRecovery"), ==, 1);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "Pair"), ==, 0);

	/* the iPhone reboots into iBoot: its usbmux appearance ends */
	g_assert_true(fixture_wait_lost(fixture, "usbmux:" IPHONE_UDID));
}

static void
idevice_provider_enter_recovery_gone_func(IdeviceFixture *fixture,
					  gconstpointer user_data G_GNUC_UNUSED)
{
	AsyncResultHelper helper = {0};
	AsyncResultHelper helper2 = {0};

	fixture_start(fixture);
	fixture_enter_recovery(fixture, "usbmux:" IPHONE_UDID, &helper);
	g_assert_error(helper.error, UB_ERROR, UB_ERROR_DEVICE_LOST);
	g_clear_error(&helper.error);

	fixture_enter_recovery(fixture, "irecv:0x1a2b3c4d5e6f70:RECOVERY", &helper2);
	g_assert_error(helper2.error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_clear_error(&helper2.error);
}

static void
exit_recovery_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	AsyncResultHelper *helper = user_data;

	helper->ok = ub_device_provider_exit_recovery_finish(
	    UB_DEVICE_PROVIDER(source), result, &helper->error);
	helper->done = TRUE;
}

static void
idevice_provider_exit_recovery_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	AsyncResultHelper helper = {0};

	/* a booted iPhone has no Recovery Mode to leave */
	fixture_start(fixture);
	ub_device_provider_exit_recovery_async(UB_DEVICE_PROVIDER(fixture->provider),
					       "usbmux:" IPHONE_UDID,
					       NULL,
					       exit_recovery_cb,
					       &helper);
	g_assert_true(ub_test_wait_until(&helper.done, WAIT_MS));
	g_assert_false(helper.ok);
	g_assert_error(helper.error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_clear_error(&helper.error);
}

static void
idevice_provider_restore_mode_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	UbDeviceReport *report;

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_UDID,
					     APPLE_PID_IPHONE,
					     values,
					     UB_FAKE_IDEVICE_FLAG_RESTORE_MODE));

	report = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	g_assert_nonnull(report);
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_RESTORE);
	/* from restored's HardwareInfo, so the monitor can join by ECID */
	g_assert_cmpuint(report->ecid, ==, IPHONE_ECID);
	g_assert_cmpuint(report->cpid, ==, 0x8110);
	g_assert_cmpuint(report->bdid, ==, 0x0c);
	g_assert_cmpstr(report->usb_serial, ==, IPHONE_USB_SERIAL);
	g_assert_null(report->product_type);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "GetValue"), ==, 0);
}

static void
idevice_provider_lockdown_late_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	UbDeviceReport *first;
	UbDeviceReport *report;

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_UDID,
					     APPLE_PID_IPHONE,
					     values,
					     UB_FAKE_IDEVICE_FLAG_TRUSTED |
						 UB_FAKE_IDEVICE_FLAG_LOCKDOWN_LATE));

	/* first what usbmuxd knows, then the values once lockdownd answers */
	report = fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE);
	g_assert_nonnull(report);
	g_assert_cmpuint(fixture->seen->len, ==, 2);
	first = g_ptr_array_index(fixture->seen, 0);
	g_assert_cmpstr(first->source_id, ==, "usbmux:" IPHONE_UDID);
	g_assert_cmpint(first->mode, ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpstr(first->udid, ==, IPHONE_UDID);
	g_assert_cmpstr(first->usb_serial, ==, IPHONE_USB_SERIAL);
	g_assert_null(first->product_type);
	g_assert_cmpuint(first->ecid, ==, 0);
	g_assert_cmpstr(report->product_type, ==, "iPhone14,2");
	g_assert_cmpuint(report->ecid, ==, IPHONE_ECID);
}

static void
idevice_provider_network_ignored_func(IdeviceFixture *fixture,
				      gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	g_autoptr(GHashTable) values2 = iphone_xr_values();

	fixture_start(fixture);
	g_assert_true(
	    ub_fake_usbmuxd_attach(fixture->fake,
				   IPHONE_UDID,
				   APPLE_PID_IPHONE,
				   values,
				   UB_FAKE_IDEVICE_FLAG_NETWORK | UB_FAKE_IDEVICE_FLAG_TRUSTED));
	/* a USB device after it proves events still flow */
	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_XR_UDID,
					     APPLE_PID_IPHONE,
					     values2,
					     UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_XR_UDID, TRUE));
	g_assert_true(fixture_wait_probes(WAIT_MS));
	ub_test_spin(50);
	g_assert_cmpuint(fixture->seen->len, ==, 1);
	g_assert_cmpuint(
	    ub_fake_usbmuxd_get_request_count(fixture->fake, IPHONE_UDID, "QueryType"), ==, 0);

	g_assert_true(ub_fake_usbmuxd_detach(fixture->fake, IPHONE_UDID));
	ub_test_spin(100);
	g_assert_cmpuint(fixture->lost->len, ==, 0);
}

static void
idevice_provider_stop_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();
	g_autoptr(GHashTable) values2 = iphone_xr_values();

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE));

	ub_device_provider_stop(UB_DEVICE_PROVIDER(fixture->provider));
	g_ptr_array_set_size(fixture->seen, 0);
	g_ptr_array_set_size(fixture->lost, 0);

	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_XR_UDID,
					     APPLE_PID_IPHONE,
					     values2,
					     UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_true(ub_fake_usbmuxd_detach(fixture->fake, IPHONE_UDID));
	ub_test_spin(300);
	g_assert_cmpuint(fixture->seen->len, ==, 0);
	g_assert_cmpuint(fixture->lost->len, ==, 0);
}

static void
idevice_provider_stop_during_probe_func(IdeviceFixture *fixture,
					gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();

	/* lockdownd keeps refusing for a while: the probe is mid-retry */
	_ub_idevice_provider_set_retry(fixture->provider, 500, 5);
	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(fixture->fake,
					     IPHONE_UDID,
					     APPLE_PID_IPHONE,
					     values,
					     UB_FAKE_IDEVICE_FLAG_TRUSTED |
						 UB_FAKE_IDEVICE_FLAG_LOCKDOWN_LATE));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, FALSE));
	g_assert_cmpuint(_ub_idevice_provider_get_n_probes(), ==, 1);

	ub_device_provider_stop(UB_DEVICE_PROVIDER(fixture->provider));
	g_ptr_array_set_size(fixture->seen, 0);
	g_assert_true(fixture_wait_probes(WAIT_MS));
	ub_test_spin(100);
	g_assert_cmpuint(fixture->seen->len, ==, 0);
	g_assert_cmpuint(fixture->lost->len, ==, 0);
}

static void
idevice_provider_restart_func(IdeviceFixture *fixture, gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(GHashTable) values = iphone13_pro_values();

	fixture_start(fixture);
	g_assert_true(ub_fake_usbmuxd_attach(
	    fixture->fake, IPHONE_UDID, APPLE_PID_IPHONE, values, UB_FAKE_IDEVICE_FLAG_TRUSTED));
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE));
	ub_device_provider_stop(UB_DEVICE_PROVIDER(fixture->provider));
	g_assert_true(fixture_wait_probes(WAIT_MS));
	g_ptr_array_set_size(fixture->seen, 0);

	/* a device already present is reported again after a restart */
	fixture_start(fixture);
	g_assert_nonnull(fixture_wait_seen(fixture, "usbmux:" IPHONE_UDID, TRUE));
}

static void
idevice_provider_single_subscription_func(IdeviceFixture *fixture,
					  gconstpointer user_data G_GNUC_UNUSED)
{
	g_autoptr(UbIdeviceProvider) other = ub_idevice_provider_new();
	g_autoptr(GError) error = NULL;

	fixture_start(fixture);
	g_assert_false(ub_device_provider_start(UB_DEVICE_PROVIDER(other), &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_clear_error(&error);

	/* once the first has let go, the second may watch */
	ub_device_provider_stop(UB_DEVICE_PROVIDER(fixture->provider));
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(other), &error));
	g_assert_no_error(error);
	fixture_wait_listening(fixture);
	ub_device_provider_stop(UB_DEVICE_PROVIDER(other));
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add("/unbrick/idevice-provider/attach",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_attach_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/port",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_port_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/detach",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_detach_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/two-devices",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_two_devices_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/untrusted",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_untrusted_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/enter-recovery-untrusted",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_enter_recovery_untrusted_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/enter-recovery-passcode",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_enter_recovery_passcode_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/enter-recovery-trusted",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_enter_recovery_trusted_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/enter-recovery-gone",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_enter_recovery_gone_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/exit-recovery",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_exit_recovery_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/restore-mode",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_restore_mode_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/lockdown-late",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_lockdown_late_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/network-ignored",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_network_ignored_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/stop",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_stop_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/stop-during-probe",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_stop_during_probe_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/restart",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_restart_func,
		   fixture_teardown);
	g_test_add("/unbrick/idevice-provider/single-subscription",
		   IdeviceFixture,
		   NULL,
		   fixture_setup,
		   idevice_provider_single_subscription_func,
		   fixture_teardown);
	return g_test_run();
}
