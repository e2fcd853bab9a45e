/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ub-device-private.h"
#include "ub-fake-sysfs.h"
#include "ub-fake-upower.h"
#include "ub-preflight-private.h"
#include "ub-remediation.h"
#include "ub-test.h"
#include "ub-usb-port.h"

#define GIB (G_GUINT64_CONSTANT(1) << 30)
#define MIB (G_GUINT64_CONSTANT(1) << 20)

/* an iPhone SE (2nd gen): A13, CPID 8030 */
#define ECID G_GUINT64_CONSTANT(0x001A2B3C4D5E6F70)
#define PRODUCT_TYPE "iPhone12,8"
#define UDID "00008030-001A2B3C4D5E6F70"
#define NORMAL_SERIAL "00008030001A2B3C4D5E6F70"
#define RECOVERY_SERIAL                                                            \
	"CPID:8030 CPRV:11 CPFM:03 SCEP:01 BDID:0C ECID:001A2B3C4D5E6F70 IBFL:3C " \
	"SRTG:[iBoot-3865.0.0.4.7]"

/* knows every model up to 2025 (see test-engine-info.c) */
#define CURRENT_ENGINE "idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.3.1, libtatsu 1.0.5)"
/* Debian 12's, from 2020: too old for an iPhone 12 */
#define DEBIAN_ENGINE "idevicerestore 1.0.0"

/* the private bus the fake UPower lives on, one per test binary */
static GTestDBus *test_bus;

typedef struct {
	UbFakeSysfs *fake;
	gchar *socket_dir;
	gchar *socket_path;
	gchar *flatpak_info;
	GSocket *usbmuxd;
	UbConnectionCheckEnv env;
	UbFakeUpower *upower;
	GDBusConnection *client_bus;
	GSocketService *service;
	gchar *open_host;
	gchar *closed_host;
	GSocket *hung_listener;
	GPtrArray *hung_clients;
	gchar *hung_host;
	gchar *storage_dir;
	UbDevice *device;
	UbPreflight *preflight;
} Fixture;

/* the device as the monitor would have it */
static UbDevice *
make_device(UbDeviceMode mode, const gchar *product_type, gboolean simulated, UbUsbPort *port)
{
	UbDevice *device = _ub_device_new(ECID);
	g_autoptr(UbDeviceReport) report = NULL;

	report = ub_device_report_new(mode == UB_DEVICE_MODE_NORMAL ? "usbmux:test" : "irecv:test",
				      mode);
	report->ecid = ECID;
	report->product_type = g_strdup(product_type);
	report->simulated = simulated;
	if (mode == UB_DEVICE_MODE_NORMAL)
		report->udid = g_strdup(UDID);
	if (port != NULL)
		report->port = g_object_ref(port);
	_ub_device_apply_report(device, report, ub_device_db_get_default());
	return device;
}

static void
add_normal(Fixture *fixture, const gchar *path, const gchar *speed)
{
	ub_fake_sysfs_add_device(
	    fixture->fake, path, 0x05ac, 0x12a8, NORMAL_SERIAL, "iPhone", speed, 1, 5);
}

static void
add_recovery(Fixture *fixture, const gchar *path)
{
	ub_fake_sysfs_add_device(fixture->fake,
				 path,
				 0x05ac,
				 0x1281,
				 RECOVERY_SERIAL,
				 "Apple Mobile Device (Recovery Mode)",
				 "480",
				 1,
				 5);
}

static void
start_usbmuxd(Fixture *fixture)
{
	fixture->usbmuxd = ub_test_listen_unix(fixture->socket_path);
}

static gboolean
incoming_cb(GSocketService *service,
	    GSocketConnection *connection,
	    GObject *source_object,
	    gpointer user_data)
{
	/* the preflight only connects; dropping the connection closes it */
	return FALSE;
}

static GSocketAddress *
loopback_address(guint16 port)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	return g_inet_socket_address_new(loopback, port);
}

static guint16
socket_port(GSocket *socket)
{
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(GError) error = NULL;

	address = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address));
}

/* "Apple", on loopback */
static void
start_servers(Fixture *fixture)
{
	g_autoptr(GSocketAddress) address = loopback_address(0);
	g_autoptr(GSocketAddress) effective = NULL;
	g_autoptr(GSocket) closed = NULL;
	g_autoptr(GError) error = NULL;

	fixture->service = g_socket_service_new();
	g_socket_listener_add_address(G_SOCKET_LISTENER(fixture->service),
				      address,
				      G_SOCKET_TYPE_STREAM,
				      G_SOCKET_PROTOCOL_TCP,
				      NULL,
				      &effective,
				      &error);
	g_assert_no_error(error);
	g_signal_connect(fixture->service, "incoming", G_CALLBACK(incoming_cb), NULL);
	g_socket_service_start(fixture->service);
	fixture->open_host = g_strdup_printf(
	    "127.0.0.1:%u", g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective)));

	/* a port that was free a moment ago and that nobody listens on */
	closed =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_socket_bind(closed, address, FALSE, &error);
	g_assert_no_error(error);
	fixture->closed_host = g_strdup_printf("127.0.0.1:%u", socket_port(closed));
	g_socket_close(closed, NULL);
}

