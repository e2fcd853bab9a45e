/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ub-mode-guide-window"

#include <glib/gi18n.h>

#include "ub-a11y.h"
#include "ub-button-drawing.h"
#include "ub-cue-player.h"
#include "ub-mode-guide-window.h"

struct _UbModeGuideWindow {
	AdwWindow parent_instance;

	UbDeviceMonitor *monitor;
	UbDevice *device;
	UbGuideTarget target;
	UbClock *clock;
	UbModeGuide *guide;
	UbCuePlayer *cue_player;
	GSettings *settings;

	AdwWindowTitle *window_title;
	GtkStack *stack;
	UbButtonDrawing *intro_drawing;
	GtkLabel *intro_title;
	GtkWidget *model_group;
	AdwComboRow *model_row;
	GtkListBox *intro_list;
	GtkLabel *step_label;
	GtkLabel *instruction_label;
	GtkLabel *detail_label;
	GtkWidget *countdown_pair;
	UbButtonDrawing *countdown_drawing;
	GtkLabel *seconds_label;
	GtkProgressBar *progress_bar;
	AdwStatusPage *outcome_page;
	GtkWidget *again_button;
	GtkWidget *done_button;

	/* where the buttons are on this model, and its name; the scheme alone
	 * does not say (see ub_button_drawing_set_device()) */
	UbButtonLayout layout;
	gchar *model_name; /* NULL: "iPhone" or "iPad" */

	gchar *continue_label; /* what success leads to, NULL: just Done */
	gboolean succeeded;
};

