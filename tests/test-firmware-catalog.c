/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-fake-http.h"
#include "ub-firmware-catalog.h"
#include "ub-host-policy.h"
#include "ub-test.h"

/* illustrative iPhone 13 Pro builds; the hashes are made up but well formed */
#define SHA256_18_10 "11b06c96723b7ea15032ff5a485d70c3f9d969d7f5409364cedfae24321fb8a8"
#define SHA256_18_9 "853a9763d47c8717a176b7048448e30c4b19cc7d8e4ef89cd881ca48c8a9fdf5"
#define SHA1_18_9 "bb2bee25fc61e0763b552002cfb973ccb6c2c899"
#define SHA1_18_6_2 "70cffa7025ddbd9e70f2e3c232e7e1b48e2c6532"
#define SHA1_15_0_2 "a0ca400529319f078990d1557e244a54d7c29044"
/* what Apple's version plist says of 18.10 (22H20) */
#define SHA1_APPLE_18_10 "5ebc4a0f3be31b03d4bf506ecabfd4b2bbec8bb8"
/* a different SHA-1 for 18.9, for the case where the two catalogs disagree */
#define SHA1_APPLE_18_9 "307cc5f2e1273c9635c62b9635f267cfc13f12db"

#define URL_18_10                                                           \
	"https://updates.cdn-apple.com/2025FallFCS/fullrestores/093-11111/" \
	"A1B2C3D4-0000-4000-8000-000000000010/iPhone14,2_18.10_22H20_Restore.ipsw"
#define URL_18_9                                                            \
	"https://updates.cdn-apple.com/2025FallFCS/fullrestores/093-10000/" \
	"A1B2C3D4-0000-4000-8000-000000000009/iPhone14,2_18.9_22H5_Restore.ipsw"
#define URL_18_6_2                                                                \
	"http://updates-http.cdn-apple.com/2025SummerFCS/fullrestores/093-22222/" \
	"A1B2C3D4-0000-4000-8000-000000000062/iPhone14,2_18.6.2_22G100_Restore.ipsw"
#define URL_15_0_2                                                          \
	"https://updates.cdn-apple.com/2021FCSFall/fullrestores/002-14100/" \
	"A1B2C3D4-0000-4000-8000-000000001502/iPhone14,2_15.0.2_19A404_Restore.ipsw"

/* deliberately not in order: the catalog sorts */
static const gchar device_iphone14_2[] =
    "{\n"
    "  \"name\": \"iPhone 13 Pro\",\n"
    "  \"identifier\": \"iPhone14,2\",\n"
    "  \"boardconfig\": \"D63AP\",\n"
    "  \"platform\": \"t8110\",\n"
    "  \"cpid\": 33040,\n"
    "  \"bdid\": 12,\n"
    "  \"firmwares\": [\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"18.9\", \"buildid\": \"22H5\",\n"
    "     \"sha1sum\": \"" SHA1_18_9 "\", \"md5sum\": \"32633ab072fa0d555ab8773428b9b676\",\n"
    "     \"sha256sum\": \"" SHA256_18_9 "\", \"filesize\": 8474521600,\n"
    "     \"url\": \"" URL_18_9 "\",\n"
    "     \"releasedate\": \"2026-01-26T18:00:00Z\", \"uploaddate\": \"2026-01-26T17:30:00Z\",\n"
    "     \"signed\": true},\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"15.0.2\", \"buildid\": \"19A404\",\n"
    "     \"sha1sum\": \"" SHA1_15_0_2 "\", \"md5sum\": \"\", \"sha256sum\": \"\",\n"
    "     \"filesize\": 6954571244, \"url\": \"" URL_15_0_2 "\",\n"
    "     \"releasedate\": \"2021-10-11T16:43:09Z\", \"uploaddate\": \"2021-10-08T00:17:10Z\",\n"
    "     \"signed\": false},\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"18.10\", \"buildid\": \"22H20\",\n"
    "     \"sha256sum\": \"" SHA256_18_10 "\", \"filesize\": 8501234688,\n"
    "     \"url\": \"" URL_18_10 "\",\n"
    "     \"releasedate\": \"2026-03-02T18:00:00Z\", \"uploaddate\": \"2026-03-02T17:00:00Z\",\n"
    "     \"signed\": true},\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"18.6.2\", \"buildid\": \"22G100\",\n"
    "     \"sha1sum\": \"" SHA1_18_6_2 "\", \"filesize\": 8340000000,\n"
    "     \"url\": \"" URL_18_6_2 "\",\n"
    "     \"releasedate\": \"2025-08-20T17:00:00Z\", \"signed\": false},\n"
    "    {\"identifier\": \"iPhone14,3\", \"version\": \"18.11\", \"buildid\": \"22H30\",\n"
    "     \"filesize\": 8501234688, \"sha1sum\": \"" SHA1_18_9 "\",\n"
    "     \"url\": \"https://updates.cdn-apple.com/x/iPhone14,3_18.11_22H30_Restore.ipsw\",\n"
    "     \"signed\": true},\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"18.12\", \"buildid\": \"22H40\",\n"
    "     \"filesize\": 8501234688, \"sha1sum\": \"" SHA1_18_9 "\",\n"
    "     \"url\": \"https://ipsw.example.net/iPhone14,2_18.12_22H40_Restore.ipsw\",\n"
    "     \"signed\": true},\n"
    "    {\"identifier\": \"iPhone14,2\", \"version\": \"18.13\", \"buildid\": \"22H50\",\n"
    "     \"filesize\": 8501234688,\n"
    "     \"url\": \"http://updates-http.cdn-apple.com/x/iPhone14,2_18.13_22H50_Restore.ipsw\",\n"
    "     \"signed\": true}\n"
    "  ]\n"
    "}\n";

/* Apple's version plist: the current build is named under "Unknown" and
 * reached through SameAs; major 10 does not list the iPhone 13 Pro */
#define APPLE_PLIST_HEAD(old_product)                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                   \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "                        \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"                          \
	"<plist version=\"1.0\">\n"                                                      \
	"<dict>\n"                                                                       \
	"  <key>MobileDeviceSoftwareVersionsByVersion</key>\n"                           \
	"  <dict>\n"                                                                     \
	"    <key>1</key>\n"                                                             \
	"    <dict>\n"                                                                   \
	"      <key>MobileDeviceSoftwareVersions</key>\n"                                \
	"      <dict>\n"                                                                 \
	"        <key>" old_product "</key>\n"                                           \
	"        <dict>\n"                                                               \
	"          <key>Unknown</key><dict><key>Universal</key><dict><key>Restore</key>" \
	"<dict><key>BuildVersion</key><string>19A404</string></dict></dict></dict>\n"    \
	"          <key>19A404</key><dict><key>Restore</key><dict>"                      \
	"<key>BuildVersion</key><string>19A404</string>"                                 \
	"<key>ProductVersion</key><string>15.0.2</string>"                               \
	"<key>FirmwareURL</key><string>" URL_15_0_2 "</string>"                          \
	"<key>FirmwareSHA1</key><string>" SHA1_15_0_2 "</string></dict></dict>\n"        \
	"        </dict>\n"                                                              \
	"      </dict>\n"                                                                \
	"    </dict>\n"                                                                  \
	"    <key>10</key>\n"                                                            \
	"    <dict>\n"                                                                   \
	"      <key>MobileDeviceSoftwareVersions</key>\n"                                \
	"      <dict>\n"                                                                 \
	"        <key>iPad7,4</key><dict><key>Unknown</key><dict/></dict>\n"             \
	"      </dict>\n"                                                                \
	"    </dict>\n"                                                                  \
	"    <key>Version</key><string>not a major</string>\n"                           \
	"    <key>9</key>\n"                                                             \
	"    <dict>\n"                                                                   \
	"      <key>MobileDeviceSoftwareVersions</key>\n"                                \
	"      <dict>\n"
