/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-remediation-strings.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"
#include "ub-test.h"

#define REMEDIATION_RESOURCE "/io/github/unbrick/Unbrick/remediation.json"

/* every id other layers may ask for */
static const gchar *const card_ids[] = {
    UB_CARD_USB_CONNECTION,
    UB_CARD_USB_PERMISSION,
    UB_CARD_USBMUXD,
    UB_CARD_FLATPAK_HOST,
    UB_CARD_USB_HUB,
    UB_CARD_SIGNING_SERVER,
    UB_CARD_SIGNING_REFUSED,
    UB_CARD_SECURITY_SOFTWARE,
    UB_CARD_HARDWARE,
    UB_CARD_BASEBAND,
    UB_CARD_FDR,
    UB_CARD_STORAGE,
    UB_CARD_PERSONALIZATION,
    UB_CARD_ENGINE_OUTDATED,
    UB_CARD_ENGINE_MISSING,
    UB_CARD_FIRMWARE_INVALID,
    UB_CARD_DISK_SPACE,
    UB_CARD_NO_NETWORK,
    UB_CARD_DOWNLOAD,
    UB_CARD_ON_BATTERY,
    UB_CARD_BACKUP,
    UB_CARD_CANCELLED,
    UB_CARD_UNKNOWN,
    UB_CARD_NOT_DETECTED,
    UB_CARD_STALLED,
    UB_CARD_REPEATED,
    UB_CARD_DFU_RESTORE,
    UB_CARD_OTHER_COMPUTER,
    UB_CARD_SERVICE,
};

/* the cards that start from what people see; only the search leads to them,
 * so they have no UB_CARD_ names */
static const gchar *const symptom_card_ids[] = {
    "stuck-on-logo",
    "recovery-screen",
    "black-screen",
    "activation-lock",
    "liquid-damage",
};

/* Apple's codes the cards must explain, from reference/error-codes.md as the
 * issue lists them; written out here so that an edit to remediation.json
 * cannot quietly drop one */
typedef struct {
	guint first;
	guint last;
} CodeRange;

static const CodeRange required_codes[] = {
    /* USB */
    {9, 9},
    {13, 14},
    {1600, 1604},
    {1611, 1611},
    {1643, 1650},
    {2000, 2002},
    {2005, 2006},
    {2009, 2009},
    {4005, 4005},
    {4013, 4014},
    {4016, 4016},
    /* signing and Apple's servers */
    {17, 17},
    {1638, 1638},
    {3014, 3014},
    {3194, 3194},
    {3000, 3000},
    {3002, 3002},
    {3004, 3004},
    {3013, 3013},
    {3015, 3015},
    {3200, 3200},
    {1013, 1015},
    /* security software */
    {2, 2},
    {4, 4},
    {6, 6},
    {9006, 9006},
    /* hardware */
    {1, 1},
    {3, 3},
    {10, 12},
    {16, 16},
    {20, 40},
    {53, 53},
    {56, 56},
    {1002, 1014},
    {1667, 1667},
    {1669, 1669},
};

static GBytes *
load_bundled_json(void)
{
	g_autoptr(GError) error = NULL;
	GBytes *bytes =
	    g_resources_lookup_data(REMEDIATION_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

	g_assert_no_error(error);
	g_assert_nonnull(bytes);
	return bytes;
}

static JsonArray *
bundled_cards_json(JsonParser *parser)
{
	g_autoptr(GBytes) bytes = load_bundled_json();
	g_autoptr(GError) error = NULL;
	gsize size = 0;
	const gchar *data = g_bytes_get_data(bytes, &size);

	json_parser_load_from_data(parser, data, (gssize)size, &error);
	g_assert_no_error(error);
	return json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)),
					    "cards");
}

static const gchar *
first_id(GPtrArray *cards)
{
	g_assert_cmpuint(cards->len, >, 0);
	return ub_card_get_id(g_ptr_array_index(cards, 0));
}

