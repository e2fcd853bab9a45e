/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ub-download-private.h"
#include "ub-error.h"
#include "ub-fake-http.h"
#include "ub-file-hash.h"
#include "ub-host-policy.h"
#include "ub-test.h"

/*
 * The download against the tests' HTTP server (ub-fake-http), whose
 * handler here acts out what download servers and networks do wrong: lie
 * about ranges, stall, drop the connection mid-body, send a web page.
 *
 * A full disk is acted out with a test hook that makes the writes fail
 * with ENOSPC: a small tmpfs needs root, and the hook fails at an exact
 * byte.
 */

/* not a whole number of blocks, as IPSWs are not */
#define BODY_SIZE (16 * 1024 * 1024 - 1000)
#define BODY_SLACK 4096
#define CHUNK_SIZE (1024 * 1024)
#define ETAG "\"ub-test-1\""
#define ETAG_2 "\"ub-test-2\""
#define LAST_MOD "Tue, 06 Jan 2026 10:00:00 GMT"
#define WAIT_MS 20000
#define FOREVER G_MAXUINT

static guint8 *body;
static GBytes *body_bytes;  /* the file */
static GBytes *body_longer; /* the file with BODY_SLACK bytes more */
static gchar *body_sha256;
static gchar *body_sha1;

typedef enum {
	FAULT_NONE,
	FAULT_DROP,	    /* reset the connection at a random offset */
	FAULT_TRUNCATE,	    /* close cleanly halfway through the promised length */
	FAULT_IGNORE_RANGE, /* 200 and the whole file, always */
	FAULT_WRONG_RANGE,  /* 206 with a range one byte off, always */
	FAULT_NOT_FOUND,
	FAULT_RANGE_416, /* 416 to any Range, the file without one */
	FAULT_SERVER_ERROR,
	FAULT_UNAVAILABLE, /* 503 with Retry-After: 1 */
	FAULT_TOO_MANY,	   /* 429 with no Retry-After */
	FAULT_HTML,
	FAULT_WRONG_BYTES, /* one byte flipped in the middle of the file */
	FAULT_LONGER,	   /* the file is 4 KiB bigger than the catalog says */
	FAULT_NEW_ETAG,	   /* after the first requests the file has a new ETag */
} Fault;

/* what the handler reads and counts, under the server's lock */
typedef struct {
	UbFakeHttp *http;
	GRand *rand;

	Fault fault;
	guint faults_left;
	gboolean ignore_range; /* with any fault */
	guint faults_skip;     /* requests left alone before the faults */

	guint file_requests;
	guint ranged_requests;
	gint64 busy_sent_at;
	gint64 first_after_busy;
} TestServer;

/* the server */

/* answers the statuses a fault sends instead of the file; FALSE for the file */
static gboolean
answer_instead(TestServer *ts, UbFakeHttpExchange *exchange, gboolean ranged, guint64 size)
{
	g_autofree gchar *range = NULL;

	switch (ts->fault) {
	case FAULT_NOT_FOUND:
		ub_fake_http_respond_text(exchange, 404, "text/plain", "no such file\n");
		return TRUE;
	case FAULT_HTML:
		ub_fake_http_respond_text(exchange,
					  200,
					  "text/html; charset=utf-8",
					  "<html><body>Sign in to the Wi-Fi</body></html>\n");
		return TRUE;
	case FAULT_RANGE_416:
		if (!ranged)
			return FALSE;
		ub_fake_http_respond_text(exchange, 416, "text/plain", "no\n");
		range = g_strdup_printf("bytes */%" G_GUINT64_FORMAT, size);
		ub_fake_http_add_header(exchange, "Content-Range", range);
		return TRUE;
	case FAULT_SERVER_ERROR:
		if (ts->faults_left == 0)
			return FALSE;
		ts->faults_left--;
		ub_fake_http_respond_text(exchange, 500, "text/plain", "oops\n");
		return TRUE;
	case FAULT_UNAVAILABLE:
		if (ts->faults_left == 0) {
			if (ts->busy_sent_at > 0 && ts->first_after_busy == 0)
				ts->first_after_busy = g_get_monotonic_time();
			return FALSE;
		}
		ts->faults_left--;
		ts->busy_sent_at = g_get_monotonic_time();
		ub_fake_http_respond_text(exchange, 503, "text/plain", "busy\n");
		ub_fake_http_add_header(exchange, "Retry-After", "1");
		return TRUE;
	case FAULT_TOO_MANY:
		if (ts->faults_left == 0)
			return FALSE;
		ts->faults_left--;
		ub_fake_http_respond_text(exchange, 429, "text/plain", "slow down\n");
		return TRUE;
	case FAULT_IGNORE_RANGE:
	case FAULT_NONE:
	case FAULT_DROP:
	case FAULT_TRUNCATE:
	case FAULT_WRONG_RANGE:
	case FAULT_WRONG_BYTES:
	case FAULT_LONGER:
	case FAULT_NEW_ETAG:
	default:
		return FALSE;
	}
}

