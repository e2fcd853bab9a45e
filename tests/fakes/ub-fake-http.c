/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ub-fake-http.h"

#define BLOCK_SIZE (64 * 1024)
#define IDLE_WAIT_MS 20000

typedef struct {
	gchar *content_type;
	GBytes *body;
	gchar *etag;
} File;

struct _UbFakeHttp {
	GMutex lock;
	GCond cond;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	gchar *base;
	gboolean shutdown;

	GHashTable *files;    /* path -> File */
	GHashTable *requests; /* path -> GUINT_TO_POINTER(count) */
	guint requests_total;
	SoupMessageHeaders *last_headers;
	UbFakeHttpHandler handler;
	gpointer handler_data;

	GPtrArray *responders; /* of GThread */
	guint responding;
	guint throttle_us;
	guint64 bytes_sent;
};

typedef struct {
	UbFakeHttp *server;
	GIOStream *stream;
	UbFakeHttpExchange exchange;
} Answer;

static void
file_free(File *file)
{
	g_free(file->content_type);
	g_bytes_unref(file->body);
	g_free(file->etag);
	g_free(file);
}

static void
answer_free(Answer *answer)
{
	g_clear_object(&answer->stream);
	g_string_free(answer->exchange.head, TRUE);
	g_clear_pointer(&answer->exchange.body, g_bytes_unref);
	g_free(answer);
}

/* answers */

void
ub_fake_http_add_header(UbFakeHttpExchange *exchange, const gchar *name, const gchar *value)
{
	g_string_append_printf(exchange->head, "%s: %s\r\n", name, value);
}

void
ub_fake_http_respond(UbFakeHttpExchange *exchange,
		     guint status,
		     const gchar *content_type,
		     GBytes *body)
{
	exchange->status = status;
	if (content_type != NULL)
		ub_fake_http_add_header(exchange, "Content-Type", content_type);
	g_clear_pointer(&exchange->body, g_bytes_unref);
	exchange->body = body != NULL ? g_bytes_ref(body) : NULL;
	exchange->offset = 0;
	exchange->length = body != NULL ? g_bytes_get_size(body) : 0;
}

void
ub_fake_http_respond_text(UbFakeHttpExchange *exchange,
			  guint status,
			  const gchar *content_type,
			  const gchar *text)
{
	g_autoptr(GBytes) body = g_bytes_new(text, strlen(text));

	ub_fake_http_respond(exchange, status, content_type, body);
}

void
ub_fake_http_redirect(UbFakeHttpExchange *exchange, guint status, const gchar *location)
{
	ub_fake_http_respond_text(exchange, status, "text/plain", "moved\n");
	ub_fake_http_add_header(exchange, "Location", location);
}

gboolean
ub_fake_http_get_range(UbFakeHttpExchange *exchange, guint64 size, guint64 *start, guint64 *end)
{
	const gchar *value = soup_message_headers_get_one(exchange->request_headers, "Range");
	gchar *rest = NULL;

	if (value == NULL || !g_str_has_prefix(value, "bytes=") || size == 0)
		return FALSE;
	*start = g_ascii_strtoull(value + 6, &rest, 10);
	if (rest == value + 6 || *rest != '-')
		return FALSE;
	if (rest[1] == '\0') {
		*end = size - 1;
	} else {
		*end = g_ascii_strtoull(rest + 1, &rest, 10);
		if (*rest != '\0' || *end < *start)
			return FALSE;
	}
	if (*end >= size)
		*end = size - 1;
	return *start <= *end;
}

void
ub_fake_http_respond_range(UbFakeHttpExchange *exchange,
			   const gchar *content_type,
			   GBytes *body,
			   guint64 start,
			   guint64 end)
{
	g_autofree gchar *range = NULL;

	ub_fake_http_respond(exchange, SOUP_STATUS_PARTIAL_CONTENT, content_type, body);
	range =
	    g_strdup_printf("bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/%" G_GSIZE_FORMAT,
			    start,
			    end,
			    g_bytes_get_size(body));
	ub_fake_http_add_header(exchange, "Content-Range", range);
	exchange->offset = start;
	exchange->length = end - start + 1;
}

