/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-catalog"

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-firmware-catalog.h"
#include "ub-host-policy.h"
#include "ub-json.h"

/* a whole ipsw.me device answer is a few hundred KiB and Apple's version
 * plist a few MiB; anything far bigger is not a catalog */
#define UB_FIRMWARE_CATALOG_MAX_BODY (16 * 1024 * 1024)
#define UB_FIRMWARE_CATALOG_READ_CHUNK (64 * 1024)
#define UB_FIRMWARE_CATALOG_MAX_REDIRECTS 5
#define UB_FIRMWARE_CATALOG_TIMEOUT_SECS 30
/* json-glib parses recursively: bound the nesting before it sees the text */
#define UB_FIRMWARE_CATALOG_MAX_DEPTH 32
/* the biggest IPSWs are around 10 GiB; more is a broken or hostile catalog */
#define UB_FIRMWARE_CATALOG_MAX_FILESIZE ((gint64)64 * 1024 * 1024 * 1024)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(plist_t, plist_free, NULL)

struct _UbFirmwareCatalog {
	GObject parent_instance;

	gchar *ipswme_base;
	gchar *apple_catalog_url;
	gchar *cache_dir;
	SoupSession *session;
};

G_DEFINE_FINAL_TYPE(UbFirmwareCatalog, ub_firmware_catalog, G_TYPE_OBJECT)

/* one GET, redirects followed by hand so that each hop meets the policy */
typedef struct {
	SoupSession *session;
	UbHostPurpose purpose;
	GUri *uri;
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *buf;
	guint redirects;
	gboolean transient; /* offline or server trouble: the cache may stand in */
} UbCatalogFetch;

typedef struct {
	gchar *product_type;
	gchar *cache_path; /* NULL when nothing is cached */
	GBytes *body;
	GPtrArray *firmwares;
	UbFirmware *apple;
} UbCatalogList;

typedef struct {
	GPtrArray *firmwares;
	gboolean is_cached;
	GDateTime *fetched_at;
} UbCatalogResult;

static void
ub_catalog_fetch_free(UbCatalogFetch *fetch)
{
	g_clear_object(&fetch->session);
	g_clear_pointer(&fetch->uri, g_uri_unref);
	g_clear_object(&fetch->msg);
	g_clear_object(&fetch->stream);
	g_clear_pointer(&fetch->buf, g_byte_array_unref);
	g_free(fetch);
}

static void
ub_catalog_list_free(UbCatalogList *list)
{
	g_free(list->product_type);
	g_free(list->cache_path);
	g_clear_pointer(&list->body, g_bytes_unref);
	g_clear_pointer(&list->firmwares, g_ptr_array_unref);
	g_clear_object(&list->apple);
	g_free(list);
}

static void
ub_catalog_result_free(UbCatalogResult *result)
{
	g_clear_pointer(&result->firmwares, g_ptr_array_unref);
	g_clear_pointer(&result->fetched_at, g_date_time_unref);
	g_free(result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbCatalogResult, ub_catalog_result_free)

/* parsing helpers */

static gboolean
ub_firmware_catalog_is_hex(const gchar *text, gsize len)
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
static gboolean
ub_firmware_catalog_product_type_is_valid(const gchar *product_type)
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

static JsonObject *
ub_firmware_catalog_load_json_object(GBytes *bytes, GError **error)
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
static gboolean
ub_firmware_catalog_get_string(JsonObject *obj,
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
	if (!ub_firmware_catalog_get_string(obj, index, member, FALSE, value, error))
		return FALSE;
	if (*value != NULL && !ub_firmware_catalog_is_hex(*value, hex_len)) {
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
	JsonNode *node = json_object_get_member(obj, "filesize");
	gint64 size;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "firmware %d: \"filesize\" is missing",
			    index);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "firmware %d: \"filesize\" is not a whole number",
			    index);
		return FALSE;
	}
	size = json_node_get_int(node);
	if (size < 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "firmware %d: \"filesize\" is negative",
			    index);
		return FALSE;
	}
	if (size > UB_FIRMWARE_CATALOG_MAX_FILESIZE) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "firmware %d: \"filesize\" is huge (%" G_GINT64_FORMAT " bytes)",
			    index,
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

	if (!ub_firmware_catalog_get_string(obj, index, "identifier", FALSE, &identifier, error))
		return NULL;
	if (identifier != NULL && g_strcmp0(identifier, product_type) != 0) {
		g_debug("firmware %d is for %s, not %s: skipped", index, identifier, product_type);
		return NULL;
	}
	if (!ub_firmware_catalog_get_string(obj, index, "version", TRUE, &version, error))
		return NULL;
	if (!ub_firmware_catalog_get_string(obj, index, "buildid", TRUE, &buildid, error))
		return NULL;
	if (!ub_firmware_catalog_get_string(obj, index, "url", TRUE, &url, error))
		return NULL;
	if (!ub_firmware_catalog_get_filesize(obj, index, &size, error))
		return NULL;
	if (!ub_firmware_catalog_get_hash(obj, index, "sha256sum", 64, &sha256, error))
		return NULL;
	if (!ub_firmware_catalog_get_hash(obj, index, "sha1sum", 40, &sha1, error))
		return NULL;
	if (!ub_firmware_catalog_get_string(obj, index, "releasedate", FALSE, &releasedate, error))
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

	root = ub_firmware_catalog_load_json_object(json, error);
	if (root == NULL)
		return NULL;

	if (!ub_firmware_catalog_get_string(root, -1, "identifier", TRUE, &identifier, error))
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

