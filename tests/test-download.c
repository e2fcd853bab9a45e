/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>

#include "ub-download-private.h"
#include "ub-error.h"
#include "ub-file-hash.h"
#include "ub-host-policy.h"
#include "ub-test.h"

/*
 * An in-process SoupServer on its own thread and main context (the
 * download's connections are synchronous, on threads of their own, while
 * the test's main loop runs). SoupServer parses each request; the response
 * is written by hand on a thread of its own from the stolen connection,
 * which is what lets it lie, stall, and drop the connection mid-body.
 *
 * A full disk is acted out with a test hook that makes the writes fail
 * with ENOSPC: a small tmpfs needs root, and the hook fails at an exact
 * byte.
 */

/* not a whole number of blocks, as IPSWs are not */
#define BODY_SIZE (16 * 1024 * 1024 - 1000)
#define BODY_SLACK 4096
#define CHUNK_SIZE (1024 * 1024)
#define BLOCK_SIZE (64 * 1024)
#define ETAG "\"ub-test-1\""
#define ETAG_2 "\"ub-test-2\""
#define LAST_MOD "Tue, 06 Jan 2026 10:00:00 GMT"
#define WAIT_MS 20000
#define FOREVER G_MAXUINT

static guint8 *body;
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

typedef struct {
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	SoupServer *server;
	gchar *base;

	GMutex lock;
	GCond cond;
	gboolean ready;
	gboolean shutdown;
	GPtrArray *responders; /* of GThread */
	GRand *rand;

	Fault fault;
	guint faults_left;
	gboolean ignore_range; /* with any fault */
	guint faults_skip;     /* requests left alone before the faults */
	guint throttle_us;     /* per block */

	guint requests;
	guint ranged_requests;
	guint responding;
	guint64 bytes_served;
	gint64 busy_sent_at;
	gint64 first_after_busy;
} TestServer;

typedef struct {
	TestServer *ts;
	GIOStream *stream;
	GString *head;
	guint64 offset; /* in the file */
	guint64 length; /* body bytes to send */
	guint64 cut_at; /* stop after this many body bytes */
	gboolean reset; /* RST rather than FIN at the cut */
	gboolean flip;	/* one byte at BODY_SIZE / 2 is wrong */
	const guint8 *literal;
} Response;

/* the server */

static gboolean
parse_range(const gchar *value, guint64 size, guint64 *start, guint64 *end)
{
	gchar *rest = NULL;

	if (value == NULL || !g_str_has_prefix(value, "bytes="))
		return FALSE;
	*start = g_ascii_strtoull(value + 6, &rest, 10);
	if (rest == value + 6 || *rest != '-')
		return FALSE;
	if (rest[1] == '\0') {
		*end = size - 1;
	} else {
		*end = g_ascii_strtoull(rest + 1, &rest, 10);
		if (*rest != '\0')
			return FALSE;
	}
	if (*end >= size)
		*end = size - 1;
	return TRUE;
}

static GSocket *
response_socket(GIOStream *stream)
{
	if (G_IS_SOCKET_CONNECTION(stream))
		return g_socket_connection_get_socket(G_SOCKET_CONNECTION(stream));
	return g_object_get_data(G_OBJECT(stream), "GSocket");
}

