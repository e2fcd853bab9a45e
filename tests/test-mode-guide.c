/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-device-db.h"
#include "ub-device-monitor.h"
#include "ub-guidance-enums.h"
#include "ub-guide-advice.h"
#include "ub-guide-plan.h"
#include "ub-mode-guide.h"
#include "ub-test.h"

/*
 * Every countdown runs on a manual clock: the test moves time in 100 ms steps
 * and plays the device's USB events at set moments, as a real device would
 * show them (see the DFU timings reference, section 3).
 */

/* a provider whose device the test moves by hand, and that takes reboots */
#define UB_TYPE_GUIDE_PROVIDER (ub_guide_provider_get_type())
G_DECLARE_FINAL_TYPE(UbGuideProvider, ub_guide_provider, UB, GUIDE_PROVIDER, GObject)

struct _UbGuideProvider {
	GObject parent_instance;
	guint n_reboots;
	guint n_buttons;
	guint64 buttons_ecid;
	UbDeviceMode buttons_target;
};

static void
ub_guide_provider_exit_recovery_async(UbDeviceProvider *provider,
				      const gchar *source_id,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	UbGuideProvider *self = UB_GUIDE_PROVIDER(provider);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	self->n_reboots++;
	g_task_return_boolean(task, TRUE);
}

static gboolean
ub_guide_provider_exit_recovery_finish(UbDeviceProvider *provider,
				       GAsyncResult *result,
				       GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
ub_guide_provider_buttons_started(UbDeviceProvider *provider, guint64 ecid, UbDeviceMode target)
{
	UbGuideProvider *self = UB_GUIDE_PROVIDER(provider);

	self->n_buttons++;
	self->buttons_ecid = ecid;
	self->buttons_target = target;
}

static void
ub_guide_provider_iface_init(UbDeviceProviderInterface *iface)
{
	iface->exit_recovery_async = ub_guide_provider_exit_recovery_async;
	iface->exit_recovery_finish = ub_guide_provider_exit_recovery_finish;
	iface->buttons_started = ub_guide_provider_buttons_started;
}

G_DEFINE_FINAL_TYPE_WITH_CODE(UbGuideProvider,
			      ub_guide_provider,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_DEVICE_PROVIDER,
						    ub_guide_provider_iface_init))

static void
ub_guide_provider_class_init(UbGuideProviderClass *klass)
{
}

static void
ub_guide_provider_init(UbGuideProvider *self)
{
}

#define ECID 0x000A1B2C3D4E5F60ULL
#define OTHER_ECID 0x0000111122223333ULL

typedef struct {
	UbGuideProvider *provider;
	UbDeviceMonitor *monitor;
	UbClock *clock;
	guint appearance;
	gchar *source_id;
	guint64 ecid; /* the device the runs move */
	guint cues[4];
	guint n_finished;
} Fixture;

static void
settle(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	fixture->provider = g_object_new(UB_TYPE_GUIDE_PROVIDER, NULL);
	fixture->monitor = ub_device_monitor_new(ub_device_db_get_default());
	g_assert_true(ub_device_monitor_add_provider(
	    fixture->monitor, UB_DEVICE_PROVIDER(fixture->provider), NULL));
	fixture->clock = ub_clock_new_manual();
	fixture->ecid = ECID;
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->clock);
	g_clear_object(&fixture->monitor);
	g_clear_object(&fixture->provider);
	g_clear_pointer(&fixture->source_id, g_free);
	settle();
}

/* the device drops off USB or shows up in @mode, as a new enumeration */
static void
move(Fixture *fixture, const gchar *product_type, guint64 ecid, UbDeviceMode mode)
{
	if (fixture->source_id != NULL) {
		ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(fixture->provider),
					     fixture->source_id);
		g_clear_pointer(&fixture->source_id, g_free);
	}
	if (mode != UB_DEVICE_MODE_DISCONNECTED) {
		g_autoptr(UbDeviceReport) report = NULL;

		fixture->source_id = g_strdup_printf("guide:%u", ++fixture->appearance);
		report = ub_device_report_new(fixture->source_id, mode);
		report->ecid = ecid;
		report->product_type = g_strdup(product_type);
		ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), report);
	}
	settle();
}

static void
cue_cb(UbModeGuide *guide, UbGuideCue cue, gpointer user_data)
{
	Fixture *fixture = user_data;

	g_assert_cmpuint(cue, <, G_N_ELEMENTS(fixture->cues));
	fixture->cues[cue]++;
}

static void
finished_cb(UbModeGuide *guide, UbGuideOutcome outcome, gpointer user_data)
{
	Fixture *fixture = user_data;

	fixture->n_finished++;
}

typedef struct {
	guint at_ms;
	UbDeviceMode mode;
} Event;

/* runs the clock from now until the guide ends (or @limit_ms), playing
 * @events on the way; returns when it ended, in ms from the start */
