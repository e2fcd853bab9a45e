/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-download"

#include "config.h"

/* fallocate() and sync_file_range() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub-download-parts.h"
#include "ub-error.h"
#include "ub-fd.h"
#include "ub-host-policy.h"

/*
 * How it works
 *
 * A run (start or resume until done, paused, failed or cancelled) is one
 * coordinator thread, N worker threads and one hasher thread; the main
 * context only sees a 100 ms progress tick and the final result.
 *
 * Workers each own a SoupSession (one keep-alive connection) and take
 * ranges of the file in order: a free unfinished segment first (one whose
 * connection dropped), else the next chunk after the frontier, else half of
 * the biggest range still in flight. Chunks rather than N fixed quarters so
 * the finished prefix of the file grows at the full download rate: SHA-256
 * cannot be split, and with fixed quarters three quarters of the file would
 * still wait for the hash after the last byte arrived.
 *
 * The hasher reads the contiguous prefix back from the .part file (it is
 * still in the page cache) and feeds GnuTLS in file order, so the digest is
 * ready moments after the last byte and there is no second pass. It also
 * starts writeback of what it hashed, so the closing fsync is short.
 * (Writing with O_DIRECT and hashing from the receive buffers instead was
 * tried: on a two-core machine it was slower, as the per-request cost of
 * direct I/O outweighed the copies it saved, and it needs buffers for every
 * range the hasher has not reached yet.)
 *
 * "<dest>.part.state" (a GKeyFile) records the address, size, validator,
 * each unfinished segment and the frontier. GnuTLS cannot save a hash
 * state, so after an app restart the finished prefix is hashed again from
 * disk, once, at disk speed; a pause and resume in the same process keeps
 * the hash state in memory.
 */

UbFetch
_ub_worker_classify_error(const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return UB_FETCH_STOPPED;
	if (error->domain == UB_ERROR || error->domain == G_TLS_ERROR)
		return UB_FETCH_FATAL;
	return UB_FETCH_RETRY;
}

/* closes a response whose body is not read to the end without reading the
 * rest: a cancelled close makes libsoup drop the connection */
void
_ub_worker_abandon(GInputStream *stream)
{
	g_autoptr(GCancellable) cancelled = g_cancellable_new();

	g_cancellable_cancel(cancelled);
	g_input_stream_close(stream, cancelled, NULL);
}

/* a response, after following redirects ourselves so each hop passes the
 * host policy */
GInputStream *
_ub_worker_send(UbWorker *worker,
		guint64 from,
		guint64 to,
		gboolean ranged,
		const gchar *if_range,
		GCancellable *cancellable,
		SoupMessage **msg_out,
		GError **error)
{
	UbRun *run = worker->run;
	g_autofree gchar *uri = NULL;

	g_mutex_lock(&run->lock);
	uri = g_strdup(run->effective_uri != NULL ? run->effective_uri : run->uri);
	g_mutex_unlock(&run->lock);

	if (!ub_host_policy_check_uri(
		uri, UB_HOST_PURPOSE_FIRMWARE, run->expected_hash != NULL, error))
		return NULL;
	for (guint redirects = 0;;) {
		g_autoptr(SoupMessage) msg = NULL;
		g_autoptr(GInputStream) stream = NULL;
		SoupMessageHeaders *headers;
		const gchar *location;
		gchar *next;
		guint status;

		msg = soup_message_new(SOUP_METHOD_GET, uri);
		if (msg == NULL) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the firmware address is not valid: %s",
				    uri);
			return NULL;
		}
		soup_message_add_flags(msg, SOUP_MESSAGE_NO_REDIRECT);
		headers = soup_message_get_request_headers(msg);
		soup_message_headers_replace(headers, "Accept-Encoding", "identity");
		if (ranged) {
			soup_message_headers_set_range(headers, (goffset)from, (goffset)to - 1);
			if (if_range != NULL)
				soup_message_headers_replace(headers, "If-Range", if_range);
		}
		stream = soup_session_send(worker->session, msg, cancellable, error);
		if (stream == NULL)
			return NULL;
		status = soup_message_get_status(msg);
		location = soup_message_headers_get_one(soup_message_get_response_headers(msg),
							"Location");
		if (!SOUP_STATUS_IS_REDIRECTION(status) || status == SOUP_STATUS_NOT_MODIFIED ||
		    location == NULL) {
			g_mutex_lock(&run->lock);
			if (SOUP_STATUS_IS_SUCCESSFUL(status) && redirects > 0 &&
			    g_strcmp0(run->effective_uri, uri) != 0) {
				g_free(run->effective_uri);
				run->effective_uri = g_strdup(uri);
			}
			g_mutex_unlock(&run->lock);
			*msg_out = g_steal_pointer(&msg);
			return g_steal_pointer(&stream);
		}
		_ub_worker_abandon(stream);
		next = ub_host_policy_follow_redirect(uri,
						      location,
						      &redirects,
						      UB_DOWNLOAD_MAX_REDIRECTS,
						      UB_HOST_PURPOSE_FIRMWARE,
						      run->expected_hash != NULL,
						      error);
		if (next == NULL)
			return NULL;
		g_free(uri);
		uri = next;
	}
}

