/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-context"

#include "config.h"

#include "ub-context.h"
#include "ub-device-db.h"

struct _UbContext {
	GObject parent_instance;

	GSettings *settings;
	UbDeviceMonitor *monitor;
	UbFirmwareManager *firmware_manager;
	UbRestoreService *restore_service;
};

G_DEFINE_FINAL_TYPE(UbContext, ub_context, G_TYPE_OBJECT)

static gchar *
default_firmware_dir(void)
{
	return g_build_filename(g_get_user_cache_dir(), "unbrick", "firmware", NULL);
}

/* the first usable firmware folder: the configured one, the default, or,
 * when even the cache folder is unusable (a full or read-only disk), one
 * that lasts this session, so downloads still work; each fallback says why */
static UbFirmwareCache *
create_firmware_cache(GSettings *settings)
{
	g_autofree gchar *configured = g_settings_get_string(settings, "firmware-dir");
	g_autofree gchar *firmware_dir =
	    configured[0] != '\0' ? g_steal_pointer(&configured) : default_firmware_dir();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *temporary = NULL;
	UbFirmwareCache *cache;

	cache = ub_firmware_cache_new(firmware_dir, &error);
	if (cache != NULL)
		return cache;
	g_warning("firmware folder %s cannot be used, using the default: %s",
		  firmware_dir,
		  error->message);
	g_clear_error(&error);
	g_free(firmware_dir);
	firmware_dir = default_firmware_dir();
	cache = ub_firmware_cache_new(firmware_dir, &error);
	if (cache != NULL)
		return cache;
	temporary = g_dir_make_tmp("unbrick-firmware-XXXXXX", NULL);
	g_warning(
	    "no usable firmware folder (%s), using %s for this session", error->message, temporary);
	return ub_firmware_cache_new(temporary, NULL);
}

static void
connections_changed_cb(GSettings *settings, const gchar *key, UbContext *self)
{
	ub_firmware_manager_set_connections(self->firmware_manager,
					    g_settings_get_uint(settings, "download-connections"));
}

/* firmware lives in the user's cache folder unless the settings say where;
 * the catalog's last answers sit beside it for offline use */
static UbFirmwareManager *
create_firmware_manager(UbContext *self)
{
	g_autofree gchar *catalog_url = g_settings_get_string(self->settings, "catalog-url");
	g_autofree gchar *apple_url = g_settings_get_string(self->settings, "apple-catalog-url");
	g_autofree gchar *catalog_dir =
	    g_build_filename(g_get_user_cache_dir(), "unbrick", "catalog", NULL);
	g_autoptr(UbFirmwareCatalog) catalog =
	    ub_firmware_catalog_new(catalog_url, apple_url, catalog_dir);
	g_autoptr(UbFirmwareCache) cache = create_firmware_cache(self->settings);
	UbFirmwareManager *manager = ub_firmware_manager_new(catalog, cache);

	ub_firmware_manager_set_connections(
	    manager, g_settings_get_uint(self->settings, "download-connections"));
	return manager;
}

GSettings *
ub_context_get_settings(UbContext *self)
{
	g_return_val_if_fail(UB_IS_CONTEXT(self), NULL);
	return self->settings;
}

UbDeviceMonitor *
ub_context_get_monitor(UbContext *self)
{
	g_return_val_if_fail(UB_IS_CONTEXT(self), NULL);
	return self->monitor;
}

UbFirmwareManager *
ub_context_get_firmware_manager(UbContext *self)
{
	g_return_val_if_fail(UB_IS_CONTEXT(self), NULL);
	return self->firmware_manager;
}

UbRestoreService *
ub_context_get_restore_service(UbContext *self)
{
	g_return_val_if_fail(UB_IS_CONTEXT(self), NULL);
	return self->restore_service;
}

static void
ub_context_dispose(GObject *object)
{
	UbContext *self = UB_CONTEXT(object);

	/* the service first: its jobs hold devices of the monitor */
	g_clear_object(&self->restore_service);
	g_clear_object(&self->monitor);
	g_clear_object(&self->firmware_manager);
	g_clear_object(&self->settings);

	G_OBJECT_CLASS(ub_context_parent_class)->dispose(object);
}

static void
ub_context_class_init(UbContextClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = ub_context_dispose;
}

static void
ub_context_init(UbContext *self)
{
}

UbContext *
ub_context_new(GSettings *settings, GApplication *application, UbInhibitor *inhibitor)
{
	UbContext *self;

	g_return_val_if_fail(G_IS_SETTINGS(settings), NULL);

	self = g_object_new(UB_TYPE_CONTEXT, NULL);
	self->settings = g_object_ref(settings);
	self->monitor = ub_device_monitor_new(ub_device_db_get_default());
	ub_device_monitor_set_grace_period(
	    self->monitor, g_settings_get_uint(settings, "disconnected-grace-seconds") * 1000);
	self->firmware_manager = create_firmware_manager(self);
	g_signal_connect_object(
	    settings, "changed::download-connections", G_CALLBACK(connections_changed_cb), self, 0);
	self->restore_service = ub_restore_service_new(
	    application, inhibitor, self->monitor, self->firmware_manager, settings);
	return self;
}
