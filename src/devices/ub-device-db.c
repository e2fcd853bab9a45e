/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device-db"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libirecovery.h>
#include <string.h>

#include "ub-device-db.h"
#include "ub-error.h"
#include "ub-json.h"

#define UB_DEVICE_DB_RESOURCE RESOURCE_PATH "/devices.json"
#define UB_DEVICE_DB_VERSION 1

/* what the SecureROM can report: CPID is a 16-bit chip id, BDID one byte */
#define UB_DEVICE_DB_CPID_MAX 0xffff
#define UB_DEVICE_DB_BDID_MAX 0xff

struct _UbDeviceDb {
	GObject parent_instance;
	GPtrArray *models;	  /* of UbDeviceModel, the bundled table */
	GStringChunk *strings;	  /* the bundled table's strings */
	gint use_libirecovery;	  /* atomic, read from worker threads */
	GMutex irecv_mutex;	  /* guards the two fields below */
	GHashTable *irecv_models; /* irecv_device_t -> UbDeviceModel, built on demand */
	GStringChunk *irecv_strings;
};

G_DEFINE_FINAL_TYPE(UbDeviceDb, ub_device_db, G_TYPE_OBJECT)

typedef enum {
	UB_PRODUCT_FAMILY_UNKNOWN,
	UB_PRODUCT_FAMILY_IPHONE,
	UB_PRODUCT_FAMILY_IPAD,
	UB_PRODUCT_FAMILY_IPOD,
} UbProductFamily;

typedef enum {
	UB_DEVICE_DB_MATCH_CHIP,
	UB_DEVICE_DB_MATCH_PRODUCT_TYPE,
	UB_DEVICE_DB_MATCH_HARDWARE_MODEL,
} UbDeviceDbMatch;

static void
ub_device_db_finalize(GObject *object)
{
	UbDeviceDb *self = UB_DEVICE_DB(object);

	g_clear_pointer(&self->models, g_ptr_array_unref);
	g_clear_pointer(&self->strings, g_string_chunk_free);
	g_clear_pointer(&self->irecv_models, g_hash_table_unref);
	g_clear_pointer(&self->irecv_strings, g_string_chunk_free);
	g_mutex_clear(&self->irecv_mutex);

	G_OBJECT_CLASS(ub_device_db_parent_class)->finalize(object);
}

static void
ub_device_db_class_init(UbDeviceDbClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = ub_device_db_finalize;
}

static void
ub_device_db_init(UbDeviceDb *self)
{
	self->models = g_ptr_array_new_with_free_func(g_free);
	self->strings = g_string_chunk_new(4096);
	self->irecv_models = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	self->irecv_strings = g_string_chunk_new(512);
	g_mutex_init(&self->irecv_mutex);
}

/* "iPhone14,2" -> family, 14, 2; anything else in the string is a miss */
static gboolean
ub_device_db_parse_product_type(const gchar *product_type,
				UbProductFamily *family,
				guint *major,
				guint *minor)
{
	const struct {
		const gchar *prefix;
		UbProductFamily family;
	} prefixes[] = {
	    {"iPhone", UB_PRODUCT_FAMILY_IPHONE},
	    {"iPad", UB_PRODUCT_FAMILY_IPAD},
	    {"iPod", UB_PRODUCT_FAMILY_IPOD},
	};
	const gchar *cursor = NULL;
	guint64 numbers[2] = {0, 0};

	g_assert(product_type != NULL);

	for (guint i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		if (g_str_has_prefix(product_type, prefixes[i].prefix)) {
			*family = prefixes[i].family;
			cursor = product_type + strlen(prefixes[i].prefix);
			break;
		}
	}
	if (cursor == NULL)
		return FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(numbers); i++) {
		const gchar *start = cursor;

		while (g_ascii_isdigit(*cursor) && cursor - start < 4) {
			numbers[i] = numbers[i] * 10 + (guint64)(*cursor - '0');
			cursor++;
		}
		if (cursor == start)
			return FALSE;
		if (i == 0) {
			if (*cursor != ',')
				return FALSE;
			cursor++;
		}
	}
	if (*cursor != '\0')
		return FALSE;

	*major = (guint)numbers[0];
	*minor = (guint)numbers[1];
	return TRUE;
}

