/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ub-device-db.h"
#include "ub-engine-info-private.h"
#include "ub-engine-scan-private.h"
#include "ub-error.h"
#include "ub-test.h"

#define DEBIAN_BANNER "idevicerestore 1.0.0"
#define GIT_BANNER                                                                    \
	"idevicerestore 1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu " \
	"1.0.4-8-g7e1647b)"

static UbEngineInfo *
info_new(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	UbEngineInfo *info = ub_engine_info_parse(text, &error);

	g_assert_no_error(error);
	g_assert_nonnull(info);
	return info;
}

static void
ub_engine_info_parse_func(void)
{
	const struct {
		const gchar *text;
		const gchar *version;
		guint commits;
		const gchar *libirecovery;
		const gchar *libtatsu;
	} cases[] = {
	    {DEBIAN_BANNER, "1.0.0", 0, "1.0.0", NULL},
	    {DEBIAN_BANNER "\n", "1.0.0", 0, "1.0.0", NULL},
	    {"  \t" DEBIAN_BANNER " \r\n\n", "1.0.0", 0, "1.0.0", NULL},
	    {GIT_BANNER, "1.0.0-226-gbb5591d", 226, "1.2.1-9-g0f0928a", "1.0.4-8-g7e1647b"},
	    {GIT_BANNER "\n", "1.0.0-226-gbb5591d", 226, "1.2.1-9-g0f0928a", "1.0.4-8-g7e1647b"},
	    {"idevicerestore 1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, libtatsu "
	     "1.0.5-3-g60a39f3)",
	     "1.0.0-271-g45145e9",
	     271,
	     "1.3.1-5-g04d04f7",
	     "1.0.5-3-g60a39f3"},
	    /* a packager's own version number (fixture 14) */
	    {"idevicerestore 1.3.0 (libirecovery 1.2.1, libtatsu 1.0.5)",
	     "1.3.0",
	     0,
	     "1.2.1",
	     "1.0.5"},
	    /* extra lines around the banner */
	    {"WARNING: could not load something\n" GIT_BANNER "\nmore text\n",
	     "1.0.0-226-gbb5591d",
	     226,
	     "1.2.1-9-g0f0928a",
	     "1.0.4-8-g7e1647b"},
	    /* an old git build that names no libraries */
	    {"idevicerestore 1.0.0-110-g2b2e2d9", "1.0.0-110-g2b2e2d9", 110, NULL, NULL},
	    /* libraries in any order, unknown ones ignored */
	    {"idevicerestore 1.0.0-300-gabcdef0 (libtatsu 1.0.6, libfoo 2.0, libirecovery 1.3.1)",
	     "1.0.0-300-gabcdef0",
	     300,
	     "1.3.1",
	     "1.0.6"},
	    {"idevicerestore 1.0.0-5-gabcdef0-dirty (libirecovery 1.1.0)",
	     "1.0.0-5-gabcdef0-dirty",
	     5,
	     "1.1.0",
	     NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(UbEngineInfo) info = NULL;
		g_autofree gchar *escaped = g_strescape(cases[i].text, NULL);

		g_test_message("%s", escaped);
		info = info_new(cases[i].text);
		g_assert_cmpstr(ub_engine_info_get_version(info), ==, cases[i].version);
		g_assert_cmpuint(ub_engine_info_get_commits(info), ==, cases[i].commits);
		g_assert_cmpstr(
		    ub_engine_info_get_libirecovery_version(info), ==, cases[i].libirecovery);
		g_assert_cmpstr(ub_engine_info_get_libtatsu_version(info), ==, cases[i].libtatsu);
	}
}

static void
ub_engine_info_garbage_func(void)
{
	const gchar *cases[] = {
	    "",
	    "\n\n",
	    "idevicerestore",
	    "idevicerestore ",
	    "idevicerestore x.y.z",
	    "idevicerestore 1",
	    "idevicerestore version 1.0.0",
	    "idevicerestore 1.0.0 (libirecovery 1.0.0",
	    "idevicerestore 1.0.0 libirecovery 1.0.0",
	    "idevicerestore 1.0.0 (libirecovery)",
	    "idevicerestore 1.0.0 (libirecovery abc)",
	    "idevicerestore 1.0.0 ((libirecovery 1.0.0))",
	    "idevicerestore 1.0.0; rm -rf",
	    "idevicerestore: unrecognized option '-v'",
	    "Usage: idevicerestore [OPTIONS] PATH",
	    "irecovery 1.0.0",
	    "-v",
	    "IDEVICERESTORE 1.0.0",
	    "\xff\xfe idevicerestore 1.0.0",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(UbEngineInfo) info = NULL;
		g_autofree gchar *escaped = g_strescape(cases[i], NULL);

		g_test_message("%s", escaped);
		info = ub_engine_info_parse(cases[i], &error);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_null(info);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
	}
}

static void
ub_engine_info_boxed_func(void)
{
	g_autoptr(UbEngineInfo) info = info_new(GIT_BANNER);
	UbEngineInfo *copy = NULL;

	g_assert_true(G_TYPE_IS_BOXED(UB_TYPE_ENGINE_INFO));
	copy = g_boxed_copy(UB_TYPE_ENGINE_INFO, info);
	g_assert_true(copy == info);
	g_boxed_free(UB_TYPE_ENGINE_INFO, copy);
	g_assert_true(ub_engine_info_ref(info) == info);
	ub_engine_info_unref(info);
	g_assert_cmpstr(ub_engine_info_get_version(info), ==, "1.0.0-226-gbb5591d");
}

static void
ub_engine_info_real_binary_func(void)
{
	g_autofree gchar *path = g_find_program_in_path("idevicerestore");
	g_autofree gchar *output = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbEngineInfo) info = NULL;
	const gchar *argv[] = {NULL, "-v", NULL};
	gint status = 0;

	if (path == NULL) {
		g_test_skip("idevicerestore is not installed");
		return;
	}
	argv[0] = path;
	g_spawn_sync(NULL,
		     (gchar **)argv,
		     NULL,
		     G_SPAWN_STDERR_TO_DEV_NULL,
		     NULL,
		     NULL,
		     &output,
		     NULL,
		     &status,
		     &error);
	g_assert_no_error(error);
	g_test_message("%s -v: %s", path, output);
	info = ub_engine_info_parse(output, &error);
	g_assert_no_error(error);
	g_assert_nonnull(info);
	g_assert_nonnull(ub_engine_info_get_version(info));
	if (g_strcmp0(ub_engine_info_get_version(info), "1.0.0") == 0)
		g_assert_cmpstr(ub_engine_info_get_libirecovery_version(info), ==, "1.0.0");
}