#define APPLE_PLIST_PRODUCT(product, build, version, sha1)                                         \
	"        <key>" product "</key>\n"                                                         \
	"        <dict>\n"                                                                         \
	"          <key>Unknown</key><dict><key>Universal</key><dict><key>Restore</key>"           \
	"<dict><key>BuildVersion</key><string>" build "-alias</string></dict></dict></dict>\n"     \
	"          <key>" build "-alias</key><dict><key>SameAs</key><string>" build                \
	"</string></dict>\n"                                                                       \
	"          <key>" build "</key><dict>\n"                                                   \
	"            <key>Restore</key><dict>\n"                                                   \
	"              <key>BuildVersion</key><string>" build "</string>\n"                        \
	"              <key>DocumentationURL</key>"                                                \
	"<string>http://appldnld.apple.com/iOS18/docs.tar</string>\n"                              \
	"              <key>FirmwareSHA1</key><string>" sha1 "</string>\n"                         \
	"              <key>FirmwareURL</key><string>https://updates.cdn-apple.com/apple/" product \
	"_" version "_" build "_Restore.ipsw</string>\n"                                           \
	"              <key>ProductVersion</key><string>" version "</string>\n"                    \
	"            </dict>\n"                                                                    \
	"            <key>OfferRestoreAsUpdate</key><true/>\n"                                     \
	"          </dict>\n"                                                                      \
	"        </dict>\n"
#define APPLE_PLIST_TAIL  \
	"      </dict>\n" \
	"    </dict>\n"   \
	"  </dict>\n"     \
	"</dict>\n"       \
	"</plist>\n"

static const gchar apple_plist[] =
    APPLE_PLIST_HEAD("iPhone14,2") APPLE_PLIST_PRODUCT("iPad7,4", "22H20", "18.10", SHA1_18_9)
	APPLE_PLIST_PRODUCT("iPhone14,2", "22H20", "18.10", SHA1_APPLE_18_10) APPLE_PLIST_TAIL;
static const gchar apple_plist_conflict[] = APPLE_PLIST_HEAD("iPhone14,2")
    APPLE_PLIST_PRODUCT("iPhone14,2", "22H5", "18.9", SHA1_APPLE_18_9) APPLE_PLIST_TAIL;
static const gchar apple_plist_no_product[] = APPLE_PLIST_HEAD("iPhone12,1")
    APPLE_PLIST_PRODUCT("iPad7,4", "22H20", "18.10", SHA1_18_9) APPLE_PLIST_TAIL;

typedef struct {
	UbFakeHttp *http;
	gchar *root; /* "http://127.0.0.1:<port>" */
	gchar *cache_dir;
	gchar *cache_path;	/* of iPhone14,2 */
	GBytes *fixture_device; /* iPhone12,1 built from the shared fixture */
	/* the answers, read on the server's thread */
	gboolean fail_500;
	gboolean fail_404;
} UbCatalogFixture;

static void
ub_catalog_fixture_respond(UbFakeHttpExchange *msg,
			   guint status,
			   const gchar *content_type,
			   const gchar *body,
			   gsize len)
{
	g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new(body, len) : NULL;

	ub_fake_http_respond(msg, status, content_type, bytes);
}

static void
ub_catalog_fixture_respond_json(UbFakeHttpExchange *msg, const gchar *body)
{
	ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "application/json", body, strlen(body));
}

/* a device answer around one firmware object, for the fault modes */
static gchar *
ub_catalog_device_with(const gchar *firmware)
{
	return g_strdup_printf("{\"identifier\": \"iPhone14,2\", \"name\": \"iPhone 13 Pro\", "
			       "\"firmwares\": [%s]}",
			       firmware);
}

#define GOOD_ENTRY_HEAD                                                                     \
	"{\"identifier\": \"iPhone14,2\", \"version\": \"18.10\", \"buildid\": \"22H20\", " \
	"\"url\": \"" URL_18_10 "\", \"signed\": true, "

static void
ub_catalog_fixture_device(UbCatalogFixture *fixture,
			  UbFakeHttpExchange *msg,
			  const gchar *mode,
			  const gchar *product_type)
{
	g_autofree gchar *body = NULL;

	if (g_strcmp0(mode, "fixture") == 0) {
		gsize len = 0;
		const gchar *data;

		if (fixture->fixture_device == NULL || g_strcmp0(product_type, "iPhone12,1") != 0) {
			ub_catalog_fixture_respond(msg, SOUP_STATUS_NOT_FOUND, NULL, NULL, 0);
			return;
		}
		data = g_bytes_get_data(fixture->fixture_device, &len);
		ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "application/json", data, len);
		return;
	}

	/* ipsw.me answers an unknown identifier with 404 */
	if (g_strcmp0(product_type, "iPhone14,2") != 0 || fixture->fail_404) {
		body = g_strdup("{\"message\": \"Not Found\"}");
		ub_catalog_fixture_respond(
		    msg, SOUP_STATUS_NOT_FOUND, "application/json", body, strlen(body));
		return;
	}
	if (fixture->fail_500) {
		ub_catalog_fixture_respond(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, NULL, 0);
		return;
	}

	if (g_strcmp0(mode, "ok") == 0 || g_strcmp0(mode, "apple-garbage") == 0 ||
	    g_strcmp0(mode, "apple-no-product") == 0 || g_strcmp0(mode, "apple-conflict") == 0 ||
	    g_strcmp0(mode, "apple-404") == 0 || g_strcmp0(mode, "apple-refused") == 0) {
		ub_catalog_fixture_respond_json(msg, device_iphone14_2);
		return;
	}
	if (g_strcmp0(mode, "not-json") == 0) {
		body = g_strdup("<html><body>Service Temporarily Unavailable</body></html>");
		ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "text/html", body, strlen(body));
		return;
	}
	if (g_strcmp0(mode, "array") == 0) {
		ub_catalog_fixture_respond_json(msg, "[{\"identifier\": \"iPhone14,2\"}]");
		return;
	}
	if (g_strcmp0(mode, "wrong-shape") == 0) {
		ub_catalog_fixture_respond_json(msg,
						"{\"identifier\": \"iPhone14,2\", "
						"\"firmwares\": {\"version\": \"18.10\"}}");
		return;
	}
	if (g_strcmp0(mode, "missing") == 0) {
		body = ub_catalog_device_with(
		    "{\"identifier\": \"iPhone14,2\", \"version\": \"18.10\", "
		    "\"url\": \"" URL_18_10 "\", \"filesize\": 8501234688, \"signed\": true}");
		ub_catalog_fixture_respond_json(msg, body);
		return;
	}
	if (g_strcmp0(mode, "huge") == 0) {
		body = ub_catalog_device_with(GOOD_ENTRY_HEAD "\"filesize\": 107374182400}");
		ub_catalog_fixture_respond_json(msg, body);
		return;
	}
	if (g_strcmp0(mode, "negative") == 0) {
		body = ub_catalog_device_with(GOOD_ENTRY_HEAD "\"filesize\": -1}");
		ub_catalog_fixture_respond_json(msg, body);
		return;
	}
	if (g_strcmp0(mode, "bad-hash") == 0) {
		body = ub_catalog_device_with(GOOD_ENTRY_HEAD "\"filesize\": 8501234688, "
							      "\"sha256sum\": \"not-hex\"}");
		ub_catalog_fixture_respond_json(msg, body);
		return;
	}
	if (g_strcmp0(mode, "mismatch") == 0) {
		ub_catalog_fixture_respond_json(
		    msg, "{\"identifier\": \"iPhone13,2\", \"firmwares\": []}");
		return;
	}
	if (g_strcmp0(mode, "empty") == 0) {
		ub_catalog_fixture_respond_json(
		    msg, "{\"identifier\": \"iPhone14,2\", \"firmwares\": []}");
		return;
	}
	if (g_strcmp0(mode, "big") == 0 || g_strcmp0(mode, "big-chunked") == 0) {
		gsize len = 17 * 1024 * 1024;
		g_autofree gchar *big = g_malloc(len);

		memset(big, ' ', len);
		big[0] = '{';
		big[len - 1] = '}';
		ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "application/json", big, len);
		/* no length up front: the limit must hold while reading */
		msg->chunked = g_strcmp0(mode, "big-chunked") == 0;
		return;
	}
	if (g_strcmp0(mode, "deep") == 0) {
		gsize len = 100000;
		g_autofree gchar *deep = g_malloc(len);

		memset(deep, '[', len);
		ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "application/json", deep, len);
		return;
	}
	ub_catalog_fixture_respond(msg, SOUP_STATUS_BAD_REQUEST, NULL, NULL, 0);
}

