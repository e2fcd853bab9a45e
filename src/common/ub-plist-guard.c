/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-plist-guard"

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-plist-guard.h"

/*
 * Why these limits: the largest real BuildManifest.plist we hold (iOS 26.2.1
 * for iPhone13,2/13,3, 1 MB of XML) is 34,000 nodes with its dictionary
 * keys (59,000 XML elements) nested 10 deep; the iOS 8 one is 4,000 nodes;
 * a pair record and Apple's catalog are shallower. 64 levels and a million
 * nodes leave a margin of six and seventeen times over the largest, and
 * still bound what libplist can be made to do: its recursion to 64 frames,
 * its memory to some hundred megabytes, its time to well under a second.
 */

#define BPLIST_MAGIC "bplist00"
#define BPLIST_MAGIC_SIZE 8
#define BPLIST_TRAILER_SIZE 32

typedef enum {
	OBJECT_NEW,
	OBJECT_ON_PATH,
	OBJECT_DONE,
} ObjectState;

typedef struct {
	const guint8 *data;
	gsize len;
	gsize table_offset; /* objects and their references lie before it */
	gsize trailer_offset;
	guint offset_size;
	guint ref_size;
	guint64 num_objects;
	guint64 top_object;
	/* per object, once walked: what its expansion costs */
	guint8 *state;
	guint32 *nodes;
	guint32 *bytes;
	guint8 *height;
} UbBplist;

/* an object as the walk needs it: a container's references, or a leaf's
 * payload (what libplist copies) */
typedef struct {
	gboolean is_container;
	gsize refs_at;
	guint64 n_refs;
	guint64 payload;
} UbBplistObject;

/* a container on the current path */
typedef struct {
	guint32 object;
	gsize refs_at;
	guint64 n_refs;
	guint64 next_ref;
	guint64 nodes;
	guint64 bytes;
	guint height;
} UbBplistFrame;

static void
set_refused(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
set_refused(GError **error, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, UB_ERROR, UB_ERROR_INVALID_DATA, message);
}

static guint64
read_be(const guint8 *at, guint size)
{
	guint64 value = 0;

	for (guint i = 0; i < size; i++)
		value = (value << 8) | at[i];
	return value;
}

static gboolean
read_trailer(UbBplist *bp, GError **error)
{
	const guint8 *trailer;
	guint64 table_offset;

	if (bp->len < BPLIST_MAGIC_SIZE + 1 + BPLIST_TRAILER_SIZE) {
		set_refused(error, "it is too short to be a binary property list");
		return FALSE;
	}
	bp->trailer_offset = bp->len - BPLIST_TRAILER_SIZE;
	trailer = bp->data + bp->trailer_offset;
	bp->offset_size = trailer[6];
	bp->ref_size = trailer[7];
	bp->num_objects = read_be(trailer + 8, 8);
	bp->top_object = read_be(trailer + 16, 8);
	table_offset = read_be(trailer + 24, 8);

	/* writers use 1, 2, 3, 4 or 8 bytes; beyond 8 libplist reads other
	 * bytes than these */
	if (bp->offset_size < 1 || bp->offset_size > 8 || bp->ref_size < 1 || bp->ref_size > 8) {
		set_refused(error, "its binary trailer is damaged");
		return FALSE;
	}
	if (bp->num_objects == 0 || bp->top_object >= bp->num_objects) {
		set_refused(error, "its binary trailer names no top object");
		return FALSE;
	}
	if (bp->num_objects > UB_PLIST_GUARD_MAX_NODES) {
		set_refused(error,
			    "it holds more than %u objects, far more than any real one",
			    (guint)UB_PLIST_GUARD_MAX_NODES);
		return FALSE;
	}
	/* the offset table between the objects and the trailer, whole; with
	 * num_objects bounded above, the product cannot overflow */
	if (table_offset <= BPLIST_MAGIC_SIZE || table_offset >= bp->trailer_offset ||
	    bp->num_objects * bp->offset_size > bp->trailer_offset - table_offset) {
		set_refused(error, "its offset table does not fit in the file");
		return FALSE;
	}
	bp->table_offset = (gsize)table_offset;
	return TRUE;
}

/* a length in the marker's low nibble, or 0xF and an integer object after
 * it; @at is moved past it */
