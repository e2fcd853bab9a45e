/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-troubleshoot-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-a11y.h"
#include "ub-remediation-card-private.h"
#include "ub-remediation.h"
#include "ub-troubleshoot-window.h"

struct _UbTroubleshootWindow {
	AdwWindow parent_instance;

	GListStore *results; /* of UbCard: what the search found, the best first */
	gchar *query;

	GtkSearchEntry *search_entry;
	GtkStack *stack;
	GtkWidget *symptoms_box;
	GtkListBox *symptom_list;
	GtkWidget *all_label;
	GtkListBox *card_list;
};

G_DEFINE_FINAL_TYPE(UbTroubleshootWindow, ub_troubleshoot_window, ADW_TYPE_WINDOW)

/* what people see on the device, a way in before they have words for it;
 * the searches stay English, as the cards' keywords are */
typedef struct {
	const gchar *title;
	const gchar *subtitle;
	const gchar *query; /* NULL: the search field takes the focus */
} UbSymptom;

static const UbSymptom symptoms[] = {
    {N_("Stuck on the Apple logo"),
     N_("Or it keeps restarting by itself"),
     "stuck on the Apple logo"},
    {N_("Black screen or won’t turn on"),
     N_("Or it is frozen and doesn’t respond"),
     "black screen"},
    {N_("Activation Lock"), N_("It asks for an Apple Account after a restore"), "Activation Lock"},
    {N_("Liquid or drop damage"),
     N_("It got wet, was dropped, or the screen is cracked"),
     "liquid or drop damage"},
    {N_("An error number"), N_("Type the number the restore showed, like 4013"), NULL},
};

/* libadwaita 1.2 does not tell screen readers whether a row is open */
static void
row_expanded_cb(AdwExpanderRow *row)
{
	gtk_accessible_update_state(GTK_ACCESSIBLE(row),
				    GTK_ACCESSIBLE_STATE_EXPANDED,
				    adw_expander_row_get_expanded(row),
				    -1);
}

static GtkWidget *
create_row_cb(gpointer item, gpointer user_data)
{
	UbCard *card = UB_CARD(item);
	GtkWidget *row = adw_expander_row_new();
	GtkWidget *inner = gtk_list_box_row_new();
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	GtkWidget *card_widget = ub_remediation_card_new(card);
	const gchar *link_label = NULL;
	const gchar *link_uri = NULL;

	/* the cards' texts are plain: a stray "&" must not break the row */
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), ub_card_get_title(card));
	adw_expander_row_set_subtitle(ADW_EXPANDER_ROW(row), ub_card_get_summary(card));

	/* the row already shows the title and summary; below it go the steps */
	_ub_remediation_card_set_in_row(UB_REMEDIATION_CARD(card_widget), TRUE);
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(inner), FALSE);
	gtk_list_box_row_set_selectable(GTK_LIST_BOX_ROW(inner), FALSE);
	gtk_widget_set_focusable(inner, FALSE);
	gtk_box_append(GTK_BOX(box), card_widget);
	/* Apple's own page, for what Unbrick cannot do (Activation Lock, a
	 * repair); ub-remediation only lets through https on apple.com */
	if (ub_remediation_get_link(ub_remediation_get_default(), card, &link_label, &link_uri)) {
		GtkWidget *link = gtk_link_button_new_with_label(link_uri, link_label);

		/* the button's own padding lines its text up with the steps' */
		gtk_widget_set_halign(link, GTK_ALIGN_START);
		gtk_widget_set_margin_bottom(link, 12);
		gtk_box_append(GTK_BOX(box), link);
	}
	gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(inner), box);
	adw_expander_row_add_row(ADW_EXPANDER_ROW(row), inner);

	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, ub_card_get_title(card), -1);
	g_signal_connect(row, "notify::expanded", G_CALLBACK(row_expanded_cb), NULL);
	row_expanded_cb(ADW_EXPANDER_ROW(row));
	return row;
}

