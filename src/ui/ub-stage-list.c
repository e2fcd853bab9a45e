/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-stage-list"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-mode-text.h"
#include "ub-stage-list.h"

struct _UbStageList {
	AdwPreferencesGroup parent_instance;

	AdwActionRow *rows[UB_RESTORE_N_STAGES];
	GtkWidget *icons[UB_RESTORE_N_STAGES];
	GtkSpinner *spinners[UB_RESTORE_N_STAGES];
	GtkProgressBar *bars[UB_RESTORE_N_STAGES];
};

G_DEFINE_FINAL_TYPE(UbStageList, ub_stage_list, ADW_TYPE_PREFERENCES_GROUP)

static const gchar *
state_text(UbStageRowState state)
{
	switch (state) {
	case UB_STAGE_ROW_NOT_REACHED:
		return _("Not reached");
	case UB_STAGE_ROW_ACTIVE:
		return _("In progress");
	case UB_STAGE_ROW_DONE:
		return _("Done");
	case UB_STAGE_ROW_STOPPED:
		return _("Stopped here");
	case UB_STAGE_ROW_LAST_SEEN:
		return _("Last seen here");
	case UB_STAGE_ROW_WAITING:
	default:
		return _("Waiting");
	}
}

void
ub_stage_list_set_stage(UbStageList *self,
			UbRestoreStage stage,
			UbStageRowState state,
			gdouble progress)
{
	gboolean active = state == UB_STAGE_ROW_ACTIVE;
	GtkWidget *row;

	g_return_if_fail(UB_IS_STAGE_LIST(self));
	g_return_if_fail((guint)stage < UB_RESTORE_N_STAGES);

	row = GTK_WIDGET(self->rows[stage]);
	adw_action_row_set_subtitle(self->rows[stage], state_text(state));
	gtk_widget_set_visible(self->icons[stage], state == UB_STAGE_ROW_DONE);
	gtk_widget_set_visible(GTK_WIDGET(self->spinners[stage]), active);
	gtk_spinner_set_spinning(self->spinners[stage], active);
	gtk_widget_set_visible(GTK_WIDGET(self->bars[stage]), active);
	gtk_progress_bar_set_fraction(self->bars[stage], CLAMP(progress, 0, 1));
	/* what has not happened yet is dimmed */
	if (state == UB_STAGE_ROW_WAITING || state == UB_STAGE_ROW_NOT_REACHED)
		gtk_widget_add_css_class(row, "dim-label");
	else
		gtk_widget_remove_css_class(row, "dim-label");
}

static void
ub_stage_list_class_init(UbStageListClass *klass)
{
}

static void
ub_stage_list_init(UbStageList *self)
{
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		const gchar *title = ub_mode_text_get_stage_title((UbRestoreStage)i);
		GtkWidget *row = adw_action_row_new();
		GtkWidget *icon = gtk_image_new_from_icon_name("emblem-ok-symbolic");
		GtkWidget *spinner = gtk_spinner_new();
		GtkWidget *bar = gtk_progress_bar_new();

		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
		gtk_widget_add_css_class(icon, "success");
		gtk_widget_set_size_request(icon, 16, 16);
		gtk_widget_set_visible(icon, FALSE);
		gtk_widget_set_visible(spinner, FALSE);
		adw_action_row_add_prefix(ADW_ACTION_ROW(row), icon);
		adw_action_row_add_prefix(ADW_ACTION_ROW(row), spinner);
		gtk_widget_set_valign(bar, GTK_ALIGN_CENTER);
		gtk_widget_set_size_request(bar, 120, -1);
		gtk_widget_set_visible(bar, FALSE);
		gtk_accessible_update_property(
		    GTK_ACCESSIBLE(bar), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
		adw_action_row_add_suffix(ADW_ACTION_ROW(row), bar);
		adw_preferences_group_add(ADW_PREFERENCES_GROUP(self), row);
		self->rows[i] = ADW_ACTION_ROW(row);
		self->icons[i] = icon;
		self->spinners[i] = GTK_SPINNER(spinner);
		self->bars[i] = GTK_PROGRESS_BAR(bar);
		ub_stage_list_set_stage(self, (UbRestoreStage)i, UB_STAGE_ROW_WAITING, 0);
	}
}

UbStageList *
ub_stage_list_new(void)
{
	return g_object_new(UB_TYPE_STAGE_LIST, NULL);
}
