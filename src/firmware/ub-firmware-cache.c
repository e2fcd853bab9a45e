/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-cache"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub-error.h"
#include "ub-firmware-cache-private.h"
#include "ub-json.h"
#include "ub-main-context.h"

#define INDEX_NAME "index.json"
#define INDEX_VERSION 1
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

struct _UbFirmwareCache {
	GObject parent_instance;

	gchar *root;	   /* absolute, canonical, symbolic links not resolved */
	gchar *index_path; /* root/index.json */
	GPtrArray *entries;
	GHashTable *holds; /* absolute path -> count */
	gboolean hard_links;
};

G_DEFINE_FINAL_TYPE(UbFirmwareCache, ub_firmware_cache, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE(UbCachedFirmware,
		    ub_cached_firmware,
		    ub_cached_firmware_copy,
		    ub_cached_firmware_free)

UbCachedFirmware *
ub_cached_firmware_copy(const UbCachedFirmware *cached)
{
	UbCachedFirmware *copy;

	g_return_val_if_fail(cached != NULL, NULL);

	copy = g_new0(UbCachedFirmware, 1);
	copy->path = g_strdup(cached->path);
	copy->build = g_strdup(cached->build);
	copy->version = g_strdup(cached->version);
	copy->product_types = g_strdupv(cached->product_types);
	copy->size = cached->size;
	copy->sha256 = g_strdup(cached->sha256);
	copy->sha1 = g_strdup(cached->sha1);
	copy->added = cached->added != NULL ? g_date_time_ref(cached->added) : NULL;
	return copy;
}

void
ub_cached_firmware_free(UbCachedFirmware *cached)
{
	if (cached == NULL)
		return;
	g_free(cached->path);
	g_free(cached->build);
	g_free(cached->version);
	g_strfreev(cached->product_types);
	g_free(cached->sha256);
	g_free(cached->sha1);
	g_clear_pointer(&cached->added, g_date_time_unref);
	g_free(cached);
}

static void
ub_firmware_cache_finalize(GObject *object)
{
	UbFirmwareCache *self = UB_FIRMWARE_CACHE(object);

	g_free(self->root);
	g_free(self->index_path);
	g_clear_pointer(&self->entries, g_ptr_array_unref);
	g_clear_pointer(&self->holds, g_hash_table_unref);

	G_OBJECT_CLASS(ub_firmware_cache_parent_class)->finalize(object);
}

static void
ub_firmware_cache_class_init(UbFirmwareCacheClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = ub_firmware_cache_finalize;

	/**
	 * UbFirmwareCache::changed:
	 * An entry was added, replaced or deleted.
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       0);
}

static void
ub_firmware_cache_init(UbFirmwareCache *self)
{
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)ub_cached_firmware_free);
	self->holds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->hard_links = TRUE;
}

void
_ub_firmware_cache_set_hard_links(UbFirmwareCache *self, gboolean allowed)
{
	g_return_if_fail(UB_IS_FIRMWARE_CACHE(self));
	self->hard_links = allowed;
}

/* the part of @path below @root ("iPhone.ipsw", "old/iPhone.ipsw"), or NULL
 * when @path is not strictly inside; both must be canonical */
static const gchar *
path_below(const gchar *root, const gchar *path)
{
	gsize root_len = strlen(root);

	if (strncmp(path, root, root_len) != 0)
		return NULL;
	if (root_len == 0 || root[root_len - 1] != '/') {
		if (path[root_len] != '/')
			return NULL;
		root_len++;
	}
	if (path[root_len] == '\0')
		return NULL;
	return path + root_len;
}

/* an index entry must not point out of the folder, whatever it says */
static gboolean
relative_path_is_safe(const gchar *relative)
{
	g_auto(GStrv) components = NULL;

	if (relative == NULL || relative[0] == '\0' || g_path_is_absolute(relative))
		return FALSE;
	components = g_strsplit(relative, "/", -1);
	for (guint i = 0; components[i] != NULL; i++) {
		if (components[i][0] == '\0' || g_strcmp0(components[i], ".") == 0 ||
		    g_strcmp0(components[i], "..") == 0)
			return FALSE;
	}
	return TRUE;
}

static UbCachedFirmware *
find_entry(UbFirmwareCache *self, const gchar *path, guint *index)
{
	for (guint i = 0; i < self->entries->len; i++) {
		UbCachedFirmware *entry = g_ptr_array_index(self->entries, i);
		if (g_strcmp0(entry->path, path) == 0) {
			if (index != NULL)
				*index = i;
			return entry;
		}
	}
	return NULL;
}

static JsonNode *
entry_to_json(UbFirmwareCache *self, UbCachedFirmware *entry)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *relative = path_below(self->root, entry->path);

	g_assert(relative != NULL);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "path");
	json_builder_add_string_value(builder, relative);
	json_builder_set_member_name(builder, "build");
	json_builder_add_string_value(builder, entry->build);
	if (entry->version != NULL) {
		json_builder_set_member_name(builder, "version");
		json_builder_add_string_value(builder, entry->version);
	}
	json_builder_set_member_name(builder, "product-types");
	json_builder_begin_array(builder);
	for (guint i = 0; entry->product_types != NULL && entry->product_types[i] != NULL; i++)
		json_builder_add_string_value(builder, entry->product_types[i]);
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "size");
	json_builder_add_int_value(builder, (gint64)entry->size);
	if (entry->sha256 != NULL) {
		json_builder_set_member_name(builder, "sha256");
		json_builder_add_string_value(builder, entry->sha256);
	}
	if (entry->sha1 != NULL) {
		json_builder_set_member_name(builder, "sha1");
		json_builder_add_string_value(builder, entry->sha1);
	}
	if (entry->added != NULL) {
		g_autofree gchar *added = g_date_time_format_iso8601(entry->added);
		json_builder_set_member_name(builder, "added");
		json_builder_add_string_value(builder, added);
	}
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gboolean
write_index(UbFirmwareCache *self, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	gsize length = 0;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "version");
	json_builder_add_int_value(builder, INDEX_VERSION);
	json_builder_set_member_name(builder, "firmware");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->entries->len; i++)
		json_builder_add_value(builder,
				       entry_to_json(self, g_ptr_array_index(self->entries, i)));
	json_builder_end_array(builder);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, &length);

	/* a crash mid-write leaves the old index, never half of the new */
	if (!g_file_set_contents_full(self->index_path,
				      data,
				      (gssize)length,
				      G_FILE_SET_CONTENTS_CONSISTENT,
				      0600,
				      error)) {
		g_prefix_error(error, "failed to save the firmware index: ");
		return FALSE;
	}
	return TRUE;
}

