/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-ipsw"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <plist/plist.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "ub-error.h"
#include "ub-fd.h"
#include "ub-ipsw.h"
#include "ub-main-context.h"
#include "ub-plist-guard.h"

/* a real manifest is about 1 MiB; a member far larger is not one, and
 * reading it whole into memory would be the attack */
#define MANIFEST_MAX_SIZE (16 * 1024 * 1024)
#define CHUNK_SIZE (256 * 1024)
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

/* neither libzip nor libplist 2.2 ship GLib cleanup functions */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(zip_t, zip_discard)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(zip_file_t, zip_fclose)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(plist_t, plist_free, NULL)

struct _UbIpsw {
	GObject parent_instance;

	gchar *path;
	gchar *version;
	gchar *build;
	gchar **product_types;
	GPtrArray *identities;
	gboolean has_restore_plist;
	GPtrArray *checks; /* of const gchar *, static */
};

G_DEFINE_FINAL_TYPE(UbIpsw, ub_ipsw, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE(UbBuildIdentity,
		    ub_build_identity,
		    ub_build_identity_copy,
		    ub_build_identity_free)

UbBuildIdentity *
ub_build_identity_copy(const UbBuildIdentity *identity)
{
	UbBuildIdentity *copy;

	g_return_val_if_fail(identity != NULL, NULL);

	copy = g_new0(UbBuildIdentity, 1);
	copy->cpid = identity->cpid;
	copy->bdid = identity->bdid;
	copy->device_class = g_strdup(identity->device_class);
	copy->restore_behavior = g_strdup(identity->restore_behavior);
	copy->variant = g_strdup(identity->variant);
	return copy;
}

void
ub_build_identity_free(UbBuildIdentity *identity)
{
	if (identity == NULL)
		return;
	g_free(identity->device_class);
	g_free(identity->restore_behavior);
	g_free(identity->variant);
	g_free(identity);
}

static void
ub_ipsw_finalize(GObject *object)
{
	UbIpsw *self = UB_IPSW(object);

	g_free(self->path);
	g_free(self->version);
	g_free(self->build);
	g_strfreev(self->product_types);
	g_clear_pointer(&self->identities, g_ptr_array_unref);
	g_clear_pointer(&self->checks, g_ptr_array_unref);

	G_OBJECT_CLASS(ub_ipsw_parent_class)->finalize(object);
}

static void
ub_ipsw_class_init(UbIpswClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ub_ipsw_finalize;
}

static void
ub_ipsw_init(UbIpsw *self)
{
	self->identities = g_ptr_array_new_with_free_func((GDestroyNotify)ub_build_identity_free);
	self->checks = g_ptr_array_new();
}

/* a zip member name as it may be shown to a person: control characters
 * and other surprises escaped */
static gchar *
printable_name(const gchar *name)
{
	return g_strescape(name, NULL);
}

static zip_t *
open_archive(const gchar *path, GError **error)
{
	zip_t *archive;
	zip_error_t zip_error;
	int code = 0;

	archive = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (archive != NULL)
		return archive;

	zip_error_init_with_code(&zip_error, code);
	switch (code) {
	case ZIP_ER_NOENT:
		g_set_error(error, UB_ERROR, UB_ERROR_NOT_FOUND, _("There is no file %s"), path);
		break;
	case ZIP_ER_NOZIP:
#ifdef ZIP_ER_TRUNCATED_ZIP
	/* libzip 1.11 and later (Debian 13) tell a download cut short apart */
	case ZIP_ER_TRUNCATED_ZIP:
#endif
		/* a download cut short has no end of central directory either */
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This file is not an IPSW: it is not a zip archive, or it is "
				      "incomplete"));
		break;
	case ZIP_ER_INCONS:
	case ZIP_ER_CRC:
	case ZIP_ER_COMPNOTSUPP:
	case ZIP_ER_ENCRNOTSUPP:
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s"),
			    zip_error_strerror(&zip_error));
		break;
	default:
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    _("Cannot read %s: %s"),
			    path,
			    zip_error_strerror(&zip_error));
		break;
	}
	zip_error_fini(&zip_error);
	return NULL;
}

