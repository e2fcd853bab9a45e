/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-device-db.h"
#include "ub-preferences-window.h"

struct _UbPreferencesWindow {
	AdwPreferencesWindow parent_instance;

	UbFirmwareManager *manager;
	GSettings *settings;

	AdwActionRow *location_row;
	AdwActionRow *space_row;
	GtkListBox *stored_list;
	GtkWidget *delete_all_button;
	GtkSpinButton *connections_spin;
	GtkWidget *sounds_switch;
	AdwEntryRow *engine_path_row;
	AdwActionRow *engine_version_row;
	AdwActionRow *engine_reach_row;
	AdwActionRow *engine_ios_row;
	UbRestoreService *service;
};

G_DEFINE_FINAL_TYPE(UbPreferencesWindow, ub_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_error(UbPreferencesWindow *self, const GError *error)
{
	adw_preferences_window_add_toast(ADW_PREFERENCES_WINDOW(self),
					 adw_toast_new(error->message));
}

static void
delete_clicked_cb(GtkButton *button, UbPreferencesWindow *self)
{
	const gchar *path = g_object_get_data(G_OBJECT(button), "path");
	g_autoptr(GError) error = NULL;

	if (!ub_firmware_cache_delete(ub_firmware_manager_get_cache(self->manager), path, &error))
		show_error(self, error);
}

static GtkWidget *
create_stored_row(UbPreferencesWindow *self, const UbCachedFirmware *entry)
{
	GtkWidget *row = adw_action_row_new();
	GtkWidget *button = gtk_button_new_from_icon_name("user-trash-symbolic");
	g_autofree gchar *title = NULL;
	g_autofree gchar *size = g_format_size(entry->size);
	g_autofree gchar *devices = NULL;
	g_autofree gchar *subtitle = NULL;

	/* TRANSLATORS: "iOS 18.6.2 (22G100)" */
	title = g_strdup_printf(
	    _("iOS %s (%s)"), entry->version != NULL ? entry->version : "?", entry->build);
	devices =
	    entry->product_types != NULL ? g_strjoinv(", ", entry->product_types) : g_strdup("");
	subtitle = g_strdup_printf("%s · %s · %s",
				   devices,
				   size,
				   entry->sha256 != NULL || entry->sha1 != NULL
				       ? _("verified")
				       : _("checked against the device only"));
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(row), subtitle);
	gtk_widget_set_valign(button, GTK_ALIGN_CENTER);
	gtk_widget_add_css_class(button, "flat");
	gtk_widget_set_tooltip_text(button, _("Delete"));
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete"), -1);
	g_object_set_data_full(G_OBJECT(button), "path", g_strdup(entry->path), g_free);
	g_signal_connect(button, "clicked", G_CALLBACK(delete_clicked_cb), self);
	adw_action_row_add_suffix(ADW_ACTION_ROW(row), button);
	return row;
}

static void
refresh(UbPreferencesWindow *self)
{
	UbFirmwareCache *cache = ub_firmware_manager_get_cache(self->manager);
	GPtrArray *entries = ub_firmware_cache_list(cache);
	g_autofree gchar *free_space = g_format_size(ub_firmware_cache_get_free_space(cache));
	GtkWidget *child;

	adw_action_row_set_subtitle(self->location_row, ub_firmware_cache_get_root(cache));
	adw_action_row_set_subtitle(self->space_row, free_space);
	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->stored_list))) != NULL)
		gtk_list_box_remove(self->stored_list, child);
	for (guint i = 0; entries != NULL && i < entries->len; i++)
		gtk_list_box_append(self->stored_list,
				    create_stored_row(self, g_ptr_array_index(entries, i)));
	if (entries == NULL || entries->len == 0) {
		GtkWidget *row = adw_action_row_new();
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row),
					      _("Nothing downloaded yet"));
		gtk_list_box_append(self->stored_list, row);
	}
	gtk_widget_set_sensitive(self->delete_all_button, entries != NULL && entries->len > 0);
}