/* a server that never answers: its accept queue (length 1 at backlog 0)
 * is full and nobody accepts, so Linux drops further SYNs and a connect
 * hangs until the client gives up */
static void
start_hung_server(Fixture *fixture)
{
	g_autoptr(GSocketAddress) address = loopback_address(0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	fixture->hung_listener =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_socket_bind(fixture->hung_listener, address, FALSE, &error);
	g_assert_no_error(error);
	g_socket_set_listen_backlog(fixture->hung_listener, 0);
	g_socket_listen(fixture->hung_listener, &error);
	g_assert_no_error(error);
	bound = g_socket_get_local_address(fixture->hung_listener, &error);
	g_assert_no_error(error);

	fixture->hung_clients = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < 2; i++) {
		GSocket *client = g_socket_new(
		    G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
		g_assert_no_error(error);
		g_socket_set_blocking(client, FALSE);
		if (!g_socket_connect(client, bound, NULL, &error)) {
			g_assert_error(error, G_IO_ERROR, G_IO_ERROR_PENDING);
			g_clear_error(&error);
		}
		g_ptr_array_add(fixture->hung_clients, client);
	}
	/* let the first handshake finish so the queue is full */
	ub_test_spin(100);
	fixture->hung_host = g_strdup_printf("127.0.0.1:%u", socket_port(fixture->hung_listener));
}

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbEngineInfo) engine = NULL;
	const gchar *hosts[3] = {NULL};

	fixture->fake = ub_fake_sysfs_new();
	fixture->socket_dir = g_dir_make_tmp("ub-usbmuxd-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->socket_path = g_build_filename(fixture->socket_dir, "usbmuxd", NULL);
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	fixture->env.usbmuxd_socket = fixture->socket_path;
	/* not a Flatpak, even when the tests run in one */
	fixture->flatpak_info = g_build_filename(fixture->socket_dir, ".flatpak-info", NULL);
	fixture->env.flatpak_info = fixture->flatpak_info;
	fixture->storage_dir = g_dir_make_tmp("ub-firmware-XXXXXX", &error);
	g_assert_no_error(error);

	fixture->upower = ub_fake_upower_new(g_test_dbus_get_bus_address(test_bus), FALSE, &error);
	g_assert_no_error(error);
	fixture->client_bus = g_dbus_connection_new_for_address_sync(
	    g_test_dbus_get_bus_address(test_bus),
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL,
	    NULL,
	    &error);
	g_assert_no_error(error);

	start_usbmuxd(fixture);
	start_servers(fixture);
	add_normal(fixture, "1-2", "480");

	/* everything fine: the tests break one thing at a time */
	fixture->device = make_device(UB_DEVICE_MODE_NORMAL, PRODUCT_TYPE, FALSE, NULL);
	fixture->preflight = ub_preflight_new(fixture->device, UB_RESTORE_KIND_UPDATE);
	ub_preflight_set_connection_env(fixture->preflight, &fixture->env);
	_ub_preflight_set_access_func(fixture->preflight, ub_fake_sysfs_node_access_cb, NULL);
	ub_preflight_set_system_bus(fixture->preflight, fixture->client_bus);
	hosts[0] = fixture->open_host;
	hosts[1] = fixture->open_host;
	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	ub_preflight_set_network_timeout(fixture->preflight, 5000);
	ub_preflight_set_firmware(fixture->preflight, fixture->storage_dir, 1 * MIB, FALSE);
	ub_preflight_set_target_version(fixture->preflight, "17.5");
	engine = ub_engine_info_parse(CURRENT_ENGINE, &error);
	g_assert_no_error(error);
	ub_preflight_set_engine_info(fixture->preflight, engine);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->preflight);
	g_clear_object(&fixture->device);
	if (fixture->hung_listener != NULL) {
		g_ptr_array_unref(fixture->hung_clients);
		g_socket_close(fixture->hung_listener, NULL);
		g_clear_object(&fixture->hung_listener);
		g_free(fixture->hung_host);
	}
	g_socket_service_stop(fixture->service);
	g_socket_listener_close(G_SOCKET_LISTENER(fixture->service));
	g_clear_object(&fixture->service);
	g_free(fixture->open_host);
	g_free(fixture->closed_host);
	if (fixture->usbmuxd != NULL) {
		g_socket_close(fixture->usbmuxd, NULL);
		g_clear_object(&fixture->usbmuxd);
	}
	g_dbus_connection_close_sync(fixture->client_bus, NULL, NULL);
	g_clear_object(&fixture->client_bus);
	g_clear_pointer(&fixture->upower, ub_fake_upower_free);
	g_unlink(fixture->socket_path);
	g_unlink(fixture->flatpak_info);
	g_free(fixture->flatpak_info);
	g_rmdir(fixture->socket_dir);
	g_rmdir(fixture->storage_dir);
	g_free(fixture->socket_path);
	g_free(fixture->socket_dir);
	g_free(fixture->storage_dir);
	ub_fake_sysfs_free(fixture->fake);
}

