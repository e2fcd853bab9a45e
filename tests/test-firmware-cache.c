/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub-error.h"
#include "ub-firmware-cache-private.h"
#include "ub-test.h"

#define BUILD "23C71"
#define VERSION "26.2.1"
#define SHA256 "5D41402ABC4B2A76B9719D911017C592E3B0C44298FC1C149AFBF4C8996FB924"

static const gchar *const product_types[] = {"iPhone13,2", "iPhone13,3", NULL};

/* G_TEST_OPTION_ISOLATE_DIRS gives each test its own, removed afterwards */
static gchar *
dup_test_path(const gchar *name)
{
	return g_build_filename(g_get_user_cache_dir(), name, NULL);
}

static void
write_file(const gchar *path, gsize size)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *data = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		data[i] = (gchar)('a' + i % 26);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, data, (gssize)size, NULL));
}

static UbFirmwareCache *
new_cache(const gchar *root)
{
	g_autoptr(GError) error = NULL;
	UbFirmwareCache *cache = ub_firmware_cache_new(root, &error);

	g_assert_no_error(error);
	g_assert_nonnull(cache);
	return cache;
}

static void
changed_cb(UbFirmwareCache *cache, guint *count)
{
	(*count)++;
}

static void
add_ok(UbFirmwareCache *cache, const gchar *path, const gchar *build)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(ub_firmware_cache_add_verified(
	    cache, path, build, VERSION, product_types, SHA256, NULL, &error));
	g_assert_no_error(error);
}

static void
test_firmware_cache_root_func(void)
{
	g_autofree gchar *root = dup_test_path("store/nested/firmware");
	g_autofree gchar *file = g_build_filename(g_get_user_cache_dir(), "a-file", NULL);
	g_autoptr(UbFirmwareCache) cache = NULL;
	g_autoptr(UbFirmwareCache) not_a_dir = NULL;
	g_autoptr(GError) error = NULL;
	GStatBuf st;

	cache = new_cache(root);
	g_assert_cmpstr(ub_firmware_cache_get_root(cache), ==, root);
	g_assert_cmpint(g_stat(root, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 0);
	g_assert_cmpuint(ub_firmware_cache_get_free_space(cache), >, 0);

	write_file(file, 3);
	not_a_dir = ub_firmware_cache_new(file, &error);
	g_assert_null(not_a_dir);
	g_assert_nonnull(error);
}

static void
test_firmware_cache_download_path_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(UbFirmware) firmware = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *expected = NULL;

	firmware =
	    ub_firmware_new("iPhone14,2",
			    "18.6.2",
			    "22G100",
			    "https://updates.cdn-apple.com/x/iPhone14,2_18.6.2_22G100_Restore.ipsw",
			    0,
			    NULL,
			    NULL,
			    NULL,
			    TRUE);
	path = ub_firmware_cache_dup_download_path(cache, firmware);
	expected = g_build_filename(root, "iPhone14,2_18.6.2_22G100_Restore.ipsw", NULL);
	g_assert_cmpstr(path, ==, expected);
}

