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

#include "ub-download-private.h"
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

#define UB_DOWNLOAD_CHUNK_SIZE (8 * 1024 * 1024)
#define UB_DOWNLOAD_CHUNK_SIZE_MAX (32 * 1024 * 1024)
#define UB_DOWNLOAD_MIN_SPLIT (1024 * 1024)
#define UB_DOWNLOAD_BUFFER_SIZE (256 * 1024)
#define UB_DOWNLOAD_HASH_BLOCK (2 * 1024 * 1024)
#define UB_DOWNLOAD_TICK_MS 100
#define UB_DOWNLOAD_RATE_WINDOW_US (3 * G_USEC_PER_SEC)
#define UB_DOWNLOAD_RATE_SAMPLES 32
#define UB_DOWNLOAD_SAVE_EVERY_US (2 * G_USEC_PER_SEC)
#define UB_DOWNLOAD_IO_TIMEOUT_S 30
#define UB_DOWNLOAD_MAX_FAILURES 8
#define UB_DOWNLOAD_MAX_SERVER 3
#define UB_DOWNLOAD_MAX_BUSY 10
#define UB_DOWNLOAD_MAX_RESTARTS 3
#define UB_DOWNLOAD_MAX_REDIRECTS 10
#define UB_DOWNLOAD_STATE_VERSION 1
#define UB_DOWNLOAD_STATE_GROUP "download"

G_DEFINE_ENUM_TYPE(UbDownloadState,
		   ub_download_state,
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_IDLE, "idle"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_RUNNING, "running"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_PAUSED, "paused"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_RETRYING, "retrying"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_DONE, "done"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_FAILED, "failed"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_CANCELLED, "cancelled"))

typedef struct {
	guint64 start;
	guint64 end;	  /* exclusive; shrinks when another connection takes the tail */
	guint64 done;	  /* [start, done) is on disk */
	guint64 reserved; /* [done, reserved) is being written now */
	gint owner;	  /* worker index, -1 when no connection has it */
} UbSegment;

/* what is known about the file and what of it is on disk; lives in the
 * object between runs and in the run (under its lock) during one */
typedef struct {
	guint64 size; /* 0 while unknown */
	gchar *etag;
	gchar *last_modified;
	gboolean single;     /* the server ignores Range: one connection from 0 */
	guint64 next;	     /* the frontier: nothing from here on was asked for */
	GPtrArray *segments; /* of UbSegment, unfinished, sorted by start */
	gnutls_hash_hd_t hash;
	guint64 hashed;
} UbPlan;

typedef enum {
	UB_STOP_NONE,
	UB_STOP_PAUSE,
	UB_STOP_CANCEL,
} UbStop;

typedef enum {
	UB_RESTART_NONE,
	UB_RESTART_SINGLE,  /* the server ignores or botches Range */
	UB_RESTART_CHANGED, /* the file changed on the server */
} UbRestart;

typedef enum {
	UB_FETCH_OK,
	UB_FETCH_STOPPED, /* paused, cancelled, or another connection failed */
	UB_FETCH_RETRY,	  /* the connection dropped: back off and resume */
	UB_FETCH_SERVER,  /* a 5xx: retried a few times */
	UB_FETCH_BUSY,	  /* 429 or 503: wait as long as the server says */
	UB_FETCH_RESTART, /* run->restart says why */
	UB_FETCH_FATAL,
} UbFetch;

typedef struct _UbRun UbRun;

typedef struct {
	UbRun *run;
	gint index;
	GThread *thread;
	GMainContext *context;
	SoupSession *session;
	guint8 *buffer;
	guint failures;
	guint server_errors;
	guint busy;
	guint64 retry_after_ms;
	guint fetches; /* on this session: the first one also connects */
} UbWorker;

struct _UbRun {
	UbDownload *self; /* a strong ref; only the copies below are read */
	GThread *thread;
	GMainContext *context;

	/* copied from the object when the run starts */
	gchar *uri;
	gchar *dest_path;
	gchar *part_path;
	gchar *state_path;
	guint64 expected_size;
	UbHashKind hash_kind;
	gchar *expected_hash;
	guint connections;
	guint64 chunk_size;
	gboolean chunk_fixed;
	guint backoff_base_ms;
	guint backoff_max_ms;
	guint retry_after_max_ms;
	guint64 fault_after;
	gint fault_errno;

	gint fd;
	GMutex lock;
	GCond cond;	 /* workers exiting, stop requests, hashed bytes */
	GCond hash_cond; /* the prefix grew, or the hasher must stop */
	UbPlan *plan;
	UbStop stop;
	UbRestart restart;
	GError *error;
	GCancellable *cancellable; /* this attempt's */
	gchar *effective_uri;	   /* after redirects */
	guint workers_running;
	guint workers_waiting;
	gint64 answer_min_us; /* the quickest response on an open connection */
	guint answers;
	guint64 written;
	gboolean hash_stop;
	gboolean hash_running;
};

struct _UbDownload {
	GObject parent_instance;

	gchar *uri;
	gchar *dest_path;
	gchar *part_path;
	gchar *state_path;
	guint64 size;
	UbHashKind hash_kind;
	gchar *expected_hash;
	guint connections;
	guint64 chunk_size;
	guint backoff_base_ms;
	guint backoff_max_ms;
	guint retry_after_max_ms;
	guint64 fault_after;
	gint fault_errno;

	GMainContext *context;
	UbDownloadState state;
	guint64 bytes_done;
	guint64 bytes_total;
	gdouble rate;
	gint64 seconds_left;
	GError *error;

	UbPlan *plan; /* between runs */
	UbRun *run;
	gboolean resume_after_stop;
	gboolean cancel_pending;
	GSource *tick;
	GPtrArray *waiters; /* of GTask */
	gint64 sample_time[UB_DOWNLOAD_RATE_SAMPLES];
	guint64 sample_bytes[UB_DOWNLOAD_RATE_SAMPLES];
	guint n_samples;
};

G_DEFINE_FINAL_TYPE(UbDownload, ub_download, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_STATE,
	PROP_BYTES_DONE,
	PROP_BYTES_TOTAL,
	PROP_RATE,
	PROP_SECONDS_LEFT,
	PROP_ERROR,
	N_PROPS,
};
static GParamSpec *properties[N_PROPS];