/* a new device on the same preflight settings */
static void
fixture_replace_device(Fixture *fixture, UbDevice *device, UbRestoreKind kind)
{
	g_autoptr(UbPreflight) preflight = ub_preflight_new(device, kind);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbEngineInfo) engine = ub_engine_info_parse(CURRENT_ENGINE, &error);
	const gchar *hosts[] = {fixture->open_host, fixture->open_host, NULL};

	g_assert_no_error(error);
	ub_preflight_set_connection_env(preflight, &fixture->env);
	_ub_preflight_set_access_func(preflight, ub_fake_sysfs_node_access_cb, NULL);
	ub_preflight_set_system_bus(preflight, fixture->client_bus);
	ub_preflight_set_server_hosts(preflight, hosts);
	ub_preflight_set_firmware(preflight, fixture->storage_dir, 1 * MIB, FALSE);
	ub_preflight_set_engine_info(preflight, engine);
	g_set_object(&fixture->device, device);
	g_set_object(&fixture->preflight, preflight);
}

typedef struct {
	gboolean done;
	GPtrArray *checks;
	GError *error;
} RunResult;

static void
run_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	RunResult *run = user_data;

	run->checks = ub_preflight_run_finish(UB_PREFLIGHT(source_object), result, &run->error);
	run->done = TRUE;
}

static const gchar *const ids[] = {
    UB_PREFLIGHT_USBMUXD,
    UB_PREFLIGHT_USB_PERMISSION,
    UB_PREFLIGHT_USB_PORT,
    UB_PREFLIGHT_DISK_SPACE,
    UB_PREFLIGHT_APPLE_SERVERS,
    UB_PREFLIGHT_ENGINE,
    UB_PREFLIGHT_POWER,
    UB_PREFLIGHT_BACKUP,
};

static GPtrArray *
fixture_run(Fixture *fixture)
{
	RunResult run = {0};

	ub_preflight_run_async(fixture->preflight, NULL, run_cb, &run);
	g_assert_true(ub_test_wait_until(&run.done, 20000));
	g_assert_no_error(run.error);
	g_assert_nonnull(run.checks);

	/* every id, once, in order, whatever finished first */
	g_assert_cmpuint(run.checks->len, ==, G_N_ELEMENTS(ids));
	for (guint i = 0; i < run.checks->len; i++) {
		UbCheck *check = g_ptr_array_index(run.checks, i);
		g_assert_cmpstr(ub_check_get_id(check), ==, ids[i]);
		g_test_message("%s: %d %s [%s]",
			       ids[i],
			       ub_check_get_status(check),
			       ub_check_get_title(check),
			       ub_check_get_card_id(check) != NULL ? ub_check_get_card_id(check)
								   : "-");
	}
	return run.checks;
}

static UbCheck *
find_check(GPtrArray *checks, const gchar *id)
{
	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		if (g_strcmp0(ub_check_get_id(check), id) == 0)
			return check;
	}
	g_assert_not_reached();
	return NULL;
}

/* the status, and a card and advice exactly when something is wrong */
static UbCheck *
assert_check(GPtrArray *checks, const gchar *id, UbCheckStatus status, const gchar *card_id)
{
	UbCheck *check = find_check(checks, id);

	g_assert_cmpint(ub_check_get_status(check), ==, status);
	g_assert_nonnull(ub_check_get_title(check));
	g_assert_cmpstr(ub_check_get_title(check), !=, "");
	g_assert_cmpstr(ub_check_get_card_id(check), ==, card_id);
	if (status == UB_CHECK_STATUS_PASS) {
		g_assert_null(ub_check_get_advice(check));
		g_assert_null(card_id);
	} else {
		g_assert_nonnull(ub_check_get_advice(check));
		g_assert_nonnull(card_id);
	}
	return check;
}