enum {
	SIGNAL_CONTINUE,
	N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(UbModeGuideWindow, ub_mode_guide_window, ADW_TYPE_WINDOW)

/* the model picker, for a device nothing has detected: one choice per
 * button scheme and, within one, per layout the drawing must show (iPhone 8
 * shares iPhone X's sequence but has a Home button) */
static const struct {
	UbButtonScheme scheme;
	UbButtonLayout layout;
	const gchar *label;
} model_choices[] = {
    {UB_BUTTON_SCHEME_A, {FALSE, FALSE, FALSE}, N_("iPhone X or later, without a Home button")},
    {UB_BUTTON_SCHEME_A,
     {TRUE, FALSE, FALSE},
     N_("iPhone 8 or 8 Plus, iPhone SE (2nd or 3rd generation)")},
    {UB_BUTTON_SCHEME_B, {TRUE, FALSE, FALSE}, N_("iPhone 7 or 7 Plus")},
    {UB_BUTTON_SCHEME_C, {TRUE, FALSE, FALSE}, N_("iPhone 6s, 6s Plus, 6 or 6 Plus")},
    {UB_BUTTON_SCHEME_C, {TRUE, TRUE, FALSE}, N_("iPhone SE (1st generation), 5s or earlier")},
    {UB_BUTTON_SCHEME_D, {FALSE, TRUE, FALSE}, N_("iPad Pro or iPad Air without a Home button")},
    {UB_BUTTON_SCHEME_D,
     {FALSE, TRUE, TRUE},
     N_("iPad mini (6th generation or later), iPad (10th generation or later)")},
    {UB_BUTTON_SCHEME_E, {TRUE, TRUE, FALSE}, N_("iPad with a Home button")},
};

/*
 * The drawing and the big number: side by side when both fit, the number
 * under the drawing when they do not (360 px, GNOME's narrowest). libadwaita
 * 1.2 has no breakpoints and GTK 4.8's GtkFlowBox asks for the width of one
 * child only, so it never keeps them on one line; this layout asks for the
 * narrow arrangement's width as its minimum and the wide one's as natural.
 */
#define PAIR_SPACING 24

typedef struct {
	GtkWidget *child;
	gint min_width;
	gint nat_width;
	gint min_height;
	gint nat_height;
} PairChild;

static guint
pair_children(GtkWidget *widget, PairChild *children)
{
	guint n = 0;

	for (GtkWidget *child = gtk_widget_get_first_child(widget); child != NULL && n < 2;
	     child = gtk_widget_get_next_sibling(child)) {
		if (!gtk_widget_should_layout(child))
			continue;
		children[n].child = child;
		gtk_widget_measure(child,
				   GTK_ORIENTATION_HORIZONTAL,
				   -1,
				   &children[n].min_width,
				   &children[n].nat_width,
				   NULL,
				   NULL);
		gtk_widget_measure(child,
				   GTK_ORIENTATION_VERTICAL,
				   -1,
				   &children[n].min_height,
				   &children[n].nat_height,
				   NULL,
				   NULL);
		n++;
	}
	return n;
}

static gint
pair_wide_width(const PairChild *children, guint n)
{
	return n < 2 ? (n == 1 ? children[0].nat_width : 0)
		     : children[0].nat_width + PAIR_SPACING + children[1].nat_width;
}

static GtkSizeRequestMode
pair_request_mode(GtkWidget *widget)
{
	return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pair_measure(GtkWidget *widget,
	     GtkOrientation orientation,
	     int for_size,
	     int *minimum,
	     int *natural,
	     int *minimum_baseline,
	     int *natural_baseline)
{
	PairChild children[2] = {{NULL}};
	guint n = pair_children(widget, children);
	gint wide = pair_wide_width(children, n);

	*minimum = *natural = 0;
	for (guint i = 0; i < n; i++) {
		if (orientation == GTK_ORIENTATION_HORIZONTAL) {
			*minimum = MAX(*minimum, children[i].min_width);
		} else if (for_size >= 0 && for_size >= wide) {
			*minimum = MAX(*minimum, children[i].min_height);
			*natural = MAX(*natural, children[i].nat_height);
		} else {
			*minimum += children[i].min_height;
			*natural += children[i].nat_height;
		}
	}
	if (orientation == GTK_ORIENTATION_HORIZONTAL)
		*natural = MAX(*minimum, wide);
}

static void
pair_allocate(GtkWidget *widget, int width, int height, int baseline)
{
	PairChild children[2] = {{NULL}};
	guint n = pair_children(widget, children);
	gboolean wide = pair_wide_width(children, n) <= width;
	gint heights[2] = {0, 0};
	gint used = 0;
	gint offset;

	for (guint i = 0; i < n; i++)
		heights[i] = wide ? MIN(children[i].nat_height, height) : children[i].nat_height;
	if (!wide && n == 2 && heights[0] + heights[1] > height) {
		/* short of height: the drawing gives way, the number never */
		heights[0] = MAX(children[0].min_height, height - heights[1]);
	}
	for (guint i = 0; i < n; i++)
		used += wide ? MIN(children[i].nat_width, width) : heights[i];
	if (wide && n == 2)
		used += PAIR_SPACING;
	offset = MAX(0, ((wide ? width : height) - used) / 2);
	for (guint i = 0; i < n; i++) {
		GtkAllocation allocation;
		gint child_width = MIN(children[i].nat_width, width);

		if (wide) {
			allocation.x = offset;
			allocation.y = (height - heights[i]) / 2;
			offset += child_width + PAIR_SPACING;
		} else {
			allocation.x = (width - child_width) / 2;
			allocation.y = offset;
			offset += heights[i];
		}
		allocation.width = child_width;
		allocation.height = heights[i];
		gtk_widget_size_allocate(children[i].child, &allocation, -1);
	}
}

static const gchar *
device_word(UbModeGuideWindow *self)
{
	return ub_guide_plan_scheme_is_ipad(ub_mode_guide_get_scheme(self->guide)) ? _("iPad")
										   : _("iPhone");
}

static void
add_intro_row(UbModeGuideWindow *self,
	      const gchar *icon_name,
	      const gchar *title,
	      const gchar *subtitle)
{
	GtkWidget *row = adw_action_row_new();
	GtkWidget *icon = gtk_image_new_from_icon_name(icon_name);

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(row), subtitle);
	adw_action_row_add_prefix(ADW_ACTION_ROW(row), icon);
	gtk_list_box_append(self->intro_list, row);
}

static void
fill_intro(UbModeGuideWindow *self)
{
	const gchar *device = device_word(self);
	const UbGuidePlan *plan = ub_mode_guide_get_plan(self->guide);
	g_autofree gchar *title = NULL;
	g_autofree gchar *plug = NULL;
	g_autofree gchar *watch = NULL;
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->intro_list))) != NULL)
		gtk_list_box_remove(self->intro_list, child);

	switch (self->target) {
	case UB_GUIDE_TARGET_DFU:
		/* TRANSLATORS: %s is "iPhone" or "iPad" */
		title = g_strdup_printf(_("Put Your %s in DFU Mode"), device);
		break;
	case UB_GUIDE_TARGET_RECOVERY:
		title = g_strdup_printf(_("Put Your %s in Recovery Mode"), device);
		break;
	case UB_GUIDE_TARGET_FORCE_RESTART:
	default:
		title = g_strdup_printf(_("Force Restart Your %s"), device);
		break;
	}
	gtk_label_set_label(self->intro_title, title);
	/* the big title says it already; the window manager still gets it */
	gtk_window_set_title(GTK_WINDOW(self), title);
	ub_button_drawing_set_device(
	    self->intro_drawing, plan->scheme, &self->layout, self->model_name);

	plug = g_strdup_printf(_("Connect your %s to a port on this computer now, not through a "
				 "hub, and leave it connected."),
			       device);
	add_intro_row(self, "media-removable-symbolic", _("Plug the Cable in First"), plug);
	watch = g_strdup(_("Unbrick shows one step at a time in large type and plays a sound at "
			   "every change and for the last three seconds."));
	/* TRANSLATORS: %s is "iPhone" or "iPad" */
	{
		g_autofree gchar *watch_title = g_strdup_printf(_("Watch Your %s"), device);
		add_intro_row(self, "view-reveal-symbolic", watch_title, watch);
	}
	if (plan->host_assisted)
		add_intro_row(self,
			      "view-refresh-symbolic",
			      _("Unbrick Restarts It for You"),
			      _("It is in Recovery Mode, so Unbrick sends the restart at the "
				"right moment. You only hold the buttons."));
	switch (self->target) {
	case UB_GUIDE_TARGET_DFU:
		add_intro_row(self,
			      "display-brightness-symbolic",
			      _("A Black Screen Is Right"),
			      _("In DFU mode the screen stays completely black. Unbrick "
				"notices the moment it works and tells you to let go."));
		if (ub_mode_guide_get_erase_begun(self->guide))
			add_intro_row(self,
				      "dialog-warning-symbolic",
				      _("It Was Already Erased"),
				      _("The restore that stopped had begun to erase it. DFU "
					"mode itself changes nothing more; a Restore from there "
					"installs iOS again."));
		else
			add_intro_row(self,
				      "security-high-symbolic",
				      _("Nothing Is Erased Yet"),
				      _("Entering DFU mode keeps everything. Only a Restore, "
					"which asks first, erases."));
		break;
	case UB_GUIDE_TARGET_RECOVERY:
		add_intro_row(self,
			      "computer-symbolic",
			      _("Look for a Computer and a Cable"),
			      _("That picture on the screen means Recovery Mode started. "
				"Keep holding past the Apple logo until you see it."));
		add_intro_row(self,
			      "security-high-symbolic",
			      _("Nothing Is Erased"),
			      _("Recovery Mode keeps everything. An Update from there keeps "
				"your data too."));
		break;
	case UB_GUIDE_TARGET_FORCE_RESTART:
	default:
		add_intro_row(self,
			      "security-high-symbolic",
			      _("Nothing Is Erased"),
			      _("A force restart only switches it off and on again. Let go "
				"when the Apple logo appears."));
		break;
	}
}

