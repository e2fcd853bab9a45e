/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-card"

#include "config.h"

#include <string.h>

#include "ub-card-private.h"
#include "ub-error.h"
#include "ub-json.h"
#include "ub-restore-enums.h"
#include "ub-search-words.h"

/* Apple's codes have at most four digits; nine keep any sum below G_MAXUINT */
#define UB_CARD_CODE_DIGITS_MAX 9

typedef struct {
	guint first;
	guint last;
} UbCodeRange;

struct _UbCard {
	GObject parent_instance;
	gchar *id;
	gchar *title; /* the texts are translated once, when the card is made */
	gchar *summary;
	GStrv steps;
	gchar *next;
	GArray *codes; /* of UbCodeRange, in the order listed */
	guint n_codes;
	gchar *codes_text;
	GArray *causes;	 /* of UbFailureCause */
	gchar *haystack; /* every searchable text, case-folded, for ub_card_matches() */
};

G_DEFINE_FINAL_TYPE(UbCard, ub_card, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_ID,
	PROP_TITLE,
	PROP_SUMMARY,
	PROP_STEPS,
	PROP_NEXT,
	PROP_CODES_TEXT,
	N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const gchar *const card_members[] =
    {"id", "title", "summary", "steps", "next", "codes", "causes", "keywords", NULL};

static void
ub_card_finalize(GObject *object)
{
	UbCard *self = UB_CARD(object);

	g_free(self->id);
	g_free(self->title);
	g_free(self->summary);
	g_strfreev(self->steps);
	g_free(self->next);
	g_array_unref(self->codes);
	g_free(self->codes_text);
	g_array_unref(self->causes);
	g_free(self->haystack);

	G_OBJECT_CLASS(ub_card_parent_class)->finalize(object);
}

static void
ub_card_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbCard *self = UB_CARD(object);

	switch (prop_id) {
	case PROP_ID:
		g_value_set_string(value, self->id);
		break;
	case PROP_TITLE:
		g_value_set_string(value, self->title);
		break;
	case PROP_SUMMARY:
		g_value_set_string(value, self->summary);
		break;
	case PROP_STEPS:
		g_value_set_boxed(value, self->steps);
		break;
	case PROP_NEXT:
		g_value_set_string(value, self->next);
		break;
	case PROP_CODES_TEXT:
		g_value_set_string(value, self->codes_text);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_card_class_init(UbCardClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = ub_card_finalize;
	object_class->get_property = ub_card_get_property;

	/* read-only: cards come from data/remediation.json; the properties let
	 * list widgets bind to them */
	properties[PROP_ID] =
	    g_param_spec_string("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_TITLE] = g_param_spec_string(
	    "title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_SUMMARY] = g_param_spec_string(
	    "summary", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_STEPS] = g_param_spec_boxed(
	    "steps", NULL, NULL, G_TYPE_STRV, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_NEXT] = g_param_spec_string(
	    "next", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	properties[PROP_CODES_TEXT] = g_param_spec_string(
	    "codes-text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_card_init(UbCard *self)
{
	self->codes = g_array_new(FALSE, FALSE, sizeof(UbCodeRange));
	self->causes = g_array_new(FALSE, FALSE, sizeof(UbFailureCause));
}

/* case and compatibility forms folded, so "Cable", "CABLE" and "cable" meet */
static gchar *
ub_card_fold(const gchar *text)
{
	g_autofree gchar *folded = NULL;

	g_assert(text != NULL);
	folded = g_utf8_casefold(text, -1);
	return g_utf8_normalize(folded, -1, G_NORMALIZE_ALL);
}

static gboolean
ub_card_parse_number(const gchar *text, guint *number)
{
	guint64 value = 0;

	if (!ub_search_words_is_number(text) || strlen(text) > UB_CARD_CODE_DIGITS_MAX)
		return FALSE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT, &value, NULL))
		return FALSE;
	*number = (guint)value;
	return TRUE;
}

/* "1643" or "1643-1650", first <= last */
static gboolean
ub_card_parse_code(const gchar *text, UbCodeRange *range)
{
	g_auto(GStrv) parts = g_strsplit(text, "-", 3);

	if (g_strv_length(parts) == 1) {
		if (!ub_card_parse_number(parts[0], &range->first))
			return FALSE;
		range->last = range->first;
		return TRUE;
	}
	if (g_strv_length(parts) != 2)
		return FALSE;
	if (!ub_card_parse_number(parts[0], &range->first) ||
	    !ub_card_parse_number(parts[1], &range->last))
		return FALSE;
	return range->first <= range->last;
}

/* a string member; @required makes an absent or empty one an error. An
 * empty text is never accepted: it would show as a blank row, and gettext
 * maps "" to the catalog's header */
static gboolean
ub_card_get_string_member(JsonObject *object,
			  const gchar *card_name,
			  const gchar *member,
			  gboolean required,
			  const gchar **value,
			  GError **error)
{
	return ub_json_get_string(object,
				  card_name,
				  member,
				  UB_JSON_NON_EMPTY | (required ? UB_JSON_REQUIRED : 0),
				  value,
				  error);
}

/* an array of non-empty strings, or NULL when absent; borrowed strings */
static gboolean
ub_card_get_strings_member(JsonObject *object,
			   const gchar *card_name,
			   const gchar *member,
			   GPtrArray **strings,
			   GError **error)
{
	JsonNode *node = json_object_get_member(object, member);
	JsonArray *array = NULL;
	g_autoptr(GPtrArray) result = g_ptr_array_new();

	*strings = NULL;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: “%s” is not a list",
			    card_name,
			    member);
		return FALSE;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);

		if (!JSON_NODE_HOLDS_VALUE(element) ||
		    json_node_get_value_type(element) != G_TYPE_STRING ||
		    json_node_get_string(element)[0] == '\0') {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: “%s” item %u is not a non-empty string",
				    card_name,
				    member,
				    i + 1);
			return FALSE;
		}
		g_ptr_array_add(result, (gpointer)json_node_get_string(element));
	}
	*strings = g_steal_pointer(&result);
	return TRUE;
}

