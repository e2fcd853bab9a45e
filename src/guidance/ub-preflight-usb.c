/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ub-card-ids.h"
#include "ub-preflight-work.h"
#include "ub-sandbox.h"

/* "480 Mbit/s", "5 Gbit/s"; sysfs reads low speed (1.5) as 1 */
static gchar *
ub_preflight_speed_text(guint mbps)
{
	if (mbps == 1)
		/* TRANSLATORS: a USB speed: 1.5 megabits per second */
		return g_strdup(_("1.5 Mbit/s"));
	if (mbps < 1000)
		/* TRANSLATORS: a USB speed in megabits per second, e.g. "480 Mbit/s" */
		return g_strdup_printf(_("%u Mbit/s"), mbps);
	if (mbps % 1000 == 0)
		/* TRANSLATORS: a USB speed in gigabits per second, e.g. "5 Gbit/s" */
		return g_strdup_printf(_("%u Gbit/s"), mbps / 1000);
	/* TRANSLATORS: a USB speed in gigabits per second, e.g. "2.5 Gbit/s" */
	return g_strdup_printf(_("%.1f Gbit/s"), mbps / 1000.0);
}

/* a connection check's answer as the preflight sees it, keeping its card;
 * "couldn't tell" passes, since there is nothing the user could do about it */
static UbCheck *
ub_preflight_from_connection_check(const gchar *id, UbCheck *check, const gchar *advice_override)
{
	UbCheckStatus status = ub_check_get_status(check);
	const gchar *advice = ub_check_get_advice(check);

	if (status == UB_CHECK_STATUS_UNKNOWN)
		status = UB_CHECK_STATUS_PASS;
	if (advice_override != NULL)
		advice = advice_override;
	return ub_check_new_with_command(id,
					 status,
					 ub_check_get_title(check),
					 advice,
					 ub_check_get_card_id(check),
					 ub_check_get_command(check));
}

/* 1. usbmuxd */

UbCheck *
_ub_preflight_check_usbmuxd(UbPreflightWork *work)
{
	g_autoptr(UbCheck) check = NULL;
	gboolean switched_on;

	/* a simulated device never goes through usbmuxd */
	if (work->simulated) {
		return ub_check_new(UB_PREFLIGHT_USBMUXD,
				    UB_CHECK_STATUS_PASS,
				    _("Simulated device: no connection service needed"),
				    NULL,
				    NULL);
	}

	/* in normal mode idevicerestore needs usbmuxd at once; in Recovery
	 * and DFU mode only once the restore ramdisk runs, and udev starts
	 * usbmuxd by itself when the device comes back in that mode; but not
	 * for a Flatpak, which never sees a usbmuxd that starts after it */
	switched_on = work->mode != UB_DEVICE_MODE_RECOVERY && work->mode != UB_DEVICE_MODE_DFU;
	check = ub_connection_check_usbmuxd(work->usbmuxd_socket, switched_on, work->flatpak);
	if (!switched_on && ub_check_get_status(check) == UB_CHECK_STATUS_WARN) {
		return ub_preflight_from_connection_check(
		    UB_PREFLIGHT_USBMUXD,
		    check,
		    _("It usually starts by itself when the device switches to restore mode "
		      "during the restore. If the restore stops while waiting for the device, "
		      "install it by typing “sudo apt install usbmuxd” in a terminal, then try "
		      "again."));
	}
	return ub_preflight_from_connection_check(UB_PREFLIGHT_USBMUXD, check, NULL);
}

/* the device's port as sysfs shows it now: by ECID (Recovery, DFU and
 * normal mode on A12 and later), else by the normal-mode UDID */
UbUsbPort *
_ub_preflight_find_port(UbPreflightWork *work)
{
	g_autoptr(UbUsbPort) port = NULL;
	g_autoptr(GError) error_local = NULL;

	/* a simulated device is nowhere in sysfs: its port is made up */
	if (work->simulated)
		return work->port != NULL ? g_object_ref(work->port) : NULL;

	if (work->ecid != 0) {
		port = ub_usb_port_find_by_ecid(work->sysfs_root, work->ecid, &error_local);
		if (port != NULL)
			return g_steal_pointer(&port);
		g_debug("%s", error_local->message);
		g_clear_error(&error_local);
	}
	if (work->udid != NULL) {
		port = ub_usb_port_find_by_serial(work->sysfs_root, work->udid, &error_local);
		if (port != NULL)
			return g_steal_pointer(&port);
		g_debug("%s", error_local->message);
	}

	/* not the port the provider saw earlier: its device number changes
	 * with every re-enumeration, and a stale node would be misjudged */
	return NULL;
}

