/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-ipsw-inspect"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ub-ipsw-inspect.h"

static void
add_string_or_null(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
add_hex(JsonBuilder *builder, const gchar *name, guint value)
{
	g_autofree gchar *text = g_strdup_printf("0x%x", value);

	json_builder_set_member_name(builder, name);
	json_builder_add_string_value(builder, text);
}

gchar *
ub_ipsw_inspect_to_json(UbIpsw *ipsw)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *path = NULL;
	const gchar *const *product_types;
	const gchar *const *checks;
	GPtrArray *identities;

	g_return_val_if_fail(UB_IS_IPSW(ipsw), NULL);

	/* a file name need not be UTF-8; JSON must be */
	path = g_filename_display_name(ub_ipsw_get_path(ipsw));
	product_types = ub_ipsw_get_product_types(ipsw);
	checks = ub_ipsw_get_checks(ipsw);
	identities = ub_ipsw_get_build_identities(ipsw);

	json_builder_begin_object(builder);
	add_string_or_null(builder, "path", path);
	add_string_or_null(builder, "version", ub_ipsw_get_version(ipsw));
	add_string_or_null(builder, "build", ub_ipsw_get_build(ipsw));

	json_builder_set_member_name(builder, "product_types");
	json_builder_begin_array(builder);
	for (guint i = 0; product_types != NULL && product_types[i] != NULL; i++)
		json_builder_add_string_value(builder, product_types[i]);
	json_builder_end_array(builder);

	json_builder_set_member_name(builder, "variants");
	json_builder_begin_array(builder);
	for (guint i = 0; i < identities->len; i++) {
		UbBuildIdentity *identity = g_ptr_array_index(identities, i);

		json_builder_begin_object(builder);
		add_string_or_null(builder, "board", identity->device_class);
		add_string_or_null(builder, "behavior", identity->restore_behavior);
		add_string_or_null(builder, "variant", identity->variant);
		add_hex(builder, "cpid", identity->cpid);
		add_hex(builder, "bdid", identity->bdid);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);

	json_builder_set_member_name(builder, "restore_plist");
	json_builder_add_boolean_value(builder, ub_ipsw_has_restore_plist(ipsw));

	json_builder_set_member_name(builder, "checks");
	json_builder_begin_array(builder);
	for (guint i = 0; checks != NULL && checks[i] != NULL; i++)
		json_builder_add_string_value(builder, checks[i]);
	json_builder_end_array(builder);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	return json_generator_to_data(generator, NULL);
}

gchar *
ub_ipsw_inspect_file(const gchar *path, GError **error)
{
	g_autoptr(UbIpsw) ipsw = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	ipsw = ub_ipsw_open(path, error);
	if (ipsw == NULL)
		return NULL;
	return ub_ipsw_inspect_to_json(ipsw);
}

/* one line on stderr, whatever the message holds: scripts read it as one */
static void
print_refusal(const gchar *message)
{
	g_autofree gchar *line = g_strdup(message);

	g_strdelimit(line, "\r\n", ' ');
	g_printerr("unbrick: %s\n", line);
}

gboolean
ub_ipsw_inspect_handle_args(gint argc, gchar **argv, gint *exit_status)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	const gchar *path = NULL;
	gboolean found = FALSE;
	gsize len;

	g_return_val_if_fail(argc == 0 || argv != NULL, FALSE);
	g_return_val_if_fail(exit_status != NULL, FALSE);

	for (gint i = 1; i < argc && argv[i] != NULL; i++) {
		if (g_strcmp0(argv[i], "--") == 0)
			break;
		if (g_strcmp0(argv[i], "--inspect-ipsw") == 0) {
			found = TRUE;
			path = i + 1 < argc ? argv[i + 1] : NULL;
			break;
		}
		if (g_str_has_prefix(argv[i], "--inspect-ipsw=")) {
			found = TRUE;
			path = argv[i] + strlen("--inspect-ipsw=");
			break;
		}
	}
	if (!found)
		return FALSE;

	if (path == NULL || path[0] == '\0') {
		print_refusal(_("--inspect-ipsw needs a FILE"));
		*exit_status = 1;
		return TRUE;
	}
	json = ub_ipsw_inspect_file(path, &error);
	if (json == NULL) {
		print_refusal(error->message);
		*exit_status = 1;
		return TRUE;
	}

	/* bytes as they are: g_print() would convert to the locale's charset,
	 * and JSON is UTF-8 */
	len = strlen(json);
	if (fwrite(json, 1, len, stdout) != len || fputc('\n', stdout) == EOF ||
	    fflush(stdout) != 0) {
		print_refusal(g_strerror(errno));
		*exit_status = 1;
		return TRUE;
	}
	*exit_status = 0;
	return TRUE;
}
