/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-json.h"

static void
ub_json_set_error(GError **error, const gchar *where, const gchar *member, const gchar *problem)
{
	if (where != NULL)
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: \"%s\" %s",
			    where,
			    member,
			    problem);
	else
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"%s\" %s", member, problem);
}

/* the member's node, NULL when absent or null; FALSE when that is an error */
static gboolean
ub_json_get_node(JsonObject *object,
		 const gchar *where,
		 const gchar *member,
		 UbJsonFlags flags,
		 JsonNode **node,
		 GError **error)
{
	g_return_val_if_fail(object != NULL, FALSE);
	g_return_val_if_fail(member != NULL, FALSE);

	*node = json_object_get_member(object, member);
	if (*node != NULL && JSON_NODE_HOLDS_NULL(*node))
		*node = NULL;
	if (*node == NULL && (flags & UB_JSON_REQUIRED) != 0) {
		ub_json_set_error(error, where, member, "is missing");
		return FALSE;
	}
	return TRUE;
}

gboolean
ub_json_get_string(JsonObject *object,
		   const gchar *where,
		   const gchar *member,
		   UbJsonFlags flags,
		   const gchar **value,
		   GError **error)
{
	JsonNode *node = NULL;
	const gchar *text;

	g_return_val_if_fail(value != NULL, FALSE);

	*value = NULL;
	if (!ub_json_get_node(object, where, member, flags, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		ub_json_set_error(error, where, member, "is not a string");
		return FALSE;
	}
	text = json_node_get_string(node);
	if (text == NULL || text[0] == '\0') {
		if ((flags & (UB_JSON_NON_EMPTY | UB_JSON_REQUIRED)) != 0) {
			ub_json_set_error(error, where, member, "is empty");
			return FALSE;
		}
		return TRUE;
	}
	*value = text;
	return TRUE;
}

gboolean
ub_json_get_int(JsonObject *object,
		const gchar *where,
		const gchar *member,
		UbJsonFlags flags,
		gint64 min,
		gint64 max,
		gint64 *value,
		GError **error)
{
	JsonNode *node = NULL;
	gint64 number;

	g_return_val_if_fail(value != NULL, FALSE);

	if (!ub_json_get_node(object, where, member, flags, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64) {
		ub_json_set_error(error, where, member, "is not a whole number");
		return FALSE;
	}
	number = json_node_get_int(node);
	if (number < min || number > max) {
		g_autofree gchar *range = g_strdup_printf(
		    "must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, min, max);
		ub_json_set_error(error, where, member, range);
		return FALSE;
	}
	*value = number;
	return TRUE;
}

gboolean
ub_json_get_double(JsonObject *object,
		   const gchar *where,
		   const gchar *member,
		   UbJsonFlags flags,
		   gdouble min,
		   gdouble max,
		   gdouble *value,
		   GError **error)
{
	JsonNode *node = NULL;
	gdouble number;
	GType type;

	g_return_val_if_fail(value != NULL, FALSE);

	if (!ub_json_get_node(object, where, member, flags, &node, error))
		return FALSE;
	if (node == NULL)
		return TRUE;
	type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
	if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE) {
		ub_json_set_error(error, where, member, "is not a number");
		return FALSE;
	}
	number = json_node_get_double(node);
	if (!(number >= min && number <= max)) {
		g_autofree gchar *range = g_strdup_printf("must be between %g and %g", min, max);
		ub_json_set_error(error, where, member, range);
		return FALSE;
	}
	*value = number;
	return TRUE;
}

gboolean
ub_json_depth_ok(const gchar *data, gsize len, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		gchar c = data[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return FALSE;
		} else if (c == ']' || c == '}') {
			if (depth > 0)
				depth--;
		}
	}
	return TRUE;
}

static void
ub_json_set_parse_error(GError **error, const gchar *what, const gchar *problem)
{
	if (what != NULL)
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: %s", what, problem);
	else
		g_set_error_literal(error, UB_ERROR, UB_ERROR_INVALID_DATA, problem);
}

JsonParser *
ub_json_parse_checked(const gchar *data, gssize len, const gchar *what, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	gsize size;

	g_return_val_if_fail(data != NULL || len <= 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* g_bytes_get_data() gives NULL for an empty file */
	if (data == NULL)
		data = "";
	size = len < 0 ? strlen(data) : (gsize)len;
	if (!ub_json_depth_ok(data, size, UB_JSON_MAX_DEPTH)) {
		g_autofree gchar *problem =
		    g_strdup_printf("nested more than %d deep", UB_JSON_MAX_DEPTH);
		ub_json_set_parse_error(error, what, problem);
		return NULL;
	}
	if (!json_parser_load_from_data(parser, data, (gssize)size, &error_local)) {
		g_autofree gchar *problem =
		    g_strdup_printf("not valid JSON: %s", error_local->message);
		ub_json_set_parse_error(error, what, problem);
		return NULL;
	}
	return g_steal_pointer(&parser);
}
