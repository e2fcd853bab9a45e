/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ub-guidance-types.h"
#include "ub-guide-plan.h"
#include "ub-types.h"

G_BEGIN_DECLS

#define UB_TYPE_BUTTON_DRAWING (ub_button_drawing_get_type())
G_DECLARE_FINAL_TYPE(UbButtonDrawing, ub_button_drawing, UB, BUTTON_DRAWING, GtkWidget)

/* the front of the device with its buttons where they are on the real thing,
 * the ones to press now filled in the accent colour and named beside */
GtkWidget *
ub_button_drawing_new(void);
UbButtonScheme
ub_button_drawing_get_scheme(UbButtonDrawing *self);
/* as set_device() with what the scheme alone says */
void
ub_button_drawing_set_scheme(UbButtonDrawing *self, UbButtonScheme scheme);
/* the model to draw: its scheme, where its buttons are (NULL: from the
 * scheme alone) and its name for a screen reader ("iPhone 8"; NULL: the
 * word for the kind of device) */
void
ub_button_drawing_set_device(UbButtonDrawing *self,
			     UbButtonScheme scheme,
			     const UbButtonLayout *layout,
			     const gchar *name);
UbButtonLayout
ub_button_drawing_get_layout(UbButtonDrawing *self);
UbButton
ub_button_drawing_get_pressed(UbButtonDrawing *self);
void
ub_button_drawing_set_pressed(UbButtonDrawing *self, UbButton pressed);

G_END_DECLS
