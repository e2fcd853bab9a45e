/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-mode-guide"

#include <glib/gi18n-lib.h>

#include "ub-device-enums.h"
#include "ub-guidance-enums.h"
#include "ub-guide-advice.h"
#include "ub-mode-guide.h"

/*
 * How a run reads the device (see the DFU timings reference, section 3):
 * the device drops off USB when it restarts ("left"), then shows up again.
 * Showing up in the target mode ends the run at once. Showing up in another
 * mode after having left says what the hands did: Recovery instead of DFU =
 * the bottom button was let go too early (or the top one held too long);
 * Normal = the Apple logo, the top button held too long. In the
 * host-assisted sequence the device only "leaves" once the computer has sent
 * the reboot, so a cable blip before it is not read as a result.
 */

typedef struct {
	UbDevice *device;
	gulong handler;
	UbDeviceMode start_mode;
	gboolean left;
} Watch;

struct _UbModeGuide {
	GObject parent_instance;

	UbDeviceMonitor *monitor;
	UbClock *clock;
	UbDevice *device; /* the one followed; NULL: the first to show up */
	UbDevice *found;  /* found, for a guide without a device */
	UbButtonScheme scheme;
	UbGuideTarget target;
	UbGuidePlan *plan;

	GPtrArray *watches; /* of Watch */
	gulong items_changed_id;
	gulong tick_id;
	GCancellable *cancellable;
	gboolean held;
	gboolean erase_begun;

	gboolean running;
	gint64 started_ms;
	gint step_index;
	guint seconds_left;
	gboolean waiting;
	gboolean reboot_sent;
	gboolean device_left;
	UbGuideOutcome outcome;
};

enum {
	PROP_0,
	PROP_RUNNING,
	PROP_STEP_INDEX,
	PROP_SECONDS_LEFT,
	PROP_WAITING,
	PROP_OUTCOME,
	N_PROPS,
};

enum {
	SIGNAL_CUE,
	SIGNAL_FINISHED,
	N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(UbModeGuide, ub_mode_guide, G_TYPE_OBJECT)

static void
watch_free(Watch *watch)
{
	g_clear_signal_handler(&watch->handler, watch->device);
	g_object_unref(watch->device);
	g_free(watch);
}

static void
stop_watching(UbModeGuide *self)
{
	g_ptr_array_set_size(self->watches, 0);
	g_clear_signal_handler(&self->items_changed_id, self->monitor);
	g_clear_signal_handler(&self->tick_id, self->clock);
	if (self->held && self->device != NULL)
		ub_device_monitor_release_device(self->monitor, self->device);
	self->held = FALSE;
}

static void
finish(UbModeGuide *self, UbGuideOutcome outcome)
{
	g_autofree gchar *outcome_text = NULL;

	if (!self->running)
		return;
	/* g_enum_to_string() returns a new string */
	outcome_text = g_enum_to_string(UB_TYPE_GUIDE_OUTCOME, outcome);
	g_debug("countdown ended: %s", outcome_text);
	stop_watching(self);
	ub_clock_stop(self->clock);
	g_cancellable_cancel(self->cancellable);
	self->running = FALSE;
	self->outcome = outcome;
	self->waiting = FALSE;
	g_object_freeze_notify(G_OBJECT(self));
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_RUNNING]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_WAITING]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_OUTCOME]);
	g_object_thaw_notify(G_OBJECT(self));
	if (outcome == UB_GUIDE_OUTCOME_SUCCESS)
		g_signal_emit(self, signals[SIGNAL_CUE], 0, UB_GUIDE_CUE_SUCCESS);
	else if (outcome != UB_GUIDE_OUTCOME_CANCELLED)
		g_signal_emit(self, signals[SIGNAL_CUE], 0, UB_GUIDE_CUE_FAILURE);
	g_signal_emit(self, signals[SIGNAL_FINISHED], 0, outcome);
}

