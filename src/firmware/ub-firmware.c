/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-firmware"

#include "config.h"

#include <string.h>

#include "ub-firmware.h"

struct _UbFirmware {
	GObject parent_instance;

	gchar *product_type;
	gchar *version;
	gchar *build;
	gchar *url;
	guint64 size;
	gchar *sha256;
	gchar *sha1;
	GDateTime *release_date;
	gboolean is_signed;
};

G_DEFINE_FINAL_TYPE(UbFirmware, ub_firmware, G_TYPE_OBJECT)

static void
ub_firmware_finalize(GObject *object)
{
	UbFirmware *self = UB_FIRMWARE(object);

	g_free(self->product_type);
	g_free(self->version);
	g_free(self->build);
	g_free(self->url);
	g_free(self->sha256);
	g_free(self->sha1);
	g_clear_pointer(&self->release_date, g_date_time_unref);

	G_OBJECT_CLASS(ub_firmware_parent_class)->finalize(object);
}

static void
ub_firmware_class_init(UbFirmwareClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ub_firmware_finalize;
}

static void
ub_firmware_init(UbFirmware *self)
{
}

/* hex digests are compared as text, so they are kept in one case */
static gchar *
dup_hash(const gchar *hash)
{
	if (hash == NULL || hash[0] == '\0')
		return NULL;
	return g_ascii_strdown(hash, -1);
}

UbFirmware *
ub_firmware_new(const gchar *product_type,
		const gchar *version,
		const gchar *build,
		const gchar *url,
		guint64 size,
		const gchar *sha256,
		const gchar *sha1,
		GDateTime *release_date,
		gboolean is_signed)
{
	UbFirmware *self;

	g_return_val_if_fail(build != NULL, NULL);

	self = g_object_new(UB_TYPE_FIRMWARE, NULL);
	self->product_type = g_strdup(product_type);
	self->version = g_strdup(version);
	self->build = g_strdup(build);
	self->url = g_strdup(url);
	self->size = size;
	self->sha256 = dup_hash(sha256);
	self->sha1 = dup_hash(sha1);
	self->release_date = release_date != NULL ? g_date_time_ref(release_date) : NULL;
	self->is_signed = is_signed;
	return self;
}

const gchar *
ub_firmware_get_product_type(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->product_type;
}

const gchar *
ub_firmware_get_version(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->version;
}

const gchar *
ub_firmware_get_build(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->build;
}

const gchar *
ub_firmware_get_url(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->url;
}

guint64
ub_firmware_get_size(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), 0);
	return self->size;
}

const gchar *
ub_firmware_get_sha256(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->sha256;
}

const gchar *
ub_firmware_get_sha1(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->sha1;
}

GDateTime *
ub_firmware_get_release_date(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);
	return self->release_date;
}

gboolean
ub_firmware_get_signed(UbFirmware *self)
{
	g_return_val_if_fail(UB_IS_FIRMWARE(self), FALSE);
	return self->is_signed;
}

UbFirmware *
ub_firmware_pick_signed(GPtrArray *firmwares)
{
	g_return_val_if_fail(firmwares != NULL, NULL);

	for (guint i = 0; i < firmwares->len; i++) {
		UbFirmware *firmware = g_ptr_array_index(firmwares, i);
		if (ub_firmware_get_signed(firmware))
			return firmware;
	}
	return NULL;
}

static gchar *
last_path_segment(const gchar *url)
{
	g_autoptr(GUri) uri = NULL;
	const gchar *path;
	const gchar *slash;

	if (url == NULL)
		return NULL;
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL)
		return NULL;
	path = g_uri_get_path(uri);
	slash = strrchr(path, '/');
	return g_uri_unescape_string(slash != NULL ? slash + 1 : path, NULL);
}

gchar *
ub_firmware_dup_filename(UbFirmware *self)
{
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(UB_IS_FIRMWARE(self), NULL);

	/* never a path or a hidden file: a catalog could name anything */
	name = last_path_segment(self->url);
	if (name != NULL && name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL)
		return g_steal_pointer(&name);
	return g_strdup_printf("%s_%s_%s_Restore.ipsw",
			       self->product_type != NULL ? self->product_type : "device",
			       self->version != NULL ? self->version : "unknown",
			       self->build);
}

/* "18.10.1" after "18.9": compare the numbers, not the text */
static gint
compare_versions(const gchar *a, const gchar *b)
{
	g_auto(GStrv) parts_a = g_strsplit(a != NULL ? a : "", ".", -1);
	g_auto(GStrv) parts_b = g_strsplit(b != NULL ? b : "", ".", -1);

	for (guint i = 0; parts_a[i] != NULL || parts_b[i] != NULL; i++) {
		guint64 number_a = parts_a[i] != NULL ? g_ascii_strtoull(parts_a[i], NULL, 10) : 0;
		guint64 number_b = parts_b[i] != NULL ? g_ascii_strtoull(parts_b[i], NULL, 10) : 0;

		if (number_a != number_b)
			return number_a < number_b ? -1 : 1;
		if (parts_a[i] == NULL || parts_b[i] == NULL)
			break;
	}
	return 0;
}

gint
ub_firmware_compare_newest_first(gconstpointer a, gconstpointer b)
{
	UbFirmware *first = *(UbFirmware **)a;
	UbFirmware *second = *(UbFirmware **)b;
	gint order = compare_versions(second->version, first->version);

	if (order != 0)
		return order;
	return g_strcmp0(second->build, first->build);
}
