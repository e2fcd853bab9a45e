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
#include "ub-plist-guard.h"

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

	/* libplist 2.2 would recurse and expand without limit on hostile bytes */
	if (!ub_plist_guard_check((const guint8 *)data, len, error)) {
		g_prefix_error(error, "Apple's catalog cannot be read safely: ");
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
	if (sha1 == NULL || !_ub_firmware_catalog_is_hex(sha1, 40)) {
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
void
_ub_firmware_catalog_merge_apple(GPtrArray *firmwares, UbFirmware *apple)
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
