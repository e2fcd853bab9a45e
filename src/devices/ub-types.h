/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _UbDevice UbDevice;
typedef struct _UbDeviceDb UbDeviceDb;
typedef struct _UbDeviceMonitor UbDeviceMonitor;
typedef struct _UbDeviceProvider UbDeviceProvider;
typedef struct _UbIrecvProvider UbIrecvProvider;
typedef struct _UbIdeviceProvider UbIdeviceProvider;
typedef struct _UbSimProvider UbSimProvider;
typedef struct _UbUsbPort UbUsbPort;

/**
 * UbDeviceMode:
 * @UB_DEVICE_MODE_NORMAL: iOS is running; reached through usbmuxd and lockdown
 * @UB_DEVICE_MODE_RECOVERY: iBoot recovery, the "connect to computer" screen
 * @UB_DEVICE_MODE_DFU: the boot ROM's firmware-update mode; the screen is black
 * @UB_DEVICE_MODE_RESTORE: the restore ramdisk is running
 * @UB_DEVICE_MODE_DISCONNECTED: was seen, is gone, may come back in another mode
 */
typedef enum {
	UB_DEVICE_MODE_NORMAL,
	UB_DEVICE_MODE_RECOVERY,
	UB_DEVICE_MODE_DFU,
	UB_DEVICE_MODE_RESTORE,
	UB_DEVICE_MODE_DISCONNECTED,
} UbDeviceMode;

/**
 * UbButtonScheme:
 * The button combinations that put a model into Recovery or DFU mode, as
 * lettered in the DFU timings reference.
 * @UB_BUTTON_SCHEME_A: Volume Up, Volume Down, hold Side (iPhone 8 and later)
 * @UB_BUTTON_SCHEME_B: Side and Volume Down (iPhone 7)
 * @UB_BUTTON_SCHEME_C: Home and Side/Top (iPhone 6s and earlier, SE 1st gen)
 * @UB_BUTTON_SCHEME_D: iPads without a Home button
 * @UB_BUTTON_SCHEME_E: iPads with a Home button
 */
typedef enum {
	UB_BUTTON_SCHEME_UNKNOWN,
	UB_BUTTON_SCHEME_A,
	UB_BUTTON_SCHEME_B,
	UB_BUTTON_SCHEME_C,
	UB_BUTTON_SCHEME_D,
	UB_BUTTON_SCHEME_E,
} UbButtonScheme;

typedef enum {
	UB_CONNECTOR_UNKNOWN,
	UB_CONNECTOR_LIGHTNING,
	UB_CONNECTOR_USB_C,
} UbConnector;

/**
 * UbRecoveryExit:
 * What happened after the user asked a device to leave Recovery Mode.
 */
typedef enum {
	UB_RECOVERY_EXIT_NONE,
	UB_RECOVERY_EXIT_PENDING,
	UB_RECOVERY_EXIT_BOOTED,
	UB_RECOVERY_EXIT_BACK_IN_RECOVERY,
} UbRecoveryExit;

G_END_DECLS
