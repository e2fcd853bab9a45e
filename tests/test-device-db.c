/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-device-db.h"
#include "ub-error.h"
#include "ub-test.h"

#define DEVICES_RESOURCE "/io/github/unbrick/Unbrick/devices.json"

typedef struct {
	const gchar *product_type;
	const gchar *hardware_model;
	const gchar *name;
	guint cpid;
	guint bdid;
	UbButtonScheme button_scheme;
	UbConnector connector;
} UbExpectedModel;

#define A UB_BUTTON_SCHEME_A
#define B UB_BUTTON_SCHEME_B
#define C UB_BUTTON_SCHEME_C
#define LIGHTNING UB_CONNECTOR_LIGHTNING
#define USB_C UB_CONNECTOR_USB_C

/* reference/devices.md section 4, iPhone 6s to iPhone 17e, copied by hand so
 * that an edit to devices.json cannot quietly change what is expected */
static const UbExpectedModel expected_iphones[] = {
    {"iPhone8,1", "n71ap", "iPhone 6s", 0x8000, 0x04, C, LIGHTNING},
    {"iPhone8,1", "n71map", "iPhone 6s", 0x8003, 0x04, C, LIGHTNING},
    {"iPhone8,2", "n66ap", "iPhone 6s Plus", 0x8000, 0x06, C, LIGHTNING},
    {"iPhone8,2", "n66map", "iPhone 6s Plus", 0x8003, 0x06, C, LIGHTNING},
    {"iPhone8,4", "n69ap", "iPhone SE (1st gen)", 0x8003, 0x02, C, LIGHTNING},
    {"iPhone8,4", "n69uap", "iPhone SE (1st gen)", 0x8000, 0x02, C, LIGHTNING},
    {"iPhone9,1", "d10ap", "iPhone 7 (Global)", 0x8010, 0x08, B, LIGHTNING},
    {"iPhone9,2", "d11ap", "iPhone 7 Plus (Global)", 0x8010, 0x0a, B, LIGHTNING},
    {"iPhone9,3", "d101ap", "iPhone 7 (GSM)", 0x8010, 0x0c, B, LIGHTNING},
    {"iPhone9,4", "d111ap", "iPhone 7 Plus (GSM)", 0x8010, 0x0e, B, LIGHTNING},
    {"iPhone10,1", "d20ap", "iPhone 8 (Global)", 0x8015, 0x02, A, LIGHTNING},
    {"iPhone10,2", "d21ap", "iPhone 8 Plus (Global)", 0x8015, 0x04, A, LIGHTNING},
    {"iPhone10,3", "d22ap", "iPhone X (Global)", 0x8015, 0x06, A, LIGHTNING},
    {"iPhone10,4", "d201ap", "iPhone 8 (GSM)", 0x8015, 0x0a, A, LIGHTNING},
    {"iPhone10,5", "d211ap", "iPhone 8 Plus (GSM)", 0x8015, 0x0c, A, LIGHTNING},
    {"iPhone10,6", "d221ap", "iPhone X (GSM)", 0x8015, 0x0e, A, LIGHTNING},
    {"iPhone11,2", "d321ap", "iPhone XS", 0x8020, 0x0e, A, LIGHTNING},
    {"iPhone11,4", "d331ap", "iPhone XS Max (China)", 0x8020, 0x0a, A, LIGHTNING},
    {"iPhone11,6", "d331pap", "iPhone XS Max", 0x8020, 0x1a, A, LIGHTNING},
    {"iPhone11,8", "n841ap", "iPhone XR", 0x8020, 0x0c, A, LIGHTNING},
    {"iPhone12,1", "n104ap", "iPhone 11", 0x8030, 0x04, A, LIGHTNING},
    {"iPhone12,3", "d421ap", "iPhone 11 Pro", 0x8030, 0x06, A, LIGHTNING},
    {"iPhone12,5", "d431ap", "iPhone 11 Pro Max", 0x8030, 0x02, A, LIGHTNING},
    {"iPhone12,8", "d79ap", "iPhone SE (2nd gen)", 0x8030, 0x10, A, LIGHTNING},
    {"iPhone13,1", "d52gap", "iPhone 12 mini", 0x8101, 0x0a, A, LIGHTNING},
    {"iPhone13,2", "d53gap", "iPhone 12", 0x8101, 0x0c, A, LIGHTNING},
    {"iPhone13,3", "d53pap", "iPhone 12 Pro", 0x8101, 0x0e, A, LIGHTNING},
    {"iPhone13,4", "d54pap", "iPhone 12 Pro Max", 0x8101, 0x08, A, LIGHTNING},
    {"iPhone14,2", "d63ap", "iPhone 13 Pro", 0x8110, 0x0c, A, LIGHTNING},
    {"iPhone14,3", "d64ap", "iPhone 13 Pro Max", 0x8110, 0x0e, A, LIGHTNING},
    {"iPhone14,4", "d16ap", "iPhone 13 mini", 0x8110, 0x08, A, LIGHTNING},
    {"iPhone14,5", "d17ap", "iPhone 13", 0x8110, 0x0a, A, LIGHTNING},
    {"iPhone14,6", "d49ap", "iPhone SE (3rd gen)", 0x8110, 0x10, A, LIGHTNING},
    {"iPhone14,7", "d27ap", "iPhone 14", 0x8110, 0x18, A, LIGHTNING},
    {"iPhone14,8", "d28ap", "iPhone 14 Plus", 0x8110, 0x1a, A, LIGHTNING},
    {"iPhone15,2", "d73ap", "iPhone 14 Pro", 0x8120, 0x0c, A, LIGHTNING},
    {"iPhone15,3", "d74ap", "iPhone 14 Pro Max", 0x8120, 0x0e, A, LIGHTNING},
    {"iPhone15,4", "d37ap", "iPhone 15", 0x8120, 0x08, A, USB_C},
    {"iPhone15,5", "d38ap", "iPhone 15 Plus", 0x8120, 0x0a, A, USB_C},
    {"iPhone16,1", "d83ap", "iPhone 15 Pro", 0x8130, 0x04, A, USB_C},
    {"iPhone16,2", "d84ap", "iPhone 15 Pro Max", 0x8130, 0x06, A, USB_C},
    {"iPhone17,1", "d93ap", "iPhone 16 Pro", 0x8140, 0x0c, A, USB_C},
    {"iPhone17,2", "d94ap", "iPhone 16 Pro Max", 0x8140, 0x0e, A, USB_C},
    {"iPhone17,3", "d47ap", "iPhone 16", 0x8140, 0x08, A, USB_C},
    {"iPhone17,4", "d48ap", "iPhone 16 Plus", 0x8140, 0x0a, A, USB_C},
    {"iPhone17,5", "v59ap", "iPhone 16e", 0x8140, 0x04, A, USB_C},
    {"iPhone18,1", "v53ap", "iPhone 17 Pro", 0x8150, 0x0c, A, USB_C},
    {"iPhone18,2", "v54ap", "iPhone 17 Pro Max", 0x8150, 0x0e, A, USB_C},
    {"iPhone18,3", "v57ap", "iPhone 17", 0x8150, 0x08, A, USB_C},
    {"iPhone18,4", "d23ap", "iPhone Air", 0x8150, 0x0a, A, USB_C},
    {"iPhone18,5", "v159ap", "iPhone 17e", 0x8150, 0x16, A, USB_C},
};

