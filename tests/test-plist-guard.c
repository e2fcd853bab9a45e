/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-plist-guard.h"
#include "ub-test-bplist.h"
#include "ub-test.h"

/* each hostile file is refused in well under this; libplist 2.2 would
 * take hours, gigabytes or the stack instead */
#define QUICKLY_US (2 * G_USEC_PER_SEC)

static void
assert_refused(GBytes *bytes, const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	gint64 start = g_get_monotonic_time();

	g_assert_false(ub_plist_guard_check(data, len, &error));
	g_assert_cmpint(g_get_monotonic_time() - start, <, QUICKLY_US);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
	g_test_message("refused: %s", error->message);
	if (message_part != NULL)
		g_assert_nonnull(strstr(error->message, message_part));
}

static void
assert_accepted(const guint8 *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(ub_plist_guard_check(data, len, &error));
	g_assert_no_error(error);
}

/* the bytes of @bytes, patched at @offset from the end */
static GBytes *
patch_from_end(GBytes *bytes, gsize offset, const guint8 *with, gsize with_len)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	guint8 *copy = g_memdup2(data, len);

	g_assert_cmpuint(offset, <=, len);
	memcpy(copy + len - offset, with, with_len);
	return g_bytes_new_take(copy, len);
}

static void
test_plist_guard_deep_nesting_func(void)
{
	g_autoptr(GBytes) deep = ub_test_bplist_nested(10000);
	g_autoptr(GBytes) at_limit = ub_test_bplist_nested(UB_PLIST_GUARD_MAX_DEPTH);
	g_autoptr(GBytes) over_limit = ub_test_bplist_nested(UB_PLIST_GUARD_MAX_DEPTH + 1);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(at_limit, &len);

	assert_refused(deep, "levels deep");
	assert_refused(over_limit, "levels deep");
	assert_accepted(data, len);
}

static void
test_plist_guard_self_reference_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) bytes = NULL;
	guint64 self_index = 0;

	ub_test_bplist_add_array(bplist, &self_index, 1);
	bytes = ub_test_bplist_finish(bplist, 0);
	assert_refused(bytes, "loop");
}

static void
test_plist_guard_two_node_cycle_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) bytes = NULL;
	guint64 key = 0;
	guint64 to_array = 2;
	guint64 to_dict = 1;

	/* 0: "k"; 1: {"k": 2}; 2: [1] */
	ub_test_bplist_add_string(bplist, "k", 1);
	ub_test_bplist_add_dict(bplist, &key, &to_array, 1);
	ub_test_bplist_add_array(bplist, &to_dict, 1);
	bytes = ub_test_bplist_finish(bplist, 1);
	assert_refused(bytes, "loop");
}

static void
test_plist_guard_ref_out_of_range_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) bytes = NULL;
	guint64 refs[2] = {1, 5};

	ub_test_bplist_add_array(bplist, refs, 2);
	ub_test_bplist_add_string(bplist, "here", 4);
	bytes = ub_test_bplist_finish(bplist, 0);
	assert_refused(bytes, "not there");
}

static void
test_plist_guard_offset_out_of_range_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) good = NULL;
	g_autoptr(GBytes) past_table = NULL;
	g_autoptr(GBytes) in_header = NULL;
	/* the one 8-byte offset sits just before the 32-byte trailer */
	const guint8 far[8] = {0, 0, 0, 0, 0x7F, 0, 0, 0};
	const guint8 magic[8] = {0};

	ub_test_bplist_add_string(bplist, "only", 4);
	good = ub_test_bplist_finish(bplist, 0);
	past_table = patch_from_end(good, 32 + 8, far, sizeof(far));
	in_header = patch_from_end(good, 32 + 8, magic, sizeof(magic));
	assert_accepted(g_bytes_get_data(good, NULL), g_bytes_get_size(good));
	assert_refused(past_table, "outside the file");
	assert_refused(in_header, "outside the file");
}