static gpointer
respond_thread(gpointer data)
{
	Response *resp = data;
	TestServer *ts = resp->ts;
	GOutputStream *out = g_io_stream_get_output_stream(resp->stream);
	g_autofree guint8 *block = g_malloc(BLOCK_SIZE);
	GSocket *socket = response_socket(resp->stream);
	guint64 sent = 0;
	gboolean ok;

	if (socket != NULL)
		g_socket_set_blocking(socket, TRUE);
	ok = g_output_stream_write_all(out, resp->head->str, resp->head->len, NULL, NULL, NULL);
	while (ok && sent < MIN(resp->length, resp->cut_at)) {
		gsize n = MIN(BLOCK_SIZE, MIN(resp->length, resp->cut_at) - sent);
		guint64 at = resp->offset + sent;
		guint throttle_us;

		if (resp->literal != NULL)
			memcpy(block, resp->literal + sent, n);
		else
			memcpy(block, body + at, n);
		if (resp->flip && at <= BODY_SIZE / 2 && BODY_SIZE / 2 < at + n)
			block[BODY_SIZE / 2 - at] ^= 0x5a;
		ok = g_output_stream_write_all(out, block, n, NULL, NULL, NULL);
		if (!ok)
			break;
		sent += n;
		g_mutex_lock(&ts->lock);
		if (resp->literal == NULL)
			ts->bytes_served += n;
		throttle_us = ts->shutdown ? 0 : ts->throttle_us;
		ok = !ts->shutdown;
		g_mutex_unlock(&ts->lock);
		if (throttle_us > 0)
			g_usleep(throttle_us);
	}
	if (ok && resp->reset && socket != NULL) {
		struct linger linger = {.l_onoff = 1, .l_linger = 0};
		setsockopt(g_socket_get_fd(socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
	}
	g_output_stream_flush(out, NULL, NULL);
	g_io_stream_close(resp->stream, NULL, NULL);
	g_object_unref(resp->stream);
	g_mutex_lock(&ts->lock);
	ts->responding--;
	g_cond_broadcast(&ts->cond);
	g_mutex_unlock(&ts->lock);
	g_string_free(resp->head, TRUE);
	g_free(resp);
	return NULL;
}

static void
response_head(Response *resp, guint status, const gchar *content_type, guint64 length)
{
	resp->head = g_string_new(NULL);
	g_string_append_printf(resp->head,
			       "HTTP/1.1 %u %s\r\n",
			       status,
			       status == 429 ? "Too Many Requests"
					     : soup_status_get_phrase(status));
	if (content_type != NULL)
		g_string_append_printf(resp->head, "Content-Type: %s\r\n", content_type);
	g_string_append_printf(
	    resp->head, "Content-Length: %" G_GUINT64_FORMAT "\r\nConnection: close\r\n", length);
	resp->length = length;
	resp->cut_at = G_MAXUINT64;
}

static void
response_literal(Response *resp, guint status, const gchar *content_type, const gchar *text)
{
	response_head(resp, status, content_type, strlen(text));
	resp->literal = (const guint8 *)text;
}

/* decides the whole response under the lock; the writing is unlocked */
static void
decide_file_response(TestServer *ts, SoupServerMessage *msg, Response *resp)
{
	SoupMessageHeaders *req = soup_server_message_get_request_headers(msg);
	const gchar *if_range = soup_message_headers_get_one(req, "If-Range");
	const gchar *etag = ETAG;
	guint64 size = BODY_SIZE;
	guint64 start = 0;
	guint64 end = 0;
	gboolean ranged;

	if (ts->fault == FAULT_LONGER)
		size += BODY_SLACK;
	if (ts->fault == FAULT_NEW_ETAG && ts->requests > 3)
		etag = ETAG_2;
	ranged = parse_range(soup_message_headers_get_one(req, "Range"), size, &start, &end);
	if (ranged)
		ts->ranged_requests++;
	if (ranged && if_range != NULL && g_strcmp0(if_range, etag) != 0)
		ranged = FALSE;

	switch (ts->fault) {
	case FAULT_NOT_FOUND:
		response_literal(resp, 404, "text/plain", "no such file\n");
		return;
	case FAULT_HTML:
		response_literal(resp,
				 200,
				 "text/html; charset=utf-8",
				 "<html><body>Sign in to the Wi-Fi</body></html>\n");
		return;
	case FAULT_RANGE_416:
		if (ranged) {
			response_literal(resp, 416, "text/plain", "no\n");
			g_string_append_printf(
			    resp->head, "Content-Range: bytes */%" G_GUINT64_FORMAT "\r\n", size);
			g_string_append(resp->head, "\r\n");
			return;
		}
		break;
	case FAULT_SERVER_ERROR:
		if (ts->faults_left > 0) {
			ts->faults_left--;
			response_literal(resp, 500, "text/plain", "oops\n");
			return;
		}
		break;
	case FAULT_UNAVAILABLE:
		if (ts->faults_left > 0) {
			ts->faults_left--;
			ts->busy_sent_at = g_get_monotonic_time();
			response_literal(resp, 503, "text/plain", "busy\n");
			g_string_append(resp->head, "Retry-After: 1\r\n\r\n");
			return;
		}
		if (ts->busy_sent_at > 0 && ts->first_after_busy == 0)
			ts->first_after_busy = g_get_monotonic_time();
		break;
	case FAULT_TOO_MANY:
		if (ts->faults_left > 0) {
			ts->faults_left--;
			response_literal(resp, 429, "text/plain", "slow down\n");
			return;
		}
		break;
	case FAULT_IGNORE_RANGE:
	case FAULT_NONE:
	case FAULT_DROP:
	case FAULT_TRUNCATE:
	case FAULT_WRONG_RANGE:
	case FAULT_WRONG_BYTES:
	case FAULT_LONGER:
	case FAULT_NEW_ETAG:
	default:
		break;
	}

	if (ts->fault == FAULT_IGNORE_RANGE || ts->ignore_range)
		ranged = FALSE;
	if (ranged && ts->fault == FAULT_WRONG_RANGE && start + 1 <= end)
		start++;
	if (ranged) {
		response_head(resp, 206, "application/octet-stream", end - start + 1);
		g_string_append_printf(resp->head,
				       "Content-Range: bytes %" G_GUINT64_FORMAT
				       "-%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\r\n",
				       start,
				       end,
				       size);
		resp->offset = start;
	} else {
		response_head(resp, 200, "application/octet-stream", size);
	}
	g_string_append_printf(resp->head,
			       "ETag: %s\r\nLast-Modified: %s\r\nAccept-Ranges: bytes\r\n\r\n",
			       etag,
			       LAST_MOD);
	resp->flip = ts->fault == FAULT_WRONG_BYTES;
	if (ts->faults_skip > 0) {
		ts->faults_skip--;
		return;
	}
	if (ts->fault == FAULT_DROP && ts->faults_left > 0 && resp->length > 1) {
		ts->faults_left--;
		resp->cut_at =
		    (guint64)g_rand_int_range(ts->rand, 1, (gint32)MIN(resp->length, G_MAXINT32));
		resp->reset = TRUE;
	}
	if (ts->fault == FAULT_TRUNCATE && ts->faults_left > 0 && resp->length > 1) {
		ts->faults_left--;
		resp->cut_at = resp->length / 2;
	}
}

static void
server_cb(SoupServer *server,
	  SoupServerMessage *msg,
	  const char *path,
	  GHashTable *query,
	  gpointer user_data)
{
	TestServer *ts = user_data;
	Response *resp = g_new0(Response, 1);

	resp->ts = ts;
	g_mutex_lock(&ts->lock);
	ts->requests++;
	if (g_strcmp0(path, "/file") == 0) {
		decide_file_response(ts, msg, resp);
	} else if (g_strcmp0(path, "/redirect") == 0) {
		response_literal(resp, 302, "text/plain", "moved\n");
		g_string_append(resp->head, "Location: /file\r\n\r\n");
	} else if (g_strcmp0(path, "/away") == 0) {
		response_literal(resp, 302, "text/plain", "moved\n");
		g_string_append(resp->head,
				"Location: http://downloads.example.com/iPhone.ipsw\r\n\r\n");
	} else {
		response_literal(resp, 404, "text/plain", "no such file\n");
		g_string_append(resp->head, "\r\n");
	}
	g_mutex_unlock(&ts->lock);

	resp->stream = soup_server_message_steal_connection(msg);
	g_mutex_lock(&ts->lock);
	ts->responding++;
	g_ptr_array_add(ts->responders, g_thread_new("test-response", respond_thread, resp));
	g_mutex_unlock(&ts->lock);
}

static gpointer
server_thread(gpointer data)
{
	TestServer *ts = data;
	g_autoptr(GError) error = NULL;
	GSList *uris;

	g_main_context_push_thread_default(ts->context);
	ts->server = soup_server_new("server-header", "ub-test", NULL);
	soup_server_add_handler(ts->server, NULL, server_cb, ts, NULL);
	soup_server_listen_local(ts->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
	g_assert_no_error(error);
	uris = soup_server_get_uris(ts->server);
	g_mutex_lock(&ts->lock);
	ts->base = g_uri_to_string_partial(uris->data, G_URI_HIDE_PASSWORD);
	if (g_str_has_suffix(ts->base, "/"))
		ts->base[strlen(ts->base) - 1] = '\0';
	ts->ready = TRUE;
	g_cond_broadcast(&ts->cond);
	g_mutex_unlock(&ts->lock);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);

	g_main_loop_run(ts->loop);

	soup_server_disconnect(ts->server);
	g_clear_object(&ts->server);
	g_main_context_pop_thread_default(ts->context);
	return NULL;
}

static TestServer *
test_server_new(Fault fault, guint faults_left)
{
	TestServer *ts = g_new0(TestServer, 1);

	g_mutex_init(&ts->lock);
	g_cond_init(&ts->cond);
	ts->context = g_main_context_new();
	ts->loop = g_main_loop_new(ts->context, FALSE);
	ts->responders = g_ptr_array_new();
	ts->rand = g_rand_new_with_seed(0x5eed);
	ts->fault = fault;
	ts->faults_left = faults_left;
	ts->thread = g_thread_new("test-server", server_thread, ts);
	g_mutex_lock(&ts->lock);
	while (!ts->ready)
		g_cond_wait(&ts->cond, &ts->lock);
	g_mutex_unlock(&ts->lock);
	return ts;
}

static gchar *
test_server_uri(TestServer *ts, const gchar *path)
{
	return g_strconcat(ts->base, path, NULL);
}

static gboolean
quit_loop_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

static void
test_server_free(TestServer *ts)
{
	g_autoptr(GSource) quit = g_idle_source_new();

	g_mutex_lock(&ts->lock);
	ts->shutdown = TRUE;
	g_mutex_unlock(&ts->lock);
	/* quit from inside the loop: a g_main_loop_quit() that comes before
	 * the server thread reached g_main_loop_run() (a test that makes no
	 * request ends that fast) is forgotten, and the join waits forever */
	g_source_set_callback(quit, quit_loop_cb, ts->loop, NULL);
	g_source_attach(quit, ts->context);
	g_thread_join(ts->thread);
	for (guint i = 0; i < ts->responders->len; i++)
		g_thread_join(g_ptr_array_index(ts->responders, i));
	g_ptr_array_unref(ts->responders);
	g_main_loop_unref(ts->loop);
	g_main_context_unref(ts->context);
	g_rand_free(ts->rand);
	g_free(ts->base);
	g_mutex_clear(&ts->lock);
	g_cond_clear(&ts->cond);
	g_free(ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestServer, test_server_free)

/* responses to a client that went away end at their next write */
static void
test_server_wait_idle(TestServer *ts)
{
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;

	g_mutex_lock(&ts->lock);
	while (ts->responding > 0)
		g_assert_true(g_cond_wait_until(&ts->cond, &ts->lock, deadline));
	g_mutex_unlock(&ts->lock);
}

static guint64
test_server_bytes_served(TestServer *ts)
{
	guint64 served;
	g_mutex_lock(&ts->lock);
	served = ts->bytes_served;
	g_mutex_unlock(&ts->lock);
	return served;
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

/* the cases */

static void
basic_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("basic.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	gint64 started = g_get_monotonic_time();
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
	g_assert_cmpuint(test_server_bytes_served(ts), >=, BODY_SIZE);
	g_assert_cmpuint(test_server_bytes_served(ts), <=, BODY_SIZE + 4 * CHUNK_SIZE);
	g_assert_cmpuint(ts->ranged_requests, >=, BODY_SIZE / CHUNK_SIZE);
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
drops_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_DROP, 24);
	g_autoptr(TestFiles) files = test_files_new("drops.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);
	Watch watch;

	watch_init(&watch, download);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ts->faults_left, ==, 0);
	g_assert_finalize_object(download);
}

static void
truncated_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_TRUNCATE, 6);
	g_autoptr(TestFiles) files = test_files_new("truncated.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ts->faults_left, ==, 0);
	g_assert_finalize_object(download);
}

static void
ignore_range_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_IGNORE_RANGE, 0);
	g_autoptr(TestFiles) files = test_files_new("ignore.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
ignore_range_drops_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_DROP, 2);
	g_autoptr(TestFiles) files = test_files_new("ignore-drops.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	/* a server that cannot resume and drops twice: each drop starts the
	 * whole file again, and what arrives is still right; the first
	 * request (a range, answered with all of it) is left alone */
	ts->ignore_range = TRUE;
	ts->faults_skip = 1;
	ub_download_set_connections(download, 1);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ts->faults_left, ==, 0);
	g_assert_finalize_object(download);
}

