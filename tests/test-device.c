/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-device-private.h"
#include "ub-test.h"
#include "ub-usb-port.h"

static void
count_notify_cb(GObject *object, GParamSpec *pspec, GHashTable *counts)
{
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, pspec->name));
	g_hash_table_insert(counts, (gpointer)pspec->name, GUINT_TO_POINTER(n + 1));
}

static guint
count_of(GHashTable *counts, const gchar *name)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(counts, name));
}

static void
ub_device_apply_report_func(void)
{
	g_autoptr(UbDevice) device = _ub_device_new(0x001A2B3C4D5E6F70);
	g_autoptr(UbDeviceReport) normal = ub_device_report_new("usbmux:a", UB_DEVICE_MODE_NORMAL);
	g_autoptr(UbDeviceReport) recovery =
	    ub_device_report_new("irecv:a", UB_DEVICE_MODE_RECOVERY);
	g_autoptr(GHashTable) counts = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *ecid = NULL;

	g_signal_connect(device, "notify", G_CALLBACK(count_notify_cb), counts);
	normal->ecid = 0x001A2B3C4D5E6F70;
	normal->product_type = g_strdup("iPhone15,4");
	normal->ios_version = g_strdup("26.1");
	normal->ios_build = g_strdup("23B85");
	normal->serial = g_strdup("H7QW2K9LXP3M");
	normal->port = ub_usb_port_new("3-1", 480, FALSE, NULL);
	_ub_device_apply_report(device, normal, ub_device_db_get_default());

	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_NORMAL);
	g_assert_cmpstr(ub_device_get_name(device), ==, "iPhone 15");
	g_assert_cmpstr(ub_device_get_hardware_model(device), ==, "d37ap");
	g_assert_cmpuint(ub_device_get_cpid(device), ==, 0x8120);
	g_assert_cmpint(ub_device_get_connector(device), ==, UB_CONNECTOR_USB_C);
	g_assert_cmpint(ub_device_get_button_scheme(device), ==, UB_BUTTON_SCHEME_A);
	g_assert_cmpstr(ub_device_get_source_id(device), ==, "usbmux:a");
	g_assert_cmpuint(count_of(counts, "mode"), ==, 1);
	g_assert_cmpuint(count_of(counts, "ios-version"), ==, 1);

	/* the same report again changes nothing, so nothing is notified */
	g_hash_table_remove_all(counts);
	_ub_device_apply_report(device, normal, ub_device_db_get_default());
	g_assert_cmpuint(g_hash_table_size(counts), ==, 0);

	/* Recovery knows less; what was known stays */
	_ub_device_apply_report(device, recovery, ub_device_db_get_default());
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmpstr(ub_device_get_ios_version(device), ==, "26.1");
	g_assert_cmpstr(ub_device_get_serial(device), ==, "H7QW2K9LXP3M");
	g_assert_nonnull(ub_device_get_usb_port(device));
	g_assert_cmpint(ub_device_get_last_connected_mode(device), ==, UB_DEVICE_MODE_RECOVERY);

	_ub_device_set_disconnected(device);
	g_assert_cmpint(ub_device_get_mode(device), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(ub_device_get_last_connected_mode(device), ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmpint(_ub_device_get_disconnected_since(device), >, 0);

	ecid = ub_device_dup_ecid_string(device);
	g_assert_cmpstr(ecid, ==, "0x1A2B3C4D5E6F70");
}

static void
ub_device_name_fallback_func(void)
{
	g_autoptr(UbDevice) device = _ub_device_new(0);
	g_autoptr(UbDeviceReport) report = ub_device_report_new("x", UB_DEVICE_MODE_DFU);

	g_assert_cmpstr(ub_device_get_name(device), ==, "Apple device");
	g_assert_null(ub_device_dup_ecid_string(device));
	report->product_type = g_strdup("iPhone99,1");
	_ub_device_apply_report(device, report, NULL);
	/* an unknown future model still has a name to show */
	g_assert_cmpstr(ub_device_get_name(device), ==, "iPhone99,1");
	g_assert_cmpint(ub_device_get_button_scheme(device), ==, UB_BUTTON_SCHEME_A);
	g_assert_false(ub_device_get_is_ipad(device));
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/device/apply-report", ub_device_apply_report_func);
	g_test_add_func("/unbrick/device/name-fallback", ub_device_name_fallback_func);
	return g_test_run();
}
