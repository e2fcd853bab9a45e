/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ub-device.h"

G_BEGIN_DECLS

/*
 * The questions asked before Unbrick changes anything on a device: each a
 * message dialog on @parent saying what happens to the device and its data,
 * with Cancel as the close response. The page connects to "response" and
 * acts on the id named here.
 */

/* "update" */
AdwMessageDialog *
ub_consent_dialog_new_update(GtkWindow *parent, UbDevice *device);
/* "erase", enabled only once the user ticked that everything is erased;
 * the page checks adw_message_dialog_get_response_enabled() again */
AdwMessageDialog *
ub_consent_dialog_new_erase(GtkWindow *parent, UbDevice *device);
/* "enter" */
AdwMessageDialog *
ub_consent_dialog_new_enter_recovery(GtkWindow *parent, UbDevice *device);
/* "exit" */
AdwMessageDialog *
ub_consent_dialog_new_exit_recovery(GtkWindow *parent, UbDevice *device);
/* the device refused the computer: "retry" asks again, "guide" opens the
 * button guide to Recovery Mode */
AdwMessageDialog *
ub_consent_dialog_new_not_trusted(GtkWindow *parent, UbDevice *device);

G_END_DECLS
