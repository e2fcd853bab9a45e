/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "ub-error.h"
#include "ub-ipsw.h"
#include "ub-test-bplist.h"
#include "ub-test.h"

/* a manifest cut down to what UbIpsw reads, so the core cases run without
 * the shared fixtures; an iPhone 13 Pro (iPhone14,2, board d63ap) */
static const gchar builtin_manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
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
	const gchar *name;
	gconstpointer data; /* ignored for a folder, whose name ends in "/" */
	gsize size;
	guint32 unix_mode; /* 0: whatever libzip writes */
	gboolean stored;   /* no compression, so the bytes can be patched */
} TestMember;

static const TestMember manifest_member = {
    "BuildManifest.plist",
    builtin_manifest,
    sizeof(builtin_manifest) - 1,
    0,
    FALSE,
};

/* a folder of its own for each test; G_TEST_OPTION_ISOLATE_DIRS removes it */
static gchar *
dup_work_dir(void)
{
	gchar *dir = g_build_filename(g_get_user_cache_dir(), "ipsw-test", NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	return dir;
}

static void
write_zip(const gchar *path, const TestMember *members, guint n_members)
{
	zip_t *archive;
	int code = 0;

	archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	g_assert_nonnull(archive);
	for (guint i = 0; i < n_members; i++) {
		const TestMember *member = &members[i];
		zip_int64_t index;

		if (g_str_has_suffix(member->name, "/")) {
			index = zip_dir_add(archive, member->name, ZIP_FL_ENC_UTF_8);
		} else {
			zip_source_t *source =
			    zip_source_buffer(archive, member->data, member->size, 0);
			g_assert_nonnull(source);
			index = zip_file_add(archive, member->name, source, ZIP_FL_ENC_UTF_8);
			if (index < 0)
				zip_source_free(source);
		}
		g_assert_cmpint(index, >=, 0);
		if (member->stored)
			g_assert_cmpint(
			    zip_set_file_compression(archive, (zip_uint64_t)index, ZIP_CM_STORE, 0),
			    ==,
			    0);
		if (member->unix_mode != 0)
			g_assert_cmpint(zip_file_set_external_attributes(archive,
									 (zip_uint64_t)index,
									 0,
									 ZIP_OPSYS_UNIX,
									 member->unix_mode << 16),
					==,
					0);
	}
	g_assert_cmpint(zip_close(archive), ==, 0);
}

/* an IPSW of the built-in manifest and @members */
static gchar *
write_ipsw(const gchar *dir, const TestMember *members, guint n_members)
{
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(TestMember));
	gchar *path = g_build_filename(dir, "test.ipsw", NULL);

	g_array_append_val(all, manifest_member);
	if (n_members > 0)
		g_array_append_vals(all, members, n_members);
	write_zip(path, (const TestMember *)all->data, all->len);
	return path;
}

static guint
count_dir_entries(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	guint count = 0;

	if (dir == NULL)
		return 0;
	while (g_dir_read_name(dir) != NULL)
		count++;
	return count;
}

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
	GArray *fractions;
	GCancellable *cancel_on_progress;
} ExtractRun;

static void
extract_progress_cb(gdouble fraction, gpointer user_data)
{
	ExtractRun *run = user_data;

	/* the result has not arrived yet: progress always comes first */
	g_assert_false(run->done);
	g_array_append_val(run->fractions, fraction);
	if (run->cancel_on_progress != NULL && fraction < 1.0)
		g_cancellable_cancel(run->cancel_on_progress);
}

static void
extract_ready_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ExtractRun *run = user_data;

	run->ok = ub_ipsw_extract_finish(UB_IPSW(source), result, &run->error);
	run->done = TRUE;
}

static void
extract_run_clear(ExtractRun *run)
{
	g_clear_error(&run->error);
	g_clear_pointer(&run->fractions, g_array_unref);
	g_clear_object(&run->cancel_on_progress);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ExtractRun, extract_run_clear)

static void
run_extract(UbIpsw *ipsw, const gchar *dest, GCancellable *cancellable, ExtractRun *run)
{
	run->fractions = g_array_new(FALSE, FALSE, sizeof(gdouble));
	ub_ipsw_extract_async(
	    ipsw, dest, extract_progress_cb, run, cancellable, extract_ready_cb, run);
	g_assert_true(ub_test_wait_until(&run->done, 60000));
	g_assert_true(run->ok == (run->error == NULL));
}

