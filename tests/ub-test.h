/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the one set-up every test binary calls: memory GSettings, isolated XDG
 * directories, schemas from the build tree */
void
ub_test_init(int *argc, char ***argv);

/* tests/data/@first_element/...: the project's own real test files; a
 * missing one aborts the test, it never skips */
gchar *
ub_test_data_path(const gchar *first_element, ...) G_GNUC_NULL_TERMINATED;

/* iterate the default context until @flag is TRUE or @timeout_ms passes */
gboolean
ub_test_wait_until(gboolean *flag, guint timeout_ms);

/* iterate the default context for @ms milliseconds */
void
ub_test_spin(guint ms);

/* a bound, listening UNIX socket at @path: all a connect needs (nobody has
 * to accept), as when usbmuxd is running */
GSocket *
ub_test_listen_unix(const gchar *path);

/* the bytes of a made-up program: an ELF header's magic (or a shell
 * script's first line when @elf is FALSE), then each of @strings ended by a
 * NUL, as a program's .rodata holds them */
GBytes *
ub_test_fake_program(gboolean elf, const gchar *const *strings);

G_END_DECLS
