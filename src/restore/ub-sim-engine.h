/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-restore-engine.h"
#include "ub-sim-provider.h"
#include "ub-timed-log.h"

G_BEGIN_DECLS

#define UB_TYPE_SIM_ENGINE (ub_sim_engine_get_type())
G_DECLARE_FINAL_TYPE(UbSimEngine, ub_sim_engine, UB, SIM_ENGINE, GObject)

/* replays @log (transfer full) at @time_scale (1.0 = as recorded, smaller
 * is faster); for the demo and the tests, never for a real device */
UbSimEngine *
ub_sim_engine_new(UbTimedLog *log, gdouble time_scale);
/* a log bundled as restore-logs/@name.log */
UbSimEngine *
ub_sim_engine_new_for_name(const gchar *name, gdouble time_scale, GError **error);
/* moves the simulated device through the modes the log implies (restore
 * mode, then normal after success) and unplugs it mid-restore when the
 * scenario says so */
void
ub_sim_engine_set_device(UbSimEngine *self, UbSimProvider *provider, guint64 ecid);

G_END_DECLS
