/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-types.h"

G_BEGIN_DECLS

/*
 * UbConnectionCheck: one finished check of what a restore or a connection
 * needs. Immutable, so it may be handed between threads; the connection
 * checks page and the restore preflight (UbPreflight) both return them.
 */
#define UB_TYPE_CONNECTION_CHECK (ub_connection_check_get_type())
G_DECLARE_FINAL_TYPE(UbConnectionCheck, ub_connection_check, UB, CONNECTION_CHECK, GObject)

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
ub_connection_check_get_id(UbConnectionCheck *self);
UbCheckStatus
ub_connection_check_get_status(UbConnectionCheck *self);
/* one plain sentence: what was found */
const gchar *
ub_connection_check_get_title(UbConnectionCheck *self);
/* what to do about it; NULL when it passed */
const gchar *
ub_connection_check_get_advice(UbConnectionCheck *self);
/* the id of the remediation card that explains a result other than a pass,
 * or NULL when there is none; always NULL when it passed */
const gchar *
ub_connection_check_get_card_id(UbConnectionCheck *self);

/* a command line to type in a terminal that fixes it (the host setup of
 * a Flatpak); NULL when there is none; always NULL when it passed */
const gchar *
ub_connection_check_get_command(UbConnectionCheck *self);

/* runs every check on a worker thread; returns a GPtrArray of UbConnectionCheck */
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

G_END_DECLS