/* reads a small member whole, refusing anything above @max_size */
static GBytes *
read_member(zip_t *archive, const gchar *name, gsize max_size, GError **error)
{
	g_autoptr(zip_file_t) file = NULL;
	g_autofree guint8 *data = NULL;
	zip_stat_t st;
	zip_int64_t index;
	guint64 done = 0;

	index = zip_name_locate(archive, name, 0);
	if (index < 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    _("This file is not an IPSW: it has no %s"),
			    name);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_stat_index(archive, (zip_uint64_t)index, 0, &st) != 0 ||
	    (st.valid & ZIP_STAT_SIZE) == 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s cannot be read (%s)"),
			    name,
			    zip_strerror(archive));
		return NULL;
	}
	if (st.size > max_size) {
		g_autofree gchar *size_text = g_format_size(st.size);
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This file is not an IPSW: its %s is far too large (%s)"),
			    name,
			    size_text);
		return NULL;
	}
	file = zip_fopen_index(archive, (zip_uint64_t)index, 0);
	if (file == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s cannot be read (%s)"),
			    name,
			    zip_strerror(archive));
		return NULL;
	}

	/* one byte more than declared, to notice a member that lies */
	data = g_malloc(st.size + 1);
	for (;;) {
		zip_int64_t got = zip_fread(file, data + done, st.size + 1 - done);
		if (got < 0) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is damaged: %s cannot be read (%s)"),
				    name,
				    zip_file_strerror(file));
			return NULL;
		}
		if (got == 0)
			break;
		done += (guint64)got;
		if (done > st.size) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is damaged: %s is larger than the archive says"),
				    name);
			return NULL;
		}
	}
	if (done != st.size) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s is shorter than the archive says"),
			    name);
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&data), (gsize)done);
}

/* XML or binary, whichever it is; only a dictionary is accepted */
static plist_t
parse_dict(GBytes *bytes, const gchar *name, GError **error)
{
	g_auto(plist_t) plist = NULL;
	gsize size = 0;
	const gchar *data = g_bytes_get_data(bytes, &size);
	g_autoptr(GError) error_guard = NULL;

	/* libplist 2.2 would recurse and expand without limit on hostile bytes */
	if (size > 0 && !ub_plist_guard_check((const guint8 *)data, size, &error_guard)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    /* TRANSLATORS: the second %s says why, in English */
			    _("This file is not an IPSW: its %s is not a property list that can be "
			      "read safely: %s"),
			    name,
			    error_guard->message);
		return NULL;
	}
	/* plist_from_memory() changed signature in libplist 2.3; these two did not */
	if (size > 0 && plist_is_binary(data, (uint32_t)size))
		plist_from_bin(data, (uint32_t)size, &plist);
	else if (size > 0)
		plist_from_xml(data, (uint32_t)size, &plist);
	if (plist == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This file is not an IPSW: its %s is not a property list"),
			    name);
		return NULL;
	}
	if (plist_get_node_type(plist) != PLIST_DICT) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This file is not an IPSW: its %s does not hold a dictionary"),
			    name);
		return NULL;
	}
	return g_steal_pointer(&plist);
}

static plist_t
read_plist_member(zip_t *archive, const gchar *name, GError **error)
{
	g_autoptr(GBytes) bytes = read_member(archive, name, MANIFEST_MAX_SIZE, error);

	if (bytes == NULL)
		return NULL;
	return parse_dict(bytes, name, error);
}

static gchar *
dup_string(plist_t dict, const gchar *key)
{
	plist_t node = plist_dict_get_item(dict, key);
	const gchar *value;
	uint64_t length = 0;

	if (node == NULL || plist_get_node_type(node) != PLIST_STRING)
		return NULL;
	value = plist_get_string_ptr(node, &length);
	if (value == NULL || !g_utf8_validate(value, (gssize)length, NULL))
		return NULL;
	return g_strndup(value, length);
}

