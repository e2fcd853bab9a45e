/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-restore-engine.h"

G_BEGIN_DECLS

#define UB_TYPE_IDEVICERESTORE_ENGINE (ub_idevicerestore_engine_get_type())
G_DECLARE_FINAL_TYPE(UbIdevicerestoreEngine,
		     ub_idevicerestore_engine,
		     UB,
		     IDEVICERESTORE_ENGINE,
		     GObject)

/* @engine_path: "idevicerestore" (looked up in PATH) or an absolute path */
UbIdevicerestoreEngine *
ub_idevicerestore_engine_new(const gchar *engine_path);
/* how long after SIGINT before SIGKILL; 30 s by default */
void
ub_idevicerestore_engine_set_kill_grace(UbIdevicerestoreEngine *self, guint milliseconds);
/* the argv a run of @request uses, for logs and tests */
GStrv
ub_idevicerestore_engine_build_argv(UbIdevicerestoreEngine *self,
				    const UbRestoreRequest *request,
				    GError **error);

G_END_DECLS
