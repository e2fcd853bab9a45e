/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-self-test"

#include "config.h"

#include "ub-self-test.h"

gboolean
ub_self_test_is_enabled(void)
{
	return g_strcmp0(g_getenv(UB_SELF_TEST), "1") == 0;
}

const gchar *
ub_self_test_get(const gchar *name)
{
	const gchar *value;

	g_return_val_if_fail(name != NULL, NULL);

	/* read at every call: tests change the switches between cases */
	value = g_getenv(name);
	if (value == NULL || value[0] == '\0')
		return NULL;
	if (!ub_self_test_is_enabled()) {
		g_debug("ignoring %s: not a self-test run (%s is not 1)", name, UB_SELF_TEST);
		return NULL;
	}
	return value;
}

gboolean
ub_self_test_get_flag(const gchar *name)
{
	return g_strcmp0(ub_self_test_get(name), "1") == 0;
}