static gboolean
contains_id(GPtrArray *cards, const gchar *id)
{
	for (guint i = 0; i < cards->len; i++) {
		if (g_strcmp0(ub_card_get_id(g_ptr_array_index(cards, i)), id) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
remediation_bundled_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonArray *cards = bundled_cards_json(parser);
	guint n_codes = 0;

	g_assert_nonnull(remediation);
	/* loaded once: the same object each time */
	g_assert_true(ub_remediation_get_default() == remediation);
	g_assert_cmpuint(
	    g_list_model_get_n_items(G_LIST_MODEL(remediation)), ==, json_array_get_length(cards));

	for (guint i = 0; i < G_N_ELEMENTS(card_ids); i++) {
		UbCard *card = ub_remediation_lookup(remediation, card_ids[i]);
		const gchar *const *steps = NULL;

		g_assert_nonnull(card);
		g_assert_cmpstr(ub_card_get_id(card), ==, card_ids[i]);
		g_assert_cmpstr(ub_card_get_title(card), !=, "");
		g_assert_cmpstr(ub_card_get_summary(card), !=, "");
		steps = ub_card_get_steps(card);
		g_assert_nonnull(steps);
		g_assert_nonnull(steps[0]);
	}
	g_assert_null(ub_remediation_lookup(remediation, "no-such-card"));

	/* the Troubleshooting page lists the most common problem first */
	{
		g_autoptr(UbCard) first = g_list_model_get_item(G_LIST_MODEL(remediation), 0);
		g_assert_cmpstr(ub_card_get_id(first), ==, UB_CARD_USB_CONNECTION);
	}

	for (guint i = 0; i < G_N_ELEMENTS(required_codes); i++)
		n_codes += required_codes[i].last - required_codes[i].first + 1;
	g_test_message("%u cards, %u required codes",
		       g_list_model_get_n_items(G_LIST_MODEL(remediation)),
		       n_codes);
}

static void
remediation_causes_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	g_autoptr(GEnumClass) enum_class = g_type_class_ref(UB_TYPE_FAILURE_CAUSE);

	for (guint i = 0; i < enum_class->n_values; i++) {
		UbFailureCause cause = (UbFailureCause)enum_class->values[i].value;
		UbCard *card = ub_remediation_lookup_cause(remediation, cause);
		guint n_owners = 0;

		g_assert_nonnull(card);
		/* a real card for the cause, not the fallback */
		g_assert_true(ub_card_covers_cause(card, cause));
		for (guint j = 0; j < g_list_model_get_n_items(G_LIST_MODEL(remediation)); j++) {
			g_autoptr(UbCard) other =
			    g_list_model_get_item(G_LIST_MODEL(remediation), j);
			if (ub_card_covers_cause(other, cause))
				n_owners++;
		}
		g_assert_cmpuint(n_owners, ==, 1);
	}

	/* the cause ids and the card ids line up where the names say so */
	g_assert_cmpstr(ub_card_get_id(ub_remediation_lookup_cause(
			    remediation, UB_FAILURE_CAUSE_USB_CONNECTION)),
			==,
			UB_CARD_USB_CONNECTION);
	g_assert_cmpstr(ub_card_get_id(ub_remediation_lookup_cause(
			    remediation, UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE)),
			==,
			UB_CARD_USBMUXD);
	g_assert_cmpstr(ub_card_get_id(ub_remediation_lookup_cause(
			    remediation, UB_FAILURE_CAUSE_SIGNING_UNREACHABLE)),
			==,
			UB_CARD_SIGNING_SERVER);
	g_assert_cmpstr(
	    ub_card_get_id(ub_remediation_lookup_cause(remediation, UB_FAILURE_CAUSE_UNKNOWN)),
	    ==,
	    UB_CARD_UNKNOWN);
}

static void
remediation_codes_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	g_autoptr(GPtrArray) usb = NULL;
	g_autoptr(GPtrArray) signing = NULL;
	g_autoptr(GPtrArray) touch_id = NULL;
	g_autoptr(GPtrArray) unknown = NULL;
	g_autoptr(GPtrArray) security = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(required_codes); i++) {
		for (guint code = required_codes[i].first; code <= required_codes[i].last; code++) {
			g_autoptr(GPtrArray) cards = ub_remediation_find_code(remediation, code);

			if (cards->len == 0)
				g_error("no card covers error %u", code);
			for (guint j = 0; j < cards->len; j++)
				g_assert_true(
				    ub_card_covers_code(g_ptr_array_index(cards, j), code));
		}
	}

	usb = ub_remediation_find_code(remediation, 4013);
	g_assert_cmpstr(first_id(usb), ==, UB_CARD_USB_CONNECTION);

	signing = ub_remediation_find_code(remediation, 3194);
	g_assert_true(g_strcmp0(first_id(signing), UB_CARD_SIGNING_REFUSED) == 0 ||
		      g_strcmp0(first_id(signing), UB_CARD_SIGNING_SERVER) == 0);
	/* the card for that one code is more specific than the server group */
	g_assert_cmpstr(first_id(signing), ==, UB_CARD_SIGNING_REFUSED);
	g_assert_true(contains_id(signing, UB_CARD_SIGNING_SERVER));

	touch_id = ub_remediation_find_code(remediation, 53);
	g_assert_cmpstr(first_id(touch_id), ==, UB_CARD_HARDWARE);

	/* on the USB and the security lists: security has fewer codes */
	security = ub_remediation_find_code(remediation, 1611);
	g_assert_cmpuint(security->len, ==, 2);
	g_assert_cmpstr(first_id(security), ==, UB_CARD_SECURITY_SOFTWARE);
	g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(security, 1)), ==, UB_CARD_USB_CONNECTION);

	/* not in any source: no card made up for it */
	unknown = ub_remediation_find_code(remediation, 1110);
	g_assert_cmpuint(unknown->len, ==, 0);
}