/**
 * ub_device_db_guess_button_scheme:
 * @product_type: a product type such as "iPhone14,2"
 *
 * The button scheme for a product type from the rules in the devices
 * reference (section 3), for models missing from the bundled table.
 *
 * Returns: a scheme, or %UB_BUTTON_SCHEME_UNKNOWN for anything that is not an
 * iPhone, iPad or iPod touch
 */
UbButtonScheme
ub_device_db_guess_button_scheme(const gchar *product_type)
{
	UbProductFamily family = UB_PRODUCT_FAMILY_UNKNOWN;
	guint major = 0;
	guint minor = 0;

	g_return_val_if_fail(product_type != NULL, UB_BUTTON_SCHEME_UNKNOWN);

	if (!ub_device_db_parse_product_type(product_type, &family, &major, &minor))
		return UB_BUTTON_SCHEME_UNKNOWN;

	switch (family) {
	case UB_PRODUCT_FAMILY_IPHONE:
		/* iPhone 8 and later, including the SE 2 and SE 3 with their Home
		 * button, all use the Volume Up, Volume Down, Side sequence */
		if (major >= 10)
			return UB_BUTTON_SCHEME_A;
		if (major == 9)
			return UB_BUTTON_SCHEME_B;
		return UB_BUTTON_SCHEME_C;
	case UB_PRODUCT_FAMILY_IPAD:
		if (major == 8)
			return UB_BUTTON_SCHEME_D;
		/* iPad13 mixes numbers; the gaps (13,3, 13,12-15) were never sold */
		if (major == 13 && (minor == 1 || minor == 2 || (minor >= 4 && minor <= 11) ||
				    (minor >= 16 && minor <= 19)))
			return UB_BUTTON_SCHEME_D;
		/* Apple stopped making Home-button iPads with the 9th gen (iPad12),
		 * so everything from iPad14 on, including future ones, has none */
		if (major >= 14)
			return UB_BUTTON_SCHEME_D;
		return UB_BUTTON_SCHEME_E;
	case UB_PRODUCT_FAMILY_IPOD:
		return UB_BUTTON_SCHEME_C;
	case UB_PRODUCT_FAMILY_UNKNOWN:
	default:
		return UB_BUTTON_SCHEME_UNKNOWN;
	}
}

/**
 * ub_device_db_guess_connector:
 * @product_type: a product type such as "iPhone15,4"
 *
 * The cable connector for a product type from the rules in the devices
 * reference (section 3), for models missing from the bundled table.
 *
 * Returns: a connector, or %UB_CONNECTOR_UNKNOWN for unknown products and for
 * the 30-pin dock connector models, which have no #UbConnector value
 */
UbConnector
ub_device_db_guess_connector(const gchar *product_type)
{
	UbProductFamily family = UB_PRODUCT_FAMILY_UNKNOWN;
	guint major = 0;
	guint minor = 0;

	g_return_val_if_fail(product_type != NULL, UB_CONNECTOR_UNKNOWN);

	if (!ub_device_db_parse_product_type(product_type, &family, &major, &minor))
		return UB_CONNECTOR_UNKNOWN;

	switch (family) {
	case UB_PRODUCT_FAMILY_IPHONE:
		if (major >= 16 || (major == 15 && minor >= 4))
			return UB_CONNECTOR_USB_C;
		/* iPhone 4s and earlier have the 30-pin dock connector */
		if (major <= 4)
			return UB_CONNECTOR_UNKNOWN;
		return UB_CONNECTOR_LIGHTNING;
	case UB_PRODUCT_FAMILY_IPAD:
		if (major == 8 || major >= 13)
			return UB_CONNECTOR_USB_C;
		/* iPad 1-3 and iPad 2 (incl. its 2012 revision) are 30-pin; the
		 * first mini (iPad2,5-7) and the 4th gen (iPad3,4-6) are Lightning */
		if (major == 1 || (major == 2 && minor <= 4) || (major == 3 && minor <= 3))
			return UB_CONNECTOR_UNKNOWN;
		return UB_CONNECTOR_LIGHTNING;
	case UB_PRODUCT_FAMILY_IPOD:
		/* iPod touch 5th gen (iPod5,1) introduced Lightning */
		if (major >= 5)
			return UB_CONNECTOR_LIGHTNING;
		return UB_CONNECTOR_UNKNOWN;
	case UB_PRODUCT_FAMILY_UNKNOWN:
	default:
		return UB_CONNECTOR_UNKNOWN;
	}
}

