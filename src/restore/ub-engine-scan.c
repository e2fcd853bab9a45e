/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-engine-scan"

/* memmem() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub-engine-scan-private.h"
#include "ub-error.h"

/*
 * The upstream changes that let idevicerestore restore a new model or a
 * new iOS, oldest first. Each marker is a string the change added to the
 * program and that every later build still carries (checked with
 * `git log -S` on the upstream history, which is linear after 1.0.0), so
 * the newest marker a binary carries says how new its code is at least.
 * A build between two markers is judged by the older one: it may refuse a
 * restore that would have worked, never start one that cannot.
 *
 * Each marker is kept in two halves and joined only to search, so that
 * Unbrick's own programs (and the test engine linking this code) never
 * carry one and never pass for an engine.
 */
static const UbEngineMilestone milestones[] = {
    /* 1.0.0, the only release (2020-06-15): iPhone 11 and SE (2nd gen),
     * iOS 14; iOS 15 stops it with "Unknown data request" */
    {"2020-06", 0, {NULL, NULL}, "2020-06", 14},
    /* 1d29a21 (2020-10-27): the baseband files of the iPhone 12 (Mav20) */
    {"2020-10", 14, {"multi_image", ".mbn"}, "2020-11", 14},
    /* 4372a1c, 7835778 (2021-05): the restore checkpoints and data
     * requests of iOS 15 */
    {"2021-05", 32, {"Checkpoint", "Msg"}, "2021-05", 15},
    /* 6d3f4cf (2022-06-17): iOS 16 and its Cryptex1 components */
    {"2022-06", 96, {"Cryptex", "1"}, "2022-06", 17},
    /* 6672bad (2022-09-21): NeRDEpoch in signing requests of the
     * iPhone 13 and later (moved to libtatsu in 2024, where later
     * markers take over) */
    {"2022-09", 115, {"NeRD", "Epoch"}, "2022-09", 17},
    /* cf22a1c (2023-09-29): Ap,SikaFuse, which the iPhone 14 and 15
     * need */
    {"2023-09", 149, {"Ap,Sika", "Fuse"}, "2023-09", 17},
    /* 28c1dab (2024-06-24): the iOS 18 restore protocol; older hosts get
     * "This host version is unsupported" */
    {"2024-06", 199, {"AsyncDataRequest", "Msg"}, "2024-06", 18},
    /* 48350d6 (2024-09-21): the iPhone 16's new firmware components */
    {"2024-09", 216, {"Ap,RestoreSecurePageTable", "Monitor"}, "2024-09", 18},
    /* 47bf8b5 and 4cf940b (2025-09-26): iOS 26's Centauri and Jasmine
     * updaters and the iPhone 17's Mav25 baseband */
    {"2025-09", 259, {"JasmineIR1", "DeviceInfo"}, NULL, 0},
};

static const guint8 elf_magic[] = {0x7f, 'E', 'L', 'F'};

const UbEngineMilestone *
_ub_engine_milestone_get_all(guint *n_milestones)
{
	if (n_milestones != NULL)
		*n_milestones = G_N_ELEMENTS(milestones);
	return milestones;
}

const UbEngineMilestone *
_ub_engine_milestone_release(void)
{
	return &milestones[0];
}

const UbEngineMilestone *
_ub_engine_milestone_from_commits(guint commits)
{
	const UbEngineMilestone *found = &milestones[0];

	for (guint i = 0; i < G_N_ELEMENTS(milestones); i++) {
		if (milestones[i].commits <= commits)
			found = &milestones[i];
	}
	return found;
}

gchar *
_ub_engine_milestone_dup_marker(const UbEngineMilestone *milestone)
{
	g_return_val_if_fail(milestone != NULL, NULL);

	if (milestone->marker[0] == NULL)
		return NULL;
	return g_strconcat(milestone->marker[0], milestone->marker[1], NULL);
}

const UbEngineMilestone *
_ub_engine_milestone_from_binary(GBytes *binary)
{
	const UbEngineMilestone *found = &milestones[0];
	gsize size = 0;
	const guint8 *data = NULL;

	g_return_val_if_fail(binary != NULL, NULL);

	data = g_bytes_get_data(binary, &size);
	if (size < sizeof(elf_magic) || memcmp(data, elf_magic, sizeof(elf_magic)) != 0)
		return NULL;
	for (guint i = 1; i < G_N_ELEMENTS(milestones); i++) {
		g_autofree gchar *marker = _ub_engine_milestone_dup_marker(&milestones[i]);

		if (memmem(data, size, marker, strlen(marker)) != NULL)
			found = &milestones[i];
	}
	return found;
}

gboolean
_ub_engine_milestone_is_current(const UbEngineMilestone *milestone)
{
	g_return_val_if_fail(milestone != NULL, FALSE);

	return milestone == &milestones[G_N_ELEMENTS(milestones) - 1];
}

const UbEngineMilestone *
_ub_engine_milestone_newer(const UbEngineMilestone *a, const UbEngineMilestone *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	/* the table is in order, so is the memory */
	return a > b ? a : b;
}

