/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-guide-advice"

#include <glib/gi18n-lib.h>

#include "ub-guide-advice.h"
#include "ub-guide-plan.h"

static const gchar *
device_word(UbButtonScheme scheme)
{
	return ub_guide_plan_scheme_is_ipad(scheme) ? _("iPad") : _("iPhone");
}

gchar *
ub_guide_advice_dup_title(UbGuideTarget target, UbGuideOutcome outcome, UbButtonScheme scheme)
{
	const gchar *device = device_word(scheme);

	switch (outcome) {
	case UB_GUIDE_OUTCOME_SUCCESS:
		if (target == UB_GUIDE_TARGET_DFU)
			/* TRANSLATORS: %s is "iPhone" or "iPad" */
			return g_strdup_printf(_("Let go — your %s is in DFU mode"), device);
		if (target == UB_GUIDE_TARGET_RECOVERY)
			return g_strdup_printf(_("Let go — your %s is in Recovery Mode"), device);
		return g_strdup_printf(_("Your %s restarted"), device);
	case UB_GUIDE_OUTCOME_RECOVERY_INSTEAD:
		if (target == UB_GUIDE_TARGET_FORCE_RESTART)
			return g_strdup_printf(_("Your %s restarted into Recovery Mode"), device);
		return g_strdup(_("It went into Recovery Mode instead"));
	case UB_GUIDE_OUTCOME_NORMAL_INSTEAD:
		return g_strdup(_("It started normally instead"));
	case UB_GUIDE_OUTCOME_DFU_INSTEAD:
		if (target == UB_GUIDE_TARGET_FORCE_RESTART)
			return g_strdup_printf(_("Your %s is still in DFU mode"), device);
		return g_strdup(_("It went into DFU mode instead"));
	case UB_GUIDE_OUTCOME_NOTHING:
		if (target == UB_GUIDE_TARGET_FORCE_RESTART)
			return g_strdup_printf(_("Your %s hasn’t come back yet"), device);
		return g_strdup(_("Nothing showed up"));
	case UB_GUIDE_OUTCOME_CANCELLED:
		return g_strdup(_("Stopped"));
	case UB_GUIDE_OUTCOME_NONE:
	default:
		return g_strdup("");
	}
}

static gchar *
dup_dfu_advice(UbGuideOutcome outcome,
	       UbButtonScheme scheme,
	       gboolean device_left,
	       gboolean host_assisted,
	       gboolean erase_begun)
{
	const gchar *top =
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_top_button(scheme));
	const gchar *bottom =
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_bottom_button(scheme));

	switch (outcome) {
	case UB_GUIDE_OUTCOME_SUCCESS:
		/* after an erase that got as far as Restore Mode, "nothing is
		 * erased" would be a lie */
		if (erase_begun)
			return g_strdup(_("The screen stays black in DFU mode; that is right. "
					  "The restore that stopped had already erased it: a "
					  "Restore from here installs iOS again, and a backup "
					  "brings your data back afterwards."));
		return g_strdup(_("The screen stays black in DFU mode; that is right. Nothing "
				  "has been erased yet: a Restore from here reinstalls iOS and "
				  "erases everything on it."));
	case UB_GUIDE_OUTCOME_RECOVERY_INSTEAD:
		/* TRANSLATORS: the first %s is the top button ("Side"), the
		 * second the bottom one ("Volume Down") */
		return g_strdup_printf(
		    _("The Recovery screen came up, so %2$s was let go a little "
		      "too early, or %1$s was held a little too long. This time, "
		      "let go of %1$s the moment the countdown says so, and keep "
		      "holding %2$s until Unbrick says it worked."),
		    top,
		    bottom);
	case UB_GUIDE_OUTCOME_NORMAL_INSTEAD:
		return g_strdup_printf(_("The Apple logo appeared, so %1$s was held too long. This "
					 "time, let go of %1$s as soon as the countdown says so — "
					 "keep holding %2$s."),
				       top,
				       bottom);
	case UB_GUIDE_OUTCOME_NOTHING:
		if (!device_left && !host_assisted)
			return g_strdup_printf(
			    _("It never restarted. Press the buttons firmly, and keep holding "
			      "%s until the screen goes black."),
			    top);
		return g_strdup(_("If the screen is black, it may be in DFU mode where this "
				  "computer can’t see it: try another cable or port, then try "
				  "again. If the Apple logo or a computer and cable show, try "
				  "again from the start."));
	case UB_GUIDE_OUTCOME_DFU_INSTEAD:
	case UB_GUIDE_OUTCOME_CANCELLED:
	case UB_GUIDE_OUTCOME_NONE:
	default:
		return g_strdup("");
	}
}

