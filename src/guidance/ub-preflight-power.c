/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ub-preflight-private.h"
#include "ub-preflight-run.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"
#include "ub-sandbox.h"
#include "ub-usb-port.h"

/* UPower missing (a desktop without it, a container without the system
 * bus) says nothing about the power supply: pass rather than warn about
 * what cannot be known */
static UbCheck *
ub_preflight_power_unknown(void)
{
	return ub_check_new(UB_PREFLIGHT_POWER,
			    UB_CHECK_STATUS_PASS,
			    _("Couldn't tell whether this computer is plugged in"),
			    NULL,
			    NULL);
}

static void
ub_preflight_power_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbPreflightRun *run = g_task_get_task_data(task);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source_object), result, &error);
	if (reply == NULL) {
		g_debug("UPower: %s", error->message);
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			_ub_preflight_run_set(run, SLOT_POWER, ub_preflight_power_unknown());
		_ub_preflight_run_part_done(task);
		return;
	}
	g_variant_get(reply, "(v)", &value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
		g_debug("UPower: OnBattery is %s", g_variant_get_type_string(value));
		_ub_preflight_run_set(run, SLOT_POWER, ub_preflight_power_unknown());
	} else if (g_variant_get_boolean(value)) {
		_ub_preflight_run_set(
		    run,
		    SLOT_POWER,
		    ub_check_new(UB_PREFLIGHT_POWER,
				 UB_CHECK_STATUS_WARN,
				 _("This computer is running on battery"),
				 _("Plug this computer in; a restore can take 45 minutes, "
				   "and if the computer sleeps or runs out of power in the "
				   "middle, the device has to be restored again."),
				 UB_CARD_ON_BATTERY));
	} else {
		_ub_preflight_run_set(run,
				      SLOT_POWER,
				      ub_check_new(UB_PREFLIGHT_POWER,
						   UB_CHECK_STATUS_PASS,
						   _("This computer is plugged in"),
						   NULL,
						   NULL));
	}
	_ub_preflight_run_part_done(task);
}

void
_ub_preflight_power_call(GTask *task)
{
	UbPreflightRun *run = g_task_get_task_data(task);

	g_dbus_connection_call(run->bus,
			       UB_UPOWER_NAME,
			       UB_UPOWER_PATH,
			       "org.freedesktop.DBus.Properties",
			       "Get",
			       g_variant_new("(ss)", UB_UPOWER_NAME, "OnBattery"),
			       G_VARIANT_TYPE("(v)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       UB_PREFLIGHT_UPOWER_TIMEOUT_MS,
			       run->cancellable,
			       ub_preflight_power_cb,
			       g_object_ref(task));
}

void
_ub_preflight_bus_get_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbPreflightRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	run->bus = g_bus_get_finish(result, &error);
	if (run->bus == NULL) {
		g_debug("no system bus: %s", error->message);
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			_ub_preflight_run_set(run, SLOT_POWER, ub_preflight_power_unknown());
		_ub_preflight_run_part_done(task);
		return;
	}
	_ub_preflight_power_call(task);
}

/* 8. backup */
