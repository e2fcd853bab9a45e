/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-file-hash.h"
#include "ub-firmware-panel.h"
#include "ub-firmware-row.h"
#include "ub-ipsw.h"
#include "ub-mode-text.h"
#include "ub-toast.h"

struct _UbFirmwarePanel {
	AdwBin parent_instance;

	UbFirmwareManager *manager;
	UbDevice *device;
	GCancellable *cancellable;
	GPtrArray *firmwares; /* of UbFirmware, newest first */
	gchar *loaded_product_type;
	GtkFileChooserNative *chooser;

	AdwPreferencesGroup *group;
	GtkWidget *file_button;
	GtkWidget *status_list;
	AdwActionRow *status_row;
	GtkSpinner *status_spinner;
	GtkWidget *status_icon;
	GtkWidget *retry_button;
	GtkListBox *firmware_list;
	GtkWidget *options_list;
	GtkSwitch *unsigned_switch;
};

G_DEFINE_FINAL_TYPE(UbFirmwarePanel, ub_firmware_panel, ADW_TYPE_BIN)

/* one status line above the list: busy (spinner), a warning, or nothing */
static void
set_status(UbFirmwarePanel *self,
	   gboolean busy,
	   const gchar *title,
	   const gchar *subtitle,
	   gboolean can_retry)
{
	if (self->status_list == NULL)
		return;
	gtk_widget_set_visible(self->status_list, title != NULL);
	if (title == NULL) {
		gtk_spinner_stop(self->status_spinner);
		return;
	}
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->status_row), title);
	adw_action_row_set_subtitle(self->status_row, subtitle != NULL ? subtitle : "");
	gtk_widget_set_visible(GTK_WIDGET(self->status_spinner), busy);
	gtk_spinner_set_spinning(self->status_spinner, busy);
	gtk_widget_set_visible(self->status_icon, !busy);
	gtk_widget_set_visible(self->retry_button, can_retry);
}

static void
clear_rows(UbFirmwarePanel *self)
{
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->firmware_list))) != NULL)
		gtk_list_box_remove(self->firmware_list, child);
}

static void
populate(UbFirmwarePanel *self)
{
	gboolean show_unsigned = gtk_switch_get_active(self->unsigned_switch);
	gboolean recommended_done = FALSE;
	guint n_rows = 0;

	clear_rows(self);
	for (guint i = 0; self->firmwares != NULL && i < self->firmwares->len; i++) {
		UbFirmware *firmware = g_ptr_array_index(self->firmwares, i);
		gboolean is_signed = ub_firmware_get_signed(firmware);
		/* newest signed build: what Apple would install today */
		gboolean recommended = is_signed && !recommended_done;

		if (!is_signed && !show_unsigned)
			continue;
		recommended_done = recommended_done || recommended;
		gtk_list_box_append(
		    self->firmware_list,
		    GTK_WIDGET(ub_firmware_row_new(self->manager, firmware, recommended)));
		n_rows++;
	}
	if (self->firmwares != NULL && !recommended_done) {
		GtkWidget *row = adw_action_row_new();
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row),
					      _("Apple isn’t signing any version for this "
						"device right now"));
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row),
					    _("A restore can only install a version Apple signs. "
					      "Check again later."));
		gtk_list_box_prepend(self->firmware_list, row);
		n_rows++;
	}
	gtk_widget_set_visible(GTK_WIDGET(self->firmware_list), n_rows > 0);
	gtk_widget_set_visible(self->options_list, self->firmwares != NULL);
}

static gchar *
describe_age(GDateTime *fetched_at)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	GTimeSpan age;

	if (fetched_at == NULL)
		return g_strdup(_("an earlier visit"));
	age = g_date_time_difference(now, fetched_at);
	if (age < G_TIME_SPAN_HOUR)
		return g_strdup(_("less than an hour ago"));
	if (age < G_TIME_SPAN_DAY)
		return g_strdup_printf(
		    ngettext("%u hour ago", "%u hours ago", (gulong)(age / G_TIME_SPAN_HOUR)),
		    (guint)(age / G_TIME_SPAN_HOUR));
	return g_strdup_printf(
	    ngettext("%u day ago", "%u days ago", (gulong)(age / G_TIME_SPAN_DAY)),
	    (guint)(age / G_TIME_SPAN_DAY));
}

