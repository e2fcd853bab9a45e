/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-manager"

#include "config.h"

#include "ub-error.h"
#include "ub-firmware-manager.h"
#include "ub-ipsw.h"

struct _UbFirmwareManager {
	GObject parent_instance;

	UbFirmwareCatalog *catalog;
	UbFirmwareCache *cache;
	GListStore *downloads; /* of UbDownload */
	GHashTable *by_path;   /* destination path -> UbDownload (borrowed) */
	GHashTable *firmware;  /* UbDownload -> UbFirmware (owned) */
	guint connections;
};

G_DEFINE_FINAL_TYPE(UbFirmwareManager, ub_firmware_manager, G_TYPE_OBJECT)

enum { SIGNAL_DOWNLOAD_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
remove_download(UbFirmwareManager *self, UbDownload *download)
{
	guint position;

	g_hash_table_remove(self->by_path, ub_download_get_dest_path(download));
	if (g_list_store_find(self->downloads, download, &position))
		g_list_store_remove(self->downloads, position);
}

typedef struct {
	UbFirmwareManager *manager;
	UbFirmware *firmware;
	gchar *path;
	GStrv product_types; /* from the manifest, when it could be read */
} RegisterJob;

static void
register_job_free(RegisterJob *job)
{
	g_object_unref(job->manager);
	g_object_unref(job->firmware);
	g_free(job->path);
	g_strfreev(job->product_types);
	g_free(job);
}

/* opening a multi-gigabyte zip checks every member header: a worker's job */
static void
read_product_types_thread(GTask *task,
			  gpointer source,
			  gpointer task_data,
			  GCancellable *cancellable)
{
	RegisterJob *job = task_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbIpsw) ipsw = ub_ipsw_open(job->path, &error);

	if (ipsw == NULL)
		g_warning("a verified download is not a readable IPSW: %s", error->message);
	else if (ub_ipsw_get_product_types(ipsw) != NULL)
		job->product_types = g_strdupv((gchar **)ub_ipsw_get_product_types(ipsw));
	g_task_return_boolean(task, TRUE);
}

/* a verified file joins the store under every product type its manifest
 * lists, so another model that shares the IPSW finds it too */
static void
read_product_types_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RegisterJob *job = g_task_get_task_data(G_TASK(result));
	const gchar *fallback[] = {ub_firmware_get_product_type(job->firmware), NULL};
	g_autoptr(GError) error = NULL;

	if (!ub_firmware_cache_add_verified(
		job->manager->cache,
		job->path,
		ub_firmware_get_build(job->firmware),
		ub_firmware_get_version(job->firmware),
		job->product_types != NULL ? (const gchar *const *)job->product_types : fallback,
		ub_firmware_get_sha256(job->firmware),
		ub_firmware_get_sha1(job->firmware),
		&error))
		g_warning(
		    "failed to record %s in the firmware store: %s", job->path, error->message);
}

static void
register_verified(UbFirmwareManager *self, UbDownload *download, UbFirmware *firmware)
{
	g_autoptr(GTask) task = g_task_new(NULL, NULL, read_product_types_cb, NULL);
	RegisterJob *job = g_new0(RegisterJob, 1);

	job->manager = g_object_ref(self);
	job->firmware = g_object_ref(firmware);
	job->path = g_strdup(ub_download_get_dest_path(download));
	g_task_set_source_tag(task, register_verified);
	g_task_set_task_data(task, job, (GDestroyNotify)register_job_free);
	g_task_run_in_thread(task, read_product_types_thread);
}

static void
download_state_cb(UbDownload *download, GParamSpec *pspec, UbFirmwareManager *self)
{
	UbFirmware *firmware = g_hash_table_lookup(self->firmware, download);

	switch (ub_download_get_state(download)) {
	case UB_DOWNLOAD_STATE_DONE:
		if (firmware != NULL)
			register_verified(self, download, firmware);
		g_signal_emit(self, signals[SIGNAL_DOWNLOAD_FINISHED], 0, firmware, download);
		remove_download(self, download);
		break;
	case UB_DOWNLOAD_STATE_FAILED:
	case UB_DOWNLOAD_STATE_CANCELLED:
		g_signal_emit(self, signals[SIGNAL_DOWNLOAD_FINISHED], 0, firmware, download);
		remove_download(self, download);
		break;
	case UB_DOWNLOAD_STATE_IDLE:
	case UB_DOWNLOAD_STATE_RUNNING:
	case UB_DOWNLOAD_STATE_PAUSED:
	case UB_DOWNLOAD_STATE_RETRYING:
	default:
		break;
	}
}

const UbCachedFirmware *
ub_firmware_manager_lookup(UbFirmwareManager *self, UbFirmware *firmware)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE(firmware), NULL);

	return ub_firmware_cache_lookup(
	    self->cache, ub_firmware_get_build(firmware), ub_firmware_get_product_type(firmware));
}

UbDownload *
ub_firmware_manager_get_download(UbFirmwareManager *self, UbFirmware *firmware)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE(firmware), NULL);

	path = ub_firmware_cache_dup_download_path(self->cache, firmware);
	return g_hash_table_lookup(self->by_path, path);
}