static void
assert_title_contains(UbCheck *check, const gchar *part)
{
	const gchar *title = ub_check_get_title(check);

	if (strstr(title, part) == NULL)
		g_error("title “%s” lacks “%s”", title, part);
}

static guint64
storage_free_space(Fixture *fixture)
{
	g_autoptr(GFile) folder = g_file_new_for_path(fixture->storage_dir);
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) error = NULL;

	info = g_file_query_filesystem_info(folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, &error);
	g_assert_no_error(error);
	return g_file_info_get_attribute_uint64(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

static void
ub_preflight_all_pass_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	if (storage_free_space(fixture) < 4 * GIB) {
		g_test_skip("less than 4 GiB free in the temporary folder");
		return;
	}
	checks = fixture_run(fixture);
	for (guint i = 0; i < checks->len; i++)
		assert_check(checks, ids[i], UB_CHECK_STATUS_PASS, NULL);
	g_assert_null(ub_preflight_get_blocker(checks));

	check = find_check(checks, UB_PREFLIGHT_USB_PORT);
	g_assert_cmpstr(ub_check_get_title(check), ==, "Connected directly at 480 Mbit/s");
	check = find_check(checks, UB_PREFLIGHT_ENGINE);
	assert_title_contains(check, "1.0.0-300-gabcdef0");
	check = find_check(checks, UB_PREFLIGHT_POWER);
	g_assert_cmpstr(ub_check_get_title(check), ==, "This computer is plugged in");
	g_assert_cmpuint(ub_fake_upower_get_n_reads(fixture->upower), ==, 1);
	check = find_check(checks, UB_PREFLIGHT_BACKUP);
	g_assert_cmpstr(ub_check_get_title(check), ==, "An Update keeps your data");

	/* a preflight runs again with what is true then */
	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_fake_upower_set_on_battery(fixture->upower, TRUE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_POWER, UB_CHECK_STATUS_WARN, UB_CARD_ON_BATTERY);
}

static void
ub_preflight_usbmuxd_missing_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	g_socket_close(fixture->usbmuxd, NULL);
	g_clear_object(&fixture->usbmuxd);
	g_unlink(fixture->socket_path);
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_USBMUXD, UB_CHECK_STATUS_FAIL, UB_CARD_USBMUXD);
	g_assert_nonnull(strstr(ub_check_get_advice(check), "sudo apt install usbmuxd"));
	g_assert_true(ub_preflight_get_blocker(checks) == check);
}

static void
ub_preflight_usbmuxd_recovery_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbDevice) device = NULL;
	UbCheck *check;

	/* in Recovery mode usbmuxd starts later, when the restore ramdisk
	 * comes up: not running yet is a warning, not a blocker */
	g_socket_close(fixture->usbmuxd, NULL);
	g_clear_object(&fixture->usbmuxd);
	g_unlink(fixture->socket_path);
	ub_fake_sysfs_free(fixture->fake);
	fixture->fake = ub_fake_sysfs_new();
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	add_recovery(fixture, "1-2");
	device = make_device(UB_DEVICE_MODE_RECOVERY, PRODUCT_TYPE, FALSE, NULL);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);

	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_USBMUXD, UB_CHECK_STATUS_WARN, UB_CARD_USBMUXD);
	g_assert_nonnull(strstr(ub_check_get_advice(check), "restore mode"));
	/* the Recovery-mode node is found by the ECID in its serial */
	assert_check(checks, UB_PREFLIGHT_USB_PERMISSION, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_PREFLIGHT_USB_PORT)),
			==,
			"Connected directly at 480 Mbit/s");
	g_assert_false(ub_preflight_get_blocker(checks) == check);
}

static void
ub_preflight_flatpak_recovery_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbDevice) device = NULL;
	g_autoptr(GError) error = NULL;
	UbCheck *check;

	/* in a Flatpak the usbmuxd that would start later is never seen, and
	 * the restore needs it once the ramdisk runs: it blocks, with the one
	 * command that sets the computer up */
	g_file_set_contents(fixture->flatpak_info, "[Application]\n", -1, &error);
	g_assert_no_error(error);
	g_socket_close(fixture->usbmuxd, NULL);
	g_clear_object(&fixture->usbmuxd);
	g_unlink(fixture->socket_path);
	ub_fake_sysfs_free(fixture->fake);
	fixture->fake = ub_fake_sysfs_new();
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	add_recovery(fixture, "1-2");
	device = make_device(UB_DEVICE_MODE_RECOVERY, PRODUCT_TYPE, FALSE, NULL);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);

	checks = fixture_run(fixture);
	check =
	    assert_check(checks, UB_PREFLIGHT_USBMUXD, UB_CHECK_STATUS_FAIL, UB_CARD_FLATPAK_HOST);
	g_assert_nonnull(strstr(ub_check_get_command(check), "setup-host.sh"));
	g_assert_true(ub_preflight_get_blocker(checks) == check);
	/* the rest of the checks carry no command */
	assert_check(checks, UB_PREFLIGHT_USB_PERMISSION, UB_CHECK_STATUS_PASS, NULL);
	g_assert_null(ub_check_get_command(find_check(checks, UB_PREFLIGHT_USB_PORT)));
}

