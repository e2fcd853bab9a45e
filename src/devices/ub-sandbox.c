/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-sandbox"

#include "config.h"

#include "ub-sandbox.h"

/**
 * ub_sandbox_is_flatpak:
 * @flatpak_info: (nullable): where to look; %NULL for /.flatpak-info
 *
 * Returns: whether Unbrick runs inside a Flatpak sandbox
 */
gboolean
ub_sandbox_is_flatpak(const gchar *flatpak_info)
{
	return g_file_test(flatpak_info != NULL ? flatpak_info : UB_SANDBOX_FLATPAK_INFO,
			   G_FILE_TEST_EXISTS);
}

/**
 * ub_sandbox_has_udev:
 * @udev_control: (nullable): where to look; %NULL for /run/udev/control
 *
 * libudev itself disables its monitor when this socket is missing (and /dev
 * is no devtmpfs), which is the case in a Flatpak and in most containers:
 * then no library hears a device arrive.
 *
 * Returns: whether a udev daemon runs where Unbrick can see it
 */
gboolean
ub_sandbox_has_udev(const gchar *udev_control)
{
	return g_file_test(udev_control != NULL ? udev_control : UB_SANDBOX_UDEV_CONTROL,
			   G_FILE_TEST_EXISTS);
}

/**
 * ub_sandbox_dup_host_setup_command:
 *
 * The script ships inside the Flatpak, which the host reaches through
 * `flatpak info --show-location`; it installs the udev rules for Recovery,
 * DFU and Port DFU and makes usbmuxd keep running.
 *
 * Returns: (transfer full): a shell command line
 */
gchar *
ub_sandbox_dup_host_setup_command(void)
{
	return g_strdup_printf("sudo sh \"$(flatpak info --show-location %s)/files/share/unbrick/"
			       "host/" UB_SANDBOX_HOST_SETUP_SCRIPT "\"",
			       APP_ID);
}