static void
assert_can_restore(const gchar *banner,
		   const gchar *product_type,
		   guint ios_major,
		   gboolean expected,
		   const gchar *message_part)
{
	g_autoptr(UbEngineInfo) info = info_new(banner);
	g_autoptr(GError) error = NULL;
	gboolean ok = FALSE;

	ok = ub_engine_info_can_restore(info, product_type, ios_major, &error);
	g_test_message("%s, %s, iOS %u: %s",
		       banner,
		       product_type,
		       ios_major,
		       error != NULL ? error->message : "yes");
	if (expected) {
		g_assert_no_error(error);
		g_assert_true(ok);
		return;
	}
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_assert_false(ok);
	/* what to do instead is always part of the answer */
	g_assert_nonnull(strstr(error->message, "Flathub"));
	if (message_part != NULL)
		g_assert_nonnull(strstr(error->message, message_part));
}

static void
ub_engine_info_can_restore_func(void)
{
	/* Debian 12: 1.0.0 with libirecovery 1.0.0 */
	assert_can_restore(DEBIAN_BANNER, "iPhone12,8", 14, TRUE, NULL);
	assert_can_restore(DEBIAN_BANNER, "iPhone12,8", 0, TRUE, NULL);
	assert_can_restore(DEBIAN_BANNER, "iPhone8,1", 13, TRUE, NULL);
	assert_can_restore(DEBIAN_BANNER, "iPad11,4", 14, TRUE, NULL);
	/* a model newer than its libirecovery */
	assert_can_restore(DEBIAN_BANNER, "iPhone13,2", 14, FALSE, "iPhone 12");
	assert_can_restore(DEBIAN_BANNER, "iPhone13,2", 0, FALSE, "1.0.0, from 2020");
	assert_can_restore(DEBIAN_BANNER, "iPhone16,1", 17, FALSE, "iPhone 15 Pro");
	assert_can_restore(DEBIAN_BANNER, "iPad11,6", 0, FALSE, "iPad (8th gen, WiFi)");
	/* a known model on too new an iOS */
	assert_can_restore(DEBIAN_BANNER, "iPhone10,4", 17, FALSE, "iOS 17");
	assert_can_restore(DEBIAN_BANNER, "iPhone10,4", 15, FALSE, "iPhone 8 (GSM)");
	assert_can_restore(DEBIAN_BANNER, "iPhone10,4", 14, TRUE, NULL);

	/* git builds: the model by libirecovery, iOS and the newest models by
	 * the commits the version counts (28c1dab, iOS 18, is the 199th) */
	assert_can_restore(GIT_BANNER, "iPhone16,2", 18, TRUE, NULL);
	assert_can_restore(GIT_BANNER, "iPhone10,4", 16, TRUE, NULL);
	assert_can_restore(GIT_BANNER, "iPhone17,1", 18, TRUE, NULL);
	assert_can_restore(GIT_BANNER, "iPhone17,5", 18, FALSE, "iPhone 16e");
	/* December 2024 knows nothing of iOS 26 */
	assert_can_restore(GIT_BANNER, "iPhone16,2", 26, FALSE, "iOS 26");
	assert_can_restore("idevicerestore 1.0.0-190-gabcdef0 (libirecovery 1.2.0, libtatsu 1.0.3)",
			   "iPhone16,2",
			   18,
			   FALSE,
			   "iOS 18");
	assert_can_restore("idevicerestore 1.0.0-190-gabcdef0 (libirecovery 1.2.0, libtatsu 1.0.3)",
			   "iPhone16,2",
			   17,
			   TRUE,
			   NULL);
	assert_can_restore("idevicerestore 1.0.0-199-gabcdef0 (libirecovery 1.2.0, libtatsu 1.0.3)",
			   "iPhone16,2",
			   18,
			   TRUE,
			   NULL);
	/* a build from before the iPhone 16 came out (216th commit) */
	assert_can_restore("idevicerestore 1.0.0-203-gf7e24ce (libirecovery 1.2.1)",
			   "iPhone17,1",
			   18,
			   FALSE,
			   "made before the iPhone 16 Pro");
	assert_can_restore(
	    "idevicerestore 1.0.0-216-g48350d6 (libirecovery 1.2.1)", "iPhone17,1", 18, TRUE, NULL);
	assert_can_restore("idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.3.1, libtatsu 1.0.5)",
			   "iPhone18,1",
			   26,
			   TRUE,
			   NULL);
	assert_can_restore("idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.3.1, libtatsu 1.0.5)",
			   "iPad17,1",
			   26,
			   TRUE,
			   NULL);
	/* only git master after 1.3.1 knows the 17e and the iPad Air M4 */
	assert_can_restore("idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.3.1, libtatsu 1.0.5)",
			   "iPhone18,5",
			   26,
			   FALSE,
			   "iPhone 17e");
	assert_can_restore("idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.3.2, libtatsu 1.0.5)",
			   "iPhone18,5",
			   26,
			   TRUE,
			   NULL);
	/* numbers compare as numbers */
	assert_can_restore("idevicerestore 1.0.0-300-gabcdef0 (libirecovery 1.10.0)",
			   "iPhone18,5",
			   26,
			   TRUE,
			   NULL);
	/* a packager's own version dates nothing: judged by its libirecovery */
	assert_can_restore("idevicerestore 1.3.0 (libirecovery 1.2.1, libtatsu 1.0.5)",
			   "iPhone13,2",
			   18,
			   TRUE,
			   NULL);
	assert_can_restore("idevicerestore 1.3.0 (libirecovery 1.2.1, libtatsu 1.0.5)",
			   "iPhone13,2",
			   26,
			   FALSE,
			   "iOS 26");
	/* an old git build without a library list is dated by its commits */
	assert_can_restore("idevicerestore 1.0.0-110-g2b2e2d9", "iPhone14,2", 16, TRUE, NULL);
	assert_can_restore("idevicerestore 1.0.0-110-g2b2e2d9",
			   "iPhone18,1",
			   26,
			   FALSE,
			   "made before the iPhone 17 Pro");
	assert_can_restore("idevicerestore 1.0.0-110-g2b2e2d9", "iPhone12,1", 18, FALSE, "iOS 18");

	/* what cannot be known is allowed */
	assert_can_restore(DEBIAN_BANNER, "iPhone99,1", 0, TRUE, NULL);
	assert_can_restore(DEBIAN_BANNER, NULL, 0, TRUE, NULL);
	assert_can_restore("idevicerestore 1.0.1", "iPhone18,1", 26, TRUE, NULL);
	/* the iOS rule holds for unknown models too */
	assert_can_restore(DEBIAN_BANNER, "iPhone99,1", 18, FALSE, "iPhone99,1");
	assert_can_restore(DEBIAN_BANNER, NULL, 16, FALSE, "iOS 16");
}