static gboolean
ub_device_db_parse_string(JsonObject *obj,
			  guint index,
			  const gchar *member,
			  const gchar **value,
			  GError **error)
{
	g_autofree gchar *where = g_strdup_printf("model %u", index);

	return ub_json_get_string(
	    obj, where, member, UB_JSON_REQUIRED | UB_JSON_NON_EMPTY, value, error);
}

/* the file uses "0x8110" strings because that is how CPIDs are written
 * everywhere else; a plain integer is accepted too */
static gboolean
ub_device_db_parse_id(JsonObject *obj,
		      guint index,
		      const gchar *member,
		      guint max,
		      guint *value,
		      GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);
	GType value_type = G_TYPE_INVALID;

	if (node == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "model %u: \"%s\" is missing",
			    index,
			    member);
		return FALSE;
	}
	if (JSON_NODE_HOLDS_VALUE(node))
		value_type = json_node_get_value_type(node);

	if (value_type == G_TYPE_INT64) {
		gint64 number = json_node_get_int(node);

		if (number < 0 || number > (gint64)max) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "model %u: \"%s\" %" G_GINT64_FORMAT " is out of range",
				    index,
				    member,
				    number);
			return FALSE;
		}
		*value = (guint)number;
		return TRUE;
	}

	if (value_type == G_TYPE_STRING) {
		const gchar *str = json_node_get_string(node);
		guint64 number = 0;
		g_autoptr(GError) error_local = NULL;

		if (str == NULL || (!g_str_has_prefix(str, "0x") && !g_str_has_prefix(str, "0X"))) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "model %u: \"%s\" \"%s\" does not start with 0x",
				    index,
				    member,
				    str != NULL ? str : "");
			return FALSE;
		}
		if (!g_ascii_string_to_unsigned(str + 2, 16, 0, max, &number, &error_local)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "model %u: \"%s\" \"%s\" is not a valid number: %s",
				    index,
				    member,
				    str,
				    error_local->message);
			return FALSE;
		}
		*value = (guint)number;
		return TRUE;
	}

	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_INVALID_DATA,
		    "model %u: \"%s\" is neither a hex string nor an integer",
		    index,
		    member);
	return FALSE;
}

static gboolean
ub_device_db_parse_button_scheme(JsonObject *obj,
				 guint index,
				 UbButtonScheme *scheme,
				 GError **error)
{
	const gchar *str = NULL;

	if (!ub_device_db_parse_string(obj, index, "button-scheme", &str, error))
		return FALSE;

	/* the letters of the DFU timings reference, in UbButtonScheme order */
	if (str[1] != '\0' || str[0] < 'a' || str[0] > 'e') {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "model %u: \"button-scheme\" \"%s\" is not one of a, b, c, d, e",
			    index,
			    str);
		return FALSE;
	}
	*scheme = UB_BUTTON_SCHEME_A + (str[0] - 'a');
	return TRUE;
}

