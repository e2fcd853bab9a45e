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
/* the cards matching what the user typed, a symptom ("stuck on the Apple
 * logo") or an error number, the best match first; an empty query gives all
 * of them in list order */
GPtrArray *
ub_remediation_search(UbRemediation *self, const gchar *query);
/* the card's link to Apple's own page on the problem, if it has one: the
 * button's text (translated) and an https address on apple.com */
gboolean
ub_remediation_get_link(UbRemediation *self, UbCard *card, const gchar **label, const gchar **uri);
/* whether a card may link to @uri: https on apple.com or a host under it,
 * no user name, no other port, nothing outside printable ASCII */
gboolean
ub_remediation_link_uri_is_allowed(const gchar *uri);

G_END_DECLS