static guint
run(Fixture *fixture,
    UbModeGuide *guide,
    const gchar *product_type,
    const Event *events,
    guint n_events,
    guint limit_ms)
{
	guint now = 0;
	guint next_event = 0;

	while (ub_mode_guide_get_running(guide) && now <= limit_ms) {
		while (next_event < n_events && events[next_event].at_ms <= now) {
			move(fixture, product_type, fixture->ecid, events[next_event].mode);
			next_event++;
		}
		if (!ub_mode_guide_get_running(guide))
			break;
		ub_clock_advance(fixture->clock, UB_CLOCK_TICK_MS);
		now += UB_CLOCK_TICK_MS;
		settle();
	}
	return now;
}

/* where step @index starts, in ms */
static guint
step_start_ms(const UbGuidePlan *plan, guint index)
{
	guint start = 0;

	for (guint i = 0; i < index; i++)
		start += ub_guide_plan_get_step(plan, i)->duration_ms;
	return start;
}

typedef struct {
	const gchar *product_type;
	UbButtonScheme scheme;
} SchemeCase;

/* one physical device per model: the monitor keeps a device's model */
static guint64
ecid_for(const gchar *product_type)
{
	return ECID + (g_str_hash(product_type) & 0xffff);
}

static const SchemeCase scheme_cases[] = {
    {"iPhone14,2", UB_BUTTON_SCHEME_A},
    {"iPhone9,1", UB_BUTTON_SCHEME_B},
    {"iPhone8,1", UB_BUTTON_SCHEME_C},
    {"iPad13,1", UB_BUTTON_SCHEME_D},
    {"iPad7,11", UB_BUTTON_SCHEME_E},
};

static UbModeGuide *
new_guide(Fixture *fixture, guint64 ecid, UbGuideTarget target)
{
	UbDevice *device =
	    ecid != 0 ? ub_device_monitor_find_by_ecid(fixture->monitor, ecid) : NULL;
	UbModeGuide *guide = ub_mode_guide_new(
	    fixture->monitor, fixture->clock, device, UB_BUTTON_SCHEME_UNKNOWN, target);

	memset(fixture->cues, 0, sizeof(fixture->cues));
	fixture->n_finished = 0;
	g_signal_connect(guide, "cue", G_CALLBACK(cue_cb), fixture);
	g_signal_connect(guide, "finished", G_CALLBACK(finished_cb), fixture);
	return guide;
}

/* one DFU run from a running device (manual) or from Recovery (the
 * computer sends the reboot), ending in @arrive (DISCONNECTED: nothing) */
static void
check_dfu_run(Fixture *fixture,
	      const SchemeCase *scheme_case,
	      gboolean from_recovery,
	      UbDeviceMode arrive,
	      UbGuideOutcome expected)
{
	g_autoptr(UbModeGuide) guide = NULL;
	const UbGuidePlan *plan;
	guint n_steps;
	guint last_start;
	guint ended;
	Event events[2];
	guint n_events = 0;
	g_autofree gchar *title = NULL;
	g_autofree gchar *advice = NULL;

	g_clear_pointer(&fixture->source_id, g_free);
	fixture->ecid = ecid_for(scheme_case->product_type);
	move(fixture,
	     scheme_case->product_type,
	     fixture->ecid,
	     from_recovery ? UB_DEVICE_MODE_RECOVERY : UB_DEVICE_MODE_NORMAL);
	fixture->provider->n_reboots = 0;
	guide = new_guide(fixture, fixture->ecid, UB_GUIDE_TARGET_DFU);
	g_assert_cmpint(ub_mode_guide_get_scheme(guide), ==, scheme_case->scheme);
	plan = ub_mode_guide_get_plan(guide);
	g_assert_cmpint(plan->host_assisted, ==, from_recovery);
	n_steps = ub_guide_plan_get_n_steps(plan);
	last_start = step_start_ms(plan, n_steps - 1);

	/* the screen goes black: 2.5 s after the reboot, or 2 s before the
	 * last step; it lands 3 s into the last step */
	events[n_events].at_ms = from_recovery ? step_start_ms(plan, 1) + 2500 : last_start - 2000;
	events[n_events++].mode = UB_DEVICE_MODE_DISCONNECTED;
	if (arrive != UB_DEVICE_MODE_DISCONNECTED) {
		events[n_events].at_ms = last_start + 3000;
		events[n_events++].mode = arrive;
	}

	ub_mode_guide_start(guide);
	g_assert_true(ub_mode_guide_get_plan(guide) == plan);
	g_assert_true(ub_mode_guide_get_running(guide));
	g_assert_cmpuint(fixture->provider->buttons_ecid, ==, fixture->ecid);
	g_assert_cmpint(fixture->provider->buttons_target, ==, UB_DEVICE_MODE_DFU);
	ended = run(fixture, guide, scheme_case->product_type, events, n_events, 120000);

	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, expected);
	g_assert_false(ub_mode_guide_get_running(guide));
	g_assert_cmpuint(fixture->n_finished, ==, 1);
	g_assert_cmpuint(fixture->provider->n_reboots, ==, from_recovery ? 1 : 0);
	if (expected == UB_GUIDE_OUTCOME_NOTHING) {
		g_assert_cmpuint(ended, >=, ub_guide_plan_get_total_ms(plan));
		g_assert_cmpuint(fixture->cues[UB_GUIDE_CUE_FAILURE], ==, 1);
	} else {
		/* it stops at once, in the middle of the last step */
		g_assert_cmpuint(ended, >=, last_start + 3000);
		g_assert_cmpuint(ended, <=, last_start + 3200);
		g_assert_cmpint(ub_mode_guide_get_step_index(guide), ==, (gint)n_steps - 1);
		g_assert_cmpuint(
		    fixture->cues[expected == UB_GUIDE_OUTCOME_SUCCESS ? UB_GUIDE_CUE_SUCCESS
								       : UB_GUIDE_CUE_FAILURE],
		    ==,
		    1);
	}
	/* every step change was heard */
	g_assert_cmpuint(fixture->cues[UB_GUIDE_CUE_STEP], ==, n_steps);
	g_assert_true(ub_mode_guide_get_device_left(guide));
	/* the restart Unbrick sent was the guide's, not an Exit Recovery Mode:
	 * landing back in Recovery says nothing about iOS being damaged */
	g_assert_cmpint(ub_device_get_recovery_exit(ub_mode_guide_get_device(guide)),
			==,
			UB_RECOVERY_EXIT_NONE);

	title = ub_mode_guide_dup_outcome_title(guide);
	advice = ub_mode_guide_dup_outcome_advice(guide);
	g_assert_cmpstr(title, !=, "");
	g_assert_cmpstr(advice, !=, "");
	if (expected == UB_GUIDE_OUTCOME_RECOVERY_INSTEAD ||
	    expected == UB_GUIDE_OUTCOME_NORMAL_INSTEAD) {
		/* the advice names this model's buttons */
		UbButton bottom = ub_guide_plan_get_bottom_button(scheme_case->scheme);
		g_assert_nonnull(
		    strstr(advice, ub_guide_plan_get_button_name(scheme_case->scheme, bottom)));
	}
}

