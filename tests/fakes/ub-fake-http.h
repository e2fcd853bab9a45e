/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * The one HTTP server of the tests: a loopback server on a thread and main
 * context of its own, so a client may be synchronous on its own threads
 * (the download) or asynchronous on the test's main context (the catalog).
 *
 * SoupServer parses each request; the answer is written by hand from the
 * stolen connection on a thread of its own, which is what lets a handler
 * lie, stall, flip a byte and drop the connection mid-body.
 *
 * Paths added with ub_fake_http_add_file() are served as a download server
 * serves a file (Range, If-Range, an ETag); every other request goes to the
 * handler, or is answered 404 without one.
 */
typedef struct _UbFakeHttp UbFakeHttp;

typedef struct {
	/* the request */
	const gchar *path;
	GHashTable *query; /* NULL without one */
	SoupMessageHeaders *request_headers;

	/* the answer the handler fills in */
	guint status;
	GString *head;	  /* header lines after the status line, each with its CRLF */
	GBytes *body;	  /* NULL for none */
	guint64 offset;	  /* of the first byte sent, in @body */
	guint64 length;	  /* body bytes promised */
	guint64 cut_at;	  /* end after this many body bytes (G_MAXUINT64: never) */
	gboolean reset;	  /* a reset rather than a clean close at the cut */
	gboolean chunked; /* chunked transfer instead of a Content-Length */
	gint64 flip_at;	  /* the offset in @body sent wrong, or -1 */
} UbFakeHttpExchange;

/* called on the server's thread with the server's lock held; change what it
 * reads between ub_fake_http_lock() and ub_fake_http_unlock() */
typedef void (*UbFakeHttpHandler)(UbFakeHttpExchange *exchange, gpointer user_data);

UbFakeHttp *
ub_fake_http_new(void);
void
ub_fake_http_free(UbFakeHttp *self);
/* "http://127.0.0.1:PORT" */
const gchar *
ub_fake_http_get_base(UbFakeHttp *self);
gchar *
ub_fake_http_dup_uri(UbFakeHttp *self, const gchar *path);

void
ub_fake_http_add_file(UbFakeHttp *self, const gchar *path, const gchar *content_type, GBytes *body);
void
ub_fake_http_set_handler(UbFakeHttp *self, UbFakeHttpHandler handler, gpointer user_data);
/* microseconds of sleep after every 64 KiB of body */
void
ub_fake_http_set_throttle(UbFakeHttp *self, guint throttle_us);
void
ub_fake_http_lock(UbFakeHttp *self);
void
ub_fake_http_unlock(UbFakeHttp *self);

/* requests for @path, or for any path with NULL */
guint
ub_fake_http_get_requests(UbFakeHttp *self, const gchar *path);
/* body bytes written in 2xx answers */
guint64
ub_fake_http_get_bytes_sent(UbFakeHttp *self);
/* the last request's value of @header, or NULL */
gchar *
ub_fake_http_dup_last_header(UbFakeHttp *self, const gchar *header);
/* waits until every answer is written or given up (a client that went away
 * ends its answer at the next write) */
void
ub_fake_http_wait_idle(UbFakeHttp *self);

/* answers for handlers */
void
ub_fake_http_respond(UbFakeHttpExchange *exchange,
		     guint status,
		     const gchar *content_type,
		     GBytes *body);
void
ub_fake_http_respond_text(UbFakeHttpExchange *exchange,
			  guint status,
			  const gchar *content_type,
			  const gchar *text);
void
ub_fake_http_redirect(UbFakeHttpExchange *exchange, guint status, const gchar *location);
void
ub_fake_http_add_header(UbFakeHttpExchange *exchange, const gchar *name, const gchar *value);
/* the request's single "bytes=START-[END]" range within @size, END clamped */
gboolean
ub_fake_http_get_range(UbFakeHttpExchange *exchange, guint64 size, guint64 *start, guint64 *end);
/* 206 with bytes START..END of @body and their Content-Range */
void
ub_fake_http_respond_range(UbFakeHttpExchange *exchange,
			   const gchar *content_type,
			   GBytes *body,
			   guint64 start,
			   guint64 end);
/* as a download server: a 206 to a Range whose If-Range (if any) is @etag,
 * else 200 and the whole of @body; with ETag, Last-Modified, Accept-Ranges */
void
ub_fake_http_respond_file(UbFakeHttpExchange *exchange,
			  const gchar *content_type,
			  GBytes *body,
			  const gchar *etag,
			  const gchar *last_modified);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFakeHttp, ub_fake_http_free)

G_END_DECLS
