/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ub-guidance-types.h"

G_BEGIN_DECLS

#define UB_TYPE_CUE_PLAYER (ub_cue_player_get_type())
G_DECLARE_FINAL_TYPE(UbCuePlayer, ub_cue_player, UB, CUE_PLAYER, GObject)

/* the countdown's sounds; with @settings, only while its "sounds-enabled"
 * is on, read at every cue; without, always */
UbCuePlayer *
ub_cue_player_new(GSettings *settings);
/* plays @cue from the start; a missing media backend or sound device is
 * not an error: the cue is still counted and "played" is still emitted */
void
ub_cue_player_play(UbCuePlayer *self, UbGuideCue cue);
/* how often @cue was played (not muted by the settings), for tests */
guint
ub_cue_player_get_n_played(UbCuePlayer *self, UbGuideCue cue);

G_END_DECLS
