/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-guide-plan"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ub-guide-plan.h"

/*
 * The timings follow the DFU timings reference: from Recovery the computer
 * sends the reboot 2 s into a 4 s two-button hold, then the bottom button is
 * held for 10 s (the checkra1n/palera1n helper, which takes iPhone 7 the same
 * way); from a running device the longer manual recipe: 10 s top button,
 * 5 s both, 10 s bottom button.
 *
 * iPhone 7 from a running device: Apple documents no DFU timing for any
 * iPhone (its iOS Security Guide's "Entering DFU mode" names the buttons and
 * says a black screen is right; the support.apple.com recovery and Platform
 * Deployment pages give no seconds). The best-sourced numbers are
 * Legacy-iOS-Kit's helper (restore.sh device_dfuhelper, iPhone9,*): Side and
 * Volume Down together 10 s (8 s in its newer version, which only runs from
 * Recovery, where Unbrick sends the reboot instead), then Volume Down alone
 * 8 s. The widely copied consumer recipe (8-10 s, then 5-10 s) agrees.
 */
#define READY_MS 3000
#define TAP_MS 1000
#define ASSISTED_HOLD_MS 4000
#define ASSISTED_REBOOT_AT_MS 2000
#define MANUAL_TOP_MS 10000
#define MANUAL_BOTH_MS 5000
#define MANUAL_BOTH_OLD_MS 10000
#define BOTTOM_MS 10000
#define MANUAL_BOTTOM_IPHONE7_MS 8000
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
		 * iPad turns, so Apple names them by where they are; on an iPad
		 * mini (6th gen) and iPad (10th gen) both are on the top edge */
		return ipad ? _("the volume button nearest the top button") : _("Volume Up");
	case UB_BUTTON_VOLUME_DOWN:
		return ipad ? _("the volume button farthest from the top button")
			    : _("Volume Down");
	case UB_BUTTON_HOME:
		return _("Home");
	case UB_BUTTON_NONE:
	default:
		return "";
	}
}

/* "iPhone10,1" into its family's prefix and the two numbers */
static gboolean
parse_product_type(const gchar *product_type, const gchar *family, guint *major, guint *minor)
{
	const gchar *rest;
	gchar *end = NULL;

	if (product_type == NULL || !g_str_has_prefix(product_type, family))
		return FALSE;
	rest = product_type + strlen(family);
	if (!g_ascii_isdigit(*rest))
		return FALSE;
	*major = (guint)g_ascii_strtoull(rest, &end, 10);
	if (*end != ',' || !g_ascii_isdigit(end[1]))
		return FALSE;
	*minor = (guint)g_ascii_strtoull(end + 1, &end, 10);
	return *end == '\0';
}

/**
 * ub_guide_plan_get_button_layout:
 * @scheme: the model's button scheme
 * @product_type: (nullable): its product type, "iPhone10,1"
 *
 * Where the model's buttons are, from its product type (the families of the
 * devices reference), or from @scheme alone when that is unknown: a scheme A
 * iPhone is then drawn without a Home button, a scheme C one with its power
 * button on the side, as the 6s has it.
 *
 * Returns: the layout for the drawing
 */
UbButtonLayout
ub_guide_plan_get_button_layout(UbButtonScheme scheme, const gchar *product_type)
{
	UbButtonLayout layout = {FALSE, FALSE, FALSE};
	guint major = 0;
	guint minor = 0;

	if (parse_product_type(product_type, "iPhone", &major, &minor)) {
		/* iPhone 8 and 8 Plus (10,1 10,2 10,4 10,5), SE 2 (12,8) and SE 3
		 * (14,6) are the Home-button iPhones from 10 on */
		layout.home_button = major <= 9 || (major == 10 && minor != 3 && minor != 6) ||
				     (major == 12 && minor == 8) || (major == 14 && minor == 6);
		/* up to the 5s (iPhone6,x) and the SE (1st gen) the power button
		 * is on top; the 6 (iPhone7,x) moved it to the side */
		layout.power_on_top = major <= 6 || (major == 8 && minor == 4);
		return layout;
	}
	if (parse_product_type(product_type, "iPad", &major, &minor)) {
		layout.power_on_top = TRUE;
		layout.home_button = scheme == UB_BUTTON_SCHEME_E;
		/* iPad mini (6th gen, A17 Pro) and iPad (10th gen, A16) */
		layout.volume_on_top = (major == 14 && minor <= 2) || (major == 16 && minor <= 2) ||
				       (major == 13 && minor >= 18) || (major == 15 && minor >= 7);
		return layout;
	}
	if (parse_product_type(product_type, "iPod", &major, &minor)) {
		layout.home_button = TRUE;
		layout.power_on_top = TRUE;
		return layout;
	}
	layout.home_button = scheme == UB_BUTTON_SCHEME_B || scheme == UB_BUTTON_SCHEME_C ||
			     scheme == UB_BUTTON_SCHEME_E;
	layout.power_on_top = ub_guide_plan_scheme_is_ipad(scheme);
	return layout;
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
		 !plan->host_assisted && scheme == UB_BUTTON_SCHEME_B ? MANUAL_BOTTOM_IPHONE7_MS
								      : BOTTOM_MS,
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
