/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 still presents a stack's hidden pages to assistive technologies;
 * this keeps them marked hidden, so a screen reader (and the UI tests) see
 * only the page on screen, from now on */
void
ub_a11y_follow_stack(GtkStack *stack);

G_END_DECLS