static void
ub_mode_guide_dfu_every_scheme_func(Fixture *fixture, gconstpointer user_data)
{
	const struct {
		UbDeviceMode arrive;
		UbGuideOutcome outcome;
	} outcomes[] = {
	    {UB_DEVICE_MODE_DFU, UB_GUIDE_OUTCOME_SUCCESS},
	    {UB_DEVICE_MODE_RECOVERY, UB_GUIDE_OUTCOME_RECOVERY_INSTEAD},
	    {UB_DEVICE_MODE_NORMAL, UB_GUIDE_OUTCOME_NORMAL_INSTEAD},
	    {UB_DEVICE_MODE_DISCONNECTED, UB_GUIDE_OUTCOME_NOTHING},
	};

	for (guint s = 0; s < G_N_ELEMENTS(scheme_cases); s++) {
		for (guint o = 0; o < G_N_ELEMENTS(outcomes); o++) {
			for (guint assisted = 0; assisted < 2; assisted++) {
				g_autofree gchar *outcome =
				    g_enum_to_string(UB_TYPE_GUIDE_OUTCOME, outcomes[o].outcome);

				g_test_message("scheme %s, %s, %s",
					       scheme_cases[s].product_type,
					       assisted ? "from recovery" : "manual",
					       outcome);
				check_dfu_run(fixture,
					      &scheme_cases[s],
					      assisted,
					      outcomes[o].arrive,
					      outcomes[o].outcome);
			}
		}
	}
}

