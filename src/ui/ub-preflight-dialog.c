/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-command-row.h"
#include "ub-preflight-dialog.h"
#include "ub-remediation-card-private.h"
#include "ub-remediation.h"

struct _UbPreflightDialog {
	AdwMessageDialog parent_instance;

	GtkListBox *checks_list;
};

G_DEFINE_FINAL_TYPE(UbPreflightDialog, ub_preflight_dialog, ADW_TYPE_MESSAGE_DIALOG)

gboolean
ub_preflight_dialog_is_needed(GPtrArray *checks)
{
	g_return_val_if_fail(checks != NULL, FALSE);

	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		if (ub_check_get_status(check) != UB_CHECK_STATUS_PASS)
			return TRUE;
	}
	return FALSE;
}

static GtkWidget *
status_icon_new(UbCheckStatus status)
{
	gboolean failed = status == UB_CHECK_STATUS_FAIL;
	GtkWidget *icon = gtk_image_new_from_icon_name(failed ? "dialog-error-symbolic"
							      : "dialog-warning-symbolic");

	gtk_widget_add_css_class(icon, failed ? "error" : "warning");
	/* the colour alone says nothing to a screen reader */
	gtk_accessible_update_property(GTK_ACCESSIBLE(icon),
				       GTK_ACCESSIBLE_PROPERTY_LABEL,
				       failed ? _("Problem") : _("Warning"),
				       -1);
	return icon;
}

static void
row_expanded_cb(AdwExpanderRow *row)
{
	gtk_accessible_update_state(GTK_ACCESSIBLE(row),
				    GTK_ACCESSIBLE_STATE_EXPANDED,
				    adw_expander_row_get_expanded(row),
				    -1);
}

/* the card's steps, inside the row that already says what was found and
 * what to do: no title, no summary, no box of their own */
static GtkWidget *
card_row_new(UbCard *card)
{
	GtkWidget *card_widget = ub_remediation_card_new(card);
	GtkWidget *row = gtk_list_box_row_new();

	ub_remediation_card_set_compact(UB_REMEDIATION_CARD(card_widget), TRUE);
	_ub_remediation_card_set_in_row(UB_REMEDIATION_CARD(card_widget), TRUE);
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), FALSE);
	gtk_list_box_row_set_selectable(GTK_LIST_BOX_ROW(row), FALSE);
	gtk_widget_set_focusable(row, FALSE);
	gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), card_widget);
	return row;
}

/* what was found and what to do; its card's steps in an expander, open
 * for the first one only so that several findings still fit */
static GtkWidget *
check_row_new(UbCheck *check, gboolean expanded)
{
	const gchar *card_id = ub_check_get_card_id(check);
	const gchar *title = ub_check_get_title(check);
	const gchar *advice = ub_check_get_advice(check);
	GtkWidget *icon = status_icon_new(ub_check_get_status(check));
	UbCard *card = NULL;
	GtkWidget *row;

	if (card_id != NULL) {
		card = ub_remediation_lookup(ub_remediation_get_default(), card_id);
		if (card == NULL)
			g_warning("no remediation card “%s”", card_id);
	}
	if (card == NULL) {
		row = adw_action_row_new();
		/* the titles carry names ("USB2.0 Hub") that are not markup */
		adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row), advice != NULL ? advice : "");
		adw_action_row_add_prefix(ADW_ACTION_ROW(row), icon);
		gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), FALSE);
		return row;
	}

	row = adw_expander_row_new();
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	adw_expander_row_set_subtitle(ADW_EXPANDER_ROW(row), advice != NULL ? advice : "");
	adw_expander_row_add_prefix(ADW_EXPANDER_ROW(row), icon);
	/* the command the advice ends on, right under it */
	if (ub_check_get_command(check) != NULL) {
		adw_expander_row_add_row(ADW_EXPANDER_ROW(row),
					 ub_command_row_new(ub_check_get_command(check)));
	}
	adw_expander_row_add_row(ADW_EXPANDER_ROW(row), card_row_new(card));
	/* before the dialog maps, so it opens at its full size; a message
	 * dialog grows with its content, so a row opened later fits too */
	adw_expander_row_set_expanded(ADW_EXPANDER_ROW(row), expanded);
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
	g_signal_connect(row, "notify::expanded", G_CALLBACK(row_expanded_cb), NULL);
	row_expanded_cb(ADW_EXPANDER_ROW(row));
	return row;
}

