/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-remediation-card"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-remediation-card-private.h"

struct _UbRemediationCard {
	AdwBin parent_instance;

	UbCard *card;
	gboolean compact;
	gboolean in_row;

	GtkWidget *content_box;
	GtkWidget *header_box;
	GtkLabel *title_label;
	GtkLabel *summary_label;
	GtkWidget *steps_box;
	GtkWidget *next_box;
	GtkLabel *next_label;
	GtkLabel *codes_label;
};

G_DEFINE_FINAL_TYPE(UbRemediationCard, ub_remediation_card, ADW_TYPE_BIN)

enum {
	PROP_0,
	PROP_CARD,
	PROP_COMPACT,
	N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
step_row_new(guint number, const gchar *text)
{
	g_autofree gchar *number_text = g_strdup_printf("%u", number);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	GtkWidget *badge = gtk_label_new(number_text);
	GtkWidget *label = gtk_label_new(text);

	gtk_widget_add_css_class(badge, "tip-number");
	gtk_widget_set_valign(badge, GTK_ALIGN_START);

	/* steps carry commands ("sudo systemctl restart usbmuxd") people copy;
	 * with the mouse only: a selectable label that takes the focus selects
	 * all its text, and a window opening on a card would start highlighted */
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_widget_set_focusable(label, FALSE);
	gtk_label_set_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_widget_set_hexpand(label, TRUE);
	/* a line of text is shorter than the badge: centre the first line on it */
	gtk_widget_set_margin_top(label, 2);

	gtk_box_append(GTK_BOX(row), badge);
	gtk_box_append(GTK_BOX(row), label);
	return row;
}

static void
update_visibility(UbRemediationCard *self)
{
	const gchar *next = self->card != NULL ? ub_card_get_next(self->card) : NULL;
	const gchar *codes = self->card != NULL ? ub_card_get_codes_text(self->card) : NULL;
	gboolean full = !self->compact && !self->in_row;
	gboolean extras = !self->compact;

	gtk_widget_set_visible(self->header_box, !self->in_row);
	gtk_widget_set_visible(GTK_WIDGET(self->title_label), full);
	gtk_widget_set_visible(self->next_box, extras && next != NULL && next[0] != '\0');
	gtk_widget_set_visible(GTK_WIDGET(self->codes_label),
			       extras && codes != NULL && codes[0] != '\0');

	/* in a list row the row is the box: a second one inside looks broken */
	if (self->in_row) {
		gtk_widget_remove_css_class(GTK_WIDGET(self), "card");
		gtk_widget_set_margin_top(self->content_box, 12);
		gtk_widget_set_margin_bottom(self->content_box, 12);
		gtk_widget_set_margin_start(self->content_box, 12);
		gtk_widget_set_margin_end(self->content_box, 12);
	} else {
		gtk_widget_add_css_class(GTK_WIDGET(self), "card");
		gtk_widget_set_margin_top(self->content_box, 18);
		gtk_widget_set_margin_bottom(self->content_box, 18);
		gtk_widget_set_margin_start(self->content_box, 18);
		gtk_widget_set_margin_end(self->content_box, 18);
	}
}

static void
update_card(UbRemediationCard *self)
{
	GtkWidget *child;
	const gchar *const *steps;
	const gchar *next;
	const gchar *codes;
	g_autofree gchar *codes_line = NULL;

	while ((child = gtk_widget_get_first_child(self->steps_box)) != NULL)
		gtk_box_remove(GTK_BOX(self->steps_box), child);

	if (self->card == NULL) {
		gtk_label_set_label(self->title_label, "");
		gtk_label_set_label(self->summary_label, "");
		gtk_label_set_label(self->next_label, "");
		gtk_label_set_label(self->codes_label, "");
		gtk_accessible_reset_property(GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL);
		update_visibility(self);
		return;
	}

	gtk_label_set_label(self->title_label, ub_card_get_title(self->card));
	gtk_label_set_label(self->summary_label, ub_card_get_summary(self->card));
	/* the title names the card even when it is not shown (compact, in a row) */
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL, ub_card_get_title(self->card), -1);

	steps = ub_card_get_steps(self->card);
	for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
		gtk_box_append(GTK_BOX(self->steps_box), step_row_new(i + 1, steps[i]));
	gtk_widget_set_visible(self->steps_box, steps != NULL && steps[0] != NULL);

	next = ub_card_get_next(self->card);
	gtk_label_set_label(self->next_label, next != NULL ? next : "");

