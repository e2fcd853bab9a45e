/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libirecovery.h>

G_BEGIN_DECLS

/*
 * Recovery and DFU devices found by looking, not by being told. In a Flatpak
 * (and in any container without udev) no USB hotplug event may reach
 * libusb, and libusb's device list on Linux is the one those events keep:
 * libirecovery then never hears of a device that comes back in another
 * mode. The poller lists sysfs, which the sandbox does show, once a second
 * and hands each change to its callback as the event libirecovery would
 * have sent: an add with what the USB serial string says (CPID, BDID, ECID,
 * SRNM, the same string libirecovery reads them from), or a remove naming
 * the mode the device was in.
 *
 * The callback runs on the poller's own thread. Only changes are reported,
 * so a device present from the start is one add, whatever libirecovery
 * says about it too: the receiver drops an add it has already seen.
 */
typedef struct _UbIrecvPoller UbIrecvPoller;

typedef void (*UbIrecvPollerFunc)(const irecv_device_event_t *event, gpointer user_data);

/* starts looking at once, then every @interval_ms; @sysfs_root: "/sys" or a
 * fake tree */
UbIrecvPoller *
ub_irecv_poller_new(const gchar *sysfs_root,
		    guint interval_ms,
		    UbIrecvPollerFunc func,
		    gpointer user_data);
/* stops the thread and waits for it: no callback runs after this returns */
void
ub_irecv_poller_free(UbIrecvPoller *poller);

/* the device info an add event carries, read from a Recovery or DFU USB
 * serial string ("CPID:8110 CPRV:11 ... BDID:0C ECID:001A2B3C4D5E6F70 ...
 * SRNM:[F2LXXXXXXXXX]"); FALSE without an ECID. Free with
 * _ub_irecv_poller_clear_info() */
gboolean
_ub_irecv_poller_info_from_serial(const gchar *serial, struct irecv_device_info *info);
void
_ub_irecv_poller_clear_info(struct irecv_device_info *info);

G_END_DECLS
