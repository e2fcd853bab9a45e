/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-remediation"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-card-private.h"
#include "ub-error.h"
#include "ub-json.h"
#include "ub-remediation-private.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"
#include "ub-search-words.h"

#define UB_REMEDIATION_RESOURCE RESOURCE_PATH "/remediation.json"

/* the words of a query that count; the rest is chatter, and a bound keeps a
 * pasted page from costing much */
#define UB_REMEDIATION_QUERY_WORDS_MAX 32

/* what the search knows of one card */
typedef struct {
	UbCard *card; /* borrowed from cards */
	guint position;
	gchar *link_label; /* translated; NULL with link_uri when there is none */
	gchar *link_uri;
	GPtrArray *phrases; /* of GStrv: each keyword as its search words */
	GStrv title_words;  /* the title as search words */
	gchar *text;	    /* " word word … ": every text of the card as search words */
} UbRemediationEntry;

struct _UbRemediation {
	GObject parent_instance;
	GPtrArray *cards;   /* of UbCard, in list order */
	GPtrArray *entries; /* of UbRemediationEntry, in list order */
	GHashTable *by_id;  /* id -> UbRemediationEntry, borrowed from entries */
};

static void
ub_remediation_entry_free(UbRemediationEntry *entry)
{
	g_free(entry->link_label);
	g_free(entry->link_uri);
	g_ptr_array_unref(entry->phrases);
	g_strfreev(entry->title_words);
	g_free(entry->text);
	g_free(entry);
}

static void
ub_remediation_list_model_iface_init(GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbRemediation,
			      ub_remediation,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(G_TYPE_LIST_MODEL,
						    ub_remediation_list_model_iface_init))

static GType
ub_remediation_get_item_type(GListModel *model)
{
	return UB_TYPE_CARD;
}

static guint
ub_remediation_get_n_items(GListModel *model)
{
	UbRemediation *self = UB_REMEDIATION(model);

	return self->cards->len;
}

static gpointer
ub_remediation_get_item(GListModel *model, guint position)
{
	UbRemediation *self = UB_REMEDIATION(model);

	if (position >= self->cards->len)
		return NULL;
	return g_object_ref(g_ptr_array_index(self->cards, position));
}

static void
ub_remediation_list_model_iface_init(GListModelInterface *iface)
{
	iface->get_item_type = ub_remediation_get_item_type;
	iface->get_n_items = ub_remediation_get_n_items;
	iface->get_item = ub_remediation_get_item;
}

static void
ub_remediation_dispose(GObject *object)
{
	UbRemediation *self = UB_REMEDIATION(object);

	g_clear_pointer(&self->by_id, g_hash_table_unref);
	g_clear_pointer(&self->entries, g_ptr_array_unref);
	g_clear_pointer(&self->cards, g_ptr_array_unref);

	G_OBJECT_CLASS(ub_remediation_parent_class)->dispose(object);
}

static void
ub_remediation_class_init(UbRemediationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_remediation_dispose;
}

static void
ub_remediation_init(UbRemediation *self)
{
	self->cards = g_ptr_array_new_with_free_func(g_object_unref);
	self->entries = g_ptr_array_new_with_free_func((GDestroyNotify)ub_remediation_entry_free);
	self->by_id = g_hash_table_new(g_str_hash, g_str_equal);
}

/* what the search needs of @card; @keywords are the card's, untranslated:
 * they hold the words people copy from an error message or a forum, which
 * are English */
static UbRemediationEntry *
ub_remediation_entry_new(UbCard *card, guint position, JsonArray *keywords)
{
	UbRemediationEntry *entry = g_new0(UbRemediationEntry, 1);
	g_autoptr(GString) text = g_string_new(" ");
	g_autoptr(GArray) title = ub_search_words_split(ub_card_get_title(card), G_MAXUINT);
	g_autoptr(GStrvBuilder) title_words = g_strv_builder_new();
	const gchar *const *steps = ub_card_get_steps(card);

	entry->card = card;
	entry->position = position;
	entry->phrases = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

	for (guint i = 0; i < title->len; i++)
		g_strv_builder_add(title_words, g_array_index(title, UbSearchWord, i).word);
	entry->title_words = g_strv_builder_end(title_words);

	/* "usb-hub" gives "usb hub" */
	ub_search_words_append_text(text, ub_card_get_id(card));
	ub_search_words_append_text(text, ub_card_get_title(card));
	ub_search_words_append_text(text, ub_card_get_summary(card));
	for (guint i = 0; steps[i] != NULL; i++)
		ub_search_words_append_text(text, steps[i]);
	if (ub_card_get_next(card) != NULL)
		ub_search_words_append_text(text, ub_card_get_next(card));

	for (guint i = 0; keywords != NULL && i < json_array_get_length(keywords); i++) {
		const gchar *keyword = json_array_get_string_element(keywords, i);
		g_autoptr(GArray) words = ub_search_words_split(keyword, G_MAXUINT);
		g_auto(GStrv) phrase = ub_search_words_content(words);

		ub_search_words_append_text(text, keyword);
		if (phrase[0] != NULL)
			g_ptr_array_add(entry->phrases, g_steal_pointer(&phrase));
	}
	entry->text = g_string_free(g_steal_pointer(&text), FALSE);
	return entry;
}