/* a malformed member reads as absent: the entry is then dropped */
static const gchar *
member_string(JsonObject *object, const gchar *name)
{
	const gchar *value = NULL;

	if (!ub_json_get_string(object, NULL, name, UB_JSON_OPTIONAL, &value, NULL))
		return NULL;
	return value;
}

static gchar *
dup_member_string(JsonObject *object, const gchar *name)
{
	const gchar *value = member_string(object, name);

	if (value == NULL || value[0] == '\0')
		return NULL;
	return g_strdup(value);
}

/* one entry of the index, or NULL when it is malformed or its file is no
 * longer the one that was verified */
static UbCachedFirmware *
entry_from_json(UbFirmwareCache *self, JsonNode *node)
{
	g_autoptr(UbCachedFirmware) entry = g_new0(UbCachedFirmware, 1);
	g_autoptr(GPtrArray) product_types = g_ptr_array_new_with_free_func(g_free);
	JsonObject *object;
	JsonNode *size_node;
	JsonArray *types;
	const gchar *relative;
	const gchar *added;
	GStatBuf st;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_debug("dropping an index entry that is not an object");
		return NULL;
	}
	object = json_node_get_object(node);
	relative = member_string(object, "path");
	if (!relative_path_is_safe(relative)) {
		g_debug("dropping an index entry with path %s", relative);
		return NULL;
	}
	entry->path = g_build_filename(self->root, relative, NULL);
	entry->build = dup_member_string(object, "build");
	if (entry->build == NULL) {
		g_debug("dropping %s: no build", entry->path);
		return NULL;
	}
	entry->version = dup_member_string(object, "version");
	entry->sha256 = dup_member_string(object, "sha256");
	entry->sha1 = dup_member_string(object, "sha1");
	if (json_object_has_member(object, "product-types") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(object, "product-types"))) {
		types = json_object_get_array_member(object, "product-types");
		for (guint i = 0; i < json_array_get_length(types); i++) {
			JsonNode *item = json_array_get_element(types, i);
			if (JSON_NODE_HOLDS_VALUE(item) &&
			    json_node_get_value_type(item) == G_TYPE_STRING)
				g_ptr_array_add(product_types,
						g_strdup(json_node_get_string(item)));
		}
	}
	g_ptr_array_add(product_types, NULL);
	entry->product_types = (gchar **)g_ptr_array_free(g_steal_pointer(&product_types), FALSE);

	if (g_lstat(entry->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_debug("dropping %s: the file is gone", entry->path);
		return NULL;
	}
	size_node = json_object_get_member(object, "size");
	if (size_node != NULL && JSON_NODE_HOLDS_VALUE(size_node) &&
	    json_node_get_value_type(size_node) == G_TYPE_INT64)
		entry->size = (guint64)json_node_get_int(size_node);
	if (entry->size != (guint64)st.st_size) {
		/* whatever it is now, it is not what was verified */
		g_debug("dropping %s: it changed size since it was verified", entry->path);
		return NULL;
	}
	added = member_string(object, "added");
	if (added != NULL)
		entry->added = g_date_time_new_from_iso8601(added, NULL);
	if (entry->added == NULL)
		entry->added = g_date_time_new_from_unix_utc(st.st_mtime);
	return g_steal_pointer(&entry);
}

