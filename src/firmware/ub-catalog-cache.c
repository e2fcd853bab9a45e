/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-catalog"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "ub-error.h"
#include "ub-firmware-catalog-private.h"
#include "ub-json.h"

void
_ub_catalog_result_free(UbCatalogResult *result)
{
	g_clear_pointer(&result->firmwares, g_ptr_array_unref);
	g_clear_pointer(&result->fetched_at, g_date_time_unref);
	g_free(result);
}

/* the cache: {"fetched": unix-seconds, "body": "<ipsw.me answer>",
 * "apple": {"build", "version", "url", "sha1"}} */

gboolean
_ub_firmware_catalog_write_cache(const gchar *path,
				 GBytes *body,
				 UbFirmware *apple,
				 GDateTime *fetched_at,
				 GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *body_text = NULL;
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *text = NULL;
	gsize body_len = 0;
	gsize text_len = 0;
	const gchar *body_data = g_bytes_get_data(body, &body_len);

	body_text = g_strndup(body_data, body_len);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "fetched");
	json_builder_add_int_value(builder, g_date_time_to_unix(fetched_at));
	json_builder_set_member_name(builder, "body");
	json_builder_add_string_value(builder, body_text);
	if (apple != NULL) {
		json_builder_set_member_name(builder, "apple");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "build");
		json_builder_add_string_value(builder, ub_firmware_get_build(apple));
		json_builder_set_member_name(builder, "version");
		json_builder_add_string_value(builder, ub_firmware_get_version(apple));
		json_builder_set_member_name(builder, "url");
		json_builder_add_string_value(builder, ub_firmware_get_url(apple));
		json_builder_set_member_name(builder, "sha1");
		json_builder_add_string_value(builder, ub_firmware_get_sha1(apple));
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, &text_len);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "failed to create %s: %s",
			    dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (!g_file_set_contents_full(
		path, text, (gssize)text_len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) {
		g_prefix_error(error, "failed to save the catalog: ");
		return FALSE;
	}
	return TRUE;
}

UbCatalogResult *
_ub_firmware_catalog_read_cache(const gchar *path, const gchar *product_type, GError **error)
{
	g_autofree gchar *contents = NULL;
	gsize len = 0;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(JsonObject) root = NULL;
	g_autoptr(UbCatalogResult) result = g_new0(UbCatalogResult, 1);
	JsonNode *fetched_node;
	JsonNode *apple_node;
	const gchar *body_text = NULL;
	gint64 fetched;

	if (!g_file_get_contents(path, &contents, &len, error))
		return NULL;
	bytes = g_bytes_new_take(g_steal_pointer(&contents), len);
	root = _ub_firmware_catalog_load_json_object(bytes, error);
	if (root == NULL)
		return NULL;
	fetched_node = json_object_get_member(root, "fetched");
	if (fetched_node == NULL || !JSON_NODE_HOLDS_VALUE(fetched_node) ||
	    json_node_get_value_type(fetched_node) != G_TYPE_INT64) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"fetched\" is not a time");
		return NULL;
	}
	fetched = json_node_get_int(fetched_node);
	result->fetched_at = g_date_time_new_from_unix_utc(fetched);
	if (fetched <= 0 || result->fetched_at == NULL) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"fetched\" is out of range");
		return NULL;
	}
	if (!_ub_firmware_catalog_get_string(root, -1, "body", TRUE, &body_text, error))
		return NULL;
	body = g_bytes_new(body_text, strlen(body_text));
	result->firmwares = ub_firmware_catalog_parse_ipswme(body, product_type, error);
	if (result->firmwares == NULL)
		return NULL;

	/* what Apple said at the time; optional */
	apple_node = json_object_get_member(root, "apple");
	if (apple_node != NULL && JSON_NODE_HOLDS_OBJECT(apple_node)) {
		JsonObject *apple_obj = json_node_get_object(apple_node);
		const gchar *build = NULL;
		const gchar *version = NULL;
		const gchar *url = NULL;
		const gchar *sha1 = NULL;

		if (_ub_firmware_catalog_get_string(apple_obj, -1, "build", TRUE, &build, NULL) &&
		    _ub_firmware_catalog_get_string(
			apple_obj, -1, "version", FALSE, &version, NULL) &&
		    _ub_firmware_catalog_get_string(apple_obj, -1, "url", FALSE, &url, NULL) &&
		    _ub_firmware_catalog_get_string(apple_obj, -1, "sha1", TRUE, &sha1, NULL) &&
		    _ub_firmware_catalog_is_hex(sha1, 40)) {
			g_autoptr(UbFirmware) apple = ub_firmware_new(
			    product_type, version, build, url, 0, NULL, sha1, NULL, TRUE);
			_ub_firmware_catalog_merge_apple(result->firmwares, apple);
		}
	}
	g_ptr_array_sort(result->firmwares, ub_firmware_compare_newest_first);
	result->is_cached = TRUE;
	return g_steal_pointer(&result);
}
