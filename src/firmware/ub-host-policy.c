/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-host-policy"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ub-error.h"
#include "ub-host-policy.h"
#include "ub-self-test.h"

/* the flags libsoup parses with (SOUP_HTTP_URI_FLAGS), so the host checked
 * here is the host libsoup connects to; spelled out to keep this file free
 * of libsoup */
#define UB_HOST_POLICY_URI_FLAGS                                                           \
	(G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY | \
	 G_URI_FLAGS_ENCODED_FRAGMENT | G_URI_FLAGS_SCHEME_NORMALIZE)

/* read from download threads as well as the main thread */
static gint allow_loopback = 0;

void
ub_host_policy_set_allow_loopback(gboolean value)
{
	g_atomic_int_set(&allow_loopback, value ? 1 : 0);
}

gboolean
ub_host_policy_get_allow_loopback(void)
{
	if (g_atomic_int_get(&allow_loopback) != 0)
		return TRUE;
	return ub_self_test_get_flag(UB_SELF_TEST_ALLOW_LOOPBACK);
}

static const gchar *
ub_host_policy_purpose_noun(UbHostPurpose purpose)
{
	if (purpose == UB_HOST_PURPOSE_CATALOG)
		return "catalog";
	return "firmware";
}

/* @host is lowercase; "apple.com" itself or anything ending in ".apple.com",
 * so neither "evilapple.com" nor "apple.com.evil.net" passes */
static gboolean
ub_host_policy_host_in_domain(const gchar *host, const gchar *domain)
{
	gsize host_len = strlen(host);
	gsize domain_len = strlen(domain);

	if (host_len == domain_len)
		return g_strcmp0(host, domain) == 0;
	if (host_len < domain_len + 2)
		return FALSE;
	return host[host_len - domain_len - 1] == '.' &&
	       g_strcmp0(host + host_len - domain_len, domain) == 0;
}

/* letters, digits and hyphens in non-empty labels; anything odder (a
 * trailing dot, "_", spaces, a bare number) is refused rather than
 * interpreted, as an allowlist should */
static gboolean
ub_host_policy_host_is_plain_name(const gchar *host)
{
	g_auto(GStrv) labels = NULL;
	gboolean all_digits = TRUE;
	gsize host_len = strlen(host);

	if (host_len == 0 || host_len > 253)
		return FALSE;
	labels = g_strsplit(host, ".", -1);
	for (guint i = 0; labels[i] != NULL; i++) {
		const gchar *label = labels[i];
		gsize label_len = strlen(label);

		if (label_len == 0 || label_len > 63)
			return FALSE;
		if (label[0] == '-' || label[label_len - 1] == '-')
			return FALSE;
		all_digits = TRUE;
		for (gsize j = 0; j < label_len; j++) {
			if (!g_ascii_islower(label[j]) && !g_ascii_isdigit(label[j]) &&
			    label[j] != '-')
				return FALSE;
			if (!g_ascii_isdigit(label[j]))
				all_digits = FALSE;
		}
	}

	/* a numeric top-level label is an address in disguise ("2130706433") */
	return !all_digits;
}

static gboolean
ub_host_policy_host_is_loopback(const gchar *host)
{
	g_autoptr(GInetAddress) address = NULL;

	if (g_strcmp0(host, "localhost") == 0)
		return TRUE;
	address = g_inet_address_new_from_string(host);
	return address != NULL && g_inet_address_get_is_loopback(address);
}

