/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-test-provider.h"

struct _UbTestProvider {
	GObject parent_instance;
};

static void
ub_test_provider_iface_init(UbDeviceProviderInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE(UbTestProvider,
			      ub_test_provider,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_DEVICE_PROVIDER,
						    ub_test_provider_iface_init))

static void
ub_test_provider_class_init(UbTestProviderClass *klass)
{
}

static void
ub_test_provider_init(UbTestProvider *self)
{
}

UbTestProvider *
ub_test_provider_new(void)
{
	return g_object_new(UB_TYPE_TEST_PROVIDER, NULL);
}

UbDeviceReport *
ub_test_report_new(const gchar *source_id,
		   UbDeviceMode mode,
		   guint64 ecid,
		   const gchar *product_type)
{
	UbDeviceReport *report = ub_device_report_new(source_id, mode);

	report->ecid = ecid;
	report->product_type = g_strdup(product_type);
	return report;
}

void
ub_test_provider_seen(UbTestProvider *self,
		      const gchar *source_id,
		      UbDeviceMode mode,
		      guint64 ecid,
		      const gchar *product_type)
{
	g_autoptr(UbDeviceReport) report = ub_test_report_new(source_id, mode, ecid, product_type);
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(self), report);
}
