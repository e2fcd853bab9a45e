/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libirecovery.h>

#include "ub-error.h"
#include "ub-irecv-provider.h"

G_BEGIN_DECLS

/* Recovery (0x1280-0x1283) or DFU (0x1227); UB_DEVICE_MODE_DISCONNECTED for
 * everything this provider does not report, WTF mode (0x1222) included */
UbDeviceMode
_ub_irecv_provider_mode_from_pid(guint pid);

/* "irecv:001A2B3C4D5E6F70:1281" */
gchar *
_ub_irecv_provider_format_source_id(guint64 ecid, guint pid);
gboolean
_ub_irecv_provider_parse_source_id(const gchar *source_id, guint64 *ecid, guint *pid);

/* the ECID in a Recovery/DFU USB serial string ("... ECID:001A2B3C4D5E6F70 ...") */
gboolean
_ub_irecv_provider_parse_serial_ecid(const gchar *serial_string, guint64 *ecid);

/* product type and hardware model from libirecovery's own table, by CPID and
 * BDID; FALSE when this libirecovery is too old to know the model */
gboolean
_ub_irecv_provider_lookup_model(guint cpid,
				guint bdid,
				const gchar **product_type,
				const gchar **hardware_model);

/* a report from what an IRECV_DEVICE_ADD event carries; the port is looked up
 * in @sysfs_root unless it is NULL; NULL when @pid is no mode we report */
UbDeviceReport *
_ub_irecv_provider_build_report(const struct irecv_device_info *info,
				guint pid,
				const gchar *sysfs_root);

/* which UbError a libirecovery error is */
UbError
_ub_irecv_provider_error_code(irecv_error_t error);

/* tests: feed events as libirecovery would, from any thread, without
 * subscribing to the real library */
void
_ub_irecv_provider_set_use_library(UbIrecvProvider *self, gboolean use_library);
void
_ub_irecv_provider_handle_event(UbIrecvProvider *self, const irecv_device_event_t *event);
/* whether sysfs is polled for Recovery and DFU devices besides libirecovery's
 * events: AUTO polls where no hotplug event arrives (a Flatpak, no udev) */
typedef enum {
	UB_IRECV_POLLING_AUTO,
	UB_IRECV_POLLING_ALWAYS,
	UB_IRECV_POLLING_NEVER,
} UbIrecvPolling;
void
_ub_irecv_provider_set_polling(UbIrecvProvider *self, UbIrecvPolling polling, guint interval_ms);
/* whether the provider, started, polls */
gboolean
_ub_irecv_provider_get_polling(UbIrecvProvider *self);
/* how often exit_recovery tries to open the device, a second apart */
void
_ub_irecv_provider_set_open_attempts(UbIrecvProvider *self, guint attempts);

G_END_DECLS