/* Apple's plist */

static plist_t
ub_firmware_catalog_plist_get_dict(plist_t dict, const gchar *key)
{
	plist_t node;

	if (dict == NULL || plist_get_node_type(dict) != PLIST_DICT)
		return NULL;
	node = plist_dict_get_item(dict, key);
	if (node == NULL || plist_get_node_type(node) != PLIST_DICT)
		return NULL;
	return node;
}

static gchar *
ub_firmware_catalog_plist_dup_string(plist_t dict, const gchar *key)
{
	plist_t node;
	gchar *raw = NULL;
	g_autofree gchar *value = NULL;

	if (dict == NULL || plist_get_node_type(dict) != PLIST_DICT)
		return NULL;
	node = plist_dict_get_item(dict, key);
	if (node == NULL || plist_get_node_type(node) != PLIST_STRING)
		return NULL;
	plist_get_string_val(node, &raw);
	if (raw == NULL)
		return NULL;
	value = g_strdup(raw);
	free(raw);
	if (value[0] == '\0' || !g_utf8_validate(value, -1, NULL))
		return NULL;
	return g_steal_pointer(&value);
}

/* the product's dict under the highest numeric catalog major that lists it */
static plist_t
ub_firmware_catalog_plist_find_product(plist_t by_version, const gchar *product_type)
{
	plist_dict_iter iter = NULL;
	plist_t best = NULL;
	guint64 best_major = 0;

	plist_dict_new_iter(by_version, &iter);
	if (iter == NULL)
		return NULL;
	for (;;) {
		gchar *key = NULL;
		plist_t value = NULL;
		guint64 major = 0;
		plist_t product;

		plist_dict_next_item(by_version, iter, &key, &value);
		if (key == NULL)
			break;
		if (!g_ascii_string_to_unsigned(key, 10, 0, G_MAXUINT32, &major, NULL)) {
			free(key);
			continue;
		}
		free(key);
		product = ub_firmware_catalog_plist_get_dict(
		    ub_firmware_catalog_plist_get_dict(value, "MobileDeviceSoftwareVersions"),
		    product_type);
		if (product != NULL && (best == NULL || major > best_major)) {
			best = product;
			best_major = major;
		}
	}
	free(iter);
	return best;
}