static GtkWidget *
create_symptom_row(const UbSymptom *symptom)
{
	GtkWidget *row = adw_action_row_new();
	GtkWidget *arrow = gtk_image_new_from_icon_name("go-next-symbolic");

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), _(symptom->title));
	adw_action_row_set_subtitle(ADW_ACTION_ROW(row), _(symptom->subtitle));
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), TRUE);
	gtk_widget_set_valign(arrow, GTK_ALIGN_CENTER);
	adw_action_row_add_suffix(ADW_ACTION_ROW(row), arrow);
	return row;
}

/* an error number names one problem: show its steps at once; words are
 * vaguer, so their matches stay a list to pick from */
static gboolean
query_has_number(const gchar *query)
{
	for (const gchar *p = query; p != NULL && *p != '\0'; p++) {
		if (g_ascii_isdigit(*p))
			return TRUE;
	}
	return FALSE;
}

static void
expand_first_result(UbTroubleshootWindow *self, gboolean focus)
{
	GtkListBoxRow *first = gtk_list_box_get_row_at_index(self->card_list, 0);

	if (first == NULL || !ADW_IS_EXPANDER_ROW(first))
		return;
	adw_expander_row_set_expanded(ADW_EXPANDER_ROW(first), TRUE);
	if (focus)
		gtk_widget_grab_focus(GTK_WIDGET(first));
}

/* the same cards in the same order: the rows stay, the open ones too */
static gboolean
results_equal(UbTroubleshootWindow *self, GPtrArray *cards)
{
	if (g_list_model_get_n_items(G_LIST_MODEL(self->results)) != cards->len)
		return FALSE;
	for (guint i = 0; i < cards->len; i++) {
		g_autoptr(UbCard) card = g_list_model_get_item(G_LIST_MODEL(self->results), i);

		if (card != g_ptr_array_index(cards, i))
			return FALSE;
	}
	return TRUE;
}

static void
update_results(UbTroubleshootWindow *self)
{
	const gchar *query = self->query != NULL ? self->query : "";
	g_autoptr(GPtrArray) cards = ub_remediation_search(ub_remediation_get_default(), query);
	g_autofree gchar *trimmed = g_strstrip(g_strdup(query));
	gboolean searching = trimmed[0] != '\0';

	if (!results_equal(self, cards))
		g_list_store_splice(self->results,
				    0,
				    g_list_model_get_n_items(G_LIST_MODEL(self->results)),
				    cards->pdata,
				    cards->len);
	/* the ways in are for before a search; a search shows only its cards */
	gtk_widget_set_visible(self->symptoms_box, !searching);
	gtk_widget_set_visible(self->all_label, !searching);
	gtk_stack_set_visible_child_name(self->stack, cards->len > 0 ? "list" : "empty");
	if (cards->len > 0 && query_has_number(query))
		expand_first_result(self, FALSE);
}

static void
search_changed_cb(UbTroubleshootWindow *self)
{
	const gchar *text = gtk_editable_get_text(GTK_EDITABLE(self->search_entry));

	/* the entry reports a change a moment after it was set by hand */
	if (g_strcmp0(text, self->query) == 0)
		return;
	g_free(self->query);
	self->query = g_strdup(text);
	update_results(self);
}

static void
symptom_activated_cb(UbTroubleshootWindow *self, GtkListBoxRow *row)
{
	gint index = gtk_list_box_row_get_index(row);

	g_return_if_fail(index >= 0 && (guint)index < G_N_ELEMENTS(symptoms));
	if (symptoms[index].query == NULL) {
		gtk_widget_grab_focus(GTK_WIDGET(self->search_entry));
		return;
	}
	ub_troubleshoot_window_search(self, symptoms[index].query);
	/* one tap on what they see: straight to the steps of the best card */
	expand_first_result(self, TRUE);
}

/* No Matches: back to the list and the ways in */
static void
show_symptoms_cb(UbTroubleshootWindow *self)
{
	ub_troubleshoot_window_search(self, "");
	gtk_widget_grab_focus(GTK_WIDGET(self->search_entry));
}

