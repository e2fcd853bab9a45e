/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <zip.h>

#include "ub-test-bplist.h"
#include "ub-test.h"

/* what UbIpsw reads of a manifest: an iPhone 13 Pro's, two variants */
static const gchar good_manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<plist version=\"1.0\">\n"
    "<dict>\n"
    "  <key>BuildIdentities</key>\n"
    "  <array>\n"
    "    <dict>\n"
    "      <key>ApBoardID</key><string>0x0C</string>\n"
    "      <key>ApChipID</key><string>0x8110</string>\n"
    "      <key>Info</key>\n"
    "      <dict>\n"
    "        <key>DeviceClass</key><string>d63ap</string>\n"
    "        <key>RestoreBehavior</key><string>Erase</string>\n"
    "        <key>Variant</key><string>Customer Erase Install (IPSW)</string>\n"
    "      </dict>\n"
    "    </dict>\n"
    "    <dict>\n"
    "      <key>ApBoardID</key><string>0x0C</string>\n"
    "      <key>ApChipID</key><string>0x8110</string>\n"
    "      <key>Info</key>\n"
    "      <dict>\n"
    "        <key>DeviceClass</key><string>d63ap</string>\n"
    "        <key>RestoreBehavior</key><string>Update</string>\n"
    "        <key>Variant</key><string>Customer Upgrade Install (IPSW)</string>\n"
    "      </dict>\n"
    "    </dict>\n"
    "  </array>\n"
    "  <key>ProductBuildVersion</key><string>21A329</string>\n"
    "  <key>ProductVersion</key><string>17.0</string>\n"
    "  <key>SupportedProductTypes</key>\n"
    "  <array><string>iPhone14,2</string></array>\n"
    "</dict>\n"
    "</plist>\n";

typedef struct {
	gint exit_status;
	gchar *out;
	gchar *err;
} UbRun;

static void
ub_run_clear(UbRun *run)
{
	g_free(run->out);
	g_free(run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(UbRun, ub_run_clear)

/* the built `unbrick`, from tests/meson.build; NULL and skipped without */
static const gchar *
unbrick_binary(void)
{
	const gchar *path = g_getenv("UB_UNBRICK_BINARY");

	if (path == NULL || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("UB_UNBRICK_BINARY does not name the built unbrick");
		return NULL;
	}
	return path;
}

/* `unbrick --inspect-ipsw @path` without a display */
static void
run_inspect(const gchar *path, UbRun *run)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_unsetenv(launcher, "DISPLAY");
	g_subprocess_launcher_unsetenv(launcher, "WAYLAND_DISPLAY");
	process = g_subprocess_launcher_spawn(
	    launcher, &error, g_getenv("UB_UNBRICK_BINARY"), "--inspect-ipsw", path, NULL);
	g_assert_no_error(error);
	g_assert_true(
	    g_subprocess_communicate_utf8(process, NULL, NULL, &run->out, &run->err, &error));
	g_assert_no_error(error);
	g_assert_true(g_subprocess_get_if_exited(process));
	run->exit_status = g_subprocess_get_exit_status(process);
}

/* refused: exit 1, nothing on stdout, one line on stderr */
static void
assert_refused(const UbRun *run, const gchar *message_part)
{
	g_test_message("stderr: %s", run->err);
	g_assert_cmpint(run->exit_status, ==, 1);
	g_assert_cmpstr(run->out, ==, "");
	g_assert_true(g_str_has_prefix(run->err, "unbrick: "));
	g_assert_true(g_str_has_suffix(run->err, "\n"));
	g_assert_true(strchr(run->err, '\n') == run->err + strlen(run->err) - 1);
	if (message_part != NULL)
		g_assert_nonnull(strstr(run->err, message_part));
}

static gchar *
write_ipsw(const gchar *name, gconstpointer manifest, gsize size)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_cache_dir(), "inspect-test", NULL);
	gchar *path = g_build_filename(dir, name, NULL);
	zip_source_t *source;
	zip_t *archive;
	int code = 0;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	g_assert_nonnull(archive);
	source = zip_source_buffer(archive, manifest, size, 0);
	g_assert_nonnull(source);
	g_assert_cmpint(
	    zip_file_add(archive, "BuildManifest.plist", source, ZIP_FL_ENC_UTF_8), >=, 0);
	g_assert_cmpint(zip_close(archive), ==, 0);
	return path;
}

