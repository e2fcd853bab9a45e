/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * UbBuildIdentity:
 * One entry of BuildManifest's BuildIdentities.
 * @device_class: Info/DeviceClass ("d63ap")
 * @restore_behavior: Info/RestoreBehavior, "Erase" or "Update"
 * @variant: Info/Variant ("Customer Erase Install (IPSW)")
 */
typedef struct {
	guint cpid;
	guint bdid;
	gchar *device_class;
	gchar *restore_behavior;
	gchar *variant;
} UbBuildIdentity;

#define UB_TYPE_BUILD_IDENTITY (ub_build_identity_get_type())
GType
ub_build_identity_get_type(void);
UbBuildIdentity *
ub_build_identity_copy(const UbBuildIdentity *identity);
void
ub_build_identity_free(UbBuildIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbBuildIdentity, ub_build_identity_free)

#define UB_TYPE_IPSW (ub_ipsw_get_type())
G_DECLARE_FINAL_TYPE(UbIpsw, ub_ipsw, UB, IPSW, GObject)

/* opens the zip and reads BuildManifest.plist (and Restore.plist when present) */
UbIpsw *
ub_ipsw_open(const gchar *path, GError **error);
const gchar *
ub_ipsw_get_path(UbIpsw *self);
const gchar *
ub_ipsw_get_version(UbIpsw *self);
const gchar *
ub_ipsw_get_build(UbIpsw *self);
/* SupportedProductTypes, NULL-terminated */
const gchar *const *
ub_ipsw_get_product_types(UbIpsw *self);
/* of UbBuildIdentity */
GPtrArray *
ub_ipsw_get_build_identities(UbIpsw *self);
/* TRUE when the manifest lists @product_type and an identity for
 * @hardware_model (board, any case); sets a clear error otherwise */
gboolean
ub_ipsw_check_device(UbIpsw *self,
		     const gchar *product_type,
		     const gchar *hardware_model,
		     GError **error);
gboolean
ub_ipsw_has_restore_behavior(UbIpsw *self, const gchar *hardware_model, const gchar *behavior);
/* whether a Restore.plist was there and passed; a bad one is ignored */
gboolean
ub_ipsw_has_restore_plist(UbIpsw *self);
/* what ub_ipsw_open() checked and passed, in order, NULL-terminated:
 * short stable English names ("manifest plist guard") */
const gchar *const *
ub_ipsw_get_checks(UbIpsw *self);

/* safe extraction of every member into @dest_dir on a worker thread:
 * absolute names, "..", links and members larger than the central
 * directory declares are refused; progress 0..1 via @progress on the main
 * context */
typedef void (*UbIpswProgress)(gdouble fraction, gpointer user_data);
void
ub_ipsw_extract_async(UbIpsw *self,
		      const gchar *dest_dir,
		      UbIpswProgress progress,
		      gpointer progress_data,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data);
gboolean
ub_ipsw_extract_finish(UbIpsw *self, GAsyncResult *result, GError **error);

G_END_DECLS
