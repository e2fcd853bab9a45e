/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-search-words"

#include "config.h"

#include <string.h>

#include "ub-search-words.h"

/* words that carry no symptom; "on" and "off" too, since "won’t turn on"
 * is found by "won’t" and "turn" */
static const gchar *const ub_search_words_stop[] = {
    "a",	  "about",   "after", "again", "all",	 "am",	  "an",	    "and",   "any",
    "are",	  "as",	     "at",    "be",    "been",	 "but",	  "by",	    "can",   "code",
    "device",	  "devices", "did",   "do",    "does",	 "error", "for",    "from",  "gen",
    "generation", "get",     "gets",  "got",   "had",	 "has",	  "have",   "help",  "how",
    "i",	  "im",	     "in",    "into",  "ios",	 "ipad",  "ipados", "ipads", "iphone",
    "iphones",	  "ipod",    "is",    "it",    "its",	 "ive",	  "just",   "me",    "mine",
    "mini",	  "max",     "my",    "now",   "of",	 "off",	  "on",	    "or",    "phone",
    "phones",	  "please",  "plus",  "pro",   "really", "se",	  "so",	    "some",  "still",
    "that",	  "the",     "then",  "this",  "to",	 "up",	  "very",   "was",   "what",
    "when",	  "why",     "will",  "with",  "would",	 "yet",	  NULL,
};

/* the number after these names a model or a version: "iPhone 12", "iOS 17" */
static const gchar *const ub_search_words_model[] =
    {"iphone", "ipad", "ipod", "ios", "ipados", "se", "gen", "generation", NULL};

/* with the apostrophe gone; all of them mean "not" */
static const gchar *const ub_search_words_negations[] = {
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "didnt",
    "doesnt",
    "dont",
    "hasnt",
    "havent",
    "isnt",
    "not",
    "wasnt",
    "werent",
    "wont",
    "wouldnt",
    NULL,
};

static void
ub_search_word_clear(gpointer data)
{
	UbSearchWord *word = data;

	g_free(word->word);
}

static gboolean
ub_search_words_is_apostrophe(gunichar c)
{
	/* ' ’ ‘ ʼ ` ´ */
	return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x2bc || c == 0x60 || c == 0xb4;
}

gboolean
ub_search_words_is_number(const gchar *word)
{
	g_assert(word != NULL);
	if (word[0] == '\0')
		return FALSE;
	for (const gchar *cursor = word; *cursor != '\0'; cursor++) {
		if (!g_ascii_isdigit(*cursor))
			return FALSE;
	}
	return TRUE;
}

/* "stop" (l, s and z stay doubled: "fall", "press", "buzz") */
static void
ub_search_words_undouble(GString *word)
{
	gchar last;

	if (word->len < 2)
		return;
	last = word->str[word->len - 1];
	if (last == word->str[word->len - 2] && g_ascii_isalpha(last) &&
	    strchr("aeiouylsz", last) == NULL)
		g_string_truncate(word, word->len - 1);
}

static gboolean
ub_search_words_cut(GString *word, const gchar *suffix, gsize keep)
{
	gsize len = strlen(suffix);

	if (word->len < len + keep || !g_str_has_suffix(word->str, suffix))
		return FALSE;
	g_string_truncate(word, word->len - len);
	return TRUE;
}

/* a light English stemmer, enough that the forms people type meet the forms
 * the cards use: "restarting", "restarts" and "restarted" are "restart",
 * "charge" and "charging" "charg", "dropped" "drop", "batteries" "battery" */
static gchar *
ub_search_words_stem(const gchar *word)
{
	g_autoptr(GString) stem = g_string_new(word);

	for (const gchar *cursor = word; *cursor != '\0'; cursor++) {
		if (!g_ascii_isalnum(*cursor))
			return g_string_free(g_steal_pointer(&stem), FALSE);
	}
	if (ub_search_words_cut(stem, "ing", 4) || ub_search_words_cut(stem, "ed", 4)) {
		ub_search_words_undouble(stem);
	} else if (ub_search_words_cut(stem, "ies", 3)) {
		g_string_append_c(stem, 'y');
	} else if (!ub_search_words_cut(stem, "es", 4) && !g_str_has_suffix(stem->str, "ss")) {
		ub_search_words_cut(stem, "s", 3);
	}
	ub_search_words_cut(stem, "e", 3);
	return g_string_free(g_steal_pointer(&stem), FALSE);
}