static gboolean
ub_device_db_parse_connector(JsonObject *obj, guint index, UbConnector *connector, GError **error)
{
	const gchar *str = NULL;

	if (!ub_device_db_parse_string(obj, index, "connector", &str, error))
		return FALSE;

	if (g_strcmp0(str, "lightning") == 0) {
		*connector = UB_CONNECTOR_LIGHTNING;
		return TRUE;
	}
	if (g_strcmp0(str, "usb-c") == 0) {
		*connector = UB_CONNECTOR_USB_C;
		return TRUE;
	}
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_INVALID_DATA,
		    "model %u: \"connector\" \"%s\" is not lightning or usb-c",
		    index,
		    str);
	return FALSE;
}

/* "1.3.0": optional, for tables written before the member existed */
static gboolean
ub_device_db_parse_libirecovery(JsonObject *obj, guint index, const gchar **version, GError **error)
{
	const gchar *str = NULL;
	g_auto(GStrv) parts = NULL;

	if (!json_object_has_member(obj, "libirecovery")) {
		*version = NULL;
		return TRUE;
	}
	if (!ub_device_db_parse_string(obj, index, "libirecovery", &str, error))
		return FALSE;
	parts = g_strsplit(str, ".", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (g_strv_length(parts) == 3 &&
		    g_ascii_string_to_unsigned(parts[i], 10, 0, G_MAXUINT, NULL, NULL))
			continue;
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "model %u: \"libirecovery\" \"%s\" is not a version x.y.z",
			    index,
			    str);
		return FALSE;
	}
	*version = str;
	return TRUE;
}

/* "2024-09": optional, like "libirecovery" */
static gboolean
ub_device_db_parse_released(JsonObject *obj, guint index, const gchar **month, GError **error)
{
	const gchar *str = NULL;
	guint64 year = 0;
	guint64 number = 0;
	g_autofree gchar *year_str = NULL;

	if (!json_object_has_member(obj, "released")) {
		*month = NULL;
		return TRUE;
	}
	if (!ub_device_db_parse_string(obj, index, "released", &str, error))
		return FALSE;
	if (strlen(str) == 7 && str[4] == '-') {
		year_str = g_strndup(str, 4);
		if (g_ascii_string_to_unsigned(year_str, 10, 2007, 2999, &year, NULL) &&
		    g_ascii_string_to_unsigned(str + 5, 10, 1, 12, &number, NULL) &&
		    g_ascii_isdigit(str[5])) {
			*month = str;
			return TRUE;
		}
	}
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_INVALID_DATA,
		    "model %u: \"released\" \"%s\" is not a month YYYY-MM",
		    index,
		    str);
	return FALSE;
}

static gboolean
ub_device_db_parse_model(UbDeviceDb *self, JsonNode *node, guint index, GError **error)
{
	JsonObject *obj = NULL;
	const gchar *product_type = NULL;
	const gchar *hardware_model = NULL;
	const gchar *name = NULL;
	const gchar *libirecovery = NULL;
	const gchar *released = NULL;
	g_autofree UbDeviceModel *model = g_new0(UbDeviceModel, 1);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "model %u: is not an object", index);
		return FALSE;
	}
	obj = json_node_get_object(node);

	if (!ub_device_db_parse_string(obj, index, "product-type", &product_type, error))
		return FALSE;
	if (!ub_device_db_parse_string(obj, index, "hardware-model", &hardware_model, error))
		return FALSE;
	if (!ub_device_db_parse_string(obj, index, "name", &name, error))
		return FALSE;
	if (!ub_device_db_parse_id(obj, index, "cpid", UB_DEVICE_DB_CPID_MAX, &model->cpid, error))
		return FALSE;
	if (!ub_device_db_parse_id(obj, index, "bdid", UB_DEVICE_DB_BDID_MAX, &model->bdid, error))
		return FALSE;
	if (!ub_device_db_parse_button_scheme(obj, index, &model->button_scheme, error))
		return FALSE;
	if (!ub_device_db_parse_connector(obj, index, &model->connector, error))
		return FALSE;
	if (!ub_device_db_parse_libirecovery(obj, index, &libirecovery, error))
		return FALSE;
	if (!ub_device_db_parse_released(obj, index, &released, error))
		return FALSE;

	/* (cpid, bdid) is what DFU reports, so it has to name one row */
	for (guint i = 0; i < self->models->len; i++) {
		const UbDeviceModel *other = g_ptr_array_index(self->models, i);

		if (other->cpid == model->cpid && other->bdid == model->bdid) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "model %u: cpid 0x%04x bdid 0x%02x is already model %u",
				    index,
				    model->cpid,
				    model->bdid,
				    i);
			return FALSE;
		}
	}

	model->product_type = g_string_chunk_insert_const(self->strings, product_type);
	model->hardware_model = g_string_chunk_insert_const(self->strings, hardware_model);
	model->name = g_string_chunk_insert_const(self->strings, name);
	if (libirecovery != NULL)
		model->libirecovery = g_string_chunk_insert_const(self->strings, libirecovery);
	if (released != NULL)
		model->released = g_string_chunk_insert_const(self->strings, released);
	g_ptr_array_add(self->models, g_steal_pointer(&model));
	return TRUE;
}

