/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* a loopback HTTP server on its own thread serving fixed bodies by path,
 * with Range, If-Range and an ETag, as Apple's download servers do */
typedef struct _UbFakeHttp UbFakeHttp;

UbFakeHttp *
ub_fake_http_new(void);
void
ub_fake_http_free(UbFakeHttp *self);
/* "http://127.0.0.1:PORT" */
const gchar *
ub_fake_http_get_base(UbFakeHttp *self);
void
ub_fake_http_add(UbFakeHttp *self, const gchar *path, const gchar *content_type, GBytes *body);
/* how many requests asked for @path */
guint
ub_fake_http_get_requests(UbFakeHttp *self, const gchar *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFakeHttp, ub_fake_http_free)

G_END_DECLS
