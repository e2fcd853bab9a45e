/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-catalog"

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-firmware-catalog-private.h"
#include "ub-host-policy.h"
#include "ub-json.h"

/* parsing helpers */

gboolean
_ub_firmware_catalog_is_hex(const gchar *text, gsize len)
{
	if (strlen(text) != len)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(text[i]))
			return FALSE;
	}
	return TRUE;
}

/* "iPhone14,2", "iPad13,10", "AppleTV5,3": it ends up in a URL path and a
 * file name, so nothing else gets through */
gboolean
_ub_firmware_catalog_product_type_is_valid(const gchar *product_type)
{
	gsize len = strlen(product_type);

	if (len == 0 || len > 64 || !g_ascii_isalpha(product_type[0]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(product_type[i]) && product_type[i] != ',')
			return FALSE;
	}
	return TRUE;
}

JsonObject *
_ub_firmware_catalog_load_json_object(GBytes *bytes, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);
	JsonNode *root;

	if (len == 0 || data == NULL) {
		g_set_error_literal(error, UB_ERROR, UB_ERROR_INVALID_DATA, "the answer is empty");
		return NULL;
	}
	if (len > G_MAXSSIZE || !ub_json_depth_ok(data, len, UB_FIRMWARE_CATALOG_MAX_DEPTH)) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the answer is nested too deeply to be a catalog");
		return NULL;
	}
	if (!json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the answer is not JSON: %s",
			    error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "the answer is not a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* NULL with no error: absent, null or "" (old ipsw.me entries have empty hashes) */
gboolean
_ub_firmware_catalog_get_string(JsonObject *obj,
				gint index,
				const gchar *member,
				gboolean required,
				const gchar **value,
				GError **error)
{
	g_autofree gchar *where = index >= 0 ? g_strdup_printf("firmware %d", index) : NULL;

	return ub_json_get_string(
	    obj, where, member, required ? UB_JSON_REQUIRED : UB_JSON_OPTIONAL, value, error);
}

static gboolean
ub_firmware_catalog_get_hash(JsonObject *obj,
			     gint index,
			     const gchar *member,
			     gsize hex_len,
			     const gchar **value,
			     GError **error)
{
	if (!_ub_firmware_catalog_get_string(obj, index, member, FALSE, value, error))
		return FALSE;
	if (*value != NULL && !_ub_firmware_catalog_is_hex(*value, hex_len)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "firmware %d: \"%s\" is not %" G_GSIZE_FORMAT " hexadecimal digits",
			    index,
			    member,
			    hex_len);
		return FALSE;
	}
	return TRUE;
}

static gboolean
ub_firmware_catalog_get_filesize(JsonObject *obj, gint index, guint64 *value, GError **error)
{
	g_autofree gchar *where = g_strdup_printf("firmware %d", index);
	gint64 size = 0;

	/* present and whole: the shared read; the bounds say more than a range */
	if (!ub_json_get_int(
		obj, where, "filesize", UB_JSON_REQUIRED, G_MININT64, G_MAXINT64, &size, error))
		return FALSE;
	if (size < 0) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: \"filesize\" is negative", where);
		return FALSE;
	}
	if (size > UB_FIRMWARE_CATALOG_MAX_FILESIZE) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: \"filesize\" is huge (%" G_GINT64_FORMAT " bytes)",
			    where,
			    size);
		return FALSE;
	}
	*value = (guint64)size;
	return TRUE;
}

