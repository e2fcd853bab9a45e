/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-fake-upower.h"

#define UPOWER_NAME "org.freedesktop.UPower"
#define UPOWER_PATH "/org/freedesktop/UPower"

/* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
#define REQUEST_NAME_PRIMARY_OWNER 1

static const gchar introspection_xml[] = "<node>"
					 "  <interface name='org.freedesktop.UPower'>"
					 "    <property name='OnBattery' type='b' access='read'/>"
					 "  </interface>"
					 "</node>";

struct _UbFakeUpower {
	GDBusConnection *connection;
	guint registration_id;
	gboolean on_battery;
	guint n_reads;
};

static GVariant *
ub_fake_upower_get_property_cb(GDBusConnection *connection,
			       const gchar *sender,
			       const gchar *object_path,
			       const gchar *interface_name,
			       const gchar *property_name,
			       GError **error,
			       gpointer user_data)
{
	UbFakeUpower *self = user_data;

	if (g_strcmp0(property_name, "OnBattery") != 0) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_UNKNOWN_PROPERTY,
			    "no property %s",
			    property_name);
		return NULL;
	}
	self->n_reads++;
	return g_variant_new_boolean(self->on_battery);
}

static const GDBusInterfaceVTable vtable = {
    .get_property = ub_fake_upower_get_property_cb,
};

UbFakeUpower *
ub_fake_upower_new(const gchar *bus_address, gboolean on_battery, GError **error)
{
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GVariant) reply = NULL;
	UbFakeUpower *self;
	guint32 result = 0;

	g_return_val_if_fail(bus_address != NULL, NULL);

	node = g_dbus_node_info_new_for_xml(introspection_xml, error);
	if (node == NULL)
		return NULL;

	self = g_new0(UbFakeUpower, 1);
	self->on_battery = on_battery;
	self->connection = g_dbus_connection_new_for_address_sync(
	    bus_address,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL,
	    NULL,
	    error);
	if (self->connection == NULL) {
		ub_fake_upower_free(self);
		return NULL;
	}
	self->registration_id = g_dbus_connection_register_object(
	    self->connection, UPOWER_PATH, node->interfaces[0], &vtable, self, NULL, error);
	if (self->registration_id == 0) {
		ub_fake_upower_free(self);
		return NULL;
	}

	/* synchronously, so the name is ours before a client asks */
	reply =
	    g_dbus_connection_call_sync(self->connection,
					"org.freedesktop.DBus",
					"/org/freedesktop/DBus",
					"org.freedesktop.DBus",
					"RequestName",
					g_variant_new("(su)", UPOWER_NAME, 0x4 /* do not queue */),
					G_VARIANT_TYPE("(u)"),
					G_DBUS_CALL_FLAGS_NONE,
					-1,
					NULL,
					error);
	if (reply == NULL) {
		ub_fake_upower_free(self);
		return NULL;
	}
	g_variant_get(reply, "(u)", &result);
	if (result != REQUEST_NAME_PRIMARY_OWNER) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_EXISTS,
			    "%s is owned by someone else (%u)",
			    UPOWER_NAME,
			    result);
		ub_fake_upower_free(self);
		return NULL;
	}
	return self;
}

void
ub_fake_upower_free(UbFakeUpower *self)
{
	if (self->connection != NULL) {
		g_autoptr(GVariant) reply = NULL;

		/* released before the next test asks for it again, rather than
		 * whenever the bus notices the connection is gone */
		if (self->registration_id != 0) {
			reply = g_dbus_connection_call_sync(self->connection,
							    "org.freedesktop.DBus",
							    "/org/freedesktop/DBus",
							    "org.freedesktop.DBus",
							    "ReleaseName",
							    g_variant_new("(s)", UPOWER_NAME),
							    G_VARIANT_TYPE("(u)"),
							    G_DBUS_CALL_FLAGS_NONE,
							    -1,
							    NULL,
							    NULL);
			g_dbus_connection_unregister_object(self->connection,
							    self->registration_id);
		}
		g_dbus_connection_close_sync(self->connection, NULL, NULL);
		g_object_unref(self->connection);
	}
	g_free(self);
}

void
ub_fake_upower_set_on_battery(UbFakeUpower *self, gboolean on_battery)
{
	self->on_battery = on_battery;
}

guint
ub_fake_upower_get_n_reads(UbFakeUpower *self)
{
	return self->n_reads;
}
