/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ub-remediation.h"

G_BEGIN_DECLS

/* in ub-remediation-link.c: @node is the "link" of a card, {"label": "...",
 * "uri": "https://..."}; @label (untranslated) and @uri point into @node, or
 * FALSE with @reason, in English, when it can’t be used */
gboolean
_ub_remediation_read_link(JsonNode *node,
			  const gchar **label,
			  const gchar **uri,
			  const gchar **reason);

G_END_DECLS
