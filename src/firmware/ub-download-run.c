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

void
_ub_download_set_errno_error(GError **error, gint errsv, const gchar *what)
{
	if (errsv == ENOSPC || errsv == EDQUOT) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NO_SPACE,
			    "the disk is full; the part already downloaded is kept and the "
			    "download continues when there is room");
		return;
	}
	ub_set_errno_error(error, errsv, "%s", what);
}

gboolean
_ub_download_write_all(gint fd, const guint8 *buf, gsize len, guint64 offset, GError **error)
{
	gint errsv = 0;

	if (!ub_fd_write_all(fd, buf, len, (gint64)offset, &errsv)) {
		_ub_download_set_errno_error(error, errsv, "write the download");
		return FALSE;
	}
	return TRUE;
}

gboolean
_ub_download_read_all(gint fd, guint8 *buf, gsize len, guint64 offset, GError **error)
{
	while (len > 0) {
		gssize n = pread(fd, buf, len, (off_t)offset);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			_ub_download_set_errno_error(error, errsv, "read back the download");
			return FALSE;
		}
		if (n == 0) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the partial download is shorter than expected");
			return FALSE;
		}
		buf += n;
		len -= (gsize)n;
		offset += (guint64)n;
	}
	return TRUE;
}

static gchar *
ub_download_hash_hex(gnutls_hash_hd_t hash, UbHashKind kind)
{
	guint8 digest[64];
	guint len = gnutls_hash_get_len(_ub_download_digest(kind));
	GString *hex = g_string_sized_new(len * 2);

	gnutls_hash_output(hash, digest);
	for (guint i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

/* run: stopping */

static gboolean
ub_run_stopping_locked(UbRun *run)
{
	return run->stop != UB_STOP_NONE || run->restart != UB_RESTART_NONE || run->error != NULL;
}

/* returns the attempt's cancellable, to cancel once the lock is dropped:
 * cancelling runs handlers, and none of them should run under our lock */
GCancellable *
_ub_run_wake_locked(UbRun *run)
{
	g_cond_broadcast(&run->cond);
	g_cond_broadcast(&run->hash_cond);
	return g_object_ref(run->cancellable);
}

void
_ub_run_cancel_unlocked(GCancellable *cancellable)
{
	if (cancellable == NULL)
		return;
	g_cancellable_cancel(cancellable);
	g_object_unref(cancellable);
}

/* the first fatal error wins and stops the others */
void
_ub_run_fail(UbRun *run, GError *error)
{
	GCancellable *cancellable = NULL;

	g_mutex_lock(&run->lock);
	if (!ub_run_stopping_locked(run)) {
		run->error = error;
		error = NULL;
		cancellable = _ub_run_wake_locked(run);
	}
	g_mutex_unlock(&run->lock);
	_ub_run_cancel_unlocked(cancellable);
	g_clear_error(&error);
}

void
_ub_run_restart(UbRun *run, UbRestart restart)
{
	GCancellable *cancellable = NULL;

	g_mutex_lock(&run->lock);
	if (!ub_run_stopping_locked(run)) {
		run->restart = restart;
		cancellable = _ub_run_wake_locked(run);
	}
	g_mutex_unlock(&run->lock);
	_ub_run_cancel_unlocked(cancellable);
}

/* FALSE when the run is stopping */
gboolean
_ub_run_sleep(UbRun *run, guint64 delay_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)delay_ms * 1000;
	gboolean stopping;

	g_mutex_lock(&run->lock);
	run->workers_waiting++;
	while (!ub_run_stopping_locked(run)) {
		if (!g_cond_wait_until(&run->cond, &run->lock, deadline))
			break;
	}
	run->workers_waiting--;
	stopping = ub_run_stopping_locked(run);
	g_mutex_unlock(&run->lock);
	return !stopping;
}

guint64
_ub_run_backoff_ms(UbRun *run, guint attempt)
{
	guint64 delay = run->backoff_base_ms;
	for (guint i = 1; i < attempt && delay < run->backoff_max_ms; i++)
		delay *= 2;
	return MIN(delay, (guint64)run->backoff_max_ms);
}

static void
ub_run_save(UbRun *run)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *data = NULL;
	gsize length = 0;

	g_mutex_lock(&run->lock);
	if (run->plan != NULL && run->plan->size > 0)
		data = _ub_plan_to_data(run->plan, run, &length);
	g_mutex_unlock(&run->lock);
	if (data == NULL)
		return;

	/* no fsync: a state lost in a power cut costs a fresh start, and a
	 * state ahead of the data is caught by the hash */
	if (!g_file_set_contents_full(
		run->state_path, data, (gssize)length, G_FILE_SET_CONTENTS_NONE, 0644, &error))
		g_debug("failed to save %s: %s", run->state_path, error->message);
}

