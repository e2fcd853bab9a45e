/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-remediation-link"

#include "config.h"

#include <string.h>

#include "ub-remediation-private.h"
#include "ub-remediation.h"

/* a link is data from a file: short, and nothing a button could not show */
#define UB_REMEDIATION_LINK_URI_MAX 512
#define UB_REMEDIATION_LINK_LABEL_MAX 80

static gboolean
ub_remediation_host_is_apple(const gchar *host)
{
	g_autofree gchar *lower = NULL;

	if (host == NULL || host[0] == '\0' || host[0] == '.' || host[0] == '-')
		return FALSE;
	for (const gchar *cursor = host; *cursor != '\0'; cursor++) {
		if (!g_ascii_isalnum(*cursor) && *cursor != '.' && *cursor != '-')
			return FALSE;
	}
	if (strstr(host, "..") != NULL)
		return FALSE;
	lower = g_ascii_strdown(host, -1);
	return g_strcmp0(lower, "apple.com") == 0 || g_str_has_suffix(lower, ".apple.com");
}

/**
 * ub_remediation_link_uri_is_allowed:
 * @uri: an address from a card
 *
 * The cards come from a file, and a button opens their links in the
 * browser, so only Apple's own pages are allowed: https, a host that is
 * apple.com or under it, no user name (“https://apple.com@example.com”), no
 * port but 443, at most 512 characters, all of them printable ASCII.
 *
 * Returns: %TRUE when a card may link to @uri
 */
gboolean
ub_remediation_link_uri_is_allowed(const gchar *uri)
{
	g_autoptr(GUri) parsed = NULL;
	const gchar *authority = NULL;
	gsize length = 0;
	gint port = 0;

	g_return_val_if_fail(uri != NULL, FALSE);

	length = strlen(uri);
	if (length == 0 || length > UB_REMEDIATION_LINK_URI_MAX)
		return FALSE;
	/* no spaces, controls or look-alike letters; browsers read "\" as "/" */
	for (const guchar *cursor = (const guchar *)uri; *cursor != '\0'; cursor++) {
		if (*cursor <= 0x20 || *cursor >= 0x7f || *cursor == '\\')
			return FALSE;
	}
	/* GUri decodes the host whatever the flags; "%61pple.com" is apple.com
	 * to a browser too, but a card has no reason to write it so */
	authority = strstr(uri, "://");
	if (authority != NULL && strcspn(authority + 3, "/?#") > strcspn(authority + 3, "%"))
		return FALSE;
	parsed = g_uri_parse(uri, G_URI_FLAGS_ENCODED, NULL);
	if (parsed == NULL)
		return FALSE;
	if (g_strcmp0(g_uri_get_scheme(parsed), "https") != 0)
		return FALSE;
	if (g_uri_get_userinfo(parsed) != NULL)
		return FALSE;
	port = g_uri_get_port(parsed);
	if (port != -1 && port != 443)
		return FALSE;
	return ub_remediation_host_is_apple(g_uri_get_host(parsed));
}

/* the card-file side of a link: the JSON must be exactly a label and a uri,
 * the label short text a button can show, the uri one
 * ub_remediation_link_uri_is_allowed() lets through */
gboolean
_ub_remediation_read_link(JsonNode *node,
			  const gchar **label,
			  const gchar **uri,
			  const gchar **reason)
{
	JsonObject *object = NULL;
	g_autoptr(GList) members = NULL;
	JsonNode *label_node = NULL;
	JsonNode *uri_node = NULL;

	g_return_val_if_fail(node != NULL, FALSE);
	g_return_val_if_fail(label != NULL, FALSE);
	g_return_val_if_fail(uri != NULL, FALSE);
	g_return_val_if_fail(reason != NULL, FALSE);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		*reason = "not an object";
		return FALSE;
	}
	object = json_node_get_object(node);
	members = json_object_get_members(object);
	for (GList *l = members; l != NULL; l = l->next) {
		if (g_strcmp0(l->data, "label") != 0 && g_strcmp0(l->data, "uri") != 0) {
			*reason = "unknown member";
			return FALSE;
		}
	}
	label_node = json_object_get_member(object, "label");
	uri_node = json_object_get_member(object, "uri");
	if (label_node == NULL || !JSON_NODE_HOLDS_VALUE(label_node) ||
	    json_node_get_value_type(label_node) != G_TYPE_STRING || uri_node == NULL ||
	    !JSON_NODE_HOLDS_VALUE(uri_node) ||
	    json_node_get_value_type(uri_node) != G_TYPE_STRING) {
		*reason = "“label” and “uri” must be strings";
		return FALSE;
	}
	*label = json_node_get_string(label_node);
	*uri = json_node_get_string(uri_node);
	if ((*label)[0] == '\0' || g_utf8_strlen(*label, -1) > UB_REMEDIATION_LINK_LABEL_MAX) {
		*reason = "the label is empty or too long";
		return FALSE;
	}
	for (const gchar *cursor = *label; *cursor != '\0'; cursor = g_utf8_next_char(cursor)) {
		if (g_unichar_iscntrl(g_utf8_get_char(cursor))) {
			*reason = "the label holds a control character";
			return FALSE;
		}
	}
	if (!ub_remediation_link_uri_is_allowed(*uri)) {
		*reason = "only https addresses on apple.com are allowed";
		return FALSE;
	}
	return TRUE;
}
