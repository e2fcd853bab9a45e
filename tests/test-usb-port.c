/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"
#include "ub-fake-sysfs.h"
#include "ub-test.h"
#include "ub-usb-port-private.h"

/* what iBoot puts in the USB serial of an iPhone 8 in Recovery Mode */
#define RECOVERY_SERIAL                                                            \
	"CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C " \
	"SRTG:[iBoot-3865.0.0.4.7]"
#define DFU_SERIAL                                                                 \
	"CPID:8960 CPRV:11 CPFM:03 SCEP:01 BDID:02 ECID:00000123456789AB IBFL:1D " \
	"SRTG:[iBoot-1704.10]"

static UbUsbPort *
find_port(GPtrArray *ports, const gchar *path)
{
	for (guint i = 0; i < ports->len; i++) {
		UbUsbPort *port = g_ptr_array_index(ports, i);
		if (g_strcmp0(ub_usb_port_get_path(port), path) == 0)
			return port;
	}
	return NULL;
}

static void
ub_usb_port_list_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	UbUsbPort *port;

	ub_fake_sysfs_add_device(
	    fake, "1-3", 0x046d, 0xc077, NULL, "USB Optical Mouse", "1.5", 1, 4);
	ub_fake_sysfs_add_device(fake,
				 "1-2",
				 0x05ac,
				 0x1281,
				 RECOVERY_SERIAL,
				 "Apple Mobile Device (Recovery Mode)",
				 "480",
				 1,
				 5);
	ub_fake_sysfs_add_hub(fake, "2-1", "USB3.0 Hub", FALSE);
	ub_fake_sysfs_add_device(
	    fake, "2-1.4", 0x05ac, 0x12a8, "00008030001A2B3C4D5E6F71", "iPhone", "5000", 2, 7);

	ports = ub_usb_port_list_apple(ub_fake_sysfs_get_root(fake), &error);
	g_assert_no_error(error);
	g_assert_nonnull(ports);
	/* the mouse, the hub, the root hub and the interfaces are not listed */
	g_assert_cmpuint(ports->len, ==, 2);
	g_assert_cmpstr(ub_usb_port_get_path(g_ptr_array_index(ports, 0)), ==, "1-2");
	g_assert_cmpstr(ub_usb_port_get_path(g_ptr_array_index(ports, 1)), ==, "2-1.4");

	port = find_port(ports, "1-2");
	g_assert_cmpuint(ub_usb_port_get_vendor_id(port), ==, 0x05ac);
	g_assert_cmpuint(ub_usb_port_get_product_id(port), ==, 0x1281);
	g_assert_cmpstr(ub_usb_port_get_serial(port), ==, RECOVERY_SERIAL);
	g_assert_cmpstr(
	    ub_usb_port_get_product_name(port), ==, "Apple Mobile Device (Recovery Mode)");
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(port), ==, 480);
	g_assert_cmpuint(ub_usb_port_get_busnum(port), ==, 1);
	g_assert_cmpuint(ub_usb_port_get_devnum(port), ==, 5);
	g_assert_false(ub_usb_port_get_behind_hub(port));
	g_assert_null(ub_usb_port_get_hub_name(port));
	g_assert_cmpint(ub_usb_port_guess_mode(port), ==, UB_DEVICE_MODE_RECOVERY);

	port = find_port(ports, "2-1.4");
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(port), ==, 5000);
	g_assert_cmpint(ub_usb_port_guess_mode(port), ==, UB_DEVICE_MODE_NORMAL);
	g_assert_true(ub_usb_port_get_behind_hub(port));
	g_assert_cmpstr(ub_usb_port_get_hub_name(port), ==, "USB3.0 Hub");
}

static void
ub_usb_port_empty_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;

	ports = ub_usb_port_list_apple(ub_fake_sysfs_get_root(fake), &error);
	g_assert_no_error(error);
	g_assert_nonnull(ports);
	g_assert_cmpuint(ports->len, ==, 0);
}

