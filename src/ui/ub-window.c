/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-a11y.h"
#include "ub-device-page.h"
#include "ub-device-row.h"
#include "ub-mode-guide-window.h"
#include "ub-not-detected-page.h"
#include "ub-self-test.h"
#include "ub-window.h"

struct _UbWindow {
	AdwApplicationWindow parent_instance;

	UbContext *context;
	/* the context's, borrowed */
	UbDeviceMonitor *monitor;
	GSettings *settings;
	GHashTable *pages; /* UbDevice -> UbDevicePage */
	gchar *page_before_checks;
	/* UNBRICK_BENCH: timings for tests/bench, printed on stdout */
	gboolean bench;
	gboolean bench_first_frame_done;
	gint64 bench_device_added_at;
	UbDevice *bench_device;

	/* template widgets */
	AdwToastOverlay *toast_overlay;
	GtkButton *back_button;
	AdwWindowTitle *window_title;
	GtkStack *main_stack;
	GtkWidget *sidebar;
	GtkListBox *device_list;
	GtkStack *device_stack;
	UbNotDetectedPage *not_detected_page;
};

G_DEFINE_FINAL_TYPE(UbWindow, ub_window, ADW_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_CONTEXT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static gchar *
page_name_for_device(UbDevice *device)
{
	return g_strdup_printf("device-%p", (gpointer)device);
}

static UbDevice *
selected_device(UbWindow *self)
{
	GtkListBoxRow *row = gtk_list_box_get_selected_row(self->device_list);

	if (row == NULL)
		return NULL;
	return ub_device_row_get_device(UB_DEVICE_ROW(row));
}

static void
show_device_page(UbWindow *self, UbDevice *device)
{
	g_autofree gchar *name = NULL;

	if (device == NULL)
		return;
	name = page_name_for_device(device);
	gtk_stack_set_visible_child_name(self->device_stack, name);
}

static void
update_main_page(UbWindow *self)
{
	guint n_devices = g_list_model_get_n_items(G_LIST_MODEL(self->monitor));
	const gchar *visible = gtk_stack_get_visible_child_name(self->main_stack);

	gtk_widget_set_visible(self->sidebar, n_devices > 1);

	/* the checks stay open until the user leaves them, but a device that
	 * shows up while they read is what they were waiting for */
	if (g_strcmp0(visible, "not-detected") == 0 && n_devices == 0)
		return;
	if (g_strcmp0(visible, "not-detected") == 0) {
		gtk_widget_set_visible(GTK_WIDGET(self->back_button), FALSE);
		/* the title follows what is shown */
		adw_window_title_set_title(self->window_title, _("Unbrick"));
	}
	gtk_stack_set_visible_child_name(self->main_stack, n_devices > 0 ? "devices" : "empty");
}

static void
sync_pages(UbWindow *self)
{
	GListModel *model = G_LIST_MODEL(self->monitor);
	g_autoptr(GHashTable) present = g_hash_table_new(NULL, NULL);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	for (guint i = 0; i < g_list_model_get_n_items(model); i++) {
		g_autoptr(UbDevice) device = g_list_model_get_item(model, i);

		g_hash_table_add(present, device);
		if (!g_hash_table_contains(self->pages, device)) {
			g_autofree gchar *name = page_name_for_device(device);
			UbDevicePage *page = ub_device_page_new(self->context, device);
			gtk_stack_add_named(self->device_stack, GTK_WIDGET(page), name);
			g_hash_table_insert(self->pages, g_object_ref(device), page);
		}
	}

	g_hash_table_iter_init(&iter, self->pages);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!g_hash_table_contains(present, key)) {
			gtk_stack_remove(self->device_stack, GTK_WIDGET(value));
			g_hash_table_iter_remove(&iter);
		}
	}
}