/* 2. usb-permission */

UbCheck *
_ub_preflight_check_usb_permission(UbPreflightWork *work, UbUsbPort *port)
{
	g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(UbCheck) check = NULL;

	if (work->simulated) {
		return ub_check_new(UB_PREFLIGHT_USB_PERMISSION,
				    UB_CHECK_STATUS_PASS,
				    _("Simulated device: no USB permissions needed"),
				    NULL,
				    NULL);
	}
	if (port == NULL) {
		return ub_check_new(UB_PREFLIGHT_USB_PERMISSION,
				    UB_CHECK_STATUS_PASS,
				    _("Couldn't find the device on USB to check its permissions"),
				    NULL,
				    NULL);
	}
	g_ptr_array_add(devices, g_object_ref(port));
	check = ub_connection_check_permission(
	    devices, work->dev_root, work->flatpak, work->access_func, work->access_data);
	return ub_preflight_from_connection_check(UB_PREFLIGHT_USB_PERMISSION, check, NULL);
}

/* 3. usb-port */

UbCheck *
_ub_preflight_check_usb_port(UbUsbPort *port)
{
	g_autofree gchar *speed = NULL;
	g_autofree gchar *title = NULL;
	const gchar *hub_name;
	guint mbps;

	/* passes rather than warns: sysfs hides the port only in odd
	 * sandboxes, the user can do nothing about it, and the restore's own
	 * diagnosis still catches a bad connection */
	if (port == NULL) {
		return ub_check_new(UB_PREFLIGHT_USB_PORT,
				    UB_CHECK_STATUS_PASS,
				    _("Couldn't tell how the device is connected"),
				    NULL,
				    NULL);
	}
	mbps = ub_usb_port_get_speed_mbps(port);
	if (mbps != 0)
		speed = ub_preflight_speed_text(mbps);
	hub_name = ub_usb_port_get_hub_name(port);

	if (ub_usb_port_get_behind_hub(port)) {
		if (hub_name != NULL && speed != NULL)
			/* TRANSLATORS: the first %s is the name the hub gives
			 * itself ("USB2.0 Hub"), the second a speed ("480 Mbit/s") */
			title = g_strdup_printf(
			    _("Connected through a USB hub (“%s”) at %s"), hub_name, speed);
		else if (hub_name != NULL)
			/* TRANSLATORS: %s is the name the hub gives itself ("USB2.0 Hub") */
			title = g_strdup_printf(_("Connected through a USB hub (“%s”)"), hub_name);
		else if (speed != NULL)
			/* TRANSLATORS: %s is a speed ("480 Mbit/s") */
			title = g_strdup_printf(_("Connected through a USB hub at %s"), speed);
		else
			title = g_strdup(_("Connected through a USB hub"));
		return ub_check_new(
		    UB_PREFLIGHT_USB_PORT,
		    UB_CHECK_STATUS_WARN,
		    title,
		    _("Hubs, docks, keyboards and monitor ports can drop the connection in the "
		      "middle of a restore. Plug the cable straight into a port on the computer "
		      "itself."),
		    UB_CARD_USB_HUB);
	}
	if (speed == NULL) {
		return ub_check_new(UB_PREFLIGHT_USB_PORT,
				    UB_CHECK_STATUS_PASS,
				    _("Connected directly, at an unknown speed"),
				    NULL,
				    NULL);
	}
	if (mbps < UB_PREFLIGHT_HIGH_SPEED_MBPS) {
		/* TRANSLATORS: %s is a speed ("12 Mbit/s") */
		title = g_strdup_printf(_("Connected directly, but only at %s (USB 1.1)"), speed);
		return ub_check_new(
		    UB_PREFLIGHT_USB_PORT,
		    UB_CHECK_STATUS_WARN,
		    title,
		    _("A restore sends several gigabytes to the device, and at this speed it can "
		      "take hours or stop halfway. Plug the cable into another port on the "
		      "computer; if it stays this slow, try another cable."),
		    UB_CARD_USB_CONNECTION);
	}
	/* TRANSLATORS: %s is a speed ("480 Mbit/s") */
	title = g_strdup_printf(_("Connected directly at %s"), speed);
	return ub_check_new(UB_PREFLIGHT_USB_PORT, UB_CHECK_STATUS_PASS, title, NULL, NULL);
}

/* 4. disk-space */
