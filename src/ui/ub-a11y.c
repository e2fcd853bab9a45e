/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-a11y.h"

static void
stack_visible_child_cb(GtkStack *stack)
{
	GtkWidget *visible = gtk_stack_get_visible_child(stack);

	for (GtkWidget *child = gtk_widget_get_first_child(GTK_WIDGET(stack)); child != NULL;
	     child = gtk_widget_get_next_sibling(child))
		gtk_accessible_update_state(
		    GTK_ACCESSIBLE(child), GTK_ACCESSIBLE_STATE_HIDDEN, child != visible, -1);
}

void
ub_a11y_follow_stack(GtkStack *stack)
{
	g_return_if_fail(GTK_IS_STACK(stack));

	g_signal_connect(stack, "notify::visible-child", G_CALLBACK(stack_visible_child_cb), NULL);
	stack_visible_child_cb(stack);
}