UbFirmware *
ub_firmware_catalog_parse_apple(GBytes *plist, const gchar *product_type, GError **error)
{
	g_auto(plist_t) root = NULL;
	gsize len = 0;
	const gchar *data;
	plist_t by_version;
	plist_t product;
	plist_t build_dict;
	plist_t restore;
	g_autofree gchar *build = NULL;
	g_autofree gchar *same_as = NULL;
	g_autofree gchar *build_version = NULL;
	g_autofree gchar *product_version = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *sha1 = NULL;

	g_return_val_if_fail(plist != NULL, NULL);
	g_return_val_if_fail(product_type != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	data = g_bytes_get_data(plist, &len);
	if (data == NULL || len == 0 || len > G_MAXUINT32) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "Apple's catalog is empty or far too big");
		return NULL;
	}

	/* plist_from_memory() changed signature in libplist 2.3; these two did not */
	if (plist_is_binary(data, (uint32_t)len))
		plist_from_bin(data, (uint32_t)len, &root);
	else
		plist_from_xml(data, (uint32_t)len, &root);
	if (root == NULL || plist_get_node_type(root) != PLIST_DICT) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "Apple's catalog is not a property list");
		return NULL;
	}

	by_version =
	    ub_firmware_catalog_plist_get_dict(root, "MobileDeviceSoftwareVersionsByVersion");
	if (by_version == NULL) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "Apple's catalog has no MobileDeviceSoftwareVersionsByVersion");
		return NULL;
	}
	product = ub_firmware_catalog_plist_find_product(by_version, product_type);
	if (product == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    "Apple's catalog does not list %s",
			    product_type);
		return NULL;
	}

	build = ub_firmware_catalog_plist_dup_string(
	    ub_firmware_catalog_plist_get_dict(
		ub_firmware_catalog_plist_get_dict(
		    ub_firmware_catalog_plist_get_dict(product, "Unknown"), "Universal"),
		"Restore"),
	    "BuildVersion");
	if (build == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    "Apple's catalog names no current build for %s",
			    product_type);
		return NULL;
	}
	build_dict = ub_firmware_catalog_plist_get_dict(product, build);

	/* one hop only: a SameAs chain or loop is not followed */
	same_as = ub_firmware_catalog_plist_dup_string(build_dict, "SameAs");
	if (same_as != NULL) {
		g_free(build);
		build = g_steal_pointer(&same_as);
		build_dict = ub_firmware_catalog_plist_get_dict(product, build);
	}
	restore = ub_firmware_catalog_plist_get_dict(build_dict, "Restore");
	if (restore == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "Apple's catalog has no restore entry for %s build %s",
			    product_type,
			    build);
		return NULL;
	}

	build_version = ub_firmware_catalog_plist_dup_string(restore, "BuildVersion");
	product_version = ub_firmware_catalog_plist_dup_string(restore, "ProductVersion");
	url = ub_firmware_catalog_plist_dup_string(restore, "FirmwareURL");
	sha1 = ub_firmware_catalog_plist_dup_string(restore, "FirmwareSHA1");
	if (sha1 == NULL || !ub_firmware_catalog_is_hex(sha1, 40)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "Apple's catalog has no valid FirmwareSHA1 for %s build %s",
			    product_type,
			    build);
		return NULL;
	}
	return ub_firmware_new(product_type,
			       product_version,
			       build_version != NULL ? build_version : build,
			       url,
			       0,
			       NULL,
			       sha1,
			       NULL,
			       TRUE);
}

/* Apple's hash is authoritative: fill in a missing SHA-1, and where the two
 * disagree trust Apple's alone, with Apple's URL when the policy allows it */
static void
ub_firmware_catalog_merge_apple(GPtrArray *firmwares, UbFirmware *apple)
{
	const gchar *apple_sha1 = ub_firmware_get_sha1(apple);
	const gchar *apple_url = ub_firmware_get_url(apple);

	for (guint i = 0; i < firmwares->len; i++) {
		UbFirmware *firmware = g_ptr_array_index(firmwares, i);
		const gchar *sha1 = ub_firmware_get_sha1(firmware);
		const gchar *sha256 = ub_firmware_get_sha256(firmware);
		const gchar *url = ub_firmware_get_url(firmware);
		UbFirmware *merged;

		if (g_strcmp0(ub_firmware_get_build(firmware), ub_firmware_get_build(apple)) != 0)
			continue;
		if (g_strcmp0(sha1, apple_sha1) == 0)
			continue;
		if (sha1 != NULL) {
			g_warning("ipsw.me and Apple disagree on the SHA-1 of %s %s (%s): "
				  "trusting Apple's",
				  ub_firmware_get_product_type(firmware),
				  ub_firmware_get_version(firmware),
				  ub_firmware_get_build(firmware));
			/* ipsw.me's other hash is as suspect as its SHA-1 */
			sha256 = NULL;
			if (apple_url != NULL &&
			    ub_host_policy_check_uri(
				apple_url, UB_HOST_PURPOSE_FIRMWARE, TRUE, NULL))
				url = apple_url;
		} else {
			g_debug("using Apple's SHA-1 for %s", ub_firmware_get_build(firmware));
		}
		merged = ub_firmware_new(ub_firmware_get_product_type(firmware),
					 ub_firmware_get_version(firmware),
					 ub_firmware_get_build(firmware),
					 url,
					 ub_firmware_get_size(firmware),
					 sha256,
					 apple_sha1,
					 ub_firmware_get_release_date(firmware),
					 ub_firmware_get_signed(firmware));
		g_object_unref(firmware);
		g_ptr_array_index(firmwares, i) = merged;
	}
}