static void
select_first_if_none(UbWindow *self)
{
	GtkListBoxRow *row;

	if (gtk_list_box_get_selected_row(self->device_list) != NULL)
		return;
	row = gtk_list_box_get_row_at_index(self->device_list, 0);
	if (row != NULL)
		gtk_list_box_select_row(self->device_list, row);
}

static void
bench_after_paint_cb(GdkFrameClock *clock, UbWindow *self)
{
	UbDevicePage *page;

	if (!self->bench_first_frame_done) {
		self->bench_first_frame_done = TRUE;
		g_print("first-frame-monotonic-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time());
	}
	if (self->bench_device == NULL)
		return;
	page = g_hash_table_lookup(self->pages, self->bench_device);
	if (page == NULL || !gtk_widget_get_mapped(GTK_WIDGET(page)))
		return;
	g_print("device-shown-us %" G_GINT64_FORMAT "\n",
		g_get_monotonic_time() - self->bench_device_added_at);
	self->bench_device = NULL;
}

static void
bench_realize_cb(UbWindow *self)
{
	GdkFrameClock *clock = gtk_widget_get_frame_clock(GTK_WIDGET(self));
	g_signal_connect_object(clock, "after-paint", G_CALLBACK(bench_after_paint_cb), self, 0);
}

static void
monitor_items_changed_cb(UbWindow *self, guint position, guint removed, guint added)
{
	if (self->bench && added > 0) {
		self->bench_device_added_at = g_get_monotonic_time();
		self->bench_device = g_list_model_get_item(G_LIST_MODEL(self->monitor), position);
		/* the monitor holds it; a weak pointer is all the bench needs */
		g_object_unref(self->bench_device);
	}
	sync_pages(self);
	select_first_if_none(self);
	show_device_page(self, selected_device(self));
	update_main_page(self);
}

static void
device_list_row_selected_cb(UbWindow *self, GtkListBoxRow *row)
{
	if (row != NULL)
		show_device_page(self, ub_device_row_get_device(UB_DEVICE_ROW(row)));
}

static GtkWidget *
create_row_cb(gpointer item, gpointer user_data)
{
	return GTK_WIDGET(ub_device_row_new(UB_DEVICE(item)));
}

void
ub_window_show_connection_checks(UbWindow *self)
{
	g_return_if_fail(UB_IS_WINDOW(self));

	g_free(self->page_before_checks);
	self->page_before_checks = g_strdup(gtk_stack_get_visible_child_name(self->main_stack));
	/* made on first use: most people never need it, and start-up is
	 * faster without its template */
	if (self->not_detected_page == NULL) {
		self->not_detected_page = g_object_new(UB_TYPE_NOT_DETECTED_PAGE, NULL);
		gtk_stack_add_named(
		    self->main_stack, GTK_WIDGET(self->not_detected_page), "not-detected");
	}
	gtk_stack_set_visible_child_name(self->main_stack, "not-detected");
	gtk_widget_set_visible(GTK_WIDGET(self->back_button), TRUE);
	adw_window_title_set_title(self->window_title, _("Connection Checks"));
	ub_not_detected_page_run_checks(self->not_detected_page);
}

static void
go_back(UbWindow *self)
{
	gtk_widget_set_visible(GTK_WIDGET(self->back_button), FALSE);
	adw_window_title_set_title(self->window_title, _("Unbrick"));
	gtk_stack_set_visible_child_name(self->main_stack, "empty");
	update_main_page(self);
}

static void
connection_checks_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	ub_window_show_connection_checks(UB_WINDOW(widget));
}

/* built on first use, not at start-up: GtkApplication's automatic
 * gtk/help-overlay.ui costs every launch a full GtkBuilder parse (about
 * 80 ms here, see tests/bench); GtkShortcutsWindow cannot be subclassed
 * for a template, so a builder it is */
