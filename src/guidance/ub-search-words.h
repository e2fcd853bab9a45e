/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Search words: cards and queries are cut into the same words, so that what
 * people type meets what the cards say however it is typed: any case, accents
 * or none, "won't", "won’t" and "wont" alike, "boot-loop" as "boot loop", and
 * "charging", "charged" and "charge" as one word. UbRemediation indexes its
 * cards and reads queries with them.
 */

typedef enum {
	UB_SEARCH_WORD_TEXT,
	UB_SEARCH_WORD_STOP,   /* "my", "the", "iphone": says nothing about the problem */
	UB_SEARCH_WORD_NUMBER, /* an error number */
} UbSearchWordKind;

typedef struct {
	gchar *word;
	UbSearchWordKind kind;
} UbSearchWord;

/* @text as search words (an array of UbSearchWord that frees them), at most
 * @max_words of them; none when it is not UTF-8 */
GArray *
ub_search_words_split(const gchar *text, guint max_words);
/* all ASCII digits, at least one: an error number ("4013") */
gboolean
ub_search_words_is_number(const gchar *word);
/* the words of @words that say something about the problem, each once and no
 * numbers; when there are none, all of them, so that "error" alone still
 * finds something */
GStrv
ub_search_words_content(GArray *words);
/* appends @source to @text as search words, each followed by a space */
void
ub_search_words_append_text(GString *text, const gchar *source);

G_END_DECLS