static void
ub_catalog_fixture_handler(UbFakeHttpExchange *msg, gpointer user_data)
{
	UbCatalogFixture *fixture = user_data;
	const gchar *path = msg->path;
	GHashTable *query = msg->query;
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	const gchar *mode;

	/* "/<mode>/v4/device/<product>" or "/<mode>/version.plist" */
	if (g_strv_length(parts) < 3) {
		ub_catalog_fixture_respond(msg, SOUP_STATUS_NOT_FOUND, NULL, NULL, 0);
		return;
	}
	mode = parts[1];

	if (g_strcmp0(mode, "redirect-away") == 0) {
		ub_fake_http_redirect(
		    msg, SOUP_STATUS_FOUND, "https://ipsw.example.net/v4/device/iPhone14,2");
		return;
	}
	if (g_strcmp0(mode, "redirect-ok") == 0) {
		ub_fake_http_redirect(
		    msg, SOUP_STATUS_MOVED_PERMANENTLY, "/ok/v4/device/iPhone14,2?type=ipsw");
		return;
	}
	if (g_strcmp0(mode, "redirect-loop") == 0) {
		ub_fake_http_redirect(msg, SOUP_STATUS_TEMPORARY_REDIRECT, path);
		return;
	}

	if (g_strv_length(parts) == 5 && g_strcmp0(parts[2], "v4") == 0 &&
	    g_strcmp0(parts[3], "device") == 0) {
		if (query == NULL || g_strcmp0(g_hash_table_lookup(query, "type"), "ipsw") != 0) {
			ub_catalog_fixture_respond(msg, SOUP_STATUS_BAD_REQUEST, NULL, NULL, 0);
			return;
		}
		ub_catalog_fixture_device(fixture, msg, mode, parts[4]);
		return;
	}
	if (g_strv_length(parts) == 3 && g_strcmp0(parts[2], "version.plist") == 0) {
		const gchar *body = apple_plist;

		if (g_strcmp0(mode, "apple-404") == 0) {
			ub_catalog_fixture_respond(msg, SOUP_STATUS_NOT_FOUND, NULL, NULL, 0);
			return;
		}
		if (g_strcmp0(mode, "apple-garbage") == 0)
			body = "<?xml version=\"1.0\"?><plist><dict><key>oops";
		else if (g_strcmp0(mode, "apple-no-product") == 0)
			body = apple_plist_no_product;
		else if (g_strcmp0(mode, "apple-conflict") == 0)
			body = apple_plist_conflict;
		ub_catalog_fixture_respond(msg, SOUP_STATUS_OK, "text/xml", body, strlen(body));
		return;
	}
	ub_catalog_fixture_respond(msg, SOUP_STATUS_NOT_FOUND, NULL, NULL, 0);
}

static void
ub_catalog_fixture_set_up(UbCatalogFixture *fixture, gconstpointer user_data)
{
	ub_host_policy_set_allow_loopback(TRUE);

	fixture->http = ub_fake_http_new();
	ub_fake_http_set_handler(fixture->http, ub_catalog_fixture_handler, fixture);
	fixture->root = g_strdup(ub_fake_http_get_base(fixture->http));

	/* the isolated per-test cache directory */
	fixture->cache_dir = g_build_filename(g_get_user_cache_dir(), "unbrick", "catalog", NULL);
	fixture->cache_path = g_build_filename(fixture->cache_dir, "iPhone14,2.json", NULL);
}

static void
ub_catalog_fixture_stop_server(UbCatalogFixture *fixture)
{
	g_clear_pointer(&fixture->http, ub_fake_http_free);
}

static void
ub_catalog_fixture_tear_down(UbCatalogFixture *fixture, gconstpointer user_data)
{
	ub_catalog_fixture_stop_server(fixture);
	/* let closed connections finish on both sides */
	ub_test_spin(10);
	g_free(fixture->root);
	g_free(fixture->cache_dir);
	g_free(fixture->cache_path);
	g_clear_pointer(&fixture->fixture_device, g_bytes_unref);
	ub_host_policy_set_allow_loopback(FALSE);
}

static UbFirmwareCatalog *
ub_catalog_fixture_new_catalog(UbCatalogFixture *fixture, const gchar *mode)
{
	g_autofree gchar *base = g_strdup_printf("%s/%s/v4", fixture->root, mode);
	g_autofree gchar *apple = g_strdup_printf("%s/%s/version.plist", fixture->root, mode);

	return ub_firmware_catalog_new(base, apple, fixture->cache_dir);
}

typedef struct {
	GAsyncResult *result;
	gboolean done;
} UbCatalogWait;

static void
ub_catalog_async_result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	UbCatalogWait *wait = user_data;
	wait->result = g_object_ref(res);
	wait->done = TRUE;
}

static GPtrArray *
ub_catalog_list_sync(UbFirmwareCatalog *catalog,
		     const gchar *product_type,
		     GCancellable *cancellable,
		     gboolean *is_cached,
		     GDateTime **fetched_at,
		     GError **error)
{
	UbCatalogWait wait = {NULL, FALSE};
	GPtrArray *firmwares;

	ub_firmware_catalog_list_async(
	    catalog, product_type, cancellable, ub_catalog_async_result_cb, &wait);
	g_assert_true(ub_test_wait_until(&wait.done, 20000));
	firmwares =
	    ub_firmware_catalog_list_finish(catalog, wait.result, is_cached, fetched_at, error);
	g_object_unref(wait.result);
	return firmwares;
}

static GBytes *
ub_catalog_bytes(const gchar *text)
{
	return g_bytes_new_static(text, strlen(text));
}

static GPtrArray *
ub_catalog_parse(const gchar *text, GError **error)
{
	g_autoptr(GBytes) bytes = ub_catalog_bytes(text);
	return ub_firmware_catalog_parse_ipswme(bytes, "iPhone14,2", error);
}

static UbFirmware *
ub_catalog_find_build(GPtrArray *firmwares, const gchar *build)
{
	for (guint i = 0; i < firmwares->len; i++) {
		UbFirmware *firmware = g_ptr_array_index(firmwares, i);
		if (g_strcmp0(ub_firmware_get_build(firmware), build) == 0)
			return firmware;
	}
	return NULL;
}