/* what the device arriving in @mode means for this run, or NONE */
static UbGuideOutcome
judge(UbModeGuide *self, Watch *watch, UbDeviceMode mode)
{
	switch (self->target) {
	case UB_GUIDE_TARGET_DFU:
		if (mode == UB_DEVICE_MODE_DFU)
			return UB_GUIDE_OUTCOME_SUCCESS;
		if (!watch->left)
			return UB_GUIDE_OUTCOME_NONE;
		if (mode == UB_DEVICE_MODE_RECOVERY)
			return UB_GUIDE_OUTCOME_RECOVERY_INSTEAD;
		if (mode == UB_DEVICE_MODE_NORMAL)
			return UB_GUIDE_OUTCOME_NORMAL_INSTEAD;
		return UB_GUIDE_OUTCOME_NONE;
	case UB_GUIDE_TARGET_RECOVERY:
		if (mode == UB_DEVICE_MODE_RECOVERY &&
		    (watch->left || watch->start_mode != UB_DEVICE_MODE_RECOVERY))
			return UB_GUIDE_OUTCOME_SUCCESS;
		if (mode == UB_DEVICE_MODE_DFU && watch->start_mode != UB_DEVICE_MODE_DFU)
			return UB_GUIDE_OUTCOME_DFU_INSTEAD;
		if (mode == UB_DEVICE_MODE_NORMAL && watch->left)
			return UB_GUIDE_OUTCOME_NORMAL_INSTEAD;
		return UB_GUIDE_OUTCOME_NONE;
	case UB_GUIDE_TARGET_FORCE_RESTART:
	default:
		if (!watch->left)
			return UB_GUIDE_OUTCOME_NONE;
		if (mode == UB_DEVICE_MODE_NORMAL)
			return UB_GUIDE_OUTCOME_SUCCESS;
		if (mode == UB_DEVICE_MODE_RECOVERY)
			return UB_GUIDE_OUTCOME_RECOVERY_INSTEAD;
		if (mode == UB_DEVICE_MODE_DFU)
			return UB_GUIDE_OUTCOME_DFU_INSTEAD;
		return UB_GUIDE_OUTCOME_NONE;
	}
}

static void
device_mode_changed(UbModeGuide *self, Watch *watch)
{
	UbDeviceMode mode = ub_device_get_mode(watch->device);
	gboolean assisted = self->plan->host_assisted;
	UbGuideOutcome outcome;
	g_autofree gchar *mode_text = NULL;

	if (!self->running)
		return;
	mode_text = g_enum_to_string(UB_TYPE_DEVICE_MODE, mode);
	g_debug("device %s is now %s", ub_device_get_product_type(watch->device), mode_text);
	if (mode == UB_DEVICE_MODE_DISCONNECTED) {
		/* before the reboot, a drop is the cable, not the buttons */
		if (!assisted || self->reboot_sent) {
			watch->left = TRUE;
			self->device_left = TRUE;
		}
		return;
	}
	if (mode != watch->start_mode && (!assisted || self->reboot_sent)) {
		/* a mode change is a restart even when the drop was not seen */
		watch->left = TRUE;
		self->device_left = TRUE;
	}
	outcome = judge(self, watch, mode);
	if (outcome == UB_GUIDE_OUTCOME_NONE)
		return;
	if (self->device == NULL)
		g_set_object(&self->found, watch->device);
	finish(self, outcome);
}

static void
device_notify_mode_cb(UbDevice *device, GParamSpec *pspec, gpointer user_data)
{
	UbModeGuide *self = UB_MODE_GUIDE(user_data);

	for (guint i = 0; i < self->watches->len; i++) {
		Watch *watch = g_ptr_array_index(self->watches, i);
		if (watch->device == device) {
			device_mode_changed(self, watch);
			return;
		}
	}
}

static Watch *
watch_device(UbModeGuide *self, UbDevice *device, UbDeviceMode start_mode)
{
	Watch *watch = g_new0(Watch, 1);

	watch->device = g_object_ref(device);
	watch->start_mode = start_mode;
	watch->handler =
	    g_signal_connect(device, "notify::mode", G_CALLBACK(device_notify_mode_cb), self);
	g_ptr_array_add(self->watches, watch);
	return watch;
}

static gboolean
is_watched(UbModeGuide *self, UbDevice *device)
{
	for (guint i = 0; i < self->watches->len; i++) {
		Watch *watch = g_ptr_array_index(self->watches, i);
		if (watch->device == device)
			return TRUE;
	}
	return FALSE;
}

