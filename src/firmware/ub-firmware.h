/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UB_TYPE_FIRMWARE (ub_firmware_get_type())
G_DECLARE_FINAL_TYPE(UbFirmware, ub_firmware, UB, FIRMWARE, GObject)

/**
 * UbFirmware:
 * One IPSW build for one product type, as a catalog describes it. Immutable
 * once made. Hashes are lowercase hex or %NULL when the catalog has none.
 */
UbFirmware *
ub_firmware_new(const gchar *product_type,
		const gchar *version,
		const gchar *build,
		const gchar *url,
		guint64 size,
		const gchar *sha256,
		const gchar *sha1,
		GDateTime *release_date,
		gboolean is_signed);
const gchar *
ub_firmware_get_product_type(UbFirmware *self);
const gchar *
ub_firmware_get_version(UbFirmware *self);
const gchar *
ub_firmware_get_build(UbFirmware *self);
const gchar *
ub_firmware_get_url(UbFirmware *self);
guint64
ub_firmware_get_size(UbFirmware *self);
const gchar *
ub_firmware_get_sha256(UbFirmware *self);
const gchar *
ub_firmware_get_sha1(UbFirmware *self);
GDateTime *
ub_firmware_get_release_date(UbFirmware *self);
gboolean
ub_firmware_get_signed(UbFirmware *self);
/* the file name in the URL ("iPhone14,2_18.6.2_22G100_Restore.ipsw") */
gchar *
ub_firmware_dup_filename(UbFirmware *self);
/* the first signed one in @firmwares (a catalog's list, newest first): the
 * version a restore uses; NULL when Apple signs none (borrowed) */
UbFirmware *
ub_firmware_pick_signed(GPtrArray *firmwares);
/* newest first: by version (numeric parts), then build */
gint
ub_firmware_compare_newest_first(gconstpointer a, gconstpointer b);

G_END_DECLS