static void
ub_mode_guide_plan_timings_func(void)
{
	g_autoptr(UbGuidePlan) assisted =
	    ub_guide_plan_new(UB_BUTTON_SCHEME_A, UB_GUIDE_TARGET_DFU, TRUE);
	g_autoptr(UbGuidePlan) manual_a =
	    ub_guide_plan_new(UB_BUTTON_SCHEME_A, UB_GUIDE_TARGET_DFU, FALSE);
	g_autoptr(UbGuidePlan) manual_c =
	    ub_guide_plan_new(UB_BUTTON_SCHEME_C, UB_GUIDE_TARGET_DFU, FALSE);
	g_autoptr(UbGuidePlan) recovery =
	    ub_guide_plan_new(UB_BUTTON_SCHEME_A, UB_GUIDE_TARGET_RECOVERY, TRUE);
	const UbGuideStep *step;

	/* get ready 3 s, both buttons 4 s with the reboot at 2 s, bottom 10 s */
	g_assert_cmpuint(ub_guide_plan_get_n_steps(assisted), ==, 3);
	step = ub_guide_plan_get_step(assisted, 1);
	g_assert_cmpuint(step->duration_ms, ==, 4000);
	g_assert_cmpint(step->reboot_at_ms, ==, 2000);
	g_assert_cmpuint(step->pressed, ==, UB_BUTTON_SIDE | UB_BUTTON_VOLUME_DOWN);
	g_assert_cmpstr(step->instruction, ==, "Hold Side and Volume Down");
	step = ub_guide_plan_get_step(assisted, 2);
	g_assert_cmpuint(step->pressed, ==, UB_BUTTON_VOLUME_DOWN);
	g_assert_cmpstr(step->instruction, ==, "Let go of Side — keep holding Volume Down");
	g_assert_cmpuint(ub_guide_plan_get_total_ms(assisted), ==, 3000 + 4000 + 10000 + 3000);

	/* two taps, 10 s Side, 5 s both, 10 s Volume Down */
	g_assert_cmpuint(ub_guide_plan_get_n_steps(manual_a), ==, 6);
	g_assert_cmpuint(ub_guide_plan_get_step(manual_a, 1)->pressed, ==, UB_BUTTON_VOLUME_UP);
	g_assert_cmpuint(ub_guide_plan_get_step(manual_a, 3)->duration_ms, ==, 10000);
	g_assert_cmpint(ub_guide_plan_get_step(manual_a, 3)->reboot_at_ms, ==, -1);

	/* iPhone 7 from a running device: Side and Volume Down 10 s, then
	 * Volume Down 8 s, Legacy-iOS-Kit's helper (restore.sh
	 * device_dfuhelper, iPhone9,*; DFU timings reference S3). Apple gives
	 * no seconds for an iPhone's DFU mode: its iOS Security Guide's
	 * "Entering DFU mode" (S5) names the buttons only. From Recovery it is
	 * the palera1n helper's 4 s (the reboot sent at 2 s) and 10 s (S1) */
	{
		g_autoptr(UbGuidePlan) manual_b =
		    ub_guide_plan_new(UB_BUTTON_SCHEME_B, UB_GUIDE_TARGET_DFU, FALSE);
		g_autoptr(UbGuidePlan) assisted_b =
		    ub_guide_plan_new(UB_BUTTON_SCHEME_B, UB_GUIDE_TARGET_DFU, TRUE);

		g_assert_cmpuint(ub_guide_plan_get_n_steps(manual_b), ==, 3);
		step = ub_guide_plan_get_step(manual_b, 1);
		g_assert_cmpstr(step->instruction, ==, "Hold Side and Volume Down");
		g_assert_cmpuint(step->duration_ms, ==, 10000);
		g_assert_cmpint(step->reboot_at_ms, ==, -1);
		step = ub_guide_plan_get_step(manual_b, 2);
		g_assert_cmpuint(step->pressed, ==, UB_BUTTON_VOLUME_DOWN);
		g_assert_cmpuint(step->duration_ms, ==, 8000);
		g_assert_cmpuint(
		    ub_guide_plan_get_total_ms(manual_b), ==, 3000 + 10000 + 8000 + 3000);

		g_assert_cmpuint(ub_guide_plan_get_n_steps(assisted_b), ==, 3);
		step = ub_guide_plan_get_step(assisted_b, 1);
		g_assert_cmpuint(step->duration_ms, ==, 4000);
		g_assert_cmpint(step->reboot_at_ms, ==, 2000);
		g_assert_cmpuint(ub_guide_plan_get_step(assisted_b, 2)->duration_ms, ==, 10000);
	}

	/* Home-button iPhones hold Side and Home, then Home */
	g_assert_cmpuint(ub_guide_plan_get_n_steps(manual_c), ==, 3);
	g_assert_cmpuint(
	    ub_guide_plan_get_step(manual_c, 1)->pressed, ==, UB_BUTTON_SIDE | UB_BUTTON_HOME);
	g_assert_cmpuint(ub_guide_plan_get_step(manual_c, 2)->pressed, ==, UB_BUTTON_HOME);

	/* iPads name their volume buttons as Apple does, by the top button:
	 * on an iPad mini (6th gen) both are on the top edge, so "upper" and
	 * "lower" say nothing there; and Side is Top */
	{
		g_autoptr(UbGuidePlan) ipad =
		    ub_guide_plan_new(UB_BUTTON_SCHEME_D, UB_GUIDE_TARGET_FORCE_RESTART, FALSE);
		g_assert_cmpstr(ub_guide_plan_get_step(ipad, 1)->instruction,
				==,
				"Press the volume button nearest the top button");
		g_assert_cmpstr(ub_guide_plan_get_step(ipad, 2)->instruction,
				==,
				"Press the volume button farthest from the top button");
		g_assert_cmpstr(ub_guide_plan_get_step(ipad, 3)->instruction, ==, "Hold Top");
	}

	/* only DFU is host-assisted */
	g_assert_false(recovery->host_assisted);
}

/* what the countdown's drawing is told about each model, against the model
 * families as Apple sells them: which have a Home button, where the power
 * button is (on top for iPads and the SE 1st gen, on the side from iPhone 6
 * on) and which iPads have their volume buttons on the top edge */
typedef struct {
	const gchar *name_prefix; /* the longest one that fits the name wins */
	UbButtonScheme scheme;
	gboolean home_button;
	gboolean power_on_top;
	gboolean volume_on_top;
} Family;

