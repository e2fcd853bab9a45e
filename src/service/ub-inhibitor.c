/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-inhibitor.h"

G_DEFINE_INTERFACE(UbInhibitor, ub_inhibitor, G_TYPE_OBJECT)

static void
ub_inhibitor_default_init(UbInhibitorInterface *iface)
{
}

guint
ub_inhibitor_inhibit(UbInhibitor *self, const gchar *reason)
{
	g_return_val_if_fail(UB_IS_INHIBITOR(self), 0);
	g_return_val_if_fail(reason != NULL, 0);

	return UB_INHIBITOR_GET_IFACE(self)->inhibit(self, reason);
}

void
ub_inhibitor_uninhibit(UbInhibitor *self, guint cookie)
{
	g_return_if_fail(UB_IS_INHIBITOR(self));

	if (cookie != 0)
		UB_INHIBITOR_GET_IFACE(self)->uninhibit(self, cookie);
}