#undef A
#undef B
#undef C
#undef LIGHTNING
#undef USB_C

/* the bundled table without the libirecovery fallback, so a hit proves the
 * row is ours */
static UbDeviceDb *
bundled_db_new(void)
{
	g_autoptr(GBytes) json = NULL;
	g_autoptr(GError) error = NULL;
	UbDeviceDb *db = NULL;

	json = g_resources_lookup_data(DEVICES_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(json);
	db = ub_device_db_new_from_bytes(json, &error);
	g_assert_no_error(error);
	g_assert_nonnull(db);
	g_assert_false(ub_device_db_get_use_libirecovery(db));
	return db;
}

static UbDeviceDb *
db_new_from_string(const gchar *json, GError **error)
{
	g_autoptr(GBytes) bytes = g_bytes_new(json, strlen(json));
	return ub_device_db_new_from_bytes(bytes, error);
}

static void
assert_model_matches(const UbDeviceModel *model, const UbExpectedModel *expected)
{
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, expected->product_type);
	g_assert_cmpstr(model->hardware_model, ==, expected->hardware_model);
	g_assert_cmpstr(model->name, ==, expected->name);
	g_assert_cmphex(model->cpid, ==, expected->cpid);
	g_assert_cmphex(model->bdid, ==, expected->bdid);
	g_assert_cmpint(model->button_scheme, ==, expected->button_scheme);
	g_assert_cmpint(model->connector, ==, expected->connector);
}

