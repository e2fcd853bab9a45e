/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-test-bplist.h"

struct _UbTestBplist {
	GByteArray *body;
	GArray *offsets; /* of guint64 */
	guint ref_size;
};

UbTestBplist *
ub_test_bplist_new(guint ref_size)
{
	UbTestBplist *bplist = g_new0(UbTestBplist, 1);

	g_assert(ref_size >= 1 && ref_size <= 8);
	bplist->body = g_byte_array_new();
	bplist->offsets = g_array_new(FALSE, FALSE, sizeof(guint64));
	bplist->ref_size = ref_size;
	g_byte_array_append(bplist->body, (const guint8 *)"bplist00", 8);
	return bplist;
}

void
ub_test_bplist_free(UbTestBplist *bplist)
{
	if (bplist == NULL)
		return;
	g_clear_pointer(&bplist->body, g_byte_array_unref);
	g_clear_pointer(&bplist->offsets, g_array_unref);
	g_free(bplist);
}

guint64
ub_test_bplist_next_index(UbTestBplist *bplist)
{
	return bplist->offsets->len;
}

static void
append_be(GByteArray *body, guint64 value, guint size)
{
	for (guint i = size; i > 0; i--) {
		guint8 byte = (guint8)(value >> (8 * (i - 1)));
		g_byte_array_append(body, &byte, 1);
	}
}

/* the marker with the count in its low nibble, or 0xF and an 8-byte int */
static guint64
begin_object(UbTestBplist *bplist, guint8 type, guint64 count)
{
	guint64 index = bplist->offsets->len;
	guint64 offset = bplist->body->len;
	guint8 marker;

	g_array_append_val(bplist->offsets, offset);
	if (count < 15) {
		marker = (guint8)(type | count);
		g_byte_array_append(bplist->body, &marker, 1);
	} else {
		marker = (guint8)(type | 0x0F);
		g_byte_array_append(bplist->body, &marker, 1);
		marker = 0x13;
		g_byte_array_append(bplist->body, &marker, 1);
		append_be(bplist->body, count, 8);
	}
	return index;
}

guint64
ub_test_bplist_add_string(UbTestBplist *bplist, const gchar *text, gsize len)
{
	guint64 index = begin_object(bplist, 0x50, len);

	g_byte_array_append(bplist->body, (const guint8 *)text, (guint)len);
	return index;
}

guint64
ub_test_bplist_add_array(UbTestBplist *bplist, const guint64 *refs, guint64 n_refs)
{
	guint64 index = begin_object(bplist, 0xA0, n_refs);

	for (guint64 i = 0; i < n_refs; i++)
		append_be(bplist->body, refs[i], bplist->ref_size);
	return index;
}

guint64
ub_test_bplist_add_dict(UbTestBplist *bplist,
			const guint64 *keys,
			const guint64 *values,
			guint64 n_entries)
{
	guint64 index = begin_object(bplist, 0xD0, n_entries);

	for (guint64 i = 0; i < n_entries; i++)
		append_be(bplist->body, keys[i], bplist->ref_size);
	for (guint64 i = 0; i < n_entries; i++)
		append_be(bplist->body, values[i], bplist->ref_size);
	return index;
}

GBytes *
ub_test_bplist_finish(UbTestBplist *bplist, guint64 top)
{
	guint64 table_offset = bplist->body->len;
	guint8 unused[6] = {0};
	guint8 sizes[2] = {8, (guint8)bplist->ref_size};

	for (guint i = 0; i < bplist->offsets->len; i++)
		append_be(bplist->body, g_array_index(bplist->offsets, guint64, i), 8);
	g_byte_array_append(bplist->body, unused, sizeof(unused));
	g_byte_array_append(bplist->body, sizes, sizeof(sizes));
	append_be(bplist->body, bplist->offsets->len, 8);
	append_be(bplist->body, top, 8);
	append_be(bplist->body, table_offset, 8);
	return g_byte_array_free_to_bytes(g_steal_pointer(&bplist->body));
}

GBytes *
ub_test_bplist_billion_laughs(guint levels)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	guint64 previous = ub_test_bplist_add_string(bplist, "lol", 3);

	g_assert(levels < 255);
	for (guint i = 0; i < levels; i++) {
		guint64 refs[2] = {previous, previous};
		previous = ub_test_bplist_add_array(bplist, refs, 2);
	}
	return ub_test_bplist_finish(bplist, previous);
}

GBytes *
ub_test_bplist_nested(guint depth)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(4);

	g_assert(depth > 0);
	for (guint i = 0; i + 1 < depth; i++) {
		guint64 next = i + 1;
		ub_test_bplist_add_array(bplist, &next, 1);
	}
	ub_test_bplist_add_array(bplist, NULL, 0);
	return ub_test_bplist_finish(bplist, 0);
}
