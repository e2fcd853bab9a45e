/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "ub-connection-check-private.h"
#include "ub-error.h"
#include "ub-fake-sysfs.h"
#include "ub-remediation.h"
#include "ub-test.h"

#define RECOVERY_SERIAL                                                            \
	"CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C " \
	"SRTG:[iBoot-3865.0.0.4.7]"
#define DFU_SERIAL                                                                 \
	"CPID:8960 CPRV:11 CPFM:03 SCEP:01 BDID:02 ECID:00000123456789AB IBFL:1D " \
	"SRTG:[iBoot-1704.10]"
#define NORMAL_SERIAL "00008030001A2B3C4D5E6F71"

/* a fake sysfs, a fake /dev and a place for a fake usbmuxd socket */
typedef struct {
	UbFakeSysfs *fake;
	gchar *socket_dir;
	gchar *socket_path;
	gchar *flatpak_info;
	GSocket *listener;
	UbConnectionCheckEnv env;
} Fixture;

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fixture->fake = ub_fake_sysfs_new();
	fixture->socket_dir = g_dir_make_tmp("ub-usbmuxd-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->socket_path = g_build_filename(fixture->socket_dir, "usbmuxd", NULL);
	/* not a Flatpak, even when the tests run in one */
	fixture->flatpak_info = g_build_filename(fixture->socket_dir, ".flatpak-info", NULL);
	fixture->env.flatpak_info = fixture->flatpak_info;
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
	fixture->env.dev_root = ub_fake_sysfs_get_dev_root(fixture->fake);
	fixture->env.usbmuxd_socket = fixture->socket_path;
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	if (fixture->listener != NULL) {
		g_socket_close(fixture->listener, NULL);
		g_clear_object(&fixture->listener);
	}
	g_unlink(fixture->socket_path);
	g_unlink(fixture->flatpak_info);
	g_rmdir(fixture->socket_dir);
	g_free(fixture->flatpak_info);
	g_free(fixture->socket_path);
	g_free(fixture->socket_dir);
	ub_fake_sysfs_free(fixture->fake);
}

static void
fixture_start_usbmuxd(Fixture *fixture)
{
	fixture->listener = ub_test_listen_unix(fixture->socket_path);
}

static GPtrArray *
fixture_run(Fixture *fixture)
{
	GPtrArray *checks =
	    _ub_connection_check_run_all_full(&fixture->env, ub_fake_sysfs_node_access_cb, NULL);
	g_assert_nonnull(checks);
	g_assert_cmpuint(checks->len, ==, 4);
	return checks;
}

