/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ub-fake-http.h"

typedef struct {
	gchar *content_type;
	GBytes *body;
	guint requests;
} Entry;

struct _UbFakeHttp {
	GMutex lock;
	GCond cond;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	gchar *base;
	GHashTable *entries; /* path -> Entry */
};

static void
entry_free(Entry *entry)
{
	g_free(entry->content_type);
	g_bytes_unref(entry->body);
	g_free(entry);
}

static void
handler_cb(SoupServer *server,
	   SoupServerMessage *msg,
	   const char *path,
	   GHashTable *query,
	   gpointer user_data)
{
	UbFakeHttp *self = user_data;
	SoupMessageHeaders *request = soup_server_message_get_request_headers(msg);
	SoupMessageHeaders *response = soup_server_message_get_response_headers(msg);
	g_autofree gchar *etag = NULL;
	g_autoptr(GBytes) slice = NULL;
	const gchar *if_range;
	SoupRange *ranges = NULL;
	int n_ranges = 0;
	Entry *entry;
	gsize size;

	g_mutex_lock(&self->lock);
	entry = g_hash_table_lookup(self->entries, path);
	if (entry != NULL)
		entry->requests++;
	g_mutex_unlock(&self->lock);
	if (entry == NULL) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}

	size = g_bytes_get_size(entry->body);
	etag = g_strdup_printf("\"%08x-%" G_GSIZE_FORMAT "\"", g_bytes_hash(entry->body), size);
	soup_message_headers_replace(response, "ETag", etag);
	soup_message_headers_replace(response, "Accept-Ranges", "bytes");
	if_range = soup_message_headers_get_one(request, "If-Range");
	if (soup_message_headers_get_ranges(request, size, &ranges, &n_ranges) && n_ranges == 1 &&
	    (if_range == NULL || g_strcmp0(if_range, etag) == 0)) {
		goffset start = ranges[0].start;
		goffset end = ranges[0].end;

		slice = g_bytes_new_from_bytes(entry->body, (gsize)start, (gsize)(end - start + 1));
		soup_message_headers_set_content_range(response, start, end, (goffset)size);
		soup_server_message_set_status(msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
	} else {
		slice = g_bytes_ref(entry->body);
		soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	}
	if (ranges != NULL)
		soup_message_headers_free_ranges(request, ranges);
	soup_server_message_set_response(msg,
					 entry->content_type,
					 SOUP_MEMORY_COPY,
					 g_bytes_get_data(slice, NULL),
					 g_bytes_get_size(slice));
}

static gpointer
server_thread(gpointer user_data)
{
	UbFakeHttp *self = user_data;
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GError) error = NULL;
	GSList *uris;

	g_main_context_push_thread_default(self->context);
	server = soup_server_new(NULL, NULL);
	soup_server_add_handler(server, NULL, handler_cb, self, NULL);
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
	self->entries =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)entry_free);
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
	if (self == NULL)
		return;
	g_main_context_invoke(self->context, quit_cb, self->loop);
	g_thread_join(self->thread);
	g_main_loop_unref(self->loop);
	g_main_context_unref(self->context);
	g_hash_table_unref(self->entries);
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

void
ub_fake_http_add(UbFakeHttp *self, const gchar *path, const gchar *content_type, GBytes *body)
{
	Entry *entry = g_new0(Entry, 1);

	entry->content_type = g_strdup(content_type);
	entry->body = g_bytes_ref(body);
	g_mutex_lock(&self->lock);
	g_hash_table_replace(self->entries, g_strdup(path), entry);
	g_mutex_unlock(&self->lock);
}

guint
ub_fake_http_get_requests(UbFakeHttp *self, const gchar *path)
{
	Entry *entry;
	guint requests;

	g_mutex_lock(&self->lock);
	entry = g_hash_table_lookup(self->entries, path);
	requests = entry != NULL ? entry->requests : 0;
	g_mutex_unlock(&self->lock);
	return requests;
}