/* failures first, so the one that blocks leads; returns the rows added */
static guint
add_rows(UbPreflightDialog *self, GPtrArray *checks, UbCheckStatus status)
{
	guint n_rows = 0;

	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		gboolean first = gtk_widget_get_first_child(GTK_WIDGET(self->checks_list)) == NULL;

		if (ub_check_get_status(check) != status)
			continue;
		gtk_list_box_append(self->checks_list, check_row_new(check, first));
		n_rows++;
	}
	return n_rows;
}

static void
ub_preflight_dialog_class_init(UbPreflightDialogClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-preflight-dialog.ui");
	gtk_widget_class_bind_template_child(widget_class, UbPreflightDialog, checks_list);
}

static void
ub_preflight_dialog_init(UbPreflightDialog *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

UbPreflightDialog *
ub_preflight_dialog_new(GtkWindow *parent, UbDevice *device, UbRestoreKind kind, GPtrArray *checks)
{
	AdwMessageDialog *dialog;
	UbPreflightDialog *self;
	UbCheck *blocker;
	guint n_failed;
	guint n_warned;

	g_return_val_if_fail(parent == NULL || GTK_IS_WINDOW(parent), NULL);
	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);
	g_return_val_if_fail(checks != NULL, NULL);

	self = g_object_new(UB_TYPE_PREFLIGHT_DIALOG, "transient-for", parent, NULL);
	dialog = ADW_MESSAGE_DIALOG(self);
	n_failed = add_rows(self, checks, UB_CHECK_STATUS_FAIL);
	n_warned = add_rows(self, checks, UB_CHECK_STATUS_WARN);
	g_debug("%u checks failed, %u warned", n_failed, n_warned);

	blocker = ub_preflight_get_blocker(checks);
	if (blocker != NULL) {
		g_autofree gchar *body = NULL;

		adw_message_dialog_set_heading(dialog, _("Unbrick Can’t Start Yet"));
		/* TRANSLATORS: the first %s is what stops the restore ("The
		 * restore tool (idevicerestore) was not found"), the second the
		 * device name */
		body = g_strdup_printf(_("%s.\n\nNothing on your %s was changed. Fix this, then "
					 "check again."),
				       ub_check_get_title(blocker),
				       ub_device_get_name(device));
		adw_message_dialog_set_body(dialog, body);
		adw_message_dialog_add_responses(dialog,
						 "close",
						 _("_Close"),
						 UB_PREFLIGHT_DIALOG_RETRY,
						 _("_Check Again"),
						 NULL);
		adw_message_dialog_set_response_appearance(
		    dialog, UB_PREFLIGHT_DIALOG_RETRY, ADW_RESPONSE_SUGGESTED);
		adw_message_dialog_set_default_response(dialog, UB_PREFLIGHT_DIALOG_RETRY);
		adw_message_dialog_set_close_response(dialog, "close");
		return self;
	}

	adw_message_dialog_set_heading(dialog, _("Before You Start"));
	if (n_warned <= 1)
		adw_message_dialog_set_body(
		    dialog, _("Unbrick found something that could interrupt the restore."));
	else
		adw_message_dialog_format_body(
		    dialog,
		    /* TRANSLATORS: %u is a number of problems, always more than one */
		    ngettext("Unbrick found %u things that could interrupt the restore.",
			     "Unbrick found %u things that could interrupt the restore.",
			     n_warned),
		    n_warned);
	adw_message_dialog_add_responses(dialog,
					 "cancel",
					 _("_Cancel"),
					 UB_PREFLIGHT_DIALOG_CONTINUE,
					 _("Continue _Anyway"),
					 NULL);
	/* going on with an erase is still an erase */
	adw_message_dialog_set_response_appearance(
	    dialog,
	    UB_PREFLIGHT_DIALOG_CONTINUE,
	    kind == UB_RESTORE_KIND_ERASE ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
	/* a warning is worth fixing first: Enter does not skip it */
	adw_message_dialog_set_default_response(dialog, "cancel");
	adw_message_dialog_set_close_response(dialog, "cancel");
	return self;
}