/* pure parsing: ipsw.me */

static void
ub_firmware_catalog_parse_good_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = ub_catalog_parse(device_iphone14_2, &error);
	UbFirmware *firmware;
	GDateTime *release_date;

	g_assert_no_error(error);
	g_assert_nonnull(firmwares);

	/* another device's entry, a non-Apple URL and http without a hash are gone */
	g_assert_cmpuint(firmwares->len, ==, 4);
	g_assert_null(ub_catalog_find_build(firmwares, "22H30"));
	g_assert_null(ub_catalog_find_build(firmwares, "22H40"));
	g_assert_null(ub_catalog_find_build(firmwares, "22H50"));

	firmware = ub_catalog_find_build(firmwares, "22H5");
	g_assert_nonnull(firmware);
	g_assert_cmpstr(ub_firmware_get_product_type(firmware), ==, "iPhone14,2");
	g_assert_cmpstr(ub_firmware_get_version(firmware), ==, "18.9");
	g_assert_cmpstr(ub_firmware_get_url(firmware), ==, URL_18_9);
	g_assert_cmpuint(ub_firmware_get_size(firmware), ==, 8474521600);
	g_assert_cmpstr(ub_firmware_get_sha256(firmware), ==, SHA256_18_9);
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_18_9);
	g_assert_true(ub_firmware_get_signed(firmware));
	release_date = ub_firmware_get_release_date(firmware);
	g_assert_nonnull(release_date);
	g_assert_cmpint(g_date_time_get_year(release_date), ==, 2026);
	g_assert_cmpint(g_date_time_get_month(release_date), ==, 1);
	g_assert_cmpint(g_date_time_get_day_of_month(release_date), ==, 26);

	/* empty hashes are no hashes */
	firmware = ub_catalog_find_build(firmwares, "19A404");
	g_assert_nonnull(firmware);
	g_assert_null(ub_firmware_get_sha256(firmware));
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_15_0_2);

	/* plain http kept because a hash will check it */
	firmware = ub_catalog_find_build(firmwares, "22G100");
	g_assert_nonnull(firmware);
	g_assert_cmpstr(ub_firmware_get_url(firmware), ==, URL_18_6_2);
}

static void
ub_firmware_catalog_parse_unsigned_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = ub_catalog_parse(device_iphone14_2, &error);

	g_assert_no_error(error);
	g_assert_false(ub_firmware_get_signed(ub_catalog_find_build(firmwares, "19A404")));
	g_assert_false(ub_firmware_get_signed(ub_catalog_find_build(firmwares, "22G100")));
	g_assert_true(ub_firmware_get_signed(ub_catalog_find_build(firmwares, "22H20")));
}

static void
ub_firmware_catalog_parse_not_json_func(void)
{
	const gchar *bodies[] = {
	    "<html><body>502 Bad Gateway</body></html>",
	    "",
	    "{\"identifier\": \"iPhone14,2\", \"firmwares\": [",
	    "\xff\xfe{}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = ub_catalog_parse(bodies[i], &error);

		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_null(firmwares);
	}
}

