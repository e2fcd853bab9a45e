/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-toast.h"

void
ub_toast_show(GtkWidget *widget, const gchar *title)
{
	GtkWidget *overlay;

	g_return_if_fail(GTK_IS_WIDGET(widget));
	g_return_if_fail(title != NULL);

	overlay = gtk_widget_get_ancestor(widget, ADW_TYPE_TOAST_OVERLAY);
	if (overlay != NULL)
		adw_toast_overlay_add_toast(ADW_TOAST_OVERLAY(overlay), adw_toast_new(title));
}