static void
answer_file(TestServer *ts, UbFakeHttpExchange *exchange)
{
	GBytes *file = ts->fault == FAULT_LONGER ? body_longer : body_bytes;
	guint64 size = g_bytes_get_size(file);
	const gchar *if_range = soup_message_headers_get_one(exchange->request_headers, "If-Range");
	const gchar *etag = ETAG;
	guint64 start = 0;
	guint64 end = 0;
	gboolean ranged;

	ts->file_requests++;
	if (ts->fault == FAULT_NEW_ETAG && ts->file_requests > 3)
		etag = ETAG_2;
	ranged = ub_fake_http_get_range(exchange, size, &start, &end);
	if (ranged)
		ts->ranged_requests++;
	if (ranged && if_range != NULL && g_strcmp0(if_range, etag) != 0)
		ranged = FALSE;
	if (answer_instead(ts, exchange, ranged, size))
		return;

	if (ts->fault == FAULT_IGNORE_RANGE || ts->ignore_range)
		ranged = FALSE;
	if (ranged && ts->fault == FAULT_WRONG_RANGE && start + 1 <= end)
		start++;
	if (ranged)
		ub_fake_http_respond_range(exchange, "application/octet-stream", file, start, end);
	else
		ub_fake_http_respond(exchange, 200, "application/octet-stream", file);
	ub_fake_http_add_header(exchange, "ETag", etag);
	ub_fake_http_add_header(exchange, "Last-Modified", LAST_MOD);
	ub_fake_http_add_header(exchange, "Accept-Ranges", "bytes");
	if (ts->fault == FAULT_WRONG_BYTES)
		exchange->flip_at = BODY_SIZE / 2;

	if (ts->faults_skip > 0) {
		ts->faults_skip--;
		return;
	}
	if (ts->fault == FAULT_DROP && ts->faults_left > 0 && exchange->length > 1) {
		ts->faults_left--;
		exchange->cut_at = (guint64)g_rand_int_range(
		    ts->rand, 1, (gint32)MIN(exchange->length, G_MAXINT32));
		exchange->reset = TRUE;
	}
	if (ts->fault == FAULT_TRUNCATE && ts->faults_left > 0 && exchange->length > 1) {
		ts->faults_left--;
		exchange->cut_at = exchange->length / 2;
	}
}

static void
handler(UbFakeHttpExchange *exchange, gpointer user_data)
{
	TestServer *ts = user_data;

	if (g_strcmp0(exchange->path, "/file") == 0)
		answer_file(ts, exchange);
	else if (g_strcmp0(exchange->path, "/redirect") == 0)
		ub_fake_http_redirect(exchange, 302, "/file");
	else if (g_strcmp0(exchange->path, "/away") == 0)
		ub_fake_http_redirect(exchange, 302, "http://downloads.example.com/iPhone.ipsw");
	else
		ub_fake_http_respond_text(exchange, 404, "text/plain", "no such file\n");
}

