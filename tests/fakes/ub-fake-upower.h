/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * UbFakeUpower: org.freedesktop.UPower on a private bus (a GTestDBus), with
 * just the property the preflight reads, OnBattery, on
 * /org/freedesktop/UPower. It answers on the thread-default main context it
 * was made on, so iterate that context while a client waits.
 */
typedef struct _UbFakeUpower UbFakeUpower;

/* connects to @bus_address, owns the name and exports the object */
UbFakeUpower *
ub_fake_upower_new(const gchar *bus_address, gboolean on_battery, GError **error);
/* releases the name and closes its connection */
void
ub_fake_upower_free(UbFakeUpower *self);

void
ub_fake_upower_set_on_battery(UbFakeUpower *self, gboolean on_battery);
/* how often OnBattery was read */
guint
ub_fake_upower_get_n_reads(UbFakeUpower *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFakeUpower, ub_fake_upower_free)

G_END_DECLS