static gpointer
default_thread_cb(gpointer user_data)
{
	UbDeviceDb *db = ub_device_db_get_default();

	/* iPhone 6: only libirecovery knows it, so the threads race to cache it */
	return (gpointer)ub_device_db_lookup_chip(db, 0x7000, 0x06);
}

static void
ub_device_db_default_threads_func(void)
{
	GThread *threads[8] = {NULL};
	UbDeviceDb *db = NULL;
	const UbDeviceModel *model = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("device-db", default_thread_cb, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		const UbDeviceModel *found = g_thread_join(threads[i]);

		g_assert_nonnull(found);
		if (model == NULL)
			model = found;
		g_assert_true(found == model);
	}

	db = ub_device_db_get_default();
	g_assert_nonnull(db);
	g_assert_true(db == ub_device_db_get_default());
	g_assert_true(ub_device_db_get_use_libirecovery(db));
	g_assert_true(ub_device_db_lookup_chip(db, 0x7000, 0x06) == model);
}

static void
ub_device_db_bundled_well_formed_func(void)
{
	UbDeviceDb *db = ub_device_db_get_default();
	g_autoptr(GRegex) product_type_regex = NULL;
	g_autoptr(GHashTable) chips = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n_iphones = 0;
	guint n_ipads = 0;

	product_type_regex = g_regex_new("^(iPhone|iPad)\\d+,\\d+$", G_REGEX_DEFAULT, 0, NULL);
	g_assert_nonnull(product_type_regex);

	g_assert_cmpuint(ub_device_db_get_n_models(db), >, 0);
	for (guint i = 0; i < ub_device_db_get_n_models(db); i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);
		g_autofree gchar *chip = NULL;

		g_assert_nonnull(model);
		g_test_message("row %u: %s %s", i, model->product_type, model->hardware_model);
		g_assert_true(g_regex_match(product_type_regex, model->product_type, 0, NULL));
		g_assert_true(g_str_has_suffix(model->hardware_model, "ap"));
		g_assert_cmpuint(strlen(model->hardware_model), >, 2);
		g_assert_cmpstr(model->name, !=, "");
		g_assert_cmpint(model->button_scheme, >=, UB_BUTTON_SCHEME_A);
		g_assert_cmpint(model->button_scheme, <=, UB_BUTTON_SCHEME_E);
		g_assert_true(model->connector == UB_CONNECTOR_LIGHTNING ||
			      model->connector == UB_CONNECTOR_USB_C);

		/* the rules used for libirecovery's rows must agree with ours */
		g_assert_cmpint(model->button_scheme,
				==,
				ub_device_db_guess_button_scheme(model->product_type));
		g_assert_cmpint(
		    model->connector, ==, ub_device_db_guess_connector(model->product_type));

		chip = g_strdup_printf("0x%04x/0x%02x", model->cpid, model->bdid);
		g_assert_false(g_hash_table_contains(chips, chip));
		g_hash_table_add(chips, g_steal_pointer(&chip));

		if (g_str_has_prefix(model->product_type, "iPhone"))
			n_iphones++;
		else
			n_ipads++;
	}
	g_assert_cmpuint(n_iphones, >=, G_N_ELEMENTS(expected_iphones));
	g_assert_cmpuint(n_ipads, >=, 80);
}

static void
ub_device_db_iphone_coverage_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();

	for (guint i = 0; i < G_N_ELEMENTS(expected_iphones); i++) {
		const UbExpectedModel *expected = &expected_iphones[i];
		const UbDeviceModel *model = NULL;

		g_test_message("%s %s", expected->product_type, expected->hardware_model);
		assert_model_matches(ub_device_db_lookup_chip(db, expected->cpid, expected->bdid),
				     expected);
		assert_model_matches(
		    ub_device_db_lookup_hardware_model(db, expected->hardware_model), expected);

		model = ub_device_db_lookup_product_type(db, expected->product_type);
		g_assert_nonnull(model);
		g_assert_cmpstr(model->product_type, ==, expected->product_type);
		g_assert_cmpstr(model->name, ==, expected->name);
	}
}