static void
test_plist_guard_table_past_end_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) good = NULL;
	g_autoptr(GBytes) table_past_end = NULL;
	g_autoptr(GBytes) too_many_objects = NULL;
	/* the last 8 bytes: the offset table's offset */
	const guint8 past_end[8] = {0, 0, 0, 0, 0, 0, 0x10, 0};
	/* num_objects, 24 bytes from the end: 1000 would need 8 KB of table */
	const guint8 thousand[8] = {0, 0, 0, 0, 0, 0, 0x03, 0xE8};

	ub_test_bplist_add_string(bplist, "only", 4);
	good = ub_test_bplist_finish(bplist, 0);
	table_past_end = patch_from_end(good, 8, past_end, sizeof(past_end));
	too_many_objects = patch_from_end(good, 24, thousand, sizeof(thousand));
	assert_refused(table_past_end, "offset table");
	assert_refused(too_many_objects, "offset table");
}

static void
test_plist_guard_bad_trailer_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) good = NULL;
	g_autoptr(GBytes) short_file = g_bytes_new_static("bplist00\xD0", 9);
	g_autoptr(GBytes) no_ref_size = NULL;
	g_autoptr(GBytes) huge_ref_size = NULL;
	g_autoptr(GBytes) top_missing = NULL;
	g_autoptr(GBytes) no_objects = NULL;
	const guint8 zero = 0;
	const guint8 sixteen = 16;
	const guint8 top_one[8] = {0, 0, 0, 0, 0, 0, 0, 1};
	const guint8 none[8] = {0};

	ub_test_bplist_add_string(bplist, "only", 4);
	good = ub_test_bplist_finish(bplist, 0);
	/* the trailer: 6 unused, offset size, ref size, then three 8-byte
	 * numbers (objects, top object, table offset) */
	no_ref_size = patch_from_end(good, 32 - 7, &zero, 1);
	huge_ref_size = patch_from_end(good, 32 - 7, &sixteen, 1);
	top_missing = patch_from_end(good, 16, top_one, sizeof(top_one));
	no_objects = patch_from_end(good, 24, none, sizeof(none));

	assert_refused(short_file, "too short");
	assert_refused(no_ref_size, "trailer");
	assert_refused(huge_ref_size, "trailer");
	assert_refused(top_missing, "trailer");
	assert_refused(no_objects, "trailer");
}

static void
test_plist_guard_billion_laughs_func(void)
{
	g_autoptr(GBytes) laughs = ub_test_bplist_billion_laughs(30);
	g_autoptr(GBytes) chuckle = ub_test_bplist_billion_laughs(10);
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(2);
	g_autoptr(GBytes) long_laughs = NULL;
	g_autofree gchar *text = g_strnfill(60000, 'a');
	g_autofree guint64 *refs = g_new0(guint64, 2000);

	g_assert_cmpuint(g_bytes_get_size(laughs), <, 512);
	assert_refused(laughs, "expand");
	/* 2^11 nodes, a DAG like any writer's shared strings */
	assert_accepted(g_bytes_get_data(chuckle, NULL), g_bytes_get_size(chuckle));

	/* few nodes, but one 60 kB string copied 2,000 times: 120 MB */
	ub_test_bplist_add_string(bplist, text, 60000);
	ub_test_bplist_add_array(bplist, refs, 2000);
	long_laughs = ub_test_bplist_finish(bplist, 1);
	assert_refused(long_laughs, "MB");
}

static void
test_plist_guard_truncated_object_func(void)
{
	g_autoptr(UbTestBplist) bplist = ub_test_bplist_new(1);
	g_autoptr(GBytes) bytes = NULL;
	guint64 refs[200] = {0};

	/* an array that says 200 refs where the offset table starts sooner:
	 * its refs run into the table */
	ub_test_bplist_add_string(bplist, "x", 1);
	ub_test_bplist_add_array(bplist, refs, 3);
	bytes = ub_test_bplist_finish(bplist, 1);
	{
		gsize len = 0;
		guint8 *data = g_bytes_unref_to_data(g_steal_pointer(&bytes), &len);
		/* object 1 starts at 8 + 2: marker 0xA3 becomes 0xAF, 0x10, 200 */
		g_assert_cmpuint(data[10], ==, 0xA3);
		data[10] = 0xAF;
		data[11] = 0x10;
		data[12] = 200;
		bytes = g_bytes_new_take(data, len);
	}
	assert_refused(bytes, "past the end");
}