/* the cache: {"fetched": unix-seconds, "body": "<ipsw.me answer>",
 * "apple": {"build", "version", "url", "sha1"}} */

static gboolean
ub_firmware_catalog_write_cache(const gchar *path,
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

static UbCatalogResult *
ub_firmware_catalog_read_cache(const gchar *path, const gchar *product_type, GError **error)
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
	root = ub_firmware_catalog_load_json_object(bytes, error);
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
	if (!ub_firmware_catalog_get_string(root, -1, "body", TRUE, &body_text, error))
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

		if (ub_firmware_catalog_get_string(apple_obj, -1, "build", TRUE, &build, NULL) &&
		    ub_firmware_catalog_get_string(
			apple_obj, -1, "version", FALSE, &version, NULL) &&
		    ub_firmware_catalog_get_string(apple_obj, -1, "url", FALSE, &url, NULL) &&
		    ub_firmware_catalog_get_string(apple_obj, -1, "sha1", TRUE, &sha1, NULL) &&
		    ub_firmware_catalog_is_hex(sha1, 40)) {
			g_autoptr(UbFirmware) apple = ub_firmware_new(
			    product_type, version, build, url, 0, NULL, sha1, NULL, TRUE);
			ub_firmware_catalog_merge_apple(result->firmwares, apple);
		}
	}
	g_ptr_array_sort(result->firmwares, ub_firmware_compare_newest_first);
	result->is_cached = TRUE;
	return g_steal_pointer(&result);
}

/* fetching */

static void
ub_firmware_catalog_fetch_send(GTask *task);
static void
ub_firmware_catalog_fetch_read(GTask *task);

static void
ub_firmware_catalog_fetch_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogFetch *fetch = g_task_get_task_data(task);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gsize len;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		fetch->transient = !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	len = g_bytes_get_size(bytes);
	if (len == 0) {
		g_task_return_pointer(task,
				      g_byte_array_free_to_bytes(g_steal_pointer(&fetch->buf)),
				      (GDestroyNotify)g_bytes_unref);
		return;
	}
	if (fetch->buf->len + len > UB_FIRMWARE_CATALOG_MAX_BODY) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"the answer from %s is far too big for a catalog",
					g_uri_get_host(fetch->uri));
		return;
	}
	g_byte_array_append(fetch->buf, g_bytes_get_data(bytes, NULL), (guint)len);
	ub_firmware_catalog_fetch_read(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_fetch_read(GTask *task)
{
	UbCatalogFetch *fetch = g_task_get_task_data(task);

	g_input_stream_read_bytes_async(fetch->stream,
					UB_FIRMWARE_CATALOG_READ_CHUNK,
					G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task),
					ub_firmware_catalog_fetch_read_cb,
					task);
}

