/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What an idevicerestore binary can do, read from the binary itself: the
 * version it prints says little (Debian's builds from 2024 and 2025 both
 * print "1.0.1"), but each upstream change that let it restore a new model
 * or a new iOS left strings in the program, and the libirecovery it links
 * carries its table of the models it knows.
 */

/* the newest iOS major Unbrick knows of; what a current engine installs */
#define UB_ENGINE_NEWEST_KNOWN_IOS 26

/**
 * UbEngineMilestone:
 * @id: the month of the upstream change, "2024-06"
 * @commits: its place after the 1.0.0 tag, as `git describe` counts
 * @marker: a string only builds with the change carry, in two halves (see
 *   _ub_engine_milestone_dup_marker()); both %NULL for the release
 * @models_until: the newest release month of a model this build can know,
 *   %NULL for the newest milestone Unbrick knows (then only the libirecovery
 *   table limits the models)
 * @newest_ios: the newest iOS major it can install, 0 when no limit is known
 */
typedef struct {
	const gchar *id;
	guint commits;
	const gchar *marker[2];
	const gchar *models_until;
	guint newest_ios;
} UbEngineMilestone;

/* the whole marker, or NULL for the release */
gchar *
_ub_engine_milestone_dup_marker(const UbEngineMilestone *milestone);
/* every milestone, oldest first */
const UbEngineMilestone *
_ub_engine_milestone_get_all(guint *n_milestones);
/* the 1.0.0 release (June 2020) */
const UbEngineMilestone *
_ub_engine_milestone_release(void);
/* the newest milestone at or before @commits after 1.0.0 */
const UbEngineMilestone *
_ub_engine_milestone_from_commits(guint commits);
/* the newest milestone whose marker @binary carries; the release when it
 * carries none; NULL when @binary is not an ELF program, so nothing can be
 * told (a shell script wrapping the real engine) */
const UbEngineMilestone *
_ub_engine_milestone_from_binary(GBytes *binary);
/* whether nothing Unbrick knows of is newer */
gboolean
_ub_engine_milestone_is_current(const UbEngineMilestone *milestone);
/* the later of two, either may be NULL */
const UbEngineMilestone *
_ub_engine_milestone_newer(const UbEngineMilestone *a, const UbEngineMilestone *b);

/* the path a library starting with @soname_prefix ("libirecovery-1.0.so")
 * resolves to in what `LD_TRACE_LOADED_OBJECTS=1 PROGRAM` printed; NULL
 * when it is not there */
gchar *
_ub_engine_scan_library_path(const gchar *ld_trace, const gchar *soname_prefix);

/* the product types ("iPhone17,1") a libirecovery binary carries in its
 * model table: a set of strings; NULL when it carries none */
GHashTable *
_ub_engine_scan_product_types(GBytes *library);

/* whether @binary carries @text as a whole NUL-terminated string */
gboolean
_ub_engine_scan_has_string(GBytes *binary, const gchar *text);

/* reads at most @max_size bytes of a regular file; larger files are refused
 * with UB_ERROR_INVALID_DATA */
GBytes *
_ub_engine_scan_read(const gchar *path, gsize max_size, GError **error);

G_END_DECLS
