/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ub-device-provider.h"

G_BEGIN_DECLS

/* a provider the test drives by hand: it reports what it is told, from
 * whichever thread calls it, and implements no device commands */
#define UB_TYPE_TEST_PROVIDER (ub_test_provider_get_type())
G_DECLARE_FINAL_TYPE(UbTestProvider, ub_test_provider, UB, TEST_PROVIDER, GObject)

UbTestProvider *
ub_test_provider_new(void);
void
ub_test_provider_seen(UbTestProvider *self,
		      const gchar *source_id,
		      UbDeviceMode mode,
		      guint64 ecid,
		      const gchar *product_type);
UbDeviceReport *
ub_test_report_new(const gchar *source_id,
		   UbDeviceMode mode,
		   guint64 ecid,
		   const gchar *product_type);

G_END_DECLS