/* keeps the unreadable index for whoever wants to look at it, and starts
 * over: losing the list costs a download, refusing to start costs more */
static void
set_index_aside(UbFirmwareCache *self, const gchar *why)
{
	g_autofree gchar *broken = g_strconcat(self->index_path, ".broken", NULL);

	if (g_rename(self->index_path, broken) != 0) {
		g_warning("the firmware index %s is unreadable (%s) and cannot be moved aside: %s; "
			  "starting with an empty list",
			  self->index_path,
			  why,
			  g_strerror(errno));
		return;
	}
	g_warning("the firmware index %s is unreadable (%s); starting with an empty list, "
		  "the old file is kept as %s",
		  self->index_path,
		  why,
		  broken);
}

static void
load_index(UbFirmwareCache *self)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	JsonNode *root;
	JsonObject *object;
	JsonNode *list;
	JsonArray *array;
	gsize length = 0;

	if (!g_file_get_contents(self->index_path, &contents, &length, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			set_index_aside(self, error->message);
		return;
	}
	if (!json_parser_load_from_data(parser, contents, (gssize)length, &error)) {
		set_index_aside(self, error->message);
		return;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		set_index_aside(self, "not a JSON object");
		return;
	}
	object = json_node_get_object(root);
	list = json_object_get_member(object, "firmware");
	if (list == NULL || !JSON_NODE_HOLDS_ARRAY(list)) {
		set_index_aside(self, "no firmware list");
		return;
	}
	array = json_node_get_array(list);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		UbCachedFirmware *entry = entry_from_json(self, json_array_get_element(array, i));
		if (entry == NULL)
			continue;
		if (find_entry(self, entry->path, NULL) != NULL) {
			g_debug("dropping a second entry for %s", entry->path);
			ub_cached_firmware_free(entry);
			continue;
		}
		g_ptr_array_add(self->entries, entry);
	}
	g_debug("%u firmware files in %s", self->entries->len, self->root);
}