static void
ub_firmware_catalog_parse_wrong_shape_func(void)
{
	struct {
		const gchar *body;
		const gchar *message;
	} cases[] = {
	    {"[]", "not a JSON object"},
	    {"[{\"identifier\": \"iPhone14,2\", \"firmwares\": []}]", "not a JSON object"},
	    {"\"iPhone14,2\"", "not a JSON object"},
	    {"{\"identifier\": 142, \"firmwares\": []}", "\"identifier\" is not a string"},
	    {"{\"firmwares\": []}", "\"identifier\" is missing"},
	    {"{\"identifier\": \"iPhone14,2\"}", "\"firmwares\" is missing"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": {}}", "\"firmwares\" is not a list"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": \"none\"}",
	     "\"firmwares\" is not a list"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [\"18.10\"]}",
	     "firmware 0 is not an object"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [" GOOD_ENTRY_HEAD
	     "\"filesize\": 1}, [1]]}",
	     "firmware 1 is not an object"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [{\"identifier\": \"iPhone14,2\", "
	     "\"version\": 18.1, \"buildid\": \"22H20\", \"url\": \"" URL_18_10 "\", "
	     "\"filesize\": 1}]}",
	     "firmware 0: \"version\" is not a string"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [" GOOD_ENTRY_HEAD
	     "\"filesize\": \"8501234688\"}]}",
	     "firmware 0: \"filesize\" is not a whole number"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [{\"identifier\": \"iPhone14,2\", "
	     "\"version\": \"18.10\", \"buildid\": \"22H20\", \"url\": \"" URL_18_10 "\", "
	     "\"filesize\": 1, \"signed\": \"yes\"}]}",
	     "firmware 0: \"signed\" is not true or false"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [" GOOD_ENTRY_HEAD
	     "\"filesize\": 1, \"sha1sum\": 12}]}",
	     "firmware 0: \"sha1sum\" is not a string"},
	    {"{\"identifier\": \"iPhone14,2\", \"firmwares\": [" GOOD_ENTRY_HEAD
	     "\"filesize\": 1, \"releasedate\": {}}]}",
	     "firmware 0: \"releasedate\" is not a string"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = ub_catalog_parse(cases[i].body, &error);

		g_test_message("%s", cases[i].body);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_null(firmwares);
	}
}

static void
ub_firmware_catalog_parse_missing_func(void)
{
	const gchar *fields[] = {"version", "buildid", "url", "filesize"};

	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(JsonGenerator) generator = json_generator_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		g_autofree gchar *text = NULL;
		g_autofree gchar *expected = NULL;
		JsonArray *array;
		gboolean ret;

		/* the third entry loses one required field */
		ret = json_parser_load_from_data(parser, device_iphone14_2, -1, &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		array = json_object_get_array_member(
		    json_node_get_object(json_parser_get_root(parser)), "firmwares");
		json_object_remove_member(json_array_get_object_element(array, 2), fields[i]);
		json_generator_set_root(generator, json_parser_get_root(parser));
		text = json_generator_to_data(generator, NULL);

		firmwares = ub_catalog_parse(text, &error);
		expected = g_strdup_printf("firmware 2: \"%s\" is missing", fields[i]);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_cmpstr(error->message, ==, expected);
		g_assert_null(firmwares);
	}

	/* present but empty is as bad as missing */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = ub_catalog_parse(
		    "{\"identifier\": \"iPhone14,2\", \"firmwares\": [{\"identifier\": "
		    "\"iPhone14,2\", \"version\": \"18.10\", \"buildid\": \"\", \"url\": "
		    "\"" URL_18_10 "\", \"filesize\": 1}]}",
		    &error);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_cmpstr(error->message, ==, "firmware 0: \"buildid\" is empty");
		g_assert_null(firmwares);
	}
}

static void
ub_firmware_catalog_parse_filesize_func(void)
{
	struct {
		const gchar *filesize;
		const gchar *message; /* NULL: accepted */
	} cases[] = {
	    {"8501234688", NULL},
	    {"0", NULL},
	    {"68719476736", NULL}, /* exactly 64 GiB */
	    {"68719476737", "huge"},
	    {"107374182400", "huge"},
	    {"9223372036854775807", "huge"},
	    {"-1", "negative"},
	    {"-8501234688", "negative"},
	    {"8501234688.5", "not a whole number"},
	    {"8.5e9", "not a whole number"},
	    {"true", "not a whole number"},
	    {"null", "missing"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		g_autofree gchar *entry =
		    g_strdup_printf(GOOD_ENTRY_HEAD "\"filesize\": %s}", cases[i].filesize);
		g_autofree gchar *body = ub_catalog_device_with(entry);

		g_test_message("filesize %s", cases[i].filesize);
		firmwares = ub_catalog_parse(body, &error);
		if (cases[i].message == NULL) {
			g_assert_no_error(error);
			g_assert_cmpuint(firmwares->len, ==, 1);
			g_assert_cmpuint(ub_firmware_get_size(g_ptr_array_index(firmwares, 0)),
					 ==,
					 g_ascii_strtoull(cases[i].filesize, NULL, 10));
			continue;
		}
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "firmware 0: \"filesize\""));
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_null(firmwares);
	}
}

static void
ub_firmware_catalog_parse_bad_hash_func(void)
{
	struct {
		const gchar *hashes;
		const gchar *message; /* NULL: accepted */
	} cases[] = {
	    {"\"sha256sum\": \"" SHA256_18_10 "\"", NULL},
	    {"\"sha256sum\": \"11B06C96723B7EA15032FF5A485D70C3F9D969D7F5409364CEDFAE24321FB8A8\"",
	     NULL},
	    {"\"sha256sum\": \"\", \"sha1sum\": \"\"", NULL},
	    {"\"sha256sum\": null", NULL},
	    {"\"sha256sum\": \"not-hex\"", "\"sha256sum\" is not 64 hexadecimal digits"},
	    {"\"sha256sum\": \"" SHA1_18_9 "\"", "\"sha256sum\" is not 64 hexadecimal digits"},
	    {"\"sha256sum\": \"" SHA256_18_10 "00\"", "\"sha256sum\" is not 64 hexadecimal digits"},
	    {"\"sha256sum\": "
	     "\"zzb06c96723b7ea15032ff5a485d70c3f9d969d7f5409364cedfae24321fb8a8\"",
	     "\"sha256sum\" is not 64 hexadecimal digits"},
	    {"\"sha1sum\": \"abc123\"", "\"sha1sum\" is not 40 hexadecimal digits"},
	    {"\"sha1sum\": \"" SHA256_18_10 "\"", "\"sha1sum\" is not 40 hexadecimal digits"},
	    {"\"sha1sum\": \" bb2bee25fc61e0763b552002cfb973ccb6c2c89\"",
	     "\"sha1sum\" is not 40 hexadecimal digits"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		g_autofree gchar *entry =
		    g_strdup_printf(GOOD_ENTRY_HEAD "\"filesize\": 1, %s}", cases[i].hashes);
		g_autofree gchar *body = ub_catalog_device_with(entry);

		g_test_message("%s", cases[i].hashes);
		firmwares = ub_catalog_parse(body, &error);
		if (cases[i].message == NULL) {
			const gchar *sha256;

			g_assert_no_error(error);
			g_assert_cmpuint(firmwares->len, ==, 1);
			/* kept lowercase, so comparisons with computed digests work */
			sha256 = ub_firmware_get_sha256(g_ptr_array_index(firmwares, 0));
			if (sha256 != NULL)
				g_assert_cmpstr(sha256, ==, SHA256_18_10);
			continue;
		}
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_null(firmwares);
	}
}

static void
ub_firmware_catalog_parse_unknown_device_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = ub_catalog_bytes(device_iphone14_2);
	g_autoptr(GPtrArray) firmwares =
	    ub_firmware_catalog_parse_ipswme(bytes, "iPhone14,3", &error);

	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_cmpstr(
	    error->message, ==, "the catalog answered for iPhone14,2 instead of iPhone14,3");
	g_assert_null(firmwares);
}

static void
ub_firmware_catalog_parse_empty_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_refused = NULL;
	g_autoptr(GPtrArray) firmwares =
	    ub_catalog_parse("{\"identifier\": \"iPhone14,2\", \"firmwares\": []}", &error);
	g_autoptr(GPtrArray) firmwares_refused = NULL;

	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "no firmware listed for iPhone14,2");
	g_assert_null(firmwares);

	/* nothing left once refused hosts are dropped is the same answer */
	firmwares_refused =
	    ub_catalog_parse("{\"identifier\": \"iPhone14,2\", \"firmwares\": [{\"identifier\": "
			     "\"iPhone14,2\", \"version\": \"18.10\", \"buildid\": \"22H20\", "
			     "\"url\": \"https://evilapple.com/x.ipsw\", \"filesize\": 1, "
			     "\"sha1sum\": \"" SHA1_18_9 "\"}]}",
			     &error_refused);
	g_assert_error(error_refused, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(firmwares_refused);
}

static void
ub_firmware_catalog_parse_deep_func(void)
{
	gsize len = 1024 * 1024;
	g_autofree gchar *deep = g_malloc(len + 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;

	memset(deep, '[', len);
	deep[len] = '\0';
	firmwares = ub_catalog_parse(deep, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(firmwares);
}

/* real ipsw.me objects: one iOS 15.0.2 entry each for a dozen devices */
static void
ub_firmware_catalog_parse_fixture_func(void)
{
	g_autofree gchar *path =
	    ub_test_data_path("ipswme", "v4_ipsw_version_15.0.2_truncated.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonArray *array;
	gboolean ret;

	ret = json_parser_load_from_file(parser, path, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	array = json_node_get_array(json_parser_get_root(parser));
	g_assert_cmpuint(json_array_get_length(array), >, 0);

	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *obj = json_array_get_object_element(array, i);
		const gchar *identifier = json_object_get_string_member(obj, "identifier");
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonGenerator) generator = json_generator_new();
		g_autoptr(JsonNode) root = NULL;
		g_autoptr(GBytes) bytes = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		g_autofree gchar *text = NULL;
		gsize len = 0;
		UbFirmware *firmware;

		/* the device endpoint's shape around the whole list: only this
		 * identifier's entries survive */
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "identifier");
		json_builder_add_string_value(builder, identifier);
		json_builder_set_member_name(builder, "firmwares");
		json_builder_add_value(builder, json_node_copy(json_parser_get_root(parser)));
		json_builder_end_object(builder);
		root = json_builder_get_root(builder);
		json_generator_set_root(generator, root);
		text = json_generator_to_data(generator, &len);
		bytes = g_bytes_new_take(g_steal_pointer(&text), len);

		firmwares = ub_firmware_catalog_parse_ipswme(bytes, identifier, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(firmwares->len, >=, 1);
		firmware = g_ptr_array_index(firmwares, 0);
		g_assert_cmpstr(ub_firmware_get_product_type(firmware), ==, identifier);
		g_assert_cmpstr(ub_firmware_get_version(firmware), ==, "15.0.2");
		g_assert_cmpstr(ub_firmware_get_build(firmware), ==, "19A404");
		g_assert_cmpstr(
		    ub_firmware_get_url(firmware), ==, json_object_get_string_member(obj, "url"));
		g_assert_cmpuint(ub_firmware_get_size(firmware),
				 ==,
				 (guint64)json_object_get_int_member(obj, "filesize"));
		g_assert_cmpstr(ub_firmware_get_sha1(firmware),
				==,
				json_object_get_string_member(obj, "sha1sum"));
		g_assert_cmpstr(ub_firmware_get_sha256(firmware),
				==,
				json_object_get_string_member(obj, "sha256sum"));
		g_assert_true(ub_firmware_get_signed(firmware));
		g_assert_nonnull(ub_firmware_get_release_date(firmware));
	}
}

/* pure parsing: Apple */

static void
ub_firmware_catalog_parse_apple_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = ub_catalog_bytes(apple_plist);
	g_autoptr(UbFirmware) firmware =
	    ub_firmware_catalog_parse_apple(bytes, "iPhone14,2", &error);

	/* major 9 beats 1; 10 does not list the product; SameAs followed */
	g_assert_no_error(error);
	g_assert_nonnull(firmware);
	g_assert_cmpstr(ub_firmware_get_product_type(firmware), ==, "iPhone14,2");
	g_assert_cmpstr(ub_firmware_get_build(firmware), ==, "22H20");
	g_assert_cmpstr(ub_firmware_get_version(firmware), ==, "18.10");
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_APPLE_18_10);
	g_assert_cmpstr(ub_firmware_get_url(firmware),
			==,
			"https://updates.cdn-apple.com/apple/iPhone14,2_18.10_22H20_Restore.ipsw");
	g_assert_null(ub_firmware_get_sha256(firmware));
}

static void
ub_firmware_catalog_parse_apple_binary_func(void)
{
	plist_t root = NULL;
	gchar *bin = NULL;
	uint32_t bin_len = 0;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbFirmware) firmware = NULL;

	plist_from_xml(apple_plist, (uint32_t)strlen(apple_plist), &root);
	g_assert_nonnull(root);
	plist_to_bin(root, &bin, &bin_len);
	plist_free(root);
	g_assert_nonnull(bin);
	bytes = g_bytes_new(bin, bin_len);
	free(bin);

	firmware = ub_firmware_catalog_parse_apple(bytes, "iPhone14,2", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ub_firmware_get_build(firmware), ==, "22H20");
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_APPLE_18_10);
}

static void
ub_firmware_catalog_parse_apple_garbage_func(void)
{
	const gchar *bodies[] = {
	    "",
	    "garbage",
	    "<?xml version=\"1.0\"?><plist><dict><key>oops",
	    "bplist00\x01\x02\x03",
	    "<?xml version=\"1.0\"?><plist><array><string>x</string></array></plist>",
	    "<?xml version=\"1.0\"?><plist><dict><key>Other</key><dict/></dict></plist>",
	    "<?xml version=\"1.0\"?><plist><dict><key>MobileDeviceSoftwareVersionsByVersion</key>"
	    "<string>9</string></dict></plist>",
	    /* the current build has a SHA-1 that is not one */
	    APPLE_PLIST_HEAD("iPhone14,2")
		APPLE_PLIST_PRODUCT("iPhone14,2", "22H20", "18.10", "abc123") APPLE_PLIST_TAIL,
	};

	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(GBytes) bytes = ub_catalog_bytes(bodies[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(UbFirmware) firmware =
		    ub_firmware_catalog_parse_apple(bytes, "iPhone14,2", &error);

		g_test_message("case %u: %s", i, error != NULL ? error->message : "parsed");
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_null(firmware);
	}
}

static void
ub_firmware_catalog_parse_apple_no_product_func(void)
{
	g_autoptr(GBytes) bytes = ub_catalog_bytes(apple_plist_no_product);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbFirmware) firmware =
	    ub_firmware_catalog_parse_apple(bytes, "iPhone14,2", &error);

	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "Apple's catalog does not list iPhone14,2");
	g_assert_null(firmware);
}

/* over the network, to a loopback server */

static void
ub_firmware_catalog_list_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GDateTime) fetched_at = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *user_agent = g_strdup_printf("Unbrick/%s", PACKAGE_VERSION);
	g_autofree gchar *sent_agent = NULL;
	gboolean is_cached = TRUE;
	const gchar *expected_order[] = {"18.10", "18.9", "18.6.2", "15.0.2"};
	UbFirmware *firmware;

	firmwares =
	    ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, &fetched_at, &error);
	g_assert_no_error(error);
	g_assert_nonnull(firmwares);
	g_assert_false(is_cached);
	g_assert_nonnull(fetched_at);
	g_assert_cmpint(g_date_time_difference(now, fetched_at), <, 2 * G_TIME_SPAN_SECOND);
	g_assert_cmpint(g_date_time_difference(fetched_at, now), <, 2 * G_TIME_SPAN_SECOND);
	sent_agent = ub_fake_http_dup_last_header(fixture->http, "User-Agent");
	g_assert_cmpstr(sent_agent, ==, user_agent);
	g_assert_cmpuint(ub_fake_http_get_requests(fixture->http, NULL), ==, 2);

	/* newest first, by numbers: 18.10 before 18.9 */
	g_assert_cmpuint(firmwares->len, ==, G_N_ELEMENTS(expected_order));
	for (guint i = 0; i < firmwares->len; i++) {
		firmware = g_ptr_array_index(firmwares, i);
		g_assert_cmpstr(ub_firmware_get_version(firmware), ==, expected_order[i]);
	}

	/* Apple's SHA-1 filled in where ipsw.me had none; the rest untouched */
	firmware = g_ptr_array_index(firmwares, 0);
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_APPLE_18_10);
	g_assert_cmpstr(ub_firmware_get_sha256(firmware), ==, SHA256_18_10);
	g_assert_cmpstr(ub_firmware_get_url(firmware), ==, URL_18_10);
	g_assert_cmpuint(ub_firmware_get_size(firmware), ==, 8501234688);
	g_assert_true(ub_firmware_get_signed(firmware));
	g_assert_nonnull(ub_firmware_get_release_date(firmware));
	firmware = g_ptr_array_index(firmwares, 1);
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_18_9);

	/* unsigned builds stay listed */
	g_assert_false(ub_firmware_get_signed(g_ptr_array_index(firmwares, 2)));
	g_assert_false(ub_firmware_get_signed(g_ptr_array_index(firmwares, 3)));

	g_assert_true(g_file_test(fixture->cache_path, G_FILE_TEST_IS_REGULAR));
}

