/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The result of one check, whoever ran it: the connection checks of
 * devices/ and the restore preflight of guidance/ both answer in these.
 * Immutable; a pass carries neither advice, card nor command.
 */

typedef enum {
	UB_CHECK_STATUS_UNKNOWN,
	UB_CHECK_STATUS_PASS,
	UB_CHECK_STATUS_WARN,
	UB_CHECK_STATUS_FAIL,
} UbCheckStatus;

#define UB_TYPE_CHECK (ub_check_get_type())
G_DECLARE_FINAL_TYPE(UbCheck, ub_check, UB, CHECK, GObject)

/* @advice: what to do; @card_id: a UB_CARD_* id (ub-card-ids.h) */
UbCheck *
ub_check_new(const gchar *id,
	     UbCheckStatus status,
	     const gchar *title,
	     const gchar *advice,
	     const gchar *card_id);
UbCheck *
ub_check_new_with_command(const gchar *id,
			  UbCheckStatus status,
			  const gchar *title,
			  const gchar *advice,
			  const gchar *card_id,
			  const gchar *command);

const gchar *
ub_check_get_id(UbCheck *self);
UbCheckStatus
ub_check_get_status(UbCheck *self);
const gchar *
ub_check_get_title(UbCheck *self);
const gchar *
ub_check_get_advice(UbCheck *self);
const gchar *
ub_check_get_card_id(UbCheck *self);
const gchar *
ub_check_get_command(UbCheck *self);

G_END_DECLS