UbFirmwareCache *
ub_firmware_cache_new(const gchar *root, GError **error)
{
	g_autoptr(UbFirmwareCache) self = NULL;

	g_return_val_if_fail(root != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_CACHE, NULL);
	self->root = g_canonicalize_filename(root, NULL);
	self->index_path = g_build_filename(self->root, INDEX_NAME, NULL);

	/* IPSWs are public, but what a person keeps is theirs to see */
	if (g_mkdir_with_parents(self->root, 0700) != 0) {
		gint saved = errno;
		g_set_error(error,
			    UB_ERROR,
			    saved == EACCES || saved == EPERM ? UB_ERROR_PERMISSION_DENIED
							      : UB_ERROR_FAILED,
			    _("Cannot make the firmware folder %s: %s"),
			    self->root,
			    g_strerror(saved));
		return NULL;
	}
	if (!g_file_test(self->root, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    _("The firmware folder %s is not a folder"),
			    self->root);
		return NULL;
	}
	load_index(self);
	return g_steal_pointer(&self);
}

const gchar *
ub_firmware_cache_get_root(UbFirmwareCache *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), NULL);
	return self->root;
}

gchar *
ub_firmware_cache_dup_download_path(UbFirmwareCache *self, UbFirmware *firmware)
{
	g_autofree gchar *filename = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE(firmware), NULL);

	filename = ub_firmware_dup_filename(firmware);
	return g_build_filename(self->root, filename, NULL);
}

GPtrArray *
ub_firmware_cache_list(UbFirmwareCache *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), NULL);
	return self->entries;
}

static gboolean
has_product_type(UbCachedFirmware *entry, const gchar *product_type)
{
	if (product_type == NULL)
		return TRUE;
	return entry->product_types != NULL &&
	       g_strv_contains((const gchar *const *)entry->product_types, product_type);
}

const UbCachedFirmware *
ub_firmware_cache_lookup(UbFirmwareCache *self, const gchar *build, const gchar *product_type)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), NULL);
	g_return_val_if_fail(build != NULL, NULL);

	for (guint i = 0; i < self->entries->len; i++) {
		UbCachedFirmware *entry = g_ptr_array_index(self->entries, i);
		if (g_strcmp0(entry->build, build) == 0 && has_product_type(entry, product_type))
			return entry;
	}
	return NULL;
}

/* @path (canonical) must name a regular file inside the root, also once
 * every symbolic link on the way is resolved */
static gboolean
check_inside_root(UbFirmwareCache *self, const gchar *path, GStatBuf *st, GError **error)
{
	g_autofree gchar *real_root = NULL;
	g_autofree gchar *real_path = NULL;

	if (path_below(self->root, path) == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "%s is not inside the firmware folder %s",
			    path,
			    self->root);
		return FALSE;
	}
	if (g_lstat(path, st) != 0) {
		gint saved = errno;
		g_set_error(error,
			    UB_ERROR,
			    saved == ENOENT ? UB_ERROR_NOT_FOUND : UB_ERROR_FAILED,
			    _("Cannot read %s: %s"),
			    path,
			    g_strerror(saved));
		return FALSE;
	}
	if (!S_ISREG(st->st_mode)) {
		g_set_error(error, UB_ERROR, UB_ERROR_FAILED, "%s is not a regular file", path);
		return FALSE;
	}
	real_root = realpath(self->root, NULL);
	real_path = realpath(path, NULL);
	if (real_root == NULL || real_path == NULL || path_below(real_root, real_path) == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "%s leads out of the firmware folder %s",
			    path,
			    self->root);
		return FALSE;
	}
	return TRUE;
}