/* run: segments, all under run->lock */

UbSegment *
_ub_run_claim_locked(UbRun *run, gint index)
{
	UbPlan *plan = run->plan;
	UbSegment *best = NULL;
	UbSegment *seg;
	guint best_index = 0;
	guint64 best_left = 0;
	guint64 mid;

	if (ub_run_stopping_locked(run))
		return NULL;

	/* a range a dropped connection left behind: the prefix needs it */
	for (guint i = 0; i < plan->segments->len; i++) {
		seg = g_ptr_array_index(plan->segments, i);
		if (seg->owner < 0) {
			seg->owner = index;
			seg->reserved = seg->done;
			return seg;
		}
	}

	if (plan->next < plan->size) {
		guint64 len = plan->single ? plan->size - plan->next
					   : MIN(run->chunk_size, plan->size - plan->next);

		/* no tiny last request */
		if (plan->size - plan->next - len < run->chunk_size / 4)
			len = plan->size - plan->next;
		seg = g_new0(UbSegment, 1);
		seg->start = plan->next;
		seg->end = plan->next + len;
		seg->done = seg->start;
		seg->reserved = seg->start;
		seg->owner = index;
		g_ptr_array_add(plan->segments, seg);
		plan->next = seg->end;
		return seg;
	}

	/* near the end: take half of the biggest range still in flight */
	if (plan->single)
		return NULL;
	for (guint i = 0; i < plan->segments->len; i++) {
		seg = g_ptr_array_index(plan->segments, i);
		if (seg->end - seg->reserved > best_left) {
			best = seg;
			best_index = i;
			best_left = seg->end - seg->reserved;
		}
	}
	if (best == NULL || best_left < 2 * MIN(UB_DOWNLOAD_MIN_SPLIT, run->chunk_size / 4))
		return NULL;
	mid = best->reserved + best_left / 2;
	mid -= mid % 4096;
	if (mid <= best->reserved)
		return NULL;
	seg = g_new0(UbSegment, 1);
	seg->start = mid;
	seg->end = best->end;
	seg->done = mid;
	seg->reserved = mid;
	seg->owner = index;
	best->end = mid;
	g_ptr_array_insert(plan->segments, (gint)best_index + 1, seg);
	return seg;
}

void
_ub_run_release_locked(UbRun *run, UbSegment *seg)
{
	seg->owner = -1;
	seg->reserved = seg->done;
}

void
_ub_run_finish_segment_locked(UbRun *run, UbSegment *seg)
{
	g_ptr_array_remove(run->plan->segments, seg);
}

/* worker: HTTP */

static gboolean
ub_run_check_space(UbRun *run, GError **error)
{
	g_autoptr(GFile) part = g_file_new_for_path(run->part_path);
	g_autoptr(GFile) dir = g_file_get_parent(part);
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *need_str = NULL;
	g_autofree gchar *free_str = NULL;
	guint64 allocated = 0;
	guint64 needed;
	guint64 free_bytes;
	struct stat st;

	if (fstat(run->fd, &st) == 0)
		allocated = (guint64)st.st_blocks * 512;
	needed = run->plan->size > allocated ? run->plan->size - allocated : 0;
	if (needed == 0)
		return TRUE;
	info =
	    g_file_query_filesystem_info(dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, &error_local);
	if (info == NULL || !g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE)) {
		g_debug("cannot tell the free space: %s",
			error_local != NULL ? error_local->message : "no answer");
		return TRUE;
	}
	free_bytes = g_file_info_get_attribute_uint64(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
	if (free_bytes >= needed)
		return TRUE;
	need_str = g_format_size(needed);
	free_str = g_format_size(free_bytes);
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_NO_SPACE,
		    "there is not enough free disk space: the download needs %s more, and "
		    "%s is free",
		    need_str,
		    free_str);
	return FALSE;
}

