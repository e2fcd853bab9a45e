/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-connection-check.h"
#include "ub-device.h"
#include "ub-engine-info.h"
#include "ub-restore-types.h"

G_BEGIN_DECLS

/* Apple's signing server (TSS), which has to approve every restore */
#define UB_PREFLIGHT_SIGNING_HOST "gs.apple.com:443"
/* the host of the default firmware catalog (the catalog-url setting) */
#define UB_PREFLIGHT_CATALOG_HOST "api.ipsw.me:443"
#define UB_PREFLIGHT_DEFAULT_NETWORK_TIMEOUT_MS 5000

/* ids of the preflight checks, in the order they run and are shown; the
 * first two are the connection checks page's ids for the same checks */
#define UB_PREFLIGHT_USBMUXD UB_CHECK_USBMUXD
#define UB_PREFLIGHT_USB_PERMISSION UB_CHECK_PERMISSION
#define UB_PREFLIGHT_USB_PORT "usb-port"
#define UB_PREFLIGHT_DISK_SPACE "disk-space"
#define UB_PREFLIGHT_APPLE_SERVERS "apple-servers"
#define UB_PREFLIGHT_ENGINE "engine"
#define UB_PREFLIGHT_POWER "power"
#define UB_PREFLIGHT_BACKUP "backup"

/*
 * UbPreflight: the checks before a restore, in a fixed order (see the
 * UB_PREFLIGHT_* ids): usbmuxd, USB permission, USB port, disk space,
 * Apple's servers, the engine, power and, for an erase, the backup.
 *
 * Configure it, run it once or more; each run works on a copy of the
 * settings made when it starts.
 */
#define UB_TYPE_PREFLIGHT (ub_preflight_get_type())
G_DECLARE_FINAL_TYPE(UbPreflight, ub_preflight, UB, PREFLIGHT, GObject)

UbPreflight *
ub_preflight_new(UbDevice *device, UbRestoreKind kind);
UbDevice *
ub_preflight_get_device(UbPreflight *self);
UbRestoreKind
ub_preflight_get_kind(UbPreflight *self);

/* the consent dialog's "my data is backed up" (only an erase needs it) */
void
ub_preflight_set_backup_acknowledged(UbPreflight *self, gboolean backup_acknowledged);
gboolean
ub_preflight_get_backup_acknowledged(UbPreflight *self);
/* the probed engine; NULL when none was found */
void
ub_preflight_set_engine_info(UbPreflight *self, UbEngineInfo *info);
/* @storage_dir: the firmware folder (NULL: the user cache folder); @cached:
 * the firmware is already there, so only its extraction needs space */
void
ub_preflight_set_firmware(UbPreflight *self,
			  const gchar *storage_dir,
			  guint64 firmware_size,
			  gboolean cached);
/* the restore replays a recorded one (a demo device): no engine is needed
 * and no server is asked */
void
ub_preflight_set_simulated_engine(UbPreflight *self, gboolean simulated);
gboolean
ub_preflight_get_simulated_engine(UbPreflight *self);
/* the iOS version to install ("17.5"), so the engine check can tell
 * whether the engine knows it; NULL when unknown */
void
ub_preflight_set_target_version(UbPreflight *self, const gchar *ios_version);
/* where the USB checks look; NULL for the real system; strings are copied */
void
ub_preflight_set_connection_env(UbPreflight *self, const UbConnectionCheckEnv *env);
/* where UPower is asked; default: the system bus */
void
ub_preflight_set_system_bus(UbPreflight *self, GDBusConnection *bus);
/* "host:port" strings, Apple's signing server first; default
 * UB_PREFLIGHT_SIGNING_HOST and UB_PREFLIGHT_CATALOG_HOST */
void
ub_preflight_set_server_hosts(UbPreflight *self, const gchar *const *host_ports);
/* how long each server may take to answer, in milliseconds */
void
ub_preflight_set_network_timeout(UbPreflight *self, guint timeout_ms);

void
ub_preflight_run_async(UbPreflight *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
/* (transfer container) (element-type UbCheck), one per UB_PREFLIGHT_*
 * id in that order, each with its card id when it did not pass; NULL with
 * G_IO_ERROR_CANCELLED when cancelled */
GPtrArray *
ub_preflight_run_finish(UbPreflight *self, GAsyncResult *result, GError **error);

/* the first failed check, or NULL: what blocks the restore (transfer none) */
UbCheck *
ub_preflight_get_blocker(GPtrArray *checks);

G_END_DECLS
