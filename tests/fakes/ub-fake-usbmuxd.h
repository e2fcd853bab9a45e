/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * UbFakeUsbmuxd:
 * An in-process usbmuxd on a UNIX socket in a private temporary folder,
 * speaking the plist protocol (version 1) of libusbmuxd 2.0 and, behind
 * "Connect" to port 62078, a small lockdownd. Point libusbmuxd at it with
 * the environment variable USBMUXD_SOCKET_ADDRESS set to
 * ub_fake_usbmuxd_get_address() before libusbmuxd is used.
 *
 * Sessions never turn on TLS (EnableSessionSSL is false), so a "trusted"
 * device can be driven through StartSession and EnterRecovery without
 * certificates; a real device always asks for TLS.
 */
typedef struct _UbFakeUsbmuxd UbFakeUsbmuxd;

/**
 * UbFakeIdeviceFlags:
 * @UB_FAKE_IDEVICE_FLAG_TRUSTED: usbmuxd holds a pair record whose HostID
 *   the device accepts in StartSession
 * @UB_FAKE_IDEVICE_FLAG_RESTORE_MODE: port 62078 is restored (the restore
 *   ramdisk) rather than lockdownd
 * @UB_FAKE_IDEVICE_FLAG_LOCKDOWN_LATE: the first two connections to port
 *   62078 are refused, as in the second after a device attaches
 * @UB_FAKE_IDEVICE_FLAG_PASSCODE: "Pair" is answered with PasswordProtected
 *   instead of PairingDialogResponsePending
 * @UB_FAKE_IDEVICE_FLAG_NETWORK: announced as a Wi-Fi device
 */
typedef enum {
	UB_FAKE_IDEVICE_FLAG_NONE = 0,
	UB_FAKE_IDEVICE_FLAG_TRUSTED = 1 << 0,
	UB_FAKE_IDEVICE_FLAG_RESTORE_MODE = 1 << 1,
	UB_FAKE_IDEVICE_FLAG_LOCKDOWN_LATE = 1 << 2,
	UB_FAKE_IDEVICE_FLAG_PASSCODE = 1 << 3,
	UB_FAKE_IDEVICE_FLAG_NETWORK = 1 << 4,
} UbFakeIdeviceFlags;

UbFakeUsbmuxd *
ub_fake_usbmuxd_new(GError **error);
void
ub_fake_usbmuxd_free(UbFakeUsbmuxd *self);
const gchar *
ub_fake_usbmuxd_get_address(UbFakeUsbmuxd *self);

/* lockdown values by key: GVariant "s" (string), "t"/"u" (integer), "b" or
 * "ay" (data); the table returned holds floating references sunk */
GHashTable *
ub_fake_usbmuxd_values_new(void);
void
ub_fake_usbmuxd_values_set_string(GHashTable *values, const gchar *key, const gchar *value);
void
ub_fake_usbmuxd_values_set_uint(GHashTable *values, const gchar *key, guint64 value);

/* plugs a device in: usbmuxd listeners get "Attached" */
gboolean
ub_fake_usbmuxd_attach(UbFakeUsbmuxd *self,
		       const gchar *udid,
		       guint16 product_id,
		       GHashTable *values,
		       UbFakeIdeviceFlags flags);
/* unplugs it: listeners get "Detached", its lockdown connections close */
gboolean
ub_fake_usbmuxd_detach(UbFakeUsbmuxd *self, const gchar *udid);

/* how often a lockdown (or restored) request reached the device, e.g.
 * "GetValue", "StartSession", "Pair", "EnterRecovery" */
guint
ub_fake_usbmuxd_get_request_count(UbFakeUsbmuxd *self, const gchar *udid, const gchar *request);

/* clients that sent "Listen" and still hold the connection */
guint
ub_fake_usbmuxd_get_n_listeners(UbFakeUsbmuxd *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFakeUsbmuxd, ub_fake_usbmuxd_free)

G_END_DECLS
