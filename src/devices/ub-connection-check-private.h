/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-connection-check.h"

G_BEGIN_DECLS

/* whether the user may open @path for reading and writing; the real one is
 * access(R_OK | W_OK), and tests running as root pass one that reads the
 * mode bits, since access() lets root through whatever they say */
typedef gboolean (*UbConnectionCheckAccessFunc)(const gchar *path, gpointer user_data);

/* a pass keeps neither @advice nor @card_id (a UB_CARD_* id) */
UbConnectionCheck *
_ub_connection_check_new(const gchar *id,
			 UbCheckStatus status,
			 const gchar *title,
			 const gchar *advice,
			 const gchar *card_id);
UbConnectionCheck *
_ub_connection_check_new_with_command(const gchar *id,
				      UbCheckStatus status,
				      const gchar *title,
				      const gchar *advice,
				      const gchar *card_id,
				      const gchar *command);
/* access(R_OK | W_OK), what ub_connection_check_run_all() uses */
gboolean
_ub_connection_check_real_access_cb(const gchar *path, gpointer user_data);

/* single checks, for the restore preflight, which asks about one device;
 * @devices holds UbUsbPort */
UbConnectionCheck *
_ub_connection_check_usbmuxd(const gchar *socket_path,
			     gboolean device_switched_on,
			     gboolean flatpak);
UbConnectionCheck *
_ub_connection_check_permission(GPtrArray *devices,
				const gchar *dev_root,
				gboolean flatpak,
				UbConnectionCheckAccessFunc access_func,
				gpointer user_data);

GPtrArray *
_ub_connection_check_run_all_full(const UbConnectionCheckEnv *env,
				  UbConnectionCheckAccessFunc access_func,
				  gpointer user_data);

G_END_DECLS