static void
ub_engine_info_model_table_func(void)
{
	UbDeviceDb *db = ub_device_db_get_default();

	/* every row of the bundled table says which libirecovery knows it */
	g_assert_cmpuint(ub_device_db_get_n_models(db), >, 0);
	for (guint i = 0; i < ub_device_db_get_n_models(db); i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);
		g_autoptr(UbEngineInfo) info = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *banner = NULL;

		g_assert_nonnull(model->libirecovery);
		banner = g_strdup_printf("idevicerestore 1.0.0-300-gabcdef0 (libirecovery %s)",
					 model->libirecovery);
		info = info_new(banner);
		g_assert_true(ub_engine_info_can_restore(info, model->product_type, 0, &error));
		g_assert_no_error(error);

		/* the release before it does not know it */
		if (g_strcmp0(model->libirecovery, "1.0.0") != 0) {
			g_autoptr(UbEngineInfo) older = info_new(DEBIAN_BANNER);
			g_assert_false(
			    ub_engine_info_can_restore(older, model->product_type, 0, &error));
			g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
			g_assert_nonnull(strstr(error->message, model->name));
		}
	}
}

/* an engine as the probe reads it: its banner, a program carrying the
 * markers up to @generation, and a libirecovery carrying @product_types
 * (and @lib_version when given) */
