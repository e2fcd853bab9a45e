/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ub-guidance-types.h"
#include "ub-types.h"

G_BEGIN_DECLS

/* one step of a countdown: what to press, for how long */
typedef struct {
	gchar *instruction; /* very large: "Hold Side and Volume Down" */
	gchar *detail;	    /* under it: "Keep holding until the screen goes black" */
	UbButton pressed;
	guint duration_ms;
	/* the computer sends the reboot this far into the step; -1 never */
	gint reboot_at_ms;
} UbGuideStep;

typedef struct {
	UbButtonScheme scheme;
	UbGuideTarget target;
	/* the device is in Recovery and the computer reboots it at the right
	 * moment, so the user need not time the black screen */
	gboolean host_assisted;
	GArray *steps; /* of UbGuideStep, texts translated */
	/* after the last step: how long to wait for the device to show up */
	guint final_wait_ms;
} UbGuidePlan;

/* the sequence for @scheme towards @target; @host_assisted only applies to
 * DFU (from Recovery) and is ignored elsewhere */
UbGuidePlan *
ub_guide_plan_new(UbButtonScheme scheme, UbGuideTarget target, gboolean host_assisted);
void
ub_guide_plan_free(UbGuidePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbGuidePlan, ub_guide_plan_free)

const UbGuideStep *
ub_guide_plan_get_step(const UbGuidePlan *plan, guint index);
guint
ub_guide_plan_get_n_steps(const UbGuidePlan *plan);
/* every step plus the final wait */
guint
ub_guide_plan_get_total_ms(const UbGuidePlan *plan);

/* "Side" or "Top", "Volume Down" or "the lower volume button", "Home" */
const gchar *
ub_guide_plan_get_button_name(UbButtonScheme scheme, UbButton button);
/* the button the user lets go of first (Side/Top) and the one kept held
 * to the end of a DFU sequence (Volume Down/Home) */
UbButton
ub_guide_plan_get_top_button(UbButtonScheme scheme);
UbButton
ub_guide_plan_get_bottom_button(UbButtonScheme scheme);
gboolean
ub_guide_plan_scheme_is_ipad(UbButtonScheme scheme);

/* what one model's front looks like, for its drawing: the scheme alone
 * cannot say it, iPhone 8 and SE 2/3 share iPhone X's sequence but keep a
 * Home button, and the SE (1st gen) has its power button on top where the
 * 6s has it on the side */
typedef struct {
	gboolean home_button;	/* a Home button under the screen */
	gboolean power_on_top;	/* on the top edge (iPads, iPhone 5s, SE 1st gen and
				 * earlier), else on the right side */
	gboolean volume_on_top; /* on the top edge beside the top button (iPad mini
				 * 6th gen, iPad 10th gen and later), else on the
				 * left side of an iPhone, the right side of an iPad */
} UbButtonLayout;

/* @product_type: "iPhone10,1", or NULL when only the scheme is known */
UbButtonLayout
ub_guide_plan_get_button_layout(UbButtonScheme scheme, const gchar *product_type);

G_END_DECLS
