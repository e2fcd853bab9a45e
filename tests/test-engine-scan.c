/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ub-engine-scan-private.h"
#include "ub-error.h"
#include "ub-test.h"

static void
ub_engine_scan_milestones_func(void)
{
	guint n_milestones = 0;
	const UbEngineMilestone *all = _ub_engine_milestone_get_all(&n_milestones);

	g_assert_cmpuint(n_milestones, >, 2);
	g_assert_true(_ub_engine_milestone_release() == &all[0]);
	g_assert_null(_ub_engine_milestone_dup_marker(&all[0]));
	g_assert_false(_ub_engine_milestone_is_current(&all[0]));
	g_assert_true(_ub_engine_milestone_is_current(&all[n_milestones - 1]));

	/* in order, each dated, only the newest without limits */
	for (guint i = 1; i < n_milestones; i++) {
		g_autofree gchar *marker = _ub_engine_milestone_dup_marker(&all[i]);

		g_assert_nonnull(marker);
		g_assert_cmpuint(strlen(marker), >=, 8);
		g_assert_cmpuint(all[i].commits, >, all[i - 1].commits);
		g_assert_cmpstr(all[i].id, >, all[i - 1].id);
		if (i + 1 < n_milestones) {
			g_assert_nonnull(all[i].models_until);
			g_assert_cmpuint(all[i].newest_ios, >=, all[i - 1].newest_ios);
		} else {
			g_assert_null(all[i].models_until);
			g_assert_cmpuint(all[i].newest_ios, ==, 0);
		}
	}

	/* by the commits `git describe` counts after 1.0.0 */
	g_assert_true(_ub_engine_milestone_from_commits(0) == &all[0]);
	for (guint i = 1; i < n_milestones; i++) {
		g_assert_true(_ub_engine_milestone_from_commits(all[i].commits) == &all[i]);
		g_assert_true(_ub_engine_milestone_from_commits(all[i].commits - 1) == &all[i - 1]);
	}
	g_assert_true(_ub_engine_milestone_from_commits(G_MAXUINT) == &all[n_milestones - 1]);
	/* the iOS 18 protocol is the 199th commit, the iPhone 16 the 216th */
	g_assert_cmpstr(_ub_engine_milestone_from_commits(203)->id, ==, "2024-06");
	g_assert_cmpuint(_ub_engine_milestone_from_commits(203)->newest_ios, ==, 18);
	g_assert_cmpstr(_ub_engine_milestone_from_commits(226)->id, ==, "2024-09");

	g_assert_true(_ub_engine_milestone_newer(NULL, NULL) == NULL);
	g_assert_true(_ub_engine_milestone_newer(&all[1], NULL) == &all[1]);
	g_assert_true(_ub_engine_milestone_newer(NULL, &all[1]) == &all[1]);
	g_assert_true(_ub_engine_milestone_newer(&all[2], &all[1]) == &all[2]);
	g_assert_true(_ub_engine_milestone_newer(&all[1], &all[2]) == &all[2]);
}