static void
assert_search(const gchar *query, const gchar *expected_id, gboolean expected)
{
	g_autoptr(GPtrArray) cards = ub_remediation_search(ub_remediation_get_default(), query);

	g_assert_cmpint(contains_id(cards, expected_id), ==, expected);
}

static void
remediation_search_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	UbCard *usb = ub_remediation_lookup(remediation, UB_CARD_USB_CONNECTION);
	UbCard *hub = ub_remediation_lookup(remediation, UB_CARD_USB_HUB);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) none = NULL;
	g_autoptr(GPtrArray) number = NULL;
	guint n_items = g_list_model_get_n_items(G_LIST_MODEL(remediation));

	assert_search("4013", UB_CARD_USB_CONNECTION, TRUE);
	assert_search(" 4013 ", UB_CARD_USB_CONNECTION, TRUE);
	assert_search("cable", UB_CARD_USB_CONNECTION, TRUE);
	assert_search("CABLE port", UB_CARD_USB_CONNECTION, TRUE);
	assert_search("Cable  PORT", UB_CARD_USB_HUB, TRUE);
	/* every word must match */
	assert_search("cable zzzz", UB_CARD_USB_CONNECTION, FALSE);
	/* words from the id and the keywords, not shown on the card */
	assert_search("usbmuxd", UB_CARD_USBMUXD, TRUE);
	assert_search("udev", UB_CARD_USB_PERMISSION, TRUE);
	assert_search("error 4013", UB_CARD_USB_CONNECTION, TRUE);
	assert_search("4013, 4014", UB_CARD_USB_CONNECTION, TRUE);
	assert_search("dfu", UB_CARD_DFU_RESTORE, TRUE);

	/* a number is a code, never text: no card says "4013" in words */
	number = ub_remediation_search(remediation, "4013");
	for (guint i = 0; i < number->len; i++)
		g_assert_true(ub_card_covers_code(g_ptr_array_index(number, i), 4013));
	g_assert_false(ub_card_matches(hub, "4013"));
	g_assert_false(ub_card_matches(usb, "99999999999999999999"));

	all = ub_remediation_search(remediation, "");
	g_assert_cmpuint(all->len, ==, n_items);
	g_clear_pointer(&all, g_ptr_array_unref);
	all = ub_remediation_search(remediation, "   ");
	g_assert_cmpuint(all->len, ==, n_items);

	none = ub_remediation_search(remediation, "zzzz");
	g_assert_cmpuint(none->len, ==, 0);

	g_assert_true(ub_card_matches(usb, ""));
	g_assert_true(ub_card_matches(usb, "LOST"));
	g_assert_false(ub_card_matches(usb, "\xff\xfe"));
}

typedef struct {
	const gchar *query;
	const gchar *first_id; /* the card the search must put first */
} SymptomCase;

