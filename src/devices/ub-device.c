/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device"

#include "config.h"

#include "ub-device-enums.h"
#include "ub-device-private.h"
#include "ub-device-provider.h"
#include "ub-usb-port.h"

struct _UbDevice {
	GObject parent_instance;

	UbDeviceMode mode;
	UbDeviceMode last_connected_mode;
	guint64 ecid;
	gchar *product_type;
	gchar *hardware_model;
	guint cpid;
	guint bdid;
	gchar *name;
	gchar *ios_version;
	gchar *ios_build;
	gchar *serial;
	gchar *model_number;
	gchar *udid;
	UbButtonScheme button_scheme;
	UbConnector connector;
	UbUsbPort *usb_port;
	gboolean simulated;
	UbRecoveryExit recovery_exit;
	gchar *source_id;
	gint64 disconnected_since;
	GWeakRef provider;
};

G_DEFINE_FINAL_TYPE(UbDevice, ub_device, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_MODE,
	PROP_LAST_CONNECTED_MODE,
	PROP_ECID,
	PROP_PRODUCT_TYPE,
	PROP_HARDWARE_MODEL,
	PROP_CPID,
	PROP_BDID,
	PROP_NAME,
	PROP_IOS_VERSION,
	PROP_IOS_BUILD,
	PROP_SERIAL,
	PROP_MODEL_NUMBER,
	PROP_UDID,
	PROP_BUTTON_SCHEME,
	PROP_CONNECTOR,
	PROP_USB_PORT,
	PROP_SIMULATED,
	PROP_RECOVERY_EXIT,
	N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ub_device_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbDevice *self = UB_DEVICE(object);

	switch (prop_id) {
	case PROP_MODE:
		g_value_set_enum(value, self->mode);
		break;
	case PROP_LAST_CONNECTED_MODE:
		g_value_set_enum(value, self->last_connected_mode);
		break;
	case PROP_ECID:
		g_value_set_uint64(value, self->ecid);
		break;
	case PROP_PRODUCT_TYPE:
		g_value_set_string(value, self->product_type);
		break;
	case PROP_HARDWARE_MODEL:
		g_value_set_string(value, self->hardware_model);
		break;
	case PROP_CPID:
		g_value_set_uint(value, self->cpid);
		break;
	case PROP_BDID:
		g_value_set_uint(value, self->bdid);
		break;
	case PROP_NAME:
		g_value_set_string(value, ub_device_get_name(self));
		break;
	case PROP_IOS_VERSION:
		g_value_set_string(value, self->ios_version);
		break;
	case PROP_IOS_BUILD:
		g_value_set_string(value, self->ios_build);
		break;
	case PROP_SERIAL:
		g_value_set_string(value, self->serial);
		break;
	case PROP_MODEL_NUMBER:
		g_value_set_string(value, self->model_number);
		break;
	case PROP_UDID:
		g_value_set_string(value, self->udid);
		break;
	case PROP_BUTTON_SCHEME:
		g_value_set_enum(value, self->button_scheme);
		break;
	case PROP_CONNECTOR:
		g_value_set_enum(value, self->connector);
		break;
	case PROP_USB_PORT:
		g_value_set_object(value, self->usb_port);
		break;
	case PROP_SIMULATED:
		g_value_set_boolean(value, self->simulated);
		break;
	case PROP_RECOVERY_EXIT:
		g_value_set_enum(value, self->recovery_exit);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_device_finalize(GObject *object)
{
	UbDevice *self = UB_DEVICE(object);

	g_free(self->product_type);
	g_free(self->hardware_model);
	g_free(self->name);
	g_free(self->ios_version);
	g_free(self->ios_build);
	g_free(self->serial);
	g_free(self->model_number);
	g_free(self->udid);
	g_free(self->source_id);
	g_weak_ref_clear(&self->provider);

	G_OBJECT_CLASS(ub_device_parent_class)->finalize(object);
}

static void
ub_device_dispose(GObject *object)
{
	UbDevice *self = UB_DEVICE(object);

	g_clear_object(&self->usb_port);

	G_OBJECT_CLASS(ub_device_parent_class)->dispose(object);
}

static GParamSpec *
string_pspec(const gchar *name)
{
	return g_param_spec_string(name,
				   NULL,
				   NULL,
				   NULL,
				   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
				       G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
uint_pspec(const gchar *name)
{
	return g_param_spec_uint(name,
				 NULL,
				 NULL,
				 0,
				 G_MAXUINT,
				 0,
				 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
				     G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
enum_pspec(const gchar *name, GType type, gint default_value)
{
	return g_param_spec_enum(name,
				 NULL,
				 NULL,
				 type,
				 default_value,
				 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
				     G_PARAM_EXPLICIT_NOTIFY);
}

static void
ub_device_class_init(UbDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = ub_device_get_property;
	object_class->dispose = ub_device_dispose;
	object_class->finalize = ub_device_finalize;

	properties[PROP_MODE] =
	    enum_pspec("mode", UB_TYPE_DEVICE_MODE, UB_DEVICE_MODE_DISCONNECTED);
	properties[PROP_LAST_CONNECTED_MODE] =
	    enum_pspec("last-connected-mode", UB_TYPE_DEVICE_MODE, UB_DEVICE_MODE_DISCONNECTED);
	properties[PROP_ECID] = g_param_spec_uint64("ecid",
						    NULL,
						    NULL,
						    0,
						    G_MAXUINT64,
						    0,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
							G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_PRODUCT_TYPE] = string_pspec("product-type");
	properties[PROP_HARDWARE_MODEL] = string_pspec("hardware-model");
	properties[PROP_CPID] = uint_pspec("cpid");
	properties[PROP_BDID] = uint_pspec("bdid");
	properties[PROP_NAME] = string_pspec("name");
	properties[PROP_IOS_VERSION] = string_pspec("ios-version");
	properties[PROP_IOS_BUILD] = string_pspec("ios-build");
	properties[PROP_SERIAL] = string_pspec("serial");
	properties[PROP_MODEL_NUMBER] = string_pspec("model-number");
	properties[PROP_UDID] = string_pspec("udid");
	properties[PROP_BUTTON_SCHEME] =
	    enum_pspec("button-scheme", UB_TYPE_BUTTON_SCHEME, UB_BUTTON_SCHEME_UNKNOWN);
	properties[PROP_CONNECTOR] =
	    enum_pspec("connector", UB_TYPE_CONNECTOR, UB_CONNECTOR_UNKNOWN);
	properties[PROP_USB_PORT] = g_param_spec_object("usb-port",
							NULL,
							NULL,
							UB_TYPE_USB_PORT,
							G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
							    G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_SIMULATED] = g_param_spec_boolean(
	    "simulated",
	    NULL,
	    NULL,
	    FALSE,
	    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_RECOVERY_EXIT] =
	    enum_pspec("recovery-exit", UB_TYPE_RECOVERY_EXIT, UB_RECOVERY_EXIT_NONE);
	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_device_init(UbDevice *self)
{
	self->mode = UB_DEVICE_MODE_DISCONNECTED;
	self->last_connected_mode = UB_DEVICE_MODE_DISCONNECTED;
	g_weak_ref_init(&self->provider, NULL);
}

UbDevice *
_ub_device_new(guint64 ecid)
{
	UbDevice *self = g_object_new(UB_TYPE_DEVICE, NULL);
	self->ecid = ecid;
	return self;
}

/* keeps what is known when a later report knows less: Recovery does not
 * tell the iOS version, but the device still has the one it had */
static void
update_string(UbDevice *self, gchar **field, const gchar *value, guint prop_id)
{
	if (value == NULL || value[0] == '\0' || g_strcmp0(*field, value) == 0)
		return;
	g_free(*field);
	*field = g_strdup(value);
	g_object_notify_by_pspec(G_OBJECT(self), properties[prop_id]);
	if (prop_id == PROP_PRODUCT_TYPE && self->name == NULL)
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_NAME]);
}

static void
update_uint(UbDevice *self, guint *field, guint value, guint prop_id)
{
	if (value == 0 || *field == value)
		return;
	*field = value;
	g_object_notify_by_pspec(G_OBJECT(self), properties[prop_id]);
}

static void
update_enum(UbDevice *self, gint *field, gint value, guint prop_id)
{
	if (*field == value)
		return;
	*field = value;
	g_object_notify_by_pspec(G_OBJECT(self), properties[prop_id]);
}

static void
set_mode(UbDevice *self, UbDeviceMode mode)
{
	if (self->mode == mode)
		return;
	self->mode = mode;
	if (mode != UB_DEVICE_MODE_DISCONNECTED) {
		self->disconnected_since = 0;
		update_enum(
		    self, (gint *)&self->last_connected_mode, mode, PROP_LAST_CONNECTED_MODE);
	} else {
		self->disconnected_since = g_get_monotonic_time();
	}
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_MODE]);
}

static void
apply_model(UbDevice *self, const UbDeviceModel *model)
{
	if (model == NULL)
		return;
	update_string(self, &self->product_type, model->product_type, PROP_PRODUCT_TYPE);
	update_string(self, &self->hardware_model, model->hardware_model, PROP_HARDWARE_MODEL);
	update_string(self, &self->name, model->name, PROP_NAME);
	update_uint(self, &self->cpid, model->cpid, PROP_CPID);
	update_uint(self, &self->bdid, model->bdid, PROP_BDID);
	update_enum(self, (gint *)&self->button_scheme, model->button_scheme, PROP_BUTTON_SCHEME);
	update_enum(self, (gint *)&self->connector, model->connector, PROP_CONNECTOR);
}

void
_ub_device_apply_report(UbDevice *self, const UbDeviceReport *report, UbDeviceDb *db)
{
	const UbDeviceModel *model = NULL;

	g_return_if_fail(UB_IS_DEVICE(self));
	g_return_if_fail(report != NULL);

	g_object_freeze_notify(G_OBJECT(self));

	g_free(self->source_id);
	self->source_id = g_strdup(report->source_id);
	if (self->ecid == 0 && report->ecid != 0) {
		self->ecid = report->ecid;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ECID]);
	}
	update_string(self, &self->product_type, report->product_type, PROP_PRODUCT_TYPE);
	update_string(self, &self->hardware_model, report->hardware_model, PROP_HARDWARE_MODEL);
	update_uint(self, &self->cpid, report->cpid, PROP_CPID);
	update_uint(self, &self->bdid, report->bdid, PROP_BDID);
	update_string(self, &self->ios_version, report->ios_version, PROP_IOS_VERSION);
	update_string(self, &self->ios_build, report->ios_build, PROP_IOS_BUILD);
	update_string(self, &self->serial, report->serial, PROP_SERIAL);
	update_string(self, &self->model_number, report->model_number, PROP_MODEL_NUMBER);
	update_string(self, &self->udid, report->udid, PROP_UDID);
	if (report->simulated != self->simulated) {
		self->simulated = report->simulated;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SIMULATED]);
	}
	if (report->port != NULL && self->usb_port != report->port) {
		g_set_object(&self->usb_port, report->port);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_USB_PORT]);
	}

	/* the chip identity is exact; the product type alone can match several
	 * hardware models, so it comes second */
	if (db != NULL) {
		if (self->cpid != 0 && self->bdid != 0)
			model = ub_device_db_lookup_chip(db, self->cpid, self->bdid);
		if (model == NULL && self->hardware_model != NULL)
			model = ub_device_db_lookup_hardware_model(db, self->hardware_model);
		if (model == NULL && self->product_type != NULL)
			model = ub_device_db_lookup_product_type(db, self->product_type);
		apply_model(self, model);
	}
	if (self->button_scheme == UB_BUTTON_SCHEME_UNKNOWN && self->product_type != NULL)
		update_enum(self,
			    (gint *)&self->button_scheme,
			    ub_device_db_guess_button_scheme(self->product_type),
			    PROP_BUTTON_SCHEME);
	if (self->connector == UB_CONNECTOR_UNKNOWN && self->product_type != NULL)
		update_enum(self,
			    (gint *)&self->connector,
			    ub_device_db_guess_connector(self->product_type),
			    PROP_CONNECTOR);

	set_mode(self, report->mode);

	g_object_thaw_notify(G_OBJECT(self));
}