static void
ub_remediation_set_link(UbRemediationEntry *entry, JsonNode *node)
{
	const gchar *label = NULL;
	const gchar *uri = NULL;
	const gchar *reason = NULL;

	/* a bad link costs the card its button, not the whole list */
	if (!_ub_remediation_read_link(node, &label, &uri, &reason)) {
		g_warning("card “%s”: link ignored: %s", ub_card_get_id(entry->card), reason);
		return;
	}
	entry->link_label = g_strdup(g_dgettext(GETTEXT_PACKAGE, label));
	entry->link_uri = g_strdup(uri);
}

/* each cause belongs to one card, or lookup_cause() would have to pick */
static gboolean
ub_remediation_check_causes(UbRemediation *self, GError **error)
{
	g_autoptr(GEnumClass) enum_class = g_type_class_ref(UB_TYPE_FAILURE_CAUSE);

	for (guint i = 0; i < enum_class->n_values; i++) {
		const GEnumValue *value = &enum_class->values[i];
		UbCard *owner = NULL;

		for (guint j = 0; j < self->cards->len; j++) {
			UbCard *card = g_ptr_array_index(self->cards, j);

			if (!ub_card_covers_cause(card, (UbFailureCause)value->value))
				continue;
			if (owner != NULL) {
				g_set_error(error,
					    UB_ERROR,
					    UB_ERROR_INVALID_DATA,
					    "card “%s”: cause “%s” is already on card “%s”",
					    ub_card_get_id(card),
					    value->value_nick,
					    ub_card_get_id(owner));
				return FALSE;
			}
			owner = card;
		}
	}
	return TRUE;
}

/**
 * ub_remediation_new_from_bytes:
 * @json: the cards, in the format of data/remediation.json
 * @error: a #GError, or %NULL
 *
 * Reads and checks a list of cards: ids unique, every card with a title, a
 * summary and steps, codes that are numbers or ranges, known failure causes,
 * each cause on one card at most.
 *
 * Returns: (transfer full): the cards, or %NULL with %UB_ERROR_INVALID_DATA
 *   naming the card at fault
 */
