/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UB_TYPE_TROUBLESHOOT_WINDOW (ub_troubleshoot_window_get_type())
G_DECLARE_FINAL_TYPE(UbTroubleshootWindow,
		     ub_troubleshoot_window,
		     UB,
		     TROUBLESHOOT_WINDOW,
		     AdwWindow)

/* every remediation card, searchable by Apple's error number or by words */
UbTroubleshootWindow *
ub_troubleshoot_window_new(GtkWindow *parent);
/* fills in the search field, as if the user typed @query ("4013") */
void
ub_troubleshoot_window_search(UbTroubleshootWindow *self, const gchar *query);

G_END_DECLS