static gboolean
read_count(UbBplist *bp, guint8 marker, gsize *at, guint64 *count, GError **error)
{
	guint8 int_marker;
	guint size;

	if ((marker & 0x0F) != 0x0F) {
		*count = marker & 0x0F;
		return TRUE;
	}
	if (*at >= bp->trailer_offset) {
		set_refused(error, "an object runs past the end of the file");
		return FALSE;
	}
	int_marker = bp->data[*at];
	if ((int_marker & 0xF0) != 0x10 || (int_marker & 0x0F) > 3) {
		set_refused(error, "an object has a damaged length");
		return FALSE;
	}
	size = 1u << (int_marker & 0x0F);
	if (size > bp->trailer_offset - *at - 1) {
		set_refused(error, "an object runs past the end of the file");
		return FALSE;
	}
	*count = read_be(bp->data + *at + 1, size);
	*at += 1 + size;
	return TRUE;
}

/* whether @n_units of @unit bytes from @at end before @end */
static gboolean
fits(gsize at, guint64 n_units, guint unit, gsize end)
{
	return at <= end && n_units <= (end - at) / unit;
}

static gboolean
read_object(UbBplist *bp, guint64 index, UbBplistObject *object, GError **error)
{
	guint64 offset;
	guint8 marker;
	guint8 info;
	gsize at;
	guint64 count = 0;

	memset(object, 0, sizeof(*object));
	offset = read_be(bp->data + bp->table_offset + index * bp->offset_size, bp->offset_size);
	if (offset < BPLIST_MAGIC_SIZE || offset >= bp->table_offset) {
		set_refused(error, "an object's offset points outside the file");
		return FALSE;
	}
	at = (gsize)offset;
	marker = bp->data[at++];
	info = marker & 0x0F;

	switch (marker & 0xF0) {
	case 0x00: /* null, false, true, fill */
		return TRUE;
	case 0x10: /* integer, 2^n bytes */
	case 0x20: /* real */
	case 0x30: /* date */
		if (info > 4 || !fits(at, 1u << info, 1, bp->trailer_offset)) {
			set_refused(error, "a number runs past the end of the file");
			return FALSE;
		}
		return TRUE;
	case 0x80: /* UID, n + 1 bytes */
		if (!fits(at, info + 1u, 1, bp->trailer_offset)) {
			set_refused(error, "a number runs past the end of the file");
			return FALSE;
		}
		return TRUE;
	case 0x40: /* data */
	case 0x50: /* ASCII string */
	case 0x60: /* UTF-16 string */
		if (!read_count(bp, marker, &at, &count, error))
			return FALSE;
		if (!fits(at, count, (marker & 0xF0) == 0x60 ? 2 : 1, bp->trailer_offset)) {
			set_refused(error, "a string or data runs past the end of the file");
			return FALSE;
		}
		/* UTF-16 becomes up to three bytes of UTF-8 per unit */
		object->payload = (marker & 0xF0) == 0x60 ? count * 3 : count;
		return TRUE;
	case 0xA0: /* array */
	case 0xC0: /* set */
	case 0xD0: /* dictionary: its keys, then its values */
		if (!read_count(bp, marker, &at, &count, error))
			return FALSE;
		if ((marker & 0xF0) == 0xD0) {
			if (count > G_MAXUINT64 / 2) {
				set_refused(error, "a dictionary runs past the end of the file");
				return FALSE;
			}
			count *= 2;
		}
		if (!fits(at, count, bp->ref_size, bp->table_offset)) {
			set_refused(error, "a list or dictionary runs past the end of the file");
			return FALSE;
		}
		object->is_container = TRUE;
		object->refs_at = at;
		object->n_refs = count;
		return TRUE;
	default:
		/* libplist refuses what it does not know; nothing to expand */
		return TRUE;
	}
}

/* what the object just finished costs, added to the container holding it */
static gboolean
add_to_parent(UbBplistFrame *parent, guint64 nodes, guint64 bytes, guint height, GError **error)
{
	parent->nodes += nodes;
	parent->bytes += bytes;
	parent->height = MAX(parent->height, height);
	if (parent->nodes > UB_PLIST_GUARD_MAX_NODES) {
		set_refused(error,
			    "it would expand to more than %u values, far more than any real one",
			    (guint)UB_PLIST_GUARD_MAX_NODES);
		return FALSE;
	}
	if (parent->bytes > UB_PLIST_GUARD_MAX_EXPANDED_BYTES) {
		set_refused(error,
			    "it would expand to more than %u MB of text, far more than any real "
			    "one",
			    (guint)(UB_PLIST_GUARD_MAX_EXPANDED_BYTES / (1024 * 1024)));
		return FALSE;
	}
	if (parent->height + 1 > UB_PLIST_GUARD_MAX_DEPTH) {
		set_refused(error,
			    "it is nested more than %u levels deep",
			    (guint)UB_PLIST_GUARD_MAX_DEPTH);
		return FALSE;
	}
	return TRUE;
}

