/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-preflight-work.h"

G_BEGIN_DECLS

/*
 * One preflight run and the object, shared by the parts that fill its
 * slots: the server check (ub-preflight-servers.c), the power check
 * (ub-preflight-power.c) and the rest with the object (ub-preflight.c).
 */

#define UB_PREFLIGHT_UPOWER_TIMEOUT_MS 2000
#define UB_UPOWER_NAME "org.freedesktop.UPower"
#define UB_UPOWER_PATH "/org/freedesktop/UPower"

/* slots in the result, in the order they are shown */
enum {
	SLOT_USBMUXD,
	SLOT_USB_PERMISSION,
	SLOT_USB_PORT,
	SLOT_DISK_SPACE,
	SLOT_APPLE_SERVERS,
	SLOT_ENGINE,
	SLOT_POWER,
	SLOT_BACKUP,
	N_SLOTS
};

/* the worker fills the first four */
#define N_WORKER_SLOTS (SLOT_DISK_SPACE + 1)

struct _UbPreflight {
	GObject parent_instance;

	UbDevice *device;
	UbRestoreKind kind;
	gboolean backup_acknowledged;
	gboolean simulated_engine;
	UbEngineInfo *engine_info;
	gchar *storage_dir;
	guint64 firmware_size;
	gboolean firmware_cached;
	gchar *target_version;
	gchar *sysfs_root;
	gchar *dev_root;
	gchar *usbmuxd_socket;
	gchar *flatpak_info;
	GDBusConnection *system_bus;
	GStrv server_hosts;
	guint network_timeout_ms;
	UbConnectionCheckAccessFunc access_func;
	gpointer access_data;
};

/* one run, owned by its GTask; only touched on the calling thread */
typedef struct {
	GPtrArray *checks; /* N_SLOTS, filled as the parts finish */
	guint pending;	   /* parts still running */
	gboolean firmware_cached;
	/* apple-servers */
	GStrv hosts;
	gboolean *host_ok;
	guint hosts_pending;
	GCancellable *net_cancellable;
	GCancellable *cancellable; /* the caller's, chained to net_cancellable */
	gulong net_cancel_id;
	GSource *net_timeout; /* on the calling thread's context */
	guint net_timeout_ms;
	/* power */
	GDBusConnection *bus;
} UbPreflightRun;

void
_ub_preflight_bus_get_cb(GObject *source_object, GAsyncResult *result, gpointer user_data);
void
_ub_preflight_net_start(GTask *task);
void
_ub_preflight_power_call(GTask *task);
void
_ub_preflight_run_part_done(GTask *task);
void
_ub_preflight_run_set(UbPreflightRun *run, guint slot, UbCheck *check);
UbCheck *
_ub_preflight_servers_skipped(UbPreflight *self);
gboolean
_ub_preflight_skips_servers(UbPreflight *self);

G_END_DECLS