static void
ub_preflight_usb_permission_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* root-owned and closed to everyone: the udev rules are missing */
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 5, 0);
	checks = fixture_run(fixture);
	assert_check(
	    checks, UB_PREFLIGHT_USB_PERMISSION, UB_CHECK_STATUS_FAIL, UB_CARD_USB_PERMISSION);
	g_assert_true(ub_preflight_get_blocker(checks) ==
		      find_check(checks, UB_PREFLIGHT_USB_PERMISSION));
}

static void
ub_preflight_usb_hub_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	ub_fake_sysfs_free(fixture->fake);
	fixture->fake = ub_fake_sysfs_new();
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	ub_preflight_set_connection_env(fixture->preflight, &fixture->env);
	ub_fake_sysfs_add_hub(fixture->fake, "1-4", "USB2.0 Hub", FALSE);
	add_normal(fixture, "1-4.2", "480");

	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_WARN, UB_CARD_USB_HUB);
	g_assert_cmpstr(ub_check_get_title(check),
			==,
			"Connected through a USB hub (“USB2.0 Hub”) at 480 Mbit/s");
	/* a warning does not block */
	g_assert_null(ub_preflight_get_blocker(checks));
}

static void
ub_preflight_usb_slow_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	ub_fake_sysfs_set_attribute(fixture->fake, "1-2", "speed", "12");
	checks = fixture_run(fixture);
	check = assert_check(
	    checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_WARN, UB_CARD_USB_CONNECTION);
	assert_title_contains(check, "12 Mbit/s");
	assert_title_contains(check, "USB 1.1");

	/* USB 3 is fine, and said in gigabits */
	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_fake_sysfs_set_attribute(fixture->fake, "1-2", "speed", "5000");
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(ub_check_get_title(check), ==, "Connected directly at 5 Gbit/s");
}

static void
ub_preflight_usb_unknown_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* the device is not in sysfs: nothing to judge, nothing to do */
	ub_fake_sysfs_free(fixture->fake);
	fixture->fake = ub_fake_sysfs_new();
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	ub_preflight_set_connection_env(fixture->preflight, &fixture->env);

	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_USB_PERMISSION, UB_CHECK_STATUS_PASS, NULL);
	assert_check(checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_PREFLIGHT_USB_PORT)),
			==,
			"Couldn't tell how the device is connected");
}

static void
ub_preflight_simulated_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbUsbPort) port = ub_usb_port_new("3-1.4", 480, TRUE, "Dock");
	g_autoptr(UbDevice) device = NULL;
	UbCheck *check;

	/* no usbmuxd, no node: a simulated device needs neither, but its
	 * made-up port is judged like a real one */
	g_socket_close(fixture->usbmuxd, NULL);
	g_clear_object(&fixture->usbmuxd);
	g_unlink(fixture->socket_path);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 5, 0);
	device = make_device(UB_DEVICE_MODE_RECOVERY, PRODUCT_TYPE, TRUE, port);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);
	/* nobody answers: Apple would never sign a made-up device anyway,
	 * so its servers are not asked */
	{
		const gchar *hosts[] = {fixture->closed_host, fixture->closed_host, NULL};
		ub_preflight_set_server_hosts(fixture->preflight, hosts);
	}

	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_USBMUXD, UB_CHECK_STATUS_PASS, NULL);
	assert_title_contains(check, "Simulated");
	check = assert_check(checks, UB_PREFLIGHT_USB_PERMISSION, UB_CHECK_STATUS_PASS, NULL);
	assert_title_contains(check, "Simulated");
	check = assert_check(checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_WARN, UB_CARD_USB_HUB);
	assert_title_contains(check, "Dock");
	check = assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_PASS, NULL);
	assert_title_contains(check, "Simulated");
	/* the real engine still runs it, and is judged as usual */
	check = assert_check(checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_PASS, NULL);
	assert_title_contains(check, "idevicerestore");
}

