/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * ub_main_context_post: hands @func(@data) from a worker thread to @context,
 * where it runs once at the default priority; @notify frees @data after,
 * also when the context goes away first. Always an idle source attached
 * to @context, never g_main_context_invoke(), which runs the function right
 * there on the worker whenever that thread can acquire the context: a
 * progress callback would then touch the interface from a worker thread.
 * @name names the source for debugging ("[ub-ipsw] progress").
 */
void
ub_main_context_post(GMainContext *context,
		     GSourceFunc func,
		     gpointer data,
		     GDestroyNotify notify,
		     const gchar *name);

G_END_DECLS
