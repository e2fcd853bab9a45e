/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-download.h"
#include "ub-firmware-cache.h"
#include "ub-firmware-catalog.h"

G_BEGIN_DECLS

#define UB_TYPE_FIRMWARE_MANAGER (ub_firmware_manager_get_type())
G_DECLARE_FINAL_TYPE(UbFirmwareManager, ub_firmware_manager, UB, FIRMWARE_MANAGER, GObject)

/* one place for the catalog, the store and the downloads in flight, so two
 * devices that need the same IPSW share one download */
UbFirmwareManager *
ub_firmware_manager_new(UbFirmwareCatalog *catalog, UbFirmwareCache *cache);
UbFirmwareCatalog *
ub_firmware_manager_get_catalog(UbFirmwareManager *self);
UbFirmwareCache *
ub_firmware_manager_get_cache(UbFirmwareManager *self);
void
ub_firmware_manager_set_connections(UbFirmwareManager *self, guint connections);
/* the verified file for @firmware in the store, or NULL */
const UbCachedFirmware *
ub_firmware_manager_lookup(UbFirmwareManager *self, UbFirmware *firmware);
/* the download of @firmware already under way, or NULL */
UbDownload *
ub_firmware_manager_get_download(UbFirmwareManager *self, UbFirmware *firmware);
/* starts (or joins) the download of @firmware; fails when the catalog gives
 * no hash to verify it against */
UbDownload *
ub_firmware_manager_download(UbFirmwareManager *self, UbFirmware *firmware, GError **error);
/* of UbDownload, every download this session started and not yet removed */
GListModel *
ub_firmware_manager_get_downloads(UbFirmwareManager *self);

G_END_DECLS