static UbEngineInfo *
info_from_binary(const gchar *banner,
		 const gchar *generation,
		 const gchar *lib_version,
		 const gchar *const *product_types)
{
	guint n_milestones = 0;
	const UbEngineMilestone *all = _ub_engine_milestone_get_all(&n_milestones);
	g_autoptr(GPtrArray) markers = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) lib_strings = g_ptr_array_new();
	g_autoptr(GBytes) program = NULL;
	g_autoptr(GBytes) library = NULL;
	UbEngineInfo *info = info_new(banner);

	for (guint i = 1; i < n_milestones && g_strcmp0(all[i].id, generation) <= 0; i++)
		g_ptr_array_add(markers, _ub_engine_milestone_dup_marker(&all[i]));
	g_ptr_array_add(markers, NULL);
	program = ub_test_fake_program(TRUE, (const gchar *const *)markers->pdata);
	if (lib_version != NULL)
		g_ptr_array_add(lib_strings, (gpointer)lib_version);
	for (guint i = 0; product_types[i] != NULL; i++)
		g_ptr_array_add(lib_strings, (gpointer)product_types[i]);
	g_ptr_array_add(lib_strings, NULL);
	library = ub_test_fake_program(TRUE, (const gchar *const *)lib_strings->pdata);
	_ub_engine_info_set_binary(info, program, "/usr/lib/libirecovery-1.0.so.5", library);
	return info;
}

