/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-clock"

#include "ub-clock.h"

struct _UbClock {
	GObject parent_instance;

	gboolean manual;
	gint64 manual_now_ms;
	guint n_started;
	guint tick_id;
};

enum {
	SIGNAL_TICK,
	N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(UbClock, ub_clock, G_TYPE_OBJECT)

static void
ub_clock_dispose(GObject *object)
{
	UbClock *self = UB_CLOCK(object);

	g_clear_handle_id(&self->tick_id, g_source_remove);
	G_OBJECT_CLASS(ub_clock_parent_class)->dispose(object);
}

static void
ub_clock_class_init(UbClockClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_clock_dispose;

	/**
	 * UbClock::tick:
	 * Time moved on; listeners read ub_clock_get_now_ms().
	 */
	signals[SIGNAL_TICK] = g_signal_new("tick",
					    G_TYPE_FROM_CLASS(klass),
					    G_SIGNAL_RUN_LAST,
					    0,
					    NULL,
					    NULL,
					    NULL,
					    G_TYPE_NONE,
					    0);
}

static void
ub_clock_init(UbClock *self)
{
}

UbClock *
ub_clock_new_real(void)
{
	return g_object_new(UB_TYPE_CLOCK, NULL);
}

UbClock *
ub_clock_new_manual(void)
{
	UbClock *self = g_object_new(UB_TYPE_CLOCK, NULL);

	self->manual = TRUE;
	return self;
}

gboolean
ub_clock_is_manual(UbClock *self)
{
	g_return_val_if_fail(UB_IS_CLOCK(self), FALSE);
	return self->manual;
}

gint64
ub_clock_get_now_ms(UbClock *self)
{
	g_return_val_if_fail(UB_IS_CLOCK(self), 0);
	if (self->manual)
		return self->manual_now_ms;
	return g_get_monotonic_time() / 1000;
}

static gboolean
tick_cb(gpointer user_data)
{
	UbClock *self = UB_CLOCK(user_data);

	g_signal_emit(self, signals[SIGNAL_TICK], 0);
	return G_SOURCE_CONTINUE;
}

void
ub_clock_start(UbClock *self)
{
	g_return_if_fail(UB_IS_CLOCK(self));

	if (self->n_started++ > 0 || self->manual)
		return;
	self->tick_id = g_timeout_add(UB_CLOCK_TICK_MS, tick_cb, self);
}

void
ub_clock_stop(UbClock *self)
{
	g_return_if_fail(UB_IS_CLOCK(self));
	g_return_if_fail(self->n_started > 0);

	if (--self->n_started > 0)
		return;
	g_clear_handle_id(&self->tick_id, g_source_remove);
}

void
ub_clock_advance(UbClock *self, guint ms)
{
	g_autoptr(UbClock) keep = NULL;
	guint left = ms;

	g_return_if_fail(UB_IS_CLOCK(self));
	g_return_if_fail(self->manual);

	/* a tick handler may drop the last other reference */
	keep = g_object_ref(self);
	do {
		guint step = MIN(left, UB_CLOCK_TICK_MS);

		self->manual_now_ms += step;
		left -= step;
		if (self->n_started > 0)
			g_signal_emit(self, signals[SIGNAL_TICK], 0);
	} while (left > 0);
}