static void
delete_all_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	g_autoptr(UbPreferencesWindow) self = user_data;
	UbFirmwareCache *cache = ub_firmware_manager_get_cache(self->manager);
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *entries = ub_firmware_cache_list(cache);

	if (g_strcmp0(response, "delete") != 0)
		return;
	/* copy first: every delete changes the list */
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		const UbCachedFirmware *entry = g_ptr_array_index(entries, i);
		g_ptr_array_add(paths, g_strdup(entry->path));
	}
	for (guint i = 0; i < paths->len; i++) {
		g_autoptr(GError) error = NULL;
		if (!ub_firmware_cache_delete(cache, g_ptr_array_index(paths, i), &error))
			show_error(self, error);
	}
}

static void
delete_all_clicked_cb(UbPreferencesWindow *self)
{
	GtkWidget *dialog =
	    adw_message_dialog_new(GTK_WINDOW(self),
				   _("Delete All Downloaded Firmware?"),
				   _("The files are downloaded again when a restore "
				     "needs them. Firmware a restore is using now is "
				     "kept."));

	adw_message_dialog_add_responses(
	    ADW_MESSAGE_DIALOG(dialog), "cancel", _("_Cancel"), "delete", _("_Delete All"), NULL);
	adw_message_dialog_set_response_appearance(
	    ADW_MESSAGE_DIALOG(dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(dialog), "cancel");
	g_signal_connect(
	    dialog, "response", G_CALLBACK(delete_all_response_cb), g_object_ref(self));
	gtk_window_present(GTK_WINDOW(dialog));
}

/* the newest iPhone and the newest iPad of the model table this engine can restore */
static gchar *
dup_newest_models(UbEngineInfo *info)
{
	const UbDeviceModel *iphone = ub_engine_info_get_newest_model(info, "iPhone");
	const UbDeviceModel *ipad = ub_engine_info_get_newest_model(info, "iPad");

	if (iphone == NULL && ipad == NULL)
		return g_strdup(_("None of the models Unbrick knows"));
	if (iphone == NULL || ipad == NULL)
		return g_strdup(iphone != NULL ? iphone->name : ipad->name);
	/* TRANSLATORS: the newest iPhone, then the newest iPad */
	return g_strdup_printf(_("%s, %s"), iphone->name, ipad->name);
}

/* "1.0.1, with changes up to June 2024": Debian's builds all say 1.0.1 */
static gchar *
dup_version_text(UbEngineInfo *info)
{
	const gchar *version = ub_engine_info_get_version(info);
	const gchar *generation = ub_engine_info_get_generation(info);
	g_autoptr(GDateTime) month = NULL;
	g_autofree gchar *iso = NULL;
	g_autofree gchar *month_text = NULL;

	if (generation == NULL || ub_engine_info_get_commits(info) > 0 ||
	    g_strcmp0(version, "1.0.0") == 0)
		return g_strdup(version);
	iso = g_strconcat(generation, "-01T00:00:00Z", NULL);
	month = g_date_time_new_from_iso8601(iso, NULL);
	if (month == NULL)
		return g_strdup(version);
	month_text = g_date_time_format(month, "%B %Y");
	/* TRANSLATORS: the first %s is a version ("1.0.1"), the second a
	 * month ("June 2024"): the newest change Unbrick found in the program */
	return g_strdup_printf(_("%s, with changes up to %s"), version, month_text);
}

static gchar *
dup_newest_ios(UbEngineInfo *info)
{
	guint newest = ub_engine_info_get_newest_ios(info);

	if (newest == 0)
		return g_strdup(_("Unbrick can’t tell for this build"));
	/* TRANSLATORS: %u is an iOS version, 18 */
	return g_strdup_printf(_("iOS %u"), newest);
}

static void
engine_changed_cb(UbPreferencesWindow *self)
{
	UbEngineInfo *info = ub_restore_service_get_engine_info(self->service);
	const GError *error = ub_restore_service_get_engine_error(self->service);
	g_autofree gchar *path = ub_restore_service_dup_engine_path(self->service);
	g_autofree gchar *reach = NULL;
	g_autofree gchar *version = NULL;
	g_autofree gchar *ios = NULL;

	gtk_editable_set_text(GTK_EDITABLE(self->engine_path_row), path);
	if (info == NULL) {
		adw_action_row_set_subtitle(self->engine_version_row,
					    error != NULL ? error->message
							  : _("Looking for the program…"));
		adw_action_row_set_subtitle(
		    self->engine_reach_row,
		    _("Install idevicerestore, or use Unbrick from Flathub, "
		      "which includes a current one."));
		adw_action_row_set_subtitle(self->engine_ios_row, "");
		return;
	}
	reach = dup_newest_models(info);
	version = dup_version_text(info);
	ios = dup_newest_ios(info);
	adw_action_row_set_subtitle(self->engine_version_row, version);
	adw_action_row_set_subtitle(self->engine_reach_row, reach);
	adw_action_row_set_subtitle(self->engine_ios_row, ios);
}

static void
engine_path_apply_cb(UbPreferencesWindow *self)
{
	g_autofree gchar *text =
	    g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->engine_path_row))));

	/* the plain name means "look it up on PATH", which is what empty stores */
	g_settings_set_string(
	    self->settings, "engine-path", g_strcmp0(text, "idevicerestore") == 0 ? "" : text);
}