static void
ub_preflight_simulated_engine_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbUsbPort) port = ub_usb_port_new("1-3.2", 480, TRUE, "USB2.0 Hub");
	g_autoptr(UbDevice) device = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbEngineInfo) old_engine = ub_engine_info_parse(DEBIAN_ENGINE, &error);
	const gchar *hosts[] = {NULL, NULL, NULL};
	UbCheck *check;

	g_assert_no_error(error);
	device = make_device(UB_DEVICE_MODE_DFU, "iPhone14,2", TRUE, port);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_ERASE);
	/* what would fail with idevicerestore: a closed and a hung server, an
	 * engine too old for the iPhone 13 Pro */
	start_hung_server(fixture);
	hosts[0] = fixture->closed_host;
	hosts[1] = fixture->hung_host;
	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	ub_preflight_set_engine_info(fixture->preflight, old_engine);
	ub_preflight_set_backup_acknowledged(fixture->preflight, TRUE);
	g_assert_false(ub_preflight_get_simulated_engine(fixture->preflight));
	ub_preflight_set_simulated_engine(fixture->preflight, TRUE);
	g_assert_true(ub_preflight_get_simulated_engine(fixture->preflight));

	/* the replay needs neither: both pass, and at once rather than after
	 * the network timeout */
	ub_preflight_set_network_timeout(fixture->preflight, 60000);
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(ub_check_get_title(check), ==, "The demo replays a recorded restore");
	check = assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(ub_check_get_title(check), ==, "The demo needs no network");
	/* the made-up hub is still worth a warning, and nothing blocks */
	assert_check(checks, UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_WARN, UB_CARD_USB_HUB);
	assert_check(checks, UB_PREFLIGHT_BACKUP, UB_CHECK_STATUS_PASS, NULL);
	g_assert_null(ub_preflight_get_blocker(checks));
}

static void
ub_preflight_disk_full_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	ub_preflight_set_firmware(fixture->preflight, fixture->storage_dir, G_MAXUINT64 / 4, FALSE);
	checks = fixture_run(fixture);
	check =
	    assert_check(checks, UB_PREFLIGHT_DISK_SPACE, UB_CHECK_STATUS_FAIL, UB_CARD_DISK_SPACE);
	assert_title_contains(check, "GB");
	assert_title_contains(check, "needs");
	g_assert_true(ub_preflight_get_blocker(checks) == check);
}

static void
ub_preflight_disk_cached_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	guint64 free_bytes = storage_free_space(fixture);
	guint64 size;
	g_autofree gchar *needed_cached = NULL;
	UbCheck *check;

	if (free_bytes < 4 * GIB) {
		g_test_skip("less than 4 GiB free in the temporary folder");
		return;
	}
	/* downloading and extracting needs 2 × size + 1 GiB, more than is
	 * free; extracting a cached file alone, size + 1 GiB, fits */
	size = (free_bytes - GIB) / 4 * 3;
	needed_cached = g_format_size(size + GIB);

	ub_preflight_set_firmware(fixture->preflight, fixture->storage_dir, size, FALSE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_DISK_SPACE, UB_CHECK_STATUS_FAIL, UB_CARD_DISK_SPACE);

	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_preflight_set_firmware(fixture->preflight, fixture->storage_dir, size, TRUE);
	checks = fixture_run(fixture);
	check = find_check(checks, UB_PREFLIGHT_DISK_SPACE);
	g_assert_cmpint(ub_check_get_status(check), !=, UB_CHECK_STATUS_FAIL);
	assert_title_contains(check, needed_cached);
}

static void
ub_preflight_disk_tight_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	guint64 free_bytes = storage_free_space(fixture);

	if (free_bytes < 4 * GIB) {
		g_test_skip("less than 4 GiB free in the temporary folder");
		return;
	}
	/* needed = size + 1 GiB = free - 1 GiB: it fits, with less than the
	 * 2 GiB to spare a warning wants */
	ub_preflight_set_firmware(
	    fixture->preflight, fixture->storage_dir, free_bytes - 2 * GIB, TRUE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_DISK_SPACE, UB_CHECK_STATUS_WARN, UB_CARD_DISK_SPACE);
	g_assert_null(ub_preflight_get_blocker(checks));
}

static void
ub_preflight_disk_missing_folder_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autofree gchar *missing = g_build_filename(fixture->storage_dir, "a", "b", NULL);

	/* the cache makes the folder on first use: ask the disk it will be on */
	ub_preflight_set_firmware(fixture->preflight, missing, G_MAXUINT64 / 4, FALSE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_DISK_SPACE, UB_CHECK_STATUS_FAIL, UB_CARD_DISK_SPACE);
}

static void
ub_preflight_servers_signing_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *hosts[] = {fixture->closed_host, fixture->open_host, NULL};
	UbCheck *check;

	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	checks = fixture_run(fixture);
	check = assert_check(
	    checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_FAIL, UB_CARD_SIGNING_SERVER);
	assert_title_contains(check, "signing server");
	g_assert_true(ub_preflight_get_blocker(checks) == check);
}