static guint
elapsed_ms(UbModeGuideWindow *self)
{
	const UbGuidePlan *plan = ub_mode_guide_get_plan(self->guide);
	gint index = ub_mode_guide_get_step_index(self->guide);
	guint elapsed = 0;

	if (index < 0)
		return 0;
	for (gint i = 0; i < index && i < (gint)ub_guide_plan_get_n_steps(plan); i++)
		elapsed += ub_guide_plan_get_step(plan, i)->duration_ms;
	if (index < (gint)ub_guide_plan_get_n_steps(plan)) {
		guint duration = ub_guide_plan_get_step(plan, index)->duration_ms;
		guint left = ub_mode_guide_get_seconds_left(self->guide) * 1000;
		elapsed += duration > left ? duration - left : 0;
	}
	return elapsed;
}

static void
update_countdown(UbModeGuideWindow *self)
{
	const UbGuidePlan *plan = ub_mode_guide_get_plan(self->guide);
	gint index = ub_mode_guide_get_step_index(self->guide);
	guint n_steps = ub_guide_plan_get_n_steps(plan);
	g_autofree gchar *step_text = NULL;
	g_autofree gchar *seconds = NULL;

	if (index < 0)
		return;
	if (ub_mode_guide_get_waiting(self->guide) || index >= (gint)n_steps) {
		g_autofree gchar *waiting =
		    g_strdup_printf(_("Waiting for your %s to show up."), device_word(self));
		gtk_label_set_label(self->step_label, _("Checking"));
		gtk_label_set_label(self->instruction_label, _("Keep holding…"));
		gtk_label_set_label(self->detail_label, waiting);
		gtk_label_set_label(self->seconds_label, "");
		gtk_progress_bar_set_fraction(self->progress_bar, 1.0);
		return;
	}
	{
		const UbGuideStep *step = ub_guide_plan_get_step(plan, index);

		/* TRANSLATORS: "Step 2 of 3" */
		step_text = g_strdup_printf(_("Step %d of %u"), index + 1, n_steps);
		gtk_label_set_label(self->step_label, step_text);
		gtk_label_set_label(self->instruction_label, step->instruction);
		gtk_label_set_label(self->detail_label, step->detail);
		ub_button_drawing_set_pressed(self->countdown_drawing, step->pressed);
	}
	seconds = g_strdup_printf("%u", ub_mode_guide_get_seconds_left(self->guide));
	gtk_label_set_label(self->seconds_label, seconds);
	gtk_progress_bar_set_fraction(self->progress_bar,
				      (gdouble)elapsed_ms(self) /
					  MAX(ub_guide_plan_get_total_ms(plan), 1));
}