/* what people type, as they type it, and the card it must lead to */
static const SymptomCase symptom_cases[] = {
    /* stuck on the logo, or restarting: an Update first */
    {"stuck on apple logo", "stuck-on-logo"},
    {"Stuck on the Apple logo", "stuck-on-logo"},
    {"STUCK ON APPLE LOGO!!!", "stuck-on-logo"},
    {"my iphone is stuck on the apple logo", "stuck-on-logo"},
    {"My iPhone 13 Pro is stuck on the Apple logo", "stuck-on-logo"},
    {"iphone stuck at apple logo after updating to ios 17.2", "stuck-on-logo"},
    {"frozen on the apple logo", "stuck-on-logo"},
    {"boot loop", "stuck-on-logo"},
    {"bootloop", "stuck-on-logo"},
    {"boot-loop", "stuck-on-logo"},
    {"iPad keeps restarting", "stuck-on-logo"},
    {"keeps rebooting over and over", "stuck-on-logo"},
    {"won't boot", "stuck-on-logo"},
    {"stuck", "stuck-on-logo"},
    /* the Recovery Mode screen */
    {"stuck on restore screen", "recovery-screen"},
    {"support.apple.com/iphone/restore", "recovery-screen"},
    {"https://support.apple.com/iphone/restore", "recovery-screen"},
    {"screen says support.apple.com/ipad/restore", "recovery-screen"},
    {"computer and cable on the screen", "recovery-screen"},
    {"stuck in recovery mode", "recovery-screen"},
    /* nothing on the screen: charge and force restart first */
    {"black screen", "black-screen"},
    {"Black Screen", "black-screen"},
    {"won't turn on", "black-screen"},
    {"won’t turn on", "black-screen"},
    {"wont turn on", "black-screen"},
    {"WON’T TURN ON", "black-screen"},
    {"my ipad will not turn on", "black-screen"},
    {"iphone doesn't turn on", "black-screen"},
    {"screen is black", "black-screen"},
    {"frozen", "black-screen"},
    {"screen frozen, not responding", "black-screen"},
    {"won't charge", "black-screen"},
    {"not charging", "black-screen"},
    {"my phone is dead", "black-screen"},
    /* Activation Lock */
    {"activation lock", "activation-lock"},
    {"Activation Lock", "activation-lock"},
    {"activation-lock", "activation-lock"},
    {"iPhone Locked to Owner", "activation-lock"},
    {"icloud locked", "activation-lock"},
    {"asks for the previous owner's apple id", "activation-lock"},
    {"bought a used iphone, asks for apple account", "activation-lock"},
    /* liquid and drops */
    {"dropped in water", "liquid-damage"},
    {"I dropped my iPhone in water", "liquid-damage"},
    {"water damage", "liquid-damage"},
    {"water-damaged", "liquid-damage"},
    {"liquid detected", "liquid-damage"},
    {"got wet", "liquid-damage"},
    {"fell in the pool", "liquid-damage"},
    {"dropped", "liquid-damage"},
    {"I dropped it", "liquid-damage"},
    {"cracked", "liquid-damage"},
    {"cracked screen", "liquid-damage"},
    {"screen is cracked", "liquid-damage"},
    /* what the Troubleshooting window's suggestions search for */
    {"stuck on the Apple logo", "stuck-on-logo"},
    {"liquid or drop damage", "liquid-damage"},
    /* words from error messages still lead where they did */
    {"cable", UB_CARD_USB_CONNECTION},
    {"usbmuxd", UB_CARD_USBMUXD},
    {"hub", UB_CARD_USB_HUB},
    {"not detected", UB_CARD_NOT_DETECTED},
    {"doesn't show up", UB_CARD_NOT_DETECTED},
    {"dfu", UB_CARD_DFU_RESTORE},
    {"repair", UB_CARD_SERVICE},
    {"genius bar", UB_CARD_SERVICE},
    /* error numbers, alone or in words: the most specific card first */
    {"4013", UB_CARD_USB_CONNECTION},
    {"error 4013", UB_CARD_USB_CONNECTION},
    {"iTunes error 4013", UB_CARD_USB_CONNECTION},
    {"Error 9", UB_CARD_USB_CONNECTION},
    {"1602", UB_CARD_USB_CONNECTION},
    {"1600-1604", UB_CARD_USB_CONNECTION},
    {"4013, 4014", UB_CARD_USB_CONNECTION},
    {"3194", UB_CARD_SIGNING_REFUSED},
    {"1611", UB_CARD_SECURITY_SOFTWARE},
    {"53", UB_CARD_HARDWARE},
    {"1005", UB_CARD_STORAGE},
    {"3014", UB_CARD_SIGNING_SERVER},
    /* a model number is not an error number */
    {"iphone 12 error 4013", UB_CARD_USB_CONNECTION},
};

static gchar *
search_ids(const gchar *query)
{
	g_autoptr(GPtrArray) cards = ub_remediation_search(ub_remediation_get_default(), query);
	g_autoptr(GString) ids = g_string_new(NULL);

	for (guint i = 0; i < cards->len; i++)
		g_string_append_printf(
		    ids, "%s%s", i > 0 ? " " : "", ub_card_get_id(g_ptr_array_index(cards, i)));
	return g_string_free(g_steal_pointer(&ids), FALSE);
}

static void
remediation_symptoms_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(symptom_cases); i++) {
		g_autofree gchar *ids = search_ids(symptom_cases[i].query);
		g_autofree gchar *again = search_ids(symptom_cases[i].query);
		g_auto(GStrv) first = g_strsplit(ids, " ", 2);

		g_test_message("“%s”: %s", symptom_cases[i].query, ids);
		if (first[0] == NULL || g_strcmp0(first[0], symptom_cases[i].first_id) != 0)
			g_error("“%s” should lead to %s, not: %s",
				symptom_cases[i].query,
				symptom_cases[i].first_id,
				ids);
		/* the same query, the same list */
		g_assert_cmpstr(ids, ==, again);
	}
}

