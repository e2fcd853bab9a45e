/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ub-card-ids.h"
#include "ub-preflight-work.h"

static guint64
ub_preflight_add_saturated(guint64 a, guint64 b)
{
	return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

/* the folder may not exist yet (the cache makes it on first use): ask the
 * disk it will be on */
static GFile *
ub_preflight_existing_ancestor(const gchar *path)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);

	while (!g_file_query_exists(file, NULL)) {
		g_autoptr(GFile) parent = g_file_get_parent(file);
		if (parent == NULL)
			break;
		g_set_object(&file, parent);
	}
	return g_steal_pointer(&file);
}

UbCheck *
_ub_preflight_check_disk_space(UbPreflightWork *work)
{
	g_autoptr(GFile) folder = ub_preflight_existing_ancestor(work->storage_dir);
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *free_text = NULL;
	g_autofree gchar *needed_text = NULL;
	g_autofree gchar *title = NULL;
	g_autofree gchar *advice = NULL;
	guint64 free_bytes;
	guint64 needed;

	info = g_file_query_filesystem_info(
	    folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, &error_local);
	if (info == NULL || !g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE)) {
		g_debug("no free space for %s: %s",
			work->storage_dir,
			error_local != NULL ? error_local->message : "not reported");
		return ub_check_new(
		    UB_PREFLIGHT_DISK_SPACE,
		    UB_CHECK_STATUS_PASS,
		    _("Couldn't tell how much space is free where firmware is kept"),
		    NULL,
		    NULL);
	}
	free_bytes = g_file_info_get_attribute_uint64(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);

	/* the firmware itself, unless it is already there; then the system
	 * image idevicerestore extracts from it before sending it: next to
	 * the firmware in its cache folder, or in a temporary file. The
	 * image is most of the IPSW, so count the IPSW's size once more.
	 * The margin covers the smaller parts it extracts (kernel, ramdisks,
	 * firmware for the baseband and the rest), tickets and logs */
	needed = work->firmware_cached ? 0 : work->firmware_size;
	needed = ub_preflight_add_saturated(needed, work->firmware_size);
	needed = ub_preflight_add_saturated(needed, UB_PREFLIGHT_DISK_MARGIN);

	free_text = g_format_size(free_bytes);
	needed_text = g_format_size(needed);
	if (free_bytes < needed) {
		g_autofree gchar *missing_text = g_format_size(needed - free_bytes);

		/* TRANSLATORS: both %s are sizes ("3.1 GB", "13.4 GB") */
		title = g_strdup_printf(_("Only %s is free where firmware is kept, but the "
					  "restore needs %s"),
					free_text,
					needed_text);
		/* TRANSLATORS: %s is a size ("10.3 GB") */
		advice = g_strdup_printf(_("Free up at least %s on that disk, for example by "
					   "emptying the trash, or choose a firmware folder on a "
					   "larger disk in Preferences."),
					 missing_text);
		return ub_check_new(UB_PREFLIGHT_DISK_SPACE,
				    UB_CHECK_STATUS_FAIL,
				    title,
				    advice,
				    UB_CARD_DISK_SPACE);
	}
	if (free_bytes < ub_preflight_add_saturated(needed, UB_PREFLIGHT_DISK_WARN_EXTRA)) {
		/* TRANSLATORS: both %s are sizes ("14.1 GB", "13.4 GB") */
		title = g_strdup_printf(_("%s is free where firmware is kept, only a little "
					  "more than the %s the restore needs"),
					free_text,
					needed_text);
		return ub_check_new(
		    UB_PREFLIGHT_DISK_SPACE,
		    UB_CHECK_STATUS_WARN,
		    title,
		    _("The restore should fit, but the disk will be nearly full, and programs "
		      "that write while it runs could fill it. Free up a few gigabytes first if "
		      "you can."),
		    UB_CARD_DISK_SPACE);
	}
	/* TRANSLATORS: both %s are sizes ("52.3 GB", "13.4 GB") */
	title = g_strdup_printf(
	    _("%s is free where firmware is kept; the restore needs %s"), free_text, needed_text);
	return ub_check_new(UB_PREFLIGHT_DISK_SPACE, UB_CHECK_STATUS_PASS, title, NULL, NULL);
}