static void
ub_usb_port_missing_root_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autofree gchar *root = g_build_filename(ub_fake_sysfs_get_root(fake), "nope", NULL);
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(UbUsbPort) port = NULL;
	g_autoptr(GError) error = NULL;

	ports = ub_usb_port_list_apple(root, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(ports);
	g_clear_error(&error);

	port = ub_usb_port_find_by_serial(root, "whatever", &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
	g_clear_error(&error);

	port = ub_usb_port_find_by_ecid(root, 0x1234, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
}

static UbUsbPort *
list_one(UbFakeSysfs *fake, const gchar *path)
{
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	UbUsbPort *port;

	ports = ub_usb_port_list_apple(ub_fake_sysfs_get_root(fake), &error);
	g_assert_no_error(error);
	port = find_port(ports, path);
	g_assert_nonnull(port);
	return g_object_ref(port);
}

static void
ub_usb_port_direct_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;

	ub_fake_sysfs_add_device(fake, "3-1", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 3, 2);
	port = list_one(fake, "3-1");
	g_assert_false(ub_usb_port_get_behind_hub(port));
	g_assert_null(ub_usb_port_get_hub_name(port));
}

static void
ub_usb_port_external_hub_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;

	ub_fake_sysfs_add_hub(fake, "1-4", "USB2.0 Hub", FALSE);
	ub_fake_sysfs_add_device(fake, "1-4.1", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 9);
	port = list_one(fake, "1-4.1");
	g_assert_true(ub_usb_port_get_behind_hub(port));
	g_assert_cmpstr(ub_usb_port_get_hub_name(port), ==, "USB2.0 Hub");
}

static void
ub_usb_port_internal_hub_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;

	/* a laptop's built-in hub, marked fixed by the kernel */
	ub_fake_sysfs_add_hub(fake, "1-1", "Internal Hub", TRUE);
	ub_fake_sysfs_add_device(fake, "1-1.2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 3);
	port = list_one(fake, "1-1.2");
	g_assert_false(ub_usb_port_get_behind_hub(port));
	g_assert_null(ub_usb_port_get_hub_name(port));
}

static void
ub_usb_port_hardwired_port_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port1 = NULL;
	g_autoptr(UbUsbPort) port2 = NULL;

	/* the hub says nothing, but the root port it sits on is hardwired */
	ub_fake_sysfs_add_hub(fake, "1-1", "Hub", FALSE);
	ub_fake_sysfs_set_attribute(fake, "1-1", "removable", "unknown");
	ub_fake_sysfs_set_attribute(fake, "1-0:1.0/usb1-port1", "connect_type", "hardwired");
	ub_fake_sysfs_add_device(fake, "1-1.2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 3);
	port1 = list_one(fake, "1-1.2");
	g_assert_false(ub_usb_port_get_behind_hub(port1));

	/* a hub behind a hub, its port marked fixed by the parent hub */
	ub_fake_sysfs_add_hub(fake, "1-1.3", "Second Hub", FALSE);
	ub_fake_sysfs_set_attribute(fake, "1-1.3", "removable", "unknown");
	ub_fake_sysfs_set_attribute(fake, "1-1:1.0/1-1-port3", "removable", "fixed");
	ub_fake_sysfs_add_device(fake, "1-1.3.1", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 4);
	port2 = list_one(fake, "1-1.3.1");
	g_assert_false(ub_usb_port_get_behind_hub(port2));
}

static void
ub_usb_port_rate_matching_hub_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;

	/* Intel's integrated rate-matching hub, with firmware that does not
	 * mark it: still built in */
	ub_fake_sysfs_add_device(fake, "2-1", 0x8087, 0x0024, NULL, NULL, "480", 2, 2);
	ub_fake_sysfs_set_attribute(fake, "2-1", "removable", "unknown");
	ub_fake_sysfs_add_device(fake, "2-1.5", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 2, 6);
	port = list_one(fake, "2-1.5");
	g_assert_false(ub_usb_port_get_behind_hub(port));
}