/* ApChipID and ApBoardID are hex strings ("0x8101") in every manifest seen;
 * an integer is accepted too */
static gboolean
read_id(plist_t dict, const gchar *key, guint *value)
{
	plist_t node = plist_dict_get_item(dict, key);
	g_autofree gchar *text = NULL;
	guint64 number = 0;
	gchar *end = NULL;

	if (node == NULL)
		return FALSE;
	if (plist_get_node_type(node) == PLIST_UINT) {
		plist_get_uint_val(node, &number);
	} else {
		text = dup_string(dict, key);
		if (text == NULL || text[0] == '\0')
			return FALSE;
		number = g_ascii_strtoull(text, &end, 16);
		if (end == text || *end != '\0')
			return FALSE;
	}
	if (number > G_MAXUINT32)
		return FALSE;
	*value = (guint)number;
	return TRUE;
}

static UbBuildIdentity *
parse_identity(plist_t dict)
{
	g_autoptr(UbBuildIdentity) identity = g_new0(UbBuildIdentity, 1);
	plist_t info = plist_dict_get_item(dict, "Info");

	if (!read_id(dict, "ApChipID", &identity->cpid))
		g_debug("a build identity has no readable ApChipID");
	if (!read_id(dict, "ApBoardID", &identity->bdid))
		g_debug("a build identity has no readable ApBoardID");
	if (info != NULL && plist_get_node_type(info) == PLIST_DICT) {
		identity->device_class = dup_string(info, "DeviceClass");
		identity->restore_behavior = dup_string(info, "RestoreBehavior");
		identity->variant = dup_string(info, "Variant");
	}
	return g_steal_pointer(&identity);
}

static gboolean
parse_manifest(UbIpsw *self, plist_t manifest, GError **error)
{
	plist_t types = plist_dict_get_item(manifest, "SupportedProductTypes");
	plist_t identities = plist_dict_get_item(manifest, "BuildIdentities");
	g_autoptr(GPtrArray) product_types = g_ptr_array_new_with_free_func(g_free);

	self->version = dup_string(manifest, "ProductVersion");
	self->build = dup_string(manifest, "ProductBuildVersion");
	if (self->version == NULL || self->build == NULL) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This file is not an IPSW: its BuildManifest.plist names no "
				      "iOS version or build"));
		return FALSE;
	}

	if (types != NULL && plist_get_node_type(types) == PLIST_ARRAY) {
		for (uint32_t i = 0; i < plist_array_get_size(types); i++) {
			plist_t item = plist_array_get_item(types, i);
			const gchar *value;
			uint64_t length = 0;

			if (plist_get_node_type(item) != PLIST_STRING)
				continue;
			value = plist_get_string_ptr(item, &length);
			if (value == NULL || length == 0 ||
			    !g_utf8_validate(value, (gssize)length, NULL))
				continue;
			g_ptr_array_add(product_types, g_strndup(value, length));
		}
	}
	if (product_types->len == 0) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This file is not an IPSW: its BuildManifest.plist names no "
				      "device it is for"));
		return FALSE;
	}
	g_ptr_array_add(product_types, NULL);
	self->product_types = (gchar **)g_ptr_array_free(g_steal_pointer(&product_types), FALSE);

	if (identities != NULL && plist_get_node_type(identities) == PLIST_ARRAY) {
		for (uint32_t i = 0; i < plist_array_get_size(identities); i++) {
			plist_t item = plist_array_get_item(identities, i);
			if (plist_get_node_type(item) != PLIST_DICT)
				continue;
			g_ptr_array_add(self->identities, parse_identity(item));
		}
	}
	if (self->identities->len == 0) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This file is not an IPSW: its BuildManifest.plist has no "
				      "build identities"));
		return FALSE;
	}
	return TRUE;
}