static const gchar *
ub_card_translate(const gchar *text)
{
	return g_dgettext(GETTEXT_PACKAGE, text);
}

static gboolean
ub_card_set_codes(UbCard *self, const gchar *card_name, GPtrArray *codes, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);

	if (codes == NULL)
		return TRUE;
	for (guint i = 0; i < codes->len; i++) {
		const gchar *code = g_ptr_array_index(codes, i);
		UbCodeRange range = {0, 0};

		if (!ub_card_parse_code(code, &range)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: code “%s” is neither a number nor a range such as "
				    "“1643-1650”",
				    card_name,
				    code);
			return FALSE;
		}
		g_array_append_val(self->codes, range);
		self->n_codes += range.last - range.first + 1;

		if (text->len > 0)
			g_string_append(text, ", ");
		if (range.first == range.last)
			g_string_append_printf(text, "%u", range.first);
		else
			/* an en dash, as ranges are written in text */
			g_string_append_printf(text, "%u–%u", range.first, range.last);
	}
	if (text->len > 0)
		self->codes_text = g_string_free(g_steal_pointer(&text), FALSE);
	return TRUE;
}

static gboolean
ub_card_set_causes(UbCard *self, const gchar *card_name, GPtrArray *causes, GError **error)
{
	g_autoptr(GEnumClass) enum_class = NULL;

	if (causes == NULL)
		return TRUE;
	enum_class = g_type_class_ref(UB_TYPE_FAILURE_CAUSE);
	for (guint i = 0; i < causes->len; i++) {
		const gchar *nick = g_ptr_array_index(causes, i);
		GEnumValue *value = g_enum_get_value_by_nick(enum_class, nick);
		UbFailureCause cause;

		if (value == NULL) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: “%s” is not a failure cause",
				    card_name,
				    nick);
			return FALSE;
		}
		cause = (UbFailureCause)value->value;
		if (ub_card_covers_cause(self, cause)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: cause “%s” is listed twice",
				    card_name,
				    nick);
			return FALSE;
		}
		g_array_append_val(self->causes, cause);
	}
	return TRUE;
}