/* what Flatpak puts at the root of its sandbox */
static void
fixture_enter_flatpak(Fixture *fixture)
{
	g_autoptr(GError) error = NULL;

	g_file_set_contents(fixture->flatpak_info, "[Application]\nname=" APP_ID "\n", -1, &error);
	g_assert_no_error(error);
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

static void
assert_check(GPtrArray *checks, const gchar *id, UbCheckStatus status)
{
	UbCheck *check = find_check(checks, id);

	g_test_message("%s: %s", id, ub_check_get_title(check));
	g_assert_cmpint(ub_check_get_status(check), ==, status);
	g_assert_nonnull(ub_check_get_title(check));
	g_assert_cmpstr(ub_check_get_title(check), !=, "");
	/* advice exactly when there is something to do, and a card only then */
	if (status == UB_CHECK_STATUS_PASS || status == UB_CHECK_STATUS_UNKNOWN) {
		g_assert_null(ub_check_get_advice(check));
		g_assert_null(ub_check_get_card_id(check));
	} else {
		g_assert_nonnull(ub_check_get_advice(check));
	}
	/* devices/ spells the card ids out: each must still be a real card */
	if (ub_check_get_card_id(check) != NULL) {
		g_assert_nonnull(ub_remediation_lookup(ub_remediation_get_default(),
						       ub_check_get_card_id(check)));
	}
}

static void
assert_card(GPtrArray *checks, const gchar *id, const gchar *card_id)
{
	g_assert_cmpstr(ub_check_get_card_id(find_check(checks, id)), ==, card_id);
}

static void
add_recovery(Fixture *fixture, const gchar *path, guint devnum)
{
	ub_fake_sysfs_add_device(fixture->fake,
				 path,
				 0x05ac,
				 0x1281,
				 RECOVERY_SERIAL,
				 "Apple Mobile Device (Recovery Mode)",
				 "480",
				 1,
				 devnum);
}

static void
add_normal(Fixture *fixture, const gchar *path, guint devnum)
{
	ub_fake_sysfs_add_device(
	    fixture->fake, path, 0x05ac, 0x12a8, NORMAL_SERIAL, "iPhone", "480", 1, devnum);
}

static void
ub_connection_check_order_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = fixture_run(fixture);
	const gchar *ids[] = {
	    UB_CHECK_USBMUXD,
	    UB_CHECK_APPLE_USB,
	    UB_CHECK_PERMISSION,
	    UB_CHECK_HUB,
	};

	for (guint i = 0; i < G_N_ELEMENTS(ids); i++)
		g_assert_cmpstr(ub_check_get_id(g_ptr_array_index(checks, i)), ==, ids[i]);
}

static void
ub_connection_check_nothing_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = fixture_run(fixture);
	UbCheck *check;

	/* no device, no usbmuxd: usbmuxd is only waiting for a device */
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_WARN);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_FAIL);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_UNKNOWN);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_UNKNOWN);
	assert_card(checks, UB_CHECK_USBMUXD, UB_CARD_USBMUXD);
	assert_card(checks, UB_CHECK_APPLE_USB, UB_CARD_NOT_DETECTED);

	check = find_check(checks, UB_CHECK_APPLE_USB);
	g_assert_cmpstr(ub_check_get_title(check), ==, "No Apple device is visible on USB at all");
	g_assert_nonnull(strstr(ub_check_get_advice(check), "cable"));
	g_assert_nonnull(strstr(ub_check_get_advice(check), "force-restart"));
}

static void
ub_connection_check_usbmuxd_pass_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	fixture_start_usbmuxd(fixture);
	add_normal(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_usbmuxd_warn_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* Recovery and DFU need no usbmuxd, and it has not been started */
	add_recovery(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_WARN);
	g_assert_nonnull(
	    strstr(ub_check_get_advice(find_check(checks, UB_CHECK_USBMUXD)), "starts by itself"));
}

static void
ub_connection_check_usbmuxd_fail_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *advice;

	/* a switched-on iPhone is there, so usbmuxd should have started */
	add_normal(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_FAIL);
	assert_card(checks, UB_CHECK_USBMUXD, UB_CARD_USBMUXD);
	advice = ub_check_get_advice(find_check(checks, UB_CHECK_USBMUXD));
	g_assert_nonnull(strstr(advice, "sudo apt install usbmuxd"));
}

static void
ub_connection_check_usbmuxd_stale_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;

	/* a socket file left behind by a usbmuxd that is gone */
	fixture_start_usbmuxd(fixture);
	g_socket_close(fixture->listener, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_test(fixture->socket_path, G_FILE_TEST_EXISTS));
	add_normal(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_FAIL);
}

static void
ub_connection_check_usbmuxd_env_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autofree gchar *address = g_strdup_printf("UNIX:%s", fixture->socket_path);
	g_autofree gchar *saved = g_strdup(g_getenv("USBMUXD_SOCKET_ADDRESS"));

	/* no override in the env struct: USBMUXD_SOCKET_ADDRESS is used */
	fixture_start_usbmuxd(fixture);
	fixture->env.usbmuxd_socket = NULL;
	g_setenv("USBMUXD_SOCKET_ADDRESS", address, TRUE);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_PASS);

	if (saved != NULL)
		g_setenv("USBMUXD_SOCKET_ADDRESS", saved, TRUE);
	else
		g_unsetenv("USBMUXD_SOCKET_ADDRESS");
}