gboolean
ub_firmware_cache_add_verified(UbFirmwareCache *self,
			       const gchar *path,
			       const gchar *build,
			       const gchar *version,
			       const gchar *const *product_types,
			       const gchar *sha256,
			       const gchar *sha1,
			       GError **error)
{
	g_autoptr(UbCachedFirmware) entry = g_new0(UbCachedFirmware, 1);
	UbCachedFirmware *previous;
	GStatBuf st;
	guint index = 0;

	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(build != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	entry->path = g_canonicalize_filename(path, NULL);
	if (!check_inside_root(self, entry->path, &st, error)) {
		g_prefix_error(error, "failed to add firmware: ");
		return FALSE;
	}
	entry->build = g_strdup(build);
	entry->version = g_strdup(version);
	entry->product_types =
	    product_types != NULL ? g_strdupv((gchar **)product_types) : g_new0(gchar *, 1);
	entry->size = (guint64)st.st_size;
	entry->sha256 = sha256 != NULL && sha256[0] != '\0' ? g_ascii_strdown(sha256, -1) : NULL;
	entry->sha1 = sha1 != NULL && sha1[0] != '\0' ? g_ascii_strdown(sha1, -1) : NULL;
	entry->added = g_date_time_new_now_utc();

	/* the same file verified again replaces its entry; the old one comes
	 * back if the index cannot be written */
	previous = find_entry(self, entry->path, &index);
	if (previous != NULL) {
		UbCachedFirmware *taken = g_ptr_array_steal_index(self->entries, index);
		g_ptr_array_insert(self->entries, (gint)index, g_steal_pointer(&entry));
		if (!write_index(self, error)) {
			ub_cached_firmware_free(g_ptr_array_steal_index(self->entries, index));
			g_ptr_array_insert(self->entries, (gint)index, taken);
			return FALSE;
		}
		ub_cached_firmware_free(taken);
	} else {
		g_ptr_array_add(self->entries, g_steal_pointer(&entry));
		if (!write_index(self, error)) {
			g_ptr_array_remove_index(self->entries, self->entries->len - 1);
			return FALSE;
		}
	}
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
	return TRUE;
}

void
ub_firmware_cache_hold(UbFirmwareCache *self, const gchar *path)
{
	g_autofree gchar *key = NULL;
	guint count;

	g_return_if_fail(UB_IS_FIRMWARE_CACHE(self));
	g_return_if_fail(path != NULL);

	key = g_canonicalize_filename(path, NULL);
	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->holds, key));
	g_hash_table_replace(self->holds, g_steal_pointer(&key), GUINT_TO_POINTER(count + 1));
}

void
ub_firmware_cache_release(UbFirmwareCache *self, const gchar *path)
{
	g_autofree gchar *key = NULL;
	guint count;

	g_return_if_fail(UB_IS_FIRMWARE_CACHE(self));
	g_return_if_fail(path != NULL);

	key = g_canonicalize_filename(path, NULL);
	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->holds, key));
	if (count == 0) {
		g_warning("%s was released more often than it was held", key);
		return;
	}
	if (count == 1)
		g_hash_table_remove(self->holds, key);
	else
		g_hash_table_replace(
		    self->holds, g_steal_pointer(&key), GUINT_TO_POINTER(count - 1));
}

gboolean
ub_firmware_cache_delete(UbFirmwareCache *self, const gchar *path, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *key = NULL;
	guint index = 0;

	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	key = g_canonicalize_filename(path, NULL);
	if (find_entry(self, key, &index) == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    _("%s is not in the firmware folder"),
			    key);
		return FALSE;
	}
	if (g_hash_table_contains(self->holds, key)) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_FAILED,
				    _("This firmware is being used by a restore right now"));
		return FALSE;
	}
	if (g_unlink(key) != 0 && errno != ENOENT) {
		gint saved = errno;
		g_set_error(error,
			    UB_ERROR,
			    saved == EACCES || saved == EPERM ? UB_ERROR_PERMISSION_DENIED
							      : UB_ERROR_FAILED,
			    _("Cannot delete %s: %s"),
			    key,
			    g_strerror(saved));
		return FALSE;
	}
	g_ptr_array_remove_index(self->entries, index);

	/* the file is gone either way, and an entry whose file is gone is
	 * dropped on the next load */
	if (!write_index(self, &error_local))
		g_warning("%s", error_local->message);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
	return TRUE;
}