UbIpsw *
ub_ipsw_open(const gchar *path, GError **error)
{
	g_autoptr(UbIpsw) self = NULL;
	g_autoptr(zip_t) archive = NULL;
	g_autoptr(GError) restore_error = NULL;
	g_auto(plist_t) manifest = NULL;
	g_auto(plist_t) restore = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	archive = open_archive(path, error);
	if (archive == NULL)
		return NULL;
	manifest = read_plist_member(archive, "BuildManifest.plist", error);
	if (manifest == NULL)
		return NULL;

	self = g_object_new(UB_TYPE_IPSW, NULL);
	self->path = g_strdup(path);
	/* what passed, in order, for `unbrick --inspect-ipsw` to report */
	g_ptr_array_add(self->checks, "zip directory");
	g_ptr_array_add(self->checks, "manifest size");
	g_ptr_array_add(self->checks, "manifest plist guard");
	g_ptr_array_add(self->checks, "manifest dictionary");
	if (!parse_manifest(self, manifest, error))
		return NULL;
	g_ptr_array_add(self->checks, "version and build");
	g_ptr_array_add(self->checks, "product types");
	g_ptr_array_add(self->checks, "build identities");

	/* older restores read it; newer IPSWs may lack it, and a bad one is
	 * no reason to refuse a file whose manifest is fine */
	restore = read_plist_member(archive, "Restore.plist", &restore_error);
	if (restore != NULL) {
		self->has_restore_plist = TRUE;
		g_ptr_array_add(self->checks, "restore plist guard");
	} else if (!g_error_matches(restore_error, UB_ERROR, UB_ERROR_NOT_FOUND)) {
		g_debug("ignoring Restore.plist: %s", restore_error->message);
	}
	g_ptr_array_add(self->checks, NULL);

	g_debug("%s: %s (%s), %u build identities",
		path,
		self->version,
		self->build,
		self->identities->len);
	return g_steal_pointer(&self);
}

gboolean
ub_ipsw_has_restore_plist(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), FALSE);
	return self->has_restore_plist;
}

const gchar *const *
ub_ipsw_get_checks(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return (const gchar *const *)self->checks->pdata;
}

const gchar *
ub_ipsw_get_path(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return self->path;
}

const gchar *
ub_ipsw_get_version(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return self->version;
}

const gchar *
ub_ipsw_get_build(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return self->build;
}

const gchar *const *
ub_ipsw_get_product_types(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return (const gchar *const *)self->product_types;
}

GPtrArray *
ub_ipsw_get_build_identities(UbIpsw *self)
{
	g_return_val_if_fail(UB_IS_IPSW(self), NULL);
	return self->identities;
}

static gboolean
has_product_type(UbIpsw *self, const gchar *product_type)
{
	for (guint i = 0; self->product_types[i] != NULL; i++) {
		if (g_ascii_strcasecmp(self->product_types[i], product_type) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
identity_matches(UbBuildIdentity *identity, const gchar *hardware_model)
{
	if (hardware_model == NULL)
		return TRUE;
	return identity->device_class != NULL &&
	       g_ascii_strcasecmp(identity->device_class, hardware_model) == 0;
}

/* "d53gap, d53pap": the boards this IPSW has something for */
static gchar *
dup_device_classes(UbIpsw *self)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();

	for (guint i = 0; i < self->identities->len; i++) {
		UbBuildIdentity *identity = g_ptr_array_index(self->identities, i);
		gboolean found = FALSE;

		if (identity->device_class == NULL)
			continue;
		for (guint j = 0; j < seen->len && !found; j++)
			found = g_ascii_strcasecmp(g_ptr_array_index(seen, j),
						   identity->device_class) == 0;
		if (!found)
			g_ptr_array_add(seen, identity->device_class);
	}
	g_ptr_array_add(seen, NULL);
	return g_strjoinv(", ", (gchar **)seen->pdata);
}

gboolean
ub_ipsw_check_device(UbIpsw *self,
		     const gchar *product_type,
		     const gchar *hardware_model,
		     GError **error)
{
	g_return_val_if_fail(UB_IS_IPSW(self), FALSE);
	g_return_val_if_fail(product_type != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!has_product_type(self, product_type)) {
		g_autofree gchar *supported = g_strjoinv(", ", self->product_types);
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_SUPPORTED,
			    /* TRANSLATORS: the first %s lists product types such as
			     * "iPhone13,2, iPhone13,3", the last is the connected device's */
			    _("This IPSW is for %s (iOS %s, %s), not for this %s"),
			    supported,
			    self->version,
			    self->build,
			    product_type);
		return FALSE;
	}
	if (hardware_model == NULL)
		return TRUE;
	for (guint i = 0; i < self->identities->len; i++) {
		if (identity_matches(g_ptr_array_index(self->identities, i), hardware_model))
			return TRUE;
	}
	{
		g_autofree gchar *boards = dup_device_classes(self);
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_SUPPORTED,
			    /* TRANSLATORS: "d63ap" is a board name; the list at the end
			     * names the boards the IPSW does have firmware for */
			    _("This IPSW lists %s but has nothing for its board %s (only for %s)"),
			    product_type,
			    hardware_model,
			    boards);
	}
	return FALSE;
}

