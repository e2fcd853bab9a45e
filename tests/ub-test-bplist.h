/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Hand-made "bplist00" bytes, for files no writer would make: objects are
 * appended in order (the first is index 0), then ub_test_bplist_finish()
 * writes the offset table and trailer, which a test may patch afterwards.
 */
typedef struct _UbTestBplist UbTestBplist;

UbTestBplist *
ub_test_bplist_new(guint ref_size);
void
ub_test_bplist_free(UbTestBplist *bplist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbTestBplist, ub_test_bplist_free)

/* the index the next object gets */
guint64
ub_test_bplist_next_index(UbTestBplist *bplist);
guint64
ub_test_bplist_add_string(UbTestBplist *bplist, const gchar *text, gsize len);
guint64
ub_test_bplist_add_array(UbTestBplist *bplist, const guint64 *refs, guint64 n_refs);
/* @keys and @values of @n_entries each */
guint64
ub_test_bplist_add_dict(UbTestBplist *bplist,
			const guint64 *keys,
			const guint64 *values,
			guint64 n_entries);
/* offset table (8-byte offsets) and trailer naming @top */
GBytes *
ub_test_bplist_finish(UbTestBplist *bplist, guint64 top);

/* @levels arrays, each holding the one before it twice, around one string:
 * a few hundred bytes that libplist 2.2 expands to 2^(@levels+1) nodes */
GBytes *
ub_test_bplist_billion_laughs(guint levels);
/* @depth arrays, each holding the next */
GBytes *
ub_test_bplist_nested(guint depth);

G_END_DECLS
