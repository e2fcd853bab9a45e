/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Where Unbrick runs, as far as devices are concerned. A Flatpak sees no
 * USB hotplug event (the kernel's arrive from a sender its user namespace
 * cannot map, libudev has no udev to listen to), and it shares
 * /run/usbmuxd only when that socket exists as it starts: device
 * detection must work without events, and the host has to provide a
 * usbmuxd that is running before Unbrick starts and keeps running.
 */

/* the file Flatpak puts at the root of every sandbox */
#define UB_SANDBOX_FLATPAK_INFO "/.flatpak-info"
/* the socket of a running udev daemon */
#define UB_SANDBOX_UDEV_CONTROL "/run/udev/control"
/* the host setup installed with Unbrick (datadir/unbrick/host/) */
#define UB_SANDBOX_HOST_SETUP_SCRIPT "setup-host.sh"

/* whether Unbrick runs in a Flatpak; @flatpak_info: NULL for the real file */
gboolean
ub_sandbox_is_flatpak(const gchar *flatpak_info);

/* whether a udev daemon announces devices where Unbrick can hear it;
 * @udev_control: NULL for the real socket */
gboolean
ub_sandbox_has_udev(const gchar *udev_control);

/* the one command a Flatpak user types on the computer itself to set it
 * up: the device rules and a usbmuxd that keeps running */
gchar *
ub_sandbox_dup_host_setup_command(void);

G_END_DECLS
