/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-check.h"
#include "ub-types.h"

G_BEGIN_DECLS

/*
 * The connection checks: what the computer shows of the USB devices, their
 * permissions and usbmuxd, each answered as a UbCheck (common/). The
 * checks page runs them all; the restore preflight runs single ones about
 * the one device it restores.
 */

/**
 * UbConnectionCheckEnv:
 * Where the checks look; every field %NULL means the real system. Tests point
 * them at a fake sysfs tree, a fake /dev and a fake usbmuxd socket.
 * @sysfs_root: "/sys"
 * @dev_root: "/dev" (USB nodes are @dev_root/bus/usb/BBB/DDD)
 * @usbmuxd_socket: "/var/run/usbmuxd", or USBMUXD_SOCKET_ADDRESS when set
 * @flatpak_info: "/.flatpak-info", whose presence means a Flatpak sandbox
 */
typedef struct {
	const gchar *sysfs_root;
	const gchar *dev_root;
	const gchar *usbmuxd_socket;
	const gchar *flatpak_info;
} UbConnectionCheckEnv;

/* ids of the connection checks page's checks, in the order they run and are shown */
#define UB_CHECK_USBMUXD "usbmuxd"
#define UB_CHECK_APPLE_USB "apple-usb"
#define UB_CHECK_PERMISSION "usb-permission"
#define UB_CHECK_HUB "hub"

const gchar *
ub_check_get_id(UbCheck *self);
UbCheckStatus
ub_check_get_status(UbCheck *self);
/* one plain sentence: what was found */
const gchar *
ub_check_get_title(UbCheck *self);
/* what to do about it; NULL when it passed */
const gchar *
ub_check_get_advice(UbCheck *self);
/* the id of the remediation card that explains a result other than a pass,
 * or NULL when there is none; always NULL when it passed */
const gchar *
ub_check_get_card_id(UbCheck *self);

/* a command line to type in a terminal that fixes it (the host setup of
 * a Flatpak); NULL when there is none; always NULL when it passed */
const gchar *
ub_check_get_command(UbCheck *self);

/* runs every check on a worker thread; returns a GPtrArray of UbCheck */
void
ub_connection_check_run_all_async(const UbConnectionCheckEnv *env,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
GPtrArray *
ub_connection_check_run_all_finish(GAsyncResult *result, GError **error);
/* the same, blocking; for the worker thread and tests */
GPtrArray *
ub_connection_check_run_all(const UbConnectionCheckEnv *env);

/* whether the user may open @path for reading and writing; the real one is
 * access(R_OK | W_OK), and tests running as root pass one that reads the
 * mode bits, since access() lets root through whatever they say */
typedef gboolean (*UbConnectionCheckAccessFunc)(const gchar *path, gpointer user_data);

/* access(R_OK | W_OK), what ub_connection_check_run_all() uses */
gboolean
ub_connection_check_real_access_cb(const gchar *path, gpointer user_data);

/* single checks; @devices holds UbUsbPort */
UbCheck *
ub_connection_check_usbmuxd(const gchar *socket_path,
			    gboolean device_switched_on,
			    gboolean flatpak);
UbCheck *
ub_connection_check_permission(GPtrArray *devices,
			       const gchar *dev_root,
			       gboolean flatpak,
			       UbConnectionCheckAccessFunc access_func,
			       gpointer user_data);

G_END_DECLS