static void
wrong_range_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_WRONG_RANGE, 0);
	g_autoptr(TestFiles) files = test_files_new("wrong-range.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	/* every range answer is off by one: start over on one connection
	 * without Range, and nothing off-by-one lands in the file */
	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
not_found_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NOT_FOUND, 0);
	g_autoptr(TestFiles) files = test_files_new("missing.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_FAILED, "404 Not Found");
	g_assert_false(g_file_test(files->dest, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(download);
}

static void
range_416_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_RANGE_416, 0);
	g_autoptr(TestFiles) files = test_files_new("range-416.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
server_error_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_SERVER_ERROR, FOREVER);
	g_autoptr(TestFiles) files = test_files_new("broken.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_set_connections(download, 1);
	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_FAILED, "500 Internal Server Error");
	/* a few tries, not forever */
	g_assert_cmpuint(ts->requests, >=, 2);
	g_assert_cmpuint(ts->requests, <=, 3);
	g_assert_finalize_object(download);
}

static void
server_error_once_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_SERVER_ERROR, 2);
	g_autoptr(TestFiles) files = test_files_new("flaky.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

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
	g_assert_cmpint(ts->first_after_busy - ts->busy_sent_at, >=, 950 * 1000);
	g_assert_cmpuint(watch.states[UB_DOWNLOAD_STATE_RETRYING], >=, 1);
	g_assert_finalize_object(download);
}