static void
list_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbFirmwarePanel) self = user_data;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GDateTime) fetched_at = NULL;
	g_autoptr(GError) error = NULL;
	gboolean is_cached = FALSE;

	firmwares = ub_firmware_catalog_list_finish(
	    UB_FIRMWARE_CATALOG(source), result, &is_cached, &fetched_at, &error);
	if (firmwares == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
		    self->firmware_list == NULL)
			return;
		set_status(
		    self, FALSE, _("Couldn’t get the list of iOS versions"), error->message, TRUE);
		return;
	}
	if (self->firmware_list == NULL)
		return;
	g_clear_pointer(&self->firmwares, g_ptr_array_unref);
	self->firmwares = g_steal_pointer(&firmwares);
	if (is_cached) {
		g_autofree gchar *age = describe_age(fetched_at);
		/* TRANSLATORS: %s says when, e.g. "3 days ago" */
		g_autofree gchar *title =
		    g_strdup_printf(_("Offline — showing the list from %s"), age);
		set_status(self,
			   FALSE,
			   title,
			   _("Which versions Apple signs may have changed since."),
			   TRUE);
	} else {
		set_status(self, FALSE, NULL, NULL, FALSE);
	}
	populate(self);
}

static void
load(UbFirmwarePanel *self)
{
	const gchar *product_type = ub_device_get_product_type(self->device);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	g_free(self->loaded_product_type);
	self->loaded_product_type = g_strdup(product_type);

	if (product_type == NULL) {
		set_status(self,
			   FALSE,
			   _("Unbrick doesn’t know this model yet"),
			   _("Its firmware can’t be looked up. An IPSW file you choose is "
			     "still checked against the device."),
			   FALSE);
		return;
	}
	set_status(self, TRUE, _("Getting the list of iOS versions…"), NULL, FALSE);
	ub_firmware_catalog_list_async(ub_firmware_manager_get_catalog(self->manager),
				       product_type,
				       self->cancellable,
				       list_done_cb,
				       g_object_ref(self));
}

static void
device_product_type_cb(UbFirmwarePanel *self)
{
	if (g_strcmp0(self->loaded_product_type, ub_device_get_product_type(self->device)) != 0)
		load(self);
}

static void
retry_clicked_cb(UbFirmwarePanel *self)
{
	load(self);
}

static void
unsigned_toggled_cb(UbFirmwarePanel *self)
{
	populate(self);
}

/* --- a user's own IPSW file ------------------------------------------- */

typedef struct {
	gchar *path;
	gchar *product_type;
	gchar *hardware_model;
	UbFirmware *known; /* the catalog's entry for the same build, if any */
	UbIpsw *ipsw;
	UbHashKind kind;
} FileJob;

static void
file_job_free(FileJob *job)
{
	g_free(job->path);
	g_free(job->product_type);
	g_free(job->hardware_model);
	g_clear_object(&job->known);
	g_clear_object(&job->ipsw);
	g_free(job);
}

static void
file_failed(UbFirmwarePanel *self, const gchar *title, const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	set_status(self, FALSE, title, error->message, FALSE);
	gtk_widget_set_sensitive(self->file_button, TRUE);
}

static void
import_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbFirmwarePanel) self = user_data;
	g_autoptr(GError) error = NULL;

	if (!ub_firmware_cache_import_finish(UB_FIRMWARE_CACHE(source), result, &error)) {
		file_failed(self, _("Couldn’t add the IPSW file"), error);
		return;
	}
	if (self->firmware_list == NULL)
		return;
	gtk_widget_set_sensitive(self->file_button, TRUE);
	set_status(self, FALSE, NULL, NULL, FALSE);
	ub_toast_show(GTK_WIDGET(self), _("The IPSW file is checked and ready"));
	populate(self);
}