static void
show_shortcuts_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	g_autoptr(GtkBuilder) builder =
	    gtk_builder_new_from_resource(RESOURCE_PATH "/ui/ub-shortcuts-window.ui");
	GtkWindow *shortcuts = GTK_WINDOW(gtk_builder_get_object(builder, "help_overlay"));

	gtk_window_set_transient_for(shortcuts, GTK_WINDOW(widget));
	gtk_window_present(shortcuts);
}

static void
go_back_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	UbWindow *self = UB_WINDOW(widget);

	/* only the checks page has a way back (Escape and Alt+Left go there) */
	if (g_strcmp0(gtk_stack_get_visible_child_name(self->main_stack), "not-detected") != 0)
		return;
	go_back(self);
}

void
ub_window_add_toast(UbWindow *self, const gchar *title)
{
	g_return_if_fail(UB_IS_WINDOW(self));
	g_return_if_fail(title != NULL);

	adw_toast_overlay_add_toast(self->toast_overlay, adw_toast_new(title));
}

void
ub_window_show_device(UbWindow *self, UbDevice *device)
{
	GListModel *model;

	g_return_if_fail(UB_IS_WINDOW(self));
	g_return_if_fail(UB_IS_DEVICE(device));

	model = G_LIST_MODEL(self->monitor);
	for (guint i = 0; i < g_list_model_get_n_items(model); i++) {
		g_autoptr(UbDevice) item = g_list_model_get_item(model, i);
		if (item == device) {
			gtk_list_box_select_row(
			    self->device_list,
			    gtk_list_box_get_row_at_index(self->device_list, (gint)i));
			break;
		}
	}
	if (g_strcmp0(gtk_stack_get_visible_child_name(self->main_stack), "not-detected") == 0)
		go_back(self);
}

static void
ub_window_constructed(GObject *object)
{
	UbWindow *self = UB_WINDOW(object);

	G_OBJECT_CLASS(ub_window_parent_class)->constructed(object);

	ub_a11y_follow_stack(self->main_stack);
	ub_a11y_follow_stack(self->device_stack);
	gtk_list_box_bind_model(
	    self->device_list, G_LIST_MODEL(self->monitor), create_row_cb, NULL, NULL);
	g_signal_connect_object(self->monitor,
				"items-changed",
				G_CALLBACK(monitor_items_changed_cb),
				self,
				G_CONNECT_SWAPPED | G_CONNECT_AFTER);
	monitor_items_changed_cb(self, 0, 0, 0);
}

static void
ub_window_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbWindow *self = UB_WINDOW(object);

	switch (prop_id) {
	case PROP_CONTEXT:
		g_value_set_object(value, self->context);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_window_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	UbWindow *self = UB_WINDOW(object);

	switch (prop_id) {
	case PROP_CONTEXT:
		self->context = g_value_dup_object(value);
		self->monitor = ub_context_get_monitor(self->context);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_window_dispose(GObject *object)
{
	UbWindow *self = UB_WINDOW(object);

	if (self->monitor != NULL)
		g_signal_handlers_disconnect_by_data(self->monitor, self);
	g_clear_pointer(&self->pages, g_hash_table_unref);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_WINDOW);
	self->monitor = NULL;
	g_clear_object(&self->context);
	g_clear_object(&self->settings);

	G_OBJECT_CLASS(ub_window_parent_class)->dispose(object);
}

static void
ub_window_finalize(GObject *object)
{
	UbWindow *self = UB_WINDOW(object);

	g_free(self->page_before_checks);

	G_OBJECT_CLASS(ub_window_parent_class)->finalize(object);
}

static void
close_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbWindow) self = user_data;

	/* the application holds itself while a restore runs: only the window goes */
	if (g_strcmp0(response, "close") == 0)
		gtk_window_destroy(GTK_WINDOW(self));
}

