/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-fetch"

#include "config.h"

#include <stdlib.h>

#include "ub-download-private.h"
#include "ub-file-hash.h"
#include "ub-host-policy.h"

/*
 * make bench's download client: Unbrick's download (segmented, verified as
 * it arrives, fsync'd and renamed) of one file, with the main context
 * ticking every millisecond meanwhile so the longest gap between ticks
 * shows whether anything stalls the UI thread. Or, with --hash-only, the
 * hash of a file with the same code. Results as "key value" lines.
 */

typedef struct {
	GMainLoop *loop;
	gint64 last_tick;
	gint64 max_gap;
	gboolean ok;
	GError *error;
} Fetch;

static gboolean
tick_cb(gpointer user_data)
{
	Fetch *fetch = user_data;
	gint64 now = g_get_monotonic_time();

	if (fetch->last_tick > 0 && now - fetch->last_tick > fetch->max_gap)
		fetch->max_gap = now - fetch->last_tick;
	fetch->last_tick = now;
	return G_SOURCE_CONTINUE;
}

static void
wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Fetch *fetch = user_data;
	fetch->ok = ub_download_wait_finish(UB_DOWNLOAD(source), result, &fetch->error);
	g_main_loop_quit(fetch->loop);
}

static int
hash_only(const gchar *path, gboolean sha1)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *digest = NULL;
	gint64 started = g_get_monotonic_time();

	digest = ub_file_hash(path, sha1 ? UB_HASH_SHA1 : UB_HASH_SHA256, NULL, &error);
	if (digest == NULL) {
		g_printerr("ub-fetch: %s\n", error->message);
		return EXIT_FAILURE;
	}
	g_print("digest %s\n", digest);
	g_print("elapsed-s %.3f\n", (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC);
	return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(UbDownload) download = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	gboolean opt_hash_only = FALSE;
	gboolean opt_sha1 = FALSE;
	gint opt_connections = 4;
	Fetch fetch = {0};
	gint64 started;
	guint tick_id;
	const GOptionEntry entries[] = {
	    {"hash-only", 0, 0, G_OPTION_ARG_NONE, &opt_hash_only, "Only hash FILE", NULL},
	    {"sha1", 0, 0, G_OPTION_ARG_NONE, &opt_sha1, "SHA-1 rather than SHA-256", NULL},
	    {"connections", 'c', 0, G_OPTION_ARG_INT, &opt_connections, "Connections", "N"},
	    {NULL},
	};

	context = g_option_context_new("URI DEST SIZE HASH | --hash-only FILE");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("ub-fetch: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (opt_hash_only) {
		if (argc != 2) {
			g_printerr("usage: ub-fetch --hash-only FILE\n");
			return EXIT_FAILURE;
		}
		return hash_only(argv[1], opt_sha1);
	}
	if (argc != 5) {
		g_printerr("usage: ub-fetch [--connections N] URI DEST SIZE HASH\n");
		return EXIT_FAILURE;
	}

	/* the benchmark's server is nginx on 127.0.0.1 */
	ub_host_policy_set_allow_loopback(TRUE);

	loop = g_main_loop_new(NULL, FALSE);
	fetch.loop = loop;
	download = ub_download_new(argv[1],
				   argv[2],
				   g_ascii_strtoull(argv[3], NULL, 10),
				   opt_sha1 ? UB_HASH_SHA1 : UB_HASH_SHA256,
				   argv[4]);
	ub_download_set_connections(download, (guint)MAX(opt_connections, 1));
	tick_id = g_timeout_add(1, tick_cb, &fetch);
	started = g_get_monotonic_time();
	ub_download_start(download);
	ub_download_wait_async(download, NULL, wait_cb, &fetch);
	g_main_loop_run(loop);
	g_source_remove(tick_id);

	g_print("elapsed-s %.3f\n", (gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC);
	g_print("max-stall-ms %.1f\n", (gdouble)fetch.max_gap / 1000);
	if (!fetch.ok) {
		g_printerr("ub-fetch: %s\n", fetch.error->message);
		g_clear_error(&fetch.error);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