void
ub_fake_http_respond_file(UbFakeHttpExchange *exchange,
			  const gchar *content_type,
			  GBytes *body,
			  const gchar *etag,
			  const gchar *last_modified)
{
	const gchar *if_range = soup_message_headers_get_one(exchange->request_headers, "If-Range");
	guint64 start = 0;
	guint64 end = 0;

	if (ub_fake_http_get_range(exchange, g_bytes_get_size(body), &start, &end) &&
	    (if_range == NULL || g_strcmp0(if_range, etag) == 0))
		ub_fake_http_respond_range(exchange, content_type, body, start, end);
	else
		ub_fake_http_respond(exchange, SOUP_STATUS_OK, content_type, body);
	ub_fake_http_add_header(exchange, "ETag", etag);
	if (last_modified != NULL)
		ub_fake_http_add_header(exchange, "Last-Modified", last_modified);
	ub_fake_http_add_header(exchange, "Accept-Ranges", "bytes");
}

/* writing an answer */

static GSocket *
stream_socket(GIOStream *stream)
{
	if (G_IS_SOCKET_CONNECTION(stream))
		return g_socket_connection_get_socket(G_SOCKET_CONNECTION(stream));
	return g_object_get_data(G_OBJECT(stream), "GSocket");
}

static GString *
status_and_head(const UbFakeHttpExchange *exchange)
{
	GString *out = g_string_new(NULL);

	/* libsoup has no phrase for 429 */
	g_string_append_printf(out,
			       "HTTP/1.1 %u %s\r\n",
			       exchange->status,
			       exchange->status == 429 ? "Too Many Requests"
						       : soup_status_get_phrase(exchange->status));
	g_string_append(out, exchange->head->str);
	if (exchange->chunked)
		g_string_append(out, "Transfer-Encoding: chunked\r\n");
	else
		g_string_append_printf(
		    out, "Content-Length: %" G_GUINT64_FORMAT "\r\n", exchange->length);
	g_string_append(out, "Connection: close\r\n\r\n");
	return out;
}

static gboolean
write_block(UbFakeHttp *self,
	    GOutputStream *out,
	    const UbFakeHttpExchange *exchange,
	    guint8 *block,
	    gsize n,
	    guint64 at)
{
	const guint8 *data = g_bytes_get_data(exchange->body, NULL);
	gboolean counted = exchange->status >= 200 && exchange->status < 300;
	guint throttle_us;
	gboolean ok;

	memcpy(block, data + at, n);
	if (exchange->flip_at >= 0 && at <= (guint64)exchange->flip_at &&
	    (guint64)exchange->flip_at < at + n)
		block[(guint64)exchange->flip_at - at] ^= 0x5a;
	if (exchange->chunked) {
		g_autofree gchar *size = g_strdup_printf("%" G_GSIZE_MODIFIER "x\r\n", n);

		ok = g_output_stream_write_all(out, size, strlen(size), NULL, NULL, NULL) &&
		     g_output_stream_write_all(out, block, n, NULL, NULL, NULL) &&
		     g_output_stream_write_all(out, "\r\n", 2, NULL, NULL, NULL);
	} else {
		ok = g_output_stream_write_all(out, block, n, NULL, NULL, NULL);
	}
	if (!ok)
		return FALSE;

	g_mutex_lock(&self->lock);
	if (counted)
		self->bytes_sent += n;
	throttle_us = self->shutdown ? 0 : self->throttle_us;
	ok = !self->shutdown;
	g_mutex_unlock(&self->lock);
	if (throttle_us > 0)
		g_usleep(throttle_us);
	return ok;
}

