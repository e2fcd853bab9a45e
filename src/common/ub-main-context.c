/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-main-context.h"

void
ub_main_context_post(GMainContext *context,
		     GSourceFunc func,
		     gpointer data,
		     GDestroyNotify notify,
		     const gchar *name)
{
	g_autoptr(GSource) source = g_idle_source_new();

	g_return_if_fail(func != NULL);

	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, func, data, notify);
	/* the name is kept, not copied: callers pass literals */
	g_source_set_static_name(source, name);
	g_source_attach(source, context);
}
