/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-types.h"

G_BEGIN_DECLS

/* ids of the preflight checks, in the order they run and are shown */
#define UB_PREFLIGHT_USBMUXD "usbmuxd"
#define UB_PREFLIGHT_USB_PERMISSION "usb-permission"
#define UB_PREFLIGHT_USB_PORT "usb-port"
#define UB_PREFLIGHT_DISK_SPACE "disk-space"
#define UB_PREFLIGHT_APPLE_SERVERS "apple-servers"
#define UB_PREFLIGHT_ENGINE "engine"
#define UB_PREFLIGHT_POWER "power"
#define UB_PREFLIGHT_BACKUP "backup"

/*
 * UbPreflightCheck: one finished check before a restore. Immutable, so it
 * may be handed between threads.
 */
#define UB_TYPE_PREFLIGHT_CHECK (ub_preflight_check_get_type())
G_DECLARE_FINAL_TYPE(UbPreflightCheck, ub_preflight_check, UB, PREFLIGHT_CHECK, GObject)

/* one of the UB_PREFLIGHT_* ids */
const gchar *
ub_preflight_check_get_id(UbPreflightCheck *self);
UbCheckStatus
ub_preflight_check_get_status(UbPreflightCheck *self);
/* one plain sentence: what was found */
const gchar *
ub_preflight_check_get_title(UbPreflightCheck *self);
/* what to do about it; NULL when it passed */
const gchar *
ub_preflight_check_get_detail(UbPreflightCheck *self);
/* the remediation card (UB_CARD_*) that explains it; NULL when it passed */
const gchar *
ub_preflight_check_get_card_id(UbPreflightCheck *self);

G_END_DECLS