static void
guide_progress_cb(UbModeGuide *guide, GParamSpec *pspec, gpointer user_data)
{
	update_countdown(UB_MODE_GUIDE_WINDOW(user_data));
}

static void
guide_finished_cb(UbModeGuide *guide, UbGuideOutcome outcome, gpointer user_data)
{
	UbModeGuideWindow *self = UB_MODE_GUIDE_WINDOW(user_data);
	g_autofree gchar *title = NULL;
	g_autofree gchar *advice = NULL;
	gboolean success = outcome == UB_GUIDE_OUTCOME_SUCCESS;

	if (outcome == UB_GUIDE_OUTCOME_CANCELLED) {
		gtk_stack_set_visible_child_name(self->stack, "intro");
		return;
	}
	title = ub_mode_guide_dup_outcome_title(guide);
	advice = ub_mode_guide_dup_outcome_advice(guide);
	adw_status_page_set_title(self->outcome_page, title);
	adw_status_page_set_description(self->outcome_page, advice);
	adw_status_page_set_icon_name(
	    self->outcome_page, success ? "object-select-symbolic" : "dialog-warning-symbolic");
	gtk_widget_set_visible(self->again_button, !success);
	self->succeeded = success;
	gtk_button_set_label(GTK_BUTTON(self->done_button),
			     success && self->continue_label != NULL ? self->continue_label
								     : _("_Done"));
	/* success is the end of the countdown, not a reason to stop: green */
	if (success)
		gtk_widget_add_css_class(GTK_WIDGET(self->outcome_page), "guide-success");
	else
		gtk_widget_remove_css_class(GTK_WIDGET(self->outcome_page), "guide-success");
	if (success) {
		gtk_widget_add_css_class(self->done_button, "suggested-action");
		gtk_widget_grab_focus(self->done_button);
	} else {
		gtk_widget_remove_css_class(self->done_button, "suggested-action");
		gtk_widget_grab_focus(self->again_button);
	}
	gtk_stack_set_visible_child_name(self->stack, "outcome");
}

