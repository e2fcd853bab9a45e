/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ub-restore-types.h"

G_BEGIN_DECLS

#define UB_TYPE_CAUSE_CARD (ub_cause_card_get_type())
G_DECLARE_FINAL_TYPE(UbCauseCard, ub_cause_card, UB, CAUSE_CARD, GtkBox)

/* why a restore stopped: the plain title and explanation, then, small, the
 * engine's own words and Apple's error numbers for the same problem */
void
ub_cause_card_set_cause(UbCauseCard *self, UbFailureCause cause, const gchar *engine_message);

G_END_DECLS