guint64
_ub_worker_retry_after_ms(SoupMessage *msg)
{
	const gchar *value =
	    soup_message_headers_get_one(soup_message_get_response_headers(msg), "Retry-After");
	g_autoptr(GDateTime) date = NULL;
	g_autoptr(GDateTime) now = NULL;
	gchar *end = NULL;
	guint64 seconds;

	if (value == NULL)
		return 0;
	seconds = g_ascii_strtoull(value, &end, 10);
	if (end != value && *end == '\0')
		return seconds * 1000;
	date = soup_date_time_new_from_http_string(value);
	if (date == NULL)
		return 0;
	now = g_date_time_new_now_utc();
	if (g_date_time_compare(date, now) <= 0)
		return 0;
	return (guint64)g_date_time_difference(date, now) / 1000;
}

UbFetch
_ub_worker_http_error(SoupMessage *msg, GError **error)
{
	guint status = soup_message_get_status(msg);
	const gchar *reason = soup_message_get_reason_phrase(msg);

	if (reason == NULL || reason[0] == '\0')
		reason = soup_status_get_phrase(status);
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_FAILED,
		    "the download server answered %u %s",
		    status,
		    reason != NULL ? reason : "");
	/* 429 Too Many Requests has no libsoup name */
	if (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
		return UB_FETCH_BUSY;
	if (status >= 500 && status < 600)
		return UB_FETCH_SERVER;
	return UB_FETCH_FATAL;
}

/* what every successful response must be: the file itself, as is */
gboolean
_ub_worker_check_body_kind(SoupMessage *msg, GError **error)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	const gchar *content_type = soup_message_headers_get_content_type(headers, NULL);
	const gchar *encoding = soup_message_headers_get_one(headers, "Content-Encoding");

	/* a captive portal answers every address with its login page */
	if (content_type != NULL &&
	    (g_ascii_strcasecmp(content_type, "text/html") == 0 ||
	     g_ascii_strcasecmp(content_type, "application/xhtml+xml") == 0)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the network returned a web page instead of the file (a Wi-Fi "
			    "login page?)");
		return FALSE;
	}
	if (encoding != NULL && g_ascii_strcasecmp(encoding, "identity") != 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the server sent the file encoded (%s), which cannot be resumed",
			    encoding);
		return FALSE;
	}
	return TRUE;
}

static void
ub_run_size_mismatch(guint64 size, guint64 server_size, GError **error)
{
	g_autofree gchar *expected = g_format_size_full(size, G_FORMAT_SIZE_LONG_FORMAT);
	g_autofree gchar *got = g_format_size_full(server_size, G_FORMAT_SIZE_LONG_FORMAT);

	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_INVALID_DATA,
		    "the file on the server is %s than expected (%s, not %s)",
		    server_size > size ? "bigger" : "smaller",
		    got,
		    expected);
}

/* the validator this response carries against the one we hold; the first
 * response of a new download sets it */
gboolean
_ub_run_same_file(UbRun *run, SoupMessage *msg)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	const gchar *etag = soup_message_headers_get_one(headers, "ETag");
	const gchar *last_modified = soup_message_headers_get_one(headers, "Last-Modified");
	UbPlan *plan = run->plan;
	gboolean same = TRUE;

	g_mutex_lock(&run->lock);
	if (plan->etag == NULL && plan->last_modified == NULL) {
		plan->etag = g_strdup(etag);
		plan->last_modified = g_strdup(last_modified);
	} else if (plan->etag != NULL && etag != NULL) {
		same = g_strcmp0(plan->etag, etag) == 0;
	} else if (plan->last_modified != NULL && last_modified != NULL) {
		same = g_strcmp0(plan->last_modified, last_modified) == 0;
	}
	g_mutex_unlock(&run->lock);
	return same;
}

