/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <plist/plist.h>
#include <zip.h>

#include "ub-error.h"
#include "ub-fake-http.h"
#include "ub-file-hash.h"
#include "ub-firmware-manager.h"
#include "ub-host-policy.h"
#include "ub-test.h"

/* a small real IPSW: a zip with a BuildManifest for two models */
static GBytes *
make_ipsw(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("ub-ipsw-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "test.ipsw", NULL);
	plist_t manifest = plist_new_dict();
	plist_t types = plist_new_array();
	plist_t identities;
	plist_t identity;
	plist_t info;
	gchar *xml = NULL;
	guint32 length = 0;
	g_autofree gchar *padding = g_malloc0(512 * 1024);
	gchar *contents = NULL;
	gsize size = 0;
	zip_t *archive;

	plist_array_append_item(types, plist_new_string("iPhone14,2"));
	plist_array_append_item(types, plist_new_string("iPhone14,3"));
	plist_dict_set_item(manifest, "SupportedProductTypes", types);
	plist_dict_set_item(manifest, "ProductVersion", plist_new_string("18.6.2"));
	plist_dict_set_item(manifest, "ProductBuildVersion", plist_new_string("22G100"));
	identity = plist_new_dict();
	info = plist_new_dict();
	plist_dict_set_item(info, "DeviceClass", plist_new_string("d63ap"));
	plist_dict_set_item(info, "RestoreBehavior", plist_new_string("Erase"));
	plist_dict_set_item(info, "Variant", plist_new_string("Customer Erase Install (IPSW)"));
	plist_dict_set_item(identity, "ApChipID", plist_new_string("0x8110"));
	plist_dict_set_item(identity, "ApBoardID", plist_new_string("0x0C"));
	plist_dict_set_item(identity, "Info", info);
	identities = plist_new_array();
	plist_array_append_item(identities, identity);
	plist_dict_set_item(manifest, "BuildIdentities", identities);
	plist_to_xml(manifest, &xml, &length);
	plist_free(manifest);
	for (guint i = 0; i < 512 * 1024; i++)
		padding[i] = (gchar)(i * 7 + i / 251);

	archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	g_assert_nonnull(archive);
	g_assert_cmpint(zip_file_add(archive,
				     "BuildManifest.plist",
				     zip_source_buffer(archive, xml, length, 0),
				     ZIP_FL_ENC_UTF_8),
			>=,
			0);
	g_assert_cmpint(zip_file_add(archive,
				     "rootfs.dmg",
				     zip_source_buffer(archive, padding, 512 * 1024, 0),
				     ZIP_FL_ENC_UTF_8),
			>=,
			0);
	g_assert_cmpint(zip_close(archive), ==, 0);
	free(xml);
	g_assert_true(g_file_get_contents(path, &contents, &size, NULL));
	g_unlink(path);
	g_rmdir(dir);
	return g_bytes_new_take(contents, size);
}

static gchar *
sha256_of(GBytes *bytes)
{
	guint8 digest[32];
	GString *hex = g_string_new(NULL);

	gnutls_hash_fast(
	    GNUTLS_DIG_SHA256, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), digest);
	for (guint i = 0; i < sizeof(digest); i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

typedef struct {
	UbFakeHttp *http;
	GBytes *ipsw;
	gchar *sha256;
	gchar *url;
	gchar *root;
	UbFirmwareManager *manager;
} Fixture;

static void
fixture_set_up(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(UbFirmwareCatalog) catalog = NULL;
	g_autoptr(UbFirmwareCache) cache = NULL;

	ub_host_policy_set_allow_loopback(TRUE);
	fixture->http = ub_fake_http_new();
	fixture->ipsw = make_ipsw();
	fixture->sha256 = sha256_of(fixture->ipsw);
	ub_fake_http_add_file(fixture->http,
			      "/files/iPhone14,2,iPhone14,3_18.6.2_22G100_Restore.ipsw",
			      "application/octet-stream",
			      fixture->ipsw);
	fixture->url = g_strdup_printf("%s/files/iPhone14,2,iPhone14,3_18.6.2_22G100_Restore.ipsw",
				       ub_fake_http_get_base(fixture->http));
	fixture->root = g_dir_make_tmp("ub-store-XXXXXX", NULL);
	catalog = ub_firmware_catalog_new(ub_fake_http_get_base(fixture->http), NULL, NULL);
	cache = ub_firmware_cache_new(fixture->root, &error);
	g_assert_no_error(error);
	fixture->manager = ub_firmware_manager_new(catalog, cache);
}

static void
fixture_tear_down(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GFile) root = g_file_new_for_path(fixture->root);
	g_autoptr(GFileEnumerator) children =
	    g_file_enumerate_children(root, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
	GFileInfo *info;

	g_assert_finalize_object(fixture->manager);
	while (children != NULL &&
	       (info = g_file_enumerator_next_file(children, NULL, NULL)) != NULL) {
		g_autoptr(GFile) child = g_file_get_child(root, g_file_info_get_name(info));
		g_file_delete(child, NULL, NULL);
		g_object_unref(info);
	}
	g_file_delete(root, NULL, NULL);
	ub_fake_http_free(fixture->http);
	g_bytes_unref(fixture->ipsw);
	g_free(fixture->sha256);
	g_free(fixture->url);
	g_free(fixture->root);
}

static UbFirmware *
firmware_for(Fixture *fixture, const gchar *product_type, const gchar *sha256)
{
	return ub_firmware_new(product_type,
			       "18.6.2",
			       "22G100",
			       fixture->url,
			       g_bytes_get_size(fixture->ipsw),
			       sha256,
			       NULL,
			       NULL,
			       TRUE);
}

static void
wait_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = user_data;
	gboolean ok = ub_download_wait_finish(UB_DOWNLOAD(source), result, error);

	if (ok)
		*error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

/* TRUE when the download ended well; @error set when it failed */
static gboolean
wait_for(UbDownload *download, GError **error)
{
	GError *outcome = NULL;

	ub_download_wait_async(download, NULL, wait_done_cb, &outcome);
	while (outcome == NULL)
		g_main_context_iteration(NULL, TRUE);
	if (g_error_matches(outcome, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
		g_error_free(outcome);
		return TRUE;
	}
	g_propagate_error(error, outcome);
	return FALSE;
}

static void
ub_firmware_manager_shared_download_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmware) pro = firmware_for(fixture, "iPhone14,2", fixture->sha256);
	g_autoptr(UbFirmware) pro_max = firmware_for(fixture, "iPhone14,3", fixture->sha256);
	g_autoptr(UbDownload) first = NULL;
	g_autoptr(UbDownload) second = NULL;
	g_autoptr(GError) error = NULL;
	UbFirmwareCache *cache = ub_firmware_manager_get_cache(fixture->manager);

	first = ub_firmware_manager_download(fixture->manager, pro, &error);
	g_assert_no_error(error);
	/* the Pro Max needs the same file: it joins the same download */
	second = ub_firmware_manager_download(fixture->manager, pro_max, &error);
	g_assert_no_error(error);
	g_assert_true(first == second);
	g_assert_cmpuint(
	    g_list_model_get_n_items(ub_firmware_manager_get_downloads(fixture->manager)), ==, 1);
	g_assert_true(ub_firmware_manager_get_download(fixture->manager, pro_max) == first);

	g_assert_true(wait_for(first, &error));
	g_assert_no_error(error);
	/* recorded under both models its manifest lists, once it is read */
	for (guint i = 0; i < 500 && ub_firmware_manager_lookup(fixture->manager, pro_max) == NULL;
	     i++)
		ub_test_spin(5);
	g_assert_nonnull(ub_firmware_manager_lookup(fixture->manager, pro));
	g_assert_nonnull(ub_firmware_manager_lookup(fixture->manager, pro_max));
	g_assert_cmpuint(ub_firmware_cache_list(cache)->len, ==, 1);
	g_assert_cmpuint(
	    g_list_model_get_n_items(ub_firmware_manager_get_downloads(fixture->manager)), ==, 0);
	g_assert_null(ub_firmware_manager_get_download(fixture->manager, pro));
}

static void
ub_firmware_manager_no_hash_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmware) firmware = firmware_for(fixture, "iPhone14,2", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDownload) download = NULL;

	/* nothing is downloaded that cannot be verified */
	download = ub_firmware_manager_download(fixture->manager, firmware, &error);
	g_assert_null(download);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_cmpuint(ub_fake_http_get_requests(fixture->http,
						   "/files/iPhone14,2,iPhone14,3_18.6.2_22G100_"
						   "Restore.ipsw"),
			 ==,
			 0);
}

