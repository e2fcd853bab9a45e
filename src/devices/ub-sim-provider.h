/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-device-provider.h"

G_BEGIN_DECLS

#define UB_TYPE_SIM_PROVIDER (ub_sim_provider_get_type())
G_DECLARE_FINAL_TYPE(UbSimProvider, ub_sim_provider, UB, SIM_PROVIDER, GObject)

/* simulated devices scripted by a scenario file (data/scenarios/NAME.json), for
 * tests, the demo device and screenshots; never in place of a real device */
UbSimProvider *
ub_sim_provider_new_from_bytes(GBytes *json, GError **error);
UbSimProvider *
ub_sim_provider_new_from_file(const gchar *path, GError **error);
/* @scenario: a bundled scenario's name ("demo") or a path to a .json file */
UbSimProvider *
ub_sim_provider_new_for_scenario(const gchar *scenario, GError **error);
const gchar *
ub_sim_provider_get_title(UbSimProvider *self);
guint
ub_sim_provider_get_n_devices(UbSimProvider *self);
/* 1.0 is real time; tests run scenarios faster with a smaller scale */
void
ub_sim_provider_set_time_scale(UbSimProvider *self, gdouble time_scale);

/* what the simulated restore engine needs to play along with a device */
gboolean
ub_sim_provider_has_device(UbSimProvider *self, guint64 ecid);
/* the scenario's "restore-log": a name under restore-logs/ in the resources */
const gchar *
ub_sim_provider_get_restore_log(UbSimProvider *self, guint64 ecid);
gboolean
ub_sim_provider_get_unplug_during_restore(UbSimProvider *self, guint64 ecid);
gdouble
ub_sim_provider_get_time_scale(UbSimProvider *self);
gdouble
ub_sim_provider_get_restart_seconds(UbSimProvider *self, guint64 ecid);
/* drop off USB and come back in @mode after @seconds (scaled); DISCONNECTED
 * unplugs it at once for good */
void
ub_sim_provider_move_device(UbSimProvider *self, guint64 ecid, UbDeviceMode mode, gdouble seconds);

G_END_DECLS
