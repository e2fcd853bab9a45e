/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <plist/plist.h>

#include "ub-firmware-catalog.h"

G_BEGIN_DECLS

/*
 * The catalog's parts, one file each: the ipsw.me parser
 * (ub-catalog-ipswme.c), Apple's version plist (ub-catalog-apple.c), the
 * offline cache (ub-catalog-cache.c) and the HTTP side with the object
 * itself (ub-firmware-catalog.c).
 */

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

/* a list as the catalog answers it, fetched now or read from the cache */
typedef struct {
	GPtrArray *firmwares;
	gboolean is_cached;
	GDateTime *fetched_at;
} UbCatalogResult;

void
_ub_catalog_result_free(UbCatalogResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbCatalogResult, _ub_catalog_result_free)

/* ub-catalog-ipswme.c */
gboolean
_ub_firmware_catalog_is_hex(const gchar *text, gsize len);
gboolean
_ub_firmware_catalog_product_type_is_valid(const gchar *product_type);
/* a string member of firmware @index (-1: of the answer itself); NULL
 * with no error when absent, null or "" and not @required */
gboolean
_ub_firmware_catalog_get_string(JsonObject *obj,
				gint index,
				const gchar *member,
				gboolean required,
				const gchar **value,
				GError **error);
/* the answer as a JSON object, its nesting bounded before parsing */
JsonObject *
_ub_firmware_catalog_load_json_object(GBytes *bytes, GError **error);

/* ub-catalog-apple.c: Apple's signed build into the ipsw.me list */
void
_ub_firmware_catalog_merge_apple(GPtrArray *firmwares, UbFirmware *apple);

/* ub-catalog-cache.c */
gboolean
_ub_firmware_catalog_write_cache(const gchar *path,
				 GBytes *body,
				 UbFirmware *apple,
				 GDateTime *fetched_at,
				 GError **error);
UbCatalogResult *
_ub_firmware_catalog_read_cache(const gchar *path, const gchar *product_type, GError **error);

G_END_DECLS
