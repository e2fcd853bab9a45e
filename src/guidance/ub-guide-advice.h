/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ub-guidance-types.h"
#include "ub-types.h"

G_BEGIN_DECLS

/* how a countdown ended, in a few words: "Let go — your iPhone is in DFU mode" */
gchar *
ub_guide_advice_dup_title(UbGuideTarget target, UbGuideOutcome outcome, UbButtonScheme scheme);
/* what it means and exactly what to change on the next try */
gchar *
ub_guide_advice_dup_advice(UbGuideTarget target,
			   UbGuideOutcome outcome,
			   UbButtonScheme scheme,
			   gboolean device_left,
			   gboolean host_assisted,
			   gboolean erase_begun);

G_END_DECLS