/* a 200 or 206 response checked against the range it answers */
static UbFetch
ub_worker_check_response(UbWorker *worker,
			 SoupMessage *msg,
			 guint64 from,
			 guint64 to,
			 gboolean ranged,
			 gboolean *has_length,
			 GError **error)
{
	UbRun *run = worker->run;
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	guint status = soup_message_get_status(msg);
	goffset start = 0;
	goffset end = 0;
	goffset total = 0;
	goffset length;
	guint64 size;

	g_mutex_lock(&run->lock);
	size = run->plan->size;
	g_mutex_unlock(&run->lock);

	if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && ranged) {
		g_debug(
		    "416 for %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT ", starting over", from, to);
		_ub_run_restart(run, UB_RESTART_SINGLE);
		return UB_FETCH_RESTART;
	}
	if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT) {
		UbFetch result = _ub_worker_http_error(msg, error);
		if (result == UB_FETCH_BUSY)
			worker->retry_after_ms = _ub_worker_retry_after_ms(msg);
		return result;
	}
	if (!_ub_worker_check_body_kind(msg, error))
		return UB_FETCH_FATAL;
	if (status == SOUP_STATUS_PARTIAL_CONTENT && !ranged) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the server sent part of the file when all of it was asked for");
		return UB_FETCH_FATAL;
	}

	/* a 200 to a range request: the whole file, and either the server
	 * cannot do ranges or the file changed (If-Range did not match) */
	if (status == SOUP_STATUS_OK && ranged) {
		gboolean same = _ub_run_same_file(run, msg);
		g_debug("200 to a range request: %s",
			same ? "the server ignores Range" : "the file changed");
		_ub_run_restart(run, same ? UB_RESTART_SINGLE : UB_RESTART_CHANGED);
		return UB_FETCH_RESTART;
	}
	if (!_ub_run_same_file(run, msg)) {
		g_debug("the file changed on the server");
		_ub_run_restart(run, UB_RESTART_CHANGED);
		return UB_FETCH_RESTART;
	}

	length = soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH
		     ? soup_message_headers_get_content_length(headers)
		     : -1;
	*has_length = length >= 0;
	if (status == SOUP_STATUS_OK) {
		if (length >= 0 && size > 0 && (guint64)length != size) {
			ub_run_size_mismatch(size, (guint64)length, error);
			return UB_FETCH_FATAL;
		}
		return UB_FETCH_OK;
	}

	if (!soup_message_headers_get_content_range(headers, &start, &end, &total)) {
		g_debug("206 without a usable Content-Range, starting over");
		_ub_run_restart(run, UB_RESTART_SINGLE);
		return UB_FETCH_RESTART;
	}
	if (total >= 0 && size > 0 && (guint64)total != size) {
		ub_run_size_mismatch(size, (guint64)total, error);
		return UB_FETCH_FATAL;
	}
	if ((guint64)start != from || (guint64)end != to - 1) {
		g_debug("asked for %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
			", got %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT ", starting over",
			from,
			to - 1,
			start,
			end);
		_ub_run_restart(run, UB_RESTART_SINGLE);
		return UB_FETCH_RESTART;
	}
	if (length >= 0 && (guint64)length > to - from) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the server sent more than the range it was asked for");
		return UB_FETCH_FATAL;
	}
	return UB_FETCH_OK;
}

static gboolean
ub_worker_write(UbWorker *worker,
		UbSegment **segp,
		guint64 pos,
		gsize n,
		gsize *written,
		GError **error)
{
	UbRun *run = worker->run;
	UbSegment *seg = *segp;
	guint64 allowed;

	g_mutex_lock(&run->lock);
	allowed = MIN((guint64)n, seg->end - pos);
	seg->reserved = pos + allowed;
	if (run->fault_after > 0 && run->written + allowed > run->fault_after) {
		g_mutex_unlock(&run->lock);
		_ub_download_set_errno_error(error, run->fault_errno, "write the download");
		return FALSE;
	}
	run->written += allowed;
	g_mutex_unlock(&run->lock);

	if (!_ub_download_write_all(run->fd, worker->buffer, allowed, pos, error))
		return FALSE;

	g_mutex_lock(&run->lock);
	seg->done = pos + allowed;
	if (seg->done >= seg->end) {
		_ub_run_finish_segment_locked(run, seg);
		*segp = NULL;
	}
	g_cond_signal(&run->hash_cond);
	g_mutex_unlock(&run->lock);
	*written = allowed;
	return TRUE;
}

