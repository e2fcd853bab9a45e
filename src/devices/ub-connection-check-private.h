/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-connection-check.h"

G_BEGIN_DECLS

/* tests: every check, with their own way to judge permissions */
GPtrArray *
_ub_connection_check_run_all_full(const UbConnectionCheckEnv *env,
				  UbConnectionCheckAccessFunc access_func,
				  gpointer user_data);

G_END_DECLS