/* plan */

static gnutls_digest_algorithm_t
ub_download_digest(UbHashKind kind)
{
	return kind == UB_HASH_SHA1 ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_SHA256;
}

static UbPlan *
ub_plan_new(guint64 size, UbHashKind kind)
{
	UbPlan *plan = g_new0(UbPlan, 1);
	plan->size = size;
	plan->segments = g_ptr_array_new_with_free_func(g_free);
	/* fails only without memory; checked where the hash is used */
	if (gnutls_hash_init(&plan->hash, ub_download_digest(kind)) < 0)
		plan->hash = NULL;
	return plan;
}

static void
ub_plan_free(UbPlan *plan)
{
	if (plan->hash != NULL)
		gnutls_hash_deinit(plan->hash, NULL);
	g_ptr_array_unref(plan->segments);
	g_free(plan->etag);
	g_free(plan->last_modified);
	g_free(plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbPlan, ub_plan_free)

/* everything below is on disk */
static guint64
ub_plan_prefix(UbPlan *plan)
{
	if (plan->segments->len > 0) {
		UbSegment *seg = g_ptr_array_index(plan->segments, 0);
		return seg->done;
	}
	return plan->next;
}

static guint64
ub_plan_bytes_done(UbPlan *plan)
{
	guint64 missing = 0;
	for (guint i = 0; i < plan->segments->len; i++) {
		UbSegment *seg = g_ptr_array_index(plan->segments, i);
		missing += seg->end - seg->done;
	}
	return plan->next - missing;
}

static gboolean
ub_plan_is_complete(UbPlan *plan)
{
	return plan->size > 0 && plan->segments->len == 0 && plan->next >= plan->size;
}

/* back to nothing on disk, keeping the size */
static void
ub_plan_reset(UbPlan *plan, UbHashKind kind)
{
	g_ptr_array_set_size(plan->segments, 0);
	plan->next = 0;
	plan->hashed = 0;
	if (plan->hash != NULL)
		gnutls_hash_deinit(plan->hash, NULL);
	if (gnutls_hash_init(&plan->hash, ub_download_digest(kind)) < 0)
		plan->hash = NULL;
}

/* a strong ETag can validate a range; a weak one cannot (RFC 9110 13.1.5) */
static const gchar *
ub_plan_if_range(UbPlan *plan)
{
	if (plan->etag != NULL && !g_str_has_prefix(plan->etag, "W/"))
		return plan->etag;
	return plan->last_modified;
}

static gchar *
ub_plan_to_data(UbPlan *plan, UbRun *run, gsize *length)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func(g_free);

	g_key_file_set_integer(
	    keyfile, UB_DOWNLOAD_STATE_GROUP, "version", UB_DOWNLOAD_STATE_VERSION);
	g_key_file_set_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "uri", run->uri);
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "size", plan->size);
	g_key_file_set_string(keyfile,
			      UB_DOWNLOAD_STATE_GROUP,
			      "hash-kind",
			      run->hash_kind == UB_HASH_SHA1 ? "sha1" : "sha256");
	if (run->expected_hash != NULL)
		g_key_file_set_string(
		    keyfile, UB_DOWNLOAD_STATE_GROUP, "expected-hash", run->expected_hash);
	if (plan->etag != NULL)
		g_key_file_set_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "etag", plan->etag);
	if (plan->last_modified != NULL)
		g_key_file_set_string(
		    keyfile, UB_DOWNLOAD_STATE_GROUP, "last-modified", plan->last_modified);
	g_key_file_set_boolean(keyfile, UB_DOWNLOAD_STATE_GROUP, "single", plan->single);
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "next", plan->next);
	/* informational: a new process hashes the prefix again from disk */
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "hashed", plan->hashed);
	for (guint i = 0; i < plan->segments->len; i++) {
		UbSegment *seg = g_ptr_array_index(plan->segments, i);
		g_ptr_array_add(segments,
				g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
						":%" G_GUINT64_FORMAT,
						seg->start,
						seg->end,
						seg->done));
	}
	g_ptr_array_add(segments, NULL);
	g_key_file_set_string_list(keyfile,
				   UB_DOWNLOAD_STATE_GROUP,
				   "segments",
				   (const gchar *const *)segments->pdata,
				   segments->len - 1);
	return g_key_file_to_data(keyfile, length, NULL);
}

/* a plan from the sidecar, or NULL when it is missing, for another file or
 * does not add up; the partial file must hold everything it claims */
static UbPlan *
ub_plan_load(UbRun *run)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(UbPlan) plan = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *kind = NULL;
	g_autofree gchar *expected = NULL;
	g_auto(GStrv) segments = NULL;
	guint64 size;
	guint64 last_end = 0;
	GStatBuf st;

	if (!g_key_file_load_from_file(keyfile, run->state_path, G_KEY_FILE_NONE, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_debug("ignoring %s: %s", run->state_path, error->message);
		return NULL;
	}
	if (g_key_file_get_integer(keyfile, UB_DOWNLOAD_STATE_GROUP, "version", NULL) !=
	    UB_DOWNLOAD_STATE_VERSION)
		return NULL;
	uri = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "uri", NULL);
	kind = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "hash-kind", NULL);
	expected = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "expected-hash", NULL);
	size = g_key_file_get_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "size", NULL);
	if (g_strcmp0(uri, run->uri) != 0 || g_strcmp0(expected, run->expected_hash) != 0 ||
	    g_strcmp0(kind, run->hash_kind == UB_HASH_SHA1 ? "sha1" : "sha256") != 0 || size == 0 ||
	    (run->expected_size != 0 && size != run->expected_size)) {
		g_debug("%s is for another download", run->state_path);
		return NULL;
	}
	if (g_stat(run->part_path, &st) != 0) {
		g_debug("%s has no partial file", run->state_path);
		return NULL;
	}

	plan = ub_plan_new(size, run->hash_kind);
	plan->etag = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "etag", NULL);
	plan->last_modified =
	    g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "last-modified", NULL);
	plan->single = g_key_file_get_boolean(keyfile, UB_DOWNLOAD_STATE_GROUP, "single", NULL);
	plan->next = g_key_file_get_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "next", NULL);
	if (plan->next > size)
		return NULL;
	segments =
	    g_key_file_get_string_list(keyfile, UB_DOWNLOAD_STATE_GROUP, "segments", NULL, NULL);
	for (guint i = 0; segments != NULL && segments[i] != NULL; i++) {
		g_autofree UbSegment *seg = g_new0(UbSegment, 1);
		gchar *end = NULL;

		seg->start = g_ascii_strtoull(segments[i], &end, 10);
		if (end == NULL || *end != ':')
			return NULL;
		seg->end = g_ascii_strtoull(end + 1, &end, 10);
		if (end == NULL || *end != ':')
			return NULL;
		seg->done = g_ascii_strtoull(end + 1, &end, 10);
		if (end == NULL || *end != '\0')
			return NULL;
		if (seg->start < last_end || seg->done < seg->start || seg->done >= seg->end ||
		    seg->end > plan->next)
			return NULL;
		last_end = seg->end;
		seg->reserved = seg->done;
		seg->owner = -1;
		g_ptr_array_add(plan->segments, g_steal_pointer(&seg));
	}
	if ((guint64)st.st_size < plan->next && plan->next > 0) {
		g_debug("%s is shorter than %s says", run->part_path, run->state_path);
		return NULL;
	}
	return g_steal_pointer(&plan);
}