static gchar *
dup_recovery_advice(UbGuideOutcome outcome, UbButtonScheme scheme, gboolean device_left)
{
	const gchar *top =
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_top_button(scheme));

	switch (outcome) {
	case UB_GUIDE_OUTCOME_SUCCESS:
		return g_strdup(_("The screen shows a computer and a cable. Your data is still "
				  "on it, and an Update can repair iOS without erasing it."));
	case UB_GUIDE_OUTCOME_NORMAL_INSTEAD:
		return g_strdup_printf(_("It was let go at the Apple logo. This time keep holding "
					 "%s past the Apple logo, until you see a computer and a "
					 "cable."),
				       top);
	case UB_GUIDE_OUTCOME_DFU_INSTEAD:
		return g_strdup(_("DFU mode is deeper than Recovery: only a Restore, which "
				  "erases it, works from there. To reach Recovery Mode instead, "
				  "force restart it, then try again without the volume button."));
	case UB_GUIDE_OUTCOME_NOTHING:
		if (!device_left)
			return g_strdup_printf(_("It never restarted. Press the buttons firmly, "
						 "and keep holding %s."),
					       top);
		return g_strdup(_("If the screen shows a computer and a cable, this computer "
				  "can’t see it: try another cable or port. Otherwise try again "
				  "and hold a little longer."));
	case UB_GUIDE_OUTCOME_RECOVERY_INSTEAD:
	case UB_GUIDE_OUTCOME_CANCELLED:
	case UB_GUIDE_OUTCOME_NONE:
	default:
		return g_strdup("");
	}
}

static gchar *
dup_restart_advice(UbGuideOutcome outcome, UbButtonScheme scheme)
{
	const gchar *top =
	    ub_guide_plan_get_button_name(scheme, ub_guide_plan_get_top_button(scheme));

	switch (outcome) {
	case UB_GUIDE_OUTCOME_SUCCESS:
		return g_strdup(_("It is working normally again."));
	case UB_GUIDE_OUTCOME_RECOVERY_INSTEAD:
		return g_strdup(_("iOS needs repair. An Update reinstalls it and keeps your "
				  "data."));
	case UB_GUIDE_OUTCOME_DFU_INSTEAD:
		return g_strdup_printf(_("Try once more, and keep holding %s until the Apple "
					 "logo appears."),
				       top);
	case UB_GUIDE_OUTCOME_NOTHING:
		return g_strdup_printf(_("If you see the Apple logo, give it another minute. If "
					 "the screen stays black, try again and hold %s a little "
					 "longer."),
				       top);
	case UB_GUIDE_OUTCOME_NORMAL_INSTEAD:
	case UB_GUIDE_OUTCOME_CANCELLED:
	case UB_GUIDE_OUTCOME_NONE:
	default:
		return g_strdup("");
	}
}

gchar *
ub_guide_advice_dup_advice(UbGuideTarget target,
			   UbGuideOutcome outcome,
			   UbButtonScheme scheme,
			   gboolean device_left,
			   gboolean host_assisted,
			   gboolean erase_begun)
{
	switch (target) {
	case UB_GUIDE_TARGET_DFU:
		return dup_dfu_advice(outcome, scheme, device_left, host_assisted, erase_begun);
	case UB_GUIDE_TARGET_RECOVERY:
		return dup_recovery_advice(outcome, scheme, device_left);
	case UB_GUIDE_TARGET_FORCE_RESTART:
	default:
		return dup_restart_advice(outcome, scheme);
	}
}