static void
set_guide(UbModeGuideWindow *self,
	  UbButtonScheme scheme,
	  const UbButtonLayout *layout,
	  const gchar *model_name)
{
	self->layout = *layout;
	g_free(self->model_name);
	self->model_name = g_strdup(model_name);
	if (self->guide != NULL) {
		g_signal_handlers_disconnect_by_data(self->guide, self);
		ub_mode_guide_cancel(self->guide);
		g_clear_object(&self->guide);
	}
	self->guide =
	    ub_mode_guide_new(self->monitor, self->clock, self->device, scheme, self->target);
	g_signal_connect(self->guide, "notify::step-index", G_CALLBACK(guide_progress_cb), self);
	g_signal_connect(self->guide, "notify::seconds-left", G_CALLBACK(guide_progress_cb), self);
	g_signal_connect(self->guide, "notify::waiting", G_CALLBACK(guide_progress_cb), self);
	g_signal_connect_object(self->guide,
				"cue",
				G_CALLBACK(ub_cue_player_play),
				self->cue_player,
				G_CONNECT_SWAPPED);
	g_signal_connect(self->guide, "finished", G_CALLBACK(guide_finished_cb), self);
	ub_button_drawing_set_device(self->countdown_drawing,
				     ub_mode_guide_get_scheme(self->guide),
				     &self->layout,
				     self->model_name);
	fill_intro(self);
}

static void
model_selected_cb(UbModeGuideWindow *self)
{
	guint selected = adw_combo_row_get_selected(self->model_row);

	/* the model is set in init, before there is a monitor to guide with */
	if (self->monitor == NULL || selected >= G_N_ELEMENTS(model_choices))
		return;
	set_guide(self,
		  model_choices[selected].scheme,
		  &model_choices[selected].layout,
		  _(model_choices[selected].label));
}

static void
start_clicked_cb(UbModeGuideWindow *self)
{
	gtk_stack_set_visible_child_name(self->stack, "countdown");
	ub_mode_guide_start(self->guide);
	update_countdown(self);
}

static void
stop_clicked_cb(UbModeGuideWindow *self)
{
	ub_mode_guide_cancel(self->guide);
}

static void
done_clicked_cb(UbModeGuideWindow *self)
{
	gboolean go_on = self->succeeded && self->continue_label != NULL;

	g_object_ref(self);
	gtk_window_close(GTK_WINDOW(self));
	if (go_on)
		g_signal_emit(self, signals[SIGNAL_CONTINUE], 0);
	g_object_unref(self);
}

void
ub_mode_guide_window_set_continue_label(UbModeGuideWindow *self, const gchar *label)
{
	g_return_if_fail(UB_IS_MODE_GUIDE_WINDOW(self));
	g_free(self->continue_label);
	self->continue_label = g_strdup(label);
}

void
ub_mode_guide_window_set_erase_begun(UbModeGuideWindow *self, gboolean erase_begun)
{
	g_return_if_fail(UB_IS_MODE_GUIDE_WINDOW(self));
	ub_mode_guide_set_erase_begun(self->guide, erase_begun);
	fill_intro(self);
}

