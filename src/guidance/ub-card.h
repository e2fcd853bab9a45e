/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-restore-types.h"

G_BEGIN_DECLS

/*
 * UbCard: one remediation card from data/remediation.json — what went wrong
 * in plain words, numbered steps to fix it, Apple's error numbers it covers
 * and what to try after. Every text is already translated.
 */
#define UB_TYPE_CARD (ub_card_get_type())
G_DECLARE_FINAL_TYPE(UbCard, ub_card, UB, CARD, GObject)

/* "usb-connection" */
const gchar *
ub_card_get_id(UbCard *self);
/* "The cable or port lost contact" */
const gchar *
ub_card_get_title(UbCard *self);
/* what it means, one or two plain sentences */
const gchar *
ub_card_get_summary(UbCard *self);
/* the numbered steps, in order; NULL-terminated */
const gchar *const *
ub_card_get_steps(UbCard *self);
/* what to try when the steps did not help; may be NULL */
const gchar *
ub_card_get_next(UbCard *self);
/* Apple's numbers as the user may have seen them: "9, 13, 14, 1600–1604";
 * NULL when the card covers none */
const gchar *
ub_card_get_codes_text(UbCard *self);
gboolean
ub_card_covers_code(UbCard *self, guint code);
gboolean
ub_card_covers_cause(UbCard *self, UbFailureCause cause);
/* a search: an error number matches the cards covering it; words match
 * when every word is in the title, summary, steps or keywords (any case) */
gboolean
ub_card_matches(UbCard *self, const gchar *query);

G_END_DECLS