/* the second card says what comes after the first */
static void
remediation_symptom_order_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	g_autoptr(GPtrArray) black = ub_remediation_search(remediation, "black screen");
	g_autoptr(GPtrArray) logo = ub_remediation_search(remediation, "stuck on apple logo");
	g_autoptr(GPtrArray) security = ub_remediation_search(remediation, "1611");
	g_autoptr(GPtrArray) junk = ub_remediation_search(remediation, "?!");
	g_autoptr(GPtrArray) long_number = ub_remediation_search(remediation, "stuck 99999999999");
	UbCard *logo_card = ub_remediation_lookup(remediation, "stuck-on-logo");
	const gchar *const *steps = ub_card_get_steps(logo_card);

	/* force restart and charge first, then the DFU restore */
	g_assert_cmpuint(black->len, >=, 2);
	g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(black, 1)), ==, UB_CARD_DFU_RESTORE);
	/* a restore that stalls on the logo comes after the logo itself */
	g_assert_true(contains_id(logo, UB_CARD_STALLED));
	/* the logo card's ladder: force restart, Update, then Restore */
	g_assert_nonnull(strstr(steps[0], "Force restart"));
	g_assert_nonnull(strstr(steps[2], "Update"));
	g_assert_nonnull(strstr(steps[3], "Restore"));
	/* as find_code() orders them */
	g_assert_cmpuint(security->len, ==, 2);
	g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(security, 1)), ==, UB_CARD_USB_CONNECTION);
	g_assert_cmpuint(junk->len, ==, 0);
	g_assert_cmpuint(long_number->len, ==, 0);
}

typedef struct {
	const gchar *uri;
	gboolean allowed;
} LinkUriCase;

static void
remediation_link_uri_func(void)
{
	g_autofree gchar *path = g_strnfill(600, 'a');
	g_autofree gchar *too_long = g_strconcat("https://support.apple.com/", path, NULL);
	const LinkUriCase cases[] = {
	    {"https://support.apple.com/en-us/108794", TRUE},
	    {"https://support.apple.com/repair", TRUE},
	    {"https://apple.com", TRUE},
	    {"https://support.apple.com:443/repair", TRUE},
	    {"https://Support.Apple.com/repair", TRUE},
	    {"https://getsupport.apple.com/?caller=unbrick", TRUE},
	    {"http://support.apple.com/repair", FALSE},
	    {"javascript:alert(1)", FALSE},
	    {"JavaScript:alert(document.cookie)//https://apple.com", FALSE},
	    {"data:text/html,<script>alert(1)</script>", FALSE},
	    {"file:///etc/passwd", FALSE},
	    {"ftp://apple.com/", FALSE},
	    {"https://example.com/", FALSE},
	    {"https://evilapple.com/", FALSE},
	    {"https://apple.com.example.com/", FALSE},
	    {"https://support.apple.com@example.com/", FALSE},
	    {"https://@support.apple.com/", FALSE},
	    {"https://support.apple.com\\@example.com/", FALSE},
	    {"https://support.apple.com:8443/", FALSE},
	    {"https://%61pple.com/", FALSE},
	    {"https://apple.com./", FALSE},
	    {"https://.apple.com/", FALSE},
	    {"https://support..apple.com/", FALSE},
	    {"https://[::1]/", FALSE},
	    {"https:///repair", FALSE},
	    {"//support.apple.com/repair", FALSE},
	    {"support.apple.com/repair", FALSE},
	    {"https://support.apple.com/a b", FALSE},
	    {"https://support.apple.com/\n", FALSE},
	    {"https://support.apple.com/\xe2\x80\xae", FALSE},
	    {"https://xn--pple-43d.com/", FALSE},
	    {"", FALSE},
	    {too_long, FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (ub_remediation_link_uri_is_allowed(cases[i].uri) != cases[i].allowed)
			g_error("“%s” should be %s",
				cases[i].uri,
				cases[i].allowed ? "allowed" : "refused");
	}
}

static GBytes *
card_with_link(JsonNode *link)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	gsize length = 0;
	gchar *data = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "cards");
	json_builder_begin_array(builder);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "id");
	json_builder_add_string_value(builder, "a");
	json_builder_set_member_name(builder, "title");
	json_builder_add_string_value(builder, "T");
	json_builder_set_member_name(builder, "summary");
	json_builder_add_string_value(builder, "S");
	json_builder_set_member_name(builder, "steps");
	json_builder_begin_array(builder);
	json_builder_add_string_value(builder, "one");
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "link");
	/* the builder takes a reference of its own */
	json_builder_add_value(builder, json_node_ref(link));
	json_builder_end_object(builder);
	json_builder_end_array(builder);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	data = json_generator_to_data(generator, &length);
	return g_bytes_new_take(data, length);
}

static JsonNode *
link_node(const gchar *label, const gchar *uri)
{
	g_autoptr(JsonObject) object = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);

	if (label != NULL)
		json_object_set_string_member(object, "label", label);
	if (uri != NULL)
		json_object_set_string_member(object, "uri", uri);
	json_node_set_object(node, object);
	return node;
}

