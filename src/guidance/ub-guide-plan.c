/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-guide-plan"

#include <glib/gi18n-lib.h>

#include "ub-guide-plan.h"

/*
 * The timings follow the DFU timings reference: from Recovery the computer
 * sends the reboot 2 s into a 4 s two-button hold, then the bottom button is
 * held for 10 s (the checkra1n/palera1n helper); from a running device the
 * longer manual recipe: 10 s top button, 5 s both, 10 s bottom button.
 */
#define READY_MS 3000
#define TAP_MS 1000
#define ASSISTED_HOLD_MS 4000
#define ASSISTED_REBOOT_AT_MS 2000
#define MANUAL_TOP_MS 10000
#define MANUAL_BOTH_MS 5000
#define MANUAL_BOTH_OLD_MS 10000
#define BOTTOM_MS 10000
#define RECOVERY_HOLD_MS 30000
#define RESTART_HOLD_MS 12000
#define DFU_WAIT_MS 3000
#define RECOVERY_WAIT_MS 5000
/* iOS takes up to a minute to start after a force restart */
#define RESTART_WAIT_MS 60000

gboolean
ub_guide_plan_scheme_is_ipad(UbButtonScheme scheme)
{
	return scheme == UB_BUTTON_SCHEME_D || scheme == UB_BUTTON_SCHEME_E;
}

/* schemes A and D start with two taps on the volume buttons */
static gboolean
scheme_taps_volume(UbButtonScheme scheme)
{
	return scheme == UB_BUTTON_SCHEME_A || scheme == UB_BUTTON_SCHEME_D ||
	       scheme == UB_BUTTON_SCHEME_UNKNOWN;
}

UbButton
ub_guide_plan_get_top_button(UbButtonScheme scheme)
{
	return UB_BUTTON_SIDE;
}

UbButton
ub_guide_plan_get_bottom_button(UbButtonScheme scheme)
{
	if (scheme == UB_BUTTON_SCHEME_C || scheme == UB_BUTTON_SCHEME_E)
		return UB_BUTTON_HOME;
	return UB_BUTTON_VOLUME_DOWN;
}

const gchar *
ub_guide_plan_get_button_name(UbButtonScheme scheme, UbButton button)
{
	gboolean ipad = ub_guide_plan_scheme_is_ipad(scheme);

	switch (button) {
	case UB_BUTTON_SIDE:
		/* TRANSLATORS: the button on the top edge of an iPad */
		return ipad ? _("Top") : _("Side");
	case UB_BUTTON_VOLUME_UP:
		/* TRANSLATORS: on iPads the volume buttons swap roles when the
		 * iPad turns, so Apple names them by position */
		return ipad ? _("the upper volume button") : _("Volume Up");
	case UB_BUTTON_VOLUME_DOWN:
		return ipad ? _("the lower volume button") : _("Volume Down");
	case UB_BUTTON_HOME:
		return _("Home");
	case UB_BUTTON_NONE:
	default:
		return "";
	}
}

static void
add_step(UbGuidePlan *plan,
	 gchar *instruction,
	 gchar *detail,
	 UbButton pressed,
	 guint duration_ms,
	 gint reboot_at_ms)
{
	UbGuideStep step = {
	    .instruction = instruction,
	    .detail = detail,
	    .pressed = pressed,
	    .duration_ms = duration_ms,
	    .reboot_at_ms = reboot_at_ms,
	};
	g_array_append_val(plan->steps, step);
}

static gchar *
dup_pair(UbButtonScheme scheme, UbButton first, UbButton second)
{
	/* TRANSLATORS: two button names, "Side and Volume Down" */
	return g_strdup_printf(_("%s and %s"),
			       ub_guide_plan_get_button_name(scheme, first),
			       ub_guide_plan_get_button_name(scheme, second));
}

static void
add_ready(UbGuidePlan *plan, UbButton first, UbButton second)
{
	g_autofree gchar *pair = dup_pair(plan->scheme, first, second);

	add_step(plan,
		 g_strdup(_("Get ready")),
		 /* TRANSLATORS: %s is two button names, "Side and Volume Down" */
		 g_strdup_printf(_("Put your fingers on %s. Keep the cable plugged in."), pair),
		 UB_BUTTON_NONE,
		 READY_MS,
		 -1);
}

static void
add_volume_taps(UbGuidePlan *plan)
{
	UbButtonScheme scheme = plan->scheme;

	/* TRANSLATORS: %s is a button name */
	add_step(plan,
		 g_strdup_printf(_("Press %s"),
				 ub_guide_plan_get_button_name(scheme, UB_BUTTON_VOLUME_UP)),
		 g_strdup(_("Press it and let go quickly.")),
		 UB_BUTTON_VOLUME_UP,
		 TAP_MS,
		 -1);
	add_step(plan,
		 g_strdup_printf(_("Press %s"),
				 ub_guide_plan_get_button_name(scheme, UB_BUTTON_VOLUME_DOWN)),
		 g_strdup(_("Press it and let go quickly.")),
		 UB_BUTTON_VOLUME_DOWN,
		 TAP_MS,
		 -1);
}

