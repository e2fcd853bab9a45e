/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

#include "ub-test.h"

void
ub_test_init(int *argc, char ***argv)
{
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	/* isolated directories hide the desktop's schemas, which GNOME's proxy
	 * module would abort on at the first connection; tests use loopback */
	g_setenv("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
	g_setenv("G_DEBUG", "gc-friendly,fatal-warnings", TRUE);
	/* the test switches (ub-self-test.h) work in tests only */
	g_setenv("UNBRICK_SELF_TEST", "1", TRUE);
	g_test_init(argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/* the project's own test data (tests/data/), real files with their sources
 * in each folder's INDEX.md; a missing one fails the test, never skips it */
gchar *
ub_test_data_path(const gchar *first_element, ...)
{
	g_autofree gchar *tail = NULL;
	gchar *path;
	va_list args;

	va_start(args, first_element);
	tail = g_build_filename_valist(first_element, &args);
	va_end(args);

	path = g_build_filename(UB_TEST_DATA_DIR, tail, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		g_error("test data %s is missing", path);
	return path;
}

static gboolean
timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

gboolean
ub_test_wait_until(gboolean *flag, guint timeout_ms)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add(timeout_ms, timeout_cb, &timed_out);

	while (!*flag && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(id);
	return *flag;
}

void
ub_test_spin(guint ms)
{
	gboolean done = FALSE;
	g_timeout_add(ms, timeout_cb, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

GSocket *
ub_test_listen_unix(const gchar *path)
{
	g_autoptr(GSocketAddress) address = g_unix_socket_address_new(path);
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GError) error = NULL;

	socket = g_socket_new(
	    G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
	g_assert_no_error(error);
	g_socket_bind(socket, address, TRUE, &error);
	g_assert_no_error(error);
	g_socket_listen(socket, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&socket);
}

GBytes *
ub_test_fake_program(gboolean elf, const gchar *const *strings)
{
	GByteArray *bytes = g_byte_array_new();
	static const guint8 magic[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
	static const guint8 padding[64] = {0};

	if (elf)
		g_byte_array_append(bytes, magic, sizeof(magic));
	else
		g_byte_array_append(bytes, (const guint8 *)"#!/bin/sh\n", 10);
	g_byte_array_append(bytes, padding, sizeof(padding));
	for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
		g_byte_array_append(
		    bytes, (const guint8 *)strings[i], (guint)strlen(strings[i]) + 1);
	g_byte_array_append(bytes, padding, sizeof(padding));
	return g_byte_array_free_to_bytes(bytes);
}