UbRemediation *
ub_remediation_new_from_bytes(GBytes *json, GError **error)
{
	g_autoptr(UbRemediation) self = NULL;
	/* mutable: each card's link is taken out before UbCard reads it */
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GList) members = NULL;
	JsonNode *root = NULL;
	JsonNode *cards_node = NULL;
	JsonArray *cards = NULL;
	gsize size = 0;
	const gchar *data = NULL;

	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	data = g_bytes_get_data(json, &size);
	if (size > G_MAXSSIZE) {
		g_set_error_literal(error, UB_ERROR, UB_ERROR_INVALID_DATA, "cards: too large");
		return NULL;
	}
	parser = ub_json_parse_checked(data, (gssize)size, "cards", error);
	if (parser == NULL)
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "cards: the top level is not an object");
		return NULL;
	}
	members = json_object_get_members(json_node_get_object(root));
	for (GList *l = members; l != NULL; l = l->next) {
		if (g_strcmp0(l->data, "cards") != 0) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "cards: unknown member “%s”",
				    (const gchar *)l->data);
			return NULL;
		}
	}
	cards_node = json_object_get_member(json_node_get_object(root), "cards");
	if (cards_node == NULL || !JSON_NODE_HOLDS_ARRAY(cards_node)) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "cards: “cards” is missing or not a list");
		return NULL;
	}
	cards = json_node_get_array(cards_node);

	self = g_object_new(UB_TYPE_REMEDIATION, NULL);
	for (guint i = 0; i < json_array_get_length(cards); i++) {
		JsonNode *node = json_array_get_element(cards, i);
		g_autoptr(UbCard) card = NULL;
		g_autoptr(JsonNode) link = NULL;
		UbRemediationEntry *entry = NULL;
		JsonArray *keywords = NULL;
		const gchar *id = NULL;

		if (JSON_NODE_HOLDS_OBJECT(node)) {
			JsonObject *object = json_node_get_object(node);

			if (json_object_has_member(object, "link")) {
				link = json_node_ref(json_object_get_member(object, "link"));
				json_object_remove_member(object, "link");
			}
		}
		card = _ub_card_new_from_json(node, i, error);
		if (card == NULL)
			return NULL;
		id = ub_card_get_id(card);
		if (g_hash_table_contains(self->by_id, id)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "card “%s”: the id is used by an earlier card",
				    id);
			return NULL;
		}
		/* UbCard has checked them: absent, or a list of strings */
		if (json_object_has_member(json_node_get_object(node), "keywords"))
			keywords =
			    json_object_get_array_member(json_node_get_object(node), "keywords");
		entry = ub_remediation_entry_new(card, i, keywords);
		if (link != NULL)
			ub_remediation_set_link(entry, link);
		g_hash_table_insert(self->by_id, (gpointer)id, entry);
		g_ptr_array_add(self->entries, entry);
		g_ptr_array_add(self->cards, g_steal_pointer(&card));
	}
	if (!ub_remediation_check_causes(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

static gpointer
ub_remediation_load_default(gpointer user_data)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	UbRemediation *remediation = NULL;

	bytes =
	    g_resources_lookup_data(UB_REMEDIATION_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	if (bytes != NULL)
		remediation = ub_remediation_new_from_bytes(bytes, &error);
	if (remediation == NULL) {
		/* the bundled cards are checked by test-remediation, so this is a
		 * broken build; an empty list keeps the app usable */
		g_critical("failed to load the bundled remediation cards: %s", error->message);
		remediation = g_object_new(UB_TYPE_REMEDIATION, NULL);
	}
	return remediation;
}

/**
 * ub_remediation_get_default:
 *
 * The bundled cards, read from the resource once, from any thread.
 *
 * Returns: (transfer none): the cards, alive until the process ends
 */
UbRemediation *
ub_remediation_get_default(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, ub_remediation_load_default, NULL);
	return once.retval;
}

/**
 * ub_remediation_lookup:
 * @self: a #UbRemediation
 * @id: a card id such as %UB_CARD_USB_CONNECTION
 *
 * Returns: (transfer none) (nullable): the card, or %NULL when there is none
 */
UbCard *
ub_remediation_lookup(UbRemediation *self, const gchar *id)
{
	UbRemediationEntry *entry = NULL;

	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);

	entry = g_hash_table_lookup(self->by_id, id);
	return entry != NULL ? entry->card : NULL;
}

/**
 * ub_remediation_get_link:
 * @self: a #UbRemediation
 * @card: one of its cards
 * @label: (out) (optional) (transfer none): the button's text, translated
 * @uri: (out) (optional) (transfer none): the address, https on apple.com
 *
 * Returns: %TRUE when @card links to a page of Apple's about its problem
 */
gboolean
ub_remediation_get_link(UbRemediation *self, UbCard *card, const gchar **label, const gchar **uri)
{
	UbRemediationEntry *entry = NULL;

	g_return_val_if_fail(UB_IS_REMEDIATION(self), FALSE);
	g_return_val_if_fail(UB_IS_CARD(card), FALSE);

	entry = g_hash_table_lookup(self->by_id, ub_card_get_id(card));
	if (entry == NULL || entry->card != card || entry->link_uri == NULL)
		return FALSE;
	if (label != NULL)
		*label = entry->link_label;
	if (uri != NULL)
		*uri = entry->link_uri;
	return TRUE;
}

static UbCard *
ub_remediation_find_cause(UbRemediation *self, UbFailureCause cause)
{
	for (guint i = 0; i < self->cards->len; i++) {
		UbCard *card = g_ptr_array_index(self->cards, i);

		if (ub_card_covers_cause(card, cause))
			return card;
	}
	return NULL;
}

/**
 * ub_remediation_lookup_cause:
 * @self: a #UbRemediation
 * @cause: why a restore failed
 *
 * The bundled cards have one card for every cause. For other lists, a cause
 * without a card falls back to the card of %UB_FAILURE_CAUSE_UNKNOWN.
 *
 * Returns: (transfer none) (nullable): the card explaining @cause
 */
