/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-engine-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ub-device-db.h"
#include "ub-engine-cli.h"

#define UB_ENGINE_CLI_OPTION "--probe-engine"

static void
ub_engine_cli_add_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
ub_engine_cli_add_newest(JsonBuilder *builder,
			 UbEngineInfo *info,
			 const gchar *name,
			 const gchar *family)
{
	const UbDeviceModel *model = ub_engine_info_get_newest_model(info, family);

	ub_engine_cli_add_string(builder, name, model != NULL ? model->name : NULL);
}

/**
 * ub_engine_cli_to_json:
 * @info: a probed engine
 * @path: (nullable): where it was found
 *
 * Returns: (transfer full): one JSON object, pretty-printed, ending in a
 * newline
 */
gchar *
ub_engine_cli_to_json(UbEngineInfo *info, const gchar *path)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
	UbDeviceDb *db = ub_device_db_get_default();
	g_autofree gchar *text = NULL;
	guint newest_ios = 0;

	g_return_val_if_fail(info != NULL, NULL);

	json_builder_begin_object(builder);
	ub_engine_cli_add_string(builder, "path", path);
	ub_engine_cli_add_string(builder, "version", ub_engine_info_get_version(info));
	ub_engine_cli_add_string(
	    builder, "libirecovery", ub_engine_info_get_libirecovery_version(info));
	ub_engine_cli_add_string(builder, "libtatsu", ub_engine_info_get_libtatsu_version(info));
	ub_engine_cli_add_string(
	    builder, "libirecovery-path", ub_engine_info_get_libirecovery_path(info));
	ub_engine_cli_add_string(builder, "generation", ub_engine_info_get_generation(info));
	json_builder_set_member_name(builder, "newest-ios");
	newest_ios = ub_engine_info_get_newest_ios(info);
	if (newest_ios > 0)
		json_builder_add_int_value(builder, newest_ios);
	else
		json_builder_add_null_value(builder);
	ub_engine_cli_add_newest(builder, info, "newest-iphone", "iPhone");
	ub_engine_cli_add_newest(builder, info, "newest-ipad", "iPad");

	json_builder_set_member_name(builder, "models");
	json_builder_begin_array(builder);
	for (guint i = 0; i < ub_device_db_get_n_models(db); i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);

		/* one product type has a row per hardware model */
		if (g_hash_table_contains(listed, model->product_type))
			continue;
		if (!ub_engine_info_can_restore(info, model->product_type, 0, NULL))
			continue;
		g_hash_table_add(listed, (gpointer)model->product_type);
		json_builder_add_string_value(builder, model->product_type);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);
	return g_strconcat(text, "\n", NULL);
}

typedef struct {
	GMainLoop *loop;
	UbEngineInfo *info;
	GError *error;
} UbEngineCliProbe;

static void
ub_engine_cli_probe_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	UbEngineCliProbe *probe = user_data;

	probe->info = ub_engine_info_probe_finish(result, &probe->error);
	g_main_loop_quit(probe->loop);
}

gboolean
ub_engine_cli_handle_args(gint argc, gchar **argv, gint *exit_status)
{
	g_autoptr(GMainContext) context = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autofree gchar *json = NULL;
	UbEngineCliProbe probe = {NULL};
	const gchar *path = NULL;
	gboolean found = FALSE;

	g_return_val_if_fail(argc == 0 || argv != NULL, FALSE);
	g_return_val_if_fail(exit_status != NULL, FALSE);

	for (gint i = 1; i < argc && argv[i] != NULL; i++) {
		if (g_strcmp0(argv[i], "--") == 0)
			break;
		if (g_strcmp0(argv[i], UB_ENGINE_CLI_OPTION) == 0) {
			found = TRUE;
			break;
		}
		if (g_str_has_prefix(argv[i], UB_ENGINE_CLI_OPTION "=")) {
			found = TRUE;
			path = argv[i] + strlen(UB_ENGINE_CLI_OPTION "=");
			break;
		}
	}
	if (!found)
		return FALSE;
	if (path == NULL || path[0] == '\0')
		path = "idevicerestore";

	context = g_main_context_new();
	g_main_context_push_thread_default(context);
	loop = g_main_loop_new(context, FALSE);
	probe.loop = loop;
	ub_engine_info_probe_async(path, NULL, ub_engine_cli_probe_cb, &probe);
	g_main_loop_run(loop);
	g_main_context_pop_thread_default(context);

	if (probe.info == NULL) {
		g_printerr("unbrick: %s\n", probe.error->message);
		g_clear_error(&probe.error);
		*exit_status = 1;
		return TRUE;
	}
	json = ub_engine_cli_to_json(probe.info, path);
	g_clear_pointer(&probe.info, ub_engine_info_unref);

	/* bytes as they are: g_print() would convert to the locale's charset,
	 * and JSON is UTF-8 */
	if (fwrite(json, 1, strlen(json), stdout) != strlen(json) || fflush(stdout) != 0) {
		g_printerr("unbrick: %s\n", g_strerror(errno));
		*exit_status = 1;
		return TRUE;
	}
	*exit_status = 0;
	return TRUE;
}