static UbIpsw *
open_ok(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	UbIpsw *ipsw = ub_ipsw_open(path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(ipsw);
	return ipsw;
}

static void
assert_identity(UbIpsw *ipsw,
		guint index,
		guint cpid,
		guint bdid,
		const gchar *device_class,
		const gchar *restore_behavior,
		const gchar *variant)
{
	GPtrArray *identities = ub_ipsw_get_build_identities(ipsw);
	UbBuildIdentity *identity;

	g_assert_cmpuint(index, <, identities->len);
	identity = g_ptr_array_index(identities, index);
	g_assert_cmphex(identity->cpid, ==, cpid);
	g_assert_cmphex(identity->bdid, ==, bdid);
	g_assert_cmpstr(identity->device_class, ==, device_class);
	g_assert_cmpstr(identity->restore_behavior, ==, restore_behavior);
	g_assert_cmpstr(identity->variant, ==, variant);
}

static void
assert_strv(const gchar *const *actual, const gchar *const *expected)
{
	g_assert_nonnull(actual);
	g_assert_cmpuint(g_strv_length((gchar **)actual), ==, g_strv_length((gchar **)expected));
	for (guint i = 0; expected[i] != NULL; i++)
		g_assert_cmpstr(actual[i], ==, expected[i]);
}

static void
test_ipsw_open_builtin_func(void)
{
	const gchar *product_types[] = {"iPhone14,2", NULL};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, NULL, 0);
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_autoptr(UbBuildIdentity) copy = NULL;

	g_assert_cmpstr(ub_ipsw_get_path(ipsw), ==, path);
	g_assert_cmpstr(ub_ipsw_get_version(ipsw), ==, "17.0");
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "21A329");
	assert_strv(ub_ipsw_get_product_types(ipsw), product_types);
	g_assert_cmpuint(ub_ipsw_get_build_identities(ipsw)->len, ==, 2);
	assert_identity(ipsw, 0, 0x8110, 0x0c, "d63ap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(
	    ipsw, 1, 0x8110, 0x0c, "d63ap", "Update", "Customer Upgrade Install (IPSW)");

	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, "d63ap", "Erase"));
	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, "D63AP", "Update"));
	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, NULL, "Erase"));
	g_assert_false(ub_ipsw_has_restore_behavior(ipsw, "d64ap", "Erase"));
	g_assert_false(ub_ipsw_has_restore_behavior(ipsw, "d63ap", "Research"));

	copy = ub_build_identity_copy(g_ptr_array_index(ub_ipsw_get_build_identities(ipsw), 0));
	g_assert_cmpstr(copy->variant, ==, "Customer Erase Install (IPSW)");
	g_assert_true(G_TYPE_IS_BOXED(UB_TYPE_BUILD_IDENTITY));
}

static void
test_ipsw_open_binary_manifest_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = g_build_filename(dir, "binary.ipsw", NULL);
	g_autoptr(UbIpsw) ipsw = NULL;
	plist_t plist = NULL;
	char *binary = NULL;
	uint32_t length = 0;
	TestMember member = {"BuildManifest.plist", NULL, 0, 0, FALSE};

	plist_from_xml(builtin_manifest, sizeof(builtin_manifest) - 1, &plist);
	g_assert_nonnull(plist);
	plist_to_bin(plist, &binary, &length);
	plist_free(plist);
	g_assert_nonnull(binary);
	g_assert_cmpmem(binary, 8, "bplist00", 8);
	member.data = binary;
	member.size = length;
	write_zip(path, &member, 1);
	/* libplist 2.6 (Debian 13) has no plist_to_bin_free() any more, 2.2
	 * (Debian 12) no plist_mem_free() yet; both only free() */
	free(binary);

	ipsw = open_ok(path);
	g_assert_cmpstr(ub_ipsw_get_version(ipsw), ==, "17.0");
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "21A329");
	g_assert_cmpuint(ub_ipsw_get_build_identities(ipsw)->len, ==, 2);
}

static void
test_ipsw_check_device_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, NULL, 0);
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_autoptr(GError) error = NULL;

	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone14,2", "d63ap", &error));
	g_assert_no_error(error);
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone14,2", "D63AP", &error));
	g_assert_no_error(error);
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone14,2", NULL, &error));
	g_assert_no_error(error);

	/* another model altogether */
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone13,2", "d53gap", &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, "for iPhone14,2"));
	g_assert_nonnull(strstr(error->message, "not for this iPhone13,2"));
	g_clear_error(&error);
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone13,2", NULL, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* the right product type, but no identity for the board */
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone14,2", "d64ap", &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, "d64ap"));
	g_assert_nonnull(strstr(error->message, "d63ap"));
}

static void
assert_open_fails(const gchar *path, gint code, const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbIpsw) ipsw = ub_ipsw_open(path, &error);

	g_assert_null(ipsw);
	g_assert_error(error, UB_ERROR, code);
	g_test_message("%s", error->message);
	if (message_part != NULL)
		g_assert_nonnull(strstr(error->message, message_part));
}

static void
test_ipsw_missing_file_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = g_build_filename(dir, "nothing-here.ipsw", NULL);

	assert_open_fails(path, UB_ERROR_NOT_FOUND, NULL);
}

