/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware-catalog"

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-firmware-catalog-private.h"
#include "ub-host-policy.h"
#include "ub-json.h"

struct _UbFirmwareCatalog {
	GObject parent_instance;

	gchar *ipswme_base;
	gchar *apple_catalog_url;
	gchar *cache_dir;
	SoupSession *session;
};

G_DEFINE_FINAL_TYPE(UbFirmwareCatalog, ub_firmware_catalog, G_TYPE_OBJECT)

/* one GET, redirects followed by hand so that each hop meets the policy */
typedef struct {
	SoupSession *session;
	UbHostPurpose purpose;
	GUri *uri;
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *buf;
	guint redirects;
	gboolean transient; /* offline or server trouble: the cache may stand in */
} UbCatalogFetch;

typedef struct {
	gchar *product_type;
	gchar *cache_path; /* NULL when nothing is cached */
	GBytes *body;
	GPtrArray *firmwares;
	UbFirmware *apple;
} UbCatalogList;

/* Apple's catalog, parsed on a worker: it is megabytes of plist, and
 * libplist would hold the main thread (and the window) for as long */
typedef struct {
	GBytes *body;
	gchar *product_type;
} UbCatalogParse;

static void
ub_catalog_parse_free(UbCatalogParse *parse)
{
	g_clear_pointer(&parse->body, g_bytes_unref);
	g_free(parse->product_type);
	g_free(parse);
}

static void
ub_catalog_fetch_free(UbCatalogFetch *fetch)
{
	g_clear_object(&fetch->session);
	g_clear_pointer(&fetch->uri, g_uri_unref);
	g_clear_object(&fetch->msg);
	g_clear_object(&fetch->stream);
	g_clear_pointer(&fetch->buf, g_byte_array_unref);
	g_free(fetch);
}

static void
ub_catalog_list_free(UbCatalogList *list)
{
	g_free(list->product_type);
	g_free(list->cache_path);
	g_clear_pointer(&list->body, g_bytes_unref);
	g_clear_pointer(&list->firmwares, g_ptr_array_unref);
	g_clear_object(&list->apple);
	g_free(list);
}

/* fetching */

static void
ub_firmware_catalog_fetch_send(GTask *task);
static void
ub_firmware_catalog_fetch_read(GTask *task);

static void
ub_firmware_catalog_fetch_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogFetch *fetch = g_task_get_task_data(task);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gsize len;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		fetch->transient = !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	len = g_bytes_get_size(bytes);
	if (len == 0) {
		g_task_return_pointer(task,
				      g_byte_array_free_to_bytes(g_steal_pointer(&fetch->buf)),
				      (GDestroyNotify)g_bytes_unref);
		return;
	}
	if (fetch->buf->len + len > UB_FIRMWARE_CATALOG_MAX_BODY) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"the answer from %s is far too big for a catalog",
					g_uri_get_host(fetch->uri));
		return;
	}
	g_byte_array_append(fetch->buf, g_bytes_get_data(bytes, NULL), (guint)len);
	ub_firmware_catalog_fetch_read(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_fetch_read(GTask *task)
{
	UbCatalogFetch *fetch = g_task_get_task_data(task);

	g_input_stream_read_bytes_async(fetch->stream,
					UB_FIRMWARE_CATALOG_READ_CHUNK,
					G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task),
					ub_firmware_catalog_fetch_read_cb,
					task);
}

static gboolean
ub_firmware_catalog_fetch_redirect(UbCatalogFetch *fetch, guint status, GError **error)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(fetch->msg);
	const gchar *location = soup_message_headers_get_one(headers, "Location");
	g_autoptr(GUri) next = NULL;
	g_autofree gchar *current = NULL;
	g_autofree gchar *next_str = NULL;

	if (status != SOUP_STATUS_MOVED_PERMANENTLY && status != SOUP_STATUS_FOUND &&
	    status != SOUP_STATUS_SEE_OTHER && status != SOUP_STATUS_TEMPORARY_REDIRECT &&
	    status != SOUP_STATUS_PERMANENT_REDIRECT) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "%s answered %u %s",
			    g_uri_get_host(fetch->uri),
			    status,
			    soup_message_get_reason_phrase(fetch->msg));
		return FALSE;
	}
	current = g_uri_to_string(fetch->uri);
	next_str = ub_host_policy_follow_redirect(current,
						  location,
						  &fetch->redirects,
						  UB_FIRMWARE_CATALOG_MAX_REDIRECTS,
						  fetch->purpose,
						  FALSE,
						  error);
	if (next_str == NULL)
		return FALSE;
	next = g_uri_parse(next_str, SOUP_HTTP_URI_FLAGS, error);
	if (next == NULL)
		return FALSE;
	g_uri_unref(fetch->uri);
	fetch->uri = g_steal_pointer(&next);
	return TRUE;
}

