/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-cause-card"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-cause-card.h"
#include "ub-failure.h"

struct _UbCauseCard {
	GtkBox parent_instance;

	GtkLabel *title_label;
	GtkLabel *explanation_label;
	GtkLabel *detail_label;
};

G_DEFINE_FINAL_TYPE(UbCauseCard, ub_cause_card, GTK_TYPE_BOX)

void
ub_cause_card_set_cause(UbCauseCard *self, UbFailureCause cause, const gchar *engine_message)
{
	const gchar *codes = ub_failure_cause_get_apple_codes(cause);
	g_autofree gchar *detail = NULL;

	g_return_if_fail(UB_IS_CAUSE_CARD(self));

	gtk_label_set_label(self->title_label, ub_failure_cause_get_title(cause));
	gtk_label_set_label(self->explanation_label, ub_failure_cause_get_explanation(cause));
	if (codes != NULL)
		/* TRANSLATORS: the numbers Apple's own tools show for this problem */
		detail = g_strdup_printf(_("%s\nIn Apple’s tools this shows as error %s."),
					 engine_message != NULL ? engine_message : "",
					 codes);
	else
		detail = g_strdup(engine_message != NULL ? engine_message : "");
	g_strstrip(detail);
	gtk_label_set_label(self->detail_label, detail);
	gtk_widget_set_visible(GTK_WIDGET(self->detail_label), detail[0] != '\0');
}

static void
ub_cause_card_dispose(GObject *object)
{
	gtk_widget_dispose_template(GTK_WIDGET(object), UB_TYPE_CAUSE_CARD);
	G_OBJECT_CLASS(ub_cause_card_parent_class)->dispose(object);
}

static void
ub_cause_card_class_init(UbCauseCardClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_cause_card_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-cause-card.ui");
	gtk_widget_class_bind_template_child(widget_class, UbCauseCard, title_label);
	gtk_widget_class_bind_template_child(widget_class, UbCauseCard, explanation_label);
	gtk_widget_class_bind_template_child(widget_class, UbCauseCard, detail_label);
}

static void
ub_cause_card_init(UbCauseCard *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
