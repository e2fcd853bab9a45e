/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	UB_DOWNLOAD_STATE_IDLE,
	UB_DOWNLOAD_STATE_RUNNING,
	UB_DOWNLOAD_STATE_PAUSED,
	UB_DOWNLOAD_STATE_RETRYING, /* the connection dropped; resuming with backoff */
	UB_DOWNLOAD_STATE_DONE,	    /* every byte there and the hash matched */
	UB_DOWNLOAD_STATE_FAILED,
	UB_DOWNLOAD_STATE_CANCELLED,
} UbDownloadState;

typedef enum {
	UB_HASH_SHA256,
	UB_HASH_SHA1,
} UbHashKind;

#define UB_TYPE_DOWNLOAD_STATE (ub_download_state_get_type())
GType
ub_download_state_get_type(void);

#define UB_TYPE_DOWNLOAD (ub_download_get_type())
G_DECLARE_FINAL_TYPE(UbDownload, ub_download, UB, DOWNLOAD, GObject)

/**
 * ub_download_new:
 * @uri: checked against the host policy, and so is every redirect
 * @dest_path: the verified file appears here only after the hash matched;
 *   while downloading the bytes go to "@dest_path.part" (kept for resume)
 * @size: expected size in bytes, 0 when unknown
 * @hash_kind, @expected_hash: lowercase hex; the file is ready only if it matches
 *
 * Properties (notified on the main context, at most ~10 times a second):
 * state, bytes-done, bytes-total, rate (bytes/s), seconds-left (-1 unknown),
 * error (GError boxed, when FAILED).
 */
UbDownload *
ub_download_new(const gchar *uri,
		const gchar *dest_path,
		guint64 size,
		UbHashKind hash_kind,
		const gchar *expected_hash);
void
ub_download_set_connections(UbDownload *self, guint connections);
void
ub_download_start(UbDownload *self);
void
ub_download_pause(UbDownload *self);
void
ub_download_resume(UbDownload *self);
void
ub_download_cancel(UbDownload *self); /* removes the partial file */
UbDownloadState
ub_download_get_state(UbDownload *self);
guint64
ub_download_get_bytes_done(UbDownload *self);
guint64
ub_download_get_bytes_total(UbDownload *self);
gdouble
ub_download_get_rate(UbDownload *self);
gint64
ub_download_get_seconds_left(UbDownload *self);
const GError *
ub_download_get_error(UbDownload *self);
const gchar *
ub_download_get_dest_path(UbDownload *self);

/* waits for DONE/FAILED/CANCELLED; for tests and the bench tool */
void
ub_download_wait_async(UbDownload *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
ub_download_wait_finish(UbDownload *self, GAsyncResult *result, GError **error);

G_END_DECLS
