/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UB_TYPE_EXPLAIN_WINDOW (ub_explain_window_get_type())
G_DECLARE_FINAL_TYPE(UbExplainWindow, ub_explain_window, UB, EXPLAIN_WINDOW, AdwWindow)

/* reads a log of a restore the user ran themselves (a file or pasted text)
 * and shows how far it got and why it stopped, as for a live run */
UbExplainWindow *
ub_explain_window_new(GtkWindow *parent);
void
ub_explain_window_explain_text(UbExplainWindow *self, const gchar *text, gssize length);

G_END_DECLS