static gboolean
ub_device_db_parse(UbDeviceDb *self, GBytes *json, GError **error)
{
	gsize size = 0;
	const gchar *data = g_bytes_get_data(json, &size);
	JsonNode *root = NULL;
	JsonObject *obj = NULL;
	JsonNode *version = NULL;
	JsonNode *models = NULL;
	JsonArray *array = NULL;
	g_autoptr(JsonParser) parser = NULL;

	if (size > (gsize)G_MAXSSIZE) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "document is too large");
		return FALSE;
	}
	parser = ub_json_parse_checked(data, (gssize)size, NULL, error);
	if (parser == NULL)
		return FALSE;

	/* json-glib accepts an empty document and gives no root */
	root = json_parser_get_root(parser);
	if (root == NULL) {
		g_set_error_literal(error, UB_ERROR, UB_ERROR_INVALID_DATA, "document is empty");
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "the top level is not an object");
		return FALSE;
	}
	obj = json_node_get_object(root);

	version = json_object_get_member(obj, "version");
	if (version == NULL) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"version\" is missing");
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(version) || json_node_get_value_type(version) != G_TYPE_INT64) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"version\" is not an integer");
		return FALSE;
	}
	if (json_node_get_int(version) != UB_DEVICE_DB_VERSION) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "\"version\" %" G_GINT64_FORMAT " is not supported, expected %d",
			    json_node_get_int(version),
			    UB_DEVICE_DB_VERSION);
		return FALSE;
	}

	models = json_object_get_member(obj, "models");
	if (models == NULL) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"models\" is missing");
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_ARRAY(models)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"models\" is not an array");
		return FALSE;
	}
	array = json_node_get_array(models);

	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!ub_device_db_parse_model(self, json_array_get_element(array, i), i, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * ub_device_db_new_from_bytes:
 * @json: a model table, `{"version": 1, "models": [...]}`
 * @error: (nullable): return location for an error
 *
 * Parses a model table. Errors name the offending row by its index in the
 * "models" array. The libirecovery fallback starts disabled, so lookups only
 * see @json until ub_device_db_set_use_libirecovery() says otherwise.
 *
 * Returns: (transfer full): a new #UbDeviceDb, or %NULL with
 * %UB_ERROR_INVALID_DATA set
 */
UbDeviceDb *
ub_device_db_new_from_bytes(GBytes *json, GError **error)
{
	g_autoptr(UbDeviceDb) self = NULL;

	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(UB_TYPE_DEVICE_DB, NULL);
	if (!ub_device_db_parse(self, json, error))
		return NULL;
	return g_steal_pointer(&self);
}

static UbDeviceDb *
ub_device_db_load_default(void)
{
	g_autoptr(GBytes) json = NULL;
	g_autoptr(GError) error = NULL;
	UbDeviceDb *self = NULL;

	json = g_resources_lookup_data(UB_DEVICE_DB_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	if (json != NULL)
		self = ub_device_db_new_from_bytes(json, &error);
	if (self == NULL) {
		/* a build bug, not a user problem: carry on with libirecovery alone */
		g_warning("failed to load %s: %s", UB_DEVICE_DB_RESOURCE, error->message);
		self = g_object_new(UB_TYPE_DEVICE_DB, NULL);
	}
	ub_device_db_set_use_libirecovery(self, TRUE);
	return self;
}

/**
 * ub_device_db_get_default:
 *
 * The table bundled in the GResource, with libirecovery as the fallback for
 * models it does not know. Loaded once; safe to call from any thread.
 *
 * Returns: (transfer none): the shared #UbDeviceDb, valid for the process
 */
UbDeviceDb *
ub_device_db_get_default(void)
{
	static UbDeviceDb *default_db = NULL;

	if (g_once_init_enter(&default_db)) {
		UbDeviceDb *db = ub_device_db_load_default();
		g_once_init_leave(&default_db, db);
	}
	return default_db;
}

/**
 * ub_device_db_set_use_libirecovery:
 * @self: a #UbDeviceDb
 * @use_libirecovery: whether lookups that miss the table ask libirecovery
 *
 * Rows built from libirecovery stay valid for the life of @self even after
 * the fallback is turned off again.
 */
void
ub_device_db_set_use_libirecovery(UbDeviceDb *self, gboolean use_libirecovery)
{
	g_return_if_fail(UB_IS_DEVICE_DB(self));

	g_atomic_int_set(&self->use_libirecovery, use_libirecovery ? 1 : 0);
}

/**
 * ub_device_db_get_use_libirecovery:
 * @self: a #UbDeviceDb
 *
 * Returns: whether lookups that miss the table ask libirecovery
 */
gboolean
ub_device_db_get_use_libirecovery(UbDeviceDb *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), FALSE);

	return g_atomic_int_get(&self->use_libirecovery) != 0;
}