static TestServer *
test_server_new(Fault fault, guint faults_left)
{
	TestServer *ts = g_new0(TestServer, 1);

	ts->rand = g_rand_new_with_seed(0x5eed);
	ts->fault = fault;
	ts->faults_left = faults_left;
	ts->http = ub_fake_http_new();
	ub_fake_http_set_handler(ts->http, handler, ts);
	return ts;
}

static void
test_server_free(TestServer *ts)
{
	ub_fake_http_free(ts->http);
	g_rand_free(ts->rand);
	g_free(ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestServer, test_server_free)

static gchar *
test_server_uri(TestServer *ts, const gchar *path)
{
	return ub_fake_http_dup_uri(ts->http, path);
}

static guint
test_server_faults_left(TestServer *ts)
{
	guint left;

	ub_fake_http_lock(ts->http);
	left = ts->faults_left;
	ub_fake_http_unlock(ts->http);
	return left;
}

/* the client side */

typedef struct {
	gchar *dir;
	gchar *dest;
	gchar *part;
	gchar *state;
} TestFiles;

static TestFiles *
test_files_new(const gchar *name)
{
	TestFiles *files = g_new0(TestFiles, 1);
	g_autoptr(GError) error = NULL;

	files->dir = g_dir_make_tmp("ub-download-XXXXXX", &error);
	g_assert_no_error(error);
	files->dest = g_build_filename(files->dir, name, NULL);
	files->part = g_strconcat(files->dest, ".part", NULL);
	files->state = g_strconcat(files->dest, ".part.state", NULL);
	return files;
}

static void
test_files_free(TestFiles *files)
{
	g_autoptr(GDir) dir = g_dir_open(files->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(files->dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(files->dir);
	g_free(files->dir);
	g_free(files->dest);
	g_free(files->part);
	g_free(files->state);
	g_free(files);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestFiles, test_files_free)

typedef struct {
	gboolean finished;
	gboolean ok;
	GError *error;
} WaitResult;

static void
wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	WaitResult *wait = user_data;
	wait->ok = ub_download_wait_finish(UB_DOWNLOAD(source), result, &wait->error);
	wait->finished = TRUE;
}

static gboolean
run_to_end(UbDownload *download, GError **error)
{
	WaitResult wait = {0};

	ub_download_wait_async(download, NULL, wait_cb, &wait);
	g_assert_true(ub_test_wait_until(&wait.finished, WAIT_MS));
	if (wait.error != NULL)
		g_propagate_error(error, wait.error);
	return wait.ok;
}

static UbDownload *
download_new(const gchar *uri, TestFiles *files, guint64 size)
{
	UbDownload *download = ub_download_new(uri, files->dest, size, UB_HASH_SHA256, body_sha256);
	_ub_download_set_chunk_size(download, CHUNK_SIZE);
	_ub_download_set_backoff(download, 5, 40, 2000);
	return download;
}

static void
assert_file_is_body(const gchar *path)
{
	g_autofree gchar *contents = NULL;
	g_autofree gchar *sha256 = NULL;
	gsize length = 0;
	g_autoptr(GError) error = NULL;

	g_file_get_contents(path, &contents, &length, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(length, ==, BODY_SIZE);
	sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)contents, length);
	g_assert_cmpstr(sha256, ==, body_sha256);
}

static void
assert_done(UbDownload *download, TestFiles *files)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(run_to_end(download, &error));
	g_assert_no_error(error);
	g_assert_cmpint(ub_download_get_state(download), ==, UB_DOWNLOAD_STATE_DONE);
	g_assert_cmpuint(ub_download_get_bytes_done(download), ==, BODY_SIZE);
	assert_file_is_body(files->dest);
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));
}