static const Family families[] = {
    /* Home button, power on the side */
    {"iPhone 6s", UB_BUTTON_SCHEME_C, TRUE, FALSE, FALSE},
    {"iPhone 7", UB_BUTTON_SCHEME_B, TRUE, FALSE, FALSE},
    /* iPhone X's sequence, but a Home button */
    {"iPhone 8", UB_BUTTON_SCHEME_A, TRUE, FALSE, FALSE},
    {"iPhone SE (2nd gen)", UB_BUTTON_SCHEME_A, TRUE, FALSE, FALSE},
    {"iPhone SE (3rd gen)", UB_BUTTON_SCHEME_A, TRUE, FALSE, FALSE},
    /* Home button, power on top: the 5s body */
    {"iPhone SE (1st gen)", UB_BUTTON_SCHEME_C, TRUE, TRUE, FALSE},
    /* no Home button */
    {"iPhone X", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone XS", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone XR", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 11", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 12", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 13", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 14", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 15", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 16", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 16e", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 17", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone 17e", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    {"iPhone Air", UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE},
    /* iPads with Home: the top button on top, volume on the right */
    {"iPad (5th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad (6th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad (7th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad (8th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad (9th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad mini (5th gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad Air (3rd gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad Pro 9.7-inch", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad Pro 10.5-inch", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad Pro 12.9-inch (1st gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    {"iPad Pro 12.9-inch (2nd gen", UB_BUTTON_SCHEME_E, TRUE, TRUE, FALSE},
    /* iPads without Home, volume on the right */
    {"iPad Pro 11-inch", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Pro 12.9-inch", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Pro 13-inch", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Air (4th gen", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Air (5th gen", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Air 11-inch", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    {"iPad Air 13-inch", UB_BUTTON_SCHEME_D, FALSE, TRUE, FALSE},
    /* iPads without Home, volume on the top edge by the top button */
    {"iPad (10th gen", UB_BUTTON_SCHEME_D, FALSE, TRUE, TRUE},
    {"iPad (A16", UB_BUTTON_SCHEME_D, FALSE, TRUE, TRUE},
    {"iPad mini (6th gen", UB_BUTTON_SCHEME_D, FALSE, TRUE, TRUE},
    {"iPad mini (A17 Pro", UB_BUTTON_SCHEME_D, FALSE, TRUE, TRUE},
};

static const Family *
family_for_name(const gchar *name)
{
	const Family *best = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(families); i++) {
		if (!g_str_has_prefix(name, families[i].name_prefix))
			continue;
		if (best == NULL || strlen(families[i].name_prefix) > strlen(best->name_prefix))
			best = &families[i];
	}
	return best;
}

static void
ub_mode_guide_button_layout_every_model_func(void)
{
	UbDeviceDb *db = ub_device_db_get_default();
	guint n_models = ub_device_db_get_n_models(db);
	guint n_home_scheme_a = 0;

	g_assert_cmpuint(n_models, >, 100);
	for (guint i = 0; i < n_models; i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);
		const Family *family = family_for_name(model->name);
		UbButtonLayout layout;

		g_test_message("%s %s", model->product_type, model->name);
		/* a model new to the table needs its family here first */
		g_assert_nonnull(family);
		g_assert_cmpint(model->button_scheme, ==, family->scheme);
		layout = ub_guide_plan_get_button_layout(model->button_scheme, model->product_type);
		g_assert_cmpint(layout.home_button, ==, family->home_button);
		g_assert_cmpint(layout.power_on_top, ==, family->power_on_top);
		g_assert_cmpint(layout.volume_on_top, ==, family->volume_on_top);
		if (family->scheme == UB_BUTTON_SCHEME_A && family->home_button)
			n_home_scheme_a++;
	}
	/* iPhone 8 and 8 Plus in two radios each, SE 2 and SE 3 */
	g_assert_cmpuint(n_home_scheme_a, ==, 6);
}

/* models the table does not have, and no model at all: what the scheme or
 * the product type's numbers say */
static void
ub_mode_guide_button_layout_guessed_func(void)
{
	const struct {
		UbButtonScheme scheme;
		const gchar *product_type;
		gboolean home_button;
		gboolean power_on_top;
		gboolean volume_on_top;
	} cases[] = {
	    /* the model picker's choices, before any device showed up */
	    {UB_BUTTON_SCHEME_A, NULL, FALSE, FALSE, FALSE},
	    {UB_BUTTON_SCHEME_B, NULL, TRUE, FALSE, FALSE},
	    {UB_BUTTON_SCHEME_C, NULL, TRUE, FALSE, FALSE},
	    {UB_BUTTON_SCHEME_D, NULL, FALSE, TRUE, FALSE},
	    {UB_BUTTON_SCHEME_E, NULL, TRUE, TRUE, FALSE},
	    {UB_BUTTON_SCHEME_UNKNOWN, NULL, FALSE, FALSE, FALSE},
	    /* iPhone 6 (side) and 5s (top), older than the table */
	    {UB_BUTTON_SCHEME_C, "iPhone7,2", TRUE, FALSE, FALSE},
	    {UB_BUTTON_SCHEME_C, "iPhone6,1", TRUE, TRUE, FALSE},
	    /* iPod touch (7th gen) */
	    {UB_BUTTON_SCHEME_C, "iPod9,1", TRUE, TRUE, FALSE},
	    /* an iPhone newer than the table */
	    {UB_BUTTON_SCHEME_A, "iPhone19,1", FALSE, FALSE, FALSE},
	    /* not a product type: the scheme decides */
	    {UB_BUTTON_SCHEME_B, "iPhone9", TRUE, FALSE, FALSE},
	    {UB_BUTTON_SCHEME_A, "iPhone10,1x", FALSE, FALSE, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		UbButtonLayout layout =
		    ub_guide_plan_get_button_layout(cases[i].scheme, cases[i].product_type);

		g_test_message("case %u: %s", i, cases[i].product_type);
		g_assert_cmpint(layout.home_button, ==, cases[i].home_button);
		g_assert_cmpint(layout.power_on_top, ==, cases[i].power_on_top);
		g_assert_cmpint(layout.volume_on_top, ==, cases[i].volume_on_top);
	}
}

static void
ub_mode_guide_ticks_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	guint expected_ticks = 0;
	const UbGuidePlan *plan;

	move(fixture, "iPhone14,2", ECID, UB_DEVICE_MODE_RECOVERY);
	guide = new_guide(fixture, ECID, UB_GUIDE_TARGET_DFU);
	plan = ub_mode_guide_get_plan(guide);
	/* the last three seconds of each step are heard; the first second of
	 * a step is its own cue */
	for (guint i = 0; i < ub_guide_plan_get_n_steps(plan); i++) {
		guint seconds = ub_guide_plan_get_step(plan, i)->duration_ms / 1000;
		expected_ticks += MIN(seconds, 4) - 1;
	}
	ub_mode_guide_start(guide);
	g_assert_cmpint(ub_mode_guide_get_step_index(guide), ==, 0);
	g_assert_cmpuint(ub_mode_guide_get_seconds_left(guide), ==, 3);
	ub_clock_advance(fixture->clock, 1000);
	g_assert_cmpuint(ub_mode_guide_get_seconds_left(guide), ==, 2);
	ub_clock_advance(fixture->clock, 2000);
	g_assert_cmpint(ub_mode_guide_get_step_index(guide), ==, 1);
	g_assert_cmpuint(ub_mode_guide_get_seconds_left(guide), ==, 4);
	run(fixture, guide, "iPhone14,2", NULL, 0, 60000);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_NOTHING);
	g_assert_cmpuint(fixture->cues[UB_GUIDE_CUE_TICK], ==, expected_ticks);
	g_assert_cmpuint(fixture->cues[UB_GUIDE_CUE_STEP], ==, 3);
}

/* a cable blip before the reboot is not a result; the run goes on */
static void
ub_mode_guide_vanish_before_reboot_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	const Event events[] = {
	    {1000, UB_DEVICE_MODE_DISCONNECTED},
	    {1500, UB_DEVICE_MODE_RECOVERY},
	    {5500, UB_DEVICE_MODE_DISCONNECTED},
	    {9000, UB_DEVICE_MODE_DFU},
	};

	move(fixture, "iPhone14,2", ECID, UB_DEVICE_MODE_RECOVERY);
	guide = new_guide(fixture, ECID, UB_GUIDE_TARGET_DFU);
	ub_mode_guide_start(guide);
	run(fixture, guide, "iPhone14,2", events, G_N_ELEMENTS(events), 60000);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_SUCCESS);
	g_assert_cmpuint(fixture->provider->n_reboots, ==, 1);
}