/* errors */

static void
ub_download_set_errno_error(GError **error, gint errsv, const gchar *what)
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

static gboolean
ub_download_write_all(gint fd, const guint8 *buf, gsize len, guint64 offset, GError **error)
{
	gint errsv = 0;

	if (!ub_fd_write_all(fd, buf, len, (gint64)offset, &errsv)) {
		ub_download_set_errno_error(error, errsv, "write the download");
		return FALSE;
	}
	return TRUE;
}

static gboolean
ub_download_read_all(gint fd, guint8 *buf, gsize len, guint64 offset, GError **error)
{
	while (len > 0) {
		gssize n = pread(fd, buf, len, (off_t)offset);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			ub_download_set_errno_error(error, errsv, "read back the download");
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
	guint len = gnutls_hash_get_len(ub_download_digest(kind));
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
static GCancellable *
ub_run_wake_locked(UbRun *run)
{
	g_cond_broadcast(&run->cond);
	g_cond_broadcast(&run->hash_cond);
	return g_object_ref(run->cancellable);
}

static void
ub_run_cancel_unlocked(GCancellable *cancellable)
{
	if (cancellable == NULL)
		return;
	g_cancellable_cancel(cancellable);
	g_object_unref(cancellable);
}

/* the first fatal error wins and stops the others */
static void
ub_run_fail(UbRun *run, GError *error)
{
	GCancellable *cancellable = NULL;

	g_mutex_lock(&run->lock);
	if (!ub_run_stopping_locked(run)) {
		run->error = error;
		error = NULL;
		cancellable = ub_run_wake_locked(run);
	}
	g_mutex_unlock(&run->lock);
	ub_run_cancel_unlocked(cancellable);
	g_clear_error(&error);
}

static void
ub_run_restart(UbRun *run, UbRestart restart)
{
	GCancellable *cancellable = NULL;

	g_mutex_lock(&run->lock);
	if (!ub_run_stopping_locked(run)) {
		run->restart = restart;
		cancellable = ub_run_wake_locked(run);
	}
	g_mutex_unlock(&run->lock);
	ub_run_cancel_unlocked(cancellable);
}

/* FALSE when the run is stopping */
static gboolean
ub_run_sleep(UbRun *run, guint64 delay_ms)
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

static guint64
ub_run_backoff_ms(UbRun *run, guint attempt)
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
		data = ub_plan_to_data(run->plan, run, &length);
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

static UbSegment *
ub_run_claim_locked(UbRun *run, gint index)
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

static void
ub_run_release_locked(UbRun *run, UbSegment *seg)
{
	seg->owner = -1;
	seg->reserved = seg->done;
}

static void
ub_run_finish_segment_locked(UbRun *run, UbSegment *seg)
{
	g_ptr_array_remove(run->plan->segments, seg);
}

/* worker: HTTP */

static UbFetch
ub_worker_classify_error(const GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return UB_FETCH_STOPPED;
	if (error->domain == UB_ERROR || error->domain == G_TLS_ERROR)
		return UB_FETCH_FATAL;
	return UB_FETCH_RETRY;
}

/* closes a response whose body is not read to the end without reading the
 * rest: a cancelled close makes libsoup drop the connection */
static void
ub_worker_abandon(GInputStream *stream)
{
	g_autoptr(GCancellable) cancelled = g_cancellable_new();

	g_cancellable_cancel(cancelled);
	g_input_stream_close(stream, cancelled, NULL);
}

/* a response, after following redirects ourselves so each hop passes the
 * host policy */
static GInputStream *
ub_worker_send(UbWorker *worker,
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
		ub_worker_abandon(stream);
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

static guint64
ub_worker_retry_after_ms(SoupMessage *msg)
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

static UbFetch
ub_worker_http_error(SoupMessage *msg, GError **error)
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
static gboolean
ub_worker_check_body_kind(SoupMessage *msg, GError **error)
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
static gboolean
ub_run_same_file(UbRun *run, SoupMessage *msg)
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
		ub_run_restart(run, UB_RESTART_SINGLE);
		return UB_FETCH_RESTART;
	}
	if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT) {
		UbFetch result = ub_worker_http_error(msg, error);
		if (result == UB_FETCH_BUSY)
			worker->retry_after_ms = ub_worker_retry_after_ms(msg);
		return result;
	}
	if (!ub_worker_check_body_kind(msg, error))
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
		gboolean same = ub_run_same_file(run, msg);
		g_debug("200 to a range request: %s",
			same ? "the server ignores Range" : "the file changed");
		ub_run_restart(run, same ? UB_RESTART_SINGLE : UB_RESTART_CHANGED);
		return UB_FETCH_RESTART;
	}
	if (!ub_run_same_file(run, msg)) {
		g_debug("the file changed on the server");
		ub_run_restart(run, UB_RESTART_CHANGED);
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
		ub_run_restart(run, UB_RESTART_SINGLE);
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
		ub_run_restart(run, UB_RESTART_SINGLE);
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
		ub_download_set_errno_error(error, run->fault_errno, "write the download");
		return FALSE;
	}
	run->written += allowed;
	g_mutex_unlock(&run->lock);

	if (!ub_download_write_all(run->fd, worker->buffer, allowed, pos, error))
		return FALSE;

	g_mutex_lock(&run->lock);
	seg->done = pos + allowed;
	if (seg->done >= seg->end) {
		ub_run_finish_segment_locked(run, seg);
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
	if_range = g_strdup(ub_plan_if_range(run->plan));
	cancellable = g_object_ref(run->cancellable);
	g_mutex_unlock(&run->lock);

	stream =
	    ub_worker_send(worker, from, to, ranged, if_range, cancellable, &msg, &error_local);
	if (stream == NULL) {
		result = ub_worker_classify_error(error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return result;
	}
	answered = g_get_monotonic_time();
	result = ub_worker_check_response(worker, msg, from, to, ranged, &has_length, error);
	if (result != UB_FETCH_OK) {
		ub_worker_abandon(stream);
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
			ub_worker_abandon(stream);
			result = ub_worker_classify_error(error_local);
			if (result == UB_FETCH_RETRY)
				g_prefix_error(&error_local, "the connection dropped: ");
			g_propagate_error(error, g_steal_pointer(&error_local));
			return result;
		}
		if (n == 0) {
			ub_worker_abandon(stream);
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_PARTIAL_INPUT,
				    "the server ended the transfer early");
			return UB_FETCH_RETRY;
		}
		if (!ub_worker_write(worker, segp, pos, (gsize)n, &written, error)) {
			ub_worker_abandon(stream);
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
		ub_worker_abandon(stream);
	} else if (!has_length) {
		guint8 extra;
		if (g_input_stream_read(stream, &extra, 1, cancellable, NULL) > 0) {
			ub_worker_abandon(stream);
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
			ub_run_finish_segment_locked(run, *segp);
			*segp = NULL;
		}
		g_mutex_unlock(&run->lock);
	}
	return UB_FETCH_OK;
}

