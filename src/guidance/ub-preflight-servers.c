/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ub-preflight-private.h"
#include "ub-preflight-run.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"
#include "ub-sandbox.h"
#include "ub-usb-port.h"

static gchar *
ub_preflight_host_name(const gchar *host_port)
{
	g_autoptr(GSocketConnectable) address = g_network_address_parse(host_port, 443, NULL);

	if (address == NULL)
		return g_strdup(host_port);
	return g_strdup(g_network_address_get_hostname(G_NETWORK_ADDRESS(address)));
}

static UbCheck *
ub_preflight_servers_verdict(UbPreflightRun *run)
{
	guint n_hosts = g_strv_length(run->hosts);
	guint n_failed = 0;
	g_autofree gchar *signing = NULL;
	g_autofree gchar *title = NULL;
	g_autofree gchar *advice = NULL;

	if (n_hosts == 0) {
		return ub_check_new(UB_PREFLIGHT_APPLE_SERVERS,
				    UB_CHECK_STATUS_PASS,
				    _("No servers to check"),
				    NULL,
				    NULL);
	}
	for (guint i = 0; i < n_hosts; i++) {
		if (!run->host_ok[i])
			n_failed++;
	}
	signing = ub_preflight_host_name(run->hosts[0]);

	/* nothing answers: this computer is offline, whatever GNetworkMonitor
	 * believes (it cannot see a captive portal or a dead router) */
	if (n_failed == n_hosts) {
		/* TRANSLATORS: %s is a host name ("gs.apple.com") */
		advice = g_strdup_printf(_("Check that this computer is online. A restore needs "
					   "Apple's signing server (%s) to approve the firmware "
					   "for this device, even when the firmware is already "
					   "downloaded."),
					 signing);
		return ub_check_new(UB_PREFLIGHT_APPLE_SERVERS,
				    UB_CHECK_STATUS_FAIL,
				    _("This computer cannot reach Apple's servers"),
				    advice,
				    UB_CARD_NO_NETWORK);
	}
	if (!run->host_ok[0]) {
		/* TRANSLATORS: %s is a host name ("gs.apple.com") */
		title =
		    g_strdup_printf(_("Apple's signing server (%s) cannot be reached"), signing);
		/* TRANSLATORS: %s is a host name ("gs.apple.com") */
		advice = g_strdup_printf(_("Other servers answer, so something may block this one: "
					   "a firewall, a proxy, a VPN, or an entry for %s in "
					   "/etc/hosts. A restore cannot start without the signing "
					   "server's approval."),
					 signing);
		return ub_check_new(UB_PREFLIGHT_APPLE_SERVERS,
				    UB_CHECK_STATUS_FAIL,
				    title,
				    advice,
				    UB_CARD_SIGNING_SERVER);
	}
	/* only the catalog is missing: it matters for a download alone */
	if (n_failed > 0 && !run->firmware_cached) {
		g_autofree gchar *other = NULL;

		for (guint i = 1; i < n_hosts && other == NULL; i++) {
			if (!run->host_ok[i])
				other = ub_preflight_host_name(run->hosts[i]);
		}
		/* TRANSLATORS: %s is a host name ("api.ipsw.me") */
		title = g_strdup_printf(
		    _("Apple's signing server answers, but %s cannot be reached"), other);
		return ub_check_new(
		    UB_PREFLIGHT_APPLE_SERVERS,
		    UB_CHECK_STATUS_WARN,
		    title,
		    _("The firmware still has to be downloaded, and finding or fetching it may "
		      "fail. Check this computer's connection, or try again later."),
		    UB_CARD_DOWNLOAD);
	}
	/* TRANSLATORS: %s is a host name ("gs.apple.com") */
	title = g_strdup_printf(_("Apple's signing server (%s) can be reached"), signing);
	return ub_check_new(UB_PREFLIGHT_APPLE_SERVERS, UB_CHECK_STATUS_PASS, title, NULL, NULL);
}