static void
ub_usb_port_hub_chain_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port1 = NULL;
	g_autoptr(UbUsbPort) port2 = NULL;

	/* built-in hub, then a dock: the dock is what the user plugged into */
	ub_fake_sysfs_add_hub(fake, "1-1", "Internal Hub", TRUE);
	ub_fake_sysfs_add_hub(fake, "1-1.4", "Dock Hub", FALSE);
	ub_fake_sysfs_add_device(
	    fake, "1-1.4.2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 8);
	port1 = list_one(fake, "1-1.4.2");
	g_assert_true(ub_usb_port_get_behind_hub(port1));
	g_assert_cmpstr(ub_usb_port_get_hub_name(port1), ==, "Dock Hub");

	/* two external hubs: the one nearest the device is named */
	ub_fake_sysfs_add_hub(fake, "2-1", "Outer Hub", FALSE);
	ub_fake_sysfs_add_hub(fake, "2-1.3", "Inner Hub", FALSE);
	ub_fake_sysfs_add_device(fake, "2-1.3.1", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 2, 9);
	port2 = list_one(fake, "2-1.3.1");
	g_assert_true(ub_usb_port_get_behind_hub(port2));
	g_assert_cmpstr(ub_usb_port_get_hub_name(port2), ==, "Inner Hub");
}

static void
ub_usb_port_hub_unreadable_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;

	/* the path says there is a hub, sysfs has nothing on it: a hub */
	ub_fake_sysfs_add_device(fake, "1-7.2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 3);
	port = list_one(fake, "1-7.2");
	g_assert_true(ub_usb_port_get_behind_hub(port));
	g_assert_null(ub_usb_port_get_hub_name(port));
}

static void
ub_usb_port_speeds_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	struct {
		const gchar *path;
		const gchar *speed;
		guint expected;
	} cases[] = {
	    {"1-1", "1.5", 1},
	    {"1-2", "12", 12},
	    {"1-3", "480", 480},
	    {"1-4", "5000", 5000},
	    {"1-5", "10000", 10000},
	    {"1-6", "20000", 20000},
	    {"1-7", NULL, 0},
	    {"1-8", "fast", 0},
	    {"1-9", "-480", 0},
	    {"1-10", "480x", 0},
	    {"1-11", "", 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		ub_fake_sysfs_add_device(
		    fake, cases[i].path, 0x05ac, 0x12a8, NULL, NULL, cases[i].speed, 1, i + 2);
	}
	ports = ub_usb_port_list_apple(ub_fake_sysfs_get_root(fake), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ports->len, ==, G_N_ELEMENTS(cases));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		UbUsbPort *port = find_port(ports, cases[i].path);
		g_assert_nonnull(port);
		g_assert_cmpuint(ub_usb_port_get_speed_mbps(port), ==, cases[i].expected);
	}
}