static void
assert_info_can_restore(UbEngineInfo *info,
			const gchar *product_type,
			guint ios_major,
			const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = ub_engine_info_can_restore(info, product_type, ios_major, &error);

	g_test_message(
	    "%s, iOS %u: %s", product_type, ios_major, error != NULL ? error->message : "yes");
	if (message_part == NULL) {
		g_assert_no_error(error);
		g_assert_true(ok);
		return;
	}
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_assert_false(ok);
	g_assert_nonnull(strstr(error->message, message_part));
	g_assert_nonnull(strstr(error->message, "Flathub"));
}

/* both Debian builds print "1.0.1": only the programs tell them apart */
static void
ub_engine_info_binary_func(void)
{
	/* Debian 13's libirecovery 1.2.1 knows the iPhone 16, but the
	 * engine (July 2024) predates its restore support */
	const gchar *trixie_models[] = {
	    "iPhone12,8", "iPhone16,2", "iPhone17,1", "iPhone17,4", "iPad16,6", NULL};
	/* testing's libirecovery 1.3.1: the iPhone 17 family, no 17e */
	const gchar *sid_models[] = {
	    "iPhone16,2", "iPhone17,5", "iPhone18,1", "iPhone18,4", "iPad17,4", NULL};
	g_autoptr(UbEngineInfo) trixie = NULL;
	g_autoptr(UbEngineInfo) sid = NULL;
	g_autoptr(UbEngineInfo) unread = info_new("idevicerestore 1.0.1");
	g_autoptr(UbEngineInfo) mismatched = NULL;
	g_autoptr(UbEngineInfo) script = info_new("idevicerestore 1.0.1");
	g_autoptr(GBytes) wrapper = ub_test_fake_program(FALSE, NULL);

	trixie = info_from_binary("idevicerestore 1.0.1", "2024-06", "1.2.1", trixie_models);
	g_assert_cmpstr(ub_engine_info_get_generation(trixie), ==, "2024-06");
	g_assert_cmpuint(ub_engine_info_get_newest_ios(trixie), ==, 18);
	g_assert_cmpstr(
	    ub_engine_info_get_libirecovery_path(trixie), ==, "/usr/lib/libirecovery-1.0.so.5");
	assert_info_can_restore(trixie, "iPhone16,2", 18, NULL);
	assert_info_can_restore(trixie, "iPhone12,8", 18, NULL);
	assert_info_can_restore(trixie, "iPhone17,1", 0, "made before the iPhone 16 Pro");
	assert_info_can_restore(trixie, "iPhone16,2", 26, "iOS 26");
	/* not in its libirecovery's table */
	assert_info_can_restore(trixie, "iPhone13,2", 17, "does not know the iPhone 12");
	g_assert_cmpstr(
	    ub_engine_info_get_newest_model(trixie, "iPhone")->name, ==, "iPhone 15 Pro Max");

	sid = info_from_binary("idevicerestore 1.0.1 (libirecovery 1.3.1, libtatsu 1.0.5)",
			       "2025-09",
			       "1.3.1",
			       sid_models);
	g_assert_cmpstr(ub_engine_info_get_generation(sid), ==, "2025-09");
	g_assert_cmpuint(ub_engine_info_get_newest_ios(sid), ==, UB_ENGINE_NEWEST_KNOWN_IOS);
	assert_info_can_restore(sid, "iPhone18,1", 26, NULL);
	assert_info_can_restore(sid, "iPhone18,4", 26, NULL);
	assert_info_can_restore(sid, "iPhone17,5", 26, NULL);
	assert_info_can_restore(sid, "iPhone18,5", 26, "does not know the iPhone 17e");
	assert_info_can_restore(sid, "iPad17,4", 26, NULL);

	/* a library that is not the one the banner names: its table does not
	 * count, the named version does */
	mismatched = info_from_binary("idevicerestore 1.0.1 (libirecovery 1.3.1, libtatsu 1.0.5)",
				      "2025-09",
				      "1.0.0",
				      trixie_models);
	assert_info_can_restore(mismatched, "iPhone18,1", 26, NULL);
	assert_info_can_restore(mismatched, "iPhone18,5", 26, "iPhone 17e");

	/* nothing read: "1.0.1" dates nothing, what cannot be known is allowed */
	g_assert_null(ub_engine_info_get_generation(unread));
	g_assert_cmpuint(ub_engine_info_get_newest_ios(unread), ==, 0);
	assert_info_can_restore(unread, "iPhone18,1", 26, NULL);

	/* a script wrapping the engine tells nothing either */
	_ub_engine_info_set_binary(script, wrapper, NULL, NULL);
	g_assert_null(ub_engine_info_get_generation(script));
	assert_info_can_restore(script, "iPhone18,1", 26, NULL);
}