static void
assert_failed(UbDownload *download, GQuark domain, gint code, const gchar *needle)
{
	g_autoptr(GError) error = NULL;

	g_assert_false(run_to_end(download, &error));
	g_assert_error(error, domain, code);
	if (needle != NULL && strstr(error->message, needle) == NULL)
		g_error("'%s' does not mention '%s'", error->message, needle);
	g_assert_cmpint(ub_download_get_state(download), ==, UB_DOWNLOAD_STATE_FAILED);
	g_assert_nonnull(ub_download_get_error(download));
}

/* the progress the UI sees */
typedef struct {
	GThread *main_thread;
	guint bytes_notifies;
	guint states[UB_DOWNLOAD_STATE_CANCELLED + 1];
	guint64 pause_at;
	gboolean paused;
	gboolean pause_requested;
} Watch;

static void
notify_bytes_cb(UbDownload *download, GParamSpec *pspec, Watch *watch)
{
	g_assert_true(g_thread_self() == watch->main_thread);
	watch->bytes_notifies++;
	if (watch->pause_at > 0 && !watch->pause_requested &&
	    ub_download_get_bytes_done(download) >= watch->pause_at) {
		watch->pause_requested = TRUE;
		ub_download_pause(download);
	}
}

static void
notify_state_cb(UbDownload *download, GParamSpec *pspec, Watch *watch)
{
	UbDownloadState state = ub_download_get_state(download);

	g_assert_true(g_thread_self() == watch->main_thread);
	watch->states[state]++;
	if (state == UB_DOWNLOAD_STATE_PAUSED)
		watch->paused = TRUE;
}

static void
watch_init(Watch *watch, UbDownload *download)
{
	memset(watch, 0, sizeof *watch);
	watch->main_thread = g_thread_self();
	g_signal_connect(download, "notify::bytes-done", G_CALLBACK(notify_bytes_cb), watch);
	g_signal_connect(download, "notify::state", G_CALLBACK(notify_state_cb), watch);
}

/* the faults: one setup, what the server does wrong, what must come of it */

typedef struct {
	const gchar *name;
	Fault fault;
	guint faults;	   /* how many answers go wrong (FOREVER: all) */
	const gchar *path; /* on the server, or a whole URI; NULL: "/file" */
	gboolean ignore_range;
	guint faults_skip;
	guint connections;	      /* 0: the default */
	gboolean size_unknown;	      /* the catalog gave no size */
	GQuark (*error_domain)(void); /* NULL: the download must succeed */
	gint error_code;
	const gchar *error_needle;
	guint max_requests; /* 0: any number */
} FaultCase;

static const FaultCase fault_cases[] = {
    {.name = "drops", .fault = FAULT_DROP, .faults = 24},
    {.name = "truncated", .fault = FAULT_TRUNCATE, .faults = 6},
    {.name = "ignore-range", .fault = FAULT_IGNORE_RANGE},
    /* a server that cannot resume and drops twice: each drop starts the
     * whole file again, and what arrives is still right; the first
     * request (a range, answered with all of it) is left alone */
    {.name = "ignore-range-drops",
     .fault = FAULT_DROP,
     .faults = 2,
     .ignore_range = TRUE,
     .faults_skip = 1,
     .connections = 1},
    /* every range answer is off by one: start over on one connection
     * without Range, and nothing off-by-one lands in the file */
    {.name = "wrong-content-range", .fault = FAULT_WRONG_RANGE},
    {.name = "not-found",
     .fault = FAULT_NOT_FOUND,
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_FAILED,
     .error_needle = "404 Not Found"},
    {.name = "range-416", .fault = FAULT_RANGE_416},
    /* a few tries, not forever */
    {.name = "server-error",
     .fault = FAULT_SERVER_ERROR,
     .faults = FOREVER,
     .connections = 1,
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_FAILED,
     .error_needle = "500 Internal Server Error",
     .max_requests = 3},
    {.name = "server-error-once", .fault = FAULT_SERVER_ERROR, .faults = 2},
    {.name = "too-many-requests", .fault = FAULT_TOO_MANY, .faults = 3},
    {.name = "redirect-refused",
     .path = "/away",
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_PERMISSION_DENIED,
     .error_needle = "downloads.example.com"},
    {.name = "redirect-followed", .path = "/redirect"},
    {.name = "refused-host",
     .path = "http://downloads.example.com/iPhone.ipsw",
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_PERMISSION_DENIED},
    {.name = "html",
     .fault = FAULT_HTML,
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_INVALID_DATA,
     .error_needle = "the network returned a web page instead of the file (a Wi-Fi login page?)"},
    {.name = "longer",
     .fault = FAULT_LONGER,
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_INVALID_DATA,
     .error_needle = "bigger than expected"},
    /* no ranges: the whole-file answer is too long */
    {.name = "longer-single",
     .fault = FAULT_LONGER,
     .ignore_range = TRUE,
     .error_domain = ub_error_quark,
     .error_code = UB_ERROR_INVALID_DATA,
     .error_needle = "bigger than expected"},
    /* If-Range no longer matches after a few requests: start over with
     * the new version rather than mixing the two */
    {.name = "file-changed", .fault = FAULT_NEW_ETAG},
    {.name = "unknown-size", .size_unknown = TRUE},
};

