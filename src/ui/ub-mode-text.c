/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-mode-text"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-mode-text.h"

const gchar *
ub_mode_text_get_label(UbDeviceMode mode)
{
	switch (mode) {
	case UB_DEVICE_MODE_NORMAL:
		/* TRANSLATORS: the device is running iOS normally */
		return _("Normal");
	case UB_DEVICE_MODE_RECOVERY:
		return _("Recovery");
	case UB_DEVICE_MODE_DFU:
		/* TRANSLATORS: Device Firmware Update mode; usually left untranslated */
		return _("DFU");
	case UB_DEVICE_MODE_RESTORE:
		/* TRANSLATORS: the device is being restored right now */
		return _("Restore");
	case UB_DEVICE_MODE_DISCONNECTED:
	default:
		return _("Disconnected");
	}
}

const gchar *
ub_mode_text_get_css_class(UbDeviceMode mode)
{
	switch (mode) {
	case UB_DEVICE_MODE_NORMAL:
		return "mode-normal";
	case UB_DEVICE_MODE_RECOVERY:
		return "mode-recovery";
	case UB_DEVICE_MODE_DFU:
		return "mode-dfu";
	case UB_DEVICE_MODE_RESTORE:
		return "mode-restore";
	case UB_DEVICE_MODE_DISCONNECTED:
	default:
		return "mode-disconnected";
	}
}

/* a badge carries exactly one mode-* class: the colour of the mode it names */
void
ub_mode_text_apply_badge(GtkLabel *badge, UbDeviceMode mode)
{
	const UbDeviceMode modes[] = {UB_DEVICE_MODE_NORMAL,
				      UB_DEVICE_MODE_RECOVERY,
				      UB_DEVICE_MODE_DFU,
				      UB_DEVICE_MODE_RESTORE,
				      UB_DEVICE_MODE_DISCONNECTED};

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++)
		gtk_widget_remove_css_class(GTK_WIDGET(badge),
					    ub_mode_text_get_css_class(modes[i]));
	gtk_widget_add_css_class(GTK_WIDGET(badge), ub_mode_text_get_css_class(mode));
	gtk_label_set_label(badge, ub_mode_text_get_label(mode));
}

gchar *
ub_mode_text_dup_description(UbDevice *device)
{
	switch (ub_device_get_mode(device)) {
	case UB_DEVICE_MODE_NORMAL:
		return g_strdup(_("Working normally. You can update it, or put it in Recovery "
				  "Mode to repair iOS."));
	case UB_DEVICE_MODE_RECOVERY:
		return g_strdup(_("Waiting for a computer to repair iOS. Your data is still on "
				  "it, and an Update keeps it."));
	case UB_DEVICE_MODE_DFU:
		return g_strdup(_("In its deepest recovery mode; the screen stays black. Only a "
				  "Restore, which erases it, can run from here."));
	case UB_DEVICE_MODE_RESTORE:
		return g_strdup(_("In Restore Mode, where iOS is installed. Keep it connected "
				  "while a restore runs."));
	case UB_DEVICE_MODE_DISCONNECTED:
	default:
		return g_strdup(_("Not connected right now. Unbrick keeps it listed for a while, "
				  "because a device restarting into another mode disappears "
				  "for a moment."));
	}
}

const gchar *
ub_mode_text_get_icon_name(UbDevice *device)
{
	return ub_device_get_is_ipad(device) ? "tablet-symbolic" : "phone-symbolic";
}

const gchar *
ub_mode_text_get_connector(UbConnector connector)
{
	switch (connector) {
	case UB_CONNECTOR_LIGHTNING:
		return _("Lightning");
	case UB_CONNECTOR_USB_C:
		return _("USB-C");
	case UB_CONNECTOR_UNKNOWN:
	default:
		return _("Unknown");
	}
}

gchar *
ub_mode_text_dup_speed(guint speed_mbps)
{
	if (speed_mbps == 0)
		return g_strdup(_("Unknown speed"));
	if (speed_mbps < 12)
		/* TRANSLATORS: USB 1.x low speed; devices cannot be restored this slowly */
		return g_strdup(_("USB Low Speed (1.5 Mbit/s)"));
	if (speed_mbps < 480)
		return g_strdup(_("USB Full Speed (12 Mbit/s)"));
	if (speed_mbps < 5000)
		return g_strdup(_("USB 2.0 (480 Mbit/s)"));
	/* TRANSLATORS: %u is the link speed in Gbit/s */
	return g_strdup_printf(_("USB 3 (%u Gbit/s)"), speed_mbps / 1000);
}