/* a guide without a device: whatever shows up after the start is it */
static void
monitor_items_changed_cb(GListModel *model,
			 guint position,
			 guint removed,
			 guint added,
			 gpointer user_data)
{
	UbModeGuide *self = UB_MODE_GUIDE(user_data);

	for (guint i = position; i < position + added && self->running; i++) {
		g_autoptr(UbDevice) device = g_list_model_get_item(model, i);
		Watch *watch;

		if (is_watched(self, device))
			continue;
		watch = watch_device(self, device, UB_DEVICE_MODE_DISCONNECTED);
		device_mode_changed(self, watch);
	}
}

static void
reboot_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!ub_device_monitor_reboot_finish(UB_DEVICE_MONITOR(source), result, &error))
		g_debug("the reboot for DFU failed: %s", error->message);
}

static void
send_reboot(UbModeGuide *self)
{
	self->reboot_sent = TRUE;
	if (self->device == NULL || ub_device_get_mode(self->device) != UB_DEVICE_MODE_RECOVERY)
		return;
	g_debug("sending the reboot");
	/* auto-boot true + reboot, as libirecovery's exit does: the buttons
	 * held through the restart decide where it lands */
	ub_device_monitor_reboot_async(
	    self->monitor, self->device, self->cancellable, reboot_done_cb, NULL);
}

static void
clock_tick_cb(UbClock *clock, gpointer user_data)
{
	UbModeGuide *self = UB_MODE_GUIDE(user_data);
	gint64 elapsed = ub_clock_get_now_ms(clock) - self->started_ms;
	gint64 step_start = 0;
	guint n_steps = ub_guide_plan_get_n_steps(self->plan);
	gint index = -1;
	guint seconds_left = 0;
	gint64 step_end = 0;

	if (!self->running)
		return;
	for (guint i = 0; i < n_steps; i++) {
		const UbGuideStep *step = ub_guide_plan_get_step(self->plan, i);

		step_end = step_start + step->duration_ms;
		if (elapsed < step_end) {
			index = (gint)i;
			seconds_left = (guint)((step_end - elapsed + 999) / 1000);
			if (step->reboot_at_ms >= 0 && !self->reboot_sent &&
			    elapsed >= step_start + step->reboot_at_ms)
				send_reboot(self);
			break;
		}
		step_start = step_end;
	}

	if (index < 0) {
		/* past the last step: wait a little for the device to show up */
		if (!self->waiting) {
			self->waiting = TRUE;
			self->step_index = (gint)n_steps;
			self->seconds_left = 0;
			g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_WAITING]);
		}
		if (elapsed >= (gint64)ub_guide_plan_get_total_ms(self->plan))
			finish(self, UB_GUIDE_OUTCOME_NOTHING);
		return;
	}

	g_object_freeze_notify(G_OBJECT(self));
	if (index != self->step_index) {
		self->step_index = index;
		self->seconds_left = seconds_left;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STEP_INDEX]);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SECONDS_LEFT]);
		g_signal_emit(self, signals[SIGNAL_CUE], 0, UB_GUIDE_CUE_STEP);
	} else if (seconds_left != self->seconds_left) {
		self->seconds_left = seconds_left;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SECONDS_LEFT]);
		if (seconds_left <= 3)
			g_signal_emit(self, signals[SIGNAL_CUE], 0, UB_GUIDE_CUE_TICK);
	}
	g_object_thaw_notify(G_OBJECT(self));
}

static gboolean
device_in_recovery(UbModeGuide *self)
{
	return self->device != NULL && ub_device_get_mode(self->device) == UB_DEVICE_MODE_RECOVERY;
}

/* the plan follows the device's mode; it is only replaced when that changes
 * which sequence applies, so a caller's pointer stays good until then */
static void
rebuild_plan(UbModeGuide *self)
{
	if (self->plan != NULL && self->plan->host_assisted == device_in_recovery(self))
		return;
	g_clear_pointer(&self->plan, ub_guide_plan_free);
	self->plan = ub_guide_plan_new(self->scheme, self->target, device_in_recovery(self));
}

