/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-engine-info.h"

G_BEGIN_DECLS

/* ub_engine_info_probe_async() with its timeout, for tests; finish with
 * ub_engine_info_probe_finish() */
void
_ub_engine_info_probe_full_async(const gchar *engine_path,
				 guint timeout_ms,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);

/* what the probe read from the program and its libirecovery; for the
 * probe and tests, on an info nobody else holds yet */
void
_ub_engine_info_set_binary(UbEngineInfo *self,
			   GBytes *engine,
			   const gchar *libirecovery_path,
			   GBytes *libirecovery);

G_END_DECLS