static gboolean
query_free_space(const gchar *path, guint64 *free_space)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInfo) info = NULL;

	info = g_file_query_filesystem_info(file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
	if (info == NULL || !g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
		return FALSE;
	*free_space = g_file_info_get_attribute_uint64(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
	return TRUE;
}

guint64
ub_firmware_cache_get_free_space(UbFirmwareCache *self)
{
	guint64 free_space = 0;

	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), 0);

	if (!query_free_space(self->root, &free_space))
		return 0;
	return free_space;
}

/* import */

typedef struct {
	gchar *src_path;
	gchar *dest_path;
	gchar *tmp_path;
	gchar *build;
	gchar *version;
	gchar **product_types;
	gchar *sha256;
	gchar *sha1;
	guint64 size;
	GFileProgressCallback progress;
	gpointer progress_data;
	GMainContext *context;
	gint64 last_progress; /* copy thread only */
} ImportJob;

typedef struct {
	GFileProgressCallback progress;
	gpointer progress_data;
	goffset current;
	goffset total;
} ImportProgress;

static void
import_job_free(ImportJob *job)
{
	g_free(job->src_path);
	g_free(job->dest_path);
	g_free(job->tmp_path);
	g_free(job->build);
	g_free(job->version);
	g_strfreev(job->product_types);
	g_free(job->sha256);
	g_free(job->sha1);
	g_main_context_unref(job->context);
	g_free(job);
}

static gboolean
import_progress_idle_cb(gpointer user_data)
{
	ImportProgress *event = user_data;
	event->progress(event->current, event->total, event->progress_data);
	return G_SOURCE_REMOVE;
}

/* runs on the copy thread */
static void
import_progress_cb(goffset current, goffset total, gpointer user_data)
{
	ImportJob *job = user_data;
	gint64 now = g_get_monotonic_time();
	ImportProgress *event;

	if (current < total && now - job->last_progress < PROGRESS_INTERVAL_US)
		return;
	job->last_progress = now;
	event = g_new0(ImportProgress, 1);
	event->progress = job->progress;
	event->progress_data = job->progress_data;
	event->current = current;
	event->total = total;
	ub_main_context_post(job->context,
			     import_progress_idle_cb,
			     event,
			     g_free,
			     "[ub-firmware-cache] import progress");
}

/* the file is in place under its final name: record it and finish; a
 * file this import made goes again when it cannot be recorded */
