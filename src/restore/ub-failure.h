/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ub-restore-types.h"

G_BEGIN_DECLS

/*
 * UbFailure: why one restore did not finish, for the user (a plain title and
 * explanation), for the diagnosis (the cause id) and for a search (Apple's
 * error numbers that mean the same thing, where there are any).
 */
typedef struct {
	UbFailureCause cause;
	gchar *engine_message; /* the engine's own words, may be NULL */
	gint64 device_status;  /* the device's status number, or -1 */
	gint exit_status;      /* the engine's, or -1 */
} UbFailure;

#define UB_TYPE_FAILURE (ub_failure_get_type())
GType
ub_failure_get_type(void);

UbFailure *
ub_failure_new(UbFailureCause cause, const gchar *engine_message);
UbFailure *
ub_failure_copy(const UbFailure *failure);
void
ub_failure_free(UbFailure *failure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFailure, ub_failure_free)

/* one short sentence: "The cable lost contact during the restore" */
const gchar *
ub_failure_cause_get_title(UbFailureCause cause);
/* what it means, in plain words */
const gchar *
ub_failure_cause_get_explanation(UbFailureCause cause);
/* Apple's error numbers in the same family ("9, 4005, 4013, 4014"), or NULL */
const gchar *
ub_failure_cause_get_apple_codes(UbFailureCause cause);

G_END_DECLS