static void
test_firmware_cache_add_lookup_delete_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *path =
	    g_build_filename(root, "iPhone13,2_26.2.1_23C71_Restore.ipsw", NULL);
	g_autofree gchar *other =
	    g_build_filename(root, "old", "iPhone7,2_8.4.1_12H321.ipsw", NULL);
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbCachedFirmware) copy = NULL;
	const UbCachedFirmware *found;
	GPtrArray *list;

	write_file(path, 1000);
	write_file(other, 10);
	add_ok(cache, path, BUILD);
	add_ok(cache, other, "12H321");

	list = ub_firmware_cache_list(cache);
	g_assert_cmpuint(list->len, ==, 2);
	found = ub_firmware_cache_lookup(cache, BUILD, "iPhone13,3");
	g_assert_nonnull(found);
	g_assert_true(found == g_ptr_array_index(list, 0));
	g_assert_cmpstr(found->path, ==, path);
	g_assert_cmpstr(found->build, ==, BUILD);
	g_assert_cmpstr(found->version, ==, VERSION);
	g_assert_cmpuint(g_strv_length(found->product_types), ==, 2);
	g_assert_cmpuint(found->size, ==, 1000);
	/* hashes are kept in one case */
	g_assert_cmpstr(
	    found->sha256, ==, "5d41402abc4b2a76b9719d911017c592e3b0c44298fc1c149afbf4c8996fb924");
	g_assert_null(found->sha1);
	g_assert_nonnull(found->added);
	g_assert_true(ub_firmware_cache_lookup(cache, BUILD, NULL) == found);
	g_assert_null(ub_firmware_cache_lookup(cache, BUILD, "iPhone14,2"));
	g_assert_null(ub_firmware_cache_lookup(cache, "22G100", "iPhone13,2"));
	g_assert_nonnull(ub_firmware_cache_lookup(cache, "12H321", "iPhone13,2"));

	copy = ub_cached_firmware_copy(found);
	g_assert_cmpstr(copy->path, ==, path);

	/* the same file verified again replaces its entry */
	add_ok(cache, path, BUILD);
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 2);

	g_assert_true(ub_firmware_cache_delete(cache, path, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
	g_assert_null(ub_firmware_cache_lookup(cache, BUILD, "iPhone13,2"));

	g_assert_false(ub_firmware_cache_delete(cache, path, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
}

static void
assert_add_fails(UbFirmwareCache *cache, const gchar *path, gint code)
{
	g_autoptr(GError) error = NULL;

	g_assert_false(ub_firmware_cache_add_verified(
	    cache, path, BUILD, VERSION, product_types, NULL, NULL, &error));
	g_assert_error(error, UB_ERROR, code);
	g_test_message("%s", error->message);
}

static void
test_firmware_cache_outside_root_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *outside = dup_test_path("Downloads/iPhone.ipsw");
	g_autofree gchar *sneaky = g_build_filename(root, "..", "Downloads", "iPhone.ipsw", NULL);
	g_autofree gchar *sibling = dup_test_path("store-other/iPhone.ipsw");
	g_autofree gchar *link = g_build_filename(root, "link.ipsw", NULL);
	g_autofree gchar *link_dir = g_build_filename(root, "linked", NULL);
	g_autofree gchar *through_dir = g_build_filename(link_dir, "iPhone.ipsw", NULL);
	g_autofree gchar *missing = g_build_filename(root, "missing.ipsw", NULL);
	g_autofree gchar *downloads = dup_test_path("Downloads");
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	guint changed = 0;

	g_signal_connect(cache, "changed", G_CALLBACK(changed_cb), &changed);
	write_file(outside, 10);
	write_file(sibling, 10);
	g_assert_cmpint(symlink(outside, link), ==, 0);
	g_assert_cmpint(symlink(downloads, link_dir), ==, 0);

	assert_add_fails(cache, outside, UB_ERROR_FAILED);
	assert_add_fails(cache, sneaky, UB_ERROR_FAILED);
	assert_add_fails(cache, sibling, UB_ERROR_FAILED);
	assert_add_fails(cache, link, UB_ERROR_FAILED);
	assert_add_fails(cache, through_dir, UB_ERROR_FAILED);
	assert_add_fails(cache, root, UB_ERROR_FAILED);
	assert_add_fails(cache, missing, UB_ERROR_NOT_FOUND);
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 0);
	g_assert_cmpuint(changed, ==, 0);
}

static void
test_firmware_cache_reload_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *moved = dup_test_path("moved-store");
	g_autofree gchar *path = g_build_filename(root, "sub", "iPhone13,2.ipsw", NULL);
	g_autofree gchar *moved_path = g_build_filename(moved, "sub", "iPhone13,2.ipsw", NULL);
	g_autofree gchar *index = g_build_filename(root, "index.json", NULL);
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(UbFirmwareCache) again = NULL;
	g_autoptr(UbFirmwareCache) after_move = NULL;
	g_autoptr(GError) error = NULL;
	const UbCachedFirmware *first;
	const UbCachedFirmware *second;
	g_autofree gchar *contents = NULL;
	GStatBuf st;

	write_file(path, 4096);
	g_assert_true(ub_firmware_cache_add_verified(cache,
						     path,
						     BUILD,
						     VERSION,
						     product_types,
						     SHA256,
						     "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
						     &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(index, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	/* the folder can move: the index never names it */
	g_assert_true(g_file_get_contents(index, &contents, NULL, NULL));
	g_assert_null(strstr(contents, root));
	g_assert_nonnull(strstr(contents, "sub/iPhone13,2.ipsw"));

	again = new_cache(root);
	g_assert_cmpuint(ub_firmware_cache_list(again)->len, ==, 1);
	first = ub_firmware_cache_lookup(cache, BUILD, "iPhone13,2");
	second = ub_firmware_cache_lookup(again, BUILD, "iPhone13,2");
	g_assert_nonnull(second);
	g_assert_cmpstr(second->path, ==, first->path);
	g_assert_cmpstr(second->build, ==, first->build);
	g_assert_cmpstr(second->version, ==, first->version);
	g_assert_cmpstrv(second->product_types, first->product_types);
	g_assert_cmpuint(second->size, ==, first->size);
	g_assert_cmpstr(second->sha256, ==, first->sha256);
	g_assert_cmpstr(second->sha1, ==, first->sha1);
	g_assert_cmpint(g_date_time_to_unix(second->added), ==, g_date_time_to_unix(first->added));

	g_assert_cmpint(g_rename(root, moved), ==, 0);
	after_move = new_cache(moved);
	g_assert_cmpuint(ub_firmware_cache_list(after_move)->len, ==, 1);
	second = ub_firmware_cache_lookup(after_move, BUILD, "iPhone13,3");
	g_assert_nonnull(second);
	g_assert_cmpstr(second->path, ==, moved_path);
}

static void
assert_index_set_aside(const gchar *contents)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *index = g_build_filename(root, "index.json", NULL);
	g_autofree gchar *broken = g_build_filename(root, "index.json.broken", NULL);
	g_autofree gchar *path = g_build_filename(root, "iPhone.ipsw", NULL);
	g_autofree gchar *kept = NULL;
	g_autoptr(UbFirmwareCache) cache = NULL;
	g_autoptr(UbFirmwareCache) again = NULL;

	g_assert_cmpint(g_mkdir_with_parents(root, 0700), ==, 0);
	(void)g_unlink(broken);
	g_assert_true(g_file_set_contents(index, contents, -1, NULL));
	write_file(path, 100);

	g_test_expect_message("ub-firmware-cache", G_LOG_LEVEL_WARNING, "*index*unreadable*");
	cache = new_cache(root);
	g_test_assert_expected_messages();
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 0);
	g_assert_true(g_file_get_contents(broken, &kept, NULL, NULL));
	g_assert_cmpstr(kept, ==, contents);
	g_assert_false(g_file_test(index, G_FILE_TEST_EXISTS));

	/* and a fresh index works from then on */
	add_ok(cache, path, BUILD);
	again = new_cache(root);
	g_assert_cmpuint(ub_firmware_cache_list(again)->len, ==, 1);
	(void)g_unlink(path);
}

static void
test_firmware_cache_corrupt_index_func(void)
{
	assert_index_set_aside("{ \"version\": 1, \"firmware\": [ { \"path\": ");
	assert_index_set_aside("\x89PNG not json at all");
	assert_index_set_aside("[1, 2, 3]");
	assert_index_set_aside("{\"version\": 1}");
}

static void
test_firmware_cache_bad_entries_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *index = g_build_filename(root, "index.json", NULL);
	g_autofree gchar *good = g_build_filename(root, "good.ipsw", NULL);
	g_autofree gchar *outside = dup_test_path("secret.ipsw");
	g_autoptr(UbFirmwareCache) cache = NULL;
	const gchar *contents =
	    "{\"version\": 1, \"firmware\": ["
	    " {\"path\": \"good.ipsw\", \"build\": \"23C71\", \"size\": 10},"
	    " {\"path\": \"../secret.ipsw\", \"build\": \"23C71\", \"size\": 10},"
	    " {\"path\": \"/etc/passwd\", \"build\": \"23C71\"},"
	    " {\"path\": \"good.ipsw\", \"build\": \"12H321\", \"size\": 10},"
	    " {\"path\": \"nobuild.ipsw\"},"
	    " 42"
	    "]}";

	g_assert_cmpint(g_mkdir_with_parents(root, 0700), ==, 0);
	write_file(good, 10);
	write_file(outside, 10);
	g_assert_true(g_file_set_contents(index, contents, -1, NULL));
	cache = new_cache(root);
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
	g_assert_nonnull(ub_firmware_cache_lookup(cache, BUILD, NULL));
	g_assert_cmpstrv(((UbCachedFirmware *)g_ptr_array_index(ub_firmware_cache_list(cache), 0))
			     ->product_types,
			 ((const gchar *[]){NULL}));
}