static void
ub_worker_session_new(UbWorker *worker)
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

static void
ub_worker_session_free(UbWorker *worker)
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
			ub_run_fail(run, error);
			return FALSE;
		}
		delay = ub_run_backoff_ms(run, worker->failures);
		break;
	case UB_FETCH_SERVER:
		if (++worker->server_errors >= UB_DOWNLOAD_MAX_SERVER) {
			ub_run_fail(run, error);
			return FALSE;
		}
		delay = ub_run_backoff_ms(run, worker->server_errors);
		break;
	case UB_FETCH_BUSY:
		if (++worker->busy > UB_DOWNLOAD_MAX_BUSY) {
			ub_run_fail(run, error);
			return FALSE;
		}
		delay = worker->retry_after_ms > 0
			    ? MIN(worker->retry_after_ms, (guint64)run->retry_after_max_ms)
			    : ub_run_backoff_ms(run, worker->busy);
		break;
	case UB_FETCH_FATAL:
		ub_run_fail(run, error);
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
	return ub_run_sleep(run, delay);
}

static gpointer
ub_worker_thread(gpointer data)
{
	UbWorker *worker = data;
	UbRun *run = worker->run;

	ub_worker_session_new(worker);
	worker->buffer = g_malloc(UB_DOWNLOAD_BUFFER_SIZE);
	for (;;) {
		UbSegment *seg;
		GError *error = NULL;
		guint64 progress = 0;
		UbFetch result;

		g_mutex_lock(&run->lock);
		seg = ub_run_claim_locked(run, worker->index);
		g_mutex_unlock(&run->lock);
		if (seg == NULL)
			break;
		worker->retry_after_ms = 0;
		result = ub_worker_fetch(worker, &seg, &progress, &error);
		if (seg != NULL) {
			g_mutex_lock(&run->lock);
			ub_run_release_locked(run, seg);
			g_mutex_unlock(&run->lock);
		}
		if (!ub_worker_handle(worker, result, progress, error))
			break;
	}
	g_clear_pointer(&worker->buffer, g_free);
	ub_worker_session_free(worker);

	g_mutex_lock(&run->lock);
	run->workers_running--;
	g_cond_broadcast(&run->cond);
	g_mutex_unlock(&run->lock);
	return NULL;
}

/* hasher */

static gpointer
ub_hash_thread(gpointer data)
{
	UbRun *run = data;
	UbPlan *plan = run->plan;
	g_autofree guint8 *buf = g_malloc(UB_DOWNLOAD_HASH_BLOCK);

	g_mutex_lock(&run->lock);
	for (;;) {
		g_autoptr(GError) error = NULL;
		guint64 prefix = ub_plan_prefix(plan);
		guint64 from = plan->hashed;
		gsize len;
		gboolean ok;

		if (run->hash_stop)
			break;
		if (plan->size > 0 && from >= plan->size)
			break;
		if (from >= prefix) {
			g_cond_wait(&run->hash_cond, &run->lock);
			continue;
		}
		len = MIN(prefix - from, UB_DOWNLOAD_HASH_BLOCK);
		g_mutex_unlock(&run->lock);

		/* the bytes were just written: this reads the page cache */
		ok = ub_download_read_all(run->fd, buf, len, from, &error);
		if (ok) {
			gnutls_hash(plan->hash, buf, len);
			/* start writing back what is hashed so the closing
			 * fsync has little left to do */
			sync_file_range(run->fd, (off_t)from, (off_t)len, SYNC_FILE_RANGE_WRITE);
		}

		if (!ok) {
			g_prefix_error(&error, "failed to check the download: ");
			ub_run_fail(run, g_steal_pointer(&error));
			g_mutex_lock(&run->lock);
			break;
		}
		g_mutex_lock(&run->lock);
		plan->hashed = from + len;
		g_cond_broadcast(&run->cond);
	}
	run->hash_running = FALSE;
	g_cond_broadcast(&run->cond);
	g_mutex_unlock(&run->lock);
	return NULL;
}