/* NULL and no error when the entry is for another device or its URL is refused */
static UbFirmware *
ub_firmware_catalog_parse_entry(JsonNode *node,
				gint index,
				const gchar *product_type,
				GError **error)
{
	JsonObject *obj;
	JsonNode *signed_node;
	const gchar *identifier = NULL;
	const gchar *version = NULL;
	const gchar *buildid = NULL;
	const gchar *url = NULL;
	const gchar *sha256 = NULL;
	const gchar *sha1 = NULL;
	const gchar *releasedate = NULL;
	guint64 size = 0;
	gboolean is_signed = FALSE;
	g_autoptr(GDateTime) release_date = NULL;
	g_autoptr(GError) error_policy = NULL;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "firmware %d is not an object", index);
		return NULL;
	}
	obj = json_node_get_object(node);

	if (!_ub_firmware_catalog_get_string(obj, index, "identifier", FALSE, &identifier, error))
		return NULL;
	if (identifier != NULL && g_strcmp0(identifier, product_type) != 0) {
		g_debug("firmware %d is for %s, not %s: skipped", index, identifier, product_type);
		return NULL;
	}
	if (!_ub_firmware_catalog_get_string(obj, index, "version", TRUE, &version, error))
		return NULL;
	if (!_ub_firmware_catalog_get_string(obj, index, "buildid", TRUE, &buildid, error))
		return NULL;
	if (!_ub_firmware_catalog_get_string(obj, index, "url", TRUE, &url, error))
		return NULL;
	if (!ub_firmware_catalog_get_filesize(obj, index, &size, error))
		return NULL;
	if (!ub_firmware_catalog_get_hash(obj, index, "sha256sum", 64, &sha256, error))
		return NULL;
	if (!ub_firmware_catalog_get_hash(obj, index, "sha1sum", 40, &sha1, error))
		return NULL;
	if (!_ub_firmware_catalog_get_string(obj, index, "releasedate", FALSE, &releasedate, error))
		return NULL;

	signed_node = json_object_get_member(obj, "signed");
	if (signed_node != NULL && !JSON_NODE_HOLDS_NULL(signed_node)) {
		if (!JSON_NODE_HOLDS_VALUE(signed_node) ||
		    json_node_get_value_type(signed_node) != G_TYPE_BOOLEAN) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "firmware %d: \"signed\" is not true or false",
				    index);
			return NULL;
		}
		is_signed = json_node_get_boolean(signed_node);
	}

	/* a date is only shown to people: a bad one is dropped, not fatal */
	if (releasedate != NULL) {
		g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
		release_date = g_date_time_new_from_iso8601(releasedate, utc);
		if (release_date == NULL)
			g_debug("firmware %d: ignoring release date %s", index, releasedate);
	}

	/* never offer what the download would refuse */
	if (!ub_host_policy_check_uri(
		url, UB_HOST_PURPOSE_FIRMWARE, sha256 != NULL || sha1 != NULL, &error_policy)) {
		g_debug("firmware %d (%s): skipped: %s", index, buildid, error_policy->message);
		return NULL;
	}

	return ub_firmware_new(
	    product_type, version, buildid, url, size, sha256, sha1, release_date, is_signed);
}

GPtrArray *
ub_firmware_catalog_parse_ipswme(GBytes *json, const gchar *product_type, GError **error)
{
	g_autoptr(JsonObject) root = NULL;
	g_autoptr(GPtrArray) firmwares = g_ptr_array_new_with_free_func(g_object_unref);
	const gchar *identifier = NULL;
	JsonNode *firmwares_node;
	JsonArray *array;

	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(product_type != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	root = _ub_firmware_catalog_load_json_object(json, error);
	if (root == NULL)
		return NULL;

	if (!_ub_firmware_catalog_get_string(root, -1, "identifier", TRUE, &identifier, error))
		return NULL;
	if (g_strcmp0(identifier, product_type) != 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    "the catalog answered for %s instead of %s",
			    identifier,
			    product_type);
		return NULL;
	}

	firmwares_node = json_object_get_member(root, "firmwares");
	if (firmwares_node == NULL) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"firmwares\" is missing");
		return NULL;
	}
	if (!JSON_NODE_HOLDS_ARRAY(firmwares_node)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"firmwares\" is not a list");
		return NULL;
	}
	array = json_node_get_array(firmwares_node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		g_autoptr(GError) error_local = NULL;
		UbFirmware *firmware = ub_firmware_catalog_parse_entry(
		    json_array_get_element(array, i), (gint)i, product_type, &error_local);
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (firmware != NULL)
			g_ptr_array_add(firmwares, firmware);
	}
	if (firmwares->len == 0) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_NOT_FOUND, "no firmware listed for %s", product_type);
		return NULL;
	}
	return g_steal_pointer(&firmwares);
}
