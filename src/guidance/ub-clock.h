/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * UbClock: the time a countdown runs on. The real clock reads the monotonic
 * clock and ticks while someone needs it; the manual one moves only when a
 * test calls ub_clock_advance(), so a whole countdown runs in fake time.
 */
#define UB_TYPE_CLOCK (ub_clock_get_type())
G_DECLARE_FINAL_TYPE(UbClock, ub_clock, UB, CLOCK, GObject)

#define UB_CLOCK_TICK_MS 100

UbClock *
ub_clock_new_real(void);
UbClock *
ub_clock_new_manual(void);
gboolean
ub_clock_is_manual(UbClock *self);
/* milliseconds since some fixed point */
gint64
ub_clock_get_now_ms(UbClock *self);
/* counted: the real clock emits "tick" every UB_CLOCK_TICK_MS between the
 * first start and the last stop */
void
ub_clock_start(UbClock *self);
void
ub_clock_stop(UbClock *self);
/* manual clocks only: move time on by @ms, emitting "tick" every
 * UB_CLOCK_TICK_MS of it (and once at the end) while started */
void
ub_clock_advance(UbClock *self, guint ms);

G_END_DECLS
