/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-card-ids.h"
#include "ub-card.h"
#include "ub-restore-types.h"

G_BEGIN_DECLS

/*
 * UbRemediation: every card, in the order the Troubleshooting page shows
 * them. A GListModel of UbCard.
 */
#define UB_TYPE_REMEDIATION (ub_remediation_get_type())
G_DECLARE_FINAL_TYPE(UbRemediation, ub_remediation, UB, REMEDIATION, GObject)

UbRemediation *
ub_remediation_new_from_bytes(GBytes *json, GError **error);
/* the bundled cards (resource /io/github/unbrick/Unbrick/remediation.json),
 * loaded once */
UbRemediation *
ub_remediation_get_default(void);

UbCard *
ub_remediation_lookup(UbRemediation *self, const gchar *id);
/* the card that explains @cause; every cause has one */
UbCard *
ub_remediation_lookup_cause(UbRemediation *self, UbFailureCause cause);
/* the cards covering Apple's error @code, most specific first; may be empty */
GPtrArray *
ub_remediation_find_code(UbRemediation *self, guint code);
/* the cards matching @query (see ub_card_matches()), in list order; an empty
 * query matches all */
GPtrArray *
ub_remediation_search(UbRemediation *self, const gchar *query);

G_END_DECLS