static void
import_file(UbFirmwarePanel *self, FileJob *job, const gchar *sha256, const gchar *sha1)
{
	set_status(self, TRUE, _("Adding the file to Unbrick’s firmware folder…"), NULL, FALSE);
	ub_firmware_cache_import_async(ub_firmware_manager_get_cache(self->manager),
				       job->path,
				       ub_ipsw_get_build(job->ipsw),
				       ub_ipsw_get_version(job->ipsw),
				       ub_ipsw_get_product_types(job->ipsw),
				       sha256,
				       sha1,
				       self->cancellable,
				       import_done_cb,
				       g_object_ref(self));
}

static void
hash_progress_cb(guint64 done, guint64 total, gpointer user_data)
{
	UbFirmwarePanel *self = user_data;
	g_autofree gchar *subtitle = ub_mode_text_dup_amount(done, total);

	if (self->status_row != NULL)
		adw_action_row_set_subtitle(self->status_row, subtitle);
}

typedef struct {
	UbFirmwarePanel *self;
	FileJob *job;
} HashContext;

static void
hash_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	HashContext *context = user_data;
	g_autoptr(UbFirmwarePanel) self = context->self;
	FileJob *job = context->job;
	g_autofree gchar *digest = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *expected;

	g_free(context);
	digest = ub_file_hash_finish(result, &error);
	if (digest == NULL) {
		file_failed(self, _("Couldn’t read the IPSW file"), error);
		file_job_free(job);
		return;
	}
	expected = job->kind == UB_HASH_SHA256 ? ub_firmware_get_sha256(job->known)
					       : ub_firmware_get_sha1(job->known);
	if (g_strcmp0(digest, expected) != 0) {
		g_autoptr(GError) mismatch =
		    g_error_new(G_IO_ERROR,
				G_IO_ERROR_FAILED,
				_("It is not the file Apple published for %s: it may be damaged "
				  "or changed. Download it again, or let Unbrick download it."),
				ub_ipsw_get_build(job->ipsw));
		file_failed(self, _("This IPSW file doesn’t match Apple’s"), mismatch);
		file_job_free(job);
		return;
	}
	import_file(self,
		    job,
		    job->kind == UB_HASH_SHA256 ? digest : NULL,
		    job->kind == UB_HASH_SHA1 ? digest : NULL);
	file_job_free(job);
}

static UbFirmware *
find_build(UbFirmwarePanel *self, const gchar *build)
{
	for (guint i = 0; self->firmwares != NULL && i < self->firmwares->len; i++) {
		UbFirmware *firmware = g_ptr_array_index(self->firmwares, i);
		if (g_strcmp0(ub_firmware_get_build(firmware), build) == 0)
			return firmware;
	}
	return NULL;
}

static void
open_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	FileJob *job = task_data;
	GError *error = NULL;

	job->ipsw = ub_ipsw_open(job->path, &error);
	if (job->ipsw == NULL ||
	    !ub_ipsw_check_device(job->ipsw, job->product_type, job->hardware_model, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
open_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(UbFirmwarePanel) self = user_data;
	FileJob *job = g_task_get_task_data(G_TASK(result));
	g_autoptr(GError) error = NULL;
	UbFirmware *known;
	HashContext *context;

	/* the job outlives the task: it goes on through hashing and import */
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		file_failed(self, _("This file can’t be used for this device"), error);
		file_job_free(job);
		return;
	}
	if (self->firmware_list == NULL) {
		file_job_free(job);
		return;
	}

	known = find_build(self, ub_ipsw_get_build(job->ipsw));
	if (known == NULL ||
	    (ub_firmware_get_sha256(known) == NULL && ub_firmware_get_sha1(known) == NULL)) {
		/* the manifest matched the device; there is no published
		 * checksum to compare with */
		import_file(self, job, NULL, NULL);
		file_job_free(job);
		return;
	}
	job->known = g_object_ref(known);
	job->kind = ub_firmware_get_sha256(known) != NULL ? UB_HASH_SHA256 : UB_HASH_SHA1;
	set_status(self, TRUE, _("Checking the file against Apple’s checksum…"), NULL, FALSE);
	context = g_new0(HashContext, 1);
	context->self = g_object_ref(self);
	context->job = job;
	ub_file_hash_async(
	    job->path, job->kind, hash_progress_cb, self, self->cancellable, hash_done_cb, context);
}