/* after the reboot it vanishes and comes back in Recovery mid-step */
static void
ub_mode_guide_vanish_back_in_recovery_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	const Event events[] = {
	    {5400, UB_DEVICE_MODE_DISCONNECTED},
	    {8000, UB_DEVICE_MODE_RECOVERY},
	};
	g_autofree gchar *advice = NULL;

	move(fixture, "iPhone9,1", ECID, UB_DEVICE_MODE_RECOVERY);
	guide = new_guide(fixture, ECID, UB_GUIDE_TARGET_DFU);
	ub_mode_guide_start(guide);
	g_assert_cmpuint(
	    run(fixture, guide, "iPhone9,1", events, G_N_ELEMENTS(events), 60000), <=, 8200);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_RECOVERY_INSTEAD);
	advice = ub_mode_guide_dup_outcome_advice(guide);
	g_assert_nonnull(strstr(advice, "Volume Down was let go a little too early"));
}

/* gone mid-step and back in the mode it left: a manual run reads the return
 * to iOS as the Apple logo, the top button held too long */
static void
ub_mode_guide_vanish_back_normal_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	const Event events[] = {
	    {9000, UB_DEVICE_MODE_DISCONNECTED},
	    {12000, UB_DEVICE_MODE_NORMAL},
	};
	g_autofree gchar *title = NULL;

	move(fixture, "iPhone14,2", ECID, UB_DEVICE_MODE_NORMAL);
	guide = new_guide(fixture, ECID, UB_GUIDE_TARGET_DFU);
	ub_mode_guide_start(guide);
	run(fixture, guide, "iPhone14,2", events, G_N_ELEMENTS(events), 60000);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_NORMAL_INSTEAD);
	title = ub_mode_guide_dup_outcome_title(guide);
	g_assert_cmpstr(title, ==, "It started normally instead");
}

static void
check_simple_run(Fixture *fixture,
		 const gchar *product_type,
		 UbDeviceMode start,
		 UbGuideTarget target,
		 const Event *events,
		 guint n_events,
		 UbGuideOutcome expected)
{
	g_autoptr(UbModeGuide) guide = NULL;

	g_clear_pointer(&fixture->source_id, g_free);
	fixture->ecid = ecid_for(product_type);
	move(fixture, product_type, fixture->ecid, start);
	guide = new_guide(fixture, fixture->ecid, target);
	ub_mode_guide_start(guide);
	run(fixture, guide, product_type, events, n_events, 200000);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, expected);
}

