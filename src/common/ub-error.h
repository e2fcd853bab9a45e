/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UB_ERROR ub_error_quark()

/**
 * UbError:
 * @UB_ERROR_FAILED: something went wrong that has no better code
 * @UB_ERROR_NOT_SUPPORTED: the device or its mode cannot do this
 * @UB_ERROR_DEVICE_LOST: the device went away during the operation
 * @UB_ERROR_TIMED_OUT: the device or a helper did not answer in time
 * @UB_ERROR_INVALID_DATA: a file or a reply was malformed
 * @UB_ERROR_NOT_FOUND: no such device, file or entry
 * @UB_ERROR_PERMISSION_DENIED: the USB node or socket cannot be opened
 * @UB_ERROR_NOT_TRUSTED: the device has not trusted this computer (no pairing)
 * @UB_ERROR_CHECKSUM_MISMATCH: downloaded or chosen firmware is not the file the
 *   catalog describes; it was discarded
 *
 * Cancellation stays G_IO_ERROR_CANCELLED.
 */
typedef enum {
	UB_ERROR_FAILED,
	UB_ERROR_NOT_SUPPORTED,
	UB_ERROR_DEVICE_LOST,
	UB_ERROR_TIMED_OUT,
	UB_ERROR_INVALID_DATA,
	UB_ERROR_NOT_FOUND,
	UB_ERROR_PERMISSION_DENIED,
	UB_ERROR_NOT_TRUSTED,
	UB_ERROR_CHECKSUM_MISMATCH,
} UbError;

GQuark
ub_error_quark(void);

G_END_DECLS