static void
ub_preflight_servers_offline_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *hosts[] = {fixture->closed_host, fixture->closed_host, NULL};

	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_FAIL, UB_CARD_NO_NETWORK);
}

static void
ub_preflight_servers_catalog_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *hosts[] = {fixture->open_host, fixture->closed_host, NULL};

	/* the signing server answers, the catalog does not: only a download
	 * is at risk */
	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_WARN, UB_CARD_DOWNLOAD);

	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_preflight_set_firmware(fixture->preflight, fixture->storage_dir, 1 * MIB, TRUE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_PASS, NULL);
}

static void
ub_preflight_servers_hang_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *hosts[3] = {NULL};
	gint64 start;

	start_hung_server(fixture);
	hosts[0] = fixture->hung_host;
	hosts[1] = fixture->hung_host;
	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	ub_preflight_set_network_timeout(fixture->preflight, 300);
	start = g_get_monotonic_time();
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_FAIL, UB_CARD_NO_NETWORK);
	/* the timeout ended it, not the kernel's SYN retries (a minute or more) */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

static void
ub_preflight_engine_missing_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	ub_preflight_set_engine_info(fixture->preflight, NULL);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_FAIL, UB_CARD_ENGINE_MISSING);
}

static void
ub_preflight_engine_outdated_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbEngineInfo) engine = NULL;
	g_autoptr(UbDevice) device = NULL;
	g_autoptr(GError) error = NULL;
	UbCheck *check;

	/* an iPhone 12 is newer than the libirecovery of Debian's engine */
	device = make_device(UB_DEVICE_MODE_NORMAL, "iPhone13,2", FALSE, NULL);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);
	engine = ub_engine_info_parse(DEBIAN_ENGINE, &error);
	g_assert_no_error(error);
	ub_preflight_set_engine_info(fixture->preflight, engine);

	checks = fixture_run(fixture);
	check = assert_check(
	    checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_FAIL, UB_CARD_ENGINE_OUTDATED);
	assert_title_contains(check, "iPhone 12");
	/* the reason is can_restore's, with what to install instead */
	g_assert_nonnull(strstr(ub_check_get_advice(check), "Flathub"));

	/* the same engine restores an iPhone 8 on iOS 14, but not on iOS 17 */
	g_clear_pointer(&checks, g_ptr_array_unref);
	g_clear_object(&device);
	device = make_device(UB_DEVICE_MODE_NORMAL, "iPhone10,4", FALSE, NULL);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);
	ub_preflight_set_engine_info(fixture->preflight, engine);
	ub_preflight_set_target_version(fixture->preflight, "14.8");
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_PASS, NULL);
	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_preflight_set_target_version(fixture->preflight, "17.0");
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_FAIL, UB_CARD_ENGINE_OUTDATED);
}

static void
ub_preflight_power_battery_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	ub_fake_upower_set_on_battery(fixture->upower, TRUE);
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_POWER, UB_CHECK_STATUS_WARN, UB_CARD_ON_BATTERY);
	g_assert_nonnull(strstr(ub_check_get_advice(check), "45 minutes"));
	g_assert_null(ub_preflight_get_blocker(checks));
}

static void
ub_preflight_power_no_upower_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	/* nobody owns the name; the private bus cannot start it either */
	g_clear_pointer(&fixture->upower, ub_fake_upower_free);
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_POWER, UB_CHECK_STATUS_PASS, NULL);
	g_assert_cmpstr(
	    ub_check_get_title(check), ==, "Couldn't tell whether this computer is plugged in");
}

static void
ub_preflight_backup_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(UbDevice) device = make_device(UB_DEVICE_MODE_NORMAL, PRODUCT_TYPE, FALSE, NULL);
	UbCheck *check;

	if (storage_free_space(fixture) < 4 * GIB) {
		g_test_skip("less than 4 GiB free in the temporary folder");
		return;
	}

	/* an erase without a confirmed backup is the one thing blocking */
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_ERASE);
	checks = fixture_run(fixture);
	check = assert_check(checks, UB_PREFLIGHT_BACKUP, UB_CHECK_STATUS_FAIL, UB_CARD_BACKUP);
	g_assert_true(ub_preflight_get_blocker(checks) == check);

	g_clear_pointer(&checks, g_ptr_array_unref);
	ub_preflight_set_backup_acknowledged(fixture->preflight, TRUE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_BACKUP, UB_CHECK_STATUS_PASS, NULL);
	g_assert_null(ub_preflight_get_blocker(checks));

	/* an Update never needs one */
	g_clear_pointer(&checks, g_ptr_array_unref);
	fixture_replace_device(fixture, device, UB_RESTORE_KIND_UPDATE);
	g_assert_false(ub_preflight_get_backup_acknowledged(fixture->preflight));
	checks = fixture_run(fixture);
	assert_check(checks, UB_PREFLIGHT_BACKUP, UB_CHECK_STATUS_PASS, NULL);
	g_assert_null(ub_preflight_get_blocker(checks));
}