/**
 * ub_device_db_get_n_models:
 * @self: a #UbDeviceDb
 *
 * Returns: the number of rows in the table, not counting rows built from
 * libirecovery
 */
guint
ub_device_db_get_n_models(UbDeviceDb *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), 0);

	return self->models->len;
}

/**
 * ub_device_db_get_model:
 * @self: a #UbDeviceDb
 * @index: a row, less than ub_device_db_get_n_models()
 *
 * Returns: (transfer none): the row, valid for the life of @self
 */
const UbDeviceModel *
ub_device_db_get_model(UbDeviceDb *self, guint index)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), NULL);
	g_return_val_if_fail(index < self->models->len, NULL);

	return g_ptr_array_index(self->models, index);
}

static gboolean
ub_device_db_irecv_matches(irecv_device_t device,
			   UbDeviceDbMatch match,
			   guint cpid,
			   guint bdid,
			   const gchar *key)
{
	switch (match) {
	case UB_DEVICE_DB_MATCH_CHIP:
		return device->chip_id == cpid && device->board_id == bdid;
	case UB_DEVICE_DB_MATCH_PRODUCT_TYPE:
		return g_strcmp0(device->product_type, key) == 0;
	case UB_DEVICE_DB_MATCH_HARDWARE_MODEL:
		return device->hardware_model != NULL &&
		       g_ascii_strcasecmp(device->hardware_model, key) == 0;
	}
	return FALSE;
}

/* libirecovery's table is static, so its row address is a stable key: the
 * same row found by chip, product type or hardware model gives one pointer */