	codes = ub_card_get_codes_text(self->card);
	if (codes != NULL && codes[0] != '\0')
		/* TRANSLATORS: the numbers Apple's own tools show for this problem,
		 * like "9, 4005, 4013"; people search the web for them */
		codes_line = g_strdup_printf(_("Apple error numbers: %s"), codes);
	gtk_label_set_label(self->codes_label, codes_line != NULL ? codes_line : "");

	update_visibility(self);
}

void
ub_remediation_card_set_card(UbRemediationCard *self, UbCard *card)
{
	g_return_if_fail(UB_IS_REMEDIATION_CARD(self));
	g_return_if_fail(card == NULL || UB_IS_CARD(card));

	if (!g_set_object(&self->card, card))
		return;
	update_card(self);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_CARD]);
}

UbCard *
ub_remediation_card_get_card(UbRemediationCard *self)
{
	g_return_val_if_fail(UB_IS_REMEDIATION_CARD(self), NULL);
	return self->card;
}

void
ub_remediation_card_set_compact(UbRemediationCard *self, gboolean compact)
{
	g_return_if_fail(UB_IS_REMEDIATION_CARD(self));

	compact = !!compact;
	if (self->compact == compact)
		return;
	self->compact = compact;
	update_visibility(self);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_COMPACT]);
}

void
_ub_remediation_card_set_in_row(UbRemediationCard *self, gboolean in_row)
{
	g_return_if_fail(UB_IS_REMEDIATION_CARD(self));

	self->in_row = !!in_row;
	update_visibility(self);
}

static void
ub_remediation_card_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbRemediationCard *self = UB_REMEDIATION_CARD(object);

	switch (prop_id) {
	case PROP_CARD:
		g_value_set_object(value, self->card);
		break;
	case PROP_COMPACT:
		g_value_set_boolean(value, self->compact);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_remediation_card_set_property(GObject *object,
				 guint prop_id,
				 const GValue *value,
				 GParamSpec *pspec)
{
	UbRemediationCard *self = UB_REMEDIATION_CARD(object);

	switch (prop_id) {
	case PROP_CARD:
		ub_remediation_card_set_card(self, g_value_get_object(value));
		break;
	case PROP_COMPACT:
		ub_remediation_card_set_compact(self, g_value_get_boolean(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_remediation_card_dispose(GObject *object)
{
	UbRemediationCard *self = UB_REMEDIATION_CARD(object);

	g_clear_object(&self->card);
	/* through AdwBin first: dropping the template would unparent its child
	 * behind AdwBin's back, and AdwBin would unparent it a second time */
	adw_bin_set_child(ADW_BIN(self), NULL);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_REMEDIATION_CARD);
	G_OBJECT_CLASS(ub_remediation_card_parent_class)->dispose(object);
}

static void
ub_remediation_card_class_init(UbRemediationCardClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->get_property = ub_remediation_card_get_property;
	object_class->set_property = ub_remediation_card_set_property;
	object_class->dispose = ub_remediation_card_dispose;

	properties[PROP_CARD] = g_param_spec_object("card",
						    NULL,
						    NULL,
						    UB_TYPE_CARD,
						    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
							G_PARAM_STATIC_STRINGS);
	properties[PROP_COMPACT] = g_param_spec_boolean(
	    "compact",
	    NULL,
	    NULL,
	    FALSE,
	    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-remediation-card.ui");
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, content_box);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, header_box);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, title_label);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, summary_label);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, steps_box);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, next_box);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, next_label);
	gtk_widget_class_bind_template_child(widget_class, UbRemediationCard, codes_label);
	/* one card is one thing to a screen reader, named by its title */
	gtk_widget_class_set_accessible_role(widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ub_remediation_card_init(UbRemediationCard *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	update_visibility(self);
}

GtkWidget *
ub_remediation_card_new(UbCard *card)
{
	g_return_val_if_fail(card == NULL || UB_IS_CARD(card), NULL);
	return g_object_new(UB_TYPE_REMEDIATION_CARD, "card", card, NULL);
}

GtkWidget *
ub_remediation_card_new_what_to_do(UbCard *card)
{
	GtkWidget *box;
	GtkWidget *heading;
	GtkWidget *widget;

	g_return_val_if_fail(UB_IS_CARD(card), NULL);

	box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	heading = gtk_label_new(_("What to Do"));
	widget = ub_remediation_card_new(card);
	gtk_widget_add_css_class(box, "card");
	gtk_widget_add_css_class(box, "what-to-do");
	gtk_widget_add_css_class(heading, "heading");
	gtk_label_set_xalign(GTK_LABEL(heading), 0);
	_ub_remediation_card_set_in_row(UB_REMEDIATION_CARD(widget), TRUE);
	gtk_box_append(GTK_BOX(box), heading);
	gtk_box_append(GTK_BOX(box), widget);
	return box;
}
