/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-device-row.h"
#include "ub-mode-text.h"

struct _UbDeviceRow {
	GtkListBoxRow parent_instance;

	UbDevice *device;

	GtkImage *icon;
	GtkLabel *name_label;
	GtkLabel *mode_label;
	GtkLabel *demo_label;
};

G_DEFINE_FINAL_TYPE(UbDeviceRow, ub_device_row, GTK_TYPE_LIST_BOX_ROW)

static void
update_row(UbDeviceRow *self)
{
	UbDeviceMode mode = ub_device_get_mode(self->device);
	g_autofree gchar *accessible = NULL;

	gtk_image_set_from_icon_name(self->icon, ub_mode_text_get_icon_name(self->device));
	gtk_label_set_label(self->name_label, ub_device_get_name(self->device));
	ub_mode_text_apply_badge(self->mode_label, mode);
	gtk_widget_set_visible(GTK_WIDGET(self->demo_label), ub_device_get_simulated(self->device));

	/* TRANSLATORS: a device in the list, e.g. "iPhone 13 Pro, Recovery" */
	accessible = g_strdup_printf(
	    _("%s, %s"), ub_device_get_name(self->device), ub_mode_text_get_label(mode));
	gtk_accessible_update_property(
	    GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
ub_device_row_dispose(GObject *object)
{
	UbDeviceRow *self = UB_DEVICE_ROW(object);

	if (self->device != NULL)
		g_signal_handlers_disconnect_by_data(self->device, self);
	g_clear_object(&self->device);
	gtk_widget_dispose_template(GTK_WIDGET(self), UB_TYPE_DEVICE_ROW);

	G_OBJECT_CLASS(ub_device_row_parent_class)->dispose(object);
}

static void
ub_device_row_class_init(UbDeviceRowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ub_device_row_dispose;

	gtk_widget_class_set_template_from_resource(widget_class,
						    RESOURCE_PATH "/ui/ub-device-row.ui");
	gtk_widget_class_bind_template_child(widget_class, UbDeviceRow, icon);
	gtk_widget_class_bind_template_child(widget_class, UbDeviceRow, name_label);
	gtk_widget_class_bind_template_child(widget_class, UbDeviceRow, mode_label);
	gtk_widget_class_bind_template_child(widget_class, UbDeviceRow, demo_label);
}

static void
ub_device_row_init(UbDeviceRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

UbDeviceRow *
ub_device_row_new(UbDevice *device)
{
	UbDeviceRow *self;

	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);

	self = g_object_new(UB_TYPE_DEVICE_ROW, NULL);
	self->device = g_object_ref(device);
	g_signal_connect_object(device, "notify", G_CALLBACK(update_row), self, G_CONNECT_SWAPPED);
	update_row(self);
	return self;
}

UbDevice *
ub_device_row_get_device(UbDeviceRow *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_ROW(self), NULL);
	return self->device;
}