static void
ub_card_build_haystack(UbCard *self, GPtrArray *keywords)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree gchar *id_words = g_strdelimit(g_strdup(self->id), "-", ' ');

	g_string_append_printf(text, "%s\n%s\n%s\n", self->id, id_words, self->title);
	g_string_append_printf(text, "%s\n", self->summary);
	for (guint i = 0; self->steps[i] != NULL; i++)
		g_string_append_printf(text, "%s\n", self->steps[i]);
	if (self->next != NULL)
		g_string_append_printf(text, "%s\n", self->next);
	/* keywords stay untranslated: they hold the words people copy from an
	 * error message or a forum, which are English */
	for (guint i = 0; keywords != NULL && i < keywords->len; i++)
		g_string_append_printf(text, "%s\n", (const gchar *)g_ptr_array_index(keywords, i));
	self->haystack = ub_card_fold(text->str);
}

UbCard *
_ub_card_new_from_json(JsonNode *node, guint index, GError **error)
{
	g_autoptr(UbCard) self = NULL;
	g_autofree gchar *card_name = g_strdup_printf("card %u", index + 1);
	g_autoptr(GList) members = NULL;
	g_autoptr(GPtrArray) steps = NULL;
	g_autoptr(GPtrArray) codes = NULL;
	g_autoptr(GPtrArray) causes = NULL;
	g_autoptr(GPtrArray) keywords = NULL;
	JsonObject *object = NULL;
	const gchar *id = NULL;
	const gchar *title = NULL;
	const gchar *summary = NULL;
	const gchar *next = NULL;

	g_return_val_if_fail(node != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: not an object", card_name);
		return NULL;
	}
	object = json_node_get_object(node);

	if (!ub_card_get_string_member(object, card_name, "id", TRUE, &id, error))
		return NULL;
	for (const gchar *cursor = id; *cursor != '\0'; cursor++) {
		if (!g_ascii_islower(*cursor) && !g_ascii_isdigit(*cursor) && *cursor != '-') {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: id “%s” may only hold a-z, 0-9 and “-”",
				    card_name,
				    id);
			return NULL;
		}
	}
	/* from here on the errors name the card by its id */
	g_free(card_name);
	card_name = g_strdup_printf("card “%s”", id);

	/* a misspelt member would otherwise be dropped without a word */
	members = json_object_get_members(object);
	for (GList *l = members; l != NULL; l = l->next) {
		if (!g_strv_contains(card_members, l->data)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: unknown member “%s”",
				    card_name,
				    (const gchar *)l->data);
			return NULL;
		}
	}

	if (!ub_card_get_string_member(object, card_name, "title", TRUE, &title, error) ||
	    !ub_card_get_string_member(object, card_name, "summary", TRUE, &summary, error) ||
	    !ub_card_get_string_member(object, card_name, "next", FALSE, &next, error) ||
	    !ub_card_get_strings_member(object, card_name, "steps", &steps, error) ||
	    !ub_card_get_strings_member(object, card_name, "codes", &codes, error) ||
	    !ub_card_get_strings_member(object, card_name, "causes", &causes, error) ||
	    !ub_card_get_strings_member(object, card_name, "keywords", &keywords, error))
		return NULL;
	if (steps == NULL || steps->len == 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: “steps” is missing or empty",
			    card_name);
		return NULL;
	}

	self = g_object_new(UB_TYPE_CARD, NULL);
	self->id = g_strdup(id);
	self->title = g_strdup(ub_card_translate(title));
	self->summary = g_strdup(ub_card_translate(summary));
	self->steps = g_new0(gchar *, steps->len + 1);
	for (guint i = 0; i < steps->len; i++)
		self->steps[i] = g_strdup(ub_card_translate(g_ptr_array_index(steps, i)));
	if (next != NULL)
		self->next = g_strdup(ub_card_translate(next));
	if (!ub_card_set_codes(self, card_name, codes, error) ||
	    !ub_card_set_causes(self, card_name, causes, error))
		return NULL;
	ub_card_build_haystack(self, keywords);
	return g_steal_pointer(&self);
}

guint
_ub_card_get_n_codes(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), 0);
	return self->n_codes;
}

/**
 * ub_card_get_id:
 * @self: a #UbCard
 *
 * Returns: the stable id, such as %UB_CARD_USB_CONNECTION
 */