static void
ub_connection_check_apple_usb_modes_func(Fixture *fixture, gconstpointer user_data)
{
	struct {
		guint16 pid;
		const gchar *title;
	} cases[] = {
	    {0x1281, "An Apple device is connected in Recovery Mode"},
	    {0x1227, "An Apple device is connected in DFU mode"},
	    {0x12a8, "An Apple device is connected and switched on"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
		g_autoptr(GPtrArray) checks = NULL;
		UbConnectionCheckEnv env = {
		    .sysfs_root = ub_fake_sysfs_get_root(fake),
		    .dev_root = ub_fake_sysfs_get_dev_root(fake),
		    .usbmuxd_socket = fixture->socket_path,
		};

		ub_fake_sysfs_add_device(
		    fake, "1-2", 0x05ac, cases[i].pid, NULL, NULL, "480", 1, 5);
		checks =
		    _ub_connection_check_run_all_full(&env, ub_fake_sysfs_node_access_cb, NULL);
		assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_PASS);
		g_assert_cmpstr(
		    ub_check_get_title(find_check(checks, UB_CHECK_APPLE_USB)), ==, cases[i].title);
	}
}

static void
ub_connection_check_apple_usb_several_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	add_recovery(fixture, "1-2", 5);
	ub_fake_sysfs_add_device(
	    fixture->fake, "1-3", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 6);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_PASS);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_CHECK_APPLE_USB)),
			==,
			"2 Apple devices are connected");
}

static void
ub_connection_check_apple_usb_accessory_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* an Apple keyboard is an Apple device, but nothing to rescue */
	ub_fake_sysfs_add_device(
	    fixture->fake, "1-4", 0x05ac, 0x024f, NULL, "Apple Keyboard", "12", 1, 3);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_FAIL);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_CHECK_APPLE_USB)),
			==,
			"No iPhone or iPad is visible on USB, only other Apple accessories");
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_UNKNOWN);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_UNKNOWN);
}

static void
ub_connection_check_apple_usb_no_sysfs_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autofree gchar *missing = g_build_filename(fixture->socket_dir, "no-sys", NULL);

	fixture->env.sysfs_root = missing;
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_FAIL);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_CHECK_APPLE_USB)),
			==,
			"Unbrick cannot see this computer's USB devices");
	/* a blind sandbox is not a device that is never detected */
	assert_card(checks, UB_CHECK_APPLE_USB, NULL);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_UNKNOWN);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_UNKNOWN);
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);
}

static void
ub_connection_check_permission_pass_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* what the libirecovery udev rule gives the seat's user */
	add_recovery(fixture, "1-2", 5);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 5, 0666);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_permission_fail_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	const gchar *advice;

	add_recovery(fixture, "1-2", 5);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 5, 0);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);
	assert_card(checks, UB_CHECK_PERMISSION, UB_CARD_USB_PERMISSION);
	advice = ub_check_get_advice(find_check(checks, UB_CHECK_PERMISSION));
	g_assert_nonnull(strstr(advice, "libirecovery-common"));
	g_assert_nonnull(strstr(advice, "usbmuxd"));
	g_assert_nonnull(strstr(advice, "Flatpak"));
	g_assert_nonnull(strstr(advice, "plug it back in"));
}

static void
ub_connection_check_permission_default_mode_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* the kernel's default 0664 root:root, as without the udev rule */
	ub_fake_sysfs_add_device(
	    fixture->fake, "1-3", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 6);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 6, 0664);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);
}

