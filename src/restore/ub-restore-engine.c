/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-restore-engine"

#include "config.h"

#include "ub-restore-engine.h"

enum {
	SIGNAL_OUTPUT_LINE,
	N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE(UbRestoreRequest,
		    ub_restore_request,
		    ub_restore_request_copy,
		    ub_restore_request_free)

G_DEFINE_INTERFACE(UbRestoreEngine, ub_restore_engine, G_TYPE_OBJECT)

/**
 * ub_restore_request_new:
 * @ecid: the device's ECID, never 0
 * @product_type: (nullable): "iPhone10,4", for the can-restore check
 * @firmware_path: the verified IPSW or a directory extracted from it
 * @kind: update or erase
 *
 * The cache directory starts unset; assign a g_strdup()ed path to
 * @cache_dir to pass -C.
 *
 * Returns: (transfer full): a new request
 */
UbRestoreRequest *
ub_restore_request_new(guint64 ecid,
		       const gchar *product_type,
		       const gchar *firmware_path,
		       UbRestoreKind kind)
{
	UbRestoreRequest *request = NULL;

	g_return_val_if_fail(firmware_path != NULL, NULL);

	request = g_new0(UbRestoreRequest, 1);
	request->ecid = ecid;
	request->product_type = g_strdup(product_type);
	request->firmware_path = g_strdup(firmware_path);
	request->kind = kind;
	return request;
}

/**
 * ub_restore_request_copy:
 * @request: a #UbRestoreRequest
 *
 * Returns: (transfer full): a deep copy of @request
 */
UbRestoreRequest *
ub_restore_request_copy(const UbRestoreRequest *request)
{
	UbRestoreRequest *copy = NULL;

	g_return_val_if_fail(request != NULL, NULL);

	copy = g_new0(UbRestoreRequest, 1);
	copy->ecid = request->ecid;
	copy->product_type = g_strdup(request->product_type);
	copy->firmware_path = g_strdup(request->firmware_path);
	copy->cache_dir = g_strdup(request->cache_dir);
	copy->kind = request->kind;
	return copy;
}

/**
 * ub_restore_request_free:
 * @request: (nullable): a #UbRestoreRequest
 */
void
ub_restore_request_free(UbRestoreRequest *request)
{
	if (request == NULL)
		return;
	g_free(request->product_type);
	g_free(request->firmware_path);
	g_free(request->cache_dir);
	g_free(request);
}

static void
ub_restore_engine_default_init(UbRestoreEngineInterface *iface)
{
	/**
	 * UbRestoreEngine::output-line:
	 * @self: the engine
	 * @line: one line of the engine's output, valid UTF-8, without its
	 *   line end
	 *
	 * Emitted on the thread-default main context of the caller of
	 * ub_restore_engine_run_async() for every line the engine prints, in
	 * the order each of its streams printed them.
	 */
	signals[SIGNAL_OUTPUT_LINE] = g_signal_new("output-line",
						   G_TYPE_FROM_INTERFACE(iface),
						   G_SIGNAL_RUN_LAST,
						   0,
						   NULL,
						   NULL,
						   NULL,
						   G_TYPE_NONE,
						   1,
						   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/**
 * ub_restore_engine_run_async:
 * @self: a #UbRestoreEngine
 * @request: what to restore; copied, so it may be freed at once
 * @cancellable: (nullable): asks the engine to stop
 * @callback: called once the engine has exited and all output was emitted
 * @user_data: for @callback
 */
void
ub_restore_engine_run_async(UbRestoreEngine *self,
			    const UbRestoreRequest *request,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	UbRestoreEngineInterface *iface = NULL;

	g_return_if_fail(UB_IS_RESTORE_ENGINE(self));
	g_return_if_fail(request != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	iface = UB_RESTORE_ENGINE_GET_IFACE(self);
	g_return_if_fail(iface->run_async != NULL);
	iface->run_async(self, request, cancellable, callback, user_data);
}

/**
 * ub_restore_engine_run_finish:
 * @self: a #UbRestoreEngine
 * @result: the result given to the callback
 * @exit_status: (out) (optional): the engine's exit status, 0 when it said
 *   it succeeded; -1 when it has none (killed by a signal, never started)
 * @error: (nullable): return location for an error
 *
 * Returns: %TRUE when the engine ran to its end, whatever its status;
 * %FALSE with G_IO_ERROR_CANCELLED when it was stopped, or another error
 * when it could not be started
 */
gboolean
ub_restore_engine_run_finish(UbRestoreEngine *self,
			     GAsyncResult *result,
			     gint *exit_status,
			     GError **error)
{
	UbRestoreEngineInterface *iface = NULL;

	g_return_val_if_fail(UB_IS_RESTORE_ENGINE(self), FALSE);
	g_return_val_if_fail(G_IS_ASYNC_RESULT(result), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = UB_RESTORE_ENGINE_GET_IFACE(self);
	g_return_val_if_fail(iface->run_finish != NULL, FALSE);
	return iface->run_finish(self, result, exit_status, error);
}

/**
 * ub_restore_engine_emit_output_line:
 * @self: a #UbRestoreEngine
 * @line: one line, valid UTF-8
 *
 * For implementations: emits #UbRestoreEngine::output-line.
 */
void
ub_restore_engine_emit_output_line(UbRestoreEngine *self, const gchar *line)
{
	g_return_if_fail(UB_IS_RESTORE_ENGINE(self));
	g_return_if_fail(line != NULL);

	g_signal_emit(self, signals[SIGNAL_OUTPUT_LINE], 0, line);
}