static void
fault_case_func(gconstpointer data)
{
	const FaultCase *c = data;
	g_autoptr(TestServer) ts = test_server_new(c->fault, c->faults);
	g_autofree gchar *name = g_strconcat(c->name, ".ipsw", NULL);
	g_autoptr(TestFiles) files = test_files_new(name);
	const gchar *path = c->path != NULL ? c->path : "/file";
	g_autofree gchar *uri =
	    g_str_has_prefix(path, "http") ? g_strdup(path) : test_server_uri(ts, path);
	UbDownload *download = download_new(uri, files, c->size_unknown ? 0 : BODY_SIZE);

	ts->ignore_range = c->ignore_range;
	ts->faults_skip = c->faults_skip;
	if (c->connections > 0)
		ub_download_set_connections(download, c->connections);
	ub_download_start(download);

	if (c->error_domain == NULL) {
		assert_done(download, files);
		if (c->size_unknown)
			g_assert_cmpuint(ub_download_get_bytes_total(download), ==, BODY_SIZE);
		/* every planned fault happened: the case tested what it says */
		if (c->faults != FOREVER)
			g_assert_cmpuint(test_server_faults_left(ts), ==, 0);
	} else {
		assert_failed(download, c->error_domain(), c->error_code, c->error_needle);
		/* nothing half-made is left that a later start could trust */
		g_assert_false(g_file_test(files->dest, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));
		if (c->max_requests > 0) {
			g_assert_cmpuint(ub_fake_http_get_requests(ts->http, NULL), >=, 2);
			g_assert_cmpuint(
			    ub_fake_http_get_requests(ts->http, NULL), <=, c->max_requests);
		}
	}
	if (c->path != NULL && g_str_has_suffix(c->path, "/away"))
		g_assert_cmpuint(ub_fake_http_get_bytes_sent(ts->http), ==, 0);
	g_assert_finalize_object(download);
}

/* the cases with more to them */