static void
ub_connection_check_permission_normal_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GPtrArray) checks2 = NULL;

	/* without usbmuxd's udev rule the node stays root's: usbmuxd, which
	 * runs as its own user, cannot open it */
	fixture_start_usbmuxd(fixture);
	add_normal(fixture, "1-2", 5);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 5, 0664);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);

	/* with the rule the node belongs to the usbmux user */
	ub_fake_sysfs_set_node_owner(fixture->fake, 1, 5, 4242);
	checks2 = fixture_run(fixture);
	assert_check(checks2, UB_CHECK_PERMISSION, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_permission_no_node_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autofree gchar *node = NULL;

	/* a sandbox without /dev/bus/usb */
	add_recovery(fixture, "1-2", 5);
	node = ub_fake_sysfs_dup_node_path(fixture->fake, 1, 5);
	g_assert_cmpint(g_unlink(node), ==, 0);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);
	g_assert_nonnull(
	    strstr(ub_check_get_advice(find_check(checks, UB_CHECK_PERMISSION)), "--device=all"));
}

static void
ub_connection_check_permission_unknown_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* sysfs gives no bus and device number: no node to look at */
	ub_fake_sysfs_add_device(fixture->fake, "1-2", 0x05ac, 0x1281, NULL, NULL, "480", 0, 0);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_PASS);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_UNKNOWN);
}

static void
ub_connection_check_hub_pass_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	add_recovery(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_hub_warn_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	ub_fake_sysfs_add_hub(fixture->fake, "1-4", "USB2.0 Hub", FALSE);
	add_recovery(fixture, "1-4.2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_WARN);
	assert_card(checks, UB_CHECK_HUB, UB_CARD_USB_HUB);
	check = find_check(checks, UB_CHECK_HUB);
	g_assert_nonnull(strstr(ub_check_get_title(check), "USB2.0 Hub"));
	g_assert_nonnull(strstr(ub_check_get_advice(check), "computer itself"));
}

static void
ub_connection_check_hub_unnamed_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	ub_fake_sysfs_add_hub(fixture->fake, "1-4", NULL, FALSE);
	add_recovery(fixture, "1-4.2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_WARN);
	g_assert_cmpstr(ub_check_get_title(find_check(checks, UB_CHECK_HUB)),
			==,
			"The device is connected through a USB hub");
}

static void
ub_connection_check_hub_fixed_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* a laptop's built-in hub is no reason to warn */
	ub_fake_sysfs_add_hub(fixture->fake, "1-1", "Internal Hub", TRUE);
	add_recovery(fixture, "1-1.3", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_all_good_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	fixture_start_usbmuxd(fixture);
	add_normal(fixture, "1-2", 5);
	ub_fake_sysfs_set_node_owner(fixture->fake, 1, 5, 4242);
	checks = fixture_run(fixture);
	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		g_assert_cmpint(ub_check_get_status(check), ==, UB_CHECK_STATUS_PASS);
		g_assert_null(ub_check_get_advice(check));
	}
}

static void
ub_connection_check_properties_func(void)
{
	g_autoptr(UbCheck) check = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *title = NULL;
	g_autofree gchar *advice = NULL;
	g_autofree gchar *card_id = NULL;
	UbCheckStatus status = UB_CHECK_STATUS_UNKNOWN;

	check = ub_check_new("hub", UB_CHECK_STATUS_WARN, "Title", "Advice", UB_CARD_USB_HUB);
	g_object_get(check,
		     "id",
		     &id,
		     "status",
		     &status,
		     "title",
		     &title,
		     "advice",
		     &advice,
		     "card-id",
		     &card_id,
		     NULL);
	g_assert_cmpstr(id, ==, "hub");
	g_assert_cmpint(status, ==, UB_CHECK_STATUS_WARN);
	g_assert_cmpstr(title, ==, "Title");
	g_assert_cmpstr(advice, ==, "Advice");
	g_assert_cmpstr(card_id, ==, UB_CARD_USB_HUB);
	g_assert_cmpstr(ub_check_get_card_id(check), ==, UB_CARD_USB_HUB);
	g_clear_object(&check);

	/* the card is optional */
	check = ub_check_new("hub", UB_CHECK_STATUS_FAIL, "Title", "Advice", NULL);
	g_assert_cmpstr(ub_check_get_advice(check), ==, "Advice");
	g_assert_null(ub_check_get_card_id(check));
}