void
_ub_device_set_disconnected(UbDevice *self)
{
	g_return_if_fail(UB_IS_DEVICE(self));
	set_mode(self, UB_DEVICE_MODE_DISCONNECTED);
}

void
_ub_device_set_recovery_exit(UbDevice *self, UbRecoveryExit recovery_exit)
{
	g_return_if_fail(UB_IS_DEVICE(self));
	update_enum(self, (gint *)&self->recovery_exit, recovery_exit, PROP_RECOVERY_EXIT);
}

gint64
_ub_device_get_disconnected_since(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), 0);
	return self->disconnected_since;
}

void
_ub_device_set_provider(UbDevice *self, UbDeviceProvider *provider)
{
	g_return_if_fail(UB_IS_DEVICE(self));
	g_weak_ref_set(&self->provider, provider);
}

/* transfer full */
UbDeviceProvider *
_ub_device_get_provider(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return g_weak_ref_get(&self->provider);
}

UbDeviceMode
ub_device_get_mode(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), UB_DEVICE_MODE_DISCONNECTED);
	return self->mode;
}

UbDeviceMode
ub_device_get_last_connected_mode(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), UB_DEVICE_MODE_DISCONNECTED);
	return self->last_connected_mode;
}

guint64
ub_device_get_ecid(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), 0);
	return self->ecid;
}