static void
ub_mode_guide_window_dispose(GObject *object)
{
	UbModeGuideWindow *self = UB_MODE_GUIDE_WINDOW(object);

	if (self->guide != NULL) {
		g_signal_handlers_disconnect_by_data(self->guide, self);
		ub_mode_guide_cancel(self->guide);
	}
	g_clear_object(&self->guide);
	g_clear_object(&self->clock);
	g_clear_object(&self->cue_player);
	g_clear_object(&self->settings);
	g_clear_object(&self->device);
	g_clear_object(&self->monitor);
	g_clear_pointer(&self->continue_label, g_free);
	g_clear_pointer(&self->model_name, g_free);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_MODE_GUIDE_WINDOW);
	G_OBJECT_CLASS(ub_mode_guide_window_parent_class)->dispose(object);
}

static void
ub_mode_guide_window_class_init(UbModeGuideWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_mode_guide_window_dispose;

	/**
	 * UbModeGuideWindow::continue:
	 * The countdown worked and the user goes on to what it was for (see
	 * ub_mode_guide_window_set_continue_label()).
	 */
	signals[SIGNAL_CONTINUE] = g_signal_new("continue",
						G_TYPE_FROM_CLASS(klass),
						G_SIGNAL_RUN_LAST,
						0,
						NULL,
						NULL,
						NULL,
						G_TYPE_NONE,
						0);

	g_type_ensure(UB_TYPE_BUTTON_DRAWING);
	gtk_widget_class_set_template_from_resource(
	    widget_class, "/io/github/unbrick/Unbrick/ui/ub-mode-guide-window.ui");
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, window_title);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, stack);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, intro_drawing);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, intro_title);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, model_group);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, model_row);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, intro_list);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, step_label);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, instruction_label);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, detail_label);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, countdown_pair);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, countdown_drawing);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, seconds_label);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, progress_bar);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, outcome_page);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, again_button);
	gtk_widget_class_bind_template_child(widget_class, UbModeGuideWindow, done_button);
	gtk_widget_class_bind_template_callback(widget_class, model_selected_cb);
	gtk_widget_class_bind_template_callback(widget_class, start_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, stop_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, done_clicked_cb);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ub_mode_guide_window_init(UbModeGuideWindow *self)
{
	g_autoptr(GtkStringList) models = gtk_string_list_new(NULL);

	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_widget_set_layout_manager(
	    self->countdown_pair,
	    gtk_custom_layout_new(pair_request_mode, pair_measure, pair_allocate));
	ub_a11y_follow_stack(self->stack);
	self->clock = ub_clock_new_real();
	self->settings = g_settings_new(APP_ID_BASE);
	self->cue_player = ub_cue_player_new(self->settings);
	for (guint i = 0; i < G_N_ELEMENTS(model_choices); i++)
		gtk_string_list_append(models, _(model_choices[i].label));
	adw_combo_row_set_model(self->model_row, G_LIST_MODEL(models));
}

UbModeGuideWindow *
ub_mode_guide_window_new(GtkWindow *parent,
			 UbDeviceMonitor *monitor,
			 UbDevice *device,
			 UbGuideTarget target)
{
	UbModeGuideWindow *self;

	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(monitor), NULL);
	g_return_val_if_fail(device == NULL || UB_IS_DEVICE(device), NULL);

	self = g_object_new(UB_TYPE_MODE_GUIDE_WINDOW, "transient-for", parent, NULL);
	self->monitor = g_object_ref(monitor);
	self->device = device != NULL ? g_object_ref(device) : NULL;
	self->target = target;
	gtk_widget_set_visible(self->model_group, device == NULL);
	if (device != NULL) {
		UbButtonScheme scheme = ub_device_get_button_scheme(device);
		UbButtonLayout layout =
		    ub_guide_plan_get_button_layout(scheme, ub_device_get_product_type(device));

		set_guide(self, scheme, &layout, ub_device_get_name(device));
	} else {
		model_selected_cb(self);
	}
	return self;
}

UbModeGuide *
ub_mode_guide_window_get_guide(UbModeGuideWindow *self)
{
	g_return_val_if_fail(UB_IS_MODE_GUIDE_WINDOW(self), NULL);
	return self->guide;
}