static gboolean
ub_run_preallocate(UbRun *run, GError **error)
{
	struct stat st;

	if (fstat(run->fd, &st) != 0) {
		_ub_download_set_errno_error(error, errno, "inspect the partial download");
		return FALSE;
	}
	if ((guint64)st.st_size > run->plan->size) {
		if (ftruncate(run->fd, (off_t)run->plan->size) != 0) {
			_ub_download_set_errno_error(error, errno, "resize the partial download");
			return FALSE;
		}
	}
	if ((guint64)st.st_blocks * 512 >= run->plan->size)
		return TRUE;

	/* reserve the blocks now, so a full disk shows before the download,
	 * not in its middle */
	if (fallocate(run->fd, 0, 0, (off_t)run->plan->size) == 0)
		return TRUE;
	if (errno == ENOSPC || errno == EDQUOT) {
		_ub_download_set_errno_error(error, errno, "reserve disk space");
		return FALSE;
	}
	if (ftruncate(run->fd, (off_t)run->plan->size) != 0) {
		_ub_download_set_errno_error(error, errno, "size the partial download");
		return FALSE;
	}
	return TRUE;
}

/* the size, when the catalog did not say: one byte asked for, the answer
 * names the whole */
static gboolean
ub_run_probe(UbRun *run, GError **error)
{
	UbWorker probe = {.run = run, .index = -1};
	guint attempt = 0;
	gboolean ok = FALSE;

	_ub_worker_session_new(&probe);
	while (!ok) {
		g_autoptr(SoupMessage) msg = NULL;
		g_autoptr(GInputStream) stream = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GCancellable) cancellable = NULL;
		goffset start = 0;
		goffset end = 0;
		goffset total = -1;
		UbFetch result;
		guint status;

		g_mutex_lock(&run->lock);
		cancellable = g_object_ref(run->cancellable);
		g_mutex_unlock(&run->lock);
		stream = _ub_worker_send(&probe, 0, 1, TRUE, NULL, cancellable, &msg, &error_local);
		if (stream == NULL) {
			result = _ub_worker_classify_error(error_local);
		} else {
			SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
			status = soup_message_get_status(msg);
			_ub_worker_abandon(stream);
			if (status == SOUP_STATUS_PARTIAL_CONTENT &&
			    soup_message_headers_get_content_range(headers, &start, &end, &total) &&
			    total > 0) {
				result = _ub_worker_check_body_kind(msg, &error_local)
					     ? UB_FETCH_OK
					     : UB_FETCH_FATAL;
			} else if (status == SOUP_STATUS_OK &&
				   soup_message_headers_get_encoding(headers) ==
				       SOUP_ENCODING_CONTENT_LENGTH) {
				total = soup_message_headers_get_content_length(headers);
				run->plan->single = TRUE;
				result = _ub_worker_check_body_kind(msg, &error_local)
					     ? UB_FETCH_OK
					     : UB_FETCH_FATAL;
			} else if (status == SOUP_STATUS_OK ||
				   status == SOUP_STATUS_PARTIAL_CONTENT) {
				g_set_error(&error_local,
					    UB_ERROR,
					    UB_ERROR_INVALID_DATA,
					    "the server does not say how big the file is");
				result = UB_FETCH_FATAL;
			} else {
				result = _ub_worker_http_error(msg, &error_local);
				if (result == UB_FETCH_BUSY)
					probe.retry_after_ms = _ub_worker_retry_after_ms(msg);
			}
			if (result == UB_FETCH_OK) {
				_ub_run_same_file(run, msg);
				g_mutex_lock(&run->lock);
				run->plan->size = (guint64)total;
				g_mutex_unlock(&run->lock);
				ok = TRUE;
				break;
			}
		}
		if (result == UB_FETCH_FATAL || result == UB_FETCH_STOPPED ||
		    ++attempt > UB_DOWNLOAD_MAX_FAILURES) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			break;
		}
		if (!_ub_run_sleep(run,
				   result == UB_FETCH_BUSY && probe.retry_after_ms > 0
				       ? MIN(probe.retry_after_ms, (guint64)run->retry_after_max_ms)
				       : _ub_run_backoff_ms(run, attempt))) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
			break;
		}
	}
	_ub_worker_session_free(&probe);
	return ok;
}

static void
ub_run_remove_files(UbRun *run)
{
	g_unlink(run->part_path);
	g_unlink(run->state_path);
}

/* after a failure: what arrived is kept for the resume; an empty partial
 * file (a refused address, a full disk before the first byte) would only
 * hold on to reserved space */
static void
ub_run_keep_or_remove(UbRun *run)
{
	if (_ub_plan_bytes_done(run->plan) > 0) {
		ub_run_save(run);
		return;
	}
	close(run->fd);
	run->fd = -1;
	ub_run_remove_files(run);
}