static void
ub_connection_check_pass_func(void)
{
	g_autoptr(UbCheck) check = NULL;

	/* a pass never carries something to do, whatever it was given */
	check = ub_check_new("power", UB_CHECK_STATUS_PASS, "fine", "do this", UB_CARD_ON_BATTERY);
	g_assert_cmpint(ub_check_get_status(check), ==, UB_CHECK_STATUS_PASS);
	g_assert_null(ub_check_get_advice(check));
	g_assert_null(ub_check_get_card_id(check));
	g_clear_object(&check);

	check =
	    ub_check_new("power", UB_CHECK_STATUS_WARN, "battery", "plug in", UB_CARD_ON_BATTERY);
	g_assert_cmpstr(ub_check_get_advice(check), ==, "plug in");
	g_assert_cmpstr(ub_check_get_card_id(check), ==, UB_CARD_ON_BATTERY);
}

/* the one command a Flatpak user types: it finds the installed script
 * through flatpak itself, wherever the app is installed */
static void
assert_host_setup_command(UbCheck *check)
{
	const gchar *command = ub_check_get_command(check);

	g_assert_nonnull(command);
	g_assert_true(g_str_has_prefix(command, "sudo sh "));
	g_assert_nonnull(strstr(command, "flatpak info --show-location " APP_ID));
	g_assert_nonnull(strstr(command, "/files/share/unbrick/host/setup-host.sh"));
	g_assert_cmpstr(ub_check_get_card_id(check), ==, UB_CARD_FLATPAK_HOST);
}

static void
ub_connection_check_flatpak_usbmuxd_missing_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;

	/* natively, no usbmuxd with a device in Recovery is only a warning: udev
	 * starts it later; a sandbox never sees a socket that appears later */
	fixture_enter_flatpak(fixture);
	add_recovery(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_FAIL);
	check = find_check(checks, UB_CHECK_USBMUXD);
	g_assert_cmpstr(ub_check_get_title(check),
			==,
			"Unbrick can’t reach the iPhone connection service (usbmuxd)");
	g_assert_nonnull(strstr(ub_check_get_advice(check), "Flatpak"));
	g_assert_nonnull(strstr(ub_check_get_advice(check), "open it again"));
	assert_host_setup_command(check);
}

static void
ub_connection_check_flatpak_usbmuxd_restarted_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;
	UbCheck *check;

	/* the socket the sandbox was given, of a usbmuxd that has since quit */
	fixture_enter_flatpak(fixture);
	fixture_start_usbmuxd(fixture);
	g_socket_close(fixture->listener, &error);
	g_assert_no_error(error);
	add_normal(fixture, "1-2", 5);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_FAIL);
	check = find_check(checks, UB_CHECK_USBMUXD);
	g_assert_nonnull(strstr(ub_check_get_title(check), "restarted"));
	g_assert_nonnull(strstr(ub_check_get_advice(check), "Quit Unbrick"));
	assert_host_setup_command(check);
}

static void
ub_connection_check_flatpak_usbmuxd_pass_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	fixture_enter_flatpak(fixture);
	fixture_start_usbmuxd(fixture);
	add_recovery(fixture, "1-2", 5);
	ub_fake_sysfs_set_node_owner(fixture->fake, 1, 5, 4242);
	checks = fixture_run(fixture);
	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);

		g_assert_cmpint(ub_check_get_status(check), ==, UB_CHECK_STATUS_PASS);
		g_assert_null(ub_check_get_command(check));
	}
}

