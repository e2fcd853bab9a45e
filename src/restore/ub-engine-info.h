/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device-db.h"

G_BEGIN_DECLS

/*
 * UbEngineInfo: what an idevicerestore build is and what it can restore,
 * from its `-v` line (Debian 12's "idevicerestore 1.0.0" from 2020, a git
 * build "idevicerestore 1.0.0-NNN-gHASH (libirecovery X, libtatsu Y)", or a
 * packager's own "1.0.1") and, once probed, from the program itself: the
 * upstream changes it carries and the model table of the libirecovery it
 * loads (ub-engine-scan.c).
 */
typedef struct _UbEngineInfo UbEngineInfo;

#define UB_TYPE_ENGINE_INFO (ub_engine_info_get_type())
GType
ub_engine_info_get_type(void);

/* NULL with UB_ERROR_INVALID_DATA when the text is no idevicerestore banner */
UbEngineInfo *
ub_engine_info_parse(const gchar *version_output, GError **error);
UbEngineInfo *
ub_engine_info_ref(UbEngineInfo *self);
void
ub_engine_info_unref(UbEngineInfo *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbEngineInfo, ub_engine_info_unref)

/* "1.0.0-226-gbb5591d" */
const gchar *
ub_engine_info_get_version(UbEngineInfo *self);
/* commits after the 1.0.0 tag; 0 for the release itself */
guint
ub_engine_info_get_commits(UbEngineInfo *self);
/* "1.2.1-9-g0f0928a"; for a plain 1.0.0 build "1.0.0" (what it was released with) */
const gchar *
ub_engine_info_get_libirecovery_version(UbEngineInfo *self);
/* NULL before libtatsu existed */
const gchar *
ub_engine_info_get_libtatsu_version(UbEngineInfo *self);

/* "2024-06": the newest upstream change that matters for restores it
 * carries; NULL when nothing tells */
const gchar *
ub_engine_info_get_generation(UbEngineInfo *self);
/* the newest iOS major it can install (26 for a current engine); 0 when
 * that cannot be told */
guint
ub_engine_info_get_newest_ios(UbEngineInfo *self);
/* the libirecovery the program loads; NULL when the probe could not tell */
const gchar *
ub_engine_info_get_libirecovery_path(UbEngineInfo *self);

/*
 * whether this engine can restore @product_type to iOS @ios_major (0 =
 * unknown); when not, FALSE with UB_ERROR_NOT_SUPPORTED and a message for
 * the user that says what to install instead
 */
gboolean
ub_engine_info_can_restore(UbEngineInfo *self,
			   const gchar *product_type,
			   guint ios_major,
			   GError **error);

/* the most recently released model of @family ("iPhone", "iPad") in the
 * bundled table this engine can restore; NULL for none */
const UbDeviceModel *
ub_engine_info_get_newest_model(UbEngineInfo *self, const gchar *family);

/* runs `PATH -v` (PATH as given, or looked up in $PATH when it has no "/"),
 * asks the dynamic loader which libirecovery it loads, and reads both */
void
ub_engine_info_probe_async(const gchar *engine_path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
UbEngineInfo *
ub_engine_info_probe_finish(GAsyncResult *result, GError **error);

G_END_DECLS