static void
ub_engine_scan_binary_func(void)
{
	guint n_milestones = 0;
	const UbEngineMilestone *all = _ub_engine_milestone_get_all(&n_milestones);
	g_autoptr(GBytes) script = NULL;
	g_autoptr(GBytes) plain = NULL;
	const gchar *unrelated[] = {"Usage: idevicerestore [OPTIONS] PATH", "Cryptex", NULL};

	/* a wrapper script tells nothing; an ELF program without markers is
	 * the release */
	script = ub_test_fake_program(FALSE, NULL);
	g_assert_null(_ub_engine_milestone_from_binary(script));
	plain = ub_test_fake_program(TRUE, unrelated);
	g_assert_true(_ub_engine_milestone_from_binary(plain) == &all[0]);

	for (guint i = 1; i < n_milestones; i++) {
		g_autofree gchar *marker = _ub_engine_milestone_dup_marker(&all[i]);
		g_autofree gchar *inside = g_strdup_printf("ERROR: %s: Unable to send", marker);
		const gchar *alone[] = {marker, NULL};
		const gchar *within[] = {"Checking", inside, NULL};
		g_autoptr(GBytes) program = ub_test_fake_program(TRUE, alone);
		g_autoptr(GBytes) embedded = ub_test_fake_program(TRUE, within);
		g_autoptr(GBytes) not_elf = ub_test_fake_program(FALSE, alone);

		g_test_message("%s: %s", all[i].id, marker);
		g_assert_true(_ub_engine_milestone_from_binary(program) == &all[i]);
		g_assert_true(_ub_engine_milestone_from_binary(embedded) == &all[i]);
		g_assert_null(_ub_engine_milestone_from_binary(not_elf));
	}

	/* the newest marker counts, whatever the order in the file */
	{
		g_autofree gchar *newest = _ub_engine_milestone_dup_marker(&all[n_milestones - 1]);
		g_autofree gchar *oldest = _ub_engine_milestone_dup_marker(&all[1]);
		const gchar *both[] = {newest, oldest, NULL};
		g_autoptr(GBytes) program = ub_test_fake_program(TRUE, both);

		g_assert_true(_ub_engine_milestone_from_binary(program) == &all[n_milestones - 1]);
	}
}

/* Unbrick's programs link this code: they must never pass for an engine */
static void
ub_engine_scan_own_programs_func(void)
{
	const gchar *paths[] = {
	    "/proc/self/exe",
	    g_getenv("UB_UNBRICK_BINARY"),
	    g_getenv("UB_FAKE_IDEVICERESTORE"),
	};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GBytes) program = NULL;
		g_autoptr(GError) error = NULL;

		if (paths[i] == NULL) {
			g_test_skip("UB_UNBRICK_BINARY or UB_FAKE_IDEVICERESTORE is not set");
			continue;
		}
		program = _ub_engine_scan_read(paths[i], 256 * 1024 * 1024, &error);
		g_assert_no_error(error);
		g_test_message(
		    "%s: %" G_GSIZE_FORMAT " bytes", paths[i], g_bytes_get_size(program));
		g_assert_true(_ub_engine_milestone_from_binary(program) ==
			      _ub_engine_milestone_release());
	}
}

static void
ub_engine_scan_product_types_func(void)
{
	const gchar *strings[] = {
	    "iPhone17,1",
	    "iPad16,10",
	    "iPod9,1",
	    "iPhone18,4",
	    "iPhone17,1",
	    "n841ap",
	    "iPhone 16 Pro",
	    "iPhone",
	    "iPhone17",
	    "iPhone17,",
	    "iPhone,1",
	    "iPhone1234,1",
	    "iPhone1,1234",
	    "xiPhone1,1",
	    "iPhone1,1x",
	    "AppleTV14,1",
	    "Watch7,1",
	    "iPhone1,1 ",
	    "iPhone10,3-iPhone10,6",
	    NULL,
	};
	g_autoptr(GBytes) library = ub_test_fake_program(TRUE, strings);
	g_autoptr(GBytes) none =
	    ub_test_fake_program(TRUE, (const gchar *[]){"libirecovery", NULL});
	g_autoptr(GHashTable) found = _ub_engine_scan_product_types(library);

	g_assert_nonnull(found);
	g_assert_cmpuint(g_hash_table_size(found), ==, 4);
	g_assert_true(g_hash_table_contains(found, "iPhone17,1"));
	g_assert_true(g_hash_table_contains(found, "iPad16,10"));
	g_assert_true(g_hash_table_contains(found, "iPod9,1"));
	g_assert_true(g_hash_table_contains(found, "iPhone18,4"));
	g_assert_null(_ub_engine_scan_product_types(none));

	/* the version string libirecovery carries, whole strings only */
	{
		const gchar *versions[] = {"1.3.1", "x1.2.1", NULL};
		g_autoptr(GBytes) with_version = ub_test_fake_program(TRUE, versions);

		g_assert_true(_ub_engine_scan_has_string(with_version, "1.3.1"));
		g_assert_false(_ub_engine_scan_has_string(with_version, "1.3"));
		g_assert_false(_ub_engine_scan_has_string(with_version, "1.2.1"));
		g_assert_false(_ub_engine_scan_has_string(with_version, ""));
	}
}