void
ub_mode_guide_start(UbModeGuide *self)
{
	g_return_if_fail(UB_IS_MODE_GUIDE(self));

	if (self->running)
		ub_mode_guide_cancel(self);
	rebuild_plan(self);
	g_clear_object(&self->found);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	self->running = TRUE;
	self->started_ms = ub_clock_get_now_ms(self->clock);
	self->step_index = -1;
	self->seconds_left = 0;
	self->waiting = FALSE;
	self->reboot_sent = FALSE;
	self->device_left = FALSE;
	self->outcome = UB_GUIDE_OUTCOME_NONE;

	if (self->device != NULL) {
		watch_device(self, self->device, ub_device_get_mode(self->device));
		ub_device_monitor_hold_device(self->monitor, self->device);
		self->held = TRUE;
	} else {
		guint n = g_list_model_get_n_items(G_LIST_MODEL(self->monitor));

		/* devices already there only count once they change mode */
		for (guint i = 0; i < n; i++) {
			g_autoptr(UbDevice) device =
			    g_list_model_get_item(G_LIST_MODEL(self->monitor), i);
			watch_device(self, device, ub_device_get_mode(device));
		}
		self->items_changed_id = g_signal_connect(
		    self->monitor, "items-changed", G_CALLBACK(monitor_items_changed_cb), self);
	}
	self->tick_id = g_signal_connect(self->clock, "tick", G_CALLBACK(clock_tick_cb), self);
	ub_clock_start(self->clock);
	ub_device_monitor_notify_buttons(
	    self->monitor,
	    self->device != NULL ? ub_device_get_ecid(self->device) : 0,
	    self->target == UB_GUIDE_TARGET_DFU	       ? UB_DEVICE_MODE_DFU
	    : self->target == UB_GUIDE_TARGET_RECOVERY ? UB_DEVICE_MODE_RECOVERY
						       : UB_DEVICE_MODE_NORMAL);

	g_object_freeze_notify(G_OBJECT(self));
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_RUNNING]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_OUTCOME]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_WAITING]);
	g_object_thaw_notify(G_OBJECT(self));
	clock_tick_cb(self->clock, self);
}

void
ub_mode_guide_cancel(UbModeGuide *self)
{
	g_return_if_fail(UB_IS_MODE_GUIDE(self));
	finish(self, UB_GUIDE_OUTCOME_CANCELLED);
}

static void
ub_mode_guide_dispose(GObject *object)
{
	UbModeGuide *self = UB_MODE_GUIDE(object);

	if (self->running) {
		stop_watching(self);
		ub_clock_stop(self->clock);
		self->running = FALSE;
	}
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->found);
	g_clear_object(&self->device);
	g_clear_object(&self->clock);
	g_clear_object(&self->monitor);
	G_OBJECT_CLASS(ub_mode_guide_parent_class)->dispose(object);
}

static void
ub_mode_guide_finalize(GObject *object)
{
	UbModeGuide *self = UB_MODE_GUIDE(object);

	g_ptr_array_unref(self->watches);
	g_clear_pointer(&self->plan, ub_guide_plan_free);
	G_OBJECT_CLASS(ub_mode_guide_parent_class)->finalize(object);
}

