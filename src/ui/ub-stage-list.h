/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-restore-types.h"

G_BEGIN_DECLS

/* how one step of a restore stands, live or read back from a log */
typedef enum {
	UB_STAGE_ROW_WAITING,	  /* a live run has not got there yet */
	UB_STAGE_ROW_NOT_REACHED, /* a log ended before it */
	UB_STAGE_ROW_ACTIVE,	  /* running now, with its own bar */
	UB_STAGE_ROW_DONE,
	UB_STAGE_ROW_STOPPED,	/* where a failed run ended */
	UB_STAGE_ROW_LAST_SEEN, /* where a log that ends early ends */
} UbStageRowState;

#define UB_TYPE_STAGE_LIST (ub_stage_list_get_type())
G_DECLARE_FINAL_TYPE(UbStageList, ub_stage_list, UB, STAGE_LIST, AdwPreferencesGroup)

/* the restore's steps, one row each, as the restore page and the log
 * explainer show them */
UbStageList *
ub_stage_list_new(void);
void
ub_stage_list_set_stage(UbStageList *self,
			UbRestoreStage stage,
			UbStageRowState state,
			gdouble progress);

G_END_DECLS