static gboolean
ub_firmware_catalog_fetch_redirect(UbCatalogFetch *fetch, guint status, GError **error)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(fetch->msg);
	const gchar *location = soup_message_headers_get_one(headers, "Location");
	g_autoptr(GUri) next = NULL;
	g_autofree gchar *current = NULL;
	g_autofree gchar *next_str = NULL;

	if (status != SOUP_STATUS_MOVED_PERMANENTLY && status != SOUP_STATUS_FOUND &&
	    status != SOUP_STATUS_SEE_OTHER && status != SOUP_STATUS_TEMPORARY_REDIRECT &&
	    status != SOUP_STATUS_PERMANENT_REDIRECT) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "%s answered %u %s",
			    g_uri_get_host(fetch->uri),
			    status,
			    soup_message_get_reason_phrase(fetch->msg));
		return FALSE;
	}
	current = g_uri_to_string(fetch->uri);
	next_str = ub_host_policy_follow_redirect(current,
						  location,
						  &fetch->redirects,
						  UB_FIRMWARE_CATALOG_MAX_REDIRECTS,
						  fetch->purpose,
						  FALSE,
						  error);
	if (next_str == NULL)
		return FALSE;
	next = g_uri_parse(next_str, SOUP_HTTP_URI_FLAGS, error);
	if (next == NULL)
		return FALSE;
	g_uri_unref(fetch->uri);
	fetch->uri = g_steal_pointer(&next);
	return TRUE;
}