static void
too_many_requests_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_TOO_MANY, 3);
	g_autoptr(TestFiles) files = test_files_new("throttled.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ts->faults_left, ==, 0);
	g_assert_finalize_object(download);
}

static void
redirect_refused_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("away.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/away");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_PERMISSION_DENIED, "downloads.example.com");
	g_assert_cmpuint(test_server_bytes_served(ts), ==, 0);
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(download);
}

static void
redirect_followed_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("redirected.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/redirect");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
refused_host_func(void)
{
	g_autoptr(TestFiles) files = test_files_new("refused.ipsw");
	UbDownload *download =
	    download_new("http://downloads.example.com/iPhone.ipsw", files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_PERMISSION_DENIED, NULL);
	g_assert_finalize_object(download);
}

static void
html_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_HTML, 0);
	g_autoptr(TestFiles) files = test_files_new("portal.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download,
		      UB_ERROR,
		      UB_ERROR_INVALID_DATA,
		      "the network returned a web page instead of the file (a Wi-Fi login page?)");
	g_assert_finalize_object(download);
}

static void
hash_mismatch_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_WRONG_BYTES, 0);
	g_autoptr(TestFiles) files = test_files_new("damaged.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_CHECKSUM_MISMATCH, "checksum does not match");
	g_assert_nonnull(strstr(ub_download_get_error(download)->message, "start over"));
	g_assert_false(g_file_test(files->dest, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->part, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(files->state, G_FILE_TEST_EXISTS));

	/* the UI starts it again: from the first byte, and now it is right */
	test_server_wait_idle(ts);
	g_mutex_lock(&ts->lock);
	ts->fault = FAULT_NONE;
	ts->bytes_served = 0;
	g_mutex_unlock(&ts->lock);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(test_server_bytes_served(ts), >=, BODY_SIZE);
	g_assert_cmpuint(test_server_bytes_served(ts), <=, BODY_SIZE + 4 * CHUNK_SIZE);
	g_assert_finalize_object(download);
}

static void
longer_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_LONGER, 0);
	g_autoptr(TestFiles) files = test_files_new("longer.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_INVALID_DATA, "bigger than expected");
	g_assert_finalize_object(download);
}

