/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-card.h"

G_BEGIN_DECLS

#define UB_TYPE_REMEDIATION_CARD (ub_remediation_card_get_type())
G_DECLARE_FINAL_TYPE(UbRemediationCard, ub_remediation_card, UB, REMEDIATION_CARD, AdwBin)

/* one remediation card, boxed: its title, what it means, the numbered steps
 * (selectable, some are commands to copy), what to try after, and small at
 * the bottom Apple's error numbers it covers */
GtkWidget *
ub_remediation_card_new(UbCard *card);
void
ub_remediation_card_set_card(UbRemediationCard *self, UbCard *card);
UbCard *
ub_remediation_card_get_card(UbRemediationCard *self);
/* only the summary and the steps, for a page that already says what
 * happened and what else to try */
void
ub_remediation_card_set_compact(UbRemediationCard *self, gboolean compact);

/* under a cause that is already explained: "What to Do" and the card's
 * steps and advice, in a box of its own */
GtkWidget *
ub_remediation_card_new_what_to_do(UbCard *card);

G_END_DECLS