UbCard *
ub_remediation_lookup_cause(UbRemediation *self, UbFailureCause cause)
{
	UbCard *card = NULL;

	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);

	card = ub_remediation_find_cause(self, cause);
	if (card == NULL)
		card = ub_remediation_find_cause(self, UB_FAILURE_CAUSE_UNKNOWN);
	return card;
}

static gint
ub_remediation_compare_specific(gconstpointer a, gconstpointer b)
{
	UbCard *card_a = *(UbCard *const *)a;
	UbCard *card_b = *(UbCard *const *)b;
	guint n_a = _ub_card_get_n_codes(card_a);
	guint n_b = _ub_card_get_n_codes(card_b);

	return n_a < n_b ? -1 : n_a > n_b ? 1 : 0;
}

/**
 * ub_remediation_find_code:
 * @self: a #UbRemediation
 * @code: an error number from Apple's tools
 *
 * The cards covering @code, the most specific first: the card covering the
 * fewest codes leads; cards covering as many keep their list order.
 *
 * Returns: (transfer container) (element-type UbCard): the cards, maybe none
 */
GPtrArray *
ub_remediation_find_code(UbRemediation *self, guint code)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);

	for (guint i = 0; i < self->cards->len; i++) {
		UbCard *card = g_ptr_array_index(self->cards, i);

		if (ub_card_covers_code(card, code))
			g_ptr_array_add(result, g_object_ref(card));
	}
	/* g_ptr_array_sort() is stable, which keeps list order among ties */
	g_ptr_array_sort(result, ub_remediation_compare_specific);
	return g_steal_pointer(&result);
}

typedef struct {
	UbRemediationEntry *entry;
	guint score;	      /* 0: not a match */
	gboolean keyword;     /* a keyword of the card is in the query */
	gboolean whole_query; /* one keyword holds every word of the query */
} UbSearchHit;

/* ties keep the more specific card first for an error number, then list
 * order, so the same query always gives the same list */
static gint
ub_remediation_compare_hits(gconstpointer a, gconstpointer b, gpointer user_data)
{
	const UbSearchHit *hit_a = a;
	const UbSearchHit *hit_b = b;
	gboolean has_codes = GPOINTER_TO_INT(user_data);

	if (hit_a->score != hit_b->score)
		return hit_a->score > hit_b->score ? -1 : 1;
	if (has_codes) {
		guint n_a = _ub_card_get_n_codes(hit_a->entry->card);
		guint n_b = _ub_card_get_n_codes(hit_b->entry->card);

		if (n_a != n_b)
			return n_a < n_b ? -1 : 1;
	}
	if (hit_a->entry->position != hit_b->entry->position)
		return hit_a->entry->position < hit_b->entry->position ? -1 : 1;
	return 0;
}

/* how well @hit's card answers @words (the query's content words, at most
 * 32); a score of 0 when it does not:
 *
 * - every word is somewhere in the card, at the start of one of its words
 *   ("connect" finds "connection"), or a keyword of at least two words is
 *   all in the query: "my iPhone fell in the pool, water damage?" is found
 *   by "water damage" whatever else it says; with an error number
 *   (@has_codes) the number has chosen the cards and words only rank them;
 * - the longest keyword met counts most, then how many words keywords
 *   cover, then the words in the title, then the words anywhere */
static void
ub_remediation_score(UbSearchHit *hit, const gchar *const *words, gboolean has_codes)
{
	UbRemediationEntry *entry = hit->entry;
	guint n_words = g_strv_length((gchar **)words);
	guint32 all = n_words < 32 ? (1u << n_words) - 1 : G_MAXUINT32;
	guint longest = 0;
	guint32 covered = 0;
	guint n_covered = 0;
	guint n_title = 0;
	guint n_found = 0;

	for (guint i = 0; i < entry->phrases->len; i++) {
		const gchar *const *phrase = g_ptr_array_index(entry->phrases, i);
		guint32 mask = 0;
		guint length = 0;

		for (; phrase[length] != NULL; length++) {
			guint j = 0;

			while (j < n_words && g_strcmp0(words[j], phrase[length]) != 0)
				j++;
			if (j == n_words)
				break;
			mask |= 1u << j;
		}
		if (phrase[length] != NULL)
			continue;
		longest = MAX(longest, length);
		covered |= mask;
		if (mask == all)
			hit->whole_query = TRUE;
	}
	for (guint j = 0; j < n_words; j++) {
		g_autofree gchar *needle = g_strconcat(" ", words[j], NULL);

		if ((covered & (1u << j)) != 0)
			n_covered++;
		if (g_strv_contains((const gchar *const *)entry->title_words, words[j]))
			n_title++;
		if (strstr(entry->text, needle) != NULL)
			n_found++;
	}
	if (n_found < n_words && longest < 2 && !has_codes)
		return;
	hit->keyword = longest > 0;
	/* + 1: a card that matches always scores, even an all-numbers query */
	hit->score = longest * 1000000 + n_covered * 10000 + n_title * 100 + n_found + 1;
}