static void
test_plist_guard_xml_deep_func(void)
{
	g_autoptr(GString) deep = g_string_new("<?xml version=\"1.0\"?>\n<plist version=\"1.0\">");
	g_autoptr(GString) many = g_string_new("<plist version=\"1.0\"><array>");
	g_autoptr(GBytes) deep_bytes = NULL;
	g_autoptr(GBytes) many_bytes = NULL;
	g_autoptr(GBytes) entities = NULL;
	static const gchar entity_doc[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [<!ENTITY a \"lol\">]>\n"
	    "<plist version=\"1.0\"><string>&a;</string></plist>";

	for (guint i = 0; i < 10000; i++)
		g_string_append(deep, "<array>");
	for (guint i = 0; i < 10000; i++)
		g_string_append(deep, "</array>");
	g_string_append(deep, "</plist>");
	deep_bytes = g_bytes_new(deep->str, deep->len);
	assert_refused(deep_bytes, "levels deep");

	for (guint i = 0; i < UB_PLIST_GUARD_MAX_NODES; i++)
		g_string_append(many, "<true/>");
	g_string_append(many, "</array></plist>");
	many_bytes = g_bytes_new(many->str, many->len);
	assert_refused(many_bytes, "values");

	entities = g_bytes_new_static(entity_doc, sizeof(entity_doc) - 1);
	assert_refused(entities, "entities");
}

static void
test_plist_guard_xml_tricks_func(void)
{
	/* what looks like nesting inside comments, CDATA and attribute
	 * values is not, and siblings do not add up to depth */
	g_autoptr(GString) xml =
	    g_string_new("<?xml version=\"1.0\"?>\n<!DOCTYPE plist PUBLIC "
			 "\"-//Apple//DTD PLIST 1.0//EN\" "
			 "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
			 "<plist version=\"1.0\"><array>");

	for (guint i = 0; i < 200; i++)
		g_string_append(xml,
				"<!-- <array><array> --><string><![CDATA[<dict><dict>]]></string>"
				"<dict a=\"<dict>\"></dict><array/>");
	g_string_append(xml, "</array></plist>");
	assert_accepted((const guint8 *)xml->str, xml->len);
}

static void
test_plist_guard_too_large_func(void)
{
	gsize len = UB_PLIST_GUARD_MAX_SIZE + 1;
	g_autofree guint8 *data = g_malloc0(len);
	g_autoptr(GBytes) bytes = NULL;

	memcpy(data, "<plist>", 7);
	bytes = g_bytes_new_take(g_steal_pointer(&data), len);
	assert_refused(bytes, "larger than");
	g_clear_pointer(&bytes, g_bytes_unref);
	bytes = g_bytes_new_static("", 0);
	assert_refused(bytes, "empty");
}

/* a plist as libplist itself writes it, both ways */
static void
test_plist_guard_libplist_written_func(void)
{
	plist_t dict = plist_new_dict();
	plist_t array = plist_new_array();
	char *binary = NULL;
	char *xml = NULL;
	uint32_t binary_len = 0;
	uint32_t xml_len = 0;
	g_autofree gchar *long_text = g_strnfill(1000, 'x');

	plist_dict_set_item(dict, "ProductVersion", plist_new_string("17.0"));
	plist_dict_set_item(dict, "ProductBuildVersion", plist_new_string("21A329"));
	plist_dict_set_item(dict, "Long", plist_new_string(long_text));
	plist_dict_set_item(dict, "Unicode", plist_new_string("caf\xc3\xa9 \xe2\x9c\x93"));
	plist_dict_set_item(dict, "Number", plist_new_uint(G_MAXUINT64));
	plist_dict_set_item(dict, "Real", plist_new_real(0.5));
	plist_dict_set_item(dict, "Yes", plist_new_bool(TRUE));
	plist_dict_set_item(dict, "Blob", plist_new_data("\x00\x01\x02", 3));
	for (guint i = 0; i < 300; i++) {
		plist_t inner = plist_new_dict();
		/* the same strings again and again: libplist shares them */
		plist_dict_set_item(inner, "Variant", plist_new_string("Customer Erase Install"));
		plist_dict_set_item(inner, "Index", plist_new_uint(i));
		plist_array_append_item(array, inner);
	}
	plist_dict_set_item(dict, "BuildIdentities", array);

	plist_to_bin(dict, &binary, &binary_len);
	plist_to_xml(dict, &xml, &xml_len);
	plist_free(dict);
	g_assert_nonnull(binary);
	g_assert_nonnull(xml);
	assert_accepted((const guint8 *)binary, binary_len);
	assert_accepted((const guint8 *)xml, xml_len);
	/* libplist 2.6 (Debian 13) has no plist_to_bin_free() any more, 2.2
	 * (Debian 12) no plist_mem_free() yet; both only free() */
	free(binary);
	free(xml);
}

/* every real manifest and Restore.plist we hold, as XML and as libplist
 * writes it in binary */
static void
test_plist_guard_real_func(void)
{
	const gchar *names[] = {
	    "iPhone13,2_iPhone13,3_26.2.1_23C71_BuildManifest.plist",
	    "iPhone10,3_iPhone10,6_11.2_15C114_BuildManifest.plist",
	    "iPhone10,3_iPhone10,6_11.2_15C114_Restore.plist",
	    "iPhone7,2_8.4.1_12H321_BuildManifest.plist",
	    "iPhone7,2_8.4.1_12H321_Restore.plist",
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = ub_test_data_path("buildmanifest", names[i], NULL);
		g_autofree gchar *contents = NULL;
		gsize len = 0;
		plist_t plist = NULL;
		char *binary = NULL;
		uint32_t binary_len = 0;

		g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
		assert_accepted((const guint8 *)contents, len);
		plist_from_xml(contents, (uint32_t)len, &plist);
		g_assert_nonnull(plist);
		plist_to_bin(plist, &binary, &binary_len);
		plist_free(plist);
		g_assert_nonnull(binary);
		assert_accepted((const guint8 *)binary, binary_len);
		free(binary);
	}
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/plist-guard/deep-nesting", test_plist_guard_deep_nesting_func);
	g_test_add_func("/unbrick/plist-guard/self-reference",
			test_plist_guard_self_reference_func);
	g_test_add_func("/unbrick/plist-guard/two-node-cycle",
			test_plist_guard_two_node_cycle_func);
	g_test_add_func("/unbrick/plist-guard/ref-out-of-range",
			test_plist_guard_ref_out_of_range_func);
	g_test_add_func("/unbrick/plist-guard/offset-out-of-range",
			test_plist_guard_offset_out_of_range_func);
	g_test_add_func("/unbrick/plist-guard/table-past-end",
			test_plist_guard_table_past_end_func);
	g_test_add_func("/unbrick/plist-guard/bad-trailer", test_plist_guard_bad_trailer_func);
	g_test_add_func("/unbrick/plist-guard/billion-laughs",
			test_plist_guard_billion_laughs_func);
	g_test_add_func("/unbrick/plist-guard/truncated-object",
			test_plist_guard_truncated_object_func);
	g_test_add_func("/unbrick/plist-guard/xml-deep", test_plist_guard_xml_deep_func);
	g_test_add_func("/unbrick/plist-guard/xml-tricks", test_plist_guard_xml_tricks_func);
	g_test_add_func("/unbrick/plist-guard/too-large", test_plist_guard_too_large_func);
	g_test_add_func("/unbrick/plist-guard/libplist-written",
			test_plist_guard_libplist_written_func);
	g_test_add_func("/unbrick/plist-guard/real", test_plist_guard_real_func);

	return g_test_run();
}