static const UbDeviceModel *
ub_device_db_lookup_irecv(UbDeviceDb *self,
			  UbDeviceDbMatch match,
			  guint cpid,
			  guint bdid,
			  const gchar *key)
{
	irecv_device_t device = NULL;
	UbDeviceModel *model = NULL;
	g_autoptr(GMutexLocker) locker = NULL;

	if (!ub_device_db_get_use_libirecovery(self))
		return NULL;

	for (device = irecv_devices_get_all(); device != NULL && device->product_type != NULL;
	     device++) {
		if (ub_device_db_irecv_matches(device, match, cpid, bdid, key))
			break;
	}
	if (device == NULL || device->product_type == NULL)
		return NULL;

	locker = g_mutex_locker_new(&self->irecv_mutex);
	model = g_hash_table_lookup(self->irecv_models, device);
	if (model != NULL)
		return model;

	model = g_new0(UbDeviceModel, 1);
	model->product_type =
	    g_string_chunk_insert_const(self->irecv_strings, device->product_type);
	model->hardware_model = g_string_chunk_insert_const(
	    self->irecv_strings, device->hardware_model != NULL ? device->hardware_model : "");
	model->name = g_string_chunk_insert_const(
	    self->irecv_strings,
	    device->display_name != NULL ? device->display_name : device->product_type);
	model->cpid = device->chip_id;
	model->bdid = device->board_id;
	model->button_scheme = ub_device_db_guess_button_scheme(device->product_type);
	model->connector = ub_device_db_guess_connector(device->product_type);
	g_hash_table_insert(self->irecv_models, device, model);
	g_debug("%s (cpid 0x%04x bdid 0x%02x) is not in the table, using libirecovery's row",
		model->product_type,
		model->cpid,
		model->bdid);
	return model;
}

/**
 * ub_device_db_lookup_chip:
 * @self: a #UbDeviceDb
 * @cpid: the chip id reported in DFU or Recovery
 * @bdid: the board id reported in DFU or Recovery
 *
 * Returns: (transfer none) (nullable): the row, valid for the life of @self
 */
const UbDeviceModel *
ub_device_db_lookup_chip(UbDeviceDb *self, guint cpid, guint bdid)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), NULL);

	for (guint i = 0; i < self->models->len; i++) {
		const UbDeviceModel *model = g_ptr_array_index(self->models, i);

		if (model->cpid == cpid && model->bdid == bdid)
			return model;
	}
	return ub_device_db_lookup_irecv(self, UB_DEVICE_DB_MATCH_CHIP, cpid, bdid, NULL);
}

/**
 * ub_device_db_lookup_product_type:
 * @self: a #UbDeviceDb
 * @product_type: a product type such as "iPhone14,2"
 *
 * Some product types have more than one row (two chip foundries, as for
 * iPhone8,1); the first one wins.
 *
 * Returns: (transfer none) (nullable): the row, valid for the life of @self
 */
const UbDeviceModel *
ub_device_db_lookup_product_type(UbDeviceDb *self, const gchar *product_type)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), NULL);
	g_return_val_if_fail(product_type != NULL, NULL);

	for (guint i = 0; i < self->models->len; i++) {
		const UbDeviceModel *model = g_ptr_array_index(self->models, i);

		if (g_strcmp0(model->product_type, product_type) == 0)
			return model;
	}
	return ub_device_db_lookup_irecv(self, UB_DEVICE_DB_MATCH_PRODUCT_TYPE, 0, 0, product_type);
}

/**
 * ub_device_db_lookup_hardware_model:
 * @self: a #UbDeviceDb
 * @hardware_model: a hardware model such as "d63ap", in any case
 *
 * libirecovery reports "d63ap" while irecovery and lockdown may say "D63AP".
 *
 * Returns: (transfer none) (nullable): the row, valid for the life of @self
 */
const UbDeviceModel *
ub_device_db_lookup_hardware_model(UbDeviceDb *self, const gchar *hardware_model)
{
	g_return_val_if_fail(UB_IS_DEVICE_DB(self), NULL);
	g_return_val_if_fail(hardware_model != NULL, NULL);

	for (guint i = 0; i < self->models->len; i++) {
		const UbDeviceModel *model = g_ptr_array_index(self->models, i);

		if (g_ascii_strcasecmp(model->hardware_model, hardware_model) == 0)
			return model;
	}
	return ub_device_db_lookup_irecv(
	    self, UB_DEVICE_DB_MATCH_HARDWARE_MODEL, 0, 0, hardware_model);
}
