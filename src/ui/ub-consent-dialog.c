/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ub-consent-dialog.h"
#include "ub-mode-text.h"

/* Cancel and one suggested action, the action the default */
static AdwMessageDialog *
new_question(GtkWindow *parent,
	     const gchar *heading,
	     const gchar *body,
	     const gchar *response,
	     const gchar *label)
{
	AdwMessageDialog *dialog =
	    ADW_MESSAGE_DIALOG(adw_message_dialog_new(parent, heading, body));

	adw_message_dialog_add_responses(dialog, "cancel", _("_Cancel"), response, label, NULL);
	adw_message_dialog_set_response_appearance(dialog, response, ADW_RESPONSE_SUGGESTED);
	adw_message_dialog_set_default_response(dialog, response);
	adw_message_dialog_set_close_response(dialog, "cancel");
	return dialog;
}

AdwMessageDialog *
ub_consent_dialog_new_update(GtkWindow *parent, UbDevice *device)
{
	const gchar *name = ub_device_get_name(device);
	/* TRANSLATORS: %s is the device name */
	g_autofree gchar *heading = g_strdup_printf(_("Update %s?"), name);
	g_autofree gchar *body = g_strdup_printf(
	    _("Unbrick downloads the newest iOS that Apple allows for your %s and installs "
	      "it again. Your photos, messages and apps are kept.\n\nIt takes 15 to 45 "
	      "minutes, plus the download. Keep it connected until it is done."),
	    name);

	return new_question(parent, heading, body, "update", _("_Update"));
}

static void
consent_toggled_cb(GtkCheckButton *check, AdwMessageDialog *dialog)
{
	adw_message_dialog_set_response_enabled(
	    dialog, "erase", gtk_check_button_get_active(check));
}

AdwMessageDialog *
ub_consent_dialog_new_erase(GtkWindow *parent, UbDevice *device)
{
	const gchar *name = ub_device_get_name(device);
	g_autofree gchar *heading = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *check_label = NULL;
	const gchar *backup;
	AdwMessageDialog *dialog;
	GtkWidget *check;

	if (ub_device_get_mode(device) == UB_DEVICE_MODE_NORMAL)
		backup = _("It is working now, so this is the last chance to back it up: "
			   "cancel, make a backup, then come back.");
	else
		backup = _("In this mode no new backup can be made. Only what was backed up "
			   "before (to iCloud or a computer) can be brought back.");
	/* TRANSLATORS: %s is the device name */
	heading = g_strdup_printf(_("Erase and Restore %s?"), name);
	body = g_strdup_printf(
	    _("Everything on your %s is erased: photos, messages, apps, accounts and "
	      "settings. Then iOS is installed again.\n\n%s\n\nAfterwards it asks for the "
	      "Apple ID that was on it (Activation Lock). Unbrick cannot get around that; "
	      "have the password ready."),
	    name,
	    backup);
	dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(parent, heading, body));
	adw_message_dialog_add_responses(
	    dialog, "cancel", _("_Cancel"), "erase", _("_Erase and Restore"), NULL);
	adw_message_dialog_set_response_appearance(dialog, "erase", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_response_enabled(dialog, "erase", FALSE);
	/* an erase is never what Enter does by accident */
	adw_message_dialog_set_default_response(dialog, "cancel");
	adw_message_dialog_set_close_response(dialog, "cancel");
	check_label = g_strdup_printf(_("I understand that everything on this %s will be erased"),
				      ub_device_get_is_ipad(device) ? "iPad" : "iPhone");
	check = gtk_check_button_new_with_label(check_label);
	adw_message_dialog_set_extra_child(dialog, check);
	g_signal_connect_object(check, "toggled", G_CALLBACK(consent_toggled_cb), dialog, 0);
	return dialog;
}

AdwMessageDialog *
ub_consent_dialog_new_enter_recovery(GtkWindow *parent, UbDevice *device)
{
	/* TRANSLATORS: %s is the device name */
	g_autofree gchar *body =
	    g_strdup_printf(_("Your %s will restart into Recovery Mode, where iOS can be "
			      "updated or restored. Nothing is erased by this step."),
			    ub_device_get_name(device));

	return new_question(parent, _("Enter Recovery Mode?"), body, "enter", _("_Restart"));
}

AdwMessageDialog *
ub_consent_dialog_new_exit_recovery(GtkWindow *parent, UbDevice *device)
{
	/* TRANSLATORS: %s is the device name */
	g_autofree gchar *body =
	    g_strdup_printf(_("Your %s will restart. If iOS works, it starts up as usual "
			      "with all your data. If it comes back to Recovery Mode, iOS "
			      "needs to be repaired."),
			    ub_device_get_name(device));

	return new_question(parent, _("Exit Recovery Mode?"), body, "exit", _("_Restart"));
}

AdwMessageDialog *
ub_consent_dialog_new_not_trusted(GtkWindow *parent, UbDevice *device)
{
	g_auto(GStrv) steps = ub_mode_text_dup_recovery_steps(ub_device_get_button_scheme(device));
	g_autofree gchar *numbered = ub_mode_text_dup_numbered((const gchar *const *)steps);
	/* TRANSLATORS: %s is the device name */
	g_autofree gchar *heading =
	    g_strdup_printf(_("Your %s Hasn’t Trusted This Computer"), ub_device_get_name(device));
	AdwMessageDialog *dialog;
	GtkWidget *steps_label;

	dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(
	    parent,
	    heading,
	    _("Unlock it and tap Trust when it asks, then try again. Or put it in "
	      "Recovery Mode with its buttons:")));
	/* numbered steps read better left-aligned than in the centred body */
	steps_label = gtk_label_new(numbered);
	gtk_label_set_wrap(GTK_LABEL(steps_label), TRUE);
	gtk_label_set_xalign(GTK_LABEL(steps_label), 0);
	gtk_label_set_max_width_chars(GTK_LABEL(steps_label), 40);
	adw_message_dialog_set_extra_child(dialog, steps_label);
	adw_message_dialog_add_responses(
	    dialog, "close", _("_Close"), "guide", _("_Guide Me"), "retry", _("_Try Again"), NULL);
	adw_message_dialog_set_response_appearance(dialog, "retry", ADW_RESPONSE_SUGGESTED);
	adw_message_dialog_set_close_response(dialog, "close");
	return dialog;
}