static void
ub_usb_port_find_serial_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *root = ub_fake_sysfs_get_root(fake);

	ub_fake_sysfs_add_device(
	    fake, "1-2", 0x05ac, 0x12a8, "00008030001A2B3C4D5E6F70", "iPhone", "480", 1, 5);
	ub_fake_sysfs_add_device(fake,
				 "1-3",
				 0x05ac,
				 0x12ab,
				 "0123456789abcdef0123456789abcdef01234567",
				 "iPad",
				 "480",
				 1,
				 6);
	/* not Apple: never found, even with a matching serial */
	ub_fake_sysfs_add_device(fake, "1-4", 0x18d1, 0x4ee7, "ABCDEF", "Pixel", "480", 1, 7);

	port = ub_usb_port_find_by_serial(root, "00008030001A2B3C4D5E6F70", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-2");
	g_clear_object(&port);

	/* case-insensitive, and the UDID with its dash works too */
	port = ub_usb_port_find_by_serial(root, "00008030-001a2b3c4d5e6f70", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-2");
	g_clear_object(&port);

	port = ub_usb_port_find_by_serial(root, "0123456789ABCDEF0123456789ABCDEF01234567", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-3");
	g_clear_object(&port);

	port = ub_usb_port_find_by_serial(root, "ABCDEF", &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
	g_clear_error(&error);

	port = ub_usb_port_find_by_serial(root, "---", &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
}

static void
ub_usb_port_find_ecid_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *root = ub_fake_sysfs_get_root(fake);

	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 5);
	ub_fake_sysfs_add_device(fake, "1-3", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 6);
	ub_fake_sysfs_add_device(
	    fake, "1-4", 0x05ac, 0x12a8, "00008101000A1B2C3D4E5F60", "iPhone", "480", 1, 7);

	port = ub_usb_port_find_by_ecid(root, 0x001A2B3C4D5E6F70, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-2");
	g_clear_object(&port);

	port = ub_usb_port_find_by_ecid(root, 0x00000123456789AB, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-3");
	g_clear_object(&port);

	/* a normal-mode UDID carries the ECID in its last 16 digits */
	port = ub_usb_port_find_by_ecid(root, 0x000A1B2C3D4E5F60, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-4");
	g_clear_object(&port);

	port = ub_usb_port_find_by_ecid(root, 0xDEADBEEF, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
	g_clear_error(&error);

	port = ub_usb_port_find_by_ecid(root, 0, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(port);
}

static void
ub_usb_port_parse_ecid_func(void)
{
	struct {
		const gchar *serial;
		gboolean ok;
		guint64 ecid;
	} cases[] = {
	    {RECOVERY_SERIAL, TRUE, 0x001A2B3C4D5E6F70},
	    {DFU_SERIAL, TRUE, 0x00000123456789AB},
	    /* iBoot in Recovery adds the serial number and IMEI */
	    {"CPID:8000 CPRV:20 CPFM:03 SCEP:01 BDID:04 ECID:00000123456789AB IBFL:1C "
	     "SRNM:[XXXXXXXXXXXX] IMEI:[N/A]",
	     TRUE,
	     0x00000123456789AB},
	    /* the ECID as the last field, lower case, and with a 0x */
	    {"CPID:8110 BDID:0A ECID:000a1b2c3d4e5f60", TRUE, 0x000A1B2C3D4E5F60},
	    {"cpid:8110 ecid:0x1234", TRUE, 0x1234},
	    {"00008030001A2B3C4D5E6F70", TRUE, 0x001A2B3C4D5E6F70},
	    {"00008030-001A2B3C4D5E6F70", TRUE, 0x001A2B3C4D5E6F70},
	    /* an older normal-mode UDID is a hash: no ECID in it */
	    {"0123456789abcdef0123456789abcdef01234567", FALSE, 0},
	    {"0000803G001A2B3C4D5E6F70", FALSE, 0},
	    {"CPID:8015 ECID: IBFL:3C", FALSE, 0},
	    {"CPID:8015 ECID:[redacted]", FALSE, 0},
	    {"CPID:8015 ECID:12345678901234567 IBFL:3C", FALSE, 0},
	    {"CPID:8015 ECID:0000000000000000", FALSE, 0},
	    {"CPID:8015 ECID:00ZZ", FALSE, 0},
	    {"CPID:8015 XECID:1234", FALSE, 0},
	    {"", FALSE, 0},
	    {NULL, FALSE, 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint64 ecid = 0;
		gboolean ok = _ub_usb_port_parse_ecid(cases[i].serial, &ecid);
		g_test_message("serial %s", cases[i].serial);
		g_assert_cmpint(ok, ==, cases[i].ok);
		if (ok)
			g_assert_cmpuint(ecid, ==, cases[i].ecid);
	}
}

static void
ub_usb_port_guess_mode_func(void)
{
	struct {
		guint16 vid;
		guint16 pid;
		UbDeviceMode mode;
	} cases[] = {
	    {0x05ac, 0x1227, UB_DEVICE_MODE_DFU},
	    {0x05ac, 0x1280, UB_DEVICE_MODE_RECOVERY},
	    {0x05ac, 0x1281, UB_DEVICE_MODE_RECOVERY},
	    {0x05ac, 0x1282, UB_DEVICE_MODE_RECOVERY},
	    {0x05ac, 0x1283, UB_DEVICE_MODE_RECOVERY},
	    {0x05ac, 0x1290, UB_DEVICE_MODE_NORMAL},
	    {0x05ac, 0x12a8, UB_DEVICE_MODE_NORMAL},
	    {0x05ac, 0x12ab, UB_DEVICE_MODE_NORMAL},
	    {0x05ac, 0x12af, UB_DEVICE_MODE_NORMAL},
	    /* WTF, pongoOS, T2, keyboards and the gaps between the ranges */
	    {0x05ac, 0x1222, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x1338, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x8600, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x024f, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x127f, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x1284, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x12b0, UB_DEVICE_MODE_DISCONNECTED},
	    {0x05ac, 0x0000, UB_DEVICE_MODE_DISCONNECTED},
	    /* the right product id from another vendor is not an iPhone */
	    {0x18d1, 0x1227, UB_DEVICE_MODE_DISCONNECTED},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(UbUsbPort) port = g_object_new(UB_TYPE_USB_PORT,
							 "path",
							 "1-1",
							 "vendor-id",
							 (guint)cases[i].vid,
							 "product-id",
							 (guint)cases[i].pid,
							 NULL);
		g_test_message("%04x:%04x", cases[i].vid, cases[i].pid);
		g_assert_cmpint(ub_usb_port_guess_mode(port), ==, cases[i].mode);
	}
}

static void
ub_usb_port_malformed_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	UbUsbPort *port;

	/* skipped: no usable vendor or product */
	ub_fake_sysfs_add_device(fake, "1-1", 0x05ac, 0x1281, NULL, NULL, "480", 1, 2);
	ub_fake_sysfs_set_attribute(fake, "1-1", "idVendor", "zz");
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, NULL, NULL, "480", 1, 3);
	ub_fake_sysfs_set_attribute(fake, "1-2", "idProduct", NULL);
	ub_fake_sysfs_add_device(fake, "1-3", 0x05ac, 0x1281, NULL, NULL, "480", 1, 4);
	ub_fake_sysfs_set_attribute(fake, "1-3", "idProduct", "123456");
	ub_fake_sysfs_set_attribute(fake, "1-4", "idVendor", "");
	/* skipped: not device names, even with Apple's vendor id */
	ub_fake_sysfs_set_attribute(fake, "usb2", "idVendor", "05ac");
	ub_fake_sysfs_set_attribute(fake, "usb2", "idProduct", "1281");
	ub_fake_sysfs_set_attribute(fake, "1-9:1.0", "idVendor", "05ac");
	ub_fake_sysfs_set_attribute(fake, "1-9:1.0", "idProduct", "1281");
	ub_fake_sysfs_set_attribute(fake, "1-", "idVendor", "05ac");
	ub_fake_sysfs_set_attribute(fake, "1-", "idProduct", "1281");
	ub_fake_sysfs_set_attribute(fake, "1-5.", "idVendor", "05ac");
	ub_fake_sysfs_set_attribute(fake, "1-5.", "idProduct", "1281");
	ub_fake_sysfs_set_attribute(fake, "x-5", "idVendor", "05ac");
	ub_fake_sysfs_set_attribute(fake, "x-5", "idProduct", "1281");

	/* listed with defaults: numbers that are no numbers, an empty serial,
	 * a product name that is not UTF-8 */
	ub_fake_sysfs_add_device(fake, "1-6", 0x05ac, 0x1227, "", NULL, "480", 1, 7);
	ub_fake_sysfs_set_attribute(fake, "1-6", "busnum", "abc");
	ub_fake_sysfs_set_attribute(fake, "1-6", "devnum", "99999999999999999999");
	ub_fake_sysfs_set_attribute(fake, "1-6", "product", "Apple\xff\xfe Device");
	/* the bare minimum: only the ids */
	ub_fake_sysfs_add_device(fake, "1-7", 0x05ac, 0x1281, NULL, NULL, NULL, 0, 0);

	ports = ub_usb_port_list_apple(ub_fake_sysfs_get_root(fake), &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ports->len, ==, 2);

	port = find_port(ports, "1-6");
	g_assert_nonnull(port);
	g_assert_cmpuint(ub_usb_port_get_busnum(port), ==, 0);
	g_assert_cmpuint(ub_usb_port_get_devnum(port), ==, 0);
	g_assert_null(ub_usb_port_get_serial(port));
	g_assert_true(g_utf8_validate(ub_usb_port_get_product_name(port), -1, NULL));
	g_assert_null(ub_usb_port_dup_dev_node(port, NULL));
	g_assert_cmpint(ub_usb_port_guess_mode(port), ==, UB_DEVICE_MODE_DFU);

	port = find_port(ports, "1-7");
	g_assert_nonnull(port);
	g_assert_null(ub_usb_port_get_serial(port));
	g_assert_null(ub_usb_port_get_product_name(port));
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(port), ==, 0);
	g_assert_false(ub_usb_port_get_behind_hub(port));
}

static void
ub_usb_port_dev_node_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbUsbPort) port = NULL;
	g_autofree gchar *node = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *real = NULL;

	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 5);
	port = list_one(fake, "1-2");
	node = ub_usb_port_dup_dev_node(port, ub_fake_sysfs_get_dev_root(fake));
	expected = g_build_filename(ub_fake_sysfs_get_dev_root(fake), "bus/usb/001/005", NULL);
	g_assert_cmpstr(node, ==, expected);
	g_assert_true(g_file_test(node, G_FILE_TEST_EXISTS));

	real = ub_usb_port_dup_dev_node(port, NULL);
	g_assert_cmpstr(real, ==, "/dev/bus/usb/001/005");
}

static void
ub_usb_port_new_func(void)
{
	g_autoptr(UbUsbPort) port = ub_usb_port_new("1-2.3", 480, TRUE, "USB2.0 Hub");

	g_assert_cmpstr(ub_usb_port_get_path(port), ==, "1-2.3");
	g_assert_cmpuint(ub_usb_port_get_speed_mbps(port), ==, 480);
	g_assert_true(ub_usb_port_get_behind_hub(port));
	g_assert_cmpstr(ub_usb_port_get_hub_name(port), ==, "USB2.0 Hub");
	g_assert_cmpuint(ub_usb_port_get_vendor_id(port), ==, 0);
	g_assert_null(ub_usb_port_get_serial(port));
	g_assert_cmpint(ub_usb_port_guess_mode(port), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_null(ub_usb_port_dup_dev_node(port, NULL));
}

static void
ub_usb_port_default_root_func(void)
{
	g_autofree gchar *saved = g_strdup(g_getenv("UNBRICK_SYSFS_ROOT"));

	g_unsetenv("UNBRICK_SYSFS_ROOT");
	g_assert_cmpstr(ub_usb_port_default_sysfs_root(), ==, "/sys");
	g_setenv("UNBRICK_SYSFS_ROOT", "", TRUE);
	g_assert_cmpstr(ub_usb_port_default_sysfs_root(), ==, "/sys");
	g_setenv("UNBRICK_SYSFS_ROOT", "/tmp/fake-sys", TRUE);
	g_assert_cmpstr(ub_usb_port_default_sysfs_root(), ==, "/tmp/fake-sys");

	if (saved != NULL)
		g_setenv("UNBRICK_SYSFS_ROOT", saved, TRUE);
	else
		g_unsetenv("UNBRICK_SYSFS_ROOT");
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/usb-port/list", ub_usb_port_list_func);
	g_test_add_func("/unbrick/usb-port/empty", ub_usb_port_empty_func);
	g_test_add_func("/unbrick/usb-port/missing-root", ub_usb_port_missing_root_func);
	g_test_add_func("/unbrick/usb-port/direct", ub_usb_port_direct_func);
	g_test_add_func("/unbrick/usb-port/external-hub", ub_usb_port_external_hub_func);
	g_test_add_func("/unbrick/usb-port/internal-hub", ub_usb_port_internal_hub_func);
	g_test_add_func("/unbrick/usb-port/hardwired-port", ub_usb_port_hardwired_port_func);
	g_test_add_func("/unbrick/usb-port/rate-matching-hub", ub_usb_port_rate_matching_hub_func);
	g_test_add_func("/unbrick/usb-port/hub-chain", ub_usb_port_hub_chain_func);
	g_test_add_func("/unbrick/usb-port/hub-unreadable", ub_usb_port_hub_unreadable_func);
	g_test_add_func("/unbrick/usb-port/speeds", ub_usb_port_speeds_func);
	g_test_add_func("/unbrick/usb-port/find-serial", ub_usb_port_find_serial_func);
	g_test_add_func("/unbrick/usb-port/find-ecid", ub_usb_port_find_ecid_func);
	g_test_add_func("/unbrick/usb-port/parse-ecid", ub_usb_port_parse_ecid_func);
	g_test_add_func("/unbrick/usb-port/guess-mode", ub_usb_port_guess_mode_func);
	g_test_add_func("/unbrick/usb-port/malformed", ub_usb_port_malformed_func);
	g_test_add_func("/unbrick/usb-port/dev-node", ub_usb_port_dev_node_func);
	g_test_add_func("/unbrick/usb-port/new", ub_usb_port_new_func);
	g_test_add_func("/unbrick/usb-port/default-root", ub_usb_port_default_root_func);
	return g_test_run();
}