static void
longer_single_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_LONGER, 0);
	g_autoptr(TestFiles) files = test_files_new("longer-single.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	/* no ranges: the whole-file answer is too long */
	ts->ignore_range = TRUE;
	ub_download_start(download);
	assert_failed(download, UB_ERROR, UB_ERROR_INVALID_DATA, "bigger than expected");
	g_assert_finalize_object(download);
}

static void
file_changed_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NEW_ETAG, 0);
	g_autoptr(TestFiles) files = test_files_new("changed.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, BODY_SIZE);

	/* If-Range no longer matches after a few requests: start over with
	 * the new version rather than mixing the two */
	ub_download_start(download);
	assert_done(download, files);
	g_assert_finalize_object(download);
}

static void
unknown_size_func(void)
{
	g_autoptr(TestServer) ts = test_server_new(FAULT_NONE, 0);
	g_autoptr(TestFiles) files = test_files_new("unknown.ipsw");
	g_autofree gchar *uri = test_server_uri(ts, "/file");
	UbDownload *download = download_new(uri, files, 0);

	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(ub_download_get_bytes_total(download), ==, BODY_SIZE);
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
	guint64 served;

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
	test_server_wait_idle(ts);
	served = test_server_bytes_served(ts);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(test_server_bytes_served(ts) - served, <=, BODY_SIZE - done + CHUNK_SIZE);
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
	g_assert_cmpuint(ts->requests, ==, 0);
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

	ts->throttle_us = 8000;
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

	g_mutex_lock(&ts->lock);
	ts->throttle_us = 0;
	g_mutex_unlock(&ts->lock);
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
	ts->throttle_us = 2000;
	watch_init(&watch, download);
	ub_download_start(download);
	ub_test_spin(50);
	ub_download_pause(download);
	ub_download_resume(download);
	g_mutex_lock(&ts->lock);
	ts->throttle_us = 0;
	g_mutex_unlock(&ts->lock);
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

	ts->throttle_us = 8000;
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

	ts->throttle_us = 8000;
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
	guint64 served;
	Watch watch;

	ts->throttle_us = 8000;
	watch_init(&watch, download);
	watch.pause_at = BODY_SIZE / 3;
	ub_download_start(download);
	wait_paused(download, &watch);
	done = ub_download_get_bytes_done(download);
	g_assert_finalize_object(download);
	test_server_wait_idle(ts);

	/* as after quitting the app: a new object, the same destination; one
	 * connection, so no range is split and abandoned and the count is
	 * exact */
	g_mutex_lock(&ts->lock);
	ts->throttle_us = 0;
	served = ts->bytes_served;
	g_mutex_unlock(&ts->lock);
	download = download_new(uri, files, BODY_SIZE);
	ub_download_set_connections(download, 1);
	ub_download_start(download);
	assert_done(download, files);
	g_assert_cmpuint(test_server_bytes_served(ts) - served, ==, BODY_SIZE - done);
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

	g_test_add_func("/unbrick/download/basic", basic_func);
	g_test_add_func("/unbrick/download/sha1", sha1_func);
	g_test_add_func("/unbrick/download/drops", drops_func);
	g_test_add_func("/unbrick/download/truncated", truncated_func);
	g_test_add_func("/unbrick/download/ignore-range", ignore_range_func);
	g_test_add_func("/unbrick/download/ignore-range-drops", ignore_range_drops_func);
	g_test_add_func("/unbrick/download/wrong-content-range", wrong_range_func);
	g_test_add_func("/unbrick/download/not-found", not_found_func);
	g_test_add_func("/unbrick/download/range-416", range_416_func);
	g_test_add_func("/unbrick/download/server-error", server_error_func);
	g_test_add_func("/unbrick/download/server-error-once", server_error_once_func);
	g_test_add_func("/unbrick/download/retry-after", retry_after_func);
	g_test_add_func("/unbrick/download/too-many-requests", too_many_requests_func);
	g_test_add_func("/unbrick/download/redirect-refused", redirect_refused_func);
	g_test_add_func("/unbrick/download/redirect-followed", redirect_followed_func);
	g_test_add_func("/unbrick/download/refused-host", refused_host_func);
	g_test_add_func("/unbrick/download/html", html_func);
	g_test_add_func("/unbrick/download/hash-mismatch", hash_mismatch_func);
	g_test_add_func("/unbrick/download/longer", longer_func);
	g_test_add_func("/unbrick/download/longer-single", longer_single_func);
	g_test_add_func("/unbrick/download/file-changed", file_changed_func);
	g_test_add_func("/unbrick/download/unknown-size", unknown_size_func);
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
