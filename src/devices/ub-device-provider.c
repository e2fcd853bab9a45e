/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device-provider"

#include "config.h"

#include "ub-device-provider.h"
#include "ub-error.h"

enum { SIGNAL_DEVICE_SEEN, SIGNAL_DEVICE_LOST, N_SIGNALS };
static guint signals[N_SIGNALS];

static GQuark context_quark;
static GQuark thread_quark;

G_DEFINE_INTERFACE(UbDeviceProvider, ub_device_provider, G_TYPE_OBJECT)

static void
ub_device_provider_default_init(UbDeviceProviderInterface *iface)
{
	context_quark = g_quark_from_static_string("ub-device-provider-context");
	thread_quark = g_quark_from_static_string("ub-device-provider-thread");

	/**
	 * UbDeviceProvider::device-seen:
	 * A device appeared, or what is known of it changed. Always emitted on
	 * the main context the provider was started on.
	 */
	signals[SIGNAL_DEVICE_SEEN] = g_signal_new("device-seen",
						   G_TYPE_FROM_INTERFACE(iface),
						   G_SIGNAL_RUN_LAST,
						   0,
						   NULL,
						   NULL,
						   NULL,
						   G_TYPE_NONE,
						   1,
						   UB_TYPE_DEVICE_REPORT);
	/**
	 * UbDeviceProvider::device-lost:
	 * The USB appearance named by its source id is gone.
	 */
	signals[SIGNAL_DEVICE_LOST] = g_signal_new("device-lost",
						   G_TYPE_FROM_INTERFACE(iface),
						   G_SIGNAL_RUN_LAST,
						   0,
						   NULL,
						   NULL,
						   NULL,
						   G_TYPE_NONE,
						   1,
						   G_TYPE_STRING);
}

gboolean
ub_device_provider_start(UbDeviceProvider *self, GError **error)
{
	UbDeviceProviderInterface *iface;

	g_return_val_if_fail(UB_IS_DEVICE_PROVIDER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	/* events found on library threads are delivered here */
	g_object_set_qdata_full(G_OBJECT(self),
				context_quark,
				g_main_context_ref_thread_default(),
				(GDestroyNotify)g_main_context_unref);
	g_object_set_qdata(G_OBJECT(self), thread_quark, g_thread_self());
	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	if (iface->start == NULL)
		return TRUE;
	return iface->start(self, error);
}

void
ub_device_provider_stop(UbDeviceProvider *self)
{
	UbDeviceProviderInterface *iface;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));

	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	if (iface->stop != NULL)
		iface->stop(self);
}

static void
not_supported_async(UbDeviceProvider *self,
		    gpointer source_tag,
		    GAsyncReadyCallback callback,
		    gpointer user_data)
{
	g_task_report_new_error(self,
				callback,
				user_data,
				source_tag,
				UB_ERROR,
				UB_ERROR_NOT_SUPPORTED,
				"this connection cannot do that");
}

void
ub_device_provider_exit_recovery_async(UbDeviceProvider *self,
				       const gchar *source_id,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	UbDeviceProviderInterface *iface;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));
	g_return_if_fail(source_id != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	if (iface->exit_recovery_async == NULL) {
		not_supported_async(
		    self, ub_device_provider_exit_recovery_async, callback, user_data);
		return;
	}
	iface->exit_recovery_async(self, source_id, cancellable, callback, user_data);
}

gboolean
ub_device_provider_exit_recovery_finish(UbDeviceProvider *self,
					GAsyncResult *result,
					GError **error)
{
	UbDeviceProviderInterface *iface;

	g_return_val_if_fail(UB_IS_DEVICE_PROVIDER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_async_result_is_tagged(result, ub_device_provider_exit_recovery_async))
		return g_task_propagate_boolean(G_TASK(result), error);
	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	return iface->exit_recovery_finish(self, result, error);
}

void
ub_device_provider_enter_recovery_async(UbDeviceProvider *self,
					const gchar *source_id,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	UbDeviceProviderInterface *iface;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));
	g_return_if_fail(source_id != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	if (iface->enter_recovery_async == NULL) {
		not_supported_async(
		    self, ub_device_provider_enter_recovery_async, callback, user_data);
		return;
	}
	iface->enter_recovery_async(self, source_id, cancellable, callback, user_data);
}

gboolean
ub_device_provider_enter_recovery_finish(UbDeviceProvider *self,
					 GAsyncResult *result,
					 GError **error)
{
	UbDeviceProviderInterface *iface;

	g_return_val_if_fail(UB_IS_DEVICE_PROVIDER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_async_result_is_tagged(result, ub_device_provider_enter_recovery_async))
		return g_task_propagate_boolean(G_TASK(result), error);
	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	return iface->enter_recovery_finish(self, result, error);
}

void
ub_device_provider_buttons_started(UbDeviceProvider *self, guint64 ecid, UbDeviceMode target)
{
	UbDeviceProviderInterface *iface;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));

	iface = UB_DEVICE_PROVIDER_GET_IFACE(self);
	if (iface->buttons_started != NULL)
		iface->buttons_started(self, ecid, target);
}

typedef struct {
	UbDeviceProvider *provider;
	UbDeviceReport *report;
	gchar *lost_source_id;
} ProviderEvent;

static void
provider_event_free(ProviderEvent *event)
{
	g_object_unref(event->provider);
	ub_device_report_free(event->report);
	g_free(event->lost_source_id);
	g_free(event);
}

static gboolean
deliver_event_cb(gpointer user_data)
{
	ProviderEvent *event = user_data;

	if (event->report != NULL)
		g_signal_emit(event->provider, signals[SIGNAL_DEVICE_SEEN], 0, event->report);
	else
		g_signal_emit(
		    event->provider, signals[SIGNAL_DEVICE_LOST], 0, event->lost_source_id);
	return G_SOURCE_REMOVE;
}

static void
deliver_event(UbDeviceProvider *self, ProviderEvent *event)
{
	GMainContext *context = g_object_get_qdata(G_OBJECT(self), context_quark);
	g_autoptr(GSource) source = NULL;

	/* on the thread that started the provider: deliver now, in order */
	if (g_object_get_qdata(G_OBJECT(self), thread_quark) == g_thread_self()) {
		deliver_event_cb(event);
		provider_event_free(event);
		return;
	}

	/* from any other thread always through the context's loop, never
	 * by borrowing an idle context (g_main_context_invoke would run the
	 * handlers on the library's thread then) */
	if (context == NULL)
		context = g_main_context_default();
	source = g_idle_source_new();
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, deliver_event_cb, event, (GDestroyNotify)provider_event_free);
	g_source_set_static_name(source, "[unbrick] provider event");
	g_source_attach(source, context);
}

void
ub_device_provider_emit_seen(UbDeviceProvider *self, UbDeviceReport *report)
{
	ProviderEvent *event;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));
	g_return_if_fail(report != NULL);

	event = g_new0(ProviderEvent, 1);
	event->provider = g_object_ref(self);
	event->report = ub_device_report_copy(report);
	deliver_event(self, event);
}

void
ub_device_provider_emit_lost(UbDeviceProvider *self, const gchar *source_id)
{
	ProviderEvent *event;

	g_return_if_fail(UB_IS_DEVICE_PROVIDER(self));
	g_return_if_fail(source_id != NULL);

	event = g_new0(ProviderEvent, 1);
	event->provider = g_object_ref(self);
	event->lost_source_id = g_strdup(source_id);
	deliver_event(self, event);
}