static void
ub_connection_check_flatpak_permission_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;
	UbCheck *check;
	const gchar *advice;

	/* DFU without the host's rules: the node stays root's */
	fixture_enter_flatpak(fixture);
	fixture_start_usbmuxd(fixture);
	ub_fake_sysfs_add_device(
	    fixture->fake, "1-3", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 6);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 6, 0664);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);
	check = find_check(checks, UB_CHECK_PERMISSION);
	advice = ub_check_get_advice(check);
	/* no package to install inside a sandbox: the host's rules it is */
	g_assert_null(strstr(advice, "apt install"));
	g_assert_nonnull(strstr(advice, "rules"));
	g_assert_nonnull(strstr(advice, "plug it back in"));
	assert_host_setup_command(check);
}

static void
ub_connection_check_native_has_no_command_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* natively the advice names packages; there is no host to set up */
	add_normal(fixture, "1-2", 5);
	add_recovery(fixture, "1-3", 6);
	ub_fake_sysfs_set_node_mode(fixture->fake, 1, 6, 0);
	checks = fixture_run(fixture);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_FAIL);
	assert_check(checks, UB_CHECK_PERMISSION, UB_CHECK_STATUS_FAIL);
	for (guint i = 0; i < checks->len; i++)
		g_assert_null(ub_check_get_command(g_ptr_array_index(checks, i)));
}

static void
ub_connection_check_command_property_func(void)
{
	g_autoptr(UbCheck) check = NULL;
	g_autofree gchar *command = NULL;

	check = ub_check_new_with_command(
	    "usbmuxd", UB_CHECK_STATUS_FAIL, "Title", "Advice", UB_CARD_FLATPAK_HOST, "true");
	g_object_get(check, "command", &command, NULL);
	g_assert_cmpstr(command, ==, "true");
	g_clear_object(&check);

	/* a pass has nothing to type either */
	check = ub_check_new_with_command(
	    "usbmuxd", UB_CHECK_STATUS_PASS, "Title", "Advice", UB_CARD_FLATPAK_HOST, "true");
	g_assert_null(ub_check_get_command(check));
}

static void
run_all_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;
	*out = g_object_ref(result);
}

static void
ub_connection_check_async_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;

	fixture_start_usbmuxd(fixture);
	add_recovery(fixture, "1-2", 5);
	ub_connection_check_run_all_async(&fixture->env, NULL, run_all_cb, &result);
	/* the worker has its own copy of the env */
	fixture->env.sysfs_root = "/nonexistent";
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	fixture->env.sysfs_root = ub_fake_sysfs_get_root(fixture->fake);

	checks = ub_connection_check_run_all_finish(result, &error);
	g_assert_no_error(error);
	g_assert_nonnull(checks);
	g_assert_cmpuint(checks->len, ==, 4);
	g_assert_cmpstr(ub_check_get_id(g_ptr_array_index(checks, 0)), ==, UB_CHECK_USBMUXD);
	assert_check(checks, UB_CHECK_USBMUXD, UB_CHECK_STATUS_PASS);
	assert_check(checks, UB_CHECK_APPLE_USB, UB_CHECK_STATUS_PASS);
	assert_check(checks, UB_CHECK_HUB, UB_CHECK_STATUS_PASS);
}

