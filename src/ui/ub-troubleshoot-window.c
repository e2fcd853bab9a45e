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

	GtkCustomFilter *filter;
	GtkFilterListModel *filtered;
	gchar *query;

	GtkSearchEntry *search_entry;
	GtkStack *stack;
	GtkListBox *card_list;
};

G_DEFINE_FINAL_TYPE(UbTroubleshootWindow, ub_troubleshoot_window, ADW_TYPE_WINDOW)

static gboolean
card_filter_func(gpointer item, gpointer user_data)
{
	UbTroubleshootWindow *self = user_data;

	return self->query == NULL || ub_card_matches(UB_CARD(item), self->query);
}

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
	GtkWidget *card_widget = ub_remediation_card_new(card);

	/* the cards' texts are plain: a stray "&" must not break the row */
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), ub_card_get_title(card));
	adw_expander_row_set_subtitle(ADW_EXPANDER_ROW(row), ub_card_get_summary(card));

	/* the row already shows the title and summary; below it go the steps */
	_ub_remediation_card_set_in_row(UB_REMEDIATION_CARD(card_widget), TRUE);
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(inner), FALSE);
	gtk_list_box_row_set_selectable(GTK_LIST_BOX_ROW(inner), FALSE);
	gtk_widget_set_focusable(inner, FALSE);
	gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(inner), card_widget);
	adw_expander_row_add_row(ADW_EXPANDER_ROW(row), inner);

	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, ub_card_get_title(card), -1);
	g_signal_connect(row, "notify::expanded", G_CALLBACK(row_expanded_cb), NULL);
	row_expanded_cb(ADW_EXPANDER_ROW(row));
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
update_results(UbTroubleshootWindow *self)
{
	guint n_items = g_list_model_get_n_items(G_LIST_MODEL(self->filtered));

	gtk_stack_set_visible_child_name(self->stack, n_items > 0 ? "list" : "empty");
	if (n_items > 0 && query_has_number(self->query)) {
		GtkListBoxRow *first = gtk_list_box_get_row_at_index(self->card_list, 0);
		if (first != NULL && ADW_IS_EXPANDER_ROW(first))
			adw_expander_row_set_expanded(ADW_EXPANDER_ROW(first), TRUE);
	}
}

static void
search_changed_cb(UbTroubleshootWindow *self)
{
	const gchar *text = gtk_editable_get_text(GTK_EDITABLE(self->search_entry));

	g_free(self->query);
	self->query = g_strdup(text);
	gtk_filter_changed(GTK_FILTER(self->filter), GTK_FILTER_CHANGE_DIFFERENT);
	update_results(self);
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
	g_clear_object(&self->filtered);
	g_clear_object(&self->filter);
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
	gtk_widget_class_bind_template_child(widget_class, UbTroubleshootWindow, card_list);
	gtk_widget_class_bind_template_callback(widget_class, search_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, stop_search_cb);
	gtk_widget_class_add_binding(widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
	gtk_widget_class_add_binding(
	    widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);
}

static void
ub_troubleshoot_window_init(UbTroubleshootWindow *self)
{
	UbRemediation *remediation = ub_remediation_get_default();

	gtk_widget_init_template(GTK_WIDGET(self));

	self->filter = gtk_custom_filter_new(card_filter_func, self, NULL);
	self->filtered = gtk_filter_list_model_new(g_object_ref(G_LIST_MODEL(remediation)),
						   g_object_ref(GTK_FILTER(self->filter)));
	gtk_list_box_bind_model(
	    self->card_list, G_LIST_MODEL(self->filtered), create_row_cb, self, NULL);

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
