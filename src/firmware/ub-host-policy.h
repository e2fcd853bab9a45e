/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * Which hosts Unbrick fetches firmware and catalogs from: Apple's own
 * (apple.com, cdn-apple.com and their subdomains) and the ipsw.me catalog.
 * Plain http:// only for Apple's hosts and only when a catalog hash will
 * verify the bytes. Loopback only when tests allow it.
 */
typedef enum {
	UB_HOST_PURPOSE_CATALOG,  /* api.ipsw.me over https, or Apple's hosts */
	UB_HOST_PURPOSE_FIRMWARE, /* Apple's hosts only */
} UbHostPurpose;

gboolean
ub_host_policy_check_uri(const gchar *uri,
			 UbHostPurpose purpose,
			 gboolean have_hash,
			 GError **error);
/* one hop of a redirect, followed by hand so that every hop meets the
 * policy (libsoup's own following would not ask): the address @location
 * means relative to @uri, checked for @purpose; @hops, the redirects
 * followed so far, goes up by one and may not pass @max_hops. NULL with an
 * error naming why the redirect is not followed */
gchar *
ub_host_policy_follow_redirect(const gchar *uri,
			       const gchar *location,
			       guint *hops,
			       guint max_hops,
			       UbHostPurpose purpose,
			       gboolean have_hash,
			       GError **error);
void
ub_host_policy_set_allow_loopback(gboolean allow_loopback);
gboolean
ub_host_policy_get_allow_loopback(void);

G_END_DECLS