/* coordinator */

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
		ub_download_set_errno_error(error, errno, "inspect the partial download");
		return FALSE;
	}
	if ((guint64)st.st_size > run->plan->size) {
		if (ftruncate(run->fd, (off_t)run->plan->size) != 0) {
			ub_download_set_errno_error(error, errno, "resize the partial download");
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
		ub_download_set_errno_error(error, errno, "reserve disk space");
		return FALSE;
	}
	if (ftruncate(run->fd, (off_t)run->plan->size) != 0) {
		ub_download_set_errno_error(error, errno, "size the partial download");
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

	ub_worker_session_new(&probe);
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
		stream = ub_worker_send(&probe, 0, 1, TRUE, NULL, cancellable, &msg, &error_local);
		if (stream == NULL) {
			result = ub_worker_classify_error(error_local);
		} else {
			SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
			status = soup_message_get_status(msg);
			ub_worker_abandon(stream);
			if (status == SOUP_STATUS_PARTIAL_CONTENT &&
			    soup_message_headers_get_content_range(headers, &start, &end, &total) &&
			    total > 0) {
				result = ub_worker_check_body_kind(msg, &error_local)
					     ? UB_FETCH_OK
					     : UB_FETCH_FATAL;
			} else if (status == SOUP_STATUS_OK &&
				   soup_message_headers_get_encoding(headers) ==
				       SOUP_ENCODING_CONTENT_LENGTH) {
				total = soup_message_headers_get_content_length(headers);
				run->plan->single = TRUE;
				result = ub_worker_check_body_kind(msg, &error_local)
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
				result = ub_worker_http_error(msg, &error_local);
				if (result == UB_FETCH_BUSY)
					probe.retry_after_ms = ub_worker_retry_after_ms(msg);
			}
			if (result == UB_FETCH_OK) {
				ub_run_same_file(run, msg);
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
		if (!ub_run_sleep(run,
				  result == UB_FETCH_BUSY && probe.retry_after_ms > 0
				      ? MIN(probe.retry_after_ms, (guint64)run->retry_after_max_ms)
				      : ub_run_backoff_ms(run, attempt))) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
			break;
		}
	}
	ub_worker_session_free(&probe);
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
	if (ub_plan_bytes_done(run->plan) > 0) {
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
		ub_download_set_errno_error(error, errno, "save the download");
		return FALSE;
	}
	if (g_rename(run->part_path, run->dest_path) != 0) {
		ub_download_set_errno_error(error, errno, "move the download into place");
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

	hasher = g_thread_new("ub-download-hash", ub_hash_thread, run);
	for (guint i = 0; i < count; i++) {
		UbWorker *worker = g_new0(UbWorker, 1);
		worker->run = run;
		worker->index = (gint)i;
		worker->thread = g_thread_new("ub-download-conn", ub_worker_thread, worker);
		g_ptr_array_add(workers, worker);
	}

	/* save the progress now and then, so a crash loses little */
	g_mutex_lock(&run->lock);
	next_save = g_get_monotonic_time() + UB_DOWNLOAD_SAVE_EVERY_US;
	while (run->workers_running > 0 ||
	       (ub_plan_is_complete(run->plan) && run->hash_running &&
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

static UbDownloadState
ub_run_execute(UbRun *run, GError **error)
{
	UbPlan *plan = run->plan;
	guint restarts = 0;

	if (plan == NULL)
		plan = ub_plan_load(run);
	if (plan == NULL) {
		plan = ub_plan_new(run->expected_size, run->hash_kind);
	} else if (ub_plan_bytes_done(plan) > 0) {
		g_debug("resuming %s at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
			run->part_path,
			ub_plan_bytes_done(plan),
			plan->size);
	}
	g_mutex_lock(&run->lock);
	run->plan = plan;
	g_mutex_unlock(&run->lock);

	run->fd = g_open(run->part_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (run->fd < 0) {
		ub_download_set_errno_error(error, errno, "create the download file");
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
				ub_run_fail(run, g_steal_pointer(&error_local));
			g_mutex_lock(&run->lock);
			stop = run->stop;
			g_mutex_unlock(&run->lock);
		}
		if (stop == UB_STOP_NONE && run->error == NULL) {
			if (!ub_run_check_space(run, error) || !ub_run_preallocate(run, error)) {
				ub_run_keep_or_remove(run);
				return UB_DOWNLOAD_STATE_FAILED;
			}
			if (!ub_plan_is_complete(plan) || plan->hashed < plan->size)
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
		if (ub_plan_is_complete(plan) && plan->hashed >= plan->size && run->error == NULL) {
			if (!ub_run_verify(run, error)) {
				close(run->fd);
				run->fd = -1;
				ub_run_remove_files(run);
				ub_plan_reset(plan, run->hash_kind);
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
			ub_plan_reset(plan, run->hash_kind);
			ub_run_save(run);
			return UB_DOWNLOAD_STATE_FAILED;
		}
		g_debug("starting over from 0 (%s)",
			restart == UB_RESTART_SINGLE ? "one connection, no ranges"
						     : "the file changed");
		g_mutex_lock(&run->lock);
		ub_plan_reset(plan, run->hash_kind);
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
			ub_run_sleep(run, ub_run_backoff_ms(run, restarts));
	}
}

/* main context: results */

typedef struct {
	UbRun *run;
	UbDownloadState state;
	GError *error;
} UbRunResult;

static void
ub_run_free(UbRun *run)
{
	if (run->fd >= 0)
		close(run->fd);
	if (run->plan != NULL)
		ub_plan_free(run->plan);
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

static void
ub_download_start_run(UbDownload *self);
static void
ub_download_cancel_files(UbDownload *self);

static void
ub_download_set_state(UbDownload *self, UbDownloadState state)
{
	if (self->state == state)
		return;
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
}

static void
ub_download_set_progress(UbDownload *self,
			 guint64 bytes_done,
			 guint64 bytes_total,
			 gdouble rate,
			 gint64 seconds_left)
{
	g_object_freeze_notify(G_OBJECT(self));
	if (self->bytes_done != bytes_done) {
		self->bytes_done = bytes_done;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BYTES_DONE]);
	}
	if (self->bytes_total != bytes_total) {
		self->bytes_total = bytes_total;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BYTES_TOTAL]);
	}
	if (self->rate != rate) {
		self->rate = rate;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_RATE]);
	}
	if (self->seconds_left != seconds_left) {
		self->seconds_left = seconds_left;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SECONDS_LEFT]);
	}
	g_object_thaw_notify(G_OBJECT(self));
}