/* the cache keeps the raw answer and the time it was fetched */
static void
ub_firmware_catalog_list_cache_file_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GDateTime) fetched_at = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root;
	gboolean ret;

	firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, &fetched_at, &error);
	g_assert_no_error(error);

	ret = json_parser_load_from_file(parser, fixture->cache_path, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpint(
	    json_object_get_int_member(root, "fetched"), ==, g_date_time_to_unix(fetched_at));
	g_assert_cmpstr(json_object_get_string_member(root, "body"), ==, device_iphone14_2);
}

static void
ub_firmware_catalog_list_offline_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) online = NULL;
	g_autoptr(GPtrArray) offline = NULL;
	g_autoptr(GDateTime) fetched_online = NULL;
	g_autoptr(GDateTime) fetched_offline = NULL;
	gboolean is_cached = TRUE;

	online =
	    ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, &fetched_online, &error);
	g_assert_no_error(error);
	g_assert_false(is_cached);

	/* the network goes away */
	ub_catalog_fixture_stop_server(fixture);

	offline =
	    ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, &fetched_offline, &error);
	g_assert_no_error(error);
	g_assert_true(is_cached);
	g_assert_nonnull(fetched_offline);
	g_assert_true(g_date_time_equal(fetched_online, fetched_offline));

	/* the same list, Apple's SHA-1 included */
	g_assert_cmpuint(offline->len, ==, online->len);
	for (guint i = 0; i < online->len; i++) {
		UbFirmware *a = g_ptr_array_index(online, i);
		UbFirmware *b = g_ptr_array_index(offline, i);

		g_assert_cmpstr(ub_firmware_get_build(a), ==, ub_firmware_get_build(b));
		g_assert_cmpstr(ub_firmware_get_url(a), ==, ub_firmware_get_url(b));
		g_assert_cmpstr(ub_firmware_get_sha1(a), ==, ub_firmware_get_sha1(b));
		g_assert_cmpstr(ub_firmware_get_sha256(a), ==, ub_firmware_get_sha256(b));
		g_assert_cmpuint(ub_firmware_get_size(a), ==, ub_firmware_get_size(b));
		g_assert_cmpint(ub_firmware_get_signed(a), ==, ub_firmware_get_signed(b));
	}
	g_assert_cmpstr(ub_firmware_get_sha1(g_ptr_array_index(offline, 0)), ==, SHA1_APPLE_18_10);
}