gboolean
ub_ipsw_has_restore_behavior(UbIpsw *self, const gchar *hardware_model, const gchar *behavior)
{
	g_return_val_if_fail(UB_IS_IPSW(self), FALSE);
	g_return_val_if_fail(behavior != NULL, FALSE);

	for (guint i = 0; i < self->identities->len; i++) {
		UbBuildIdentity *identity = g_ptr_array_index(self->identities, i);
		if (identity_matches(identity, hardware_model) &&
		    identity->restore_behavior != NULL &&
		    g_ascii_strcasecmp(identity->restore_behavior, behavior) == 0)
			return TRUE;
	}
	return FALSE;
}

/* extraction */

typedef struct {
	gchar *archive_path;
	gchar *dest_dir;
	UbIpswProgress progress;
	gpointer progress_data;
	GMainContext *context;
	gint64 last_progress; /* worker thread only */
} ExtractJob;

typedef struct {
	UbIpswProgress progress;
	gpointer progress_data;
	gdouble fraction;
} ProgressEvent;

/* one checked member, in archive order */
typedef struct {
	zip_uint64_t index;
	gchar *name;
	gchar **components;
	gboolean is_dir;
	guint64 size;
} Member;

static void
extract_job_free(ExtractJob *job)
{
	g_free(job->archive_path);
	g_free(job->dest_dir);
	g_main_context_unref(job->context);
	g_free(job);
}

static void
member_free(Member *member)
{
	g_free(member->name);
	g_strfreev(member->components);
	g_free(member);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Member, member_free)

static gboolean
progress_cb(gpointer user_data)
{
	ProgressEvent *event = user_data;
	event->progress(event->fraction, event->progress_data);
	return G_SOURCE_REMOVE;
}

static void
report_progress(ExtractJob *job, guint64 done, guint64 total, gboolean force)
{
	gint64 now = g_get_monotonic_time();
	ProgressEvent *event;

	if (job->progress == NULL)
		return;
	if (!force && now - job->last_progress < PROGRESS_INTERVAL_US)
		return;
	job->last_progress = now;
	event = g_new0(ProgressEvent, 1);
	event->progress = job->progress;
	event->progress_data = job->progress_data;
	event->fraction = total > 0 ? MIN((gdouble)done / (gdouble)total, 1.0) : 1.0;
	ub_main_context_post(job->context, progress_cb, event, g_free, "[ub-ipsw] progress");
}

static Member *
refuse_member(GError **error, const gchar *name, const gchar *why)
{
	g_autofree gchar *shown = printable_name(name);
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_INVALID_DATA,
		    /* TRANSLATORS: the first %s is a file inside the archive, the
		     * second why it is refused, such as "has an absolute path" */
		    _("This IPSW is unsafe to unpack: “%s” %s"),
		    shown,
		    why);
	return NULL;
}