/*
 * Depth first from the top object with a stack of our own, every object
 * walked once: what a shared object costs is remembered and added again at
 * each reference to it, which is what libplist's copying does, so a
 * "billion laughs" is priced without being expanded. An object met again
 * while it is still on the path is a loop.
 */
static gboolean
walk(UbBplist *bp, GError **error)
{
	g_autoptr(GArray) stack = g_array_sized_new(FALSE, FALSE, sizeof(UbBplistFrame), 16);
	guint64 pending = bp->top_object;
	gboolean have_pending = TRUE;

	for (;;) {
		UbBplistFrame *top;

		if (have_pending) {
			guint32 index = (guint32)pending;
			UbBplistObject object;

			have_pending = FALSE;
			if (bp->state[index] == OBJECT_ON_PATH) {
				set_refused(error, "it refers to itself in a loop");
				return FALSE;
			}
			if (bp->state[index] == OBJECT_DONE) {
				if (stack->len == 0)
					return TRUE;
				top = &g_array_index(stack, UbBplistFrame, stack->len - 1);
				if (!add_to_parent(top,
						   bp->nodes[index],
						   bp->bytes[index],
						   bp->height[index],
						   error))
					return FALSE;
				continue;
			}
			if (!read_object(bp, index, &object, error))
				return FALSE;
			if (!object.is_container) {
				bp->state[index] = OBJECT_DONE;
				bp->nodes[index] = 1;
				bp->bytes[index] = (guint32)object.payload;
				bp->height[index] = 1;
				/* one leaf is at most three times the file: no limit to pass */
				if (stack->len == 0)
					return TRUE;
				top = &g_array_index(stack, UbBplistFrame, stack->len - 1);
				if (!add_to_parent(top, 1, bp->bytes[index], 1, error))
					return FALSE;
				continue;
			}
			if (stack->len >= UB_PLIST_GUARD_MAX_DEPTH) {
				set_refused(error,
					    "it is nested more than %u levels deep",
					    (guint)UB_PLIST_GUARD_MAX_DEPTH);
				return FALSE;
			}
			bp->state[index] = OBJECT_ON_PATH;
			g_array_append_vals(stack,
					    &(UbBplistFrame){
						.object = index,
						.refs_at = object.refs_at,
						.n_refs = object.n_refs,
						.nodes = 1,
					    },
					    1);
			continue;
		}

		top = &g_array_index(stack, UbBplistFrame, stack->len - 1);
		if (top->next_ref < top->n_refs) {
			pending = read_be(bp->data + top->refs_at + top->next_ref * bp->ref_size,
					  bp->ref_size);
			top->next_ref++;
			if (pending >= bp->num_objects) {
				set_refused(error, "it refers to an object that is not there");
				return FALSE;
			}
			have_pending = TRUE;
			continue;
		}

		/* a container done: remembered, then added to its own container */
		{
			UbBplistFrame done = *top;

			g_array_set_size(stack, stack->len - 1);
			bp->state[done.object] = OBJECT_DONE;
			bp->nodes[done.object] = (guint32)done.nodes;
			bp->bytes[done.object] = (guint32)done.bytes;
			bp->height[done.object] = (guint8)(done.height + 1);
			if (stack->len == 0)
				return TRUE;
			top = &g_array_index(stack, UbBplistFrame, stack->len - 1);
			if (!add_to_parent(top, done.nodes, done.bytes, done.height + 1, error))
				return FALSE;
		}
	}
}

static gboolean
check_binary(const guint8 *data, gsize len, GError **error)
{
	UbBplist bp = {.data = data, .len = len};
	g_autofree guint8 *state = NULL;
	g_autofree guint32 *nodes = NULL;
	g_autofree guint32 *bytes = NULL;
	g_autofree guint8 *height = NULL;

	if (!read_trailer(&bp, error))
		return FALSE;
	/* at most UB_PLIST_GUARD_MAX_NODES of each: 10 MB at worst */
	state = g_new0(guint8, bp.num_objects);
	nodes = g_new0(guint32, bp.num_objects);
	bytes = g_new0(guint32, bp.num_objects);
	height = g_new0(guint8, bp.num_objects);
	bp.state = state;
	bp.nodes = nodes;
	bp.bytes = bytes;
	bp.height = height;
	return walk(&bp, error);
}

