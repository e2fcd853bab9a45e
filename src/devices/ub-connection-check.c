/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-connection-check"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "ub-card-ids.h"
#include "ub-connection-check-private.h"
#include "ub-sandbox.h"
#include "ub-usb-port.h"

#define UB_USBMUXD_DEFAULT_SOCKET "/var/run/usbmuxd"
#define UB_USBMUXD_DEFAULT_PORT 27015
#define UB_USBMUXD_TIMEOUT_SECS 3

gboolean
ub_connection_check_real_access_cb(const gchar *path, gpointer user_data)
{
	return access(path, R_OK | W_OK) == 0;
}

/* the advice shared by every "no device at all" answer */
static const gchar *
ub_connection_check_cable_advice(void)
{
	return _("Try another cable: an Apple or MFi-certified one that carries data, not a "
		 "charge-only cable. Plug it into a port on the computer itself, not a hub, "
		 "keyboard or monitor. Wake and unlock the device, and tap Trust if it asks. If "
		 "the screen stays black or frozen, force-restart the device and connect it "
		 "again.");
}

static GSocketConnectable *
ub_connection_check_usbmuxd_address(const gchar *override)
{
	const gchar *env = g_getenv("USBMUXD_SOCKET_ADDRESS");

	if (override != NULL)
		return G_SOCKET_CONNECTABLE(g_unix_socket_address_new(override));

	/* libusbmuxd reads the same variable: "UNIX:/path" or "host:port" */
	if (env != NULL && g_str_has_prefix(env, "UNIX:"))
		return G_SOCKET_CONNECTABLE(g_unix_socket_address_new(env + 5));
	if (env != NULL && env[0] != '\0') {
		g_autoptr(GError) error_local = NULL;
		GSocketConnectable *address =
		    g_network_address_parse(env, UB_USBMUXD_DEFAULT_PORT, &error_local);
		if (address != NULL)
			return address;
		g_debug("ignoring USBMUXD_SOCKET_ADDRESS: %s", error_local->message);
	}
	return G_SOCKET_CONNECTABLE(g_unix_socket_address_new(UB_USBMUXD_DEFAULT_SOCKET));
}

/* the answer of a check that looks at the device when there is none */
static UbCheck *
ub_connection_check_no_device(const gchar *id)
{
	return ub_check_new(id,
			    UB_CHECK_STATUS_UNKNOWN,
			    _("Nothing to check yet: no iPhone or iPad is connected"),
			    NULL,
			    NULL);
}

static gboolean
ub_connection_check_has_mode(GPtrArray *devices, UbDeviceMode mode)
{
	for (guint i = 0; i < devices->len; i++) {
		if (ub_usb_port_guess_mode(g_ptr_array_index(devices, i)) == mode)
			return TRUE;
	}
	return FALSE;
}

/* in a Flatpak: /run/usbmuxd is shared only when it exists as Unbrick
 * starts, and a usbmuxd that restarts leaves the sandbox the old socket */
static UbCheck *
ub_connection_check_usbmuxd_flatpak(const GError *error)
{
	g_autofree gchar *command = ub_sandbox_dup_host_setup_command();

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)) {
		return ub_check_new_with_command(
		    UB_CHECK_USBMUXD,
		    UB_CHECK_STATUS_FAIL,
		    _("The iPhone connection service (usbmuxd) restarted after Unbrick started"),
		    _("Unbrick runs as a Flatpak and can only reach the service that was running "
		      "when it started. Quit Unbrick and open it again. So that this cannot happen "
		      "in the middle of a restore, set up this computer once by typing this "
		      "command in a terminal; it keeps the service running:"),
		    UB_CARD_FLATPAK_HOST,
		    command);
	}
	return ub_check_new_with_command(
	    UB_CHECK_USBMUXD,
	    UB_CHECK_STATUS_FAIL,
	    _("Unbrick can’t reach the iPhone connection service (usbmuxd)"),
	    _("Unbrick runs as a Flatpak, so the service has to be installed on this computer and "
	      "already running when Unbrick starts. Set up this computer once by typing this "
	      "command in a terminal, then quit Unbrick and open it again:"),
	    UB_CARD_FLATPAK_HOST,
	    command);
}

/**
 * ub_connection_check_usbmuxd:
 * @socket_path: (nullable): the socket, or %NULL for USBMUXD_SOCKET_ADDRESS
 *   or the default
 * @device_switched_on: whether a device in normal mode is connected, so
 *   usbmuxd should have started
 * @flatpak: whether Unbrick runs in a Flatpak, where a usbmuxd that starts
 *   later is never seen: then its absence is always a failure
 */