static void
chooser_response_cb(GtkNativeDialog *dialog, gint response, gpointer user_data)
{
	g_autoptr(UbFirmwarePanel) self = user_data;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GTask) task = NULL;
	FileJob *job;

	if (response != GTK_RESPONSE_ACCEPT)
		return;
	file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
	if (file == NULL || g_file_peek_path(file) == NULL)
		return;

	job = g_new0(FileJob, 1);
	job->path = g_file_get_path(file);
	job->product_type = g_strdup(ub_device_get_product_type(self->device));
	job->hardware_model = g_strdup(ub_device_get_hardware_model(self->device));
	gtk_widget_set_sensitive(self->file_button, FALSE);
	set_status(self, TRUE, _("Reading the IPSW file…"), NULL, FALSE);
	task = g_task_new(NULL, self->cancellable, open_done_cb, g_object_ref(self));
	g_task_set_source_tag(task, chooser_response_cb);
	g_task_set_task_data(task, job, NULL);
	g_task_run_in_thread(task, open_thread);
}

static void
file_clicked_cb(UbFirmwarePanel *self)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));
	g_autoptr(GtkFileFilter) filter = gtk_file_filter_new();

	/* native, so it goes through the file chooser portal in a Flatpak */
	g_clear_object(&self->chooser);
	self->chooser = gtk_file_chooser_native_new(_("Choose an IPSW File"),
						    GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL,
						    GTK_FILE_CHOOSER_ACTION_OPEN,
						    _("_Open"),
						    _("_Cancel"));
	gtk_file_filter_set_name(filter, _("iOS firmware (IPSW)"));
	gtk_file_filter_add_pattern(filter, "*.ipsw");
	gtk_file_filter_add_pattern(filter, "*.IPSW");
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(self->chooser), filter);
	g_signal_connect(
	    self->chooser, "response", G_CALLBACK(chooser_response_cb), g_object_ref(self));
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(self->chooser));
}

static void
ub_firmware_panel_dispose(GObject *object)
{
	UbFirmwarePanel *self = UB_FIRMWARE_PANEL(object);

	g_cancellable_cancel(self->cancellable);
	if (self->device != NULL)
		g_signal_handlers_disconnect_by_data(self->device, self);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->device);
	g_clear_object(&self->manager);
	g_clear_object(&self->chooser);
	g_clear_pointer(&self->firmwares, g_ptr_array_unref);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_FIRMWARE_PANEL);

	G_OBJECT_CLASS(ub_firmware_panel_parent_class)->dispose(object);
}

static void
ub_firmware_panel_finalize(GObject *object)
{
	UbFirmwarePanel *self = UB_FIRMWARE_PANEL(object);

	g_free(self->loaded_product_type);

	G_OBJECT_CLASS(ub_firmware_panel_parent_class)->finalize(object);
}

static void
ub_firmware_panel_class_init(UbFirmwarePanelClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_firmware_panel_dispose;
	object_class->finalize = ub_firmware_panel_finalize;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-firmware-panel.ui");
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, group);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, file_button);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, status_list);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, status_row);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, status_spinner);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, status_icon);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, retry_button);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, firmware_list);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, options_list);
	gtk_widget_class_bind_template_child(widget_class, UbFirmwarePanel, unsigned_switch);
	gtk_widget_class_bind_template_callback(widget_class, file_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, retry_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, unsigned_toggled_cb);
}

static void
ub_firmware_panel_init(UbFirmwarePanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->cancellable = g_cancellable_new();
}

UbFirmwarePanel *
ub_firmware_panel_new(UbFirmwareManager *manager, UbDevice *device)
{
	UbFirmwarePanel *self;
	g_autofree gchar *description = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(manager), NULL);
	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_PANEL, NULL);
	self->manager = g_object_ref(manager);
	self->device = g_object_ref(device);
	/* TRANSLATORS: %s is the device name, e.g. "iPhone 13 Pro" */
	description = g_strdup_printf(_("The versions of iOS Apple signs for this %s. A restore "
					"uses the recommended one."),
				      ub_device_get_name(device));
	adw_preferences_group_set_description(self->group, description);
	g_signal_connect_object(device,
				"notify::product-type",
				G_CALLBACK(device_product_type_cb),
				self,
				G_CONNECT_SWAPPED);
	load(self);
	return self;
}