static void
basic_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("basic.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	gint64 started = g_get_monotonic_time();
	guint64 sent;
	gdouble seconds;
	Watch watch;

	watch_init(&watch, download);
	ub_download_start(download);
	g_assert_cmpint(ub_download_get_state(download), ==, UB_DOWNLOAD_STATE_RUNNING);
	assert_done(download, files);
	seconds = (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;

	/* at most ten a second, plus the final one */
	g_assert_cmpuint(watch.bytes_notifies, <=, (guint)(seconds * 10) + 2);
	g_assert_cmpuint(watch.states[UB_DOWNLOAD_STATE_DONE], ==, 1);
	/* near the end idle connections take halves of busy ranges; what the
	 * busy one was already sent of that half is thrown away */
	sent = ub_fake_http_get_bytes_sent(ts->http);
	g_assert_cmpuint(sent, >=, BODY_SIZE);
	g_assert_cmpuint(sent, <=, BODY_SIZE + 4 * CHUNK_SIZE);
	ub_fake_http_lock(ts->http);
	g_assert_cmpuint(ts->ranged_requests, >=, BODY_SIZE / CHUNK_SIZE);
	ub_fake_http_unlock(ts->http);
	g_assert_finalize_object(download);
}

static void
sha1_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("sha1.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	g_autofree gchar *upper = g_ascii_strup(body_sha1, -1);
	UbDownload *download = ub_download_new(uri, files->dest, BODY_SIZE, UB_HASH_SHA1, upper);

	ub_download_set_connections(download, 2);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
retry_after_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_UNAVAILABLE, 1);
	g_autoptr(TestFiles) files = test_files_new("busy.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	Watch watch;

	/* one connection, so the next request is the one that waited */
	ub_download_set_connections(download, 1);
	watch_init(&watch, download);
	ub_download_start(download);
	assert_done(download, files);
	ub_fake_http_lock(ts->http);
	g_assert_cmpint(ts->first_after_busy - ts->busy_sent_at, >=, 950 * 1000);
	ub_fake_http_unlock(ts->http);
	g_assert_cmpuint(watch.states[UB_DOWNLOAD_STATE_RETRYING], >=, 1);
	g_assert_finalize_object(download);
}

static void
hash_mismatch_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_WRONG_BYTES, 0);
	g_autoptr(TestFiles) files = test_files_new("damaged.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	guint64 sent;

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_CHECKSUM_MISMATCH, "checksum does not match");
	g_assert_nonnull(strstr(ub_download_get_error(download)->message, "start over"));
	g_assert_false(g_file_test(files->dest, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));

	/* the UI starts it again: from the first byte, and now it is right */
	ub_fake_http_wait_idle(ts->http);
	ub_fake_http_lock(ts->http);
	ts->fault = FAULT_NONE;
	ub_fake_http_unlock(ts->http);
	sent = ub_fake_http_get_bytes_sent(ts->http);
	ub_download_start(download);
	assert_done(download, files);
	sent = ub_fake_http_get_bytes_sent(ts->http) - sent;
	g_assert_cmpuint(sent, >=, BODY_SIZE);
	g_assert_cmpuint(sent, <=, BODY_SIZE + 4 * CHUNK_SIZE);
	g_assert_finalize_object(download);
}

