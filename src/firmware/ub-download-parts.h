/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gnutls/crypto.h>
#include <libsoup/soup.h>

#include "ub-download-private.h"

G_BEGIN_DECLS

/*
 * The parts of a download, one file each, shared here only: the plan of
 * what is on disk and its resume state (ub-download-plan.c), one run that
 * schedules the segments and writes, checks and commits the file
 * (ub-download-run.c), the HTTP connections that fetch the segments
 * (ub-download-worker.c), the thread that hashes the prefix as it grows
 * (ub-download-hasher.c), and the object the interface sees
 * (ub-download.c).
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

/* what the parts call of each other, by prefix: _ub_plan_ and
 * _ub_download_digest (ub-download-plan.c), _ub_run_ and the file helpers
 * (ub-download-run.c), _ub_worker_ (ub-download-worker.c), _ub_hash_
 * (ub-download-hasher.c) */
gnutls_digest_algorithm_t
_ub_download_digest(UbHashKind kind);
gboolean
_ub_download_read_all(gint fd, guint8 *buf, gsize len, guint64 offset, GError **error);
void
_ub_download_set_errno_error(GError **error, gint errsv, const gchar *what);
gboolean
_ub_download_write_all(gint fd, const guint8 *buf, gsize len, guint64 offset, GError **error);
gpointer
_ub_hash_thread(gpointer data);
guint64
_ub_plan_bytes_done(UbPlan *plan);
void
_ub_plan_free(UbPlan *plan);
const gchar *
_ub_plan_if_range(UbPlan *plan);
gboolean
_ub_plan_is_complete(UbPlan *plan);
UbPlan *
_ub_plan_load(UbRun *run);
UbPlan *
_ub_plan_new(guint64 size, UbHashKind kind);
guint64
_ub_plan_prefix(UbPlan *plan);
void
_ub_plan_reset(UbPlan *plan, UbHashKind kind);
gchar *
_ub_plan_to_data(UbPlan *plan, UbRun *run, gsize *length);
guint64
_ub_run_backoff_ms(UbRun *run, guint attempt);
void
_ub_run_cancel_unlocked(GCancellable *cancellable);
UbSegment *
_ub_run_claim_locked(UbRun *run, gint index);
UbDownloadState
_ub_run_execute(UbRun *run, GError **error);
void
_ub_run_fail(UbRun *run, GError *error);
void
_ub_run_finish_segment_locked(UbRun *run, UbSegment *seg);
void
_ub_run_free(UbRun *run);
void
_ub_run_release_locked(UbRun *run, UbSegment *seg);
void
_ub_run_restart(UbRun *run, UbRestart restart);
gboolean
_ub_run_same_file(UbRun *run, SoupMessage *msg);
gboolean
_ub_run_sleep(UbRun *run, guint64 delay_ms);
GCancellable *
_ub_run_wake_locked(UbRun *run);
void
_ub_worker_abandon(GInputStream *stream);
gboolean
_ub_worker_check_body_kind(SoupMessage *msg, GError **error);
UbFetch
_ub_worker_classify_error(const GError *error);
UbFetch
_ub_worker_http_error(SoupMessage *msg, GError **error);
guint64
_ub_worker_retry_after_ms(SoupMessage *msg);
GInputStream *
_ub_worker_send(UbWorker *worker,
		guint64 from,
		guint64 to,
		gboolean ranged,
		const gchar *if_range,
		GCancellable *cancellable,
		SoupMessage **msg_out,
		GError **error);
void
_ub_worker_session_free(UbWorker *worker);
void
_ub_worker_session_new(UbWorker *worker);
gpointer
_ub_worker_thread(gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbPlan, _ub_plan_free)

G_END_DECLS