static void
test_ipsw_not_a_zip_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = g_build_filename(dir, "notes.ipsw", NULL);
	g_autofree gchar *empty = g_build_filename(dir, "empty.ipsw", NULL);

	g_assert_true(g_file_set_contents(path, "these are my notes, not firmware\n", -1, NULL));
	assert_open_fails(path, UB_ERROR_INVALID_DATA, "not an IPSW");
	g_assert_true(g_file_set_contents(empty, "", 0, NULL));
	assert_open_fails(empty, UB_ERROR_INVALID_DATA, "not an IPSW");
}

static void
test_ipsw_truncated_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, NULL, 0);
	g_autofree gchar *half = g_build_filename(dir, "half.ipsw", NULL);
	g_autofree gchar *contents = NULL;
	gsize length = 0;

	/* what an interrupted download leaves: the central directory is gone */
	g_assert_true(g_file_get_contents(path, &contents, &length, NULL));
	g_assert_true(g_file_set_contents(half, contents, (gssize)(length / 2), NULL));
	assert_open_fails(half, UB_ERROR_INVALID_DATA, "incomplete");
}

static void
test_ipsw_no_manifest_func(void)
{
	const TestMember members[] = {
	    {"Restore.plist", builtin_manifest, sizeof(builtin_manifest) - 1, 0, FALSE},
	    {"readme.txt", "hello", 5, 0, FALSE},
	};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = g_build_filename(dir, "photos.zip", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbIpsw) ipsw = NULL;

	write_zip(path, members, G_N_ELEMENTS(members));
	ipsw = ub_ipsw_open(path, &error);
	g_assert_null(ipsw);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_cmpstr(
	    error->message, ==, "This file is not an IPSW: it has no BuildManifest.plist");
}

static void
test_ipsw_manifest_garbage_func(void)
{
	static const gchar garbage[] = "<?xml version=\"1.0\"?><plist><dict><key>oops";
	static const gchar junk[] = "\x00\x01\x02\x03 random bytes";
	static const gchar fake_binary[] = "bplist00 but not really";
	static const gchar array[] = "<?xml version=\"1.0\"?><plist version=\"1.0\"><array>"
				     "<string>iPhone14,2</string></array></plist>";
	static const gchar no_version[] =
	    "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
	    "<key>SupportedProductTypes</key><array><string>iPhone14,2</string></array>"
	    "</dict></plist>";
	static const gchar no_identities[] =
	    "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
	    "<key>ProductVersion</key><string>17.0</string>"
	    "<key>ProductBuildVersion</key><string>21A329</string>"
	    "<key>SupportedProductTypes</key><array><string>iPhone14,2</string></array>"
	    "<key>BuildIdentities</key><array><string>nope</string></array>"
	    "</dict></plist>";
	const struct {
		const gchar *data;
		gsize size;
		const gchar *message_part;
	} cases[] = {
	    {garbage, sizeof(garbage) - 1, "not a property list"},
	    {junk, sizeof(junk) - 1, "not a property list"},
	    {fake_binary, sizeof(fake_binary) - 1, "not a property list"},
	    {array, sizeof(array) - 1, "dictionary"},
	    {no_version, sizeof(no_version) - 1, "version"},
	    {no_identities, sizeof(no_identities) - 1, "identities"},
	};
	g_autofree gchar *dir = dup_work_dir();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path = g_strdup_printf("%s/garbage-%u.ipsw", dir, i);
		TestMember member = {"BuildManifest.plist", cases[i].data, cases[i].size, 0, FALSE};

		write_zip(path, &member, 1);
		assert_open_fails(path, UB_ERROR_INVALID_DATA, cases[i].message_part);
	}
}

static void
test_ipsw_manifest_too_large_func(void)
{
	const gsize size = 16 * 1024 * 1024 + 1;
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = g_build_filename(dir, "huge.ipsw", NULL);
	g_autofree gchar *data = g_malloc0(size);
	TestMember member = {"BuildManifest.plist", data, size, 0, FALSE};

	/* zeros deflate to almost nothing: the classic bomb shape */
	write_zip(path, &member, 1);
	assert_open_fails(path, UB_ERROR_INVALID_DATA, "too large");
}

/* a few hundred bytes that libplist 2.2 alone would expand to 2^31 nodes,
 * and a manifest nested 10,000 deep that its recursion would overflow on:
 * each refused in plain words, in good time */