/* the name decides where a member lands: only plain relative paths pass */
static Member *
check_member(zip_t *archive, zip_uint64_t index, GError **error)
{
	g_autoptr(Member) member = g_new0(Member, 1);
	const gchar *name = zip_get_name(archive, index, 0);
	zip_uint8_t opsys = 0;
	zip_uint32_t attributes = 0;
	mode_t type = 0;
	zip_stat_t st;
	guint n_components;

	if (name == NULL || name[0] == '\0') {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is unsafe to unpack: a member has no name"));
		return NULL;
	}
	/* libzip hands out names as C strings, so a NUL inside one cuts it
	 * the same way for this check and for the file created from it */
	if (!g_utf8_validate(name, -1, NULL))
		return refuse_member(error, name, _("has a name that is not text"));
	for (const gchar *p = name; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f)
			return refuse_member(error, name, _("has control characters in its name"));
	}
	if (name[0] == '/')
		return refuse_member(error, name, _("has an absolute path"));
	if (strchr(name, '\\') != NULL)
		return refuse_member(error, name, _("has a backslash in its name"));

	member->index = index;
	member->name = g_strdup(name);
	member->is_dir = g_str_has_suffix(name, "/");
	member->components = g_strsplit(name, "/", -1);
	n_components = g_strv_length(member->components);
	if (member->is_dir) {
		/* the empty string after the final slash */
		g_clear_pointer(&member->components[n_components - 1], g_free);
		n_components--;
	}
	for (guint i = 0; i < n_components; i++) {
		const gchar *component = member->components[i];
		if (g_strcmp0(component, "..") == 0)
			return refuse_member(error, name, _("has a name that leaves the folder"));
		if (component[0] == '\0' || g_strcmp0(component, ".") == 0)
			return refuse_member(error, name, _("has an odd path"));
	}

	if (zip_file_get_external_attributes(archive, index, 0, &opsys, &attributes) == 0 &&
	    opsys == ZIP_OPSYS_UNIX)
		type = (attributes >> 16) & S_IFMT;
	if (type == S_IFLNK)
		return refuse_member(error, name, _("is a symbolic link"));
	if (type != 0 && type != S_IFREG && type != S_IFDIR)
		return refuse_member(error, name, _("is a special file"));
	if (type == S_IFDIR)
		member->is_dir = TRUE;

	zip_stat_init(&st);
	if (zip_stat_index(archive, index, 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s cannot be read (%s)"),
			    member->name,
			    zip_strerror(archive));
		return NULL;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE)
		return refuse_member(error, name, _("is encrypted"));
	if (member->is_dir && st.size != 0)
		return refuse_member(error, name, _("is a folder with contents"));
	member->size = st.size;
	return g_steal_pointer(&member);
}

static gboolean
set_errno_error(GError **error, gint saved_errno, const gchar *what, const gchar *name)
{
	return ub_set_errno_error(error, saved_errno, "%s %s", what, name);
}

static gboolean
write_all(int fd, const guint8 *data, gsize size, const gchar *name, GError **error)
{
	gint saved_errno = 0;

	if (!ub_fd_write_all(fd, data, size, -1, &saved_errno))
		return set_errno_error(error, saved_errno, "write", name);
	return TRUE;
}

/* removes the folders made for a member that then failed, deepest first;
 * rmdir only takes them while they are empty */
static void
remove_created_dirs(int dest_fd, GPtrArray *created)
{
	for (guint i = created->len; i > 0; i--) {
		const gchar *relative = g_ptr_array_index(created, i - 1);
		if (unlinkat(dest_fd, relative, AT_REMOVEDIR) != 0)
			g_debug("cannot remove %s: %s", relative, g_strerror(errno));
	}
}

static gchar *
join_components(gchar **components, guint n_components)
{
	GString *path = g_string_new(NULL);

	for (guint i = 0; i < n_components; i++) {
		if (i > 0)
			g_string_append_c(path, '/');
		g_string_append(path, components[i]);
	}
	return g_string_free(path, FALSE);
}

/* opens (making as needed) the folders of @member below @dest_fd without
 * following a symbolic link anywhere on the way; -1 on error */