static void
import_record(GTask *task, const gchar *path, gboolean made_here)
{
	UbFirmwareCache *self = g_task_get_source_object(task);
	ImportJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!ub_firmware_cache_add_verified(self,
					    path,
					    job->build,
					    job->version,
					    (const gchar *const *)job->product_types,
					    job->sha256,
					    job->sha1,
					    &error)) {
		if (made_here)
			(void)g_unlink(path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (job->progress != NULL)
		job->progress((goffset)job->size, (goffset)job->size, job->progress_data);
	g_task_return_boolean(task, TRUE);
}

/* copies to a temporary name and renames, so the final name only ever
 * holds a whole file; a cancelled or failed copy leaves nothing */
static void
import_copy_thread(GTask *task,
		   gpointer source_object,
		   gpointer task_data,
		   GCancellable *cancellable)
{
	ImportJob *job = task_data;
	g_autoptr(GFile) src = g_file_new_for_path(job->src_path);
	g_autoptr(GFile) tmp = g_file_new_for_path(job->tmp_path);
	g_autoptr(GError) error = NULL;

	/* left over from an import that was interrupted */
	(void)g_unlink(job->tmp_path);
	if (!g_file_copy(src,
			 tmp,
			 G_FILE_COPY_NONE,
			 cancellable,
			 job->progress != NULL ? import_progress_cb : NULL,
			 job,
			 &error)) {
		(void)g_unlink(job->tmp_path);
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_prefix_error(&error, "failed to copy %s: ", job->src_path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (g_file_test(job->dest_path, G_FILE_TEST_EXISTS)) {
		g_autofree gchar *basename = g_path_get_basename(job->dest_path);
		(void)g_unlink(job->tmp_path);
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_FAILED,
					_("The firmware folder already has a file named %s"),
					basename);
		return;
	}
	if (g_rename(job->tmp_path, job->dest_path) != 0) {
		gint saved = errno;
		(void)g_unlink(job->tmp_path);
		g_task_return_new_error(task,
					G_IO_ERROR,
					g_io_error_from_errno(saved),
					"failed to rename %s: %s",
					job->tmp_path,
					g_strerror(saved));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
import_copy_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	ImportJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	import_record(task, job->dest_path, TRUE);
}

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
				    gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GTask) copy = NULL;
	g_autofree gchar *basename = NULL;
	UbCachedFirmware *existing;
	ImportJob *job;
	GStatBuf st;
	guint64 free_space = 0;

	g_return_if_fail(UB_IS_FIRMWARE_CACHE(self));
	g_return_if_fail(src_path != NULL);
	g_return_if_fail(build != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_firmware_cache_import_full_async);
	job = g_new0(ImportJob, 1);
	job->src_path = g_canonicalize_filename(src_path, NULL);
	job->build = g_strdup(build);
	job->version = g_strdup(version);
	job->product_types = g_strdupv((gchar **)product_types);
	job->sha256 = g_strdup(sha256);
	job->sha1 = g_strdup(sha1);
	job->progress = progress;
	job->progress_data = progress_data;
	job->context = g_main_context_ref_thread_default();
	g_task_set_task_data(task, job, (GDestroyNotify)import_job_free);

	if (g_task_return_error_if_cancelled(task))
		return;
	if (g_stat(job->src_path, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_task_return_new_error(
		    task, UB_ERROR, UB_ERROR_NOT_FOUND, _("There is no file %s"), job->src_path);
		return;
	}
	job->size = (guint64)st.st_size;

	/* already in the store: nothing to bring in */
	if (path_below(self->root, job->src_path) != NULL) {
		import_record(task, job->src_path, FALSE);
		return;
	}

	basename = g_path_get_basename(job->src_path);
	job->dest_path = g_build_filename(self->root, basename, NULL);
	job->tmp_path = g_strconcat(job->dest_path, ".import", NULL);
	if (g_lstat(job->dest_path, &st) == 0) {
		/* the same IPSW imported twice is no error */
		existing = find_entry(self, job->dest_path, NULL);
		if (existing != NULL && g_strcmp0(existing->build, build) == 0 &&
		    existing->size == job->size) {
			if (progress != NULL)
				progress((goffset)job->size, (goffset)job->size, progress_data);
			g_task_return_boolean(task, TRUE);
			return;
		}
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_FAILED,
					_("The firmware folder already has a file named %s"),
					basename);
		return;
	}

	/* several gigabytes in no time, and no second copy on the disk */
	if (self->hard_links) {
		if (link(job->src_path, job->dest_path) == 0) {
			g_debug("linked %s into the store", job->src_path);
			import_record(task, job->dest_path, TRUE);
			return;
		}
		g_debug("cannot link %s into the store (%s), copying it",
			job->src_path,
			g_strerror(errno));
	}

	if (query_free_space(self->root, &free_space) && free_space < job->size) {
		g_autofree gchar *needed_text = g_format_size(job->size);
		g_autofree gchar *free_text = g_format_size(free_space);
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_FAILED,
					_("There is not enough free space in the firmware folder: "
					  "the IPSW needs %s, and %s is free"),
					needed_text,
					free_text);
		return;
	}

	copy = g_task_new(self, cancellable, import_copy_cb, g_object_ref(task));
	g_task_set_source_tag(copy, import_copy_thread);
	g_task_set_task_data(copy, job, NULL);
	g_task_run_in_thread(copy, import_copy_thread);
}

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
			       gpointer user_data)
{
	ub_firmware_cache_import_full_async(self,
					    src_path,
					    build,
					    version,
					    product_types,
					    sha256,
					    sha1,
					    NULL,
					    NULL,
					    cancellable,
					    callback,
					    user_data);
}

gboolean
ub_firmware_cache_import_finish(UbFirmwareCache *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(UB_IS_FIRMWARE_CACHE(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}
