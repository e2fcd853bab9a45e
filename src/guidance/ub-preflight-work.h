/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-preflight-private.h"
#include "ub-usb-port.h"

G_BEGIN_DECLS

/*
 * The checks the preflight runs on its worker thread, one file per kind:
 * the USB side (ub-preflight-usb.c: usbmuxd, permission, the port) and the
 * disk (ub-preflight-disk.c). Each reads only its UbPreflightWork.
 */

#define UB_PREFLIGHT_GIB (G_GUINT64_CONSTANT(1) << 30)
/* what a restore needs besides the firmware and its system image */
#define UB_PREFLIGHT_DISK_MARGIN UB_PREFLIGHT_GIB
/* below needed + this, the disk is nearly full: warn */
#define UB_PREFLIGHT_DISK_WARN_EXTRA (2 * UB_PREFLIGHT_GIB)
/* USB 2 high speed; anything slower is USB 1.1 */
#define UB_PREFLIGHT_HIGH_SPEED_MBPS 480

/* what the worker thread sees: copies made on the calling thread */
typedef struct {
	gchar *sysfs_root;
	gchar *dev_root;
	gchar *usbmuxd_socket;
	gboolean flatpak;
	UbConnectionCheckAccessFunc access_func;
	gpointer access_data;
	gboolean simulated;
	UbDeviceMode mode;
	guint64 ecid;
	gchar *udid;
	UbUsbPort *port; /* immutable, so safe to share */
	gchar *storage_dir;
	guint64 firmware_size;
	gboolean firmware_cached;
} UbPreflightWork;

UbCheck *
_ub_preflight_check_usbmuxd(UbPreflightWork *work);
/* the port the device is on now, or NULL */
UbUsbPort *
_ub_preflight_find_port(UbPreflightWork *work);
UbCheck *
_ub_preflight_check_usb_permission(UbPreflightWork *work, UbUsbPort *port);
UbCheck *
_ub_preflight_check_usb_port(UbUsbPort *port);
UbCheck *
_ub_preflight_check_disk_space(UbPreflightWork *work);

G_END_DECLS