static void
ub_download_set_error(UbDownload *self, const GError *error)
{
	if (self->error == NULL && error == NULL)
		return;
	g_clear_error(&self->error);
	if (error != NULL)
		self->error = g_error_copy(error);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ERROR]);
}

static gboolean
ub_download_state_is_final(UbDownloadState state)
{
	return state == UB_DOWNLOAD_STATE_DONE || state == UB_DOWNLOAD_STATE_FAILED ||
	       state == UB_DOWNLOAD_STATE_CANCELLED;
}

static void
ub_download_return_waiter(UbDownload *self, GTask *task)
{
	GSource *source = g_task_get_task_data(task);

	if (source != NULL)
		g_source_destroy(source);
	if (self->state == UB_DOWNLOAD_STATE_DONE)
		g_task_return_boolean(task, TRUE);
	else if (self->state == UB_DOWNLOAD_STATE_CANCELLED)
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the download was cancelled");
	else
		g_task_return_error(task, g_error_copy(self->error));
}

static void
ub_download_complete_waiters(UbDownload *self)
{
	g_autoptr(GPtrArray) waiters = NULL;

	if (!ub_download_state_is_final(self->state) || self->waiters->len == 0)
		return;
	waiters = g_steal_pointer(&self->waiters);
	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < waiters->len; i++)
		ub_download_return_waiter(self, g_ptr_array_index(waiters, i));
}

static gboolean
ub_download_run_done_cb(gpointer data)
{
	UbRunResult *result = data;
	UbRun *run = result->run;
	g_autoptr(UbDownload) self = g_object_ref(run->self);
	UbDownloadState state = result->state;
	guint64 bytes_done;
	guint64 size;

	g_thread_join(run->thread);
	g_clear_pointer(&self->tick, g_source_destroy);
	self->run = NULL;
	g_clear_pointer(&self->plan, ub_plan_free);
	self->plan = g_steal_pointer(&run->plan);
	ub_run_free(run);

	/* asked to cancel or resume while it was stopping */
	if (self->cancel_pending && state != UB_DOWNLOAD_STATE_DONE &&
	    state != UB_DOWNLOAD_STATE_CANCELLED) {
		self->cancel_pending = FALSE;
		self->resume_after_stop = FALSE;
		ub_download_cancel_files(self);
		return G_SOURCE_REMOVE;
	}
	self->cancel_pending = FALSE;
	if (self->resume_after_stop && state == UB_DOWNLOAD_STATE_PAUSED) {
		self->resume_after_stop = FALSE;
		ub_download_start_run(self);
		return G_SOURCE_REMOVE;
	}
	self->resume_after_stop = FALSE;

	if (state == UB_DOWNLOAD_STATE_CANCELLED)
		g_clear_pointer(&self->plan, ub_plan_free);
	bytes_done = self->plan != NULL ? ub_plan_bytes_done(self->plan) : 0;
	size = self->plan != NULL && self->plan->size > 0 ? self->plan->size : self->bytes_total;
	if (state == UB_DOWNLOAD_STATE_DONE)
		bytes_done = size;
	g_object_freeze_notify(G_OBJECT(self));
	ub_download_set_progress(
	    self, bytes_done, size, 0, state == UB_DOWNLOAD_STATE_DONE ? 0 : -1);
	ub_download_set_error(self, result->error);
	ub_download_set_state(self, state);
	g_object_thaw_notify(G_OBJECT(self));
	ub_download_complete_waiters(self);
	return G_SOURCE_REMOVE;
}

static void
ub_run_result_free(gpointer data)
{
	UbRunResult *result = data;
	g_clear_error(&result->error);
	g_free(result);
}

static gpointer
ub_run_thread(gpointer data)
{
	UbRun *run = data;
	UbRunResult *result = g_new0(UbRunResult, 1);
	g_autoptr(GSource) source = g_idle_source_new();

	result->run = run;
	result->state = ub_run_execute(run, &result->error);
	if (run->fd >= 0) {
		close(run->fd);
		run->fd = -1;
	}
	if (result->error != NULL)
		g_debug("%s: %s", run->uri, result->error->message);
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, ub_download_run_done_cb, result, ub_run_result_free);
	g_source_attach(source, run->context);
	return NULL;
}

/* main context: progress */

static gboolean
ub_download_tick_cb(gpointer data)
{
	UbDownload *self = data;
	UbRun *run = self->run;
	gint64 now = g_get_monotonic_time();
	guint64 bytes_done;
	guint64 size;
	gboolean waiting;
	gdouble rate = 0;
	gint64 seconds_left = -1;
	guint oldest = 0;

	g_mutex_lock(&run->lock);
	bytes_done = run->plan != NULL ? ub_plan_bytes_done(run->plan) : 0;
	size = run->plan != NULL ? run->plan->size : self->bytes_total;
	waiting = run->workers_waiting > 0 && run->workers_waiting >= run->workers_running;
	g_mutex_unlock(&run->lock);

	/* the rate over the last few seconds: steadier than per tick */
	if (self->n_samples == UB_DOWNLOAD_RATE_SAMPLES) {
		memmove(self->sample_time,
			self->sample_time + 1,
			sizeof(gint64) * (UB_DOWNLOAD_RATE_SAMPLES - 1));
		memmove(self->sample_bytes,
			self->sample_bytes + 1,
			sizeof(guint64) * (UB_DOWNLOAD_RATE_SAMPLES - 1));
		self->n_samples--;
	}
	self->sample_time[self->n_samples] = now;
	self->sample_bytes[self->n_samples] = bytes_done;
	self->n_samples++;
	while (oldest + 1 < self->n_samples &&
	       now - self->sample_time[oldest] > UB_DOWNLOAD_RATE_WINDOW_US)
		oldest++;
	if (now > self->sample_time[oldest] && bytes_done >= self->sample_bytes[oldest])
		rate = (gdouble)(bytes_done - self->sample_bytes[oldest]) * G_USEC_PER_SEC /
		       (gdouble)(now - self->sample_time[oldest]);
	if (rate >= 1 && size > bytes_done)
		seconds_left = (gint64)((gdouble)(size - bytes_done) / rate + 0.5);
	else if (size > 0 && bytes_done >= size)
		seconds_left = 0;

	g_object_freeze_notify(G_OBJECT(self));
	ub_download_set_progress(self, bytes_done, size, rate, seconds_left);
	ub_download_set_state(self,
			      waiting ? UB_DOWNLOAD_STATE_RETRYING : UB_DOWNLOAD_STATE_RUNNING);
	g_object_thaw_notify(G_OBJECT(self));
	return G_SOURCE_CONTINUE;
}