/* Escape first empties the search, then closes the window */
static void
stop_search_cb(UbTroubleshootWindow *self)
{
	const gchar *text = gtk_editable_get_text(GTK_EDITABLE(self->search_entry));

	if (text[0] != '\0') {
		gtk_editable_set_text(GTK_EDITABLE(self->search_entry), "");
		gtk_widget_grab_focus(GTK_WIDGET(self->search_entry));
		return;
	}
	gtk_window_close(GTK_WINDOW(self));
}

static gboolean
escape_cb(GtkWidget *widget, GVariant *args, gpointer user_data)
{
	stop_search_cb(UB_TROUBLESHOOT_WINDOW(widget));
	return TRUE;
}

static gboolean
focus_search_cb(GtkWidget *widget, GVariant *args, gpointer user_data)
{
	UbTroubleshootWindow *self = UB_TROUBLESHOOT_WINDOW(widget);

	gtk_widget_grab_focus(GTK_WIDGET(self->search_entry));
	return TRUE;
}

void
ub_troubleshoot_window_search(UbTroubleshootWindow *self, const gchar *query)
{
	g_return_if_fail(UB_IS_TROUBLESHOOT_WINDOW(self));
	g_return_if_fail(query != NULL);

	gtk_editable_set_text(GTK_EDITABLE(self->search_entry), query);
	gtk_editable_set_position(GTK_EDITABLE(self->search_entry), -1);
	/* the entry waits a moment before it reports a change; this was no typing */
	search_changed_cb(self);
}

static void
ub_troubleshoot_window_dispose(GObject *object)
{
	UbTroubleshootWindow *self = UB_TROUBLESHOOT_WINDOW(object);

	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_TROUBLESHOOT_WINDOW);
	g_clear_object(&self->results);
	G_OBJECT_CLASS(ub_troubleshoot_window_parent_class)->dispose(object);
}

static void
ub_troubleshoot_window_finalize(GObject *object)
{
	UbTroubleshootWindow *self = UB_TROUBLESHOOT_WINDOW(object);

	g_free(self->query);
	G_OBJECT_CLASS(ub_troubleshoot_window_parent_class)->finalize(object);
}

static void
ub_troubleshoot_window_class_init(UbTroubleshootWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_troubleshoot_window_dispose;
	object_class->finalize = ub_troubleshoot_window_finalize;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-troubleshoot-window.ui");
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, search_entry);
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, stack);
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, symptoms_box);
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, symptom_list);
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, all_label);
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, card_list);
	gtk_widget_class_bind_template_callback(widget_class, search_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, stop_search_cb);
	gtk_widget_class_bind_template_callback(widget_class, symptom_activated_cb);
	gtk_widget_class_bind_template_callback(widget_class, show_symptoms_cb);
	gtk_widget_class_add_binding(widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
	gtk_widget_class_add_binding(
	    widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);
}

static void
ub_troubleshoot_window_init(UbTroubleshootWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));

	self->results = g_list_store_new(UB_TYPE_CARD);
	gtk_list_box_bind_model(
	    self->card_list, G_LIST_MODEL(self->results), create_row_cb, self, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(symptoms); i++)
		gtk_list_box_append(self->symptom_list, create_symptom_row(&symptoms[i]));

	/* typing anywhere in the window searches */
	gtk_search_entry_set_key_capture_widget(self->search_entry, GTK_WIDGET(self));
	gtk_window_set_focus(GTK_WINDOW(self), GTK_WIDGET(self->search_entry));
	ub_a11y_follow_stack(self->stack);
	update_results(self);
}

UbTroubleshootWindow *
ub_troubleshoot_window_new(GtkWindow *parent)
{
	g_return_val_if_fail(parent == NULL || GTK_IS_WINDOW(parent), NULL);

	/* in the application, so its shortcuts (Ctrl+O, Ctrl+Q) work here too */
	return g_object_new(UB_TYPE_TROUBLESHOOT_WINDOW,
			    "transient-for",
			    parent,
			    "application",
			    parent != NULL ? gtk_window_get_application(parent) : NULL,
			    NULL);
}
