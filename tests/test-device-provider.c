/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"
#include "ub-test-provider.h"
#include "ub-test.h"

typedef struct {
	GThread *main_thread;
	GThread *seen_thread;
	GThread *lost_thread;
	gchar *lost_source;
	guint64 ecid;
} Received;

static void
seen_cb(UbDeviceProvider *provider, UbDeviceReport *report, Received *received)
{
	received->seen_thread = g_thread_self();
	received->ecid = report->ecid;
}

static void
lost_cb(UbDeviceProvider *provider, const gchar *source_id, Received *received)
{
	received->lost_thread = g_thread_self();
	received->lost_source = g_strdup(source_id);
}

static gpointer
library_thread(gpointer user_data)
{
	UbTestProvider *provider = user_data;

	ub_test_provider_seen(provider, "irecv:1", UB_DEVICE_MODE_DFU, 0x1234, NULL);
	ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(provider), "irecv:1");
	return NULL;
}

static void
ub_device_provider_marshal_func(void)
{
	g_autoptr(UbTestProvider) provider = ub_test_provider_new();
	g_autoptr(GError) error = NULL;
	Received received = {g_thread_self(), NULL, NULL, NULL, 0};
	GThread *thread;

	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_signal_connect(provider, "device-seen", G_CALLBACK(seen_cb), &received);
	g_signal_connect(provider, "device-lost", G_CALLBACK(lost_cb), &received);

	/* hold the main context like a running app does, so the library
	 * thread cannot run the handlers itself */
	g_assert_true(g_main_context_acquire(g_main_context_default()));
	thread = g_thread_new("library", library_thread, provider);
	g_thread_join(thread);
	g_assert_null(received.seen_thread);
	while (received.lost_thread == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_main_context_release(g_main_context_default());

	g_assert_true(received.seen_thread == received.main_thread);
	g_assert_true(received.lost_thread == received.main_thread);
	g_assert_cmpuint(received.ecid, ==, 0x1234);
	g_assert_cmpstr(received.lost_source, ==, "irecv:1");
	g_free(received.lost_source);
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
}

static void
done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = user_data;
	g_assert_false(
	    ub_device_provider_enter_recovery_finish(UB_DEVICE_PROVIDER(source), result, error));
}

static void
ub_device_provider_not_supported_func(void)
{
	g_autoptr(UbTestProvider) provider = ub_test_provider_new();
	g_autoptr(GError) error = NULL;

	ub_device_provider_enter_recovery_async(
	    UB_DEVICE_PROVIDER(provider), "x", NULL, done_cb, &error);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/device-provider/marshal", ub_device_provider_marshal_func);
	g_test_add_func("/unbrick/device-provider/not-supported",
			ub_device_provider_not_supported_func);
	return g_test_run();
}