static void
ub_firmware_catalog_list_offline_no_cache_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GDateTime) fetched_at = NULL;
	gboolean is_cached = TRUE;

	ub_catalog_fixture_stop_server(fixture);
	firmwares =
	    ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, &fetched_at, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_assert_true(g_str_has_prefix(error->message, "failed to fetch the firmware list: "));
	g_assert_null(firmwares);
	g_assert_false(is_cached);
	g_assert_null(fetched_at);
	g_assert_false(g_file_test(fixture->cache_path, G_FILE_TEST_EXISTS));
}

/* a server error is no answer: the last good list stands in */
static void
ub_firmware_catalog_list_server_error_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_404 = NULL;
	g_autoptr(GPtrArray) online = NULL;
	g_autoptr(GPtrArray) cached = NULL;
	g_autoptr(GPtrArray) not_found = NULL;
	gboolean is_cached = FALSE;

	online = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, NULL, &error);
	g_assert_no_error(error);

	ub_fake_http_lock(fixture->http);
	fixture->fail_500 = TRUE;
	ub_fake_http_unlock(fixture->http);
	cached = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(is_cached);
	g_assert_cmpuint(cached->len, ==, online->len);

	/* but a 404 is an answer, not an outage */
	ub_fake_http_lock(fixture->http);
	fixture->fail_404 = TRUE;
	ub_fake_http_unlock(fixture->http);
	not_found = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, NULL, &error_404);
	g_assert_error(error_404, UB_ERROR, UB_ERROR_NOT_FOUND);
	g_assert_null(not_found);
	g_assert_false(is_cached);
}

typedef struct {
	const gchar *mode;
	const gchar *product_type;
	gint code;
	const gchar *message;
} UbCatalogFaultCase;

static const UbCatalogFaultCase fault_cases[] = {
    {"not-json", "iPhone14,2", UB_ERROR_INVALID_DATA, "not JSON"},
    {"array", "iPhone14,2", UB_ERROR_INVALID_DATA, "not a JSON object"},
    {"wrong-shape", "iPhone14,2", UB_ERROR_INVALID_DATA, "\"firmwares\" is not a list"},
    {"missing", "iPhone14,2", UB_ERROR_INVALID_DATA, "firmware 0: \"buildid\" is missing"},
    {"huge", "iPhone14,2", UB_ERROR_INVALID_DATA, "firmware 0: \"filesize\" is huge"},
    {"negative", "iPhone14,2", UB_ERROR_INVALID_DATA, "firmware 0: \"filesize\" is negative"},
    {"bad-hash", "iPhone14,2", UB_ERROR_INVALID_DATA, "\"sha256sum\" is not 64 hexadecimal"},
    {"ok", "iPhone99,1", UB_ERROR_NOT_FOUND, "ipsw.me does not know iPhone99,1"},
    {"mismatch", "iPhone14,2", UB_ERROR_NOT_FOUND, "answered for iPhone13,2 instead of"},
    {"empty", "iPhone14,2", UB_ERROR_NOT_FOUND, "no firmware listed for iPhone14,2"},
    {"big", "iPhone14,2", UB_ERROR_INVALID_DATA, "too big"},
    {"big-chunked", "iPhone14,2", UB_ERROR_INVALID_DATA, "too big"},
    {"deep", "iPhone14,2", UB_ERROR_INVALID_DATA, "nested too deeply"},
    {"redirect-away", "iPhone14,2", UB_ERROR_PERMISSION_DENIED, "ipsw.example.net"},
    {"redirect-loop", "iPhone14,2", UB_ERROR_FAILED, "redirected too many times"},
    {"ok", "../../etc/passwd", UB_ERROR_INVALID_DATA, "is not a device model"},
    {"ok", "", UB_ERROR_INVALID_DATA, "is not a device model"},
};

/* each fault: a clear error, no crash, nothing cached */
static void
ub_firmware_catalog_list_faults_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	for (guint i = 0; i < G_N_ELEMENTS(fault_cases); i++) {
		const UbCatalogFaultCase *fault = &fault_cases[i];
		g_autoptr(UbFirmwareCatalog) catalog =
		    ub_catalog_fixture_new_catalog(fixture, fault->mode);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		g_autoptr(GDateTime) fetched_at = NULL;
		gboolean is_cached = TRUE;

		firmwares = ub_catalog_list_sync(
		    catalog, fault->product_type, NULL, &is_cached, &fetched_at, &error);
		g_test_message("%s %s: %s",
			       fault->mode,
			       fault->product_type,
			       error != NULL ? error->message : "no error");
		g_assert_error(error, UB_ERROR, fault->code);
		g_assert_nonnull(strstr(error->message, fault->message));
		g_assert_null(firmwares);
		g_assert_false(is_cached);
		g_assert_null(fetched_at);
		g_assert_false(g_file_test(fixture->cache_dir, G_FILE_TEST_EXISTS));
	}
}

/* a bad answer after a good one is reported, not hidden behind the cache */
static void
ub_firmware_catalog_list_bad_after_good_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) good = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(UbFirmwareCatalog) bad = ub_catalog_fixture_new_catalog(fixture, "not-json");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GPtrArray) firmwares_bad = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	gboolean is_cached = TRUE;
	gboolean ret;

	firmwares = ub_catalog_list_sync(good, "iPhone14,2", NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	ret = g_file_get_contents(fixture->cache_path, &before, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	firmwares_bad = ub_catalog_list_sync(bad, "iPhone14,2", NULL, &is_cached, NULL, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_assert_null(firmwares_bad);
	g_assert_false(is_cached);

	/* and the cache still holds the good answer */
	ret = g_file_get_contents(fixture->cache_path, &after, NULL, NULL);
	g_assert_true(ret);
	g_assert_cmpstr(before, ==, after);
}

static void
ub_firmware_catalog_list_redirect_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog =
	    ub_catalog_fixture_new_catalog(fixture, "redirect-ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;

	firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(firmwares->len, ==, 4);
}

/* the Apple plist failing in any way leaves ipsw.me's list as it is */
static void
ub_firmware_catalog_list_apple_fails_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	const gchar *modes[] = {"apple-garbage", "apple-no-product", "apple-404"};

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autoptr(UbFirmwareCatalog) catalog =
		    ub_catalog_fixture_new_catalog(fixture, modes[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;
		gboolean is_cached = TRUE;
		UbFirmware *firmware;

		g_test_message("%s", modes[i]);
		firmwares =
		    ub_catalog_list_sync(catalog, "iPhone14,2", NULL, &is_cached, NULL, &error);
		g_assert_no_error(error);
		g_assert_false(is_cached);
		g_assert_cmpuint(firmwares->len, ==, 4);
		firmware = g_ptr_array_index(firmwares, 0);
		g_assert_cmpstr(ub_firmware_get_build(firmware), ==, "22H20");
		g_assert_null(ub_firmware_get_sha1(firmware));
		g_assert_cmpstr(ub_firmware_get_sha256(firmware), ==, SHA256_18_10);
	}

	/* an Apple catalog address the policy refuses is skipped the same way */
	{
		g_autofree gchar *base = g_strdup_printf("%s/ok/v4", fixture->root);
		g_autoptr(UbFirmwareCatalog) catalog =
		    ub_firmware_catalog_new(base, "https://example.com/version", NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) firmwares = NULL;

		firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, NULL, &error);
		g_assert_no_error(error);
		g_assert_null(ub_firmware_get_sha1(g_ptr_array_index(firmwares, 0)));
	}
}

/* when the two disagree Apple wins, and that is worth a warning */
static void
ub_firmware_catalog_list_apple_conflict_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog =
	    ub_catalog_fixture_new_catalog(fixture, "apple-conflict");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	UbFirmware *firmware;

	g_test_expect_message("ub-firmware-catalog",
			      G_LOG_LEVEL_WARNING,
			      "ipsw.me and Apple disagree on the SHA-1 of iPhone14,2 18.9 (22H5)*");
	firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, NULL, &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);

	firmware = ub_catalog_find_build(firmwares, "22H5");
	g_assert_nonnull(firmware);
	g_assert_cmpstr(ub_firmware_get_sha1(firmware), ==, SHA1_APPLE_18_9);
	/* ipsw.me's other hash for that build is not trusted either */
	g_assert_null(ub_firmware_get_sha256(firmware));
	g_assert_cmpstr(ub_firmware_get_url(firmware),
			==,
			"https://updates.cdn-apple.com/apple/iPhone14,2_18.9_22H5_Restore.ipsw");

	/* the other builds keep ipsw.me's data */
	firmware = ub_catalog_find_build(firmwares, "22H20");
	g_assert_null(ub_firmware_get_sha1(firmware));
	g_assert_cmpstr(ub_firmware_get_sha256(firmware), ==, SHA256_18_10);
}