gboolean
ub_host_policy_check_uri(const gchar *uri,
			 UbHostPurpose purpose,
			 gboolean have_hash,
			 GError **error)
{
	g_autoptr(GUri) parsed = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *host = NULL;
	const gchar *noun = ub_host_policy_purpose_noun(purpose);
	const gchar *scheme;
	gboolean is_https;
	gboolean is_http;
	gint port;

	g_return_val_if_fail(uri != NULL, FALSE);
	g_return_val_if_fail(
	    purpose == UB_HOST_PURPOSE_CATALOG || purpose == UB_HOST_PURPOSE_FIRMWARE, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	parsed = g_uri_parse(uri, UB_HOST_POLICY_URI_FLAGS, &error_local);
	if (parsed == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "the %s address is not a valid web address: %s",
			    noun,
			    error_local->message);
		return FALSE;
	}

	/* GUri lowercases the scheme */
	scheme = g_uri_get_scheme(parsed);
	is_https = g_strcmp0(scheme, "https") == 0;
	is_http = g_strcmp0(scheme, "http") == 0;
	if (!is_https && !is_http) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address is not a web address (it uses %s:)",
			    noun,
			    scheme);
		return FALSE;
	}

	/* "https://apple.com@evil.example/" goes to evil.example */
	if (g_uri_get_userinfo(parsed) != NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address contains a user name or password",
			    noun);
		return FALSE;
	}

	if (g_uri_get_host(parsed) == NULL || g_uri_get_host(parsed)[0] == '\0') {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address names no server",
			    noun);
		return FALSE;
	}

	/* GUri has already turned international names into punycode, so a
	 * look-alike such as "аpple.com" arrives here as "xn--pple-43d.com" */
	host = g_ascii_strdown(g_uri_get_host(parsed), -1);
	port = g_uri_get_port(parsed);

	if (ub_host_policy_host_is_loopback(host)) {
		if (!ub_host_policy_get_allow_loopback()) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_PERMISSION_DENIED,
				    "the %s address points at this computer (%s), which only "
				    "tests may use",
				    noun,
				    host);
			return FALSE;
		}

		/* test servers listen on random ports and cannot do TLS */
		return TRUE;
	}

	if (g_hostname_is_ip_address(host)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address is a bare IP address, not one of Apple's servers: %s",
			    noun,
			    host);
		return FALSE;
	}

	if (!ub_host_policy_host_is_plain_name(host)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address has an unusual server name: %s",
			    noun,
			    host);
		return FALSE;
	}

	if (port != -1 && port != (is_https ? 443 : 80)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address uses an unusual port: %s:%d",
			    noun,
			    host,
			    port);
		return FALSE;
	}

	if (!ub_host_policy_host_in_domain(host, "apple.com") &&
	    !ub_host_policy_host_in_domain(host, "cdn-apple.com")) {
		if (purpose == UB_HOST_PURPOSE_CATALOG && g_strcmp0(host, "api.ipsw.me") == 0) {
			if (!is_https) {
				g_set_error(error,
					    UB_ERROR,
					    UB_ERROR_PERMISSION_DENIED,
					    "the catalog address must use https: %s",
					    host);
				return FALSE;
			}
			return TRUE;
		}
		if (purpose == UB_HOST_PURPOSE_CATALOG) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_PERMISSION_DENIED,
				    "the catalog address is neither on Apple's servers nor on "
				    "api.ipsw.me: %s",
				    host);
			return FALSE;
		}
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the firmware address is not on Apple's servers: %s",
			    host);
		return FALSE;
	}

	/* many of Apple's IPSW links are plain http; that is only safe when a
	 * catalog hash will check every byte that arrives */
	if (is_http && !have_hash) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_PERMISSION_DENIED,
			    "the %s address uses plain http and there is no checksum to verify "
			    "what arrives: %s",
			    noun,
			    host);
		return FALSE;
	}

	return TRUE;
}

gchar *
ub_host_policy_follow_redirect(const gchar *uri,
			       const gchar *location,
			       guint *hops,
			       guint max_hops,
			       UbHostPurpose purpose,
			       gboolean have_hash,
			       GError **error)
{
	g_autoptr(GUri) base = NULL;
	g_autoptr(GUri) next = NULL;
	g_autofree gchar *next_str = NULL;

	g_return_val_if_fail(uri != NULL, NULL);
	g_return_val_if_fail(hops != NULL, NULL);

	base = g_uri_parse(uri, G_URI_FLAGS_ENCODED, error);
	if (base == NULL)
		return NULL;
	if (location == NULL || location[0] == '\0') {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s sent a redirect without a destination",
			    g_uri_get_host(base));
		return NULL;
	}
	if (++(*hops) > max_hops) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "%s redirected too many times",
			    g_uri_get_host(base));
		return NULL;
	}
	next = g_uri_parse_relative(base, location, G_URI_FLAGS_ENCODED, error);
	if (next == NULL) {
		g_prefix_error(error, "failed to follow a redirect: ");
		return NULL;
	}
	next_str = g_uri_to_string(next);
	if (!ub_host_policy_check_uri(next_str, purpose, have_hash, error)) {
		g_prefix_error(error, "refused a redirect: ");
		return NULL;
	}
	g_debug("following a redirect to %s", next_str);
	return g_steal_pointer(&next_str);
}