UbCheck *
ub_connection_check_usbmuxd(const gchar *socket_path, gboolean device_switched_on, gboolean flatpak)
{
	g_autoptr(GSocketConnectable) address = ub_connection_check_usbmuxd_address(socket_path);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) connection = NULL;
	g_autoptr(GError) error_local = NULL;

	g_socket_client_set_timeout(client, UB_USBMUXD_TIMEOUT_SECS);
	connection = g_socket_client_connect(client, address, NULL, &error_local);
	if (connection != NULL) {
		g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
		return ub_check_new(UB_CHECK_USBMUXD,
				    UB_CHECK_STATUS_PASS,
				    _("The iPhone connection service (usbmuxd) is running"),
				    NULL,
				    NULL);
	}
	g_debug("usbmuxd is not reachable: %s", error_local->message);

	/* it is there, but a sandbox or the socket's mode keeps us out */
	if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)) {
		return ub_check_new(
		    UB_CHECK_USBMUXD,
		    UB_CHECK_STATUS_FAIL,
		    _("Unbrick is not allowed to reach the iPhone connection service (usbmuxd)"),
		    _("Something on this computer blocks Unbrick from the service. If Unbrick "
		      "runs in a sandbox such as Flatpak, it needs permission to use "
		      "/run/usbmuxd."),
		    UB_CARD_USBMUXD);
	}
	if (flatpak)
		return ub_connection_check_usbmuxd_flatpak(error_local);

	/* Debian starts usbmuxd from udev only once a device in normal mode
	 * is plugged in, so it being absent is only wrong when one is */
	if (!device_switched_on) {
		return ub_check_new(
		    UB_CHECK_USBMUXD,
		    UB_CHECK_STATUS_WARN,
		    _("The iPhone connection service (usbmuxd) is not running yet"),
		    _("That is normal while no iPhone or iPad is switched on and connected: "
		      "usbmuxd starts by itself when an iPhone is plugged in. Devices in "
		      "Recovery Mode or DFU mode do not need it."),
		    UB_CARD_USBMUXD);
	}
	return ub_check_new(
	    UB_CHECK_USBMUXD,
	    UB_CHECK_STATUS_FAIL,
	    _("The iPhone connection service (usbmuxd) is not running"),
	    _("An iPhone or iPad is connected, but the service that talks to it did not start. "
	      "Install it by typing “sudo apt install usbmuxd” in a terminal, then unplug the "
	      "device and plug it back in."),
	    UB_CARD_USBMUXD);
}

static UbCheck *
ub_connection_check_apple_usb(GPtrArray *all, GPtrArray *devices, const GError *list_error)
{
	const gchar *title = NULL;
	g_autofree gchar *title_owned = NULL;

	if (list_error != NULL) {
		return ub_check_new(
		    UB_CHECK_APPLE_USB,
		    UB_CHECK_STATUS_FAIL,
		    _("Unbrick cannot see this computer's USB devices"),
		    _("This happens when Unbrick runs inside a container or a sandbox that hides "
		      "USB. Run Unbrick directly on the computer the device is plugged into."),
		    /* no card: the device may be fine, only this sandbox is blind */
		    NULL);
	}
	if (devices->len == 0) {
		/* an Apple keyboard or adapter is no iPhone: don't pass on it */
		return ub_check_new(
		    UB_CHECK_APPLE_USB,
		    UB_CHECK_STATUS_FAIL,
		    all->len == 0
			? _("No Apple device is visible on USB at all")
			: _("No iPhone or iPad is visible on USB, only other Apple accessories"),
		    ub_connection_check_cable_advice(),
		    UB_CARD_NOT_DETECTED);
	}
	if (devices->len > 1) {
		title_owned = g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
							  "%u Apple device is connected",
							  "%u Apple devices are connected",
							  devices->len),
					      devices->len);
		title = title_owned;
	} else {
		switch (ub_usb_port_guess_mode(g_ptr_array_index(devices, 0))) {
		case UB_DEVICE_MODE_RECOVERY:
			title = _("An Apple device is connected in Recovery Mode");
			break;
		case UB_DEVICE_MODE_DFU:
			title = _("An Apple device is connected in DFU mode");
			break;
		default:
			title = _("An Apple device is connected and switched on");
			break;
		}
	}
	return ub_check_new(UB_CHECK_APPLE_USB, UB_CHECK_STATUS_PASS, title, NULL, NULL);
}