static void
ub_download_start_run(UbDownload *self)
{
	UbRun *run = g_new0(UbRun, 1);

	g_assert(self->run == NULL);

	run->self = g_object_ref(self);
	run->context = g_main_context_ref(self->context);
	run->uri = g_strdup(self->uri);
	run->dest_path = g_strdup(self->dest_path);
	run->part_path = g_strdup(self->part_path);
	run->state_path = g_strdup(self->state_path);
	run->expected_size = self->size;
	run->hash_kind = self->hash_kind;
	run->expected_hash = g_strdup(self->expected_hash);
	run->connections = self->connections;
	run->chunk_size = self->chunk_size > 0 ? self->chunk_size : UB_DOWNLOAD_CHUNK_SIZE;
	run->chunk_fixed = self->chunk_size > 0;
	run->backoff_base_ms = self->backoff_base_ms;
	run->backoff_max_ms = self->backoff_max_ms;
	run->retry_after_max_ms = self->retry_after_max_ms;
	run->fault_after = self->fault_after;
	run->fault_errno = self->fault_errno;
	run->fd = -1;
	run->answer_min_us = G_MAXINT64;
	run->plan = g_steal_pointer(&self->plan);
	run->cancellable = g_cancellable_new();
	g_mutex_init(&run->lock);
	g_cond_init(&run->cond);
	g_cond_init(&run->hash_cond);
	self->run = run;
	self->n_samples = 0;

	self->tick = g_timeout_source_new(UB_DOWNLOAD_TICK_MS);
	g_source_set_callback(self->tick, ub_download_tick_cb, self, NULL);
	g_source_attach(self->tick, self->context);
	g_source_unref(self->tick);

	g_object_freeze_notify(G_OBJECT(self));
	ub_download_set_error(self, NULL);
	ub_download_set_state(self, UB_DOWNLOAD_STATE_RUNNING);
	g_object_thaw_notify(G_OBJECT(self));

	run->thread = g_thread_new("ub-download", ub_run_thread, run);
}

static void
ub_download_request_stop(UbDownload *self, UbStop stop)
{
	UbRun *run = self->run;
	GCancellable *cancellable;

	g_mutex_lock(&run->lock);
	if (stop > run->stop)
		run->stop = stop;
	cancellable = ub_run_wake_locked(run);
	g_mutex_unlock(&run->lock);
	ub_run_cancel_unlocked(cancellable);
}

/* GObject */

static void
ub_download_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbDownload *self = UB_DOWNLOAD(object);

	switch (prop_id) {
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_BYTES_DONE:
		g_value_set_uint64(value, self->bytes_done);
		break;
	case PROP_BYTES_TOTAL:
		g_value_set_uint64(value, self->bytes_total);
		break;
	case PROP_RATE:
		g_value_set_double(value, self->rate);
		break;
	case PROP_SECONDS_LEFT:
		g_value_set_int64(value, self->seconds_left);
		break;
	case PROP_ERROR:
		g_value_set_boxed(value, self->error);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_download_dispose(GObject *object)
{
	UbDownload *self = UB_DOWNLOAD(object);

	/* a running download holds a reference, so no run is left here */
	g_clear_pointer(&self->tick, g_source_destroy);
	g_clear_pointer(&self->waiters, g_ptr_array_unref);

	G_OBJECT_CLASS(ub_download_parent_class)->dispose(object);
}

static void
ub_download_finalize(GObject *object)
{
	UbDownload *self = UB_DOWNLOAD(object);

	g_clear_pointer(&self->plan, ub_plan_free);
	g_clear_error(&self->error);
	g_main_context_unref(self->context);
	g_free(self->uri);
	g_free(self->dest_path);
	g_free(self->part_path);
	g_free(self->state_path);
	g_free(self->expected_hash);

	G_OBJECT_CLASS(ub_download_parent_class)->finalize(object);
}

static void
ub_download_class_init(UbDownloadClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = ub_download_get_property;
	object_class->dispose = ub_download_dispose;
	object_class->finalize = ub_download_finalize;

	properties[PROP_STATE] =
	    g_param_spec_enum("state",
			      NULL,
			      NULL,
			      UB_TYPE_DOWNLOAD_STATE,
			      UB_DOWNLOAD_STATE_IDLE,
			      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_BYTES_DONE] = g_param_spec_uint64(
	    "bytes-done",
	    NULL,
	    NULL,
	    0,
	    G_MAXUINT64,
	    0,
	    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_BYTES_TOTAL] = g_param_spec_uint64(
	    "bytes-total",
	    NULL,
	    NULL,
	    0,
	    G_MAXUINT64,
	    0,
	    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_RATE] = g_param_spec_double("rate",
						    NULL,
						    NULL,
						    0,
						    G_MAXDOUBLE,
						    0,
						    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
							G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_SECONDS_LEFT] =
	    g_param_spec_int64("seconds-left",
			       NULL,
			       NULL,
			       -1,
			       G_MAXINT64,
			       -1,
			       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_ERROR] =
	    g_param_spec_boxed("error",
			       NULL,
			       NULL,
			       G_TYPE_ERROR,
			       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_download_init(UbDownload *self)
{
	self->connections = 4;
	self->backoff_base_ms = 1000;
	self->backoff_max_ms = 30000;
	self->retry_after_max_ms = 300000;
	self->seconds_left = -1;
	self->context = g_main_context_ref_thread_default();
	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
}

/* public */

UbDownload *
ub_download_new(const gchar *uri,
		const gchar *dest_path,
		guint64 size,
		UbHashKind hash_kind,
		const gchar *expected_hash)
{
	UbDownload *self;

	g_return_val_if_fail(uri != NULL, NULL);
	g_return_val_if_fail(dest_path != NULL, NULL);
	g_return_val_if_fail(hash_kind == UB_HASH_SHA256 || hash_kind == UB_HASH_SHA1, NULL);

	self = g_object_new(UB_TYPE_DOWNLOAD, NULL);
	self->uri = g_strdup(uri);
	self->dest_path = g_strdup(dest_path);
	self->part_path = g_strconcat(dest_path, ".part", NULL);
	self->state_path = g_strconcat(dest_path, ".part.state", NULL);
	self->size = size;
	self->bytes_total = size;
	self->hash_kind = hash_kind;
	if (expected_hash != NULL && expected_hash[0] != '\0')
		self->expected_hash = g_ascii_strdown(expected_hash, -1);
	return self;
}

void
ub_download_set_connections(UbDownload *self, guint connections)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));
	self->connections = CLAMP(connections, 1, 16);
}