UbDownload *
ub_firmware_manager_download(UbFirmwareManager *self, UbFirmware *firmware, GError **error)
{
	g_autoptr(UbDownload) download = NULL;
	g_autofree gchar *path = NULL;
	UbDownload *running;
	UbHashKind kind;
	const gchar *hash;

	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE(firmware), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	path = ub_firmware_cache_dup_download_path(self->cache, firmware);
	running = g_hash_table_lookup(self->by_path, path);
	if (running != NULL) {
		if (ub_download_get_state(running) == UB_DOWNLOAD_STATE_PAUSED)
			ub_download_resume(running);
		return g_object_ref(running);
	}

	/* a file nobody can check is never offered for a restore */
	if (ub_firmware_get_sha256(firmware) != NULL) {
		kind = UB_HASH_SHA256;
		hash = ub_firmware_get_sha256(firmware);
	} else if (ub_firmware_get_sha1(firmware) != NULL) {
		kind = UB_HASH_SHA1;
		hash = ub_firmware_get_sha1(firmware);
	} else {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the catalog gives no checksum for %s, so it cannot be verified",
			    ub_firmware_get_build(firmware));
		return NULL;
	}

	download = ub_download_new(
	    ub_firmware_get_url(firmware), path, ub_firmware_get_size(firmware), kind, hash);
	ub_download_set_connections(download, self->connections);
	g_hash_table_insert(self->by_path, g_strdup(path), download);
	g_hash_table_insert(self->firmware, download, g_object_ref(firmware));
	g_signal_connect_object(download, "notify::state", G_CALLBACK(download_state_cb), self, 0);
	g_list_store_append(self->downloads, download);
	ub_download_start(download);
	return g_steal_pointer(&download);
}

GListModel *
ub_firmware_manager_get_downloads(UbFirmwareManager *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	return G_LIST_MODEL(self->downloads);
}

UbFirmwareCatalog *
ub_firmware_manager_get_catalog(UbFirmwareManager *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	return self->catalog;
}

UbFirmwareCache *
ub_firmware_manager_get_cache(UbFirmwareManager *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(self), NULL);
	return self->cache;
}

void
ub_firmware_manager_set_connections(UbFirmwareManager *self, guint connections)
{
	g_return_if_fail(UB_IS_FIRMWARE_MANAGER(self));
	self->connections = CLAMP(connections, 1, 16);
}

static void
ub_firmware_manager_dispose(GObject *object)
{
	UbFirmwareManager *self = UB_FIRMWARE_MANAGER(object);

	/* a running download keeps its partial file for the next start */
	for (guint i = 0; i < g_list_model_get_n_items(G_LIST_MODEL(self->downloads)); i++) {
		g_autoptr(UbDownload) download =
		    g_list_model_get_item(G_LIST_MODEL(self->downloads), i);
		g_signal_handlers_disconnect_by_data(download, self);
		if (ub_download_get_state(download) == UB_DOWNLOAD_STATE_RUNNING ||
		    ub_download_get_state(download) == UB_DOWNLOAD_STATE_RETRYING)
			ub_download_pause(download);
	}
	g_list_store_remove_all(self->downloads);
	g_hash_table_remove_all(self->by_path);
	g_hash_table_remove_all(self->firmware);
	g_clear_object(&self->catalog);
	g_clear_object(&self->cache);

	G_OBJECT_CLASS(ub_firmware_manager_parent_class)->dispose(object);
}

static void
ub_firmware_manager_finalize(GObject *object)
{
	UbFirmwareManager *self = UB_FIRMWARE_MANAGER(object);

	g_object_unref(self->downloads);
	g_hash_table_unref(self->by_path);
	g_hash_table_unref(self->firmware);

	G_OBJECT_CLASS(ub_firmware_manager_parent_class)->finalize(object);
}

static void
ub_firmware_manager_class_init(UbFirmwareManagerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_firmware_manager_dispose;
	object_class->finalize = ub_firmware_manager_finalize;

	/**
	 * UbFirmwareManager::download-finished:
	 * A download ended: verified and in the store, failed or cancelled.
	 */
	signals[SIGNAL_DOWNLOAD_FINISHED] = g_signal_new("download-finished",
							 G_TYPE_FROM_CLASS(klass),
							 G_SIGNAL_RUN_LAST,
							 0,
							 NULL,
							 NULL,
							 NULL,
							 G_TYPE_NONE,
							 2,
							 UB_TYPE_FIRMWARE,
							 UB_TYPE_DOWNLOAD);
}

static void
ub_firmware_manager_init(UbFirmwareManager *self)
{
	self->downloads = g_list_store_new(UB_TYPE_DOWNLOAD);
	self->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->firmware = g_hash_table_new_full(NULL, NULL, NULL, g_object_unref);
	self->connections = 4;
}

UbFirmwareManager *
ub_firmware_manager_new(UbFirmwareCatalog *catalog, UbFirmwareCache *cache)
{
	UbFirmwareManager *self;

	g_return_val_if_fail(UB_IS_FIRMWARE_CATALOG(catalog), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(cache), NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_MANAGER, NULL);
	self->catalog = g_object_ref(catalog);
	self->cache = g_object_ref(cache);
	return self;
}