static void
ub_mode_guide_recovery_func(Fixture *fixture, gconstpointer user_data)
{
	const Event gone[] = {{9000, UB_DEVICE_MODE_DISCONNECTED}};
	const Event recovery[] = {{9000, UB_DEVICE_MODE_DISCONNECTED},
				  {20000, UB_DEVICE_MODE_RECOVERY}};
	const Event normal[] = {{9000, UB_DEVICE_MODE_DISCONNECTED},
				{25000, UB_DEVICE_MODE_NORMAL}};
	const Event dfu[] = {{9000, UB_DEVICE_MODE_DISCONNECTED}, {14000, UB_DEVICE_MODE_DFU}};

	for (guint s = 0; s < G_N_ELEMENTS(scheme_cases); s++) {
		const gchar *product_type = scheme_cases[s].product_type;

		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_NORMAL,
				 UB_GUIDE_TARGET_RECOVERY,
				 recovery,
				 G_N_ELEMENTS(recovery),
				 UB_GUIDE_OUTCOME_SUCCESS);
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_NORMAL,
				 UB_GUIDE_TARGET_RECOVERY,
				 normal,
				 G_N_ELEMENTS(normal),
				 UB_GUIDE_OUTCOME_NORMAL_INSTEAD);
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_NORMAL,
				 UB_GUIDE_TARGET_RECOVERY,
				 dfu,
				 G_N_ELEMENTS(dfu),
				 UB_GUIDE_OUTCOME_DFU_INSTEAD);
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_NORMAL,
				 UB_GUIDE_TARGET_RECOVERY,
				 gone,
				 G_N_ELEMENTS(gone),
				 UB_GUIDE_OUTCOME_NOTHING);
	}
}

static void
ub_mode_guide_force_restart_func(Fixture *fixture, gconstpointer user_data)
{
	const Event normal[] = {{6000, UB_DEVICE_MODE_DISCONNECTED},
				{40000, UB_DEVICE_MODE_NORMAL}};
	const Event recovery[] = {{6000, UB_DEVICE_MODE_DISCONNECTED},
				  {30000, UB_DEVICE_MODE_RECOVERY}};
	const Event dfu[] = {{6000, UB_DEVICE_MODE_DISCONNECTED}, {8000, UB_DEVICE_MODE_DFU}};

	for (guint s = 0; s < G_N_ELEMENTS(scheme_cases); s++) {
		const gchar *product_type = scheme_cases[s].product_type;

		/* the way out of DFU */
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_DFU,
				 UB_GUIDE_TARGET_FORCE_RESTART,
				 normal,
				 G_N_ELEMENTS(normal),
				 UB_GUIDE_OUTCOME_SUCCESS);
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_DFU,
				 UB_GUIDE_TARGET_FORCE_RESTART,
				 recovery,
				 G_N_ELEMENTS(recovery),
				 UB_GUIDE_OUTCOME_RECOVERY_INSTEAD);
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_DFU,
				 UB_GUIDE_TARGET_FORCE_RESTART,
				 dfu,
				 G_N_ELEMENTS(dfu),
				 UB_GUIDE_OUTCOME_DFU_INSTEAD);
		/* still in DFU, never left: nothing happened */
		check_simple_run(fixture,
				 product_type,
				 UB_DEVICE_MODE_DFU,
				 UB_GUIDE_TARGET_FORCE_RESTART,
				 NULL,
				 0,
				 UB_GUIDE_OUTCOME_NOTHING);
	}
}

/* nothing detected: the user picked the model; the first device to show up
 * is the one, and one already there only counts when it changes mode */
static void
ub_mode_guide_without_device_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	g_autoptr(UbDeviceReport) other = ub_device_report_new("other:1", UB_DEVICE_MODE_NORMAL);
	g_autoptr(UbDeviceReport) report = NULL;

	other->ecid = OTHER_ECID;
	other->product_type = g_strdup("iPad7,11");
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), other);
	settle();

	guide = ub_mode_guide_new(
	    fixture->monitor, fixture->clock, NULL, UB_BUTTON_SCHEME_A, UB_GUIDE_TARGET_DFU);
	g_assert_false(ub_mode_guide_get_plan(guide)->host_assisted);
	ub_mode_guide_start(guide);
	g_assert_cmpuint(fixture->provider->buttons_ecid, ==, 0);
	ub_clock_advance(fixture->clock, 20000);
	settle();
	g_assert_true(ub_mode_guide_get_running(guide));

	report = ub_device_report_new("new:1", UB_DEVICE_MODE_DFU);
	report->ecid = ECID;
	report->product_type = g_strdup("iPhone14,2");
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(fixture->provider), report);
	settle();
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_SUCCESS);
	g_assert_nonnull(ub_mode_guide_get_device(guide));
	g_assert_cmpuint(ub_device_get_ecid(ub_mode_guide_get_device(guide)), ==, ECID);
}

