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

/* plan */

gnutls_digest_algorithm_t
_ub_download_digest(UbHashKind kind)
{
	return kind == UB_HASH_SHA1 ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_SHA256;
}

UbPlan *
_ub_plan_new(guint64 size, UbHashKind kind)
{
	UbPlan *plan = g_new0(UbPlan, 1);
	plan->size = size;
	plan->segments = g_ptr_array_new_with_free_func(g_free);
	/* fails only without memory; checked where the hash is used */
	if (gnutls_hash_init(&plan->hash, _ub_download_digest(kind)) < 0)
		plan->hash = NULL;
	return plan;
}

void
_ub_plan_free(UbPlan *plan)
{
	if (plan->hash != NULL)
		gnutls_hash_deinit(plan->hash, NULL);
	g_ptr_array_unref(plan->segments);
	g_free(plan->etag);
	g_free(plan->last_modified);
	g_free(plan);
}

/* everything below is on disk */
guint64
_ub_plan_prefix(UbPlan *plan)
{
	if (plan->segments->len > 0) {
		UbSegment *seg = g_ptr_array_index(plan->segments, 0);
		return seg->done;
	}
	return plan->next;
}

guint64
_ub_plan_bytes_done(UbPlan *plan)
{
	guint64 missing = 0;
	for (guint i = 0; i < plan->segments->len; i++) {
		UbSegment *seg = g_ptr_array_index(plan->segments, i);
		missing += seg->end - seg->done;
	}
	return plan->next - missing;
}

gboolean
_ub_plan_is_complete(UbPlan *plan)
{
	return plan->size > 0 && plan->segments->len == 0 && plan->next >= plan->size;
}

/* back to nothing on disk, keeping the size */
void
_ub_plan_reset(UbPlan *plan, UbHashKind kind)
{
	g_ptr_array_set_size(plan->segments, 0);
	plan->next = 0;
	plan->hashed = 0;
	if (plan->hash != NULL)
		gnutls_hash_deinit(plan->hash, NULL);
	if (gnutls_hash_init(&plan->hash, _ub_download_digest(kind)) < 0)
		plan->hash = NULL;
}

/* a strong ETag can validate a range; a weak one cannot (RFC 9110 13.1.5) */
const gchar *
_ub_plan_if_range(UbPlan *plan)
{
	if (plan->etag != NULL && !g_str_has_prefix(plan->etag, "W/"))
		return plan->etag;
	return plan->last_modified;
}

gchar *
_ub_plan_to_data(UbPlan *plan, UbRun *run, gsize *length)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func(g_free);

	g_key_file_set_integer(
	    keyfile, UB_DOWNLOAD_STATE_GROUP, "version", UB_DOWNLOAD_STATE_VERSION);
	g_key_file_set_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "uri", run->uri);
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "size", plan->size);
	g_key_file_set_string(keyfile,
			      UB_DOWNLOAD_STATE_GROUP,
			      "hash-kind",
			      run->hash_kind == UB_HASH_SHA1 ? "sha1" : "sha256");
	if (run->expected_hash != NULL)
		g_key_file_set_string(
		    keyfile, UB_DOWNLOAD_STATE_GROUP, "expected-hash", run->expected_hash);
	if (plan->etag != NULL)
		g_key_file_set_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "etag", plan->etag);
	if (plan->last_modified != NULL)
		g_key_file_set_string(
		    keyfile, UB_DOWNLOAD_STATE_GROUP, "last-modified", plan->last_modified);
	g_key_file_set_boolean(keyfile, UB_DOWNLOAD_STATE_GROUP, "single", plan->single);
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "next", plan->next);
	/* informational: a new process hashes the prefix again from disk */
	g_key_file_set_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "hashed", plan->hashed);
	for (guint i = 0; i < plan->segments->len; i++) {
		UbSegment *seg = g_ptr_array_index(plan->segments, i);
		g_ptr_array_add(segments,
				g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT
						":%" G_GUINT64_FORMAT,
						seg->start,
						seg->end,
						seg->done));
	}
	g_ptr_array_add(segments, NULL);
	g_key_file_set_string_list(keyfile,
				   UB_DOWNLOAD_STATE_GROUP,
				   "segments",
				   (const gchar *const *)segments->pdata,
				   segments->len - 1);
	return g_key_file_to_data(keyfile, length, NULL);
}

/* a plan from the sidecar, or NULL when it is missing, for another file or
 * does not add up; the partial file must hold everything it claims */
UbPlan *
_ub_plan_load(UbRun *run)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(UbPlan) plan = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *kind = NULL;
	g_autofree gchar *expected = NULL;
	g_auto(GStrv) segments = NULL;
	guint64 size;
	guint64 last_end = 0;
	GStatBuf st;

	if (!g_key_file_load_from_file(keyfile, run->state_path, G_KEY_FILE_NONE, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_debug("ignoring %s: %s", run->state_path, error->message);
		return NULL;
	}
	if (g_key_file_get_integer(keyfile, UB_DOWNLOAD_STATE_GROUP, "version", NULL) !=
	    UB_DOWNLOAD_STATE_VERSION)
		return NULL;
	uri = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "uri", NULL);
	kind = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "hash-kind", NULL);
	expected = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "expected-hash", NULL);
	size = g_key_file_get_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "size", NULL);
	if (g_strcmp0(uri, run->uri) != 0 || g_strcmp0(expected, run->expected_hash) != 0 ||
	    g_strcmp0(kind, run->hash_kind == UB_HASH_SHA1 ? "sha1" : "sha256") != 0 || size == 0 ||
	    (run->expected_size != 0 && size != run->expected_size)) {
		g_debug("%s is for another download", run->state_path);
		return NULL;
	}
	if (g_stat(run->part_path, &st) != 0) {
		g_debug("%s has no partial file", run->state_path);
		return NULL;
	}

	plan = _ub_plan_new(size, run->hash_kind);
	plan->etag = g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "etag", NULL);
	plan->last_modified =
	    g_key_file_get_string(keyfile, UB_DOWNLOAD_STATE_GROUP, "last-modified", NULL);
	plan->single = g_key_file_get_boolean(keyfile, UB_DOWNLOAD_STATE_GROUP, "single", NULL);
	plan->next = g_key_file_get_uint64(keyfile, UB_DOWNLOAD_STATE_GROUP, "next", NULL);
	if (plan->next > size)
		return NULL;
	segments =
	    g_key_file_get_string_list(keyfile, UB_DOWNLOAD_STATE_GROUP, "segments", NULL, NULL);
	for (guint i = 0; segments != NULL && segments[i] != NULL; i++) {
		g_autofree UbSegment *seg = g_new0(UbSegment, 1);
		gchar *end = NULL;

		seg->start = g_ascii_strtoull(segments[i], &end, 10);
		if (end == NULL || *end != ':')
			return NULL;
		seg->end = g_ascii_strtoull(end + 1, &end, 10);
		if (end == NULL || *end != ':')
			return NULL;
		seg->done = g_ascii_strtoull(end + 1, &end, 10);
		if (end == NULL || *end != '\0')
			return NULL;
		if (seg->start < last_end || seg->done < seg->start || seg->done >= seg->end ||
		    seg->end > plan->next)
			return NULL;
		last_end = seg->end;
		seg->reserved = seg->done;
		seg->owner = -1;
		g_ptr_array_add(plan->segments, g_steal_pointer(&seg));
	}
	if ((guint64)st.st_size < plan->next && plan->next > 0) {
		g_debug("%s is shorter than %s says", run->part_path, run->state_path);
		return NULL;
	}
	return g_steal_pointer(&plan);
}

/* errors */