static void
test_ipsw_manifest_hostile_func(void)
{
	g_autoptr(GBytes) laughs = ub_test_bplist_billion_laughs(30);
	g_autoptr(GBytes) nested = ub_test_bplist_nested(10000);
	g_autoptr(GBytes) restore_laughs = ub_test_bplist_billion_laughs(30);
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *laughs_path = g_build_filename(dir, "laughs.ipsw", NULL);
	g_autofree gchar *nested_path = g_build_filename(dir, "nested.ipsw", NULL);
	TestMember laughs_member = {"BuildManifest.plist",
				    g_bytes_get_data(laughs, NULL),
				    g_bytes_get_size(laughs),
				    0,
				    FALSE};
	TestMember nested_member = {"BuildManifest.plist",
				    g_bytes_get_data(nested, NULL),
				    g_bytes_get_size(nested),
				    0,
				    FALSE};
	TestMember restore_member = {"Restore.plist",
				     g_bytes_get_data(restore_laughs, NULL),
				     g_bytes_get_size(restore_laughs),
				     0,
				     FALSE};
	gint64 start = g_get_monotonic_time();
	g_autofree gchar *restore_ipsw = NULL;
	g_autoptr(UbIpsw) ipsw = NULL;

	write_zip(laughs_path, &laughs_member, 1);
	assert_open_fails(laughs_path, UB_ERROR_INVALID_DATA, "read safely");
	write_zip(nested_path, &nested_member, 1);
	assert_open_fails(nested_path, UB_ERROR_INVALID_DATA, "levels deep");
	/* Restore.plist goes through the same door; a bad one is ignored */
	restore_ipsw = write_ipsw(dir, &restore_member, 1);
	ipsw = open_ok(restore_ipsw);
	g_assert_false(ub_ipsw_has_restore_plist(ipsw));
	g_assert_false(g_strv_contains(ub_ipsw_get_checks(ipsw), "restore plist guard"));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_ipsw_restore_plist_optional_func(void)
{
	const TestMember garbage = {"Restore.plist", "no plist here", 13, 0, FALSE};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, &garbage, 1);
	g_autoptr(UbIpsw) ipsw = NULL;

	/* a bad optional file is no reason to refuse the IPSW */
	ipsw = open_ok(path);
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "21A329");
}

static UbIpsw *
open_real(const gchar *dir, const gchar *manifest_name, const gchar *restore_name)
{
	g_autofree gchar *manifest_path = ub_test_data_path("buildmanifest", manifest_name, NULL);
	g_autofree gchar *restore_path = NULL;
	g_autofree gchar *manifest = NULL;
	g_autofree gchar *restore = NULL;
	g_autofree gchar *path = g_build_filename(dir, "real.ipsw", NULL);
	TestMember members[2] = {{"BuildManifest.plist", NULL, 0, 0, FALSE},
				 {"Restore.plist", NULL, 0, 0, FALSE}};
	gsize manifest_size = 0;
	gsize restore_size = 0;

	g_assert_true(g_file_get_contents(manifest_path, &manifest, &manifest_size, NULL));
	members[0].data = manifest;
	members[0].size = manifest_size;
	if (restore_name != NULL) {
		restore_path = ub_test_data_path("buildmanifest", restore_name, NULL);
		g_assert_true(g_file_get_contents(restore_path, &restore, &restore_size, NULL));
		members[1].data = restore;
		members[1].size = restore_size;
	}
	write_zip(path, members, restore_name != NULL ? 2 : 1);
	return open_ok(path);
}

static void
test_ipsw_real_iphone10_func(void)
{
	const gchar *product_types[] = {"iPhone10,6", "iPhone10,3", NULL};
	g_autofree gchar *dir = dup_work_dir();
	g_autoptr(UbIpsw) ipsw = open_real(dir,
					   "iPhone10,3_iPhone10,6_11.2_15C114_BuildManifest.plist",
					   "iPhone10,3_iPhone10,6_11.2_15C114_Restore.plist");
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(ub_ipsw_get_version(ipsw), ==, "11.2");
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "15C114");
	assert_strv(ub_ipsw_get_product_types(ipsw), product_types);
	g_assert_cmpuint(ub_ipsw_get_build_identities(ipsw)->len, ==, 4);
	assert_identity(ipsw, 0, 0x8015, 0x0e, "d221ap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(
	    ipsw, 1, 0x8015, 0x0e, "d221ap", "Update", "Customer Upgrade Install (IPSW)");
	assert_identity(ipsw, 2, 0x8015, 0x06, "d22ap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(
	    ipsw, 3, 0x8015, 0x06, "d22ap", "Update", "Customer Upgrade Install (IPSW)");
	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, "d22ap", "Erase"));
	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, "d221ap", "Update"));
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone10,3", "d22ap", &error));
	g_assert_no_error(error);
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone10,6", "D221AP", &error));
	g_assert_no_error(error);
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone10,1", "d20ap", &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
}