/* one click tries again from the top; cancel stops everything */
static void
ub_mode_guide_again_and_cancel_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbModeGuide) guide = NULL;
	gint64 index_before;

	move(fixture, "iPhone14,2", ECID, UB_DEVICE_MODE_RECOVERY);
	guide = new_guide(fixture, ECID, UB_GUIDE_TARGET_DFU);
	ub_mode_guide_start(guide);
	run(fixture, guide, "iPhone14,2", NULL, 0, 60000);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_NOTHING);

	ub_mode_guide_start(guide);
	g_assert_true(ub_mode_guide_get_running(guide));
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_NONE);
	g_assert_cmpint(ub_mode_guide_get_step_index(guide), ==, 0);
	ub_clock_advance(fixture->clock, 4000);
	ub_mode_guide_cancel(guide);
	g_assert_cmpint(ub_mode_guide_get_outcome(guide), ==, UB_GUIDE_OUTCOME_CANCELLED);
	index_before = ub_mode_guide_get_step_index(guide);
	ub_clock_advance(fixture->clock, 20000);
	g_assert_cmpint(ub_mode_guide_get_step_index(guide), ==, index_before);
	g_assert_false(ub_mode_guide_get_running(guide));
	g_assert_cmpuint(fixture->n_finished, ==, 2);
}

static void
ub_mode_guide_advice_func(void)
{
	const UbGuideTarget targets[] = {
	    UB_GUIDE_TARGET_RECOVERY, UB_GUIDE_TARGET_DFU, UB_GUIDE_TARGET_FORCE_RESTART};
	g_autofree gchar *dfu_ipad = NULL;
	g_autofree gchar *dfu_home = NULL;
	g_autofree gchar *dfu_kept = NULL;
	g_autofree gchar *dfu_erased = NULL;

	/* every ending a run can reach has words */
	for (guint t = 0; t < G_N_ELEMENTS(targets); t++) {
		for (UbGuideOutcome o = UB_GUIDE_OUTCOME_SUCCESS; o <= UB_GUIDE_OUTCOME_NOTHING;
		     o++) {
			g_autofree gchar *title =
			    ub_guide_advice_dup_title(targets[t], o, UB_BUTTON_SCHEME_A);
			g_assert_cmpstr(title, !=, "");
		}
	}
	dfu_ipad = ub_guide_advice_dup_title(
	    UB_GUIDE_TARGET_DFU, UB_GUIDE_OUTCOME_SUCCESS, UB_BUTTON_SCHEME_D);
	g_assert_cmpstr(dfu_ipad, ==, "Let go — your iPad is in DFU mode");
	dfu_home = ub_guide_advice_dup_advice(UB_GUIDE_TARGET_DFU,
					      UB_GUIDE_OUTCOME_NORMAL_INSTEAD,
					      UB_BUTTON_SCHEME_C,
					      TRUE,
					      FALSE,
					      FALSE);
	g_assert_nonnull(strstr(dfu_home, "held too long"));
	g_assert_nonnull(strstr(dfu_home, "keep holding Home"));

	/* in DFU mode after an erase had begun, nothing claims the data is there */
	dfu_kept = ub_guide_advice_dup_advice(
	    UB_GUIDE_TARGET_DFU, UB_GUIDE_OUTCOME_SUCCESS, UB_BUTTON_SCHEME_A, FALSE, FALSE, FALSE);
	g_assert_nonnull(strstr(dfu_kept, "Nothing has been erased yet"));
	dfu_erased = ub_guide_advice_dup_advice(
	    UB_GUIDE_TARGET_DFU, UB_GUIDE_OUTCOME_SUCCESS, UB_BUTTON_SCHEME_A, FALSE, FALSE, TRUE);
	g_assert_null(strstr(dfu_erased, "Nothing"));
	g_assert_nonnull(strstr(dfu_erased, "had already erased it"));
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/mode-guide/plan-timings", ub_mode_guide_plan_timings_func);
	g_test_add_func("/unbrick/mode-guide/advice", ub_mode_guide_advice_func);
	g_test_add_func("/unbrick/mode-guide/button-layout-every-model",
			ub_mode_guide_button_layout_every_model_func);
	g_test_add_func("/unbrick/mode-guide/button-layout-guessed",
			ub_mode_guide_button_layout_guessed_func);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD("/unbrick/mode-guide/dfu-every-scheme", ub_mode_guide_dfu_every_scheme_func);
	ADD("/unbrick/mode-guide/ticks", ub_mode_guide_ticks_func);
	ADD("/unbrick/mode-guide/vanish-before-reboot", ub_mode_guide_vanish_before_reboot_func);
	ADD("/unbrick/mode-guide/vanish-back-in-recovery",
	    ub_mode_guide_vanish_back_in_recovery_func);
	ADD("/unbrick/mode-guide/vanish-back-normal", ub_mode_guide_vanish_back_normal_func);
	ADD("/unbrick/mode-guide/recovery", ub_mode_guide_recovery_func);
	ADD("/unbrick/mode-guide/force-restart", ub_mode_guide_force_restart_func);
	ADD("/unbrick/mode-guide/without-device", ub_mode_guide_without_device_func);
	ADD("/unbrick/mode-guide/again-and-cancel", ub_mode_guide_again_and_cancel_func);
#undef ADD
	return g_test_run();
}