GStrv
ub_mode_text_dup_recovery_steps(UbButtonScheme scheme)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	g_strv_builder_add(builder, _("Connect it to this computer with the cable."));
	switch (scheme) {
	case UB_BUTTON_SCHEME_A:
		g_strv_builder_add(builder, _("Press and quickly release Volume Up."));
		g_strv_builder_add(builder, _("Press and quickly release Volume Down."));
		g_strv_builder_add(builder,
				   _("Press and hold the Side button. Keep holding when the "
				     "Apple logo appears, until you see a computer and a cable."));
		break;
	case UB_BUTTON_SCHEME_B:
		g_strv_builder_add(builder,
				   _("Press and hold the Side and Volume Down buttons together. "
				     "Keep holding when the Apple logo appears, until you see a "
				     "computer and a cable."));
		break;
	case UB_BUTTON_SCHEME_C:
		g_strv_builder_add(builder,
				   _("Press and hold the Home and Side (or Top) buttons together. "
				     "Keep holding when the Apple logo appears, until you see a "
				     "computer and a cable."));
		break;
	case UB_BUTTON_SCHEME_D:
		g_strv_builder_add(builder,
				   _("Press and quickly release the volume button nearest the "
				     "top button."));
		g_strv_builder_add(builder,
				   _("Press and quickly release the volume button farthest from "
				     "the top button."));
		g_strv_builder_add(builder,
				   _("Press and hold the top button until you see a computer and "
				     "a cable."));
		break;
	case UB_BUTTON_SCHEME_E:
		g_strv_builder_add(builder,
				   _("Press and hold the Home and top buttons together until you "
				     "see a computer and a cable."));
		break;
	case UB_BUTTON_SCHEME_UNKNOWN:
	default:
		g_strv_builder_add(builder,
				   _("Hold the buttons your model uses for a force restart, and "
				     "keep holding past the Apple logo until you see a computer "
				     "and a cable."));
		break;
	}
	return g_strv_builder_end(builder);
}

gchar *
ub_mode_text_dup_numbered(const gchar *const *steps)
{
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; steps != NULL && steps[i] != NULL; i++) {
		if (i > 0)
			g_string_append_c(text, '\n');
		g_string_append_printf(text, "%u. %s", i + 1, steps[i]);
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

const gchar *
ub_mode_text_get_stage_title(UbRestoreStage stage)
{
	switch (stage) {
	case UB_RESTORE_STAGE_PREPARING:
		return _("Preparing");
	case UB_RESTORE_STAGE_SENDING_BOOT_FILES:
		return _("Sending start-up files");
	case UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE:
		return _("Waiting for restore mode");
	case UB_RESTORE_STAGE_RESTORING_SYSTEM:
		return _("Restoring the system");
	case UB_RESTORE_STAGE_VERIFYING:
		return _("Verifying");
	case UB_RESTORE_STAGE_FLASHING_FIRMWARE:
		return _("Updating firmware");
	case UB_RESTORE_STAGE_BASEBAND:
		/* TRANSLATORS: the baseband, the part that handles calls and mobile data */
		return _("Updating the modem");
	case UB_RESTORE_STAGE_FINISHING:
	default:
		return _("Finishing");
	}
}

gchar *
ub_mode_text_dup_duration(gint seconds)
{
	gint minutes = (seconds + 30) / 60;

	if (seconds < 60)
		return g_strdup(_("less than a minute"));
	if (minutes < 90)
		return g_strdup_printf(
		    g_dngettext(GETTEXT_PACKAGE, "about %d minute", "about %d minutes", minutes),
		    minutes);
	return g_strdup_printf(
	    g_dngettext(GETTEXT_PACKAGE, "about %d hour", "about %d hours", (minutes + 30) / 60),
	    (minutes + 30) / 60);
}

gchar *
ub_mode_text_dup_amount(guint64 done, guint64 total)
{
	g_autofree gchar *done_text = g_format_size(done);
	g_autofree gchar *total_text = g_format_size(total);

	/* TRANSLATORS: "1.2 GB of 7.1 GB" */
	return g_strdup_printf(_("%s of %s"), done_text, total_text);
}