static void
ub_preflight_cancel_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	RunResult run = {0};

	/* cancelled before anything could finish */
	ub_preflight_run_async(fixture->preflight, cancellable, run_cb, &run);
	g_cancellable_cancel(cancellable);
	g_assert_true(ub_test_wait_until(&run.done, 5000));
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(run.checks);
	g_clear_error(&run.error);
}

static gboolean
cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

static void
ub_preflight_cancel_hung_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	const gchar *hosts[3] = {NULL};
	RunResult run = {0};
	gint64 start;

	/* the servers hang and the timeout is far away: cancelling still
	 * ends the run at once */
	start_hung_server(fixture);
	hosts[0] = fixture->hung_host;
	hosts[1] = fixture->open_host;
	ub_preflight_set_server_hosts(fixture->preflight, hosts);
	ub_preflight_set_network_timeout(fixture->preflight, 60000);
	start = g_get_monotonic_time();
	ub_preflight_run_async(fixture->preflight, cancellable, run_cb, &run);
	g_timeout_add(300, cancel_cb, cancellable);
	g_assert_true(ub_test_wait_until(&run.done, 5000));
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(run.checks);
	g_clear_error(&run.error);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
}

static void
ub_preflight_blocker_func(void)
{
	g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func(g_object_unref);

	g_assert_null(ub_preflight_get_blocker(checks));
	g_ptr_array_add(checks, ub_check_new("a", UB_CHECK_STATUS_WARN, "a", "a", "usb-hub"));
	g_ptr_array_add(checks, ub_check_new("b", UB_CHECK_STATUS_PASS, "b", NULL, NULL));
	g_assert_null(ub_preflight_get_blocker(checks));
	g_ptr_array_add(checks, ub_check_new("c", UB_CHECK_STATUS_FAIL, "c", "c", "backup"));
	g_ptr_array_add(checks, ub_check_new("d", UB_CHECK_STATUS_FAIL, "d", "d", "usbmuxd"));
	g_assert_cmpstr(ub_check_get_id(ub_preflight_get_blocker(checks)), ==, "c");
}

#define ADD(path, func) \
	g_test_add(     \
	    "/unbrick/preflight/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main(int argc, char **argv)
{
	int status;

	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/preflight/blocker", ub_preflight_blocker_func);
	ADD("all-pass", ub_preflight_all_pass_func);
	ADD("usbmuxd-missing", ub_preflight_usbmuxd_missing_func);
	ADD("usbmuxd-recovery", ub_preflight_usbmuxd_recovery_func);
	ADD("flatpak-recovery", ub_preflight_flatpak_recovery_func);
	ADD("usb-permission", ub_preflight_usb_permission_func);
	ADD("usb-hub", ub_preflight_usb_hub_func);
	ADD("usb-slow", ub_preflight_usb_slow_func);
	ADD("usb-unknown", ub_preflight_usb_unknown_func);
	ADD("simulated", ub_preflight_simulated_func);
	ADD("simulated-engine", ub_preflight_simulated_engine_func);
	ADD("disk-full", ub_preflight_disk_full_func);
	ADD("disk-cached", ub_preflight_disk_cached_func);
	ADD("disk-tight", ub_preflight_disk_tight_func);
	ADD("disk-missing-folder", ub_preflight_disk_missing_folder_func);
	ADD("servers-signing", ub_preflight_servers_signing_func);
	ADD("servers-offline", ub_preflight_servers_offline_func);
	ADD("servers-catalog", ub_preflight_servers_catalog_func);
	ADD("servers-hang", ub_preflight_servers_hang_func);
	ADD("engine-missing", ub_preflight_engine_missing_func);
	ADD("engine-outdated", ub_preflight_engine_outdated_func);
	ADD("power-battery", ub_preflight_power_battery_func);
	ADD("power-no-upower", ub_preflight_power_no_upower_func);
	ADD("backup", ub_preflight_backup_func);
	ADD("cancel", ub_preflight_cancel_func);
	ADD("cancel-hung", ub_preflight_cancel_hung_func);

	/* a private dbus-daemon for the fake UPower */
	test_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(test_bus);
	status = g_test_run();
	g_test_dbus_down(test_bus);
	g_clear_object(&test_bus);
	return status;
}