static gpointer
answer_thread(gpointer data)
{
	Answer *answer = data;
	UbFakeHttp *self = answer->server;
	const UbFakeHttpExchange *exchange = &answer->exchange;
	GOutputStream *out = g_io_stream_get_output_stream(answer->stream);
	GSocket *socket = stream_socket(answer->stream);
	g_autofree guint8 *block = g_malloc(BLOCK_SIZE);
	g_autoptr(GString) head = status_and_head(exchange);
	guint64 to_send = MIN(exchange->length, exchange->cut_at);
	guint64 sent = 0;
	gboolean ok;

	if (socket != NULL)
		g_socket_set_blocking(socket, TRUE);
	ok = g_output_stream_write_all(out, head->str, head->len, NULL, NULL, NULL);
	while (ok && sent < to_send) {
		gsize n = MIN(BLOCK_SIZE, to_send - sent);

		ok = write_block(self, out, exchange, block, n, exchange->offset + sent);
		sent += n;
	}
	if (ok && exchange->chunked && sent == exchange->length)
		ok = g_output_stream_write_all(out, "0\r\n\r\n", 5, NULL, NULL, NULL);
	if (ok && sent < exchange->length && exchange->reset && socket != NULL) {
		struct linger linger = {.l_onoff = 1, .l_linger = 0};

		setsockopt(g_socket_get_fd(socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
	}
	g_output_stream_flush(out, NULL, NULL);
	g_io_stream_close(answer->stream, NULL, NULL);

	g_mutex_lock(&self->lock);
	self->responding--;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->lock);
	answer_free(answer);
	return NULL;
}

static void
request_cb(SoupServer *server,
	   SoupServerMessage *msg,
	   const char *path,
	   GHashTable *query,
	   gpointer user_data)
{
	UbFakeHttp *self = user_data;
	Answer *answer = g_new0(Answer, 1);
	UbFakeHttpExchange *exchange = &answer->exchange;
	File *file;

	answer->server = self;
	exchange->path = path;
	exchange->query = query;
	exchange->request_headers = soup_server_message_get_request_headers(msg);
	exchange->head = g_string_new(NULL);
	exchange->cut_at = G_MAXUINT64;
	exchange->flip_at = -1;

	g_mutex_lock(&self->lock);
	self->requests_total++;
	g_hash_table_replace(
	    self->requests,
	    g_strdup(path),
	    GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(self->requests, path)) + 1));
	g_clear_pointer(&self->last_headers, soup_message_headers_unref);
	self->last_headers = soup_message_headers_ref(exchange->request_headers);
	file = g_hash_table_lookup(self->files, path);
	if (file != NULL)
		ub_fake_http_respond_file(
		    exchange, file->content_type, file->body, file->etag, NULL);
	else if (self->handler != NULL)
		self->handler(exchange, self->handler_data);
	else
		ub_fake_http_respond_text(exchange, SOUP_STATUS_NOT_FOUND, "text/plain", "no\n");
	/* the request is SoupServer's, and ends with the stolen message */
	exchange->path = NULL;
	exchange->query = NULL;
	exchange->request_headers = NULL;
	self->responding++;
	g_mutex_unlock(&self->lock);

	answer->stream = soup_server_message_steal_connection(msg);
	g_mutex_lock(&self->lock);
	g_ptr_array_add(self->responders, g_thread_new("fake-http-answer", answer_thread, answer));
	g_mutex_unlock(&self->lock);
}

/* the server */

static gpointer
server_thread(gpointer user_data)
{
	UbFakeHttp *self = user_data;
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GError) error = NULL;
	GSList *uris;

	g_main_context_push_thread_default(self->context);
	server = soup_server_new("server-header", "ub-fake-http", NULL);
	soup_server_add_handler(server, NULL, request_cb, self, NULL);
	soup_server_listen_local(server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
	g_assert_no_error(error);
	uris = soup_server_get_uris(server);
	g_mutex_lock(&self->lock);
	self->base = g_strdup_printf("http://127.0.0.1:%d", g_uri_get_port(uris->data));
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->lock);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);

	g_main_loop_run(self->loop);
	soup_server_disconnect(server);
	g_main_context_pop_thread_default(self->context);
	return NULL;
}

UbFakeHttp *
ub_fake_http_new(void)
{
	UbFakeHttp *self = g_new0(UbFakeHttp, 1);

	g_mutex_init(&self->lock);
	g_cond_init(&self->cond);
	self->files =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)file_free);
	self->requests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->responders = g_ptr_array_new();
	self->context = g_main_context_new();
	self->loop = g_main_loop_new(self->context, FALSE);
	self->thread = g_thread_new("fake-http", server_thread, self);
	g_mutex_lock(&self->lock);
	while (self->base == NULL)
		g_cond_wait(&self->cond, &self->lock);
	g_mutex_unlock(&self->lock);
	return self;
}

