/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-device-report.h"
#include "ub-usb-port.h"

G_DEFINE_BOXED_TYPE(UbDeviceReport, ub_device_report, ub_device_report_copy, ub_device_report_free)

UbDeviceReport *
ub_device_report_new(const gchar *source_id, UbDeviceMode mode)
{
	UbDeviceReport *report;

	g_return_val_if_fail(source_id != NULL, NULL);

	report = g_new0(UbDeviceReport, 1);
	report->source_id = g_strdup(source_id);
	report->mode = mode;
	return report;
}

UbDeviceReport *
ub_device_report_copy(const UbDeviceReport *report)
{
	UbDeviceReport *copy;

	g_return_val_if_fail(report != NULL, NULL);

	copy = ub_device_report_new(report->source_id, report->mode);
	copy->ecid = report->ecid;
	copy->product_type = g_strdup(report->product_type);
	copy->hardware_model = g_strdup(report->hardware_model);
	copy->cpid = report->cpid;
	copy->bdid = report->bdid;
	copy->serial = g_strdup(report->serial);
	copy->model_number = g_strdup(report->model_number);
	copy->udid = g_strdup(report->udid);
	copy->ios_version = g_strdup(report->ios_version);
	copy->ios_build = g_strdup(report->ios_build);
	copy->usb_serial = g_strdup(report->usb_serial);
	copy->port = report->port != NULL ? g_object_ref(report->port) : NULL;
	copy->simulated = report->simulated;
	return copy;
}

void
ub_device_report_free(UbDeviceReport *report)
{
	if (report == NULL)
		return;
	g_free(report->source_id);
	g_free(report->product_type);
	g_free(report->hardware_model);
	g_free(report->serial);
	g_free(report->model_number);
	g_free(report->udid);
	g_free(report->ios_version);
	g_free(report->ios_build);
	g_free(report->usb_serial);
	g_clear_object(&report->port);
	g_free(report);
}