static void
ub_mode_guide_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbModeGuide *self = UB_MODE_GUIDE(object);

	switch (prop_id) {
	case PROP_RUNNING:
		g_value_set_boolean(value, self->running);
		break;
	case PROP_STEP_INDEX:
		g_value_set_int(value, self->step_index);
		break;
	case PROP_SECONDS_LEFT:
		g_value_set_uint(value, self->seconds_left);
		break;
	case PROP_WAITING:
		g_value_set_boolean(value, self->waiting);
		break;
	case PROP_OUTCOME:
		g_value_set_enum(value, self->outcome);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_mode_guide_class_init(UbModeGuideClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_mode_guide_dispose;
	object_class->finalize = ub_mode_guide_finalize;
	object_class->get_property = ub_mode_guide_get_property;

	properties[PROP_RUNNING] = g_param_spec_boolean(
	    "running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_STEP_INDEX] = g_param_spec_int(
	    "step-index", NULL, NULL, -1, G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_SECONDS_LEFT] = g_param_spec_uint(
	    "seconds-left", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_WAITING] = g_param_spec_boolean(
	    "waiting", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_OUTCOME] = g_param_spec_enum("outcome",
						     NULL,
						     NULL,
						     UB_TYPE_GUIDE_OUTCOME,
						     UB_GUIDE_OUTCOME_NONE,
						     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	/**
	 * UbModeGuide::cue:
	 * Something the user should hear: a new step, the last seconds, the end.
	 */
	signals[SIGNAL_CUE] = g_signal_new("cue",
					   G_TYPE_FROM_CLASS(klass),
					   G_SIGNAL_RUN_LAST,
					   0,
					   NULL,
					   NULL,
					   NULL,
					   G_TYPE_NONE,
					   1,
					   UB_TYPE_GUIDE_CUE);
	signals[SIGNAL_FINISHED] = g_signal_new("finished",
						G_TYPE_FROM_CLASS(klass),
						G_SIGNAL_RUN_LAST,
						0,
						NULL,
						NULL,
						NULL,
						G_TYPE_NONE,
						1,
						UB_TYPE_GUIDE_OUTCOME);
}

static void
ub_mode_guide_init(UbModeGuide *self)
{
	self->watches = g_ptr_array_new_with_free_func((GDestroyNotify)watch_free);
	self->step_index = -1;
}

UbModeGuide *
ub_mode_guide_new(UbDeviceMonitor *monitor,
		  UbClock *clock,
		  UbDevice *device,
		  UbButtonScheme scheme,
		  UbGuideTarget target)
{
	UbModeGuide *self;

	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(monitor), NULL);
	g_return_val_if_fail(UB_IS_CLOCK(clock), NULL);
	g_return_val_if_fail(device == NULL || UB_IS_DEVICE(device), NULL);

	self = g_object_new(UB_TYPE_MODE_GUIDE, NULL);
	self->monitor = g_object_ref(monitor);
	self->clock = g_object_ref(clock);
	self->device = device != NULL ? g_object_ref(device) : NULL;
	if (scheme == UB_BUTTON_SCHEME_UNKNOWN && device != NULL)
		scheme = ub_device_get_button_scheme(device);
	self->scheme = scheme;
	self->target = target;
	rebuild_plan(self);
	return self;
}

UbGuideTarget
ub_mode_guide_get_target(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), UB_GUIDE_TARGET_DFU);
	return self->target;
}

UbButtonScheme
ub_mode_guide_get_scheme(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), UB_BUTTON_SCHEME_UNKNOWN);
	return self->scheme;
}

UbDevice *
ub_mode_guide_get_device(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), NULL);
	return self->device != NULL ? self->device : self->found;
}

const UbGuidePlan *
ub_mode_guide_get_plan(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), NULL);
	if (!self->running)
		rebuild_plan(self);
	return self->plan;
}

gboolean
ub_mode_guide_get_running(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), FALSE);
	return self->running;
}

gint
ub_mode_guide_get_step_index(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), -1);
	return self->step_index;
}

guint
ub_mode_guide_get_seconds_left(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), 0);
	return self->seconds_left;
}

gboolean
ub_mode_guide_get_waiting(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), FALSE);
	return self->waiting;
}

UbGuideOutcome
ub_mode_guide_get_outcome(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), UB_GUIDE_OUTCOME_NONE);
	return self->outcome;
}

gboolean
ub_mode_guide_get_device_left(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), FALSE);
	return self->device_left;
}

gchar *
ub_mode_guide_dup_outcome_title(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), NULL);
	return ub_guide_advice_dup_title(self->target, self->outcome, self->scheme);
}

gchar *
ub_mode_guide_dup_outcome_advice(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), NULL);
	return ub_guide_advice_dup_advice(self->target,
					  self->outcome,
					  self->scheme,
					  self->device_left,
					  self->plan->host_assisted,
					  self->erase_begun);
}

void
ub_mode_guide_set_erase_begun(UbModeGuide *self, gboolean erase_begun)
{
	g_return_if_fail(UB_IS_MODE_GUIDE(self));
	self->erase_begun = erase_begun;
}

gboolean
ub_mode_guide_get_erase_begun(UbModeGuide *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE(self), FALSE);
	return self->erase_begun;
}