static void
test_inspect_ipsw_good_func(void)
{
	g_autofree gchar *path = NULL;
	g_auto(UbRun) run = {0};
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonObject *root;
	JsonArray *types;
	JsonArray *variants;
	JsonArray *checks;
	JsonObject *erase;
	gboolean has_guard = FALSE;

	if (unbrick_binary() == NULL)
		return;
	path = write_ipsw("good.ipsw", good_manifest, sizeof(good_manifest) - 1);
	run_inspect(path, &run);
	g_assert_cmpstr(run.err, ==, "");
	g_assert_cmpint(run.exit_status, ==, 0);

	g_assert_true(json_parser_load_from_data(parser, run.out, -1, &error));
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(root, "version"), ==, "17.0");
	g_assert_cmpstr(json_object_get_string_member(root, "build"), ==, "21A329");
	g_assert_cmpstr(json_object_get_string_member(root, "path"), ==, path);
	types = json_object_get_array_member(root, "product_types");
	g_assert_cmpuint(json_array_get_length(types), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(types, 0), ==, "iPhone14,2");

	variants = json_object_get_array_member(root, "variants");
	g_assert_cmpuint(json_array_get_length(variants), ==, 2);
	erase = json_array_get_object_element(variants, 0);
	g_assert_cmpstr(json_object_get_string_member(erase, "board"), ==, "d63ap");
	g_assert_cmpstr(json_object_get_string_member(erase, "behavior"), ==, "Erase");
	g_assert_cmpstr(
	    json_object_get_string_member(erase, "variant"), ==, "Customer Erase Install (IPSW)");
	g_assert_cmpstr(json_object_get_string_member(erase, "cpid"), ==, "0x8110");
	g_assert_cmpstr(json_object_get_string_member(erase, "bdid"), ==, "0xc");
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(variants, 1), "behavior"),
	    ==,
	    "Update");
	g_assert_false(json_object_get_boolean_member(root, "restore_plist"));

	checks = json_object_get_array_member(root, "checks");
	g_assert_cmpstr(json_array_get_string_element(checks, 0), ==, "zip directory");
	for (guint i = 0; i < json_array_get_length(checks); i++)
		if (g_strcmp0(json_array_get_string_element(checks, i), "manifest plist guard") ==
		    0)
			has_guard = TRUE;
	g_assert_true(has_guard);
}

/* a real manifest, the iOS 8.4.1 one for the iPhone 6 */
static void
test_inspect_ipsw_real_func(void)
{
	g_autofree gchar *manifest_path =
	    ub_test_data_path("buildmanifest", "iPhone7,2_8.4.1_12H321_BuildManifest.plist", NULL);
	g_autofree gchar *manifest = NULL;
	g_autofree gchar *path = NULL;
	gsize size = 0;
	g_auto(UbRun) run = {0};
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;

	if (unbrick_binary() == NULL)
		return;
	g_assert_true(g_file_get_contents(manifest_path, &manifest, &size, NULL));
	path = write_ipsw("real.ipsw", manifest, size);
	run_inspect(path, &run);
	g_assert_cmpint(run.exit_status, ==, 0);
	g_assert_true(json_parser_load_from_data(parser, run.out, -1, NULL));
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(root, "version"), ==, "8.4.1");
	g_assert_cmpstr(json_object_get_string_member(root, "build"), ==, "12H321");
	g_assert_cmpstr(
	    json_array_get_string_element(json_object_get_array_member(root, "product_types"), 0),
	    ==,
	    "iPhone7,2");
	g_assert_cmpuint(
	    json_array_get_length(json_object_get_array_member(root, "variants")), ==, 2);
}

/* a few hundred bytes that libplist 2.2 alone would expand to 2^31 nodes */
static void
test_inspect_ipsw_hostile_func(void)
{
	g_autoptr(GBytes) laughs = ub_test_bplist_billion_laughs(30);
	g_autoptr(GBytes) nested = ub_test_bplist_nested(10000);
	g_autofree gchar *laughs_path = NULL;
	g_autofree gchar *nested_path = NULL;
	g_auto(UbRun) laughs_run = {0};
	g_auto(UbRun) nested_run = {0};

	if (unbrick_binary() == NULL)
		return;
	laughs_path =
	    write_ipsw("laughs.ipsw", g_bytes_get_data(laughs, NULL), g_bytes_get_size(laughs));
	run_inspect(laughs_path, &laughs_run);
	assert_refused(&laughs_run, "expand");

	nested_path =
	    write_ipsw("nested.ipsw", g_bytes_get_data(nested, NULL), g_bytes_get_size(nested));
	run_inspect(nested_path, &nested_run);
	assert_refused(&nested_run, "levels deep");
}

static void
test_inspect_ipsw_missing_func(void)
{
	g_autofree gchar *path = g_build_filename(g_get_tmp_dir(), "no-such.ipsw", NULL);
	g_auto(UbRun) run = {0};

	if (unbrick_binary() == NULL)
		return;
	run_inspect(path, &run);
	assert_refused(&run, "no-such.ipsw");
}

static void
test_inspect_ipsw_not_a_zip_func(void)
{
	g_autofree gchar *dir = g_build_filename(g_get_user_cache_dir(), "inspect-test", NULL);
	g_autofree gchar *path = g_build_filename(dir, "text.ipsw", NULL);
	g_auto(UbRun) run = {0};
	g_auto(UbRun) folder = {0};

	if (unbrick_binary() == NULL)
		return;
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, "not a zip at all\n", -1, NULL));
	run_inspect(path, &run);
	assert_refused(&run, "not a zip");

	run_inspect(dir, &folder);
	assert_refused(&folder, NULL);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/inspect-ipsw/good", test_inspect_ipsw_good_func);
	g_test_add_func("/unbrick/inspect-ipsw/real", test_inspect_ipsw_real_func);
	g_test_add_func("/unbrick/inspect-ipsw/hostile", test_inspect_ipsw_hostile_func);
	g_test_add_func("/unbrick/inspect-ipsw/missing", test_inspect_ipsw_missing_func);
	g_test_add_func("/unbrick/inspect-ipsw/not-a-zip", test_inspect_ipsw_not_a_zip_func);

	return g_test_run();
}