static void
test_firmware_cache_vanished_file_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *kept = g_build_filename(root, "kept.ipsw", NULL);
	g_autofree gchar *vanished = g_build_filename(root, "vanished.ipsw", NULL);
	g_autofree gchar *changed = g_build_filename(root, "changed.ipsw", NULL);
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(UbFirmwareCache) again = NULL;

	write_file(kept, 10);
	write_file(vanished, 10);
	write_file(changed, 10);
	add_ok(cache, kept, "A");
	add_ok(cache, vanished, "B");
	add_ok(cache, changed, "C");
	g_assert_cmpint(g_unlink(vanished), ==, 0);
	/* a file that is no longer the size verified is no longer verified */
	write_file(changed, 5);

	again = new_cache(root);
	g_assert_cmpuint(ub_firmware_cache_list(again)->len, ==, 1);
	g_assert_nonnull(ub_firmware_cache_lookup(again, "A", NULL));
	g_assert_null(ub_firmware_cache_lookup(again, "B", NULL));
	g_assert_null(ub_firmware_cache_lookup(again, "C", NULL));
}

static void
test_firmware_cache_hold_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *path = g_build_filename(root, "iPhone.ipsw", NULL);
	g_autofree gchar *unclean = g_build_filename(root, ".", "sub", "..", "iPhone.ipsw", NULL);
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(GError) error = NULL;
	guint changed = 0;

	write_file(path, 10);
	add_ok(cache, path, BUILD);
	g_signal_connect(cache, "changed", G_CALLBACK(changed_cb), &changed);

	/* held twice (two restores of the same IPSW), released once */
	ub_firmware_cache_hold(cache, path);
	ub_firmware_cache_hold(cache, unclean);
	g_assert_false(ub_firmware_cache_delete(cache, path, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "This firmware is being used by a restore right now");
	g_clear_error(&error);
	ub_firmware_cache_release(cache, path);
	g_assert_false(ub_firmware_cache_delete(cache, path, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_clear_error(&error);
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
	g_assert_cmpuint(changed, ==, 0);

	ub_firmware_cache_release(cache, unclean);
	g_assert_true(ub_firmware_cache_delete(cache, path, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(changed, ==, 1);
}

static void
test_firmware_cache_changed_signal_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *path = g_build_filename(root, "a.ipsw", NULL);
	g_autofree gchar *outside = dup_test_path("b.ipsw");
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(GError) error = NULL;
	guint changed = 0;

	g_signal_connect(cache, "changed", G_CALLBACK(changed_cb), &changed);
	write_file(path, 10);
	write_file(outside, 10);

	add_ok(cache, path, BUILD);
	g_assert_cmpuint(changed, ==, 1);
	add_ok(cache, path, BUILD);
	g_assert_cmpuint(changed, ==, 2);
	assert_add_fails(cache, outside, UB_ERROR_FAILED);
	g_assert_cmpuint(changed, ==, 2);
	ub_firmware_cache_hold(cache, path);
	ub_firmware_cache_release(cache, path);
	g_assert_null(ub_firmware_cache_lookup(cache, "nope", NULL));
	g_assert_cmpuint(changed, ==, 2);
	g_assert_true(ub_firmware_cache_delete(cache, path, &error));
	g_assert_cmpuint(changed, ==, 3);
	g_assert_false(ub_firmware_cache_delete(cache, path, &error));
	g_assert_cmpuint(changed, ==, 3);
}

typedef struct {
	gboolean done;
	gboolean ok;
	GError *error;
	guint n_progress;
	goffset last_current;
	goffset last_total;
} ImportRun;

static void
import_progress_cb(goffset current, goffset total, gpointer user_data)
{
	ImportRun *run = user_data;

	g_assert_false(run->done);
	g_assert_cmpint(current, >=, run->last_current);
	g_assert_cmpint(current, <=, total);
	run->n_progress++;
	run->last_current = current;
	run->last_total = total;
}

static void
import_ready_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ImportRun *run = user_data;

	run->ok = ub_firmware_cache_import_finish(UB_FIRMWARE_CACHE(source), result, &run->error);
	run->done = TRUE;
}

static void
import_run_clear(ImportRun *run)
{
	g_clear_error(&run->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ImportRun, import_run_clear)

static void
run_import(UbFirmwareCache *cache, const gchar *src, GCancellable *cancellable, ImportRun *run)
{
	ub_firmware_cache_import_full_async(cache,
					    src,
					    BUILD,
					    VERSION,
					    product_types,
					    SHA256,
					    NULL,
					    import_progress_cb,
					    run,
					    cancellable,
					    import_ready_cb,
					    run);
	g_assert_true(ub_test_wait_until(&run->done, 30000));
	g_assert_true(run->ok == (run->error == NULL));
}

static void
test_firmware_cache_import_copy_func(void)
{
	const gsize size = 5 * 1024 * 1024 + 3;
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *src = dup_test_path("Downloads/iPhone13,2_26.2.1_23C71_Restore.ipsw");
	g_autofree gchar *expected =
	    g_build_filename(root, "iPhone13,2_26.2.1_23C71_Restore.ipsw", NULL);
	g_autofree gchar *part = g_strconcat(expected, ".import", NULL);
	g_autofree gchar *src_contents = NULL;
	g_autofree gchar *dest_contents = NULL;
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_auto(ImportRun) run = {0};
	g_auto(ImportRun) twice = {0};
	const UbCachedFirmware *found;
	gsize src_size = 0;
	gsize dest_size = 0;
	GStatBuf src_st;
	GStatBuf dest_st;
	guint changed = 0;

	g_signal_connect(cache, "changed", G_CALLBACK(changed_cb), &changed);
	write_file(src, size);
	_ub_firmware_cache_set_hard_links(cache, FALSE);
	run_import(cache, src, NULL, &run);
	g_assert_no_error(run.error);
	g_assert_cmpuint(run.n_progress, >=, 1);
	g_assert_cmpint(run.last_current, ==, (goffset)size);
	g_assert_cmpint(run.last_total, ==, (goffset)size);
	g_assert_cmpuint(changed, ==, 1);

	/* a real copy: the original stays, the bytes match, the inode does not */
	g_assert_true(g_file_get_contents(src, &src_contents, &src_size, NULL));
	g_assert_true(g_file_get_contents(expected, &dest_contents, &dest_size, NULL));
	g_assert_cmpmem(src_contents, src_size, dest_contents, dest_size);
	g_assert_cmpint(g_stat(src, &src_st), ==, 0);
	g_assert_cmpint(g_stat(expected, &dest_st), ==, 0);
	g_assert_cmpuint(src_st.st_ino, !=, dest_st.st_ino);
	g_assert_false(g_file_test(part, G_FILE_TEST_EXISTS));

	found = ub_firmware_cache_lookup(cache, BUILD, "iPhone13,2");
	g_assert_nonnull(found);
	g_assert_cmpstr(found->path, ==, expected);
	g_assert_cmpuint(found->size, ==, size);

	/* the same file again is no error and no second entry */
	run_import(cache, src, NULL, &twice);
	g_assert_no_error(twice.error);
	g_assert_cmpuint(changed, ==, 1);
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
}

static void
test_firmware_cache_import_link_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *src = dup_test_path("Downloads/iPhone.ipsw");
	g_autofree gchar *expected = g_build_filename(root, "iPhone.ipsw", NULL);
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_auto(ImportRun) run = {0};
	const UbCachedFirmware *found;
	GStatBuf src_st;
	GStatBuf dest_st;

	/* both live below the same test folder, so on one file system; and
	 * the plain call, without progress */
	write_file(src, 4096);
	ub_firmware_cache_import_async(
	    cache, src, BUILD, VERSION, product_types, NULL, NULL, NULL, import_ready_cb, &run);
	g_assert_true(ub_test_wait_until(&run.done, 30000));
	g_assert_no_error(run.error);
	g_assert_true(run.ok);
	g_assert_cmpuint(run.n_progress, ==, 0);
	g_assert_cmpint(g_stat(src, &src_st), ==, 0);
	g_assert_cmpint(g_stat(expected, &dest_st), ==, 0);
	g_assert_cmpuint(src_st.st_ino, ==, dest_st.st_ino);
	found = ub_firmware_cache_lookup(cache, BUILD, "iPhone13,3");
	g_assert_nonnull(found);
	g_assert_cmpstr(found->path, ==, expected);
}

static void
test_firmware_cache_import_errors_func(void)
{
	g_autofree gchar *root = dup_test_path("store");
	g_autofree gchar *src = dup_test_path("Downloads/iPhone.ipsw");
	g_autofree gchar *inside = g_build_filename(root, "already-here.ipsw", NULL);
	g_autofree gchar *clash = g_build_filename(root, "iPhone.ipsw", NULL);
	g_autofree gchar *part = g_strconcat(clash, ".import", NULL);
	g_autofree gchar *missing = dup_test_path("Downloads/missing.ipsw");
	g_autoptr(UbFirmwareCache) cache = new_cache(root);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();

	write_file(src, 2048);
	_ub_firmware_cache_set_hard_links(cache, FALSE);

	/* cancelled: nothing in the store, not even the temporary file */
	{
		g_auto(ImportRun) run = {0};
		g_cancellable_cancel(cancellable);
		run_import(cache, src, cancellable, &run);
		g_assert_error(run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_assert_false(g_file_test(clash, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(part, G_FILE_TEST_EXISTS));
		g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 0);
	}
	{
		g_auto(ImportRun) run = {0};
		run_import(cache, missing, NULL, &run);
		g_assert_error(run.error, UB_ERROR, UB_ERROR_NOT_FOUND);
	}
	/* another file of the same name is never overwritten */
	{
		g_auto(ImportRun) run = {0};
		g_autofree gchar *contents = NULL;
		g_assert_true(g_file_set_contents(clash, "someone else's", -1, NULL));
		run_import(cache, src, NULL, &run);
		g_assert_error(run.error, UB_ERROR, UB_ERROR_FAILED);
		g_test_message("%s", run.error->message);
		g_assert_true(g_file_get_contents(clash, &contents, NULL, NULL));
		g_assert_cmpstr(contents, ==, "someone else's");
	}
	/* a file already in the folder is only recorded */
	{
		g_auto(ImportRun) run = {0};
		write_file(inside, 100);
		run_import(cache, inside, NULL, &run);
		g_assert_no_error(run.error);
		g_assert_cmpstr(ub_firmware_cache_lookup(cache, BUILD, NULL)->path, ==, inside);
		g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
	}
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/firmware-cache/root", test_firmware_cache_root_func);
	g_test_add_func("/unbrick/firmware-cache/download-path",
			test_firmware_cache_download_path_func);
	g_test_add_func("/unbrick/firmware-cache/add-lookup-delete",
			test_firmware_cache_add_lookup_delete_func);
	g_test_add_func("/unbrick/firmware-cache/outside-root",
			test_firmware_cache_outside_root_func);
	g_test_add_func("/unbrick/firmware-cache/reload", test_firmware_cache_reload_func);
	g_test_add_func("/unbrick/firmware-cache/corrupt-index",
			test_firmware_cache_corrupt_index_func);
	g_test_add_func("/unbrick/firmware-cache/bad-entries",
			test_firmware_cache_bad_entries_func);
	g_test_add_func("/unbrick/firmware-cache/vanished-file",
			test_firmware_cache_vanished_file_func);
	g_test_add_func("/unbrick/firmware-cache/hold", test_firmware_cache_hold_func);
	g_test_add_func("/unbrick/firmware-cache/changed-signal",
			test_firmware_cache_changed_signal_func);
	g_test_add_func("/unbrick/firmware-cache/import-copy",
			test_firmware_cache_import_copy_func);
	g_test_add_func("/unbrick/firmware-cache/import-link",
			test_firmware_cache_import_link_func);
	g_test_add_func("/unbrick/firmware-cache/import-errors",
			test_firmware_cache_import_errors_func);

	return g_test_run();
}