static void
ub_search_words_add(GArray *words, const gchar *raw, gboolean *after_model)
{
	UbSearchWord word = {NULL, UB_SEARCH_WORD_TEXT};
	const gchar *canonical = g_strv_contains(ub_search_words_negations, raw) ? "not" : raw;

	if (ub_search_words_is_number(raw)) {
		/* "iOS 17.2": every number after the name belongs to it */
		word.kind = *after_model ? UB_SEARCH_WORD_STOP : UB_SEARCH_WORD_NUMBER;
		word.word = g_strdup(raw);
	} else {
		if (g_strv_contains(ub_search_words_stop, canonical) ||
		    g_utf8_strlen(canonical, -1) == 1)
			word.kind = UB_SEARCH_WORD_STOP;
		*after_model = g_strv_contains(ub_search_words_model, canonical);
		word.word = ub_search_words_stem(canonical);
	}
	g_array_append_val(words, word);
}

/* @text as search words, at most @max_words of them; none when it is not
 * UTF-8 */
GArray *
ub_search_words_split(const gchar *text, guint max_words)
{
	g_autoptr(GArray) words = g_array_new(FALSE, TRUE, sizeof(UbSearchWord));
	g_autoptr(GString) word = g_string_new(NULL);
	g_autofree gchar *folded = NULL;
	g_autofree gchar *decomposed = NULL;
	gboolean after_model = FALSE;

	g_return_val_if_fail(text != NULL, NULL);

	g_array_set_clear_func(words, ub_search_word_clear);
	if (!g_utf8_validate(text, -1, NULL))
		return g_steal_pointer(&words);

	/* decomposed, accents become marks of their own, which are dropped */
	folded = g_utf8_casefold(text, -1);
	decomposed = g_utf8_normalize(folded, -1, G_NORMALIZE_ALL);
	for (const gchar *cursor = decomposed; words->len < max_words;
	     cursor = g_utf8_next_char(cursor)) {
		gunichar c = g_utf8_get_char(cursor);

		if (c != 0 && g_unichar_isalnum(c)) {
			g_string_append_unichar(word, c);
			continue;
		}
		/* "won't" is one word, "wont" */
		if (c != 0 && (ub_search_words_is_apostrophe(c) || g_unichar_ismark(c)))
			continue;
		if (word->len > 0) {
			ub_search_words_add(words, word->str, &after_model);
			g_string_truncate(word, 0);
		}
		if (c == 0)
			break;
	}
	return g_steal_pointer(&words);
}

/* the words that say something about the problem; when there are none, all
 * of them, so that "error" alone still finds something */
GStrv
ub_search_words_content(GArray *words)
{
	g_autoptr(GStrvBuilder) builder = NULL;
	g_autoptr(GPtrArray) seen = NULL;

	g_return_val_if_fail(words != NULL, NULL);

	builder = g_strv_builder_new();
	seen = g_ptr_array_new();

	for (guint pass = 0; pass < 2 && seen->len == 0; pass++) {
		for (guint i = 0; i < words->len; i++) {
			UbSearchWord *word = &g_array_index(words, UbSearchWord, i);

			if (word->kind == UB_SEARCH_WORD_NUMBER ||
			    (pass == 0 && word->kind == UB_SEARCH_WORD_STOP))
				continue;
			if (g_ptr_array_find_with_equal_func(seen, word->word, g_str_equal, NULL))
				continue;
			g_ptr_array_add(seen, word->word);
			g_strv_builder_add(builder, word->word);
		}
	}
	return g_strv_builder_end(builder);
}

void
ub_search_words_append_text(GString *text, const gchar *source)
{
	g_autoptr(GArray) words = NULL;

	g_return_if_fail(text != NULL);
	g_return_if_fail(source != NULL);

	words = ub_search_words_split(source, G_MAXUINT);

	for (guint i = 0; i < words->len; i++)
		g_string_append_printf(text, "%s ", g_array_index(words, UbSearchWord, i).word);
}
