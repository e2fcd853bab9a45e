/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-firmware.h"

G_BEGIN_DECLS

/**
 * UbCachedFirmware:
 * A verified IPSW in the store. @path is absolute; @sha256 and @sha1 are
 * whatever was verified (either may be NULL).
 */
typedef struct {
	gchar *path;
	gchar *build;
	gchar *version;
	gchar **product_types;
	guint64 size;
	gchar *sha256;
	gchar *sha1;
	GDateTime *added;
} UbCachedFirmware;

#define UB_TYPE_CACHED_FIRMWARE (ub_cached_firmware_get_type())
GType
ub_cached_firmware_get_type(void);
UbCachedFirmware *
ub_cached_firmware_copy(const UbCachedFirmware *cached);
void
ub_cached_firmware_free(UbCachedFirmware *cached);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbCachedFirmware, ub_cached_firmware_free)

#define UB_TYPE_FIRMWARE_CACHE (ub_firmware_cache_get_type())
G_DECLARE_FINAL_TYPE(UbFirmwareCache, ub_firmware_cache, UB, FIRMWARE_CACHE, GObject)

/* @root: where IPSWs live; the index is @root/index.json */
UbFirmwareCache *
ub_firmware_cache_new(const gchar *root, GError **error);
const gchar *
ub_firmware_cache_get_root(UbFirmwareCache *self);
/* where a download of @firmware writes (the final name; UbDownload adds .part) */
gchar *
ub_firmware_cache_dup_download_path(UbFirmwareCache *self, UbFirmware *firmware);
/* of UbCachedFirmware, borrowed; emits "changed" when it changes */
GPtrArray *
ub_firmware_cache_list(UbFirmwareCache *self);
const UbCachedFirmware *
ub_firmware_cache_lookup(UbFirmwareCache *self, const gchar *build, const gchar *product_type);
/* records a verified file already at its final path (a finished UbDownload,
 * or a user's IPSW copied/linked in); atomic index update */
gboolean
ub_firmware_cache_add_verified(UbFirmwareCache *self,
			       const gchar *path,
			       const gchar *build,
			       const gchar *version,
			       const gchar *const *product_types,
			       const gchar *sha256,
			       const gchar *sha1,
			       GError **error);
/* brings a user's IPSW from anywhere into the store under its own file
 * name: a hard link when @src_path is on the same file system, a copy
 * otherwise (on a worker thread, through a temporary name, so a cancelled
 * copy leaves nothing), then recorded as ub_firmware_cache_add_verified()
 * does; a file of the same name that is not this build is never replaced.
 * A file already under the root is only recorded. Afterwards
 * ub_firmware_cache_lookup() finds it */
void
ub_firmware_cache_import_async(UbFirmwareCache *self,
			       const gchar *src_path,
			       const gchar *build,
			       const gchar *version,
			       const gchar *const *product_types,
			       const gchar *sha256,
			       const gchar *sha1,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
/* the same, with @progress on the caller's main context, at most ~10 times
 * a second and once at the end */
void
ub_firmware_cache_import_full_async(UbFirmwareCache *self,
				    const gchar *src_path,
				    const gchar *build,
				    const gchar *version,
				    const gchar *const *product_types,
				    const gchar *sha256,
				    const gchar *sha1,
				    GFileProgressCallback progress,
				    gpointer progress_data,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
ub_firmware_cache_import_finish(UbFirmwareCache *self, GAsyncResult *result, GError **error);
/* a job holds an entry while it uses the file; held entries are not deleted */
void
ub_firmware_cache_hold(UbFirmwareCache *self, const gchar *path);
void
ub_firmware_cache_release(UbFirmwareCache *self, const gchar *path);
gboolean
ub_firmware_cache_delete(UbFirmwareCache *self, const gchar *path, GError **error);
/* bytes free on the store's file system, 0 when that cannot be known */
guint64
ub_firmware_cache_get_free_space(UbFirmwareCache *self);

G_END_DECLS
