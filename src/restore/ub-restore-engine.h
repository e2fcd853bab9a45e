/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-restore-types.h"

G_BEGIN_DECLS

/*
 * UbRestoreRequest: what one engine run is asked to do. Plain data; the job
 * fills it after the user agreed and the firmware was verified.
 */
typedef struct {
	guint64 ecid;	      /* the device, passed as -i */
	gchar *product_type;  /* "iPhone10,4", for the can-restore check */
	gchar *firmware_path; /* the verified IPSW, or a directory extracted from it */
	gchar *cache_dir;     /* -C; may be NULL */
	UbRestoreKind kind;   /* ERASE adds -e, only after the user's consent */
} UbRestoreRequest;

#define UB_TYPE_RESTORE_REQUEST (ub_restore_request_get_type())
GType
ub_restore_request_get_type(void);

UbRestoreRequest *
ub_restore_request_new(guint64 ecid,
		       const gchar *product_type,
		       const gchar *firmware_path,
		       UbRestoreKind kind);
UbRestoreRequest *
ub_restore_request_copy(const UbRestoreRequest *request);
void
ub_restore_request_free(UbRestoreRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbRestoreRequest, ub_restore_request_free)

#define UB_TYPE_RESTORE_ENGINE (ub_restore_engine_get_type())
G_DECLARE_INTERFACE(UbRestoreEngine, ub_restore_engine, UB, RESTORE_ENGINE, GObject)

/**
 * UbRestoreEngineInterface:
 * @run_async: start one run; emit #UbRestoreEngine::output-line for every
 *   line of output (stdout and stderr, "\n"- or "\r"-terminated) on the
 *   thread-default main context of the caller, and complete when the
 *   engine has exited and all of its output was emitted. Cancelling
 *   @cancellable asks the engine to stop (for the real one: SIGINT, then
 *   SIGKILL after a grace period); the run still completes only once the
 *   process is gone, with G_IO_ERROR_CANCELLED.
 * @run_finish: the exit status (0 = the engine said it succeeded)
 *
 * One engine object runs one restore at a time; a job makes its own.
 */
struct _UbRestoreEngineInterface {
	GTypeInterface parent_iface;

	void (*run_async)(UbRestoreEngine *self,
			  const UbRestoreRequest *request,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
	gboolean (*run_finish)(UbRestoreEngine *self,
			       GAsyncResult *result,
			       gint *exit_status,
			       GError **error);
};

void
ub_restore_engine_run_async(UbRestoreEngine *self,
			    const UbRestoreRequest *request,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
ub_restore_engine_run_finish(UbRestoreEngine *self,
			     GAsyncResult *result,
			     gint *exit_status,
			     GError **error);

/* for implementations */
void
ub_restore_engine_emit_output_line(UbRestoreEngine *self, const gchar *line);

G_END_DECLS