/* the real ipsw.me objects served as a device answer */
static void
ub_firmware_catalog_list_fixture_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *path =
	    ub_test_data_path("ipswme", "v4_ipsw_version_15.0.2_truncated.json", NULL);
	g_autoptr(UbFirmwareCatalog) catalog = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *device = NULL;
	gsize device_len;
	UbFirmware *firmware;
	gboolean ret;

	ret = g_file_get_contents(path, &contents, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	/* the device endpoint's shape around the real firmware objects; all
	 * but the iPhone 11's are for other devices and must be skipped */
	device = g_strdup_printf("{\"name\": \"iPhone 11\", \"identifier\": \"iPhone12,1\", "
				 "\"boardconfig\": \"N104AP\", \"platform\": \"t8030\", "
				 "\"cpid\": 32816, \"bdid\": 4, \"firmwares\": %s}",
				 contents);
	device_len = strlen(device);
	fixture->fixture_device = g_bytes_new_take(g_steal_pointer(&device), device_len);

	catalog = ub_catalog_fixture_new_catalog(fixture, "fixture");
	firmwares = ub_catalog_list_sync(catalog, "iPhone12,1", NULL, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(firmwares->len, ==, 1);
	firmware = g_ptr_array_index(firmwares, 0);
	g_assert_cmpstr(ub_firmware_get_build(firmware), ==, "19A404");
	g_assert_cmpstr(
	    ub_firmware_get_sha1(firmware), ==, "118f78109b1f6956b8113fa6d47505bb94816bad");
	g_assert_cmpuint(ub_firmware_get_size(firmware), ==, 6954571244);
	g_assert_true(ub_firmware_get_signed(firmware));
}

static void
ub_firmware_catalog_list_cancel_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;

	g_cancellable_cancel(cancellable);
	firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", cancellable, NULL, NULL, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(firmwares);
	g_assert_false(g_file_test(fixture->cache_path, G_FILE_TEST_EXISTS));
}

/* outside test mode the loopback server is refused before any request */
static void
ub_firmware_catalog_list_policy_func(UbCatalogFixture *fixture, gconstpointer user_data)
{
	g_autoptr(UbFirmwareCatalog) catalog = ub_catalog_fixture_new_catalog(fixture, "ok");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) firmwares = NULL;

	ub_host_policy_set_allow_loopback(FALSE);
	firmwares = ub_catalog_list_sync(catalog, "iPhone14,2", NULL, NULL, NULL, &error);
	g_assert_error(error, UB_ERROR, UB_ERROR_PERMISSION_DENIED);
	g_assert_null(firmwares);
	g_assert_cmpuint(ub_fake_http_get_requests(fixture->http, NULL), ==, 0);
	g_assert_false(g_file_test(fixture->cache_path, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	/* the isolated XDG dirs hide the system GSettings schemas, and GNOME's
	 * proxy resolver aborts without its schema: connect directly */
	g_setenv("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
	ub_test_init(&argc, &argv);

	/* loopback is switched on per test, never by the environment */
	g_unsetenv("UNBRICK_ALLOW_LOOPBACK");

	g_test_add_func("/unbrick/firmware-catalog/parse-good",
			ub_firmware_catalog_parse_good_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-unsigned",
			ub_firmware_catalog_parse_unsigned_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-not-json",
			ub_firmware_catalog_parse_not_json_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-wrong-shape",
			ub_firmware_catalog_parse_wrong_shape_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-missing",
			ub_firmware_catalog_parse_missing_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-filesize",
			ub_firmware_catalog_parse_filesize_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-bad-hash",
			ub_firmware_catalog_parse_bad_hash_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-unknown-device",
			ub_firmware_catalog_parse_unknown_device_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-empty",
			ub_firmware_catalog_parse_empty_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-deep",
			ub_firmware_catalog_parse_deep_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-fixture",
			ub_firmware_catalog_parse_fixture_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-apple",
			ub_firmware_catalog_parse_apple_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-apple-binary",
			ub_firmware_catalog_parse_apple_binary_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-apple-garbage",
			ub_firmware_catalog_parse_apple_garbage_func);
	g_test_add_func("/unbrick/firmware-catalog/parse-apple-no-product",
			ub_firmware_catalog_parse_apple_no_product_func);

#define ADD_SERVER_TEST(name, func)                   \
	g_test_add("/unbrick/firmware-catalog/" name, \
		   UbCatalogFixture,                  \
		   NULL,                              \
		   ub_catalog_fixture_set_up,         \
		   func,                              \
		   ub_catalog_fixture_tear_down)
	ADD_SERVER_TEST("list", ub_firmware_catalog_list_func);
	ADD_SERVER_TEST("list-cache-file", ub_firmware_catalog_list_cache_file_func);
	ADD_SERVER_TEST("list-offline", ub_firmware_catalog_list_offline_func);
	ADD_SERVER_TEST("list-offline-no-cache", ub_firmware_catalog_list_offline_no_cache_func);
	ADD_SERVER_TEST("list-server-error", ub_firmware_catalog_list_server_error_func);
	ADD_SERVER_TEST("list-faults", ub_firmware_catalog_list_faults_func);
	ADD_SERVER_TEST("list-bad-after-good", ub_firmware_catalog_list_bad_after_good_func);
	ADD_SERVER_TEST("list-redirect", ub_firmware_catalog_list_redirect_func);
	ADD_SERVER_TEST("list-apple-fails", ub_firmware_catalog_list_apple_fails_func);
	ADD_SERVER_TEST("list-apple-conflict", ub_firmware_catalog_list_apple_conflict_func);
	ADD_SERVER_TEST("list-fixture", ub_firmware_catalog_list_fixture_func);
	ADD_SERVER_TEST("list-cancel", ub_firmware_catalog_list_cancel_func);
	ADD_SERVER_TEST("list-policy", ub_firmware_catalog_list_policy_func);
#undef ADD_SERVER_TEST

	return g_test_run();
}