static void
ub_engine_scan_library_path_func(void)
{
	/* what glibc's loader printed for Debian 13's idevicerestore */
	const gchar *trace =
	    "\tlinux-vdso.so.1 (0x00007ffd4b7f2000)\n"
	    "\tlibirecovery-1.0.so.5 => /lib/x86_64-linux-gnu/libirecovery-1.0.so.5 "
	    "(0x00007f1c2a5d0000)\n"
	    "\tlibimobiledevice-1.0.so.6 => /lib/x86_64-linux-gnu/libimobiledevice-1.0.so.6 "
	    "(0x00007f1c2a590000)\n"
	    "\t/lib64/ld-linux-x86-64.so.2 (0x00007f1c2a7f0000)\n";
	const gchar *cases[][2] = {
	    {trace, "/lib/x86_64-linux-gnu/libirecovery-1.0.so.5"},
	    /* the Flatpak's */
	    {"\tlibirecovery-1.0.so.5 => /app/lib/libirecovery-1.0.so.5 (0x00007f00)\n",
	     "/app/lib/libirecovery-1.0.so.5"},
	    /* no address (musl prints none) */
	    {"libirecovery-1.0.so.3 => /usr/lib/libirecovery-1.0.so.3\n",
	     "/usr/lib/libirecovery-1.0.so.3"},
	    {"\tlibirecovery-1.0.so.5 => not found\n", NULL},
	    {"\tlibirecovery-1.0.so.5 =>  (0x00007f00)\n", NULL},
	    {"\tlibirecovery-1.0.so.5 => (0x00007f00)\n", NULL},
	    {"Usage: idevicerestore [OPTIONS] PATH\n", NULL},
	    {"", NULL},
	    {"\tlibfoo.so => /lib/libirecovery-1.0.so.5 (0x1)\n", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path =
		    _ub_engine_scan_library_path(cases[i][0], "libirecovery-1.0.so");
		g_assert_cmpstr(path, ==, cases[i][1]);
	}
}

static void
ub_engine_scan_read_func(void)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *small = NULL;
	g_autofree gchar *missing = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	dir = g_dir_make_tmp("ub-test-engine-scan-XXXXXX", &error);
	g_assert_no_error(error);
	small = g_build_filename(dir, "program", NULL);
	missing = g_build_filename(dir, "missing", NULL);
	g_file_set_contents(small, "0123456789", 10, &error);
	g_assert_no_error(error);

	bytes = _ub_engine_scan_read(small, 10, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 10);
	g_clear_pointer(&bytes, g_bytes_unref);

	/* over the limit, not a file, not there */
	bytes = _ub_engine_scan_read(small, 9, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(bytes);
	g_clear_error(&error);
	bytes = _ub_engine_scan_read(dir, 1024, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_clear_error(&error);
	bytes = _ub_engine_scan_read(missing, 1024, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_clear_error(&error);

	g_assert_cmpint(g_unlink(small), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/engine-scan/milestones", ub_engine_scan_milestones_func);
	g_test_add_func("/unbrick/engine-scan/binary", ub_engine_scan_binary_func);
	g_test_add_func("/unbrick/engine-scan/own-programs", ub_engine_scan_own_programs_func);
	g_test_add_func("/unbrick/engine-scan/product-types", ub_engine_scan_product_types_func);
	g_test_add_func("/unbrick/engine-scan/library-path", ub_engine_scan_library_path_func);
	g_test_add_func("/unbrick/engine-scan/read", ub_engine_scan_read_func);
	return g_test_run();
}