static void
ub_engine_info_newest_ios_func(void)
{
	const struct {
		const gchar *banner;
		guint newest_ios;
	} cases[] = {
	    {DEBIAN_BANNER, 14},
	    {"idevicerestore 1.0.0-32-g4372a1c", 15},
	    {"idevicerestore 1.0.0-110-g2b2e2d9", 17},
	    {GIT_BANNER, 18},
	    {"idevicerestore 1.0.0-270-g405fcd1 (libirecovery 1.3.1-5-g04d04f7)", 26},
	    /* undated: by the libirecovery it names */
	    {"idevicerestore 1.3.0 (libirecovery 1.2.0)", 17},
	    {"idevicerestore 1.3.0 (libirecovery 1.2.1, libtatsu 1.0.5)", 18},
	    {"idevicerestore 1.3.0 (libirecovery 1.3.0)", 0},
	    {"idevicerestore 1.0.1", 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(UbEngineInfo) info = info_new(cases[i].banner);

		g_test_message("%s", cases[i].banner);
		g_assert_cmpuint(ub_engine_info_get_newest_ios(info), ==, cases[i].newest_ios);
	}
}

typedef struct {
	gboolean done;
	UbEngineInfo *info;
	GError *error;
} ProbeResult;

static void
probe_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProbeResult *probe = user_data;

	g_assert_null(source);
	probe->info = ub_engine_info_probe_finish(result, &probe->error);
	probe->done = TRUE;
}

static void
probe_result_clear(ProbeResult *probe)
{
	g_clear_pointer(&probe->info, ub_engine_info_unref);
	g_clear_error(&probe->error);
	probe->done = FALSE;
}

static void
probe_run(const gchar *path, guint timeout_ms, GCancellable *cancellable, ProbeResult *probe)
{
	probe_result_clear(probe);
	_ub_engine_info_probe_full_async(path, timeout_ms, cancellable, probe_cb, probe);
	g_assert_true(ub_test_wait_until(&probe->done, 30000));
}

static const gchar *
fake_engine_path(void)
{
	const gchar *path = g_getenv("UB_FAKE_IDEVICERESTORE");

	if (path == NULL || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("UB_FAKE_IDEVICERESTORE is not set");
		return NULL;
	}
	return path;
}