/* the way Apple's tools and idevicerestore's -i option print it */
gchar *
ub_device_dup_ecid_string(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	if (self->ecid == 0)
		return NULL;
	return g_strdup_printf("0x%" G_GINT64_MODIFIER "X", self->ecid);
}

const gchar *
ub_device_get_product_type(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->product_type;
}

const gchar *
ub_device_get_hardware_model(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->hardware_model;
}

guint
ub_device_get_cpid(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), 0);
	return self->cpid;
}

guint
ub_device_get_bdid(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), 0);
	return self->bdid;
}

gboolean
ub_device_get_is_ipad(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), FALSE);
	return self->product_type != NULL && g_str_has_prefix(self->product_type, "iPad");
}

const gchar *
ub_device_get_name(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	if (self->name != NULL)
		return self->name;
	/* never blank: a model we do not know yet is still an Apple device */
	if (self->product_type != NULL)
		return self->product_type;
	return "Apple device";
}

const gchar *
ub_device_get_ios_version(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->ios_version;
}

const gchar *
ub_device_get_ios_build(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->ios_build;
}

const gchar *
ub_device_get_serial(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->serial;
}

const gchar *
ub_device_get_model_number(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->model_number;
}

const gchar *
ub_device_get_udid(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->udid;
}

UbButtonScheme
ub_device_get_button_scheme(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), UB_BUTTON_SCHEME_UNKNOWN);
	return self->button_scheme;
}

UbConnector
ub_device_get_connector(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), UB_CONNECTOR_UNKNOWN);
	return self->connector;
}

UbUsbPort *
ub_device_get_usb_port(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->usb_port;
}

gboolean
ub_device_get_simulated(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), FALSE);
	return self->simulated;
}

UbRecoveryExit
ub_device_get_recovery_exit(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), UB_RECOVERY_EXIT_NONE);
	return self->recovery_exit;
}

const gchar *
ub_device_get_source_id(UbDevice *self)
{
	g_return_val_if_fail(UB_IS_DEVICE(self), NULL);
	return self->source_id;
}
