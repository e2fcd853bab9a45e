/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-card.h"
#include "ub-restore-types.h"

G_BEGIN_DECLS

/* card ids other layers refer to; data/remediation.json has all of them */
#define UB_CARD_USB_CONNECTION "usb-connection"
#define UB_CARD_USB_PERMISSION "usb-permission"
#define UB_CARD_USBMUXD "usbmuxd"
#define UB_CARD_FLATPAK_HOST "flatpak-host"
#define UB_CARD_USB_HUB "usb-hub"
#define UB_CARD_SIGNING_SERVER "signing-server"
#define UB_CARD_SIGNING_REFUSED "signing-refused"
#define UB_CARD_SECURITY_SOFTWARE "security-software"
#define UB_CARD_HARDWARE "hardware"
#define UB_CARD_BASEBAND "baseband"
#define UB_CARD_FDR "fdr"
#define UB_CARD_STORAGE "storage"
#define UB_CARD_PERSONALIZATION "personalization"
#define UB_CARD_ENGINE_OUTDATED "engine-outdated"
#define UB_CARD_ENGINE_MISSING "engine-missing"
#define UB_CARD_FIRMWARE_INVALID "firmware-invalid"
#define UB_CARD_DISK_SPACE "disk-space"
#define UB_CARD_NO_NETWORK "no-network"
#define UB_CARD_DOWNLOAD "download"
#define UB_CARD_ON_BATTERY "on-battery"
#define UB_CARD_BACKUP "backup"
#define UB_CARD_CANCELLED "cancelled"
#define UB_CARD_UNKNOWN "unknown"
#define UB_CARD_NOT_DETECTED "not-detected"
#define UB_CARD_STALLED "stalled"
#define UB_CARD_REPEATED "repeated-failure"
#define UB_CARD_DFU_RESTORE "dfu-restore"
#define UB_CARD_OTHER_COMPUTER "other-computer"
#define UB_CARD_SERVICE "apple-service"

/*
 * UbRemediation: every card, in the order the Troubleshooting page shows
 * them. A GListModel of UbCard.
 */
#define UB_TYPE_REMEDIATION (ub_remediation_get_type())
G_DECLARE_FINAL_TYPE(UbRemediation, ub_remediation, UB, REMEDIATION, GObject)

UbRemediation *
ub_remediation_new_from_bytes(GBytes *json, GError **error);
/* the bundled cards (resource /io/github/unbrick/Unbrick/remediation.json),
 * loaded once */
UbRemediation *
ub_remediation_get_default(void);

UbCard *
ub_remediation_lookup(UbRemediation *self, const gchar *id);
/* the card that explains @cause; every cause has one */
UbCard *
ub_remediation_lookup_cause(UbRemediation *self, UbFailureCause cause);
/* the cards covering Apple's error @code, most specific first; may be empty */
GPtrArray *
ub_remediation_find_code(UbRemediation *self, guint code);
/* the cards matching @query (see ub_card_matches()), in list order; an empty
 * query matches all */
GPtrArray *
ub_remediation_search(UbRemediation *self, const gchar *query);

G_END_DECLS
