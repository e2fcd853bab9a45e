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

gpointer
_ub_hash_thread(gpointer data)
{
	UbRun *run = data;
	UbPlan *plan = run->plan;
	g_autofree guint8 *buf = g_malloc(UB_DOWNLOAD_HASH_BLOCK);

	g_mutex_lock(&run->lock);
	for (;;) {
		g_autoptr(GError) error = NULL;
		guint64 prefix = _ub_plan_prefix(plan);
		guint64 from = plan->hashed;
		gsize len;
		gboolean ok;

		if (run->hash_stop)
			break;
		if (plan->size > 0 && from >= plan->size)
			break;
		if (from >= prefix) {
			g_cond_wait(&run->hash_cond, &run->lock);
			continue;
		}
		len = MIN(prefix - from, UB_DOWNLOAD_HASH_BLOCK);
		g_mutex_unlock(&run->lock);

		/* the bytes were just written: this reads the page cache */
		ok = _ub_download_read_all(run->fd, buf, len, from, &error);
		if (ok) {
			gnutls_hash(plan->hash, buf, len);
			/* start writing back what is hashed so the closing
			 * fsync has little left to do */
			sync_file_range(run->fd, (off_t)from, (off_t)len, SYNC_FILE_RANGE_WRITE);
		}

		if (!ok) {
			g_prefix_error(&error, "failed to check the download: ");
			_ub_run_fail(run, g_steal_pointer(&error));
			g_mutex_lock(&run->lock);
			break;
		}
		g_mutex_lock(&run->lock);
		plan->hashed = from + len;
		g_cond_broadcast(&run->cond);
	}
	run->hash_running = FALSE;
	g_cond_broadcast(&run->cond);
	g_mutex_unlock(&run->lock);
	return NULL;
}

/* coordinator */
