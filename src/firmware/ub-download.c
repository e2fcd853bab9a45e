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

G_DEFINE_ENUM_TYPE(UbDownloadState,
		   ub_download_state,
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_IDLE, "idle"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_RUNNING, "running"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_PAUSED, "paused"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_RETRYING, "retrying"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_DONE, "done"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_FAILED, "failed"),
		   G_DEFINE_ENUM_VALUE(UB_DOWNLOAD_STATE_CANCELLED, "cancelled"))

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

/* main context: results */

typedef struct {
	UbRun *run;
	UbDownloadState state;
	GError *error;
} UbRunResult;

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
	g_clear_pointer(&self->plan, _ub_plan_free);
	self->plan = g_steal_pointer(&run->plan);
	_ub_run_free(run);

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
		g_clear_pointer(&self->plan, _ub_plan_free);
	bytes_done = self->plan != NULL ? _ub_plan_bytes_done(self->plan) : 0;
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
	result->state = _ub_run_execute(run, &result->error);
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
	bytes_done = run->plan != NULL ? _ub_plan_bytes_done(run->plan) : 0;
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
	cancellable = _ub_run_wake_locked(run);
	g_mutex_unlock(&run->lock);
	_ub_run_cancel_unlocked(cancellable);
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

	g_clear_pointer(&self->plan, _ub_plan_free);
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
	g_clear_pointer(&self->plan, _ub_plan_free);
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