static void
ub_connection_check_async_cancelled_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;

	g_cancellable_cancel(cancellable);
	ub_connection_check_run_all_async(&fixture->env, cancellable, run_all_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	checks = ub_connection_check_run_all_finish(result, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(checks);
}

static void
ub_connection_check_real_system_func(void)
{
	g_autoptr(GPtrArray) checks = NULL;

	/* whatever this machine has, the real checks answer all four */
	checks = ub_connection_check_run_all(NULL);
	g_assert_nonnull(checks);
	g_assert_cmpuint(checks->len, ==, 4);
	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		g_test_message("%s: %s", ub_check_get_id(check), ub_check_get_title(check));
		g_assert_nonnull(ub_check_get_title(check));
	}
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	/* the real system's usbmuxd address must not leak into the tests */
	g_unsetenv("USBMUXD_SOCKET_ADDRESS");

	ADD("/unbrick/connection-check/order", ub_connection_check_order_func);
	ADD("/unbrick/connection-check/nothing", ub_connection_check_nothing_func);
	ADD("/unbrick/connection-check/usbmuxd-pass", ub_connection_check_usbmuxd_pass_func);
	ADD("/unbrick/connection-check/usbmuxd-warn", ub_connection_check_usbmuxd_warn_func);
	ADD("/unbrick/connection-check/usbmuxd-fail", ub_connection_check_usbmuxd_fail_func);
	ADD("/unbrick/connection-check/usbmuxd-stale", ub_connection_check_usbmuxd_stale_func);
	ADD("/unbrick/connection-check/usbmuxd-env", ub_connection_check_usbmuxd_env_func);
	ADD("/unbrick/connection-check/apple-usb-modes", ub_connection_check_apple_usb_modes_func);
	ADD("/unbrick/connection-check/apple-usb-several",
	    ub_connection_check_apple_usb_several_func);
	ADD("/unbrick/connection-check/apple-usb-accessory",
	    ub_connection_check_apple_usb_accessory_func);
	ADD("/unbrick/connection-check/apple-usb-no-sysfs",
	    ub_connection_check_apple_usb_no_sysfs_func);
	ADD("/unbrick/connection-check/permission-pass", ub_connection_check_permission_pass_func);
	ADD("/unbrick/connection-check/permission-fail", ub_connection_check_permission_fail_func);
	ADD("/unbrick/connection-check/permission-default-mode",
	    ub_connection_check_permission_default_mode_func);
	ADD("/unbrick/connection-check/permission-normal",
	    ub_connection_check_permission_normal_func);
	ADD("/unbrick/connection-check/permission-no-node",
	    ub_connection_check_permission_no_node_func);
	ADD("/unbrick/connection-check/permission-unknown",
	    ub_connection_check_permission_unknown_func);
	ADD("/unbrick/connection-check/hub-pass", ub_connection_check_hub_pass_func);
	ADD("/unbrick/connection-check/hub-warn", ub_connection_check_hub_warn_func);
	ADD("/unbrick/connection-check/hub-unnamed", ub_connection_check_hub_unnamed_func);
	ADD("/unbrick/connection-check/hub-fixed", ub_connection_check_hub_fixed_func);
	ADD("/unbrick/connection-check/all-good", ub_connection_check_all_good_func);
	ADD("/unbrick/connection-check/async", ub_connection_check_async_func);
	ADD("/unbrick/connection-check/async-cancelled", ub_connection_check_async_cancelled_func);
	ADD("/unbrick/connection-check/flatpak-usbmuxd-missing",
	    ub_connection_check_flatpak_usbmuxd_missing_func);
	ADD("/unbrick/connection-check/flatpak-usbmuxd-restarted",
	    ub_connection_check_flatpak_usbmuxd_restarted_func);
	ADD("/unbrick/connection-check/flatpak-usbmuxd-pass",
	    ub_connection_check_flatpak_usbmuxd_pass_func);
	ADD("/unbrick/connection-check/flatpak-permission",
	    ub_connection_check_flatpak_permission_func);
	ADD("/unbrick/connection-check/native-has-no-command",
	    ub_connection_check_native_has_no_command_func);
	g_test_add_func("/unbrick/connection-check/command-property",
			ub_connection_check_command_property_func);
	g_test_add_func("/unbrick/connection-check/properties",
			ub_connection_check_properties_func);
	g_test_add_func("/unbrick/connection-check/pass", ub_connection_check_pass_func);
	g_test_add_func("/unbrick/connection-check/real-system",
			ub_connection_check_real_system_func);
	return g_test_run();
}