static gchar *
dup_hold(UbButtonScheme scheme, UbButton buttons)
{
	UbButton top = ub_guide_plan_get_top_button(scheme);

	if (buttons == top || buttons == ub_guide_plan_get_bottom_button(scheme))
		/* TRANSLATORS: %s is a button name, "Hold Side" */
		return g_strdup_printf(_("Hold %s"),
				       ub_guide_plan_get_button_name(scheme, buttons));
	{
		g_autofree gchar *pair = dup_pair(scheme, top, buttons & ~top);
		/* TRANSLATORS: %s is two button names, "Hold Side and Volume Down" */
		return g_strdup_printf(_("Hold %s"), pair);
	}
}

static gchar *
dup_let_go(UbButtonScheme scheme)
{
	/* TRANSLATORS: "Let go of Side — keep holding Volume Down" */
	return g_strdup_printf(
	    _("Let go of %s — keep holding %s"),
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_top_button(scheme)),
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_bottom_button(scheme)));
}

static void
plan_dfu(UbGuidePlan *plan)
{
	UbButtonScheme scheme = plan->scheme;
	UbButton top = ub_guide_plan_get_top_button(scheme);
	UbButton bottom = ub_guide_plan_get_bottom_button(scheme);

	if (plan->host_assisted) {
		add_ready(plan, top, bottom);
		add_step(plan,
			 dup_hold(scheme, top | bottom),
			 g_strdup(_("The screen goes black — keep holding both.")),
			 top | bottom,
			 ASSISTED_HOLD_MS,
			 ASSISTED_REBOOT_AT_MS);
	} else if (scheme_taps_volume(scheme)) {
		add_ready(plan, UB_BUTTON_VOLUME_UP, top);
		add_volume_taps(plan);
		add_step(plan,
			 dup_hold(scheme, top),
			 g_strdup(_("Keep holding until the screen goes black.")),
			 top,
			 MANUAL_TOP_MS,
			 -1);
		add_step(plan,
			 dup_hold(scheme, top | bottom),
			 g_strdup(_("Keep holding both.")),
			 top | bottom,
			 MANUAL_BOTH_MS,
			 -1);
	} else {
		add_ready(plan, top, bottom);
		add_step(plan,
			 dup_hold(scheme, top | bottom),
			 g_strdup(_("Keep holding both, even when the screen goes black.")),
			 top | bottom,
			 MANUAL_BOTH_OLD_MS,
			 -1);
	}
	add_step(plan,
		 dup_let_go(scheme),
		 g_strdup(_("The screen stays black. That is right.")),
		 bottom,
		 BOTTOM_MS,
		 -1);
	plan->final_wait_ms = DFU_WAIT_MS;
}

static void
plan_recovery_or_restart(UbGuidePlan *plan)
{
	UbButtonScheme scheme = plan->scheme;
	UbButton top = ub_guide_plan_get_top_button(scheme);
	UbButton bottom = ub_guide_plan_get_bottom_button(scheme);
	gboolean recovery = plan->target == UB_GUIDE_TARGET_RECOVERY;
	const gchar *detail = recovery ? _("Keep holding past the Apple logo, until you see a "
					   "computer and a cable.")
				       : _("Let go when the Apple logo appears.");
	guint hold_ms = recovery ? RECOVERY_HOLD_MS : RESTART_HOLD_MS;

	if (scheme_taps_volume(scheme)) {
		add_ready(plan, UB_BUTTON_VOLUME_UP, top);
		add_volume_taps(plan);
		add_step(plan, dup_hold(scheme, top), g_strdup(detail), top, hold_ms, -1);
	} else {
		add_ready(plan, top, bottom);
		add_step(plan,
			 dup_hold(scheme, top | bottom),
			 g_strdup(detail),
			 top | bottom,
			 hold_ms,
			 -1);
	}
	plan->final_wait_ms = recovery ? RECOVERY_WAIT_MS : RESTART_WAIT_MS;
}

static void
clear_step(gpointer data)
{
	UbGuideStep *step = data;

	g_free(step->instruction);
	g_free(step->detail);
}

UbGuidePlan *
ub_guide_plan_new(UbButtonScheme scheme, UbGuideTarget target, gboolean host_assisted)
{
	UbGuidePlan *plan = g_new0(UbGuidePlan, 1);

	plan->scheme = scheme;
	plan->target = target;
	plan->host_assisted = host_assisted && target == UB_GUIDE_TARGET_DFU;
	plan->steps = g_array_new(FALSE, TRUE, sizeof(UbGuideStep));
	g_array_set_clear_func(plan->steps, clear_step);
	if (target == UB_GUIDE_TARGET_DFU)
		plan_dfu(plan);
	else
		plan_recovery_or_restart(plan);
	return plan;
}

void
ub_guide_plan_free(UbGuidePlan *plan)
{
	if (plan == NULL)
		return;
	g_array_unref(plan->steps);
	g_free(plan);
}

const UbGuideStep *
ub_guide_plan_get_step(const UbGuidePlan *plan, guint index)
{
	g_return_val_if_fail(plan != NULL, NULL);
	g_return_val_if_fail(index < plan->steps->len, NULL);
	return &g_array_index(plan->steps, UbGuideStep, index);
}

guint
ub_guide_plan_get_n_steps(const UbGuidePlan *plan)
{
	g_return_val_if_fail(plan != NULL, 0);
	return plan->steps->len;
}

guint
ub_guide_plan_get_total_ms(const UbGuidePlan *plan)
{
	guint total;

	g_return_val_if_fail(plan != NULL, 0);
	total = plan->final_wait_ms;
	for (guint i = 0; i < plan->steps->len; i++)
		total += g_array_index(plan->steps, UbGuideStep, i).duration_ms;
	return total;
}
