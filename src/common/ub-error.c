/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"

/* spelled out rather than G_DEFINE_QUARK(ub-error-quark, …): clang-format
 * puts spaces around the dashes of that macro argument, and the domain
 * string would read "ub - error - quark" */
GQuark
ub_error_quark(void)
{
	return g_quark_from_static_string("ub-error-quark");
}
