/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-types.h"

G_BEGIN_DECLS

#define UB_TYPE_DEVICE_REPORT (ub_device_report_get_type())

/**
 * UbDeviceReport:
 * What one provider saw of one USB appearance of a device. A device that
 * re-enumerates in another mode produces a new report with a new @source_id;
 * the monitor joins them by @ecid.
 *
 * @source_id: unique per provider and appearance ("irecv:ECID:MODE", "usbmux:UDID")
 * @usb_serial: the USB iSerialNumber, used to find the port in sysfs
 * @model_number: Apple's order number with region ("MLTT3LL/A"), normal mode only
 * @port: where it is plugged in, or %NULL when unknown
 */
typedef struct {
	gchar *source_id;
	UbDeviceMode mode;
	guint64 ecid;
	gchar *product_type;
	gchar *hardware_model;
	guint cpid;
	guint bdid;
	gchar *serial;
	gchar *model_number;
	gchar *udid;
	gchar *ios_version;
	gchar *ios_build;
	gchar *usb_serial;
	UbUsbPort *port;
	gboolean simulated;
} UbDeviceReport;

GType
ub_device_report_get_type(void) G_GNUC_CONST;
UbDeviceReport *
ub_device_report_new(const gchar *source_id, UbDeviceMode mode);
UbDeviceReport *
ub_device_report_copy(const UbDeviceReport *report);
void
ub_device_report_free(UbDeviceReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbDeviceReport, ub_device_report_free)

G_END_DECLS