/* the rename is atomic; the directory sync makes it survive a power cut */
static gboolean
ub_run_commit(UbRun *run, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(run->dest_path);
	gint dir_fd;

	if (fsync(run->fd) != 0) {
		_ub_download_set_errno_error(error, errno, "save the download");
		return FALSE;
	}
	if (g_rename(run->part_path, run->dest_path) != 0) {
		_ub_download_set_errno_error(error, errno, "move the download into place");
		return FALSE;
	}
	dir_fd = g_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir_fd >= 0) {
		fsync(dir_fd);
		close(dir_fd);
	}
	g_unlink(run->state_path);
	return TRUE;
}

static gboolean
ub_run_verify(UbRun *run, GError **error)
{
	g_autofree gchar *digest = NULL;

	if (run->expected_hash == NULL)
		return TRUE;
	digest = ub_download_hash_hex(run->plan->hash, run->hash_kind);
	if (g_ascii_strcasecmp(digest, run->expected_hash) == 0)
		return TRUE;
	g_debug("expected %s, got %s", run->expected_hash, digest);
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_CHECKSUM_MISMATCH,
		    "the downloaded file is damaged (its checksum does not match); it was "
		    "deleted and the download will start over");
	return FALSE;
}

/* one attempt: workers until they are done or something stops them */
static void
ub_run_attempt(UbRun *run)
{
	g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func(g_free);
	GThread *hasher;
	guint count;
	gint64 next_save;

	g_mutex_lock(&run->lock);
	count = run->plan->single ? 1 : run->connections;
	run->hash_stop = FALSE;
	run->hash_running = TRUE;
	run->workers_running = count;
	g_mutex_unlock(&run->lock);

	hasher = g_thread_new("ub-download-hash", _ub_hash_thread, run);
	for (guint i = 0; i < count; i++) {
		UbWorker *worker = g_new0(UbWorker, 1);
		worker->run = run;
		worker->index = (gint)i;
		worker->thread = g_thread_new("ub-download-conn", _ub_worker_thread, worker);
		g_ptr_array_add(workers, worker);
	}

	/* save the progress now and then, so a crash loses little */
	g_mutex_lock(&run->lock);
	next_save = g_get_monotonic_time() + UB_DOWNLOAD_SAVE_EVERY_US;
	while (run->workers_running > 0 ||
	       (_ub_plan_is_complete(run->plan) && run->hash_running &&
		run->plan->hashed < run->plan->size && !ub_run_stopping_locked(run))) {
		if (!g_cond_wait_until(&run->cond, &run->lock, next_save)) {
			g_mutex_unlock(&run->lock);
			ub_run_save(run);
			g_mutex_lock(&run->lock);
			next_save = g_get_monotonic_time() + UB_DOWNLOAD_SAVE_EVERY_US;
		}
	}
	run->hash_stop = TRUE;
	g_cond_broadcast(&run->hash_cond);
	g_mutex_unlock(&run->lock);

	for (guint i = 0; i < workers->len; i++) {
		UbWorker *worker = g_ptr_array_index(workers, i);
		g_thread_join(worker->thread);
	}
	g_thread_join(hasher);
}