static void
ub_firmware_catalog_fetch_send_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogFetch *fetch = g_task_get_task_data(task);
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error = NULL;
	SoupMessageHeaders *headers;
	guint status;

	stream = soup_session_send_finish(SOUP_SESSION(source), res, &error);
	if (stream == NULL) {
		fetch->transient = !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	status = soup_message_get_status(fetch->msg);
	if (SOUP_STATUS_IS_REDIRECTION(status)) {
		if (!ub_firmware_catalog_fetch_redirect(fetch, status, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		ub_firmware_catalog_fetch_send(g_steal_pointer(&task));
		return;
	}
	if (status != SOUP_STATUS_OK) {
		/* the server is there but unwell, so the last answer may stand in */
		fetch->transient =
		    SOUP_STATUS_IS_SERVER_ERROR(status) ||
		    status == 429 /* too many requests, not named in libsoup 3.2 */ ||
		    status == SOUP_STATUS_REQUEST_TIMEOUT;
		g_task_return_new_error(task,
					UB_ERROR,
					status == SOUP_STATUS_NOT_FOUND ? UB_ERROR_NOT_FOUND
									: UB_ERROR_FAILED,
					"%s answered %u %s",
					g_uri_get_host(fetch->uri),
					status,
					soup_message_get_reason_phrase(fetch->msg));
		return;
	}

	headers = soup_message_get_response_headers(fetch->msg);
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length(headers) > UB_FIRMWARE_CATALOG_MAX_BODY) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"the answer from %s is far too big for a catalog",
					g_uri_get_host(fetch->uri));
		return;
	}
	fetch->stream = g_steal_pointer(&stream);
	ub_firmware_catalog_fetch_read(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_fetch_send(GTask *task)
{
	UbCatalogFetch *fetch = g_task_get_task_data(task);

	g_clear_object(&fetch->msg);
	fetch->msg = soup_message_new_from_uri(SOUP_METHOD_GET, fetch->uri);
	soup_message_add_flags(fetch->msg, SOUP_MESSAGE_NO_REDIRECT);
	soup_session_send_async(fetch->session,
				fetch->msg,
				G_PRIORITY_DEFAULT,
				g_task_get_cancellable(task),
				ub_firmware_catalog_fetch_send_cb,
				task);
}

static void
ub_firmware_catalog_fetch_async(UbFirmwareCatalog *self,
				const gchar *uri,
				UbHostPurpose purpose,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	UbCatalogFetch *fetch = g_new0(UbCatalogFetch, 1);
	g_autoptr(GError) error = NULL;

	g_task_set_source_tag(task, ub_firmware_catalog_fetch_async);
	fetch->session = g_object_ref(self->session);
	fetch->purpose = purpose;
	fetch->buf = g_byte_array_new();
	g_task_set_task_data(task, fetch, (GDestroyNotify)ub_catalog_fetch_free);

	if (!ub_host_policy_check_uri(uri, purpose, FALSE, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	fetch->uri = g_uri_parse(uri, SOUP_HTTP_URI_FLAGS, &error);
	if (fetch->uri == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"not a valid address: %s",
					error->message);
		return;
	}
	ub_firmware_catalog_fetch_send(g_steal_pointer(&task));
}

/* @transient: whether the failure may pass by itself (offline, server trouble) */
static GBytes *
ub_firmware_catalog_fetch_finish(GAsyncResult *res, gboolean *transient, GError **error)
{
	UbCatalogFetch *fetch = g_task_get_task_data(G_TASK(res));

	*transient = fetch->transient;
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* libsoup and GIO errors become UB_ERROR here; cancellation stays as it is */
static void
ub_firmware_catalog_map_error(GError **error)
{
	GError *mapped;

	if ((*error)->domain == UB_ERROR ||
	    g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	mapped = g_error_new_literal(UB_ERROR,
				     g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
					 ? UB_ERROR_TIMED_OUT
					 : UB_ERROR_FAILED,
				     (*error)->message);
	g_error_free(*error);
	*error = mapped;
}

/* listing */

static void
ub_firmware_catalog_list_done(GTask *task)
{
	UbCatalogList *list = g_task_get_task_data(task);
	UbCatalogResult *result = g_new0(UbCatalogResult, 1);
	g_autoptr(GError) error = NULL;

	if (list->apple != NULL)
		_ub_firmware_catalog_merge_apple(list->firmwares, list->apple);
	g_ptr_array_sort(list->firmwares, ub_firmware_compare_newest_first);

	/* whole seconds, the same as a time read back from the cache */
	result->fetched_at = g_date_time_new_from_unix_utc(g_get_real_time() / G_USEC_PER_SEC);
	result->firmwares = g_steal_pointer(&list->firmwares);
	if (list->cache_path != NULL &&
	    !_ub_firmware_catalog_write_cache(
		list->cache_path, list->body, list->apple, result->fetched_at, &error)) {
		/* the list itself is fine; only offline use suffers */
		g_info("%s", error->message);
	}
	g_task_return_pointer(task, result, (GDestroyNotify)_ub_catalog_result_free);
}

/* on the worker: touches only the task data */
static void
ub_firmware_catalog_parse_apple_thread(GTask *task,
				       gpointer source_object,
				       gpointer task_data,
				       GCancellable *cancellable)
{
	UbCatalogParse *parse = task_data;
	GError *error = NULL;
	UbFirmware *firmware;

	firmware = ub_firmware_catalog_parse_apple(parse->body, parse->product_type, &error);
	if (firmware == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, firmware, g_object_unref);
}

static void
ub_firmware_catalog_list_parsed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogList *list = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	list->apple = g_task_propagate_pointer(G_TASK(res), &error);
	if (list->apple == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* ipsw.me's list stands without Apple's hashes */
		g_debug("failed to read Apple's catalog: %s", error->message);
	}
	ub_firmware_catalog_list_done(g_steal_pointer(&task));
}

static void
ub_firmware_catalog_list_apple_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbCatalogList *list = g_task_get_task_data(task);
	g_autoptr(GTask) parse_task = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	UbCatalogParse *parse;
	gpointer source_object;
	GCancellable *cancellable;
	gboolean transient = FALSE;

	body = ub_firmware_catalog_fetch_finish(res, &transient, &error);
	if (body == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* ipsw.me's list stands without Apple's hashes */
		g_debug("failed to fetch Apple's catalog: %s", error->message);
		ub_firmware_catalog_list_done(g_steal_pointer(&task));
		return;
	}

	/* the answer comes back here, on the context this listing runs on */
	parse = g_new0(UbCatalogParse, 1);
	parse->body = g_steal_pointer(&body);
	parse->product_type = g_strdup(list->product_type);
	/* read before the steal: argument order is unspecified */
	source_object = g_task_get_source_object(task);
	cancellable = g_task_get_cancellable(task);
	parse_task = g_task_new(
	    source_object, cancellable, ub_firmware_catalog_list_parsed_cb, g_steal_pointer(&task));
	g_task_set_source_tag(parse_task, ub_firmware_catalog_parse_apple_thread);
	g_task_set_task_data(parse_task, parse, (GDestroyNotify)ub_catalog_parse_free);
	g_task_run_in_thread(parse_task, ub_firmware_catalog_parse_apple_thread);
}

static void
ub_firmware_catalog_list_ipswme_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbFirmwareCatalog *self = g_task_get_source_object(task);
	UbCatalogList *list = g_task_get_task_data(task);
	GCancellable *cancellable;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	gboolean transient = FALSE;

	body = ub_firmware_catalog_fetch_finish(res, &transient, &error);
	if (body == NULL) {
		if (transient && list->cache_path != NULL) {
			g_autoptr(GError) error_cache = NULL;
			UbCatalogResult *result = _ub_firmware_catalog_read_cache(
			    list->cache_path, list->product_type, &error_cache);
			if (result != NULL) {
				g_debug("offline (%s): using the cached list", error->message);
				g_task_return_pointer(
				    task, result, (GDestroyNotify)_ub_catalog_result_free);
				return;
			}
			g_debug("no usable cached list: %s", error_cache->message);
		}
		ub_firmware_catalog_map_error(&error);
		if (g_error_matches(error, UB_ERROR, UB_ERROR_NOT_FOUND))
			g_prefix_error(&error, "ipsw.me does not know %s: ", list->product_type);
		g_prefix_error(&error, "failed to fetch the firmware list: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	list->firmwares = ub_firmware_catalog_parse_ipswme(body, list->product_type, &error);
	if (list->firmwares == NULL) {
		g_prefix_error(&error, "failed to read the firmware list: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	list->body = g_steal_pointer(&body);

	if (self->apple_catalog_url == NULL) {
		ub_firmware_catalog_list_done(g_steal_pointer(&task));
		return;
	}
	cancellable = g_task_get_cancellable(task);
	ub_firmware_catalog_fetch_async(self,
					self->apple_catalog_url,
					UB_HOST_PURPOSE_CATALOG,
					cancellable,
					ub_firmware_catalog_list_apple_cb,
					g_steal_pointer(&task));
}

void
ub_firmware_catalog_list_async(UbFirmwareCatalog *self,
			       const gchar *product_type,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autofree gchar *uri = NULL;
	UbCatalogList *list;

	g_return_if_fail(UB_IS_FIRMWARE_CATALOG(self));
	g_return_if_fail(product_type != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_firmware_catalog_list_async);

	if (!_ub_firmware_catalog_product_type_is_valid(product_type)) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_INVALID_DATA,
					"\"%s\" is not a device model",
					product_type);
		return;
	}

	list = g_new0(UbCatalogList, 1);
	list->product_type = g_strdup(product_type);
	if (self->cache_dir != NULL) {
		g_autofree gchar *basename = g_strdup_printf("%s.json", product_type);
		list->cache_path = g_build_filename(self->cache_dir, basename, NULL);
	}
	g_task_set_task_data(task, list, (GDestroyNotify)ub_catalog_list_free);

	uri = g_strdup_printf("%s/device/%s?type=ipsw", self->ipswme_base, product_type);
	ub_firmware_catalog_fetch_async(self,
					uri,
					UB_HOST_PURPOSE_CATALOG,
					cancellable,
					ub_firmware_catalog_list_ipswme_cb,
					g_steal_pointer(&task));
}

GPtrArray *
ub_firmware_catalog_list_finish(UbFirmwareCatalog *self,
				GAsyncResult *result,
				gboolean *is_cached,
				GDateTime **fetched_at,
				GError **error)
{
	g_autoptr(UbCatalogResult) list_result = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE_CATALOG(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(
	    g_task_get_source_tag(G_TASK(result)) == ub_firmware_catalog_list_async, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (is_cached != NULL)
		*is_cached = FALSE;
	if (fetched_at != NULL)
		*fetched_at = NULL;
	list_result = g_task_propagate_pointer(G_TASK(result), error);
	if (list_result == NULL)
		return NULL;
	if (is_cached != NULL)
		*is_cached = list_result->is_cached;
	if (fetched_at != NULL)
		*fetched_at = g_date_time_ref(list_result->fetched_at);
	return g_steal_pointer(&list_result->firmwares);
}

static void
ub_firmware_catalog_dispose(GObject *object)
{
	UbFirmwareCatalog *self = UB_FIRMWARE_CATALOG(object);

	g_clear_object(&self->session);

	G_OBJECT_CLASS(ub_firmware_catalog_parent_class)->dispose(object);
}

static void
ub_firmware_catalog_finalize(GObject *object)
{
	UbFirmwareCatalog *self = UB_FIRMWARE_CATALOG(object);

	g_free(self->ipswme_base);
	g_free(self->apple_catalog_url);
	g_free(self->cache_dir);

	G_OBJECT_CLASS(ub_firmware_catalog_parent_class)->finalize(object);
}

static void
ub_firmware_catalog_class_init(UbFirmwareCatalogClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_firmware_catalog_dispose;
	object_class->finalize = ub_firmware_catalog_finalize;
}

static void
ub_firmware_catalog_init(UbFirmwareCatalog *self)
{
	g_autofree gchar *user_agent = g_strdup_printf("Unbrick/%s", PACKAGE_VERSION);

	self->session = soup_session_new_with_options(
	    "user-agent", user_agent, "timeout", UB_FIRMWARE_CATALOG_TIMEOUT_SECS, NULL);
}

UbFirmwareCatalog *
ub_firmware_catalog_new(const gchar *ipswme_base,
			const gchar *apple_catalog_url,
			const gchar *cache_dir)
{
	UbFirmwareCatalog *self;
	gsize len;

	g_return_val_if_fail(ipswme_base != NULL, NULL);

	self = g_object_new(UB_TYPE_FIRMWARE_CATALOG, NULL);
	self->ipswme_base = g_strdup(ipswme_base);

	/* "…/v4/" and "…/v4" are the same base */
	len = strlen(self->ipswme_base);
	while (len > 0 && self->ipswme_base[len - 1] == '/')
		self->ipswme_base[--len] = '\0';
	if (apple_catalog_url != NULL && apple_catalog_url[0] != '\0')
		self->apple_catalog_url = g_strdup(apple_catalog_url);
	if (cache_dir != NULL && cache_dir[0] != '\0')
		self->cache_dir = g_strdup(cache_dir);
	return self;
}