/**
 * ub_remediation_search:
 * @self: a #UbRemediation
 * @query: what the user typed: a symptom, words from an error message, or
 *   Apple's error numbers ("4013", "error 1604")
 *
 * The query is read loosely: case, accents and apostrophes don't matter,
 * small words such as "my", "the" and "iPhone" are left out, and a number
 * after "iPhone" or "iOS" is its model or version. Every other number must
 * be an error the card covers. Then the cards are ranked by how well their
 * keywords and texts answer the words, the best first; among equals, for an
 * error number the card covering the fewest codes leads, then list order.
 * When a card has a keyword saying all the query says, the cards without
 * any keyword in the query are left out.
 *
 * Returns: (transfer container) (element-type UbCard): the cards matching
 *   @query, the best first; all of them in list order for an empty query;
 *   none when @query is not UTF-8
 */
GPtrArray *
ub_remediation_search(UbRemediation *self, const gchar *query)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GArray) words = NULL;
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(UbSearchHit));
	g_autoptr(GArray) codes = g_array_new(FALSE, FALSE, sizeof(guint));
	g_auto(GStrv) content = NULL;
	gboolean whole_query = FALSE;

	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);
	g_return_val_if_fail(query != NULL, NULL);

	if (!g_utf8_validate(query, -1, NULL))
		return g_steal_pointer(&result);
	words = ub_search_words_split(query, UB_REMEDIATION_QUERY_WORDS_MAX);
	if (words->len == 0) {
		g_autofree gchar *trimmed = g_strstrip(g_strdup(query));

		/* nothing typed yet: every card; only punctuation: none */
		if (trimmed[0] == '\0') {
			for (guint i = 0; i < self->cards->len; i++)
				g_ptr_array_add(result,
						g_object_ref(g_ptr_array_index(self->cards, i)));
		}
		return g_steal_pointer(&result);
	}
	for (guint i = 0; i < words->len; i++) {
		UbSearchWord *word = &g_array_index(words, UbSearchWord, i);
		guint64 code = 0;
		guint value = 0;

		if (word->kind != UB_SEARCH_WORD_NUMBER)
			continue;
		/* a number is never looked up in the text, where "2" or "9" would
		 * match by accident; one too long for any code matches nothing */
		if (strlen(word->word) > 9 ||
		    !g_ascii_string_to_unsigned(word->word, 10, 0, G_MAXUINT, &code, NULL))
			return g_steal_pointer(&result);
		value = (guint)code;
		g_array_append_val(codes, value);
	}
	content = ub_search_words_content(words);

	for (guint i = 0; i < self->entries->len; i++) {
		UbRemediationEntry *entry = g_ptr_array_index(self->entries, i);
		UbSearchHit hit = {entry, 0, FALSE, FALSE};
		gboolean covers = TRUE;

		for (guint j = 0; j < codes->len && covers; j++)
			covers = ub_card_covers_code(entry->card, g_array_index(codes, guint, j));
		if (!covers)
			continue;
		ub_remediation_score(&hit, (const gchar *const *)content, codes->len > 0);
		if (hit.score == 0)
			continue;
		whole_query |= hit.whole_query;
		g_array_append_val(hits, hit);
	}
	/* when a keyword says all the query says ("won't turn on"), cards that
	 * only happen to use its words ("Turn off a VPN", "doesn't") are noise */
	for (guint i = hits->len; whole_query && i > 0; i--) {
		if (!g_array_index(hits, UbSearchHit, i - 1).keyword)
			g_array_remove_index(hits, i - 1);
	}
	g_array_sort_with_data(hits, ub_remediation_compare_hits, GINT_TO_POINTER(codes->len > 0));
	for (guint i = 0; i < hits->len; i++)
		g_ptr_array_add(result,
				g_object_ref(g_array_index(hits, UbSearchHit, i).entry->card));
	return g_steal_pointer(&result);
}