static void
remediation_links_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	const struct {
		const gchar *id;
		const gchar *uri;
	} bundled[] = {
	    {"activation-lock", "https://support.apple.com/en-us/108794"},
	    {"liquid-damage", "https://support.apple.com/en-us/102643"},
	    {UB_CARD_SERVICE, "https://support.apple.com/repair"},
	};
	g_autofree gchar *long_label = g_strnfill(81, 'x');
	JsonNode *bad_links[] = {
	    link_node("Open", "http://support.apple.com/repair"),
	    link_node("Open", "https://example.com/"),
	    link_node("Open", "javascript:alert(1)"),
	    link_node("Open", "https://support.apple.com@example.com/"),
	    link_node("", "https://support.apple.com/repair"),
	    link_node(long_label, "https://support.apple.com/repair"),
	    link_node("Open\nnow", "https://support.apple.com/repair"),
	    link_node("Open", NULL),
	    link_node(NULL, "https://support.apple.com/repair"),
	    json_node_init_string(json_node_alloc(), "https://support.apple.com/repair"),
	    json_node_init_int(json_node_alloc(), 7),
	};
	const gchar *label = NULL;
	const gchar *uri = NULL;

	/* the bundled links are Apple's, and every one passes the check */
	for (guint i = 0; i < G_N_ELEMENTS(bundled); i++) {
		UbCard *card = ub_remediation_lookup(remediation, bundled[i].id);

		g_assert_true(ub_remediation_get_link(remediation, card, &label, &uri));
		g_assert_cmpstr(uri, ==, bundled[i].uri);
		g_assert_cmpstr(label, !=, "");
	}
	g_assert_false(ub_remediation_get_link(
	    remediation, ub_remediation_lookup(remediation, UB_CARD_USB_HUB), &label, &uri));

	/* a good link from a file */
	{
		g_autoptr(JsonNode) node = link_node("Open", "https://support.apple.com/repair");
		g_autoptr(GBytes) bytes = card_with_link(node);
		g_autoptr(GError) error = NULL;
		g_autoptr(UbRemediation) custom = ub_remediation_new_from_bytes(bytes, &error);
		UbCard *card = NULL;

		g_assert_no_error(error);
		card = ub_remediation_lookup(custom, "a");
		g_assert_true(ub_remediation_get_link(custom, card, NULL, &uri));
		g_assert_cmpstr(uri, ==, "https://support.apple.com/repair");
		/* another list's card is not this one's */
		g_assert_false(ub_remediation_get_link(remediation, card, NULL, NULL));
	}

	/* a hostile one costs the card its link, not the list */
	for (guint i = 0; i < G_N_ELEMENTS(bad_links); i++) {
		g_autoptr(JsonNode) node = bad_links[i];
		g_autoptr(GBytes) bytes = card_with_link(node);
		g_autoptr(GError) error = NULL;
		g_autoptr(UbRemediation) custom = NULL;
		UbCard *card = NULL;

		g_test_expect_message(
		    "ub-remediation", G_LOG_LEVEL_WARNING, "card “a”: link ignored: *");
		custom = ub_remediation_new_from_bytes(bytes, &error);
		g_test_assert_expected_messages();
		g_assert_no_error(error);
		card = ub_remediation_lookup(custom, "a");
		g_assert_nonnull(card);
		g_assert_false(ub_remediation_get_link(custom, card, &label, &uri));
	}
}

static void
remediation_codes_text_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	UbCard *usb = ub_remediation_lookup(remediation, UB_CARD_USB_CONNECTION);
	UbCard *refused = ub_remediation_lookup(remediation, UB_CARD_SIGNING_REFUSED);
	UbCard *stalled = ub_remediation_lookup(remediation, UB_CARD_STALLED);
	g_autoptr(UbRemediation) custom = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	UbCard *card = NULL;
	g_autofree gchar *codes_text = NULL;
	const gchar *custom_json =
	    "{\"cards\": [{\"id\": \"a\", \"title\": \"T\", \"summary\": \"S\", "
	    "\"steps\": [\"one\", \"two\"], \"codes\": [\"9\", \"1643-1650\", \"7-7\", "
	    "\"0012\"]}]}";

	g_assert_true(g_str_has_prefix(ub_card_get_codes_text(usb), "9, 13, 14, 1600–1604, "));
	g_assert_nonnull(strstr(ub_card_get_codes_text(usb), "1643–1650"));
	g_assert_cmpstr(ub_card_get_codes_text(refused), ==, "3194");
	g_assert_null(ub_card_get_codes_text(stalled));

	bytes = g_bytes_new_static(custom_json, strlen(custom_json));
	custom = ub_remediation_new_from_bytes(bytes, &error);
	g_assert_no_error(error);
	card = ub_remediation_lookup(custom, "a");
	g_assert_cmpstr(ub_card_get_codes_text(card), ==, "9, 1643–1650, 7, 12");
	g_assert_true(ub_card_covers_code(card, 1643));
	g_assert_true(ub_card_covers_code(card, 1650));
	g_assert_false(ub_card_covers_code(card, 1651));
	g_assert_true(ub_card_covers_code(card, 12));
	g_assert_null(ub_card_get_next(card));
	g_assert_cmpuint(g_strv_length((gchar **)ub_card_get_steps(card)), ==, 2);

	/* the same through the property the list rows bind to */
	g_object_get(card, "codes-text", &codes_text, NULL);
	g_assert_cmpstr(codes_text, ==, "9, 1643–1650, 7, 12");
	/* no cause on any card: the lookup has nothing to fall back to */
	g_assert_null(ub_remediation_lookup_cause(custom, UB_FAILURE_CAUSE_DISK_SPACE));
}