gchar *
_ub_engine_scan_library_path(const gchar *ld_trace, const gchar *soname_prefix)
{
	g_auto(GStrv) lines = NULL;

	g_return_val_if_fail(ld_trace != NULL, NULL);
	g_return_val_if_fail(soname_prefix != NULL, NULL);

	/* "\tlibirecovery-1.0.so.5 => /usr/lib/x86_64-linux-gnu/libirecovery-1.0.so.5 (0x7f…)" */
	lines = g_strsplit(ld_trace, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *line = g_strstrip(lines[i]);
		const gchar *arrow = NULL;
		const gchar *path = NULL;
		const gchar *end = NULL;

		if (!g_str_has_prefix(line, soname_prefix))
			continue;
		arrow = strstr(line, " => ");
		if (arrow == NULL)
			continue;
		path = arrow + strlen(" => ");
		if (path[0] != '/')
			continue;
		end = strstr(path, " (0x");
		if (end == NULL)
			end = path + strlen(path);
		if (end == path)
			continue;
		return g_strndup(path, (gsize)(end - path));
	}
	return NULL;
}

/* "iPhone17,1", "iPad16,10": a family, digits, a comma, digits */
static gboolean
ub_engine_scan_is_product_type(const gchar *text, gsize len)
{
	static const gchar *families[] = {"iPhone", "iPad", "iPod"};
	const gchar *cursor = NULL;
	const gchar *end = text + len;
	guint digits = 0;

	for (guint i = 0; i < G_N_ELEMENTS(families); i++) {
		gsize family_len = strlen(families[i]);

		if (len <= family_len || strncmp(text, families[i], family_len) != 0)
			continue;
		cursor = text + family_len;
		break;
	}
	if (cursor == NULL)
		return FALSE;
	for (digits = 0; cursor < end && g_ascii_isdigit(*cursor); cursor++)
		digits++;
	if (digits == 0 || digits > 3 || cursor == end || *cursor != ',')
		return FALSE;
	cursor++;
	for (digits = 0; cursor < end && g_ascii_isdigit(*cursor); cursor++)
		digits++;
	return digits > 0 && digits <= 3 && cursor == end;
}

GHashTable *
_ub_engine_scan_product_types(GBytes *library)
{
	g_autoptr(GHashTable) found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gsize size = 0;
	const gchar *data = NULL;
	gsize start = 0;

	g_return_val_if_fail(library != NULL, NULL);

	/* the table's strings sit in .rodata, each ended by a NUL */
	data = g_bytes_get_data(library, &size);
	for (gsize i = 0; i < size; i++) {
		if (data[i] != '\0')
			continue;
		if (i > start && i - start < 16 &&
		    ub_engine_scan_is_product_type(data + start, i - start))
			g_hash_table_add(found, g_strndup(data + start, i - start));
		start = i + 1;
	}
	if (g_hash_table_size(found) == 0)
		return NULL;
	return g_steal_pointer(&found);
}

gboolean
_ub_engine_scan_has_string(GBytes *binary, const gchar *text)
{
	gsize size = 0;
	gsize text_len = 0;
	const gchar *data = NULL;
	const gchar *cursor = NULL;
	const gchar *end = NULL;

	g_return_val_if_fail(binary != NULL, FALSE);
	g_return_val_if_fail(text != NULL, FALSE);

	data = g_bytes_get_data(binary, &size);
	text_len = strlen(text);
	if (text_len == 0 || data == NULL)
		return FALSE;
	cursor = data;
	end = data + size;
	while (cursor < end) {
		const gchar *hit = memmem(cursor, (gsize)(end - cursor), text, text_len + 1);

		if (hit == NULL)
			return FALSE;
		if (hit == data || hit[-1] == '\0')
			return TRUE;
		cursor = hit + 1;
	}
	return FALSE;
}

GBytes *
_ub_engine_scan_read(const gchar *path, gsize max_size, GError **error)
{
	g_autofree guint8 *buffer = NULL;
	gsize length = 0;
	struct stat st;
	gint fd = -1;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
	if (fd < 0) {
		gint saved_errno = errno;
		g_set_error(error,
			    UB_ERROR,
			    saved_errno == ENOENT ? UB_ERROR_NOT_FOUND : UB_ERROR_PERMISSION_DENIED,
			    "cannot open %s: %s",
			    path,
			    g_strerror(saved_errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (guint64)st.st_size > max_size) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s is not a regular file of at most %" G_GSIZE_FORMAT " bytes",
			    path,
			    max_size);
		close(fd);
		return NULL;
	}

	/* the size may change under us: never read past the limit */
	buffer = g_malloc((gsize)st.st_size + 1);
	while (length <= (gsize)st.st_size) {
		gssize n_read = read(fd, buffer + length, (gsize)st.st_size + 1 - length);

		if (n_read < 0 && errno == EINTR)
			continue;
		if (n_read < 0) {
			gint saved_errno = errno;
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_FAILED,
				    "cannot read %s: %s",
				    path,
				    g_strerror(saved_errno));
			close(fd);
			return NULL;
		}
		if (n_read == 0)
			break;
		length += (gsize)n_read;
	}
	close(fd);
	if (length > (gsize)st.st_size) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s grew while being read", path);
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&buffer), length);
}