static void
ub_engine_info_probe_func(void)
{
	const gchar *fake = fake_engine_path();
	ProbeResult probe = {0};
	g_autoptr(UbEngineInfo) info = NULL;

	if (fake == NULL)
		return;
	g_unsetenv("UB_FAKE_ENGINE_LOG");
	g_unsetenv("UB_FAKE_ENGINE_HANG");

	g_unsetenv("UB_FAKE_ENGINE_VERSION");
	ub_engine_info_probe_async(fake, NULL, probe_cb, &probe);
	g_assert_true(ub_test_wait_until(&probe.done, 30000));
	g_assert_no_error(probe.error);
	g_assert_cmpstr(ub_engine_info_get_version(probe.info), ==, "1.0.0");
	g_assert_cmpstr(ub_engine_info_get_libirecovery_version(probe.info), ==, "1.0.0");

	g_setenv("UB_FAKE_ENGINE_VERSION",
		 "1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu 1.0.4-8-g7e1647b)",
		 TRUE);
	probe_run(fake, 10000, NULL, &probe);
	g_assert_no_error(probe.error);
	info = g_steal_pointer(&probe.info);
	g_assert_cmpstr(ub_engine_info_get_version(info), ==, "1.0.0-226-gbb5591d");
	g_assert_cmpuint(ub_engine_info_get_commits(info), ==, 226);
	g_assert_cmpstr(ub_engine_info_get_libtatsu_version(info), ==, "1.0.4-8-g7e1647b");
	/* dated by its commits; the fake itself carries no marker */
	g_assert_cmpstr(ub_engine_info_get_generation(info), ==, "2024-09");
	/* the loader named the libirecovery the fake links */
	g_assert_nonnull(ub_engine_info_get_libirecovery_path(info));
	g_assert_true(g_str_has_prefix(ub_engine_info_get_libirecovery_path(info), "/"));

	/* a banner that is not a version is refused */
	g_setenv("UB_FAKE_ENGINE_VERSION", "not a version", TRUE);
	probe_run(fake, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(probe.info);

	g_unsetenv("UB_FAKE_ENGINE_VERSION");
	probe_result_clear(&probe);
}

/* the engine this machine has, read as Unbrick reads it */
static void
ub_engine_info_probe_real_binary_func(void)
{
	g_autofree gchar *path = g_find_program_in_path("idevicerestore");
	ProbeResult probe = {0};
	UbEngineInfo *info = NULL;

	if (path == NULL) {
		g_test_skip("idevicerestore is not installed");
		return;
	}
	probe_run(path, 10000, NULL, &probe);
	g_assert_no_error(probe.error);
	info = probe.info;
	g_test_message("%s: %s, generation %s, newest iOS %u, libirecovery %s",
		       path,
		       ub_engine_info_get_version(info),
		       ub_engine_info_get_generation(info),
		       ub_engine_info_get_newest_ios(info),
		       ub_engine_info_get_libirecovery_path(info));
	g_assert_nonnull(ub_engine_info_get_libirecovery_path(info));
	g_assert_nonnull(ub_engine_info_get_generation(info));
	g_assert_cmpuint(ub_engine_info_get_newest_ios(info), >=, 14);
	g_assert_true(ub_engine_info_can_restore(info, "iPhone12,8", 14, NULL));
	/* Debian 12's release from 2020 */
	if (g_strcmp0(ub_engine_info_get_version(info), "1.0.0") == 0) {
		g_assert_cmpstr(ub_engine_info_get_generation(info), ==, "2020-06");
		g_assert_cmpuint(ub_engine_info_get_newest_ios(info), ==, 14);
		g_assert_false(ub_engine_info_can_restore(info, "iPhone13,2", 0, NULL));
		g_assert_false(ub_engine_info_can_restore(info, "iPhone12,8", 15, NULL));
		g_assert_cmpstr(ub_engine_info_get_newest_model(info, "iPhone")->name,
				==,
				"iPhone SE (2nd gen)");
	}
	probe_result_clear(&probe);
}

static void
ub_engine_info_probe_missing_func(void)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *missing = NULL;
	g_autoptr(GError) error = NULL;
	ProbeResult probe = {0};

	dir = g_dir_make_tmp("ub-test-engine-info-XXXXXX", &error);
	g_assert_no_error(error);
	missing = g_build_filename(dir, "idevicerestore", NULL);

	probe_run(missing, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(probe.info);

	/* a name is looked up in $PATH */
	probe_run("ub-no-such-idevicerestore", 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(probe.error->message, "not installed"));

	/* a directory is no program */
	probe_run(dir, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_NOT_FOUND);

	probe_result_clear(&probe);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
ub_engine_info_probe_garbage_func(void)
{
	g_autofree gchar *echo = g_find_program_in_path("echo");
	g_autofree gchar *true_path = g_find_program_in_path("true");
	g_autofree gchar *false_path = g_find_program_in_path("false");
	ProbeResult probe = {0};

	if (echo == NULL || true_path == NULL || false_path == NULL) {
		g_test_skip("echo, true or false is missing");
		return;
	}
	/* `echo -v` prints "-v" */
	probe_run(echo, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(probe.info);

	probe_run(true_path, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_INVALID_DATA);

	probe_run(false_path, 10000, NULL, &probe);
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(probe.error->message, "status 1"));
	probe_result_clear(&probe);
}

static void
ub_engine_info_probe_timeout_func(void)
{
	const gchar *fake = fake_engine_path();
	ProbeResult probe = {0};

	if (fake == NULL)
		return;

	/* prints its banner, then never exits */
	g_setenv("UB_FAKE_ENGINE_HANG", "1", TRUE);
	probe_run(fake, 300, NULL, &probe);
	g_unsetenv("UB_FAKE_ENGINE_HANG");
	g_assert_error(probe.error, UB_ERROR, UB_ERROR_TIMED_OUT);
	g_assert_null(probe.info);
	probe_result_clear(&probe);
}

static gboolean
cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

static void
ub_engine_info_probe_cancel_func(void)
{
	const gchar *fake = fake_engine_path();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GCancellable) cancelled = g_cancellable_new();
	ProbeResult probe = {0};

	if (fake == NULL)
		return;

	g_setenv("UB_FAKE_ENGINE_HANG", "1", TRUE);
	g_timeout_add(100, cancel_cb, cancellable);
	probe_run(fake, 30000, cancellable, &probe);
	g_unsetenv("UB_FAKE_ENGINE_HANG");
	g_assert_error(probe.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(probe.info);

	/* cancelled before it began: nothing runs */
	g_cancellable_cancel(cancelled);
	probe_run(fake, 30000, cancelled, &probe);
	g_assert_error(probe.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	probe_result_clear(&probe);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/engine-info/parse", ub_engine_info_parse_func);
	g_test_add_func("/unbrick/engine-info/garbage", ub_engine_info_garbage_func);
	g_test_add_func("/unbrick/engine-info/boxed", ub_engine_info_boxed_func);
	g_test_add_func("/unbrick/engine-info/real-binary", ub_engine_info_real_binary_func);
	g_test_add_func("/unbrick/engine-info/can-restore", ub_engine_info_can_restore_func);
	g_test_add_func("/unbrick/engine-info/model-table", ub_engine_info_model_table_func);
	g_test_add_func("/unbrick/engine-info/binary", ub_engine_info_binary_func);
	g_test_add_func("/unbrick/engine-info/newest-ios", ub_engine_info_newest_ios_func);
	g_test_add_func("/unbrick/engine-info/probe-real-binary",
			ub_engine_info_probe_real_binary_func);
	g_test_add_func("/unbrick/engine-info/probe", ub_engine_info_probe_func);
	g_test_add_func("/unbrick/engine-info/probe-missing", ub_engine_info_probe_missing_func);
	g_test_add_func("/unbrick/engine-info/probe-garbage", ub_engine_info_probe_garbage_func);
	g_test_add_func("/unbrick/engine-info/probe-timeout", ub_engine_info_probe_timeout_func);
	g_test_add_func("/unbrick/engine-info/probe-cancel", ub_engine_info_probe_cancel_func);
	return g_test_run();
}