UbCheck *
ub_connection_check_permission(GPtrArray *devices,
			       const gchar *dev_root,
			       gboolean flatpak,
			       UbConnectionCheckAccessFunc access_func,
			       gpointer user_data)
{
	guint checked = 0;
	gboolean denied = FALSE;
	gboolean missing = FALSE;

	g_return_val_if_fail(devices != NULL, NULL);
	g_return_val_if_fail(access_func != NULL, NULL);

	if (devices->len == 0) {
		return ub_connection_check_no_device(UB_CHECK_PERMISSION);
	}
	for (guint i = 0; i < devices->len; i++) {
		UbUsbPort *port = g_ptr_array_index(devices, i);
		g_autofree gchar *node = ub_usb_port_dup_dev_node(port, dev_root);
		UbDeviceMode mode = ub_usb_port_guess_mode(port);
		GStatBuf st;

		if (node == NULL)
			continue;
		checked++;
		if (g_stat(node, &st) != 0) {
			g_debug("%s has no device node %s", ub_usb_port_get_path(port), node);
			missing = TRUE;
			continue;
		}
		if (access_func(node, user_data))
			continue;

		/* in normal mode usbmuxd opens the node, not us: its udev rule
		 * hands the node to the usbmux user, and without that rule it
		 * stays with root */
		if (mode == UB_DEVICE_MODE_NORMAL && st.st_uid != 0)
			continue;
		g_debug("no read and write access to %s", node);
		denied = TRUE;
	}
	if (checked == 0) {
		return ub_check_new(UB_CHECK_PERMISSION,
				    UB_CHECK_STATUS_UNKNOWN,
				    _("The device's USB permissions could not be checked"),
				    NULL,
				    NULL);
	}
	if (missing && !denied) {
		return ub_check_new(
		    UB_CHECK_PERMISSION,
		    UB_CHECK_STATUS_FAIL,
		    _("Unbrick cannot reach the device's USB connection from its sandbox"),
		    _("Unbrick runs in a sandbox that hides USB devices. If you installed it as a "
		      "Flatpak, allow it to use all devices, for example with “flatpak override "
		      "--user --device=all io.github.unbrick.Unbrick” in a terminal, then start "
		      "Unbrick again."),
		    UB_CARD_USB_PERMISSION);
	}
	if (denied && flatpak) {
		g_autofree gchar *command = ub_sandbox_dup_host_setup_command();

		return ub_check_new_with_command(
		    UB_CHECK_PERMISSION,
		    UB_CHECK_STATUS_FAIL,
		    _("Unbrick is not allowed to use the device's USB connection"),
		    _("This computer is missing the rules that let programs open iPhones and iPads "
		      "in Recovery and DFU mode, and a Flatpak cannot bring them along. Set up "
		      "this "
		      "computer once by typing this command in a terminal, then unplug the device "
		      "and plug it back in:"),
		    UB_CARD_FLATPAK_HOST,
		    command);
	}
	if (denied) {
		return ub_check_new(
		    UB_CHECK_PERMISSION,
		    UB_CHECK_STATUS_FAIL,
		    _("Unbrick is not allowed to use the device's USB connection"),
		    _("This computer is missing the rules that let programs talk to iPhones and "
		      "iPads over USB. Install them by typing “sudo apt install "
		      "libirecovery-common usbmuxd” in a terminal, then unplug the device and "
		      "plug it back in. A Flatpak cannot add these rules by itself, so they are "
		      "needed on the computer even when Unbrick is a Flatpak."),
		    UB_CARD_USB_PERMISSION);
	}
	return ub_check_new(UB_CHECK_PERMISSION,
			    UB_CHECK_STATUS_PASS,
			    _("Unbrick is allowed to use the device's USB connection"),
			    NULL,
			    NULL);
}

static UbCheck *
ub_connection_check_hub(GPtrArray *devices)
{
	if (devices->len == 0) {
		return ub_connection_check_no_device(UB_CHECK_HUB);
	}
	for (guint i = 0; i < devices->len; i++) {
		UbUsbPort *port = g_ptr_array_index(devices, i);
		const gchar *hub_name = ub_usb_port_get_hub_name(port);
		g_autofree gchar *title = NULL;

		if (!ub_usb_port_get_behind_hub(port))
			continue;
		if (hub_name != NULL) {
			/* TRANSLATORS: %s is the name the hub gives itself, e.g. "USB2.0 Hub" */
			title = g_strdup_printf(
			    _("The device is connected through a USB hub (“%s”)"), hub_name);
		} else {
			title = g_strdup(_("The device is connected through a USB hub"));
		}
		return ub_check_new(
		    UB_CHECK_HUB,
		    UB_CHECK_STATUS_WARN,
		    title,
		    _("Hubs, docks, keyboards and monitor ports can drop the connection in the "
		      "middle of a restore. Plug the cable straight into a port on the computer "
		      "itself."),
		    UB_CARD_USB_HUB);
	}
	return ub_check_new(UB_CHECK_HUB,
			    UB_CHECK_STATUS_PASS,
			    _("The device is plugged straight into the computer"),
			    NULL,
			    NULL);
}