static void
ub_device_db_lookup_chip_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();
	UbDeviceDb *default_db = ub_device_db_get_default();
	const UbDeviceModel *model = NULL;

	model = ub_device_db_lookup_chip(db, 0x8110, 0x0c);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPhone14,2");
	g_assert_cmpstr(model->hardware_model, ==, "d63ap");
	g_assert_cmpstr(model->name, ==, "iPhone 13 Pro");
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_A);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_LIGHTNING);
	g_assert_true(ub_device_db_lookup_chip(db, 0x8110, 0x0c) == model);

	/* one product type, two foundries */
	model = ub_device_db_lookup_chip(db, 0x8000, 0x04);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->hardware_model, ==, "n71ap");
	model = ub_device_db_lookup_chip(db, 0x8003, 0x04);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->hardware_model, ==, "n71map");

	/* CPID 0x8010 is both the iPhone 7 and the iPad 6th/7th gen */
	model = ub_device_db_lookup_chip(db, 0x8010, 0x18);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPad7,5");
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_E);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_LIGHTNING);

	model = ub_device_db_lookup_chip(db, 0x8027, 0x0c);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPad8,1");
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_D);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_USB_C);

	model = ub_device_db_lookup_chip(db, 0x8132, 0x16);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPad16,11");

	/* the default table has the same rows */
	model = ub_device_db_lookup_chip(default_db, 0x8150, 0x16);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPhone18,5");
	g_assert_cmpstr(model->name, ==, "iPhone 17e");
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_USB_C);
}

static void
ub_device_db_lookup_product_type_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();
	const UbDeviceModel *model = NULL;

	/* the first of several rows */
	model = ub_device_db_lookup_product_type(db, "iPhone8,1");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->hardware_model, ==, "n71ap");
	model = ub_device_db_lookup_product_type(db, "iPad6,11");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->hardware_model, ==, "j71sap");

	model = ub_device_db_lookup_product_type(db, "iPhone15,4");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->name, ==, "iPhone 15");
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_USB_C);

	model = ub_device_db_lookup_product_type(db, "iPad14,1");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->name, ==, "iPad mini (6th gen, WiFi)");

	g_assert_null(ub_device_db_lookup_product_type(db, "iPhone99,1"));
	g_assert_null(ub_device_db_lookup_product_type(db, ""));
	g_assert_null(ub_device_db_lookup_product_type(db, "iPhone7,2"));
}

static void
ub_device_db_lookup_hardware_model_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();
	const UbDeviceModel *model = NULL;

	model = ub_device_db_lookup_hardware_model(db, "d63ap");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPhone14,2");
	g_assert_true(ub_device_db_lookup_hardware_model(db, "D63AP") == model);
	g_assert_true(ub_device_db_lookup_hardware_model(db, "D63ap") == model);

	model = ub_device_db_lookup_hardware_model(db, "J717AP");
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPad16,3");

	g_assert_null(ub_device_db_lookup_hardware_model(db, "d63"));
	g_assert_null(ub_device_db_lookup_hardware_model(db, "n61ap"));
	g_assert_null(ub_device_db_lookup_hardware_model(db, ""));
}

static void
ub_device_db_unknown_chip_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();

	g_assert_null(ub_device_db_lookup_chip(db, 0x7000, 0x06));
	g_assert_null(ub_device_db_lookup_chip(db, 0x8110, 0x99));
	g_assert_null(ub_device_db_lookup_chip(db, 0xdead, 0x0c));
	g_assert_null(ub_device_db_lookup_chip(db, 0, 0));
}

static void
ub_device_db_libirecovery_fallback_func(void)
{
	g_autoptr(UbDeviceDb) db = bundled_db_new();
	guint n_models = ub_device_db_get_n_models(db);
	const UbDeviceModel *model = NULL;

	g_assert_null(ub_device_db_lookup_chip(db, 0x7000, 0x06));

	ub_device_db_set_use_libirecovery(db, TRUE);
	g_assert_true(ub_device_db_get_use_libirecovery(db));
	model = ub_device_db_lookup_chip(db, 0x7000, 0x06);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->product_type, ==, "iPhone7,2");
	g_assert_cmpstr(model->hardware_model, ==, "n61ap");
	g_assert_cmpstr(model->name, ==, "iPhone 6");
	g_assert_cmphex(model->cpid, ==, 0x7000);
	g_assert_cmphex(model->bdid, ==, 0x06);
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_C);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_LIGHTNING);

	/* the same libirecovery row gives the same cached pointer */
	g_assert_true(ub_device_db_lookup_chip(db, 0x7000, 0x06) == model);
	g_assert_true(ub_device_db_lookup_product_type(db, "iPhone7,2") == model);
	g_assert_true(ub_device_db_lookup_hardware_model(db, "N61AP") == model);
	g_assert_cmpuint(ub_device_db_get_n_models(db), ==, n_models);

	/* an old iPad: Home button, 30-pin connector */
	model = ub_device_db_lookup_product_type(db, "iPad2,1");
	g_assert_nonnull(model);
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_E);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_UNKNOWN);

	/* our rows still win over libirecovery's */
	model = ub_device_db_lookup_chip(db, 0x8110, 0x0c);
	g_assert_nonnull(model);
	g_assert_cmpstr(model->name, ==, "iPhone 13 Pro");
	g_assert_true(model == ub_device_db_lookup_hardware_model(db, "d63ap"));

	/* a chip nobody knows */
	g_assert_null(ub_device_db_lookup_chip(db, 0xdead, 0x99));
	g_assert_null(ub_device_db_lookup_product_type(db, "iPhone99,1"));

	ub_device_db_set_use_libirecovery(db, FALSE);
	g_assert_null(ub_device_db_lookup_chip(db, 0x7000, 0x06));
}

