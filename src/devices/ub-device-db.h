/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-types.h"

G_BEGIN_DECLS

/**
 * UbDeviceModel:
 * One row of the model table: a hardware model of one product type.
 */
typedef struct {
	const gchar *product_type;
	const gchar *hardware_model;
	const gchar *name;
	guint cpid;
	guint bdid;
	UbButtonScheme button_scheme;
	UbConnector connector;
	/* the first libirecovery release that knows the model ("1.1.0"); NULL
	 * when the table does not say */
	const gchar *libirecovery;
	/* the month Apple released it ("2024-09"); NULL when the table does
	 * not say. An engine cannot know a model newer than itself */
	const gchar *released;
} UbDeviceModel;

#define UB_TYPE_DEVICE_DB (ub_device_db_get_type())
G_DECLARE_FINAL_TYPE(UbDeviceDb, ub_device_db, UB, DEVICE_DB, GObject)

/* the table bundled in the GResource, with libirecovery as the fallback */
UbDeviceDb *
ub_device_db_get_default(void);
UbDeviceDb *
ub_device_db_new_from_bytes(GBytes *json, GError **error);
void
ub_device_db_set_use_libirecovery(UbDeviceDb *self, gboolean use_libirecovery);
gboolean
ub_device_db_get_use_libirecovery(UbDeviceDb *self);
guint
ub_device_db_get_n_models(UbDeviceDb *self);
const UbDeviceModel *
ub_device_db_get_model(UbDeviceDb *self, guint index);
const UbDeviceModel *
ub_device_db_lookup_chip(UbDeviceDb *self, guint cpid, guint bdid);
const UbDeviceModel *
ub_device_db_lookup_product_type(UbDeviceDb *self, const gchar *product_type);
const UbDeviceModel *
ub_device_db_lookup_hardware_model(UbDeviceDb *self, const gchar *hardware_model);
UbButtonScheme
ub_device_db_guess_button_scheme(const gchar *product_type);
UbConnector
ub_device_db_guess_connector(const gchar *product_type);

G_END_DECLS