UbDownloadState
_ub_run_execute(UbRun *run, GError **error)
{
	UbPlan *plan = run->plan;
	guint restarts = 0;

	if (plan == NULL)
		plan = _ub_plan_load(run);
	if (plan == NULL) {
		plan = _ub_plan_new(run->expected_size, run->hash_kind);
	} else if (_ub_plan_bytes_done(plan) > 0) {
		g_debug("resuming %s at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
			run->part_path,
			_ub_plan_bytes_done(plan),
			plan->size);
	}
	g_mutex_lock(&run->lock);
	run->plan = plan;
	g_mutex_unlock(&run->lock);

	run->fd = g_open(run->part_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (run->fd < 0) {
		_ub_download_set_errno_error(error, errno, "create the download file");
		return UB_DOWNLOAD_STATE_FAILED;
	}

	for (;;) {
		UbRestart restart;
		UbStop stop;

		if (plan->hash == NULL) {
			g_set_error(error, UB_ERROR, UB_ERROR_FAILED, "GnuTLS cannot hash");
			return UB_DOWNLOAD_STATE_FAILED;
		}
		g_mutex_lock(&run->lock);
		stop = run->stop;
		g_mutex_unlock(&run->lock);
		if (stop == UB_STOP_NONE && plan->size == 0) {
			g_autoptr(GError) error_local = NULL;
			if (!ub_run_probe(run, &error_local) &&
			    !g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
				_ub_run_fail(run, g_steal_pointer(&error_local));
			g_mutex_lock(&run->lock);
			stop = run->stop;
			g_mutex_unlock(&run->lock);
		}
		if (stop == UB_STOP_NONE && run->error == NULL) {
			if (!ub_run_check_space(run, error) || !ub_run_preallocate(run, error)) {
				ub_run_keep_or_remove(run);
				return UB_DOWNLOAD_STATE_FAILED;
			}
			if (!_ub_plan_is_complete(plan) || plan->hashed < plan->size)
				ub_run_attempt(run);
		}

		/* every other thread of this run has ended */
		g_mutex_lock(&run->lock);
		stop = run->stop;
		restart = run->restart;
		g_mutex_unlock(&run->lock);

		if (stop == UB_STOP_CANCEL) {
			close(run->fd);
			run->fd = -1;
			ub_run_remove_files(run);
			return UB_DOWNLOAD_STATE_CANCELLED;
		}
		if (_ub_plan_is_complete(plan) && plan->hashed >= plan->size &&
		    run->error == NULL) {
			if (!ub_run_verify(run, error)) {
				close(run->fd);
				run->fd = -1;
				ub_run_remove_files(run);
				_ub_plan_reset(plan, run->hash_kind);
				return UB_DOWNLOAD_STATE_FAILED;
			}
			if (!ub_run_commit(run, error)) {
				ub_run_save(run);
				return UB_DOWNLOAD_STATE_FAILED;
			}
			return UB_DOWNLOAD_STATE_DONE;
		}
		if (stop == UB_STOP_PAUSE) {
			ub_run_save(run);
			return UB_DOWNLOAD_STATE_PAUSED;
		}
		if (run->error != NULL) {
			g_propagate_error(error, g_steal_pointer(&run->error));
			ub_run_keep_or_remove(run);
			return UB_DOWNLOAD_STATE_FAILED;
		}
		if (restart == UB_RESTART_NONE) {
			/* every connection ended with nothing left to claim
			 * and no error: cannot happen, but never loop on it */
			g_set_error(
			    error, UB_ERROR, UB_ERROR_FAILED, "the download stopped for no reason");
			ub_run_save(run);
			return UB_DOWNLOAD_STATE_FAILED;
		}

		/* start over from the first byte, cleanly: the hash too */
		if (++restarts >
		    (plan->single ? UB_DOWNLOAD_MAX_FAILURES : UB_DOWNLOAD_MAX_RESTARTS)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "the download kept starting over: the server does not send "
				    "byte ranges correctly, or the file keeps changing");
			_ub_plan_reset(plan, run->hash_kind);
			ub_run_save(run);
			return UB_DOWNLOAD_STATE_FAILED;
		}
		g_debug("starting over from 0 (%s)",
			restart == UB_RESTART_SINGLE ? "one connection, no ranges"
						     : "the file changed");
		g_mutex_lock(&run->lock);
		_ub_plan_reset(plan, run->hash_kind);
		if (restart == UB_RESTART_SINGLE && plan->single) {
			/* already on one connection: this server cannot resume,
			 * so each drop costs the whole file; back off first */
			restart = UB_RESTART_NONE;
		} else if (restart == UB_RESTART_SINGLE) {
			plan->single = TRUE;
		} else {
			g_clear_pointer(&plan->etag, g_free);
			g_clear_pointer(&plan->last_modified, g_free);
		}
		run->restart = UB_RESTART_NONE;
		g_clear_object(&run->cancellable);
		run->cancellable = g_cancellable_new();
		g_mutex_unlock(&run->lock);
		ub_run_save(run);
		if (restart == UB_RESTART_NONE)
			_ub_run_sleep(run, _ub_run_backoff_ms(run, restarts));
	}
}

void
_ub_run_free(UbRun *run)
{
	if (run->fd >= 0)
		close(run->fd);
	if (run->plan != NULL)
		_ub_plan_free(run->plan);
	g_clear_object(&run->cancellable);
	g_clear_error(&run->error);
	g_free(run->effective_uri);
	g_free(run->uri);
	g_free(run->dest_path);
	g_free(run->part_path);
	g_free(run->state_path);
	g_free(run->expected_hash);
	g_mutex_clear(&run->lock);
	g_cond_clear(&run->cond);
	g_cond_clear(&run->hash_cond);
	g_main_context_unref(run->context);
	g_object_unref(run->self);
	g_free(run);
}
