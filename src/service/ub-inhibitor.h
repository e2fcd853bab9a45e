/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * UbInhibitor: keeps the computer awake while a restore runs (a suspended
 * computer drops USB, and the restore fails half-way). The application
 * implements it with GTK's session inhibition; the service layer sees only
 * this, and tests count the calls.
 */
#define UB_TYPE_INHIBITOR (ub_inhibitor_get_type())
G_DECLARE_INTERFACE(UbInhibitor, ub_inhibitor, UB, INHIBITOR, GObject)

struct _UbInhibitorInterface {
	GTypeInterface parent_iface;

	guint (*inhibit)(UbInhibitor *self, const gchar *reason);
	void (*uninhibit)(UbInhibitor *self, guint cookie);
};

/* suspend and logout held off for @reason, shown to the user; 0 when the
 * session refused */
guint
ub_inhibitor_inhibit(UbInhibitor *self, const gchar *reason);
/* @cookie from ub_inhibitor_inhibit(); 0 is ignored */
void
ub_inhibitor_uninhibit(UbInhibitor *self, guint cookie);

G_END_DECLS
