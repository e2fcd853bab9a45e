/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-file-hash"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <unistd.h>

#include "ub-error.h"
#include "ub-fd.h"
#include "ub-file-hash.h"
#include "ub-main-context.h"

#define CHUNK_SIZE (4 * 1024 * 1024)
#define PROGRESS_INTERVAL_US (100 * 1000)

typedef struct {
	gchar *path;
	UbHashKind kind;
	UbFileHashProgress progress;
	gpointer progress_data;
	GMainContext *context;
	gint64 last_progress;
} HashJob;

typedef struct {
	UbFileHashProgress progress;
	gpointer progress_data;
	guint64 done;
	guint64 total;
} ProgressEvent;

static void
hash_job_free(HashJob *job)
{
	g_free(job->path);
	g_main_context_unref(job->context);
	g_free(job);
}

static gboolean
progress_cb(gpointer user_data)
{
	ProgressEvent *event = user_data;
	event->progress(event->done, event->total, event->progress_data);
	return G_SOURCE_REMOVE;
}

static void
report_progress(HashJob *job, guint64 done, guint64 total, gboolean force)
{
	gint64 now = g_get_monotonic_time();
	ProgressEvent *event;

	if (job == NULL || job->progress == NULL)
		return;
	if (!force && now - job->last_progress < PROGRESS_INTERVAL_US)
		return;
	job->last_progress = now;
	event = g_new0(ProgressEvent, 1);
	event->progress = job->progress;
	event->progress_data = job->progress_data;
	event->done = done;
	event->total = total;
	ub_main_context_post(job->context, progress_cb, event, g_free, "[ub-file-hash] progress");
}

static gchar *
hash_file(const gchar *path,
	  UbHashKind kind,
	  HashJob *job,
	  GCancellable *cancellable,
	  GError **error)
{
	gnutls_hash_hd_t hash = NULL;
	gnutls_digest_algorithm_t algorithm =
	    kind == UB_HASH_SHA256 ? GNUTLS_DIG_SHA256 : GNUTLS_DIG_SHA1;
	guint8 digest[32];
	g_autofree guint8 *buffer = g_malloc(CHUNK_SIZE);
	GString *hex;
	struct stat st;
	guint64 done = 0;
	int fd;

	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		ub_set_errno_error(error, errno, "open %s", path);
		return NULL;
	}
	if (fstat(fd, &st) != 0)
		st.st_size = 0;
	/* the file is read once, front to back */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (gnutls_hash_init(&hash, algorithm) < 0) {
		close(fd);
		g_set_error_literal(error, UB_ERROR, UB_ERROR_FAILED, "failed to start hashing");
		return NULL;
	}
	for (;;) {
		ssize_t got = read(fd, buffer, CHUNK_SIZE);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			gint saved = errno;
			gnutls_hash_deinit(hash, NULL);
			close(fd);
			ub_set_errno_error(error, saved, "read %s", path);
			return NULL;
		}
		if (got == 0)
			break;
		gnutls_hash(hash, buffer, (size_t)got);
		done += (guint64)got;
		report_progress(job, done, (guint64)st.st_size, FALSE);
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			gnutls_hash_deinit(hash, NULL);
			close(fd);
			return NULL;
		}
	}
	close(fd);
	gnutls_hash_deinit(hash, digest);
	report_progress(job, done, (guint64)st.st_size, TRUE);

	hex = g_string_new(NULL);
	for (guint i = 0; i < gnutls_hash_get_len(algorithm); i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

gchar *
ub_file_hash(const gchar *path, UbHashKind kind, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return hash_file(path, kind, NULL, cancellable, error);
}

static void
hash_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	HashJob *job = task_data;
	GError *error = NULL;
	gchar *digest = hash_file(job->path, job->kind, job, cancellable, &error);

	if (digest == NULL)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, digest, g_free);
}

void
ub_file_hash_async(const gchar *path,
		   UbHashKind kind,
		   UbFileHashProgress progress,
		   gpointer progress_data,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	HashJob *job;

	g_return_if_fail(path != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	job = g_new0(HashJob, 1);
	job->path = g_strdup(path);
	job->kind = kind;
	job->progress = progress;
	job->progress_data = progress_data;
	job->context = g_main_context_ref_thread_default();
	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_file_hash_async);
	g_task_set_task_data(task, job, (GDestroyNotify)hash_job_free);
	g_task_run_in_thread(task, hash_thread);
}

gchar *
ub_file_hash_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}