static gboolean
quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

void
ub_fake_http_free(UbFakeHttp *self)
{
	g_autoptr(GSource) quit = NULL;

	if (self == NULL)
		return;
	g_mutex_lock(&self->lock);
	self->shutdown = TRUE;
	g_mutex_unlock(&self->lock);
	/* quit from inside the loop: a g_main_loop_quit() that comes before the
	 * server thread reached g_main_loop_run() is forgotten, and the join
	 * would wait forever */
	quit = g_idle_source_new();
	g_source_set_callback(quit, quit_cb, self->loop, NULL);
	g_source_attach(quit, self->context);
	g_thread_join(self->thread);
	for (guint i = 0; i < self->responders->len; i++)
		g_thread_join(g_ptr_array_index(self->responders, i));
	g_ptr_array_unref(self->responders);
	g_main_loop_unref(self->loop);
	g_main_context_unref(self->context);
	g_hash_table_unref(self->files);
	g_hash_table_unref(self->requests);
	g_clear_pointer(&self->last_headers, soup_message_headers_unref);
	g_free(self->base);
	g_mutex_clear(&self->lock);
	g_cond_clear(&self->cond);
	g_free(self);
}

const gchar *
ub_fake_http_get_base(UbFakeHttp *self)
{
	return self->base;
}

gchar *
ub_fake_http_dup_uri(UbFakeHttp *self, const gchar *path)
{
	return g_strconcat(self->base, path, NULL);
}

void
ub_fake_http_add_file(UbFakeHttp *self, const gchar *path, const gchar *content_type, GBytes *body)
{
	File *file = g_new0(File, 1);

	file->content_type = g_strdup(content_type);
	file->body = g_bytes_ref(body);
	file->etag = g_strdup_printf(
	    "\"%08x-%" G_GSIZE_FORMAT "\"", g_bytes_hash(body), g_bytes_get_size(body));
	g_mutex_lock(&self->lock);
	g_hash_table_replace(self->files, g_strdup(path), file);
	g_mutex_unlock(&self->lock);
}

void
ub_fake_http_set_handler(UbFakeHttp *self, UbFakeHttpHandler handler, gpointer user_data)
{
	g_mutex_lock(&self->lock);
	self->handler = handler;
	self->handler_data = user_data;
	g_mutex_unlock(&self->lock);
}

void
ub_fake_http_set_throttle(UbFakeHttp *self, guint throttle_us)
{
	g_mutex_lock(&self->lock);
	self->throttle_us = throttle_us;
	g_mutex_unlock(&self->lock);
}

void
ub_fake_http_lock(UbFakeHttp *self)
{
	g_mutex_lock(&self->lock);
}

void
ub_fake_http_unlock(UbFakeHttp *self)
{
	g_mutex_unlock(&self->lock);
}

guint
ub_fake_http_get_requests(UbFakeHttp *self, const gchar *path)
{
	guint requests;

	g_mutex_lock(&self->lock);
	if (path == NULL)
		requests = self->requests_total;
	else
		requests = GPOINTER_TO_UINT(g_hash_table_lookup(self->requests, path));
	g_mutex_unlock(&self->lock);
	return requests;
}

guint64
ub_fake_http_get_bytes_sent(UbFakeHttp *self)
{
	guint64 sent;

	g_mutex_lock(&self->lock);
	sent = self->bytes_sent;
	g_mutex_unlock(&self->lock);
	return sent;
}

gchar *
ub_fake_http_dup_last_header(UbFakeHttp *self, const gchar *header)
{
	gchar *value = NULL;

	g_mutex_lock(&self->lock);
	if (self->last_headers != NULL)
		value = g_strdup(soup_message_headers_get_one(self->last_headers, header));
	g_mutex_unlock(&self->lock);
	return value;
}

void
ub_fake_http_wait_idle(UbFakeHttp *self)
{
	gint64 deadline = g_get_monotonic_time() + IDLE_WAIT_MS * G_TIME_SPAN_MILLISECOND;

	g_mutex_lock(&self->lock);
	while (self->responding > 0)
		g_assert_true(g_cond_wait_until(&self->cond, &self->lock, deadline));
	g_mutex_unlock(&self->lock);
}