static void
ub_firmware_catalog_fetch_send_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogFetch *fetch = g_task_get_task_data(task);
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	SoupMessageHeaders *headers;
	guint status;

	stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (stream == NULL) {
		fetch->transient = !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	status = soup_message_get_status(fetch->msg);
	if (SOUP_STATUS_IS_REDIRECTION(status)) {
		if (!ub_firmware_catalog_fetch_redirect(fetch, status, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		ub_firmware_catalog_fetch_send(g_steal_pointer(&task));
		return;
	}
	if (status != SOUP_STATUS_OK) {
		/* the server is there but unwell, so the last answer may stand in */
		fetch->transient =
		    SOUP_STATUS_IS_SERVER_ERROR(status) ||
		    status == 429 /* too many requests, not named in libsoup 3.2 */ ||
		    status == SOUP_STATUS_REQUEST_TIMEOUT;
		g_task_return_new_error(task,
					UB_ERROR,
					status == SOUP_STATUS_NOT_FOUND ? UB_ERROR_NOT_FOUND
									: UB_ERROR_FAILED,
					"%s answered %u %s",
					g_uri_get_host(fetch->uri),
					status,
					soup_message_get_reason_phrase(fetch->msg));
		return;
	}

	headers = soup_message_get_response_headers(fetch->msg);
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length(headers) > UB_FIRMWARE_CATALOG_MAX_BODY) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"the answer from %s is far too big for a catalog",
					g_uri_get_host(fetch->uri));
		return;
	}
	fetch->stream = g_steal_pointer(&stream);
	ub_firmware_catalog_fetch_read(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_fetch_send(GTask *task)
{
	UbCatalogFetch *fetch = g_task_get_task_data(task);

	g_clear_object(&fetch->msg);
	fetch->msg = soup_message_new_from_uri(SOUP_METHOD_GET, fetch->uri);
	soup_message_add_flags(fetch->msg, SOUP_MESSAGE_NO_REDIRECT);
	soup_session_send_async(fetch->session,
				fetch->msg,
				G_PRIORITY_DEFAULT,
				g_task_get_cancellable(task),
				ub_firmware_catalog_fetch_send_cb,
				task);
}

static void
ub_firmware_catalog_fetch_async(UbFirmwareCatalog *self,
				const gchar *uri,
				UbHostPurpose purpose,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	UbCatalogFetch *fetch = g_new0(UbCatalogFetch, 1);
	g_autoptr(GError) error = NULL;

	g_task_set_source_tag(task, ub_firmware_catalog_fetch_async);
	fetch->session = g_object_ref(self->session);
	fetch->purpose = purpose;
	fetch->buf = g_byte_array_new();
	g_task_set_task_data(task, fetch, (GDestroyNotify)ub_catalog_fetch_free);

	if (!ub_host_policy_check_uri(uri, purpose, FALSE, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	fetch->uri = g_uri_parse(uri, SOUP_HTTP_URI_FLAGS, &error);
	if (fetch->uri == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"not a valid address: %s",
					error->message);
		return;
	}
	ub_firmware_catalog_fetch_send(g_steal_pointer(&task));
}

/* @transient: whether the failure may pass by itself (offline, server trouble) */
static GBytes *
ub_firmware_catalog_fetch_finish(GAsyncResult *res, gboolean *transient, GError **error)
{
	UbCatalogFetch *fetch = g_task_get_task_data(G_TASK(res));

	*transient = fetch->transient;
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* libsoup and GIO errors become UB_ERROR here; cancellation stays as it is */
static void
ub_firmware_catalog_map_error(GError **error)
{
	GError *mapped;

	if ((*error)->domain == UB_ERROR ||
	    g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	mapped = g_error_new_literal(UB_ERROR,
				     g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
					 ? UB_ERROR_TIMED_OUT
					 : UB_ERROR_FAILED,
				     (*error)->message);
	g_error_free(*error);
	*error = mapped;
}

/* listing */

static void
ub_firmware_catalog_list_done(GTask *task)
{
	UbCatalogList *list = g_task_get_task_data(task);
	UbCatalogResult *result = g_new0(UbCatalogResult, 1);
	g_autoptr(GError) error = NULL;

	if (list->apple != NULL)
		ub_firmware_catalog_merge_apple(list->firmwares, list->apple);
	g_ptr_array_sort(list->firmwares, ub_firmware_compare_newest_first);

	/* whole seconds, the same as a time read back from the cache */
	result->fetched_at = g_date_time_new_from_unix_utc(g_get_real_time() / G_USEC_PER_SEC);
	result->firmwares = g_steal_pointer(&list->firmwares);
	if (list->cache_path != NULL &&
	    !ub_firmware_catalog_write_cache(
		list->cache_path, list->body, list->apple, result->fetched_at, &error)) {
		/* the list itself is fine; only offline use suffers */
		g_info("%s", error->message);
	}
	g_task_return_pointer(task, result, (GDestroyNotify)ub_catalog_result_free);
}

static void
ub_firmware_catalog_list_apple_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogList *list = g_task_get_task_data(task);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	gboolean transient = FALSE;

	body = ub_firmware_catalog_fetch_finish(res, &transient, &error);
	if (body == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* ipsw.me's list stands without Apple's hashes */
		g_debug("failed to fetch Apple's catalog: %s", error->message);
	} else {
		list->apple = ub_firmware_catalog_parse_apple(body, list->product_type, &error);
		if (list->apple == NULL)
			g_debug("failed to read Apple's catalog: %s", error->message);
	}
	ub_firmware_catalog_list_done(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_list_ipswme_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbFirmwareCatalog *self = g_task_get_source_object(task);
	UbCatalogList *list = g_task_get_task_data(task);
	GCancellable *cancellable;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	gboolean transient = FALSE;

	body = ub_firmware_catalog_fetch_finish(res, &transient, &error);
	if (body == NULL) {
		if (transient && list->cache_path != NULL) {
			g_autoptr(GError) error_cache = NULL;
			UbCatalogResult *result = ub_firmware_catalog_read_cache(
			    list->cache_path, list->product_type, &error_cache);
			if (result != NULL) {
				g_debug("offline (%s): using the cached list", error->message);
				g_task_return_pointer(
				    task, result, (GDestroyNotify)ub_catalog_result_free);
				return;
			}
			g_debug("no usable cached list: %s", error_cache->message);
		}
		ub_firmware_catalog_map_error(&error);
		if (g_error_matches(error, UB_ERROR, UB_ERROR_NOT_FOUND))
			g_prefix_error(&error, "ipsw.me does not know %s: ", list->product_type);
		g_prefix_error(&error, "failed to fetch the firmware list: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	list->firmwares = ub_firmware_catalog_parse_ipswme(body, list->product_type, &error);
	if (list->firmwares == NULL) {
		g_prefix_error(&error, "failed to read the firmware list: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	list->body = g_steal_pointer(&body);

	if (self->apple_catalog_url == NULL) {
		ub_firmware_catalog_list_done(g_steal_pointer(&task));
		return;
	}
	cancellable = g_task_get_cancellable(task);
	ub_firmware_catalog_fetch_async(self,
					self->apple_catalog_url,
					UB_HOST_PURPOSE_CATALOG,
					cancellable,
					ub_firmware_catalog_list_apple_cb,
					g_steal_pointer(&task));
}

void
ub_firmware_catalog_list_async(UbFirmwareCatalog *self,
			       const gchar *product_type,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autofree gchar *uri = NULL;
	UbCatalogList *list;

	g_return_if_fail(UB_IS_FIRMWARE_CATALOG(self));
	g_return_if_fail(product_type != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_firmware_catalog_list_async);

	if (!ub_firmware_catalog_product_type_is_valid(product_type)) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"\"%s\" is not a device model",
					product_type);
		return;
	}

	list = g_new0(UbCatalogList, 1);
	list->product_type = g_strdup(product_type);
	if (self->cache_dir != NULL) {
		g_autofree gchar *basename = g_strdup_printf("%s.json", product_type);
		list->cache_path = g_build_filename(self->cache_dir, basename, NULL);
	}
	g_task_set_task_data(task, list, (GDestroyNotify)ub_catalog_list_free);

	uri = g_strdup_printf("%s/device/%s?type=ipsw", self->ipswme_base, product_type);
	ub_firmware_catalog_fetch_async(self,
					uri,
					UB_HOST_PURPOSE_CATALOG,
					cancellable,
					ub_firmware_catalog_list_ipswme_cb,
					g_steal_pointer(&task));
}

GPtrArray *
ub_firmware_catalog_list_finish(UbFirmwareCatalog *self,
				GAsyncResult *result,
				gboolean *is_cached,
				GDateTime **fetched_at,
				GError **error)
{
	g_autoptr(UbCatalogResult) list_result = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_CATALOG(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(
	    g_task_get_source_tag(G_TASK(result)) == ub_firmware_catalog_list_async, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (is_cached != NULL)
		*is_cached = FALSE;
	if (fetched_at != NULL)
		*fetched_at = NULL;
	list_result = g_task_propagate_pointer(G_TASK(result), error);
	if (list_result == NULL)
		return NULL;
	if (is_cached != NULL)
		*is_cached = list_result->is_cached;
	if (fetched_at != NULL)
		*fetched_at = g_date_time_ref(list_result->fetched_at);
	return g_steal_pointer(&list_result->firmwares);
}

static void
ub_firmware_catalog_dispose(GObject *object)
{
	UbFirmwareCatalog *self = UB_FIRMWARE_CATALOG(object);

	g_clear_object(&self->session);

	G_OBJECT_CLASS(ub_firmware_catalog_parent_class)->dispose(object);
}

static void
ub_firmware_catalog_finalize(GObject *object)
{
	UbFirmwareCatalog *self = UB_FIRMWARE_CATALOG(object);

	g_free(self->ipswme_base);
	g_free(self->apple_catalog_url);
	g_free(self->cache_dir);

	G_OBJECT_CLASS(ub_firmware_catalog_parent_class)->finalize(object);
}

static void
ub_firmware_catalog_class_init(UbFirmwareCatalogClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_firmware_catalog_dispose;
	object_class->finalize = ub_firmware_catalog_finalize;
}

static void
ub_firmware_catalog_init(UbFirmwareCatalog *self)
{
	g_autofree gchar *user_agent = g_strdup_printf("Unbrick/%s", PACKAGE_VERSION);

	self->session = soup_session_new_with_options(
	    "user-agent", user_agent, "timeout", UB_FIRMWARE_CATALOG_TIMEOUT_SECS, NULL);
}

UbFirmwareCatalog *
ub_firmware_catalog_new(const gchar *ipswme_base,
			const gchar *apple_catalog_url,
			const gchar *cache_dir)
{
	UbFirmwareCatalog *self;
	gsize len;

	g_return_val_if_fail(ipswme_base != NULL, NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_CATALOG, NULL);
	self->ipswme_base = g_strdup(ipswme_base);

	/* "…/v4/" and "…/v4" are the same base */
	len = strlen(self->ipswme_base);
	while (len > 0 && self->ipswme_base[len - 1] == '/')
		self->ipswme_base[--len] = '\0';
	if (apple_catalog_url != NULL && apple_catalog_url[0] != '\0')
		self->apple_catalog_url = g_strdup(apple_catalog_url);
	if (cache_dir != NULL && cache_dir[0] != '\0')
		self->cache_dir = g_strdup(cache_dir);
	return self;
}
