/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/*
 * The ids of the remediation cards (data/remediation.json), in one place:
 * devices/ and firmware/ name the card that explains a check or an error,
 * guidance/ shows it. tests/test-remediation.c holds the list to the file.
 */
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