static int
open_parent_dir(int dest_fd, Member *member, GPtrArray *created, GError **error)
{
	guint n_dirs = g_strv_length(member->components) - (member->is_dir ? 0 : 1);
	int dir_fd = dup(dest_fd);

	if (dir_fd < 0) {
		set_errno_error(error, errno, "open", "the destination folder");
		return -1;
	}
	for (guint i = 0; i < n_dirs; i++) {
		const gchar *component = member->components[i];
		const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
		int next_fd = openat(dir_fd, component, flags);

		if (next_fd < 0 && errno == ENOENT) {
			if (mkdirat(dir_fd, component, 0755) == 0) {
				g_ptr_array_add(created,
						join_components(member->components, i + 1));
			} else if (errno != EEXIST) {
				gint saved = errno;
				close(dir_fd);
				set_errno_error(error, saved, "create folder", component);
				return -1;
			}
			next_fd = openat(dir_fd, component, flags);
		}
		if (next_fd < 0) {
			/* ELOOP or ENOTDIR: something not a folder is in the way */
			gint saved = errno;
			close(dir_fd);
			set_errno_error(error, saved, "open folder", component);
			return -1;
		}
		close(dir_fd);
		dir_fd = next_fd;
	}
	return dir_fd;
}

static gboolean
copy_member_data(zip_t *archive,
		 Member *member,
		 int fd,
		 guint8 *buffer,
		 ExtractJob *job,
		 guint64 *done,
		 guint64 total,
		 GCancellable *cancellable,
		 GError **error)
{
	g_autoptr(zip_file_t) file = zip_fopen_index(archive, member->index, 0);
	guint64 written = 0;

	if (file == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s cannot be read (%s)"),
			    member->name,
			    zip_strerror(archive));
		return FALSE;
	}
	for (;;) {
		zip_int64_t got;

		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		got = zip_fread(file, buffer, CHUNK_SIZE);
		if (got < 0) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is damaged: %s cannot be read (%s)"),
				    member->name,
				    zip_file_strerror(file));
			return FALSE;
		}
		if (got == 0)
			break;
		/* the central directory's size is what the progress, the free
		 * space check and the caller trusted: never write past it */
		if ((guint64)got > member->size - written) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is damaged: %s is larger than the archive says"),
				    member->name);
			return FALSE;
		}
		if (!write_all(fd, buffer, (gsize)got, member->name, error))
			return FALSE;
		written += (guint64)got;
		*done += (guint64)got;
		report_progress(job, *done, total, FALSE);
	}
	if (written != member->size) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    _("This IPSW is damaged: %s is shorter than the archive says"),
			    member->name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
extract_member(zip_t *archive,
	       Member *member,
	       int dest_fd,
	       guint8 *buffer,
	       ExtractJob *job,
	       guint64 *done,
	       guint64 total,
	       GCancellable *cancellable,
	       GError **error)
{
	g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func(g_free);
	const gchar *leaf;
	int dir_fd;
	int fd;
	gboolean ok;

	dir_fd = open_parent_dir(dest_fd, member, created, error);
	if (dir_fd < 0) {
		remove_created_dirs(dest_fd, created);
		return FALSE;
	}
	if (member->is_dir) {
		close(dir_fd);
		return TRUE;
	}

	/* O_EXCL: a second member of the same name, or a file already there,
	 * is never overwritten; O_NOFOLLOW: nor written through a link */
	leaf = member->components[g_strv_length(member->components) - 1];
	fd = openat(
	    dir_fd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		set_errno_error(error, errno, "create", member->name);
		close(dir_fd);
		remove_created_dirs(dest_fd, created);
		return FALSE;
	}
	ok = copy_member_data(archive, member, fd, buffer, job, done, total, cancellable, error);
	if (close(fd) != 0 && ok)
		ok = set_errno_error(error, errno, "write", member->name);
	if (!ok) {
		if (unlinkat(dir_fd, leaf, 0) != 0)
			g_debug("cannot remove %s: %s", member->name, g_strerror(errno));
		close(dir_fd);
		remove_created_dirs(dest_fd, created);
		return FALSE;
	}
	close(dir_fd);
	return TRUE;
}