typedef struct {
	const gchar *json;
	const gchar *message;
} UbMalformedCase;

#define ROW_PT "\"product-type\": \"iPhone14,2\", "
#define ROW_HW "\"hardware-model\": \"d63ap\", "
#define ROW_NAME "\"name\": \"iPhone 13 Pro\", "
#define ROW_CPID "\"cpid\": \"0x8110\", "
#define ROW_BDID "\"bdid\": \"0x0c\", "
#define ROW_BTN "\"button-scheme\": \"a\", "
#define ROW_CONN "\"connector\": \"lightning\""
#define ROW_OK "{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN "}"
#define DOC(rows) "{\"version\": 1, \"models\": [" rows "]}"

static void
ub_device_db_malformed_func(void)
{
	const UbMalformedCase cases[] = {
	    {"", "document is empty"},
	    {"   ", "document is empty"},
	    {"not json", "not valid JSON"},
	    {"{\"version\": 1, \"models\": [", "not valid JSON"},
	    {"{\"version\": 1, \"models\": []} trailing", "not valid JSON"},
	    {"\xff\xfe{}", "not valid JSON"},
	    {"[]", "the top level is not an object"},
	    {"42", "the top level is not an object"},
	    {"{}", "\"version\" is missing"},
	    {"{\"version\": \"1\", \"models\": []}", "\"version\" is not an integer"},
	    {"{\"version\": 2, \"models\": []}", "\"version\" 2 is not supported"},
	    {"{\"version\": 1}", "\"models\" is missing"},
	    {"{\"version\": 1, \"models\": {}}", "\"models\" is not an array"},
	    {"{\"version\": 1, \"models\": null}", "\"models\" is not an array"},
	    {DOC("1"), "model 0: is not an object"},
	    {DOC(ROW_OK ", []"), "model 1: is not an object"},
	    {DOC("{" ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"product-type\" is missing"},
	    {DOC("{\"product-type\": 14, " ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"product-type\" is not a string"},
	    {DOC("{\"product-type\": null, " ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN
		 "}"),
	     "model 0: \"product-type\" is missing"},
	    {DOC("{" ROW_PT "\"hardware-model\": \"\", " ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN
		 "}"),
	     "model 0: \"hardware-model\" is empty"},
	    {DOC("{" ROW_PT ROW_HW ROW_CPID ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"name\" is missing"},
	    {DOC(ROW_OK ", {" ROW_PT ROW_HW ROW_NAME ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 1: \"cpid\" is missing"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": true, " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" is neither a hex string nor an integer"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": 33040.5, " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" is neither a hex string nor an integer"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": [], " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" is neither a hex string nor an integer"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": \"8110\", " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" \"8110\" does not start with 0x"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": \"0x\", " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" \"0x\" is not a valid number"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": \"0xzz\", " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" \"0xzz\" is not a valid number"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": \"0x-1\", " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" \"0x-1\" is not a valid number"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": \"0x10000\", " ROW_BDID ROW_BTN ROW_CONN
		 "}"),
	     "model 0: \"cpid\" \"0x10000\" is not a valid number"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME "\"cpid\": -1, " ROW_BDID ROW_BTN ROW_CONN "}"),
	     "model 0: \"cpid\" -1 is out of range"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID "\"bdid\": 256, " ROW_BTN ROW_CONN "}"),
	     "model 0: \"bdid\" 256 is out of range"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_CONN "}"),
	     "model 0: \"button-scheme\" is missing"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID "\"button-scheme\": \"f\", " ROW_CONN
		 "}"),
	     "model 0: \"button-scheme\" \"f\" is not one of a, b, c, d, e"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID "\"button-scheme\": \"ab\", " ROW_CONN
		 "}"),
	     "model 0: \"button-scheme\" \"ab\" is not one of a, b, c, d, e"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID "\"button-scheme\": \"A\", " ROW_CONN
		 "}"),
	     "model 0: \"button-scheme\" \"A\" is not one of a, b, c, d, e"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID "\"button-scheme\": 1, " ROW_CONN
		 "}"),
	     "model 0: \"button-scheme\" is not a string"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID "\"button-scheme\": \"a\"}"),
	     "model 0: \"connector\" is missing"},
	    {DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN "\"connector\": \"usb-a\"}"),
	     "model 0: \"connector\" \"usb-a\" is not lightning or usb-c"},
	    {DOC(ROW_OK ", " ROW_OK), "model 1: cpid 0x8110 bdid 0x0c is already model 0"},
	    {DOC(ROW_OK ", {" ROW_PT ROW_HW ROW_NAME
			"\"cpid\": 33040, \"bdid\": 12, " ROW_BTN ROW_CONN "}"),
	     "model 1: cpid 0x8110 bdid 0x0c is already model 0"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(UbDeviceDb) db = NULL;
		g_autofree gchar *escaped = g_strescape(cases[i].json, NULL);

		g_test_message("case %u: %s", i, escaped);
		db = db_new_from_string(cases[i].json, &error);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_null(db);
		g_test_message("error: %s", error->message);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void
ub_device_db_valid_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDeviceDb) db = NULL;
	g_autoptr(UbDeviceDb) empty = NULL;
	const UbDeviceModel *model = NULL;

	/* integers and hex strings both work, and unknown members are ignored */
	db =
	    db_new_from_string(DOC(ROW_OK ", {\"product-type\": \"iPad16,3\", "
					  "\"hardware-model\": \"j717ap\", "
					  "\"name\": \"iPad Pro 11-inch (M4, WiFi)\", "
					  "\"cpid\": 33074, \"bdid\": 8, \"button-scheme\": \"d\", "
					  "\"connector\": \"usb-c\", \"comment\": \"M4\"}"),
			       &error);
	g_assert_no_error(error);
	g_assert_nonnull(db);
	g_assert_cmpuint(ub_device_db_get_n_models(db), ==, 2);
	model = ub_device_db_get_model(db, 1);
	g_assert_cmphex(model->cpid, ==, 0x8132);
	g_assert_cmphex(model->bdid, ==, 0x08);
	g_assert_cmpint(model->button_scheme, ==, UB_BUTTON_SCHEME_D);
	g_assert_cmpint(model->connector, ==, UB_CONNECTOR_USB_C);
	g_assert_true(ub_device_db_lookup_chip(db, 0x8132, 0x08) == model);

	empty = db_new_from_string(DOC(""), &error);
	g_assert_no_error(error);
	g_assert_nonnull(empty);
	g_assert_cmpuint(ub_device_db_get_n_models(empty), ==, 0);
	g_assert_null(ub_device_db_lookup_chip(empty, 0x8110, 0x0c));
}