static gboolean
ub_window_close_request(GtkWindow *window)
{
	UbWindow *self = UB_WINDOW(window);
	GtkWidget *dialog;

	if (ub_restore_service_get_n_running(ub_context_get_restore_service(self->context)) == 0)
		return GTK_WINDOW_CLASS(ub_window_parent_class)->close_request(window);

	dialog = adw_message_dialog_new(
	    window,
	    _("A Restore Is Running"),
	    _("Closing the window does not stop it: Unbrick keeps working in the background "
	      "and tells you when it has finished. Keep the device connected until then."));
	adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(dialog),
					 "keep",
					 _("_Keep Window Open"),
					 "close",
					 _("_Close Window"),
					 NULL);
	adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(dialog), "keep");
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(dialog), "keep");
	g_signal_connect(dialog, "response", G_CALLBACK(close_response_cb), g_object_ref(window));
	gtk_window_present(GTK_WINDOW(dialog));
	return TRUE;
}

/* nothing detected: the user picks the model and the buttons do the rest */
static void
guide_recovery_action(GtkWidget *widget, const gchar *action_name, GVariant *parameter)
{
	UbWindow *self = UB_WINDOW(widget);
	UbModeGuideWindow *guide = ub_mode_guide_window_new(
	    GTK_WINDOW(self), self->monitor, NULL, UB_GUIDE_TARGET_RECOVERY);

	gtk_window_present(GTK_WINDOW(guide));
}

static void
ub_window_class_init(UbWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->constructed = ub_window_constructed;
	GTK_WINDOW_CLASS(klass)->close_request = ub_window_close_request;
	gtk_widget_class_install_action(
	    widget_class, "win.guide-recovery", NULL, guide_recovery_action);
	object_class->get_property = ub_window_get_property;
	object_class->set_property = ub_window_set_property;
	object_class->dispose = ub_window_dispose;
	object_class->finalize = ub_window_finalize;

	properties[PROP_CONTEXT] = g_param_spec_object("context",
						       NULL,
						       NULL,
						       UB_TYPE_CONTEXT,
						       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
							   G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	gtk_widget_class_set_template_from_resource(widget_class, RESOURCE_PATH "/ui/ub-window.ui");
	gtk_widget_class_bind_template_child(widget_class, UbWindow, toast_overlay);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, back_button);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, window_title);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, main_stack);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, sidebar);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, device_list);
	gtk_widget_class_bind_template_child(widget_class, UbWindow, device_stack);
	gtk_widget_class_bind_template_callback(widget_class, device_list_row_selected_cb);

	gtk_widget_class_install_action(
	    widget_class, "win.connection-checks", NULL, connection_checks_action);
	gtk_widget_class_install_action(widget_class, "win.go-back", NULL, go_back_action);
	gtk_widget_class_install_action(
	    widget_class, "win.show-help-overlay", NULL, show_shortcuts_action);
	gtk_widget_class_add_binding_action(
	    widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
	gtk_widget_class_add_binding_action(
	    widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.connection-checks", NULL);
	gtk_widget_class_add_binding_action(
	    widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "win.go-back", NULL);
	gtk_widget_class_add_binding_action(
	    widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
ub_window_init(UbWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));

	self->pages = g_hash_table_new_full(NULL, NULL, g_object_unref, NULL);
	self->settings = g_settings_new(APP_ID_BASE);
	g_settings_bind(
	    self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(
	    self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(
	    self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
	if (DEVELOPMENT_BUILD)
		gtk_widget_add_css_class(GTK_WIDGET(self), "devel");
	self->bench = ub_self_test_get(UB_SELF_TEST_BENCH) != NULL;
	if (self->bench)
		g_signal_connect(self, "realize", G_CALLBACK(bench_realize_cb), NULL);
}

UbWindow *
ub_window_new(AdwApplication *application, UbContext *context)
{
	g_return_val_if_fail(ADW_IS_APPLICATION(application), NULL);
	g_return_val_if_fail(UB_IS_CONTEXT(context), NULL);

	return g_object_new(UB_TYPE_WINDOW, "application", application, "context", context, NULL);
}