static gboolean
check_free_space(const gchar *dest_dir, guint64 needed, GError **error)
{
	g_autoptr(GFile) dest = g_file_new_for_path(dest_dir);
	g_autoptr(GFileInfo) info = NULL;
	guint64 free_space;

	info = g_file_query_filesystem_info(dest, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
	if (info == NULL || !g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
		return TRUE;
	free_space = g_file_info_get_attribute_uint64(info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
	if (free_space >= needed)
		return TRUE;
	{
		g_autofree gchar *needed_text = g_format_size(needed);
		g_autofree gchar *free_text = g_format_size(free_space);
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    _("There is not enough free space to unpack this IPSW: it needs %s, "
			      "and %s is free"),
			    needed_text,
			    free_text);
	}
	return FALSE;
}

static gboolean
extract_all(ExtractJob *job, GCancellable *cancellable, GError **error)
{
	g_autoptr(zip_t) archive = NULL;
	g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func((GDestroyNotify)member_free);
	g_autofree guint8 *buffer = NULL;
	zip_int64_t n_entries;
	guint64 total = 0;
	guint64 done = 0;
	int dest_fd;

	archive = open_archive(job->archive_path, error);
	if (archive == NULL)
		return FALSE;
	n_entries = zip_get_num_entries(archive, 0);
	if (n_entries < 0) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    _("This IPSW is damaged: its list of files cannot be read"));
		return FALSE;
	}

	/* every member is checked before the first byte is written, so an
	 * unsafe archive leaves nothing behind */
	for (zip_uint64_t i = 0; i < (zip_uint64_t)n_entries; i++) {
		Member *member = check_member(archive, i, error);
		if (member == NULL)
			return FALSE;
		if (G_MAXUINT64 - total < member->size) {
			member_free(member);
			g_set_error_literal(error,
					    UB_ERROR,
					    UB_ERROR_INVALID_DATA,
					    _("This IPSW is damaged: its sizes do not add up"));
			return FALSE;
		}
		total += member->size;
		g_ptr_array_add(members, member);
	}

	if (g_mkdir_with_parents(job->dest_dir, 0755) != 0)
		return set_errno_error(error, errno, "create folder", job->dest_dir);
	if (!check_free_space(job->dest_dir, total, error))
		return FALSE;
	dest_fd = open(job->dest_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dest_fd < 0)
		return set_errno_error(error, errno, "open folder", job->dest_dir);

	buffer = g_malloc(CHUNK_SIZE);
	for (guint i = 0; i < members->len; i++) {
		Member *member = g_ptr_array_index(members, i);
		if (!extract_member(
			archive, member, dest_fd, buffer, job, &done, total, cancellable, error)) {
			/* every message already names the member */
			close(dest_fd);
			return FALSE;
		}
	}
	close(dest_fd);
	report_progress(job, total, total, TRUE);
	return TRUE;
}

static void
extract_thread(GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
	ExtractJob *job = task_data;
	g_autoptr(GError) error = NULL;

	if (!extract_all(job, cancellable, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

void
ub_ipsw_extract_async(UbIpsw *self,
		      const gchar *dest_dir,
		      UbIpswProgress progress,
		      gpointer progress_data,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	ExtractJob *job;

	g_return_if_fail(UB_IS_IPSW(self));
	g_return_if_fail(dest_dir != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_ipsw_extract_async);
	job = g_new0(ExtractJob, 1);
	job->archive_path = g_strdup(self->path);
	job->dest_dir = g_strdup(dest_dir);
	job->progress = progress;
	job->progress_data = progress_data;
	job->context = g_main_context_ref_thread_default();
	g_task_set_task_data(task, job, (GDestroyNotify)extract_job_free);
	g_task_run_in_thread(task, extract_thread);
}

gboolean
ub_ipsw_extract_finish(UbIpsw *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(UB_IS_IPSW(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}
