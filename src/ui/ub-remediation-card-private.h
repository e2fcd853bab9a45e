/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-remediation-card.h"

G_BEGIN_DECLS

/* inside a list row that already shows the title and the summary: no box
 * around it, only the steps, what to try after and the error numbers */
void
_ub_remediation_card_set_in_row(UbRemediationCard *self, gboolean in_row);

G_END_DECLS
