/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-host-policy.h"
#include "ub-test.h"

#define ALLOWED (-1)

typedef struct {
	const gchar *uri;
	UbHostPurpose purpose;
	gboolean have_hash;
	gboolean loopback;
	gint expected; /* ALLOWED or the UbError code */
} UbHostPolicyCase;

static const UbHostPolicyCase policy_cases[] = {
    /* Apple's download hosts */
    {"https://updates.cdn-apple.com/2021FCSFall/fullrestores/002-14326/"
     "8FD4229B-E8E8-40F1-9536-0E7DAD3AF513/iPhone12,8_15.0.2_19A404_Restore.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     ALLOWED},
    {"https://appldnld.apple.com/iOS7.1/031-4388.20140310.ZA355/iPad2,1_7.1_11D167_Restore.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     ALLOWED},
    {"https://apple.com/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, FALSE, ALLOWED},
    {"https://cdn-apple.com/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, FALSE, ALLOWED},
    {"https://updates.cdn-apple.com:443/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, FALSE, ALLOWED},
    {"https://UPDATES.CDN-APPLE.COM/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, FALSE, ALLOWED},

    /* plain http only with a hash to check the bytes */
    {"http://updates-http.cdn-apple.com/2021WinterFCS/fullrestores/071-12530/"
     "598B4392-EF03-4F6C-962A-3A8CC9BA9DAC/iPhone11,8,iPhone12,1_14.4.1_18D61_Restore.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     ALLOWED},
    {"http://updates-http.cdn-apple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://updates-http.cdn-apple.com:80/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, FALSE, ALLOWED},
    {"http://itunes.apple.com/check/version",
     UB_HOST_PURPOSE_CATALOG,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},

    /* catalogs */
    {"https://api.ipsw.me/v4/device/iPhone14,2?type=ipsw",
     UB_HOST_PURPOSE_CATALOG,
     FALSE,
     FALSE,
     ALLOWED},
    {"https://Api.IPSW.me/v4/device/iPhone14,2", UB_HOST_PURPOSE_CATALOG, FALSE, FALSE, ALLOWED},
    {"https://itunes.apple.com/check/version", UB_HOST_PURPOSE_CATALOG, FALSE, FALSE, ALLOWED},
    {"https://api.ipsw.me/v4/ipsw/iPhone14,2/19A404",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://api.ipsw.me/v4/device/iPhone14,2",
     UB_HOST_PURPOSE_CATALOG,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://ipsw.me/v4/device/iPhone14,2",
     UB_HOST_PURPOSE_CATALOG,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://s.mzstatic.com/version",
     UB_HOST_PURPOSE_CATALOG,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},

    /* look-alikes */
    {"https://evilapple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://apple.com.evil.net/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://notcdn-apple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://apple.com%2eevil.net/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://example.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    /* Cyrillic "а": arrives as punycode and matches nothing */
    {"https://\xd0\xb0pple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://xn--pple-43d.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://updates.cdn-apple.com./x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://apple.com../x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://bad_name.apple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},

    /* user names, ports, addresses */
    {"https://user:secret@updates.cdn-apple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://updates.cdn-apple.com@evil.net/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://updates.cdn-apple.com\\@evil.net/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://updates.cdn-apple.com:8443/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://updates.cdn-apple.com:80/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://17.253.144.10/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://[2620:149:a44::1]/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"https://2130706433/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, TRUE, UB_ERROR_PERMISSION_DENIED},

    /* loopback only in test mode, then with any port and plain http */
    {"http://127.0.0.1:8080/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://127.0.0.1:8080/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, TRUE, ALLOWED},
    {"http://127.1.2.3/v4/device/iPhone14,2", UB_HOST_PURPOSE_CATALOG, FALSE, TRUE, ALLOWED},
    {"http://[::1]:8080/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, TRUE, ALLOWED},
    {"http://[::1]:8080/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://localhost:1234/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, FALSE, TRUE, ALLOWED},
    {"http://LOCALHOST:1234/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://user@127.0.0.1:8080/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     FALSE,
     TRUE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://127.0.0.1.example.net/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     TRUE,
     UB_ERROR_PERMISSION_DENIED},
    {"http://192.168.1.1/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, TRUE, UB_ERROR_PERMISSION_DENIED},

    /* not web addresses at all */
    {"ftp://updates.cdn-apple.com/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_PERMISSION_DENIED},
    {"file:///etc/passwd", UB_HOST_PURPOSE_FIRMWARE, TRUE, TRUE, UB_ERROR_PERMISSION_DENIED},
    {"https:///x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, FALSE, UB_ERROR_PERMISSION_DENIED},
    {"updates.cdn-apple.com/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, FALSE, UB_ERROR_INVALID_DATA},
    {"", UB_HOST_PURPOSE_FIRMWARE, TRUE, FALSE, UB_ERROR_INVALID_DATA},
    {"https://updates.cdn-apple.com:99999/x.ipsw",
     UB_HOST_PURPOSE_FIRMWARE,
     TRUE,
     FALSE,
     UB_ERROR_INVALID_DATA},
};

static void
ub_host_policy_table_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(policy_cases); i++) {
		const UbHostPolicyCase *policy_case = &policy_cases[i];
		g_autoptr(GError) error = NULL;
		gboolean ret;

		ub_host_policy_set_allow_loopback(policy_case->loopback);
		ret = ub_host_policy_check_uri(
		    policy_case->uri, policy_case->purpose, policy_case->have_hash, &error);
		g_test_message("%s (%s, hash %d, loopback %d): %s",
			       policy_case->uri,
			       policy_case->purpose == UB_HOST_PURPOSE_CATALOG ? "catalog"
									       : "firmware",
			       policy_case->have_hash,
			       policy_case->loopback,
			       error != NULL ? error->message : "allowed");
		if (policy_case->expected == ALLOWED) {
			g_assert_no_error(error);
			g_assert_true(ret);
		} else {
			g_assert_error(error, UB_ERROR, policy_case->expected);
			g_assert_false(ret);
		}
	}
	ub_host_policy_set_allow_loopback(FALSE);
}

/* the message is for a person: it names the host and says what is wrong */
static void
ub_host_policy_messages_func(void)
{
	g_autoptr(GError) error_host = NULL;
	g_autoptr(GError) error_catalog = NULL;
	g_autoptr(GError) error_http = NULL;
	g_autoptr(GError) error_port = NULL;

	g_assert_false(ub_host_policy_check_uri(
	    "https://example.com/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, &error_host));
	g_assert_cmpstr(
	    error_host->message, ==, "the firmware address is not on Apple's servers: example.com");

	g_assert_false(ub_host_policy_check_uri(
	    "https://example.com/v4", UB_HOST_PURPOSE_CATALOG, FALSE, &error_catalog));
	g_assert_nonnull(strstr(error_catalog->message, "api.ipsw.me"));
	g_assert_nonnull(strstr(error_catalog->message, "example.com"));

	g_assert_false(ub_host_policy_check_uri("http://updates-http.cdn-apple.com/x.ipsw",
						UB_HOST_PURPOSE_FIRMWARE,
						FALSE,
						&error_http));
	g_assert_nonnull(strstr(error_http->message, "plain http"));
	g_assert_nonnull(strstr(error_http->message, "checksum"));

	g_assert_false(ub_host_policy_check_uri("https://updates.cdn-apple.com:8443/x.ipsw",
						UB_HOST_PURPOSE_FIRMWARE,
						FALSE,
						&error_port));
	g_assert_nonnull(strstr(error_port->message, "8443"));
}

/* the variable the UI tests set, read on every check */
static void
ub_host_policy_env_func(void)
{
	const gchar *uri = "http://127.0.0.1:8080/v4/device/iPhone14,2";

	ub_host_policy_set_allow_loopback(FALSE);
	g_assert_false(ub_host_policy_get_allow_loopback());
	g_assert_false(ub_host_policy_check_uri(uri, UB_HOST_PURPOSE_CATALOG, FALSE, NULL));

	g_setenv("UNBRICK_ALLOW_LOOPBACK", "0", TRUE);
	g_assert_false(ub_host_policy_get_allow_loopback());
	g_assert_false(ub_host_policy_check_uri(uri, UB_HOST_PURPOSE_CATALOG, FALSE, NULL));

	g_setenv("UNBRICK_ALLOW_LOOPBACK", "1", TRUE);
	g_assert_true(ub_host_policy_get_allow_loopback());
	g_assert_true(ub_host_policy_check_uri(uri, UB_HOST_PURPOSE_CATALOG, FALSE, NULL));

	/* test mode never opens anything but this computer */
	g_assert_false(
	    ub_host_policy_check_uri("https://example.com/", UB_HOST_PURPOSE_CATALOG, FALSE, NULL));

	/* outside a self-test run the switch is ignored: a user's shell that
	 * happens to set it leaves the shipped policy as it is */
	g_unsetenv("UNBRICK_SELF_TEST");
	g_assert_false(ub_host_policy_get_allow_loopback());
	g_assert_false(ub_host_policy_check_uri(uri, UB_HOST_PURPOSE_CATALOG, FALSE, NULL));
	g_setenv("UNBRICK_SELF_TEST", "0", TRUE);
	g_assert_false(ub_host_policy_get_allow_loopback());
	g_setenv("UNBRICK_SELF_TEST", "1", TRUE);
	g_assert_true(ub_host_policy_get_allow_loopback());

	g_unsetenv("UNBRICK_ALLOW_LOOPBACK");
	g_assert_false(ub_host_policy_get_allow_loopback());

	ub_host_policy_set_allow_loopback(TRUE);
	g_assert_true(ub_host_policy_get_allow_loopback());
	ub_host_policy_set_allow_loopback(FALSE);
	g_assert_false(ub_host_policy_get_allow_loopback());
}

static gpointer
ub_host_policy_thread_cb(gpointer user_data)
{
	gint *failures = user_data;

	for (guint i = 0; i < 2000; i++) {
		if (!ub_host_policy_check_uri("https://updates.cdn-apple.com/x.ipsw",
					      UB_HOST_PURPOSE_FIRMWARE,
					      FALSE,
					      NULL))
			g_atomic_int_inc(failures);
		if (ub_host_policy_check_uri(
			"https://evilapple.com/x.ipsw", UB_HOST_PURPOSE_FIRMWARE, TRUE, NULL))
			g_atomic_int_inc(failures);
	}
	return NULL;
}

/* downloads check redirects from their own threads while tests flip the switch */
static void
ub_host_policy_threads_func(void)
{
	GThread *threads[4];
	gint failures = 0;

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("policy", ub_host_policy_thread_cb, &failures);
	for (guint i = 0; i < 1000; i++)
		ub_host_policy_set_allow_loopback(i % 2 == 0);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	ub_host_policy_set_allow_loopback(FALSE);
	g_assert_cmpint(failures, ==, 0);
}

/* every hop of a redirect meets the policy, and the hops are counted */
static void
ub_host_policy_redirect_func(void)
{
	const gchar *start = "https://updates.cdn-apple.com/2025/iPhone.ipsw";
	g_autoptr(GError) error = NULL;
	g_autofree gchar *next = NULL;
	guint hops = 0;

	/* relative to where it was */
	next = ub_host_policy_follow_redirect(
	    start, "/mirror/iPhone.ipsw", &hops, 3, UB_HOST_PURPOSE_FIRMWARE, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(next, ==, "https://updates.cdn-apple.com/mirror/iPhone.ipsw");
	g_assert_cmpuint(hops, ==, 1);
	g_clear_pointer(&next, g_free);

	/* to another of Apple's hosts */
	next = ub_host_policy_follow_redirect(start,
					      "https://secure-appldnld.apple.com/x.ipsw",
					      &hops,
					      3,
					      UB_HOST_PURPOSE_FIRMWARE,
					      FALSE,
					      &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hops, ==, 2);
	g_clear_pointer(&next, g_free);

	/* away from Apple: refused, and said so */
	next = ub_host_policy_follow_redirect(start,
					      "https://ipsw.example.net/x.ipsw",
					      &hops,
					      3,
					      UB_HOST_PURPOSE_FIRMWARE,
					      FALSE,
					      &error);
	g_assert_null(next);
	g_assert_error(error, UB_ERROR, UB_ERROR_PERMISSION_DENIED);
	g_assert_true(g_str_has_prefix(error->message, "refused a redirect: "));
	g_clear_error(&error);

	/* the last hop allowed, then one too many */
	hops = 3;
	next = ub_host_policy_follow_redirect(
	    start, "/again", &hops, 3, UB_HOST_PURPOSE_FIRMWARE, FALSE, &error);
	g_assert_null(next);
	g_assert_error(error, UB_ERROR, UB_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "updates.cdn-apple.com redirected too many times");
	g_clear_error(&error);

	/* a redirect that says nowhere */
	hops = 0;
	next = ub_host_policy_follow_redirect(
	    start, "", &hops, 3, UB_HOST_PURPOSE_FIRMWARE, FALSE, &error);
	g_assert_null(next);
	g_assert_error(error, UB_ERROR, UB_ERROR_INVALID_DATA);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	/* the table decides loopback itself */
	g_unsetenv("UNBRICK_ALLOW_LOOPBACK");

	g_test_add_func("/unbrick/host-policy/table", ub_host_policy_table_func);
	g_test_add_func("/unbrick/host-policy/messages", ub_host_policy_messages_func);
	g_test_add_func("/unbrick/host-policy/env", ub_host_policy_env_func);
	g_test_add_func("/unbrick/host-policy/threads", ub_host_policy_threads_func);
	g_test_add_func("/unbrick/host-policy/redirect", ub_host_policy_redirect_func);
	return g_test_run();
}