void
_ub_download_set_chunk_size(UbDownload *self, guint64 chunk_size)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));
	self->chunk_size = chunk_size;
}

void
_ub_download_set_backoff(UbDownload *self, guint base_ms, guint max_ms, guint retry_after_max_ms)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));
	self->backoff_base_ms = MAX(base_ms, 1);
	self->backoff_max_ms = MAX(max_ms, self->backoff_base_ms);
	self->retry_after_max_ms = retry_after_max_ms;
}

void
_ub_download_set_write_fault(UbDownload *self, guint64 after_bytes, gint errno_value)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));
	self->fault_after = after_bytes;
	self->fault_errno = errno_value;
}

void
ub_download_start(UbDownload *self)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));

	if (self->cancel_pending)
		return;
	if (self->run != NULL) {
		/* pausing still: carry on once it stopped */
		self->resume_after_stop = TRUE;
		return;
	}
	if (self->state == UB_DOWNLOAD_STATE_DONE)
		return;
	ub_download_start_run(self);
}

void
ub_download_pause(UbDownload *self)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));

	if (self->run == NULL)
		return;
	self->resume_after_stop = FALSE;
	ub_download_request_stop(self, UB_STOP_PAUSE);
}

void
ub_download_resume(UbDownload *self)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));
	ub_download_start(self);
}

typedef struct {
	UbDownload *self;
	GThread *thread;
	gchar *part_path;
	gchar *state_path;
} UbCancelJob;

static gboolean
ub_download_cancel_done_cb(gpointer data)
{
	UbCancelJob *job = data;
	g_autoptr(UbDownload) self = job->self;

	g_thread_join(job->thread);
	g_free(job->part_path);
	g_free(job->state_path);
	g_free(job);

	self->cancel_pending = FALSE;
	g_clear_pointer(&self->plan, ub_plan_free);
	g_object_freeze_notify(G_OBJECT(self));
	ub_download_set_progress(self, 0, self->bytes_total, 0, -1);
	ub_download_set_state(self, UB_DOWNLOAD_STATE_CANCELLED);
	g_object_thaw_notify(G_OBJECT(self));
	ub_download_complete_waiters(self);
	return G_SOURCE_REMOVE;
}

static gpointer
ub_download_cancel_thread(gpointer data)
{
	UbCancelJob *job = data;
	g_autoptr(GSource) source = g_idle_source_new();

	g_unlink(job->part_path);
	g_unlink(job->state_path);
	g_source_set_callback(source, ub_download_cancel_done_cb, job, NULL);
	g_source_attach(source, job->self->context);
	return NULL;
}

/* removing a 5 GB file can take a while on some file systems */
static void
ub_download_cancel_files(UbDownload *self)
{
	UbCancelJob *job = g_new0(UbCancelJob, 1);

	self->cancel_pending = TRUE;
	job->self = g_object_ref(self);
	job->part_path = g_strdup(self->part_path);
	job->state_path = g_strdup(self->state_path);
	job->thread = g_thread_new("ub-download-cancel", ub_download_cancel_thread, job);
}

void
ub_download_cancel(UbDownload *self)
{
	g_return_if_fail(UB_IS_DOWNLOAD(self));

	if (self->cancel_pending)
		return;
	if (self->run != NULL) {
		self->resume_after_stop = FALSE;
		self->cancel_pending = TRUE;
		ub_download_request_stop(self, UB_STOP_CANCEL);
		return;
	}
	if (self->state == UB_DOWNLOAD_STATE_DONE || self->state == UB_DOWNLOAD_STATE_CANCELLED)
		return;
	ub_download_cancel_files(self);
}

UbDownloadState
ub_download_get_state(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), UB_DOWNLOAD_STATE_IDLE);
	return self->state;
}

guint64
ub_download_get_bytes_done(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), 0);
	return self->bytes_done;
}

guint64
ub_download_get_bytes_total(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), 0);
	return self->bytes_total;
}

gdouble
ub_download_get_rate(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), 0);
	return self->rate;
}

gint64
ub_download_get_seconds_left(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), -1);
	return self->seconds_left;
}

const GError *
ub_download_get_error(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), NULL);
	return self->error;
}

const gchar *
ub_download_get_dest_path(UbDownload *self)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), NULL);
	return self->dest_path;
}

static gboolean
ub_download_wait_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = user_data;
	UbDownload *self = g_task_get_source_object(task);

	/* the source holds a reference, so the task outlives the array's */
	g_ptr_array_remove(self->waiters, task);
	g_task_return_error_if_cancelled(task);
	return G_SOURCE_REMOVE;
}

void
ub_download_wait_async(UbDownload *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(UB_IS_DOWNLOAD(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_download_wait_async);
	/* a cancelled wait returns at once; the download goes on */
	g_task_set_check_cancellable(task, TRUE);
	if (cancellable != NULL) {
		GSource *source = g_cancellable_source_new(cancellable);
		g_task_set_task_data(task, source, (GDestroyNotify)g_source_unref);
		g_source_set_callback(source,
				      G_SOURCE_FUNC(ub_download_wait_cancelled_cb),
				      g_object_ref(task),
				      g_object_unref);
		g_source_attach(source, self->context);
	}
	g_ptr_array_add(self->waiters, g_steal_pointer(&task));
	ub_download_complete_waiters(self);
}

gboolean
ub_download_wait_finish(UbDownload *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(UB_IS_DOWNLOAD(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
