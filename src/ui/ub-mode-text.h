/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ub-device.h"
#include "ub-restore-types.h"
#include "ub-types.h"
#include "ub-usb-port.h"

G_BEGIN_DECLS

/* every enum-to-words table of the interface lives here */
const gchar *
ub_mode_text_get_label(UbDeviceMode mode);
const gchar *
ub_mode_text_get_css_class(UbDeviceMode mode);
gchar *
ub_mode_text_dup_description(UbDevice *device);
const gchar *
ub_mode_text_get_icon_name(UbDevice *device);
void
ub_mode_text_apply_badge(GtkLabel *badge, UbDeviceMode mode);
const gchar *
ub_mode_text_get_connector(UbConnector connector);
gchar *
ub_mode_text_dup_speed(guint speed_mbps);
/* numbered steps, NULL-terminated, for the model's buttons */
GStrv
ub_mode_text_dup_recovery_steps(UbButtonScheme scheme);
gchar *
ub_mode_text_dup_numbered(const gchar *const *steps);

/* "Restoring the system" */
const gchar *
ub_mode_text_get_stage_title(UbRestoreStage stage);
/* "about 12 minutes", "less than a minute" */
gchar *
ub_mode_text_dup_duration(gint seconds);
/* "1.2 GB of 7.1 GB", for every download and check that counts bytes */
gchar *
ub_mode_text_dup_amount(guint64 done, guint64 total);

G_END_DECLS
