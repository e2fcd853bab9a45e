/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Checked reads of JSON members, for every file Unbrick parses (the device
 * table, the remediation cards, scenarios, catalogs, the firmware index):
 * a member of the wrong type or an empty one is a UB_ERROR_INVALID_DATA that
 * names where it is ("model 3: \"cpid\" is missing"), never a crash or a
 * silent default.
 */
typedef enum {
	UB_JSON_OPTIONAL = 0,
	/* absent or null is an error ("is missing"), and so is "" ("is empty") */
	UB_JSON_REQUIRED = 1 << 0,
	/* "" is an error even where the member may be absent; without this
	 * or UB_JSON_REQUIRED, "" reads as absent */
	UB_JSON_NON_EMPTY = 1 << 1,
} UbJsonFlags;

/* @where: what holds the member, as the error names it ("model 3"), or
 * NULL; @value: borrowed from @object, NULL when absent (or "" and not
 * UB_JSON_NON_EMPTY) */
gboolean
ub_json_get_string(JsonObject *object,
		   const gchar *where,
		   const gchar *member,
		   UbJsonFlags flags,
		   const gchar **value,
		   GError **error);
/* a whole number in [@min, @max]; @value is left alone when it is absent */
gboolean
ub_json_get_int(JsonObject *object,
		const gchar *where,
		const gchar *member,
		UbJsonFlags flags,
		gint64 min,
		gint64 max,
		gint64 *value,
		GError **error);
/* any number in [@min, @max]; @value is left alone when it is absent */
gboolean
ub_json_get_double(JsonObject *object,
		   const gchar *where,
		   const gchar *member,
		   UbJsonFlags flags,
		   gdouble min,
		   gdouble max,
		   gdouble *value,
		   GError **error);

/* whether @data nests arrays and objects at most @max_depth deep, counted
 * before any parser sees it: json-glib recurses, and a file of a few KB of
 * brackets would exhaust the stack */
gboolean
ub_json_depth_ok(const gchar *data, gsize len, guint max_depth);

/* deeper than any file Unbrick ships or reads (none nests more than 5 deep), far
 * shallower than what exhausts json-glib's stack */
#define UB_JSON_MAX_DEPTH 64

/* parses @data (@len bytes, or -1 when NUL-terminated) once it is known to
 * nest at most UB_JSON_MAX_DEPTH deep: every JSON parse of a file from disk,
 * a resource or the network goes through here, so no file can crash the
 * parser. @what: the prefix of the UB_ERROR_INVALID_DATA message ("cards"),
 * or NULL. An empty document parses, with no root, as json-glib has it.
 *
 * Returns: (transfer full): the parser holding the document, or NULL */
JsonParser *
ub_json_parse_checked(const gchar *data, gssize len, const gchar *what, GError **error);

G_END_DECLS