typedef struct {
	const gchar *json;
	const gchar *message_part; /* the error must name this */
} SchemaCase;

static void
remediation_schema_func(void)
{
	const SchemaCase cases[] = {
	    {"{\"cards\": [{\"id\": \"a\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"]},"
	     " {\"id\": \"a\", \"title\": \"T\", \"summary\": \"S\", \"steps\": [\"x\"]}]}",
	     "card “a”: the id is used by an earlier card"},
	    {"{\"cards\": [{\"id\": \"b\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"codes\": [\"12-3\"]}]}",
	     "card “b”: code “12-3”"},
	    {"{\"cards\": [{\"id\": \"b\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"codes\": [\"4013a\"]}]}",
	     "card “b”: code “4013a”"},
	    {"{\"cards\": [{\"id\": \"b\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"codes\": [\"1-2-3\"]}]}",
	     "card “b”: code “1-2-3”"},
	    {"{\"cards\": [{\"id\": \"b\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"codes\": [9]}]}",
	     "card “b”: “codes” item 1"},
	    {"{\"cards\": [{\"id\": \"c\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"causes\": [\"usb-cable\"]}]}",
	     "card “c”: “usb-cable” is not a failure cause"},
	    {"{\"cards\": [{\"id\": \"c\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"causes\": [\"cancelled\", \"cancelled\"]}]}",
	     "card “c”: cause “cancelled” is listed twice"},
	    {"{\"cards\": [{\"id\": \"d\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"causes\": [\"disk-space\"]},"
	     " {\"id\": \"e\", \"title\": \"T\", \"summary\": \"S\", \"steps\": [\"x\"],"
	     " \"causes\": [\"disk-space\"]}]}",
	     "card “e”: cause “disk-space” is already on card “d”"},
	    {"{\"cards\": [{\"id\": \"f\", \"title\": \"T\", \"summary\": \"S\"}]}",
	     "card “f”: “steps” is missing or empty"},
	    {"{\"cards\": [{\"id\": \"f\", \"title\": \"T\", \"summary\": \"S\", \"steps\": []}]}",
	     "card “f”: “steps” is missing or empty"},
	    {"{\"cards\": [{\"id\": \"f\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"\"]}]}",
	     "card “f”: “steps” item 1"},
	    {"{\"cards\": [{\"id\": \"g\", \"summary\": \"S\", \"steps\": [\"x\"]}]}",
	     "card “g”: \"title\" is missing"},
	    {"{\"cards\": [{\"id\": \"g\", \"title\": \"\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"]}]}",
	     "card “g”: \"title\" is empty"},
	    {"{\"cards\": [{\"id\": \"g\", \"title\": \"T\", \"summary\": 3, \"steps\": [\"x\"]}]}",
	     "card “g”: \"summary\" is not a string"},
	    {"{\"cards\": [{\"id\": \"h\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"],"
	     " \"stpes\": [\"y\"]}]}",
	     "card “h”: unknown member “stpes”"},
	    {"{\"cards\": [{\"title\": \"T\", \"summary\": \"S\", \"steps\": [\"x\"]}]}",
	     "card 1: \"id\" is missing"},
	    {"{\"cards\": [{\"id\": \"a\", \"title\": \"T\", \"summary\": \"S\", \"steps\": "
	     "[\"x\"]},"
	     " {\"id\": \"Bad Id\", \"title\": \"T\", \"summary\": \"S\", \"steps\": [\"x\"]}]}",
	     "card 2: id “Bad Id”"},
	    {"{\"cards\": [\"a\"]}", "card 1: not an object"},
	    {"{\"cards\": {}}", "“cards” is missing or not a list"},
	    {"[]", "the top level is not an object"},
	    {"{\"cards\": [", "not valid JSON"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) bytes = g_bytes_new_static(cases[i].json, strlen(cases[i].json));
		g_autoptr(GError) error = NULL;
		g_autoptr(UbRemediation) remediation = NULL;

		remediation = ub_remediation_new_from_bytes(bytes, &error);
		g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
		g_assert_null(remediation);
		if (strstr(error->message, cases[i].message_part) == NULL)
			g_error("case %u: “%s” does not say “%s”",
				i,
				error->message,
				cases[i].message_part);
	}
}