const gchar *
ub_card_get_id(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return self->id;
}

/**
 * ub_card_get_title:
 * @self: a #UbCard
 *
 * Returns: what went wrong, in a few words, translated
 */
const gchar *
ub_card_get_title(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return self->title;
}

/**
 * ub_card_get_summary:
 * @self: a #UbCard
 *
 * Returns: what it means, in one or two plain sentences, translated
 */
const gchar *
ub_card_get_summary(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return self->summary;
}

/**
 * ub_card_get_steps:
 * @self: a #UbCard
 *
 * Returns: (transfer none): the steps in order, at least one, translated and
 *   not numbered
 */
const gchar *const *
ub_card_get_steps(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return (const gchar *const *)self->steps;
}

/**
 * ub_card_get_next:
 * @self: a #UbCard
 *
 * Returns: (nullable): what to try when the steps did not help
 */
const gchar *
ub_card_get_next(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return self->next;
}

/**
 * ub_card_get_codes_text:
 * @self: a #UbCard
 *
 * Apple's error numbers the card covers, in the order listed, ranges with an
 * en dash: "9, 13, 1643–1650". Not translated: numbers only.
 *
 * Returns: (nullable): the codes, or %NULL when the card covers none
 */
const gchar *
ub_card_get_codes_text(UbCard *self)
{
	g_return_val_if_fail(UB_IS_CARD(self), NULL);
	return self->codes_text;
}

/**
 * ub_card_covers_code:
 * @self: a #UbCard
 * @code: an error number from Apple's tools
 *
 * Returns: %TRUE when @code is one of the card's codes or inside its ranges
 */
gboolean
ub_card_covers_code(UbCard *self, guint code)
{
	g_return_val_if_fail(UB_IS_CARD(self), FALSE);

	for (guint i = 0; i < self->codes->len; i++) {
		const UbCodeRange *range = &g_array_index(self->codes, UbCodeRange, i);

		if (code >= range->first && code <= range->last)
			return TRUE;
	}
	return FALSE;
}

/**
 * ub_card_covers_cause:
 * @self: a #UbCard
 * @cause: a #UbFailureCause
 *
 * Returns: %TRUE when the card explains @cause
 */
gboolean
ub_card_covers_cause(UbCard *self, UbFailureCause cause)
{
	g_return_val_if_fail(UB_IS_CARD(self), FALSE);

	for (guint i = 0; i < self->causes->len; i++) {
		if (g_array_index(self->causes, UbFailureCause, i) == cause)
			return TRUE;
	}
	return FALSE;
}

/**
 * ub_card_matches:
 * @self: a #UbCard
 * @query: what the user typed in the search field
 *
 * An empty query matches every card. A query of digits only is an error
 * number and matches the cards covering it. Otherwise every word must match:
 * a number when the card covers it, other words anywhere in the id, title,
 * summary, steps, next step or keywords, in any case.
 *
 * Returns: %TRUE when the card should be shown for @query
 */
gboolean
ub_card_matches(UbCard *self, const gchar *query)
{
	g_autofree gchar *trimmed = NULL;
	g_auto(GStrv) words = NULL;

	g_return_val_if_fail(UB_IS_CARD(self), FALSE);
	g_return_val_if_fail(query != NULL, FALSE);

	if (!g_utf8_validate(query, -1, NULL))
		return FALSE;
	trimmed = g_strstrip(g_strdup(query));
	if (trimmed[0] == '\0')
		return TRUE;

	/* commas too: people paste "4013, 4014" */
	words = g_strsplit_set(trimmed, " \t\r\n,;", -1);
	for (guint i = 0; words[i] != NULL; i++) {
		g_autofree gchar *folded = NULL;

		if (words[i][0] == '\0')
			continue;
		if (ub_search_words_is_number(words[i])) {
			guint code = 0;

			/* a number is never looked up in the text, where "2" or "9"
			 * would match by accident */
			if (!ub_card_parse_number(words[i], &code) ||
			    !ub_card_covers_code(self, code))
				return FALSE;
			continue;
		}
		folded = ub_card_fold(words[i]);
		if (folded == NULL || strstr(self->haystack, folded) == NULL)
			return FALSE;
	}
	return TRUE;
}
