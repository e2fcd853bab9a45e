/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ub-card.h"

G_BEGIN_DECLS

/* one card object of data/remediation.json; @index (from 0) names the card
 * in errors when its id is unusable */
UbCard *
_ub_card_new_from_json(JsonNode *node, guint index, GError **error);
/* how many numbers the card's codes cover: the fewer, the more specific */
guint
_ub_card_get_n_codes(UbCard *self);

G_END_DECLS