/* fetches what is left of @segp; on success it is finished and freed */
static UbFetch
ub_worker_fetch(UbWorker *worker, UbSegment **segp, guint64 *progress, GError **error)
{
	UbRun *run = worker->run;
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GCancellable) cancellable = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *if_range = NULL;
	gint64 started = g_get_monotonic_time();
	gint64 answered;
	gboolean has_length = FALSE;
	gboolean ranged;
	guint64 from;
	guint64 to;
	guint64 pos;
	UbFetch result;

	g_mutex_lock(&run->lock);
	from = (*segp)->done;
	to = (*segp)->end;
	ranged = !run->plan->single || from > 0;
	if_range = g_strdup(_ub_plan_if_range(run->plan));
	cancellable = g_object_ref(run->cancellable);
	g_mutex_unlock(&run->lock);

	stream =
	    _ub_worker_send(worker, from, to, ranged, if_range, cancellable, &msg, &error_local);
	if (stream == NULL) {
		result = _ub_worker_classify_error(error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return result;
	}
	answered = g_get_monotonic_time();
	result = ub_worker_check_response(worker, msg, from, to, ranged, &has_length, error);
	if (result != UB_FETCH_OK) {
		_ub_worker_abandon(stream);
		return result;
	}

	pos = from;
	while (*segp != NULL) {
		guint64 end;
		gssize n;
		gsize written = 0;

		g_mutex_lock(&run->lock);
		end = (*segp)->end;
		g_mutex_unlock(&run->lock);
		if (pos >= end)
			break;
		n = g_input_stream_read(stream,
					worker->buffer,
					MIN(UB_DOWNLOAD_BUFFER_SIZE, end - pos),
					cancellable,
					&error_local);
		if (n < 0) {
			_ub_worker_abandon(stream);
			result = _ub_worker_classify_error(error_local);
			if (result == UB_FETCH_RETRY)
				g_prefix_error(&error_local, "the connection dropped: ");
			g_propagate_error(error, g_steal_pointer(&error_local));
			return result;
		}
		if (n == 0) {
			_ub_worker_abandon(stream);
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_PARTIAL_INPUT,
				    "the server ended the transfer early");
			return UB_FETCH_RETRY;
		}
		if (!ub_worker_write(worker, segp, pos, (gsize)n, &written, error)) {
			_ub_worker_abandon(stream);
			return UB_FETCH_FATAL;
		}
		*progress += written;
		pos += written;
		if (written < (gsize)n)
			break;
	}

	/* the segment shrank (another connection took its tail): drop the
	 * rest of this response rather than read it */
	if (pos < to) {
		_ub_worker_abandon(stream);
	} else if (!has_length) {
		guint8 extra;
		if (g_input_stream_read(stream, &extra, 1, cancellable, NULL) > 0) {
			_ub_worker_abandon(stream);
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the server sent more than the file's expected size");
			return UB_FETCH_FATAL;
		}
		g_input_stream_close(stream, cancellable, NULL);
	} else {
		g_input_stream_close(stream, cancellable, NULL);
	}

	/* when the server is far away (the quickest answer on a connection
	 * already open is still a good part of a request), ask for more per
	 * request; the quickest, so a busy machine's hiccups do not count */
	if (!run->chunk_fixed && worker->fetches++ > 0) {
		gint64 now = g_get_monotonic_time();
		g_mutex_lock(&run->lock);
		run->answer_min_us = MIN(run->answer_min_us, answered - started);
		if (++run->answers >= 4 && run->answer_min_us * 16 > now - started &&
		    run->chunk_size < UB_DOWNLOAD_CHUNK_SIZE_MAX) {
			run->chunk_size *= 2;
			g_debug("ranges of %" G_GUINT64_FORMAT " MiB from now on",
				run->chunk_size / 1024 / 1024);
		}
		g_mutex_unlock(&run->lock);
	}
	if (*segp != NULL) {
		/* only when a split shrank it to where this response ended */
		g_mutex_lock(&run->lock);
		if ((*segp)->done >= (*segp)->end) {
			_ub_run_finish_segment_locked(run, *segp);
			*segp = NULL;
		}
		g_mutex_unlock(&run->lock);
	}
	return UB_FETCH_OK;
}

