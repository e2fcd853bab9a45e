/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-firmware.h"

G_BEGIN_DECLS

#define UB_TYPE_FIRMWARE_CATALOG (ub_firmware_catalog_get_type())
G_DECLARE_FINAL_TYPE(UbFirmwareCatalog, ub_firmware_catalog, UB, FIRMWARE_CATALOG, GObject)

/* @ipswme_base: "https://api.ipsw.me/v4"; @apple_catalog_url: Apple's
 * version plist; @cache_dir: where the last answers are kept for offline use */
UbFirmwareCatalog *
ub_firmware_catalog_new(const gchar *ipswme_base,
			const gchar *apple_catalog_url,
			const gchar *cache_dir);

/* every IPSW for @product_type, newest first (GPtrArray of UbFirmware);
 * offline, the cached answer is returned and is_cached says so */
void
ub_firmware_catalog_list_async(UbFirmwareCatalog *self,
			       const gchar *product_type,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
GPtrArray *
ub_firmware_catalog_list_finish(UbFirmwareCatalog *self,
				GAsyncResult *result,
				gboolean *is_cached,
				GDateTime **fetched_at,
				GError **error);

/* pure parsers, for tests and fuzzing */
GPtrArray *
ub_firmware_catalog_parse_ipswme(GBytes *json, const gchar *product_type, GError **error);
/* Apple's plist: the current build's FirmwareSHA1 for @product_type,
 * returned as a UbFirmware with only sha1/url/build/version set */
UbFirmware *
ub_firmware_catalog_parse_apple(GBytes *plist, const gchar *product_type, GError **error);

G_END_DECLS