/* the first @needle at or after @from, or @len */
static gsize
find(const guint8 *data, gsize len, gsize from, const gchar *needle)
{
	gsize needle_len = strlen(needle);

	while (from < len) {
		const guint8 *hit = memchr(data + from, needle[0], len - from);

		if (hit == NULL)
			return len;
		from = (gsize)(hit - data);
		if (len - from >= needle_len && memcmp(hit, needle, needle_len) == 0)
			return from;
		from++;
	}
	return len;
}

static gboolean
has_prefix(const guint8 *data, gsize len, gsize at, const gchar *prefix)
{
	gsize prefix_len = strlen(prefix);

	return len - at >= prefix_len && memcmp(data + at, prefix, prefix_len) == 0;
}

/*
 * Not a parser: it counts elements as they open and close, which is all
 * that libplist's recursion depends on, and skips what cannot nest
 * (comments, CDATA, processing instructions, the DOCTYPE). An unterminated
 * construct ends the scan; libplist refuses the file then anyway.
 */
static gboolean
check_xml(const guint8 *data, gsize len, GError **error)
{
	guint depth = 0;
	guint64 elements = 0;
	gsize at = 0;

	for (;;) {
		const guint8 *open = memchr(data + at, '<', len - at);
		gchar quote = '\0';
		gsize end;

		if (open == NULL)
			return TRUE;
		at = (gsize)(open - data);
		if (has_prefix(data, len, at, "<!--")) {
			end = find(data, len, at + 4, "-->");
			at = end + 3;
		} else if (has_prefix(data, len, at, "<![CDATA[")) {
			end = find(data, len, at + 9, "]]>");
			at = end + 3;
		} else if (has_prefix(data, len, at, "<?")) {
			end = find(data, len, at + 2, "?>");
			at = end + 2;
		} else if (has_prefix(data, len, at, "<!")) {
			/* a DOCTYPE of its own entities is how XML's own
			 * "billion laughs" starts; real plists name Apple's DTD */
			end = find(data, len, at + 2, ">");
			if (find(data, end, at + 2, "[") < end) {
				set_refused(error, "it declares entities of its own");
				return FALSE;
			}
			at = end + 1;
		} else {
			gboolean closing = has_prefix(data, len, at, "</");

			for (end = at + 1; end < len; end++) {
				if (quote != '\0') {
					if (data[end] == (guint8)quote)
						quote = '\0';
				} else if (data[end] == '"' || data[end] == '\'') {
					quote = (gchar)data[end];
				} else if (data[end] == '>') {
					break;
				}
			}
			if (end >= len)
				return TRUE;
			if (closing) {
				if (depth > 0)
					depth--;
			} else {
				if (++elements > UB_PLIST_GUARD_MAX_NODES) {
					set_refused(error,
						    "it holds more than %u values, far more than "
						    "any real one",
						    (guint)UB_PLIST_GUARD_MAX_NODES);
					return FALSE;
				}
				if (data[end - 1] != '/' && ++depth > UB_PLIST_GUARD_MAX_DEPTH) {
					set_refused(error,
						    "it is nested more than %u levels deep",
						    (guint)UB_PLIST_GUARD_MAX_DEPTH);
					return FALSE;
				}
			}
			at = end + 1;
		}
		if (at >= len)
			return TRUE;
	}
}

gboolean
ub_plist_guard_check(const guint8 *data, gsize len, GError **error)
{
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (len == 0) {
		set_refused(error, "it is empty");
		return FALSE;
	}
	if (len > UB_PLIST_GUARD_MAX_SIZE) {
		set_refused(error,
			    "it is larger than %u MB, far larger than any real one",
			    (guint)(UB_PLIST_GUARD_MAX_SIZE / (1024 * 1024)));
		return FALSE;
	}
	/* the same test as plist_is_binary(), so the guard checks the format
	 * libplist will parse */
	if (len >= BPLIST_MAGIC_SIZE && memcmp(data, BPLIST_MAGIC, BPLIST_MAGIC_SIZE) == 0)
		return check_binary(data, len, error);
	return check_xml(data, len, error);
}