static void
ub_preflight_net_finish(GTask *task)
{
	UbPreflightRun *run = g_task_get_task_data(task);

	if (run->net_timeout != NULL) {
		g_source_destroy(run->net_timeout);
		g_clear_pointer(&run->net_timeout, g_source_unref);
	}
	if (run->net_cancel_id != 0) {
		g_cancellable_disconnect(run->cancellable, run->net_cancel_id);
		run->net_cancel_id = 0;
	}
	if (!g_cancellable_is_cancelled(run->cancellable))
		_ub_preflight_run_set(run, SLOT_APPLE_SERVERS, ub_preflight_servers_verdict(run));
	_ub_preflight_run_part_done(task);
}

typedef struct {
	GTask *task;
	guint index;
} UbPreflightProbe;

static void
ub_preflight_probe_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	UbPreflightProbe *probe = user_data;
	g_autoptr(GTask) task = probe->task;
	UbPreflightRun *run = g_task_get_task_data(task);
	g_autoptr(GSocketConnection) connection = NULL;
	g_autoptr(GError) error = NULL;

	connection =
	    g_socket_client_connect_to_host_finish(G_SOCKET_CLIENT(source_object), result, &error);
	if (connection != NULL) {
		run->host_ok[probe->index] = TRUE;
		g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
	} else {
		/* a connect the timeout cut off ends as cancelled too */
		g_debug("%s: %s", run->hosts[probe->index], error->message);
	}
	g_free(probe);

	g_assert(run->hosts_pending > 0);
	if (--run->hosts_pending == 0)
		ub_preflight_net_finish(task);
}

static gboolean
ub_preflight_net_timeout_cb(gpointer user_data)
{
	UbPreflightRun *run = user_data;

	g_debug("servers did not answer within %u ms", run->net_timeout_ms);
	g_clear_pointer(&run->net_timeout, g_source_unref);
	g_cancellable_cancel(run->net_cancellable);
	return G_SOURCE_REMOVE;
}

static void
ub_preflight_net_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	/* may run on any thread; cancelling is thread-safe */
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

void
_ub_preflight_net_start(GTask *task)
{
	UbPreflightRun *run = g_task_get_task_data(task);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	guint n_hosts = g_strv_length(run->hosts);

	if (n_hosts == 0) {
		ub_preflight_net_finish(task);
		return;
	}

	/* one timeout for all: GSocketClient's own counts whole seconds and
	 * leaves out the name lookup, which can hang as long as a connect */
	run->net_cancellable = g_cancellable_new();
	if (run->cancellable != NULL) {
		run->net_cancel_id =
		    g_cancellable_connect(run->cancellable,
					  G_CALLBACK(ub_preflight_net_cancelled_cb),
					  g_object_ref(run->net_cancellable),
					  g_object_unref);
	}
	/* the probes answer on this thread's context, so the timeout runs there too */
	run->net_timeout = g_timeout_source_new(run->net_timeout_ms);
	g_source_set_callback(run->net_timeout, ub_preflight_net_timeout_cb, run, NULL);
	g_source_attach(run->net_timeout, g_main_context_get_thread_default());
	run->host_ok = g_new0(gboolean, n_hosts);
	run->hosts_pending = n_hosts;
	for (guint i = 0; i < n_hosts; i++) {
		UbPreflightProbe *probe = g_new0(UbPreflightProbe, 1);

		probe->task = g_object_ref(task);
		probe->index = i;
		g_socket_client_connect_to_host_async(
		    client, run->hosts[i], 443, run->net_cancellable, ub_preflight_probe_cb, probe);
	}
}

/* a demo asks no server; a simulated device on the real engine (the UI
 * tests' path, with a stand-in idevicerestore) has a made-up ECID that
 * Apple's signing server would never approve, so asking says nothing */
gboolean
_ub_preflight_skips_servers(UbPreflight *self)
{
	return self->simulated_engine || ub_device_get_simulated(self->device);
}

UbCheck *
_ub_preflight_servers_skipped(UbPreflight *self)
{
	g_assert(_ub_preflight_skips_servers(self));
	return ub_check_new(UB_PREFLIGHT_APPLE_SERVERS,
			    UB_CHECK_STATUS_PASS,
			    self->simulated_engine
				? _("The demo needs no network")
				: _("Simulated device: no approval from Apple needed"),
			    NULL,
			    NULL);
}

/* 6. engine */