static void
ub_preferences_window_dispose(GObject *object)
{
	UbPreferencesWindow *self = UB_PREFERENCES_WINDOW(object);

	g_clear_object(&self->service);

	if (self->manager != NULL)
		g_signal_handlers_disconnect_by_data(ub_firmware_manager_get_cache(self->manager),
						     self);
	g_clear_object(&self->manager);
	g_clear_object(&self->settings);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_PREFERENCES_WINDOW);

	G_OBJECT_CLASS(ub_preferences_window_parent_class)->dispose(object);
}

static void
ub_preferences_window_class_init(UbPreferencesWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_preferences_window_dispose;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-preferences-window.ui");
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, location_row);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, space_row);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, stored_list);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, delete_all_button);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, connections_spin);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, sounds_switch);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, engine_path_row);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, engine_version_row);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, engine_reach_row);
	gtk_widget_class_bind_template_child(widget_class, UbPreferencesWindow, engine_ios_row);
	gtk_widget_class_bind_template_callback(widget_class, engine_path_apply_cb);
	gtk_widget_class_bind_template_callback(widget_class, delete_all_clicked_cb);
}

static void
ub_preferences_window_init(UbPreferencesWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->settings = g_settings_new(APP_ID_BASE);
	g_settings_bind(self->settings,
			"download-connections",
			gtk_spin_button_get_adjustment(self->connections_spin),
			"value",
			G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(self->settings,
			"sounds-enabled",
			self->sounds_switch,
			"active",
			G_SETTINGS_BIND_DEFAULT);
}

UbPreferencesWindow *
ub_preferences_window_new(GtkWindow *parent, UbFirmwareManager *manager, UbRestoreService *service)
{
	UbPreferencesWindow *self;

	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(manager), NULL);
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(service), NULL);

	self = g_object_new(UB_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
	self->manager = g_object_ref(manager);
	g_signal_connect_object(ub_firmware_manager_get_cache(manager),
				"changed",
				G_CALLBACK(refresh),
				self,
				G_CONNECT_SWAPPED);
	self->service = g_object_ref(service);
	g_signal_connect_object(
	    service, "engine-changed", G_CALLBACK(engine_changed_cb), self, G_CONNECT_SWAPPED);
	refresh(self);
	engine_changed_cb(self);
	return self;
}
