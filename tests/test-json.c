/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-json.h"
#include "ub-test.h"

static JsonObject *
parse_object(const gchar *text)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
	g_assert_no_error(error);
	return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

typedef struct {
	const gchar *member;
	UbJsonFlags flags;
	const gchar *value; /* NULL: absent */
	const gchar *error; /* NULL: no error */
} StringCase;

static void
json_string_func(void)
{
	g_autoptr(JsonObject) object =
	    parse_object("{\"name\": \"iPhone\", \"empty\": \"\", \"none\": null, \"number\": 7, "
			 "\"list\": [\"a\"]}");
	const StringCase cases[] = {
	    {"name", UB_JSON_OPTIONAL, "iPhone", NULL},
	    {"name", UB_JSON_REQUIRED | UB_JSON_NON_EMPTY, "iPhone", NULL},
	    {"absent", UB_JSON_OPTIONAL, NULL, NULL},
	    {"absent", UB_JSON_REQUIRED, NULL, "model 3: \"absent\" is missing"},
	    {"none", UB_JSON_OPTIONAL, NULL, NULL},
	    {"none", UB_JSON_REQUIRED, NULL, "model 3: \"none\" is missing"},
	    /* "" is absent unless it must not be */
	    {"empty", UB_JSON_OPTIONAL, NULL, NULL},
	    {"empty", UB_JSON_NON_EMPTY, NULL, "model 3: \"empty\" is empty"},
	    {"empty", UB_JSON_REQUIRED, NULL, "model 3: \"empty\" is empty"},
	    {"number", UB_JSON_OPTIONAL, NULL, "model 3: \"number\" is not a string"},
	    {"list", UB_JSON_OPTIONAL, NULL, "model 3: \"list\" is not a string"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		const gchar *value = "untouched";
		gboolean ok = ub_json_get_string(
		    object, "model 3", cases[i].member, cases[i].flags, &value, &error);

		g_test_message("case %u: %s", i, cases[i].member);
		g_assert_cmpstr(value, ==, cases[i].value);
		if (cases[i].error == NULL) {
			g_assert_no_error(error);
			g_assert_true(ok);
		} else {
			g_assert_false(ok);
			g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
			g_assert_cmpstr(error->message, ==, cases[i].error);
		}
	}

	/* without a place, the member alone is named */
	{
		g_autoptr(GError) error = NULL;
		const gchar *value = NULL;
		g_assert_false(
		    ub_json_get_string(object, NULL, "absent", UB_JSON_REQUIRED, &value, &error));
		g_assert_cmpstr(error->message, ==, "\"absent\" is missing");
	}
}

static void
json_numbers_func(void)
{
	g_autoptr(JsonObject) object = parse_object(
	    "{\"size\": 1024, \"negative\": -1, \"half\": 0.5, \"text\": \"12\", \"big\": 1e300}");
	g_autoptr(GError) error = NULL;
	gint64 whole = 99;
	gdouble real = 99;

	g_assert_true(ub_json_get_int(
	    object, "firmware 0", "size", UB_JSON_REQUIRED, 0, G_MAXINT64, &whole, &error));
	g_assert_no_error(error);
	g_assert_cmpint(whole, ==, 1024);

	/* absent and optional: the value is left as it was */
	whole = 7;
	g_assert_true(ub_json_get_int(
	    object, "firmware 0", "absent", UB_JSON_OPTIONAL, 0, 10, &whole, &error));
	g_assert_cmpint(whole, ==, 7);

	g_assert_false(ub_json_get_int(
	    object, "firmware 0", "negative", UB_JSON_OPTIONAL, 0, 10, &whole, &error));
	g_assert_cmpstr(error->message, ==, "firmware 0: \"negative\" must be between 0 and 10");
	g_clear_error(&error);
	g_assert_false(
	    ub_json_get_int(object, "firmware 0", "half", UB_JSON_OPTIONAL, 0, 10, &whole, &error));
	g_assert_cmpstr(error->message, ==, "firmware 0: \"half\" is not a whole number");
	g_clear_error(&error);
	g_assert_false(ub_json_get_int(
	    object, "firmware 0", "text", UB_JSON_OPTIONAL, 0, 100, &whole, &error));
	g_assert_cmpstr(error->message, ==, "firmware 0: \"text\" is not a whole number");
	g_clear_error(&error);
	g_assert_false(ub_json_get_int(
	    object, "firmware 0", "absent", UB_JSON_REQUIRED, 0, 10, &whole, &error));
	g_assert_cmpstr(error->message, ==, "firmware 0: \"absent\" is missing");
	g_clear_error(&error);

	/* a whole number is a number too */
	g_assert_true(ub_json_get_double(object, "scenario", "size", 0, 0, 2000, &real, &error));
	g_assert_cmpfloat(real, ==, 1024);
	g_assert_true(ub_json_get_double(object, "scenario", "half", 0, 0, 1, &real, &error));
	g_assert_cmpfloat(real, ==, 0.5);
	g_assert_false(ub_json_get_double(object, "scenario", "big", 0, 0, 1e6, &real, &error));
	g_assert_cmpstr(error->message, ==, "scenario: \"big\" must be between 0 and 1e+06");
	g_clear_error(&error);
	g_assert_false(ub_json_get_double(object, "scenario", "text", 0, 0, 100, &real, &error));
	g_assert_cmpstr(error->message, ==, "scenario: \"text\" is not a number");
}

static void
json_depth_func(void)
{
	g_autoptr(GString) deep = g_string_new(NULL);
	const gchar *nested = "{\"a\": [1, {\"b\": []}]}";
	const gchar *in_string = "[\"[[[[\\\"[[[[\"]";

	/* { [ { [: four deep */
	g_assert_true(ub_json_depth_ok(nested, strlen(nested), 4));
	g_assert_false(ub_json_depth_ok(nested, strlen(nested), 3));
	/* brackets inside strings, escaped quotes included, do not count */
	g_assert_true(ub_json_depth_ok(in_string, strlen(in_string), 1));

	/* a small file that would take a recursive parser a million frames
	 * deep is refused by counting alone */
	for (guint i = 0; i < 1000000; i++)
		g_string_append_c(deep, '[');
	g_assert_false(ub_json_depth_ok(deep->str, deep->len, 64));
}

static void
json_parse_checked_func(void)
{
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) error = NULL;

	parser = ub_json_parse_checked("{\"a\": [1, 2]}", -1, "cards", &error);
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
	g_clear_object(&parser);

	/* an empty file reads as json-glib has it: no root, for the caller to name */
	parser = ub_json_parse_checked(NULL, 0, "cards", &error);
	g_assert_no_error(error);
	g_assert_null(json_parser_get_root(parser));
	g_clear_object(&parser);

	parser = ub_json_parse_checked("{\"a\": ", -1, "cards", &error);
	g_assert_null(parser);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_true(g_str_has_prefix(error->message, "cards: not valid JSON: "));
	g_clear_error(&error);

	/* 100,000 brackets: json-glib would recurse once for each and run out
	 * of stack; the check refuses them before it starts */
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(deep, '[');
	parser = ub_json_parse_checked(deep->str, (gssize)deep->len, NULL, &error);
	g_assert_null(parser);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_cmpstr(error->message, ==, "nested more than 64 deep");
	g_clear_error(&error);

	/* as deep as allowed still parses */
	g_string_truncate(deep, 0);
	for (guint i = 0; i < UB_JSON_MAX_DEPTH; i++)
		g_string_append_c(deep, '[');
	for (guint i = 0; i < UB_JSON_MAX_DEPTH; i++)
		g_string_append_c(deep, ']');
	parser = ub_json_parse_checked(deep->str, (gssize)deep->len, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(parser);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/json/string", json_string_func);
	g_test_add_func("/unbrick/json/numbers", json_numbers_func);
	g_test_add_func("/unbrick/json/depth", json_depth_func);
	g_test_add_func("/unbrick/json/parse-checked", json_parse_checked_func);
	return g_test_run();
}