void
_ub_worker_session_new(UbWorker *worker)
{
	worker->context = g_main_context_new();
	g_main_context_push_thread_default(worker->context);
	worker->session = soup_session_new_with_options("user-agent",
							"Unbrick/" PACKAGE_VERSION,
							"timeout",
							UB_DOWNLOAD_IO_TIMEOUT_S,
							"idle-timeout",
							UB_DOWNLOAD_IO_TIMEOUT_S,
							NULL);
	/* byte ranges of a compressed stream mean nothing */
	soup_session_remove_feature_by_type(worker->session, SOUP_TYPE_CONTENT_DECODER);
}

void
_ub_worker_session_free(UbWorker *worker)
{
	g_clear_object(&worker->session);
	g_main_context_pop_thread_default(worker->context);
	g_clear_pointer(&worker->context, g_main_context_unref);
}

/* FALSE when the worker should stop; sets the run's error when it gives up */
static gboolean
ub_worker_handle(UbWorker *worker, UbFetch result, guint64 progress, GError *error)
{
	UbRun *run = worker->run;
	guint64 delay;

	if (result == UB_FETCH_OK) {
		worker->failures = 0;
		worker->server_errors = 0;
		worker->busy = 0;
		return TRUE;
	}
	if (result == UB_FETCH_RETRY || result == UB_FETCH_SERVER || result == UB_FETCH_BUSY) {
		/* a redirect may have pointed at the server that fails */
		g_mutex_lock(&run->lock);
		g_clear_pointer(&run->effective_uri, g_free);
		g_mutex_unlock(&run->lock);
	}
	switch (result) {
	case UB_FETCH_RETRY:
		if (progress > 0)
			worker->failures = 0;
		if (++worker->failures > UB_DOWNLOAD_MAX_FAILURES) {
			g_prefix_error(&error, "the connection kept failing: ");
			_ub_run_fail(run, error);
			return FALSE;
		}
		delay = _ub_run_backoff_ms(run, worker->failures);
		break;
	case UB_FETCH_SERVER:
		if (++worker->server_errors >= UB_DOWNLOAD_MAX_SERVER) {
			_ub_run_fail(run, error);
			return FALSE;
		}
		delay = _ub_run_backoff_ms(run, worker->server_errors);
		break;
	case UB_FETCH_BUSY:
		if (++worker->busy > UB_DOWNLOAD_MAX_BUSY) {
			_ub_run_fail(run, error);
			return FALSE;
		}
		delay = worker->retry_after_ms > 0
			    ? MIN(worker->retry_after_ms, (guint64)run->retry_after_max_ms)
			    : _ub_run_backoff_ms(run, worker->busy);
		break;
	case UB_FETCH_FATAL:
		_ub_run_fail(run, error);
		return FALSE;
	case UB_FETCH_OK:
	case UB_FETCH_STOPPED:
	case UB_FETCH_RESTART:
	default:
		g_clear_error(&error);
		return FALSE;
	}
	g_debug("connection %d: %s; again in %" G_GUINT64_FORMAT " ms",
		worker->index,
		error != NULL ? error->message : "failed",
		delay);
	g_clear_error(&error);
	return _ub_run_sleep(run, delay);
}

gpointer
_ub_worker_thread(gpointer data)
{
	UbWorker *worker = data;
	UbRun *run = worker->run;

	_ub_worker_session_new(worker);
	worker->buffer = g_malloc(UB_DOWNLOAD_BUFFER_SIZE);
	for (;;) {
		UbSegment *seg;
		GError *error = NULL;
		guint64 progress = 0;
		UbFetch result;

		g_mutex_lock(&run->lock);
		seg = _ub_run_claim_locked(run, worker->index);
		g_mutex_unlock(&run->lock);
		if (seg == NULL)
			break;
		worker->retry_after_ms = 0;
		result = ub_worker_fetch(worker, &seg, &progress, &error);
		if (seg != NULL) {
			g_mutex_lock(&run->lock);
			_ub_run_release_locked(run, seg);
			g_mutex_unlock(&run->lock);
		}
		if (!ub_worker_handle(worker, result, progress, error))
			break;
	}
	g_clear_pointer(&worker->buffer, g_free);
	_ub_worker_session_free(worker);

	g_mutex_lock(&run->lock);
	run->workers_running--;
	g_cond_broadcast(&run->cond);
	g_mutex_unlock(&run->lock);
	return NULL;
}

/* hasher */