GPtrArray *
_ub_connection_check_run_all_full(const UbConnectionCheckEnv *env,
				  UbConnectionCheckAccessFunc access_func,
				  gpointer user_data)
{
	const gchar *sysfs_root = NULL;
	const gchar *dev_root = NULL;
	const gchar *usbmuxd_socket = NULL;
	gboolean flatpak = FALSE;
	g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GError) list_error = NULL;

	g_return_val_if_fail(access_func != NULL, NULL);

	if (env != NULL) {
		sysfs_root = env->sysfs_root;
		dev_root = env->dev_root;
		usbmuxd_socket = env->usbmuxd_socket;
	}
	flatpak = ub_sandbox_is_flatpak(env != NULL ? env->flatpak_info : NULL);
	if (sysfs_root == NULL)
		sysfs_root = ub_usb_port_default_sysfs_root();
	if (dev_root == NULL)
		dev_root = "/dev";

	all = ub_usb_port_list_apple(sysfs_root, &list_error);
	if (all == NULL) {
		g_debug("%s", list_error->message);
		all = g_ptr_array_new_with_free_func(g_object_unref);
	}
	/* only iPhone and iPad modes count; hubs and keyboards do not */
	for (guint i = 0; i < all->len; i++) {
		UbUsbPort *port = g_ptr_array_index(all, i);
		if (ub_usb_port_guess_mode(port) != UB_DEVICE_MODE_DISCONNECTED)
			g_ptr_array_add(devices, g_object_ref(port));
	}

	g_ptr_array_add(checks,
			ub_connection_check_usbmuxd(
			    usbmuxd_socket,
			    ub_connection_check_has_mode(devices, UB_DEVICE_MODE_NORMAL),
			    flatpak));
	g_ptr_array_add(checks, ub_connection_check_apple_usb(all, devices, list_error));
	g_ptr_array_add(
	    checks,
	    ub_connection_check_permission(devices, dev_root, flatpak, access_func, user_data));
	g_ptr_array_add(checks, ub_connection_check_hub(devices));
	return g_steal_pointer(&checks);
}

/**
 * ub_connection_check_run_all:
 * @env: (nullable): where to look; %NULL for the real system
 *
 * Blocks on the usbmuxd socket for a few seconds at most.
 *
 * Returns: (transfer container) (element-type UbCheck): the checks,
 * in the order they are shown
 */
GPtrArray *
ub_connection_check_run_all(const UbConnectionCheckEnv *env)
{
	return _ub_connection_check_run_all_full(env, ub_connection_check_real_access_cb, NULL);
}

typedef struct {
	gchar *sysfs_root;
	gchar *dev_root;
	gchar *usbmuxd_socket;
	gchar *flatpak_info;
} UbConnectionCheckRunData;

static void
ub_connection_check_run_data_free(UbConnectionCheckRunData *data)
{
	g_free(data->sysfs_root);
	g_free(data->dev_root);
	g_free(data->usbmuxd_socket);
	g_free(data->flatpak_info);
	g_free(data);
}

static void
ub_connection_check_run_thread_cb(GTask *task,
				  gpointer source_object,
				  gpointer task_data,
				  GCancellable *cancellable)
{
	UbConnectionCheckRunData *data = task_data;
	UbConnectionCheckEnv env = {
	    .sysfs_root = data->sysfs_root,
	    .dev_root = data->dev_root,
	    .usbmuxd_socket = data->usbmuxd_socket,
	    .flatpak_info = data->flatpak_info,
	};

	if (g_task_return_error_if_cancelled(task))
		return;
	g_task_return_pointer(
	    task, ub_connection_check_run_all(&env), (GDestroyNotify)g_ptr_array_unref);
}

void
ub_connection_check_run_all_async(const UbConnectionCheckEnv *env,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	UbConnectionCheckRunData *data;

	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	/* the worker only sees its own copy of where to look */
	data = g_new0(UbConnectionCheckRunData, 1);
	if (env != NULL) {
		data->sysfs_root = g_strdup(env->sysfs_root);
		data->dev_root = g_strdup(env->dev_root);
		data->usbmuxd_socket = g_strdup(env->usbmuxd_socket);
		data->flatpak_info = g_strdup(env->flatpak_info);
	}
	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_connection_check_run_all_async);
	g_task_set_task_data(task, data, (GDestroyNotify)ub_connection_check_run_data_free);
	g_task_run_in_thread(task, ub_connection_check_run_thread_cb);
}

GPtrArray *
ub_connection_check_run_all_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}