/* the header xgettext reads lists every text of the cards, in order */
static void
remediation_strings_func(void)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonArray *cards = bundled_cards_json(parser);
	g_autoptr(GPtrArray) texts = g_ptr_array_new();

	for (guint i = 0; i < json_array_get_length(cards); i++) {
		JsonObject *card = json_array_get_object_element(cards, i);
		JsonArray *steps = json_object_get_array_member(card, "steps");

		g_ptr_array_add(texts, (gpointer)json_object_get_string_member(card, "title"));
		g_ptr_array_add(texts, (gpointer)json_object_get_string_member(card, "summary"));
		for (guint j = 0; j < json_array_get_length(steps); j++)
			g_ptr_array_add(texts, (gpointer)json_array_get_string_element(steps, j));
		if (json_object_has_member(card, "next"))
			g_ptr_array_add(texts,
					(gpointer)json_object_get_string_member(card, "next"));
		if (json_object_has_member(card, "link"))
			g_ptr_array_add(texts,
					(gpointer)json_object_get_string_member(
					    json_object_get_object_member(card, "link"), "label"));
	}

	for (guint i = 0; i < MIN(texts->len, G_N_ELEMENTS(ub_remediation_strings)); i++) {
		if (g_strcmp0(g_ptr_array_index(texts, i), ub_remediation_strings[i]) != 0)
			g_error("src/guidance/ub-remediation-strings.h is stale at “%s”; run "
				"python3 tools/remediation-strings.py",
				(const gchar *)g_ptr_array_index(texts, i));
	}
	if (texts->len != G_N_ELEMENTS(ub_remediation_strings))
		g_error("src/guidance/ub-remediation-strings.h has %u texts, the cards %u; run "
			"python3 tools/remediation-strings.py",
			(guint)G_N_ELEMENTS(ub_remediation_strings),
			texts->len);
}

static void
remediation_list_model_func(void)
{
	UbRemediation *remediation = ub_remediation_get_default();
	GListModel *model = G_LIST_MODEL(remediation);
	guint n_items = g_list_model_get_n_items(model);
	g_autoptr(GPtrArray) all = ub_remediation_search(remediation, "");

	g_assert_true(g_list_model_get_item_type(model) == UB_TYPE_CARD);
	g_assert_cmpuint(n_items, ==, G_N_ELEMENTS(card_ids) + G_N_ELEMENTS(symptom_card_ids));
	for (guint i = 0; i < G_N_ELEMENTS(symptom_card_ids); i++)
		g_assert_nonnull(ub_remediation_lookup(remediation, symptom_card_ids[i]));
	g_assert_null(g_list_model_get_item(model, n_items));
	for (guint i = 0; i < n_items; i++) {
		g_autoptr(UbCard) card = g_list_model_get_item(model, i);

		g_assert_true(UB_IS_CARD(card));
		/* the search keeps list order */
		g_assert_true(card == g_ptr_array_index(all, i));
		g_assert_true(ub_remediation_lookup(remediation, ub_card_get_id(card)) == card);
	}
}

static gpointer
remediation_default_thread_cb(gpointer user_data)
{
	return ub_remediation_get_default();
}

static void
remediation_new_unref_func(void)
{
	g_autoptr(GBytes) bytes = load_bundled_json();
	g_autoptr(GError) error = NULL;
	UbRemediation *remediation = ub_remediation_new_from_bytes(bytes, &error);
	UbCard *card = NULL;

	g_assert_no_error(error);
	card = ub_remediation_lookup(remediation, UB_CARD_HARDWARE);
	g_object_add_weak_pointer(G_OBJECT(card), (gpointer *)&card);
	g_assert_finalize_object(remediation);
	/* the list owned its cards */
	g_assert_null(card);
}

static void
remediation_default_func(void)
{
	GThread *threads[4];

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("remediation", remediation_default_thread_cb, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_assert_true(g_thread_join(threads[i]) == ub_remediation_get_default());
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	/* before anything else loads the cards, so the threads race for it */
	g_test_add_func("/unbrick/remediation/default", remediation_default_func);
	g_test_add_func("/unbrick/remediation/bundled", remediation_bundled_func);
	g_test_add_func("/unbrick/remediation/causes", remediation_causes_func);
	g_test_add_func("/unbrick/remediation/codes", remediation_codes_func);
	g_test_add_func("/unbrick/remediation/search", remediation_search_func);
	g_test_add_func("/unbrick/remediation/symptoms", remediation_symptoms_func);
	g_test_add_func("/unbrick/remediation/symptom-order", remediation_symptom_order_func);
	g_test_add_func("/unbrick/remediation/link-uri", remediation_link_uri_func);
	g_test_add_func("/unbrick/remediation/links", remediation_links_func);
	g_test_add_func("/unbrick/remediation/codes-text", remediation_codes_text_func);
	g_test_add_func("/unbrick/remediation/schema", remediation_schema_func);
	g_test_add_func("/unbrick/remediation/strings", remediation_strings_func);
	g_test_add_func("/unbrick/remediation/list-model", remediation_list_model_func);
	g_test_add_func("/unbrick/remediation/new-unref", remediation_new_unref_func);
	return g_test_run();
}
