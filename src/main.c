/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ub-application.h"
#include "ub-engine-cli.h"
#include "ub-explain-log.h"
#include "ub-ipsw-inspect.h"

int
main(int argc, char *argv[])
{
	g_autoptr(UbApplication) application = NULL;
	gint exit_status = 0;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	/* answered before GTK starts, so it works without a display */
	if (ub_explain_log_handle_args(argc, argv, &exit_status))
		return exit_status;
	if (ub_engine_cli_handle_args(argc, argv, &exit_status))
		return exit_status;
	if (ub_ipsw_inspect_handle_args(argc, argv, &exit_status))
		return exit_status;

	application = ub_application_new();
	return g_application_run(G_APPLICATION(application), argc, argv);
}