static void
disk_full_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("full.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	guint64 done;
	guint64 sent;

	ub_download_set_connections(download, 1);
	_ub_download_set_write_fault(download, 5 * CHUNK_SIZE + 12345, ENOSPC);
	ub_download_start(download);
	assert_failed(download, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk is full");
	g_assert_true(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(files->state, G_FILE_TEST_EXISTS));
	done = ub_download_get_bytes_done(download);
	g_assert_cmpuint(done, >, 0);
	g_assert_cmpuint(done, <=, 5 * CHUNK_SIZE + 12345);

	/* room again: it carries on from where the disk filled up */
	_ub_download_set_write_fault(download, 0, 0);
	ub_fake_http_wait_idle(ts->http);
	sent = ub_fake_http_get_bytes_sent(ts->http);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(
	    ub_fake_http_get_bytes_sent(ts->http) - sent, <=, BODY_SIZE - done + CHUNK_SIZE);
	g_assert_finalize_object(download);
}

static void
no_space_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("huge.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, G_GUINT64_CONSTANT(1) << 60);

	ub_download_start(download);
	assert_failed(download, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "not enough free disk space");
	g_assert_cmpuint(ub_fake_http_get_requests(ts->http, NULL), ==, 0);
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(download);
}

static void
wait_paused(UbDownload *download, Watch *watch)
{
	g_assert_true(ub_test_wait_until(&watch->paused, WAIT_MS));
	g_assert_cmpint(ub_download_get_state(download), ==, UB_DOWNLOAD_STATE_PAUSED);
}

static void
pause_resume_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("pause.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	guint64 done;
	Watch watch;

	ub_fake_http_set_throttle(ts->http, 8000);
	watch_init(&watch, download);
	watch.pause_at = BODY_SIZE / 5;
	ub_download_start(download);
	wait_paused(download, &watch);
	done = ub_download_get_bytes_done(download);
	g_assert_cmpuint(done, >=, BODY_SIZE / 5);
	g_assert_cmpuint(done, <, BODY_SIZE);
	g_assert_true(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(files->state, G_FILE_TEST_EXISTS));

	/* nothing moves while paused */
	ub_test_spin(150);
	g_assert_cmpuint(ub_download_get_bytes_done(download), ==, done);

	ub_fake_http_set_throttle(ts->http, 0);
	ub_download_resume(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
pause_then_resume_at_once_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("flip-flop.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	Watch watch;

	/* resume before the workers have even stopped */
	ub_fake_http_set_throttle(ts->http, 2000);
	watch_init(&watch, download);
	ub_download_start(download);
	ub_test_spin(50);
	ub_download_pause(download);
	ub_download_resume(download);
	ub_fake_http_set_throttle(ts->http, 0);
	assert_done(download, files);
	g_assert_cmpuint(watch.states[UB_DOWNLOAD_STATE_PAUSED], ==, 0);
	g_assert_finalize_object(download);
}

static void
cancel_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("cancel.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	g_autoptr(GError) error = NULL;

	ub_fake_http_set_throttle(ts->http, 8000);
	ub_download_start(download);
	ub_test_spin(150);
	g_assert_true(g_file_test(files->part, G_FILE_TEST_EXISTS));
	ub_download_cancel(download);
	g_assert_false(run_to_end(download, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(ub_download_get_state(download), ==, UB_DOWNLOAD_STATE_CANCELLED);
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->dest, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(download);
}

static void
cancel_paused_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("cancel-paused.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	g_autoptr(GError) error = NULL;
	Watch watch;

	ub_fake_http_set_throttle(ts->http, 8000);
	watch_init(&watch, download);
	watch.pause_at = 1;
	ub_download_start(download);
	wait_paused(download, &watch);
	g_assert_true(g_file_test(files->state, G_FILE_TEST_EXISTS));
	ub_download_cancel(download);
	g_assert_false(run_to_end(download, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(download);
}

static void
restart_from_state_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("restart.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	guint64 done;
	guint64 sent;
	Watch watch;

	ub_fake_http_set_throttle(ts->http, 8000);
	watch_init(&watch, download);
	watch.pause_at = BODY_SIZE / 3;
	ub_download_start(download);
	wait_paused(download, &watch);
	done = ub_download_get_bytes_done(download);
	g_assert_finalize_object(download);
	ub_fake_http_wait_idle(ts->http);

	/* as after quitting the app: a new object, the same destination; one
	 * connection, so no range is split and abandoned and the count is
	 * exact */
	ub_fake_http_set_throttle(ts->http, 0);
	sent = ub_fake_http_get_bytes_sent(ts->http);
	download = download_new(uri, files, BODY_SIZE);
	ub_download_set_connections(download, 1);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ub_fake_http_get_bytes_sent(ts->http) - sent, ==, BODY_SIZE - done);
	g_assert_finalize_object(download);
}

static void
stale_state_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("stale.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	g_autoptr(GError) error = NULL;
	UbDownload *download;

	/* a state for another file, and one that is nonsense: both ignored */
	g_file_set_contents(files->part, "junk", -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(
	    files->state, "[download]\nversion=1\nuri=http://elsewhere/\nsize=5\n", -1, &error);
	g_assert_no_error(error);
	download = download_new(uri, files, BODY_SIZE);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);

	g_file_set_contents(files->part, "junk", -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(files->state, "[download]\nversion=1\nsegments=1:2;x\n", -1, &error);
	g_assert_no_error(error);
	g_unlink(files->dest);
	download = download_new(uri, files, BODY_SIZE);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
parallel_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_DROP, 6);
	g_autoptr(TestFiles) files_a = test_files_new("a.ipsw");
	g_autoptr(TestFiles) files_b = test_files_new("b.ipsw");
	g_autoptr(TestFiles) files_c = test_files_new("c.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *a = download_new(uri, files_a, BODY_SIZE);
	UbDownload *b = download_new(uri, files_b, BODY_SIZE);
	UbDownload *c = download_new(uri, files_c, BODY_SIZE);

	ub_download_set_connections(b, 2);
	ub_download_set_connections(c, 8);
	ub_download_start(a);
	ub_download_start(b);
	ub_download_start(c);
	assert_done(a, files_a);
	assert_done(b, files_b);
	assert_done(c, files_c);
	g_assert_finalize_object(a);
	g_assert_finalize_object(b);
	g_assert_finalize_object(c);
}

static void
hash_file_func(void)
{
	g_autoptr(TestFiles) files = test_files_new("hash.bin");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autofree gchar *sha1 = NULL;

	g_file_set_contents(files->dest, (const gchar *)body, BODY_SIZE, &error);
	g_assert_no_error(error);
	sha256 = ub_file_hash(files->dest, UB_HASH_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(sha256, ==, body_sha256);
	sha1 = ub_file_hash(files->dest, UB_HASH_SHA1, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(sha1, ==, body_sha1);
}

int
main(int argc, char **argv)
{
	guint32 state = 0x12345678;

	ub_test_init(&argc, &argv);
	ub_host_policy_set_allow_loopback(TRUE);

	/* a deterministic pseudo-random body (xorshift32) */
	body = g_malloc(BODY_SIZE + BODY_SLACK);
	for (gsize i = 0; i < (BODY_SIZE + BODY_SLACK) / 4; i++) {
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		memcpy(body + i * 4, &state, 4);
	}
	body_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, body, BODY_SIZE);
	body_sha1 = g_compute_checksum_for_data(G_CHECKSUM_SHA1, body, BODY_SIZE);
	body_bytes = g_bytes_new_static(body, BODY_SIZE);
	body_longer = g_bytes_new_static(body, BODY_SIZE + BODY_SLACK);

	g_test_add_func("/unbrick/download/basic", basic_func);
	g_test_add_func("/unbrick/download/sha1", sha1_func);
	for (gsize i = 0; i < G_N_ELEMENTS(fault_cases); i++) {
		g_autofree gchar *path =
		    g_strconcat("/unbrick/download/", fault_cases[i].name, NULL);
		g_test_add_data_func(path, &fault_cases[i], fault_case_func);
	}
	g_test_add_func("/unbrick/download/retry-after", retry_after_func);
	g_test_add_func("/unbrick/download/hash-mismatch", hash_mismatch_func);
	g_test_add_func("/unbrick/download/disk-full", disk_full_func);
	g_test_add_func("/unbrick/download/no-space", no_space_func);
	g_test_add_func("/unbrick/download/pause-resume", pause_resume_func);
	g_test_add_func("/unbrick/download/pause-then-resume", pause_then_resume_at_once_func);
	g_test_add_func("/unbrick/download/cancel", cancel_func);
	g_test_add_func("/unbrick/download/cancel-paused", cancel_paused_func);
	g_test_add_func("/unbrick/download/restart-from-state", restart_from_state_func);
	g_test_add_func("/unbrick/download/stale-state", stale_state_func);
	g_test_add_func("/unbrick/download/parallel", parallel_func);
	g_test_add_func("/unbrick/download/hash-file", hash_file_func);
	return g_test_run();
}
