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

UbConnectionCheck *
_ub_connection_check_new(const gchar *id,
			 UbCheckStatus status,
			 const gchar *title,
			 const gchar *advice);
GPtrArray *
_ub_connection_check_run_all_full(const UbConnectionCheckEnv *env,
				  UbConnectionCheckAccessFunc access_func,
				  gpointer user_data);

G_END_DECLS