static void
ub_device_db_guess_button_scheme_func(void)
{
	const struct {
		const gchar *product_type;
		UbButtonScheme scheme;
	} cases[] = {
	    {"iPhone10,1", UB_BUTTON_SCHEME_A},
	    {"iPhone12,8", UB_BUTTON_SCHEME_A},
	    {"iPhone14,6", UB_BUTTON_SCHEME_A},
	    {"iPhone18,5", UB_BUTTON_SCHEME_A},
	    {"iPhone19,1", UB_BUTTON_SCHEME_A},
	    {"iPhone9,1", UB_BUTTON_SCHEME_B},
	    {"iPhone9,4", UB_BUTTON_SCHEME_B},
	    {"iPhone8,4", UB_BUTTON_SCHEME_C},
	    {"iPhone7,2", UB_BUTTON_SCHEME_C},
	    {"iPhone1,1", UB_BUTTON_SCHEME_C},
	    {"iPad8,1", UB_BUTTON_SCHEME_D},
	    {"iPad8,12", UB_BUTTON_SCHEME_D},
	    {"iPad13,1", UB_BUTTON_SCHEME_D},
	    {"iPad13,2", UB_BUTTON_SCHEME_D},
	    {"iPad13,4", UB_BUTTON_SCHEME_D},
	    {"iPad13,11", UB_BUTTON_SCHEME_D},
	    {"iPad13,16", UB_BUTTON_SCHEME_D},
	    {"iPad13,19", UB_BUTTON_SCHEME_D},
	    {"iPad14,1", UB_BUTTON_SCHEME_D},
	    {"iPad14,11", UB_BUTTON_SCHEME_D},
	    {"iPad15,7", UB_BUTTON_SCHEME_D},
	    {"iPad16,1", UB_BUTTON_SCHEME_D},
	    {"iPad17,4", UB_BUTTON_SCHEME_D},
	    {"iPad18,1", UB_BUTTON_SCHEME_D},
	    {"iPad2,1", UB_BUTTON_SCHEME_E},
	    {"iPad5,1", UB_BUTTON_SCHEME_E},
	    {"iPad6,3", UB_BUTTON_SCHEME_E},
	    {"iPad6,11", UB_BUTTON_SCHEME_E},
	    {"iPad7,5", UB_BUTTON_SCHEME_E},
	    {"iPad11,6", UB_BUTTON_SCHEME_E},
	    {"iPad12,2", UB_BUTTON_SCHEME_E},
	    {"iPod9,1", UB_BUTTON_SCHEME_C},
	    {"iPod5,1", UB_BUTTON_SCHEME_C},
	    {"AppleTV5,3", UB_BUTTON_SCHEME_UNKNOWN},
	    {"Watch6,1", UB_BUTTON_SCHEME_UNKNOWN},
	    {"", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone10", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone10,", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone,1", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhonex,1", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone10,1x", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone-10,1", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iphone10,1", UB_BUTTON_SCHEME_UNKNOWN},
	    {"iPhone99999999999999999999,1", UB_BUTTON_SCHEME_UNKNOWN},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("%s", cases[i].product_type);
		g_assert_cmpint(
		    ub_device_db_guess_button_scheme(cases[i].product_type), ==, cases[i].scheme);
	}
}

static void
ub_device_db_guess_connector_func(void)
{
	const struct {
		const gchar *product_type;
		UbConnector connector;
	} cases[] = {
	    {"iPhone5,1", UB_CONNECTOR_LIGHTNING},  {"iPhone8,1", UB_CONNECTOR_LIGHTNING},
	    {"iPhone14,6", UB_CONNECTOR_LIGHTNING}, {"iPhone14,8", UB_CONNECTOR_LIGHTNING},
	    {"iPhone15,2", UB_CONNECTOR_LIGHTNING}, {"iPhone15,3", UB_CONNECTOR_LIGHTNING},
	    {"iPhone15,4", UB_CONNECTOR_USB_C},	    {"iPhone15,5", UB_CONNECTOR_USB_C},
	    {"iPhone16,1", UB_CONNECTOR_USB_C},	    {"iPhone17,5", UB_CONNECTOR_USB_C},
	    {"iPhone18,5", UB_CONNECTOR_USB_C},	    {"iPhone4,1", UB_CONNECTOR_UNKNOWN},
	    {"iPad2,1", UB_CONNECTOR_UNKNOWN},	    {"iPad3,3", UB_CONNECTOR_UNKNOWN},
	    {"iPad2,5", UB_CONNECTOR_LIGHTNING},    {"iPad3,4", UB_CONNECTOR_LIGHTNING},
	    {"iPad6,11", UB_CONNECTOR_LIGHTNING},   {"iPad7,12", UB_CONNECTOR_LIGHTNING},
	    {"iPad11,3", UB_CONNECTOR_LIGHTNING},   {"iPad12,1", UB_CONNECTOR_LIGHTNING},
	    {"iPad8,1", UB_CONNECTOR_USB_C},	    {"iPad13,1", UB_CONNECTOR_USB_C},
	    {"iPad13,18", UB_CONNECTOR_USB_C},	    {"iPad14,1", UB_CONNECTOR_USB_C},
	    {"iPad15,7", UB_CONNECTOR_USB_C},	    {"iPad17,1", UB_CONNECTOR_USB_C},
	    {"iPod4,1", UB_CONNECTOR_UNKNOWN},	    {"iPod7,1", UB_CONNECTOR_LIGHTNING},
	    {"AppleTV5,3", UB_CONNECTOR_UNKNOWN},   {"", UB_CONNECTOR_UNKNOWN},
	    {"iPad15", UB_CONNECTOR_UNKNOWN},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("%s", cases[i].product_type);
		g_assert_cmpint(
		    ub_device_db_guess_connector(cases[i].product_type), ==, cases[i].connector);
	}
}

/* reference/devices.md section 2: the first libirecovery that knows a model */
static void
ub_device_db_libirecovery_func(void)
{
	const struct {
		const gchar *product_type;
		const gchar *libirecovery;
	} spot_checks[] = {
	    {"iPhone8,1", "1.0.0"},  {"iPhone12,8", "1.0.0"}, {"iPhone13,2", "1.1.0"},
	    {"iPhone15,3", "1.1.0"}, {"iPhone15,4", "1.2.0"}, {"iPhone16,2", "1.2.0"},
	    {"iPhone17,1", "1.2.1"}, {"iPhone17,5", "1.3.0"}, {"iPhone18,4", "1.3.0"},
	    {"iPhone18,5", "1.3.2"}, {"iPad8,12", "1.0.0"},   {"iPad11,4", "1.0.0"},
	    {"iPad11,6", "1.1.0"},   {"iPad14,6", "1.1.0"},   {"iPad14,8", "1.2.1"},
	    {"iPad15,3", "1.3.0"},   {"iPad16,1", "1.3.0"},   {"iPad16,3", "1.2.1"},
	    {"iPad16,8", "1.3.2"},   {"iPad17,1", "1.3.1"},
	};
	g_autoptr(UbDeviceDb) db = bundled_db_new();
	g_autoptr(GRegex) version_regex = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDeviceDb) without = NULL;
	g_autoptr(UbDeviceDb) bad = NULL;

	version_regex = g_regex_new("^\\d+\\.\\d+\\.\\d+$", G_REGEX_DEFAULT, 0, NULL);
	g_assert_nonnull(version_regex);

	/* every bundled row says it, as x.y.z */
	for (guint i = 0; i < ub_device_db_get_n_models(db); i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);

		g_test_message("%s: %s", model->product_type, model->libirecovery);
		g_assert_nonnull(model->libirecovery);
		g_assert_true(g_regex_match(version_regex, model->libirecovery, 0, NULL));
	}
	for (guint i = 0; i < G_N_ELEMENTS(spot_checks); i++) {
		const UbDeviceModel *model =
		    ub_device_db_lookup_product_type(db, spot_checks[i].product_type);

		g_assert_nonnull(model);
		g_assert_cmpstr(model->libirecovery, ==, spot_checks[i].libirecovery);
	}

	/* optional in a table, checked when present */
	without = db_new_from_string(DOC(ROW_OK), &error);
	g_assert_no_error(error);
	g_assert_null(ub_device_db_get_model(without, 0)->libirecovery);
	bad = db_new_from_string(DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN
				     ", \"libirecovery\": \"1.2\"}"),
				 &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(bad);
	g_assert_nonnull(strstr(error->message, "model 0: \"libirecovery\" \"1.2\""));
	g_clear_error(&error);
	bad = db_new_from_string(DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN
				     ", \"libirecovery\": \"1.x.0\"}"),
				 &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_clear_error(&error);
	bad = db_new_from_string(DOC("{" ROW_PT ROW_HW ROW_NAME ROW_CPID ROW_BDID ROW_BTN ROW_CONN
				     ", \"libirecovery\": 1}"),
				 &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/device-db/default-threads", ub_device_db_default_threads_func);
	g_test_add_func("/unbrick/device-db/bundled-well-formed",
			ub_device_db_bundled_well_formed_func);
	g_test_add_func("/unbrick/device-db/iphone-coverage", ub_device_db_iphone_coverage_func);
	g_test_add_func("/unbrick/device-db/lookup-chip", ub_device_db_lookup_chip_func);
	g_test_add_func("/unbrick/device-db/lookup-product-type",
			ub_device_db_lookup_product_type_func);
	g_test_add_func("/unbrick/device-db/lookup-hardware-model",
			ub_device_db_lookup_hardware_model_func);
	g_test_add_func("/unbrick/device-db/unknown-chip", ub_device_db_unknown_chip_func);
	g_test_add_func("/unbrick/device-db/libirecovery-fallback",
			ub_device_db_libirecovery_fallback_func);
	g_test_add_func("/unbrick/device-db/malformed", ub_device_db_malformed_func);
	g_test_add_func("/unbrick/device-db/valid", ub_device_db_valid_func);
	g_test_add_func("/unbrick/device-db/guess-button-scheme",
			ub_device_db_guess_button_scheme_func);
	g_test_add_func("/unbrick/device-db/guess-connector", ub_device_db_guess_connector_func);
	g_test_add_func("/unbrick/device-db/libirecovery", ub_device_db_libirecovery_func);

	return g_test_run();
}
