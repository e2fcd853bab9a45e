/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-remediation"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ub-card-private.h"
#include "ub-error.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"

#define UB_REMEDIATION_RESOURCE RESOURCE_PATH "/remediation.json"

struct _UbRemediation {
	GObject parent_instance;
	GPtrArray *cards;  /* of UbCard, in list order */
	GHashTable *by_id; /* id -> UbCard, borrowed from cards */
};

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
	self->by_id = g_hash_table_new(g_str_hash, g_str_equal);
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
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) error_local = NULL;
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
	if (!json_parser_load_from_data(
		parser, data != NULL ? data : "", (gssize)size, &error_local)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "cards: not valid JSON: %s",
			    error_local->message);
		return NULL;
	}
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
		g_autoptr(UbCard) card = NULL;
		const gchar *id = NULL;

		card = _ub_card_new_from_json(json_array_get_element(cards, i), i, error);
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
		g_hash_table_insert(self->by_id, (gpointer)id, card);
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
	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);

	return g_hash_table_lookup(self->by_id, id);
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

/**
 * ub_remediation_search:
 * @self: a #UbRemediation
 * @query: what the user typed
 *
 * Returns: (transfer container) (element-type UbCard): the cards matching
 *   @query (see ub_card_matches()), in list order; all of them for an empty
 *   query
 */
GPtrArray *
ub_remediation_search(UbRemediation *self, const gchar *query)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_val_if_fail(UB_IS_REMEDIATION(self), NULL);
	g_return_val_if_fail(query != NULL, NULL);

	for (guint i = 0; i < self->cards->len; i++) {
		UbCard *card = g_ptr_array_index(self->cards, i);

		if (ub_card_matches(card, query))
			g_ptr_array_add(result, g_object_ref(card));
	}
	return g_steal_pointer(&result);
}