static void
ub_firmware_manager_mismatch_func(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmware) firmware =
	    firmware_for(fixture,
			 "iPhone14,2",
			 "0000000000000000000000000000000000000000000000000000000000000000");
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDownload) download = NULL;

	download = ub_firmware_manager_download(fixture->manager, firmware, &error);
	g_assert_no_error(error);
	g_assert_false(wait_for(download, &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_CHECKSUM_MISMATCH);
	/* nothing bad is kept, nothing is offered */
	g_assert_null(ub_firmware_manager_lookup(fixture->manager, firmware));
	g_assert_false(g_file_test(ub_download_get_dest_path(download), G_FILE_TEST_EXISTS));
	g_assert_cmpuint(
	    ub_firmware_cache_list(ub_firmware_manager_get_cache(fixture->manager))->len, ==, 0);
}

static void
ub_firmware_manager_file_hash_func(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fixture->root, "copy.ipsw", NULL);
	g_autofree gchar *digest = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path,
					  g_bytes_get_data(fixture->ipsw, NULL),
					  (gssize)g_bytes_get_size(fixture->ipsw),
					  &error));
	digest = ub_file_hash(path, UB_HASH_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(digest, ==, fixture->sha256);
	g_free(g_steal_pointer(&digest));
	digest = ub_file_hash("/nonexistent/file.ipsw", UB_HASH_SHA1, NULL, &error);
	g_assert_null(digest);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

#define ADD(path, func)                               \
	g_test_add("/unbrick/firmware-manager/" path, \
		   Fixture,                           \
		   NULL,                              \
		   fixture_set_up,                    \
		   func,                              \
		   fixture_tear_down)
	ADD("shared-download", ub_firmware_manager_shared_download_func);
	ADD("no-hash", ub_firmware_manager_no_hash_func);
	ADD("mismatch", ub_firmware_manager_mismatch_func);
	ADD("file-hash", ub_firmware_manager_file_hash_func);
#undef ADD
	return g_test_run();
}