static void
test_ipsw_real_iphone13_func(void)
{
	const gchar *product_types[] = {"iPhone13,2", "iPhone13,3", NULL};
	g_autofree gchar *dir = dup_work_dir();
	g_autoptr(UbIpsw) ipsw =
	    open_real(dir, "iPhone13,2_iPhone13,3_26.2.1_23C71_BuildManifest.plist", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(ub_ipsw_get_version(ipsw), ==, "26.2.1");
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "23C71");
	assert_strv(ub_ipsw_get_product_types(ipsw), product_types);
	g_assert_cmpuint(ub_ipsw_get_build_identities(ipsw)->len, ==, 6);
	assert_identity(ipsw, 0, 0x8101, 0x0c, "d53gap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(ipsw, 1, 0x8101, 0x0e, "d53pap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(
	    ipsw, 3, 0x8101, 0x0e, "d53pap", "Update", "Customer Upgrade Install (IPSW)");
	/* the research identities have no RestoreBehavior at all */
	assert_identity(
	    ipsw, 4, 0x8101, 0x0c, "d53gap", NULL, "Research Customer Erase Install (IPSW)");
	g_assert_true(ub_ipsw_has_restore_behavior(ipsw, "d53pap", "Update"));
	g_assert_false(ub_ipsw_has_restore_behavior(ipsw, "d63ap", "Erase"));
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone13,2", "d53gap", &error));
	g_assert_no_error(error);

	/* an iPhone 13 Pro offered the iPhone 12 firmware */
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone14,2", "d63ap", &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_test_message("%s", error->message);
	g_assert_cmpstr(error->message,
			==,
			"This IPSW is for iPhone13,2, iPhone13,3 (iOS 26.2.1, 23C71), not for this "
			"iPhone14,2");
}

static void
test_ipsw_real_iphone7_func(void)
{
	const gchar *product_types[] = {"iPhone7,2", NULL};
	g_autofree gchar *dir = dup_work_dir();
	g_autoptr(UbIpsw) ipsw = open_real(dir,
					   "iPhone7,2_8.4.1_12H321_BuildManifest.plist",
					   "iPhone7,2_8.4.1_12H321_Restore.plist");
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(ub_ipsw_get_version(ipsw), ==, "8.4.1");
	g_assert_cmpstr(ub_ipsw_get_build(ipsw), ==, "12H321");
	assert_strv(ub_ipsw_get_product_types(ipsw), product_types);
	g_assert_cmpuint(ub_ipsw_get_build_identities(ipsw)->len, ==, 2);
	assert_identity(ipsw, 0, 0x7000, 0x06, "n61ap", "Erase", "Customer Erase Install (IPSW)");
	assert_identity(
	    ipsw, 1, 0x7000, 0x06, "n61ap", "Update", "Customer Upgrade Install (IPSW)");
	g_assert_true(ub_ipsw_check_device(ipsw, "iPhone7,2", "n61ap", &error));
	g_assert_no_error(error);
	g_assert_false(ub_ipsw_check_device(ipsw, "iPhone7,2", "n56ap", &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
}

static void
test_ipsw_real_extract_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autofree gchar *extracted = g_build_filename(dest, "BuildManifest.plist", NULL);
	g_autofree gchar *fixture = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *actual = NULL;
	g_auto(ExtractRun) run = {0};
	g_autoptr(UbIpsw) ipsw = NULL;
	gsize expected_size = 0;
	gsize actual_size = 0;

	ipsw = open_real(dir, "iPhone13,2_iPhone13,3_26.2.1_23C71_BuildManifest.plist", NULL);
	run_extract(ipsw, dest, NULL, &run);
	g_assert_no_error(run.error);
	fixture = ub_test_data_path(
	    "buildmanifest", "iPhone13,2_iPhone13,3_26.2.1_23C71_BuildManifest.plist", NULL);
	g_assert_true(g_file_get_contents(fixture, &expected, &expected_size, NULL));
	g_assert_true(g_file_get_contents(extracted, &actual, &actual_size, NULL));
	g_assert_cmpmem(actual, actual_size, expected, expected_size);
}

static void
test_ipsw_extract_progress_func(void)
{
	const gsize big_size = 3 * 1024 * 1024 + 17;
	g_autofree guint8 *big = g_malloc(big_size);
	g_autofree gchar *dir = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *dest = NULL;
	g_autofree gchar *kernel = NULL;
	g_autofree gchar *iboot = NULL;
	g_autofree gchar *empty = NULL;
	g_autofree gchar *contents = NULL;
	g_auto(ExtractRun) run = {0};
	g_autoptr(UbIpsw) ipsw = NULL;
	gsize length = 0;
	GStatBuf st;
	gdouble last = 0.0;

	for (gsize i = 0; i < big_size; i++)
		big[i] = (guint8)(i * 7 + i / 4096);
	{
		const TestMember members[] = {
		    {"Firmware/", NULL, 0, 0, FALSE},
		    {"Firmware/all_flash/iBoot.d63.RELEASE.im4p", "iboot-bytes", 11, 0, FALSE},
		    {"kernelcache.release.iphone14", big, big_size, 0, TRUE},
		    {"empty.txt", "", 0, 0, FALSE},
		};
		dir = dup_work_dir();
		path = write_ipsw(dir, members, G_N_ELEMENTS(members));
	}
	dest = g_build_filename(dir, "out", "restore", NULL);
	ipsw = open_ok(path);
	run_extract(ipsw, dest, NULL, &run);
	g_assert_no_error(run.error);

	/* monotonic, ends at exactly 1.0 */
	g_assert_cmpuint(run.fractions->len, >=, 1);
	for (guint i = 0; i < run.fractions->len; i++) {
		gdouble fraction = g_array_index(run.fractions, gdouble, i);
		g_assert_cmpfloat(fraction, >=, last);
		g_assert_cmpfloat(fraction, <=, 1.0);
		last = fraction;
	}
	g_assert_cmpfloat(last, ==, 1.0);

	kernel = g_build_filename(dest, "kernelcache.release.iphone14", NULL);
	g_assert_true(g_file_get_contents(kernel, &contents, &length, NULL));
	g_assert_cmpmem(contents, length, big, big_size);
	iboot = g_build_filename(dest, "Firmware", "all_flash", "iBoot.d63.RELEASE.im4p", NULL);
	g_assert_true(g_file_test(iboot, G_FILE_TEST_IS_REGULAR));
	empty = g_build_filename(dest, "empty.txt", NULL);
	g_assert_cmpint(g_stat(empty, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 0);
	{
		g_autofree gchar *firmware = g_build_filename(dest, "Firmware", NULL);
		g_assert_cmpint(g_stat(firmware, &st), ==, 0);
		g_assert_true(S_ISDIR(st.st_mode));
	}
}

/* each archive has the built-in manifest and one member that must stop the
 * whole extraction before anything is written */
static void
test_ipsw_unsafe_names_func(void)
{
	g_autofree gchar *absolute =
	    g_strdup_printf("/tmp/unbrick-ipsw-absolute-%08x", g_random_int());
	const gchar *names[] = {
	    "../evil.txt",
	    "Firmware/../../evil.txt",
	    "Firmware/..",
	    "/etc/x",
	    absolute,
	    "Firmware\\..\\..\\evil.txt",
	    "Firmware/./evil.txt",
	    "Firmware//evil.txt",
	    "evil\n.txt",
	};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *outside = g_build_filename(dir, "out", NULL);
	g_autofree gchar *dest = g_build_filename(outside, "dest", NULL);
	g_autofree gchar *evil = g_build_filename(outside, "evil.txt", NULL);
	g_autofree gchar *evil_above = g_build_filename(dir, "evil.txt", NULL);

	g_assert_false(g_file_test(absolute, G_FILE_TEST_EXISTS));
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		const TestMember member = {names[i], "gotcha", 6, 0, FALSE};
		g_autofree gchar *path = write_ipsw(dir, &member, 1);
		g_autoptr(UbIpsw) ipsw = open_ok(path);
		g_auto(ExtractRun) run = {0};

		g_assert_cmpint(g_mkdir_with_parents(dest, 0755), ==, 0);
		run_extract(ipsw, dest, NULL, &run);
		g_assert_error(run.error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_test_message("%s", run.error->message);
		g_assert_nonnull(strstr(run.error->message, "unsafe"));
		g_assert_cmpuint(count_dir_entries(dest), ==, 0);
		g_assert_cmpuint(count_dir_entries(outside), ==, 1);
		g_assert_false(g_file_test(evil, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(evil_above, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(absolute, G_FILE_TEST_EXISTS));
	}
}

static void
test_ipsw_symlink_member_func(void)
{
	const TestMember members[] = {
	    {"Firmware/passwd", "/etc/passwd", 11, S_IFLNK | 0777, FALSE},
	};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, members, G_N_ELEMENTS(members));
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_auto(ExtractRun) run = {0};

	run_extract(ipsw, dest, NULL, &run);
	g_assert_error(run.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(run.error->message, "symbolic link"));
	g_assert_cmpuint(count_dir_entries(dest), ==, 0);
}

/* a folder in the destination that is really a link must not carry the
 * extraction elsewhere */
static void
test_ipsw_symlinked_dest_folder_func(void)
{
	const TestMember members[] = {
	    {"Firmware/iBoot.im4p", "iboot", 5, 0, FALSE},
	};
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, members, G_N_ELEMENTS(members));
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autofree gchar *elsewhere = g_build_filename(dir, "elsewhere", NULL);
	g_autofree gchar *link = g_build_filename(dest, "Firmware", NULL);
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_auto(ExtractRun) run = {0};

	g_assert_cmpint(g_mkdir_with_parents(dest, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(elsewhere, 0755), ==, 0);
	g_assert_cmpint(symlink(elsewhere, link), ==, 0);
	run_extract(ipsw, dest, NULL, &run);
	g_assert_nonnull(run.error);
	g_test_message("%s", run.error->message);
	g_assert_cmpuint(count_dir_entries(elsewhere), ==, 0);
}

static void
test_ipsw_existing_file_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, NULL, 0);
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autofree gchar *manifest = g_build_filename(dest, "BuildManifest.plist", NULL);
	g_autofree gchar *contents = NULL;
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_auto(ExtractRun) run = {0};

	g_assert_cmpint(g_mkdir_with_parents(dest, 0755), ==, 0);
	g_assert_true(g_file_set_contents(manifest, "mine", -1, NULL));
	run_extract(ipsw, dest, NULL, &run);
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_EXISTS);
	g_assert_true(g_file_get_contents(manifest, &contents, NULL, NULL));
	g_assert_cmpstr(contents, ==, "mine");
}

static gsize
find_header(const guint8 *data,
	    gsize length,
	    guint32 signature,
	    gsize name_length_at,
	    gsize name_at,
	    const gchar *name)
{
	gsize name_length = strlen(name);

	for (gsize i = 0; i + name_at + name_length <= length; i++) {
		guint32 found;
		guint16 found_length;

		memcpy(&found, data + i, 4);
		if (GUINT32_FROM_LE(found) != signature)
			continue;
		memcpy(&found_length, data + i + name_length_at, 2);
		if (GUINT16_FROM_LE(found_length) == name_length &&
		    memcmp(data + i + name_at, name, name_length) == 0)
			return i;
	}
	g_assert_not_reached();
	return 0;
}

static void
patch_uint32(guint8 *at, guint32 expected, guint32 value)
{
	guint32 old;

	memcpy(&old, at, 4);
	g_assert_cmpuint(GUINT32_FROM_LE(old), ==, expected);
	value = GUINT32_TO_LE(value);
	memcpy(at, &value, 4);
}

/* makes a deflated member claim @declared bytes while @actual inflate
 * from the archive. A zip names each member twice: its local header
 * (signature PK\3\4; uncompressed size at offset 22, name length at 26,
 * name at 30), right before the data, and its central directory entry
 * (PK\1\2; uncompressed size at 24, name length at 28, name at 46). libzip
 * writes the real sizes into both when the output can seek, so no data
 * descriptor is involved. Both uncompressed sizes are rewritten, because
 * ZIP_CHECKCONS compares the two headers; the compressed size is left
 * honest, so libzip inflates all @actual bytes and hands them out (1.7 and
 * 1.11 alike). The member is deflated, not stored: for a stored member
 * libzip 1.11 (Debian 13) already refuses the archive at zip_open(), as
 * compressed and uncompressed sizes must match, and the extraction's own
 * check would never be reached */
static void
patch_declared_size(const gchar *path, const gchar *name, guint32 actual, guint32 declared)
{
	g_autofree gchar *contents = NULL;
	gsize length = 0;
	gsize local;
	gsize central;

	g_assert_true(g_file_get_contents(path, &contents, &length, NULL));
	local = find_header((guint8 *)contents, length, 0x04034b50, 26, 30, name);
	central = find_header((guint8 *)contents, length, 0x02014b50, 28, 46, name);
	patch_uint32((guint8 *)contents + local + 22, actual, declared);
	patch_uint32((guint8 *)contents + central + 24, actual, declared);
	g_assert_true(g_file_set_contents(path, contents, (gssize)length, NULL));
}

static void
test_ipsw_member_larger_than_declared_func(void)
{
	const gsize size = 600 * 1024;
	g_autofree guint8 *data = g_malloc(size);
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = NULL;
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autofree gchar *big = g_build_filename(dest, "Firmware", "big.bin", NULL);
	g_autofree gchar *firmware = g_build_filename(dest, "Firmware", NULL);
	g_autoptr(UbIpsw) ipsw = NULL;
	g_auto(ExtractRun) run = {0};

	memset(data, 0xa5, size);
	{
		const TestMember member = {"Firmware/big.bin", data, size, 0, FALSE};
		path = write_ipsw(dir, &member, 1);
	}
	patch_declared_size(path, "Firmware/big.bin", (guint32)size, 100);
	ipsw = open_ok(path);
	run_extract(ipsw, dest, NULL, &run);
	g_assert_error(run.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_test_message("%s", run.error->message);
	g_assert_nonnull(strstr(run.error->message, "larger than the archive says"));
	/* neither the file nor the folder made for it stays */
	g_assert_false(g_file_test(big, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(firmware, G_FILE_TEST_EXISTS));
}

static void
test_ipsw_member_shorter_than_declared_func(void)
{
	const gsize size = 1000;
	g_autofree guint8 *data = g_malloc0(size);
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = NULL;
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autofree gchar *small = g_build_filename(dest, "small.bin", NULL);
	g_autoptr(UbIpsw) ipsw = NULL;
	g_auto(ExtractRun) run = {0};

	{
		const TestMember member = {"small.bin", data, size, 0, FALSE};
		path = write_ipsw(dir, &member, 1);
	}
	patch_declared_size(path, "small.bin", (guint32)size, 5000);
	ipsw = open_ok(path);
	run_extract(ipsw, dest, NULL, &run);
	g_assert_error(run.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_test_message("%s", run.error->message);
	g_assert_false(g_file_test(small, G_FILE_TEST_EXISTS));
}

/* cancelled before the first chunk is checked: the first member's file has
 * been created and must go again */
static void
test_ipsw_extract_cancelled_func(void)
{
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = write_ipsw(dir, NULL, 0);
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(UbIpsw) ipsw = open_ok(path);
	g_auto(ExtractRun) run = {0};

	g_cancellable_cancel(cancellable);
	run_extract(ipsw, dest, cancellable, &run);
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpuint(count_dir_entries(dest), ==, 0);
}

static void
test_ipsw_extract_cancel_midway_func(void)
{
	const gsize member_size = 8 * 1024 * 1024;
	g_autofree guint8 *data = g_malloc(member_size);
	g_autofree gchar *dir = dup_work_dir();
	g_autofree gchar *path = NULL;
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(UbIpsw) ipsw = NULL;
	g_auto(ExtractRun) run = {0};
	TestMember members[8];
	gchar names[8][32];
	guint complete = 0;
	guint absent = 0;

	memset(data, 0x5a, member_size);
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		g_snprintf(names[i], sizeof(names[i]), "Firmware/part%u.bin", i);
		members[i] = (TestMember){names[i], data, member_size, 0, TRUE};
	}
	path = write_ipsw(dir, members, G_N_ELEMENTS(members));
	ipsw = open_ok(path);

	/* cancelled from the first progress report, while 64 MiB remain */
	run.cancel_on_progress = g_object_ref(cancellable);
	run_extract(ipsw, dest, cancellable, &run);
	g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

	/* every file there is whole; the one being written is gone */
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		g_autofree gchar *file = g_build_filename(dest, names[i], NULL);
		GStatBuf st;

		if (g_stat(file, &st) != 0) {
			absent++;
			continue;
		}
		g_assert_cmpint(st.st_size, ==, member_size);
		complete++;
	}
	g_test_message("%u complete, %u absent", complete, absent);
	g_assert_cmpuint(absent, >, 0);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/ipsw/open-builtin", test_ipsw_open_builtin_func);
	g_test_add_func("/unbrick/ipsw/open-binary-manifest", test_ipsw_open_binary_manifest_func);
	g_test_add_func("/unbrick/ipsw/check-device", test_ipsw_check_device_func);
	g_test_add_func("/unbrick/ipsw/missing-file", test_ipsw_missing_file_func);
	g_test_add_func("/unbrick/ipsw/not-a-zip", test_ipsw_not_a_zip_func);
	g_test_add_func("/unbrick/ipsw/truncated", test_ipsw_truncated_func);
	g_test_add_func("/unbrick/ipsw/no-manifest", test_ipsw_no_manifest_func);
	g_test_add_func("/unbrick/ipsw/manifest-garbage", test_ipsw_manifest_garbage_func);
	g_test_add_func("/unbrick/ipsw/manifest-too-large", test_ipsw_manifest_too_large_func);
	g_test_add_func("/unbrick/ipsw/manifest-hostile", test_ipsw_manifest_hostile_func);
	g_test_add_func("/unbrick/ipsw/restore-plist-optional",
			test_ipsw_restore_plist_optional_func);
	g_test_add_func("/unbrick/ipsw/real-iphone10", test_ipsw_real_iphone10_func);
	g_test_add_func("/unbrick/ipsw/real-iphone13", test_ipsw_real_iphone13_func);
	g_test_add_func("/unbrick/ipsw/real-iphone7", test_ipsw_real_iphone7_func);
	g_test_add_func("/unbrick/ipsw/real-extract", test_ipsw_real_extract_func);
	g_test_add_func("/unbrick/ipsw/extract-progress", test_ipsw_extract_progress_func);
	g_test_add_func("/unbrick/ipsw/unsafe-names", test_ipsw_unsafe_names_func);
	g_test_add_func("/unbrick/ipsw/symlink-member", test_ipsw_symlink_member_func);
	g_test_add_func("/unbrick/ipsw/symlinked-dest-folder",
			test_ipsw_symlinked_dest_folder_func);
	g_test_add_func("/unbrick/ipsw/existing-file", test_ipsw_existing_file_func);
	g_test_add_func("/unbrick/ipsw/member-larger-than-declared",
			test_ipsw_member_larger_than_declared_func);
	g_test_add_func("/unbrick/ipsw/member-shorter-than-declared",
			test_ipsw_member_shorter_than_declared_func);
	g_test_add_func("/unbrick/ipsw/extract-cancelled", test_ipsw_extract_cancelled_func);
	g_test_add_func("/unbrick/ipsw/extract-cancel-midway",
			test_ipsw_extract_cancel_midway_func);

	return g_test_run();
}
