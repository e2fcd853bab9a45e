/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-engine-info"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ub-device-db.h"
#include "ub-engine-info-private.h"
#include "ub-engine-scan-private.h"
#include "ub-error.h"

/* the only upstream release; everything newer is a git build */
#define UB_ENGINE_INFO_RELEASE "1.0.0"

struct _UbEngineInfo {
	gchar *version;
	guint commits;
	gchar *libirecovery;
	/* whether the banner printed it, or it was inferred for the release */
	gboolean libirecovery_printed;
	gchar *libtatsu;
	/* from the program itself (ub-engine-scan.c); NULL when it was not
	 * read or is no ELF program */
	const UbEngineMilestone *scanned;
	/* the libirecovery it runs with, and the models in its table; NULL
	 * when unknown */
	gchar *libirecovery_path;
	GHashTable *product_types;
};

/*
 * For an engine nothing dates (a packager's own version number and a
 * program that could not be read), the iOS releases it cannot restore,
 * judged by the libirecovery it names: builds link the libirecovery of
 * their time. Both limits come from the restore protocol, which the device
 * drives: an engine that does not speak what the device asks for fails
 * halfway, after the device was already put into restore mode.
 */
typedef struct {
	guint ios_major;	   /* this iOS and later cannot be restored... */
	const gchar *libirecovery; /* ...by a build linking an older libirecovery */
	const gchar *reason;	   /* a sentence for the user */
} UbEngineIosLimit;

static const UbEngineIosLimit ios_limits[] = {
    /* iOS 18's restored refuses hosts without its protocol additions
     * (idevicerestore commit 28c1dab, June 2024): "This host version is
     * unsupported" (fixture 22); builds that old link libirecovery < 1.2.1 */
    {18,
     "1.2.1",
     N_("iOS 18 and later refuse to be restored by builds this old, so the restore would fail "
	"halfway.")},
    /* iOS 26 came with libirecovery 1.3.0 (September 2025) and the
     * engine's Centauri and Jasmine updaters of the same weeks */
    {26,
     "1.3.0",
     N_("iOS 26 asks for parts of the restore that builds this old do not know, so the restore "
	"would fail halfway.")},
};

/* the iOS major versions since the oldest the model table's devices ran */
static const guint ios_majors[] = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 26};

G_DEFINE_BOXED_TYPE(UbEngineInfo, ub_engine_info, ub_engine_info_ref, ub_engine_info_unref)

static void
ub_engine_info_clear(UbEngineInfo *self)
{
	g_free(self->version);
	g_free(self->libirecovery);
	g_free(self->libtatsu);
	g_free(self->libirecovery_path);
	g_clear_pointer(&self->product_types, g_hash_table_unref);
}

/**
 * ub_engine_info_ref:
 * @self: a #UbEngineInfo
 *
 * Returns: (transfer full): @self
 */
UbEngineInfo *
ub_engine_info_ref(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return g_atomic_rc_box_acquire(self);
}

/**
 * ub_engine_info_unref:
 * @self: (transfer full): a #UbEngineInfo
 */
void
ub_engine_info_unref(UbEngineInfo *self)
{
	g_return_if_fail(self != NULL);

	g_atomic_rc_box_release_full(self, (GDestroyNotify)ub_engine_info_clear);
}

/* "1.2.1-9-g0f0928a" -> 1, 2, 1: the numbers before anything else */
static void
ub_engine_info_version_triple(const gchar *version, guint64 triple[3])
{
	const gchar *cursor = version;

	for (guint i = 0; i < 3; i++)
		triple[i] = 0;
	for (guint i = 0; i < 3; i++) {
		guint64 number = 0;
		guint n_digits = 0;

		while (g_ascii_isdigit(*cursor) && n_digits < 9) {
			number = number * 10 + (guint64)(*cursor - '0');
			cursor++;
			n_digits++;
		}
		if (n_digits == 0)
			return;
		triple[i] = number;
		if (*cursor != '.')
			return;
		cursor++;
	}
}

/* compares the x.y.z prefixes; "1.2.1-9-g0f0928a" equals "1.2.1" */
static gint
ub_engine_info_version_compare(const gchar *a, const gchar *b)
{
	guint64 triple_a[3];
	guint64 triple_b[3];

	ub_engine_info_version_triple(a, triple_a);
	ub_engine_info_version_triple(b, triple_b);
	for (guint i = 0; i < 3; i++) {
		if (triple_a[i] != triple_b[i])
			return triple_a[i] < triple_b[i] ? -1 : 1;
	}
	return 0;
}

static gboolean
ub_engine_info_is_release(UbEngineInfo *self)
{
	return g_strcmp0(self->version, UB_ENGINE_INFO_RELEASE) == 0;
}

/* "1.0.0", "1.0.0-226-gbb5591d", "1.3.0", "1.2.1-9-g0f0928a-dirty" */
static gboolean
ub_engine_info_version_is_valid(const gchar *version)
{
	if (!g_ascii_isdigit(version[0]) || strchr(version, '.') == NULL)
		return FALSE;
	for (const gchar *c = version; *c != '\0'; c++) {
		if (!g_ascii_isalnum(*c) && strchr(".-+~_", *c) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* "libirecovery 1.2.1-9-g0f0928a, libtatsu 1.0.4-8-g7e1647b" */
static gboolean
ub_engine_info_parse_libraries(UbEngineInfo *self, const gchar *list)
{
	g_auto(GStrv) items = g_strsplit(list, ",", -1);

	for (guint i = 0; items[i] != NULL; i++) {
		g_auto(GStrv) words = NULL;

		g_strstrip(items[i]);
		if (items[i][0] == '\0')
			continue;
		words = g_strsplit(items[i], " ", 2);
		if (g_strv_length(words) != 2)
			return FALSE;
		g_strstrip(words[1]);
		if (!ub_engine_info_version_is_valid(words[1]))
			return FALSE;
		if (g_strcmp0(words[0], "libirecovery") == 0) {
			g_free(self->libirecovery);
			self->libirecovery = g_strdup(words[1]);
			self->libirecovery_printed = TRUE;
		} else if (g_strcmp0(words[0], "libtatsu") == 0) {
			g_free(self->libtatsu);
			self->libtatsu = g_strdup(words[1]);
		} else {
			g_debug("ignoring unknown library \"%s\"", words[0]);
		}
	}
	return TRUE;
}

/* "idevicerestore VERSION" with an optional " (libirecovery X, libtatsu Y)" */
static UbEngineInfo *
ub_engine_info_parse_banner(const gchar *line)
{
	g_autoptr(UbEngineInfo) self = NULL;
	g_autofree gchar *version = NULL;
	const gchar *cursor = NULL;
	const gchar *end = NULL;
	const gchar *commits = NULL;

	if (!g_str_has_prefix(line, "idevicerestore "))
		return NULL;
	cursor = line + strlen("idevicerestore ");
	while (*cursor == ' ')
		cursor++;
	end = cursor;
	while (*end != '\0' && *end != ' ')
		end++;
	version = g_strndup(cursor, (gsize)(end - cursor));
	if (!ub_engine_info_version_is_valid(version))
		return NULL;

	self = g_atomic_rc_box_new0(UbEngineInfo);
	self->version = g_steal_pointer(&version);

	/* "-NNN-gHASH": commits after the tag */
	commits = strchr(self->version, '-');
	if (commits != NULL) {
		const gchar *hash = strchr(commits + 1, '-');
		g_autofree gchar *number = NULL;
		guint64 value = 0;

		if (hash != NULL && hash[1] == 'g' && g_ascii_isxdigit(hash[2])) {
			number = g_strndup(commits + 1, (gsize)(hash - commits - 1));
			if (g_ascii_string_to_unsigned(number, 10, 0, G_MAXUINT, &value, NULL))
				self->commits = (guint)value;
		}
	}

	cursor = end;
	while (*cursor == ' ')
		cursor++;
	if (*cursor != '\0') {
		g_autofree gchar *list = NULL;
		gsize len = strlen(cursor);

		if (cursor[0] != '(' || cursor[len - 1] != ')')
			return NULL;
		list = g_strndup(cursor + 1, len - 2);
		if (strchr(list, '(') != NULL || strchr(list, ')') != NULL)
			return NULL;
		if (!ub_engine_info_parse_libraries(self, list))
			return NULL;
	}

	/* the release printed no libraries; it was made with libirecovery 1.0.0 */
	if (self->libirecovery == NULL && ub_engine_info_is_release(self))
		self->libirecovery = g_strdup(UB_ENGINE_INFO_RELEASE);
	return g_steal_pointer(&self);
}

/**
 * ub_engine_info_parse:
 * @version_output: what `idevicerestore -v` printed
 * @error: (nullable): return location for an error
 *
 * The first line that is a version banner counts; surrounding whitespace
 * and other lines are ignored.
 *
 * Returns: (transfer full) (nullable): the engine's description, or %NULL
 * with UB_ERROR_INVALID_DATA
 */
UbEngineInfo *
ub_engine_info_parse(const gchar *version_output, GError **error)
{
	g_auto(GStrv) lines = NULL;
	g_autofree gchar *shown = NULL;

	g_return_val_if_fail(version_output != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	lines = g_strsplit_set(version_output, "\r\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		UbEngineInfo *self = NULL;

		g_strstrip(lines[i]);
		self = ub_engine_info_parse_banner(lines[i]);
		if (self != NULL)
			return self;
	}

	shown = g_utf8_make_valid(version_output, MIN((gssize)strlen(version_output), 200));
	g_strstrip(shown);
	g_set_error(
	    error, UB_ERROR, UB_ERROR_INVALID_DATA, "not an idevicerestore version: \"%s\"", shown);
	return NULL;
}

/**
 * ub_engine_info_get_version:
 * @self: a #UbEngineInfo
 *
 * Returns: "1.0.0", "1.0.0-226-gbb5591d" or a packager's own version
 */
const gchar *
ub_engine_info_get_version(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return self->version;
}

/**
 * ub_engine_info_get_commits:
 * @self: a #UbEngineInfo
 *
 * Returns: the NNN of "1.0.0-NNN-gHASH"; 0 for a release
 */
guint
ub_engine_info_get_commits(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, 0);

	return self->commits;
}

/**
 * ub_engine_info_get_libirecovery_version:
 * @self: a #UbEngineInfo
 *
 * Returns: (nullable): the libirecovery the engine names, "1.0.0" for the
 * 1.0.0 release, %NULL for a build that does not say
 */
const gchar *
ub_engine_info_get_libirecovery_version(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return self->libirecovery;
}

/**
 * ub_engine_info_get_libtatsu_version:
 * @self: a #UbEngineInfo
 *
 * Returns: (nullable): the libtatsu the engine names, %NULL before libtatsu
 * existed
 */
const gchar *
ub_engine_info_get_libtatsu_version(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return self->libtatsu;
}

/* the newest upstream change this build is known to carry: from the
 * program's own strings, from the commits its version counts, or the
 * release itself; NULL when nothing tells */
static const UbEngineMilestone *
ub_engine_info_milestone(UbEngineInfo *self)
{
	const UbEngineMilestone *milestone = self->scanned;

	if (self->commits > 0)
		milestone = _ub_engine_milestone_newer(
		    milestone, _ub_engine_milestone_from_commits(self->commits));
	if (milestone == NULL && ub_engine_info_is_release(self))
		milestone = _ub_engine_milestone_release();
	return milestone;
}

/**
 * ub_engine_info_get_generation:
 * @self: a #UbEngineInfo
 *
 * Returns: (nullable): the month of the newest upstream change that
 * matters for restores this build carries ("2024-06"), or %NULL when
 * neither its version nor the program tells
 */
const gchar *
ub_engine_info_get_generation(UbEngineInfo *self)
{
	const UbEngineMilestone *milestone = NULL;

	g_return_val_if_fail(self != NULL, NULL);

	milestone = ub_engine_info_milestone(self);
	return milestone != NULL ? milestone->id : NULL;
}

/**
 * ub_engine_info_get_libirecovery_path:
 * @self: a #UbEngineInfo
 *
 * Returns: (nullable): the libirecovery the program loads, when the probe
 * could tell
 */
const gchar *
ub_engine_info_get_libirecovery_path(UbEngineInfo *self)
{
	g_return_val_if_fail(self != NULL, NULL);

	return self->libirecovery_path;
}

/* the iOS limits of an engine nothing dates, from its libirecovery */
static const UbEngineIosLimit *
ub_engine_info_ios_limit(UbEngineInfo *self, guint ios_major)
{
	for (guint i = 0; i < G_N_ELEMENTS(ios_limits); i++) {
		const UbEngineIosLimit *limit = &ios_limits[i];
		gboolean too_old = FALSE;

		if (ios_major < limit->ios_major)
			continue;
		if (self->libirecovery != NULL)
			too_old = ub_engine_info_version_compare(self->libirecovery,
								 limit->libirecovery) < 0;
		if (too_old)
			return limit;
	}
	return NULL;
}

/**
 * ub_engine_info_get_newest_ios:
 * @self: a #UbEngineInfo
 *
 * Returns: the newest iOS major version this engine can install as far as
 * Unbrick knows (26 for a current one), or 0 when that cannot be told
 */
guint
ub_engine_info_get_newest_ios(UbEngineInfo *self)
{
	const UbEngineMilestone *milestone = NULL;

	g_return_val_if_fail(self != NULL, 0);

	milestone = ub_engine_info_milestone(self);
	if (milestone != NULL && milestone->newest_ios != 0)
		return milestone->newest_ios;
	if (milestone != NULL)
		return UB_ENGINE_NEWEST_KNOWN_IOS;
	/* iOS went from 18 to 26: the release before the first one it
	 * cannot install */
	for (guint i = G_N_ELEMENTS(ios_majors); i > 1; i--) {
		if (ub_engine_info_ios_limit(self, ios_majors[i - 1]) == NULL)
			return i == G_N_ELEMENTS(ios_majors) ? 0 : ios_majors[i - 1];
	}
	return 0;
}

/* "1.0.0, from 2020" or "1.0.0-226-gbb5591d, with libirecovery 1.2.0" */
static gchar *
ub_engine_info_describe(UbEngineInfo *self)
{
	if (ub_engine_info_is_release(self))
		/* TRANSLATORS: %s is a version number such as 1.0.0 */
		return g_strdup_printf(_("%s, from 2020"), self->version);
	if (self->libirecovery != NULL)
		return g_strdup_printf(
		    /* TRANSLATORS: the first %s is the version of idevicerestore,
		     * the second the version of libirecovery, a library it uses */
		    _("%s, with libirecovery %s"),
		    self->version,
		    self->libirecovery);
	return g_strdup(self->version);
}

/* whether the model is in the table of the libirecovery the engine runs
 * with, or, without that table, in a release of libirecovery at least as
 * old as the one it names; TRUE when neither tells */
static gboolean
ub_engine_info_knows_model(UbEngineInfo *self,
			   const gchar *product_type,
			   const UbDeviceModel *model)
{
	if (self->product_types != NULL && product_type != NULL)
		return g_hash_table_contains(self->product_types, product_type);
	if (model == NULL || model->libirecovery == NULL || self->libirecovery == NULL) {
		g_debug("cannot tell whether engine %s knows %s",
			self->version,
			product_type != NULL ? product_type : "(unknown)");
		return TRUE;
	}
	return ub_engine_info_version_compare(self->libirecovery, model->libirecovery) >= 0;
}

static void
ub_engine_info_set_model_error(GError **error,
			       const gchar *description,
			       const gchar *name,
			       gboolean newer_than_engine)
{
	if (newer_than_engine) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_SUPPORTED,
			    /* TRANSLATORS: the first %s describes the version
			     * ("1.0.1"), the second is a model name ("iPhone 16
			     * Pro") */
			    _("This version of idevicerestore (%s) was made before the %s came "
			      "out, so it cannot restore it. Install Unbrick from Flathub, which "
			      "includes a current idevicerestore, or build idevicerestore from "
			      "source."),
			    description,
			    name);
		return;
	}
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_NOT_SUPPORTED,
		    /* TRANSLATORS: the first %s describes the version
		     * ("1.0.0, from 2020"), the second is a model name
		     * ("iPhone 15 Pro") */
		    _("This version of idevicerestore (%s) does not know the %s, so it "
		      "cannot restore it. Install Unbrick from Flathub, which includes a "
		      "current idevicerestore, or build idevicerestore from source."),
		    description,
		    name);
}

static void
ub_engine_info_set_ios_error(GError **error,
			     const gchar *description,
			     guint ios_major,
			     const gchar *name,
			     const gchar *reason)
{
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_NOT_SUPPORTED,
		    /* TRANSLATORS: the first %s describes the version
		     * ("1.0.0, from 2020"), %u is an iOS version (17), the
		     * second %s a model name ("iPhone 8"), the third a
		     * sentence that says why */
		    _("This version of idevicerestore (%s) cannot install iOS %u on the %s. "
		      "%s Install Unbrick from Flathub, which includes a current "
		      "idevicerestore, or build idevicerestore from source."),
		    description,
		    ios_major,
		    name,
		    reason);
}

/**
 * ub_engine_info_can_restore:
 * @self: a #UbEngineInfo
 * @product_type: (nullable): "iPhone10,4"; %NULL when unknown
 * @ios_major: the iOS major version to install, 0 when unknown
 * @error: (nullable): return location for an error
 *
 * A model must be in the table of the engine's libirecovery (or, when that
 * could not be read, be known to the libirecovery release the engine
 * names), and no newer than the newest upstream change the engine carries
 * (see ub-engine-scan.c); so must the iOS release. An engine that nothing
 * dates is judged by its libirecovery (see ios_limits). What cannot be
 * known is allowed: a model missing from the table, an engine that neither
 * names its libirecovery nor can be read.
 *
 * Returns: %TRUE when nothing says the restore cannot work; else %FALSE
 * with UB_ERROR_NOT_SUPPORTED and a message for the user
 */
gboolean
ub_engine_info_can_restore(UbEngineInfo *self,
			   const gchar *product_type,
			   guint ios_major,
			   GError **error)
{
	const UbDeviceModel *model = NULL;
	const UbEngineMilestone *milestone = NULL;
	const gchar *name = product_type;
	g_autofree gchar *description = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (product_type != NULL)
		model = ub_device_db_lookup_product_type(ub_device_db_get_default(), product_type);
	if (model != NULL)
		name = model->name;
	if (name == NULL)
		/* TRANSLATORS: stands in for a model name: "does not know the device" */
		name = _("device");
	description = ub_engine_info_describe(self);
	milestone = ub_engine_info_milestone(self);

	if (model == NULL && self->product_types == NULL) {
		g_debug("%s is not in the model table; assuming the engine knows it",
			product_type != NULL ? product_type : "(unknown)");
	} else if (!ub_engine_info_knows_model(self, product_type, model)) {
		g_debug("engine %s does not know %s", self->version, product_type);
		ub_engine_info_set_model_error(error, description, name, FALSE);
		return FALSE;
	}
	if (model != NULL && model->released != NULL && milestone != NULL &&
	    milestone->models_until != NULL &&
	    g_strcmp0(model->released, milestone->models_until) > 0) {
		g_debug("%s came out %s, engine %s carries changes up to %s",
			product_type,
			model->released,
			self->version,
			milestone->models_until);
		ub_engine_info_set_model_error(error, description, name, TRUE);
		return FALSE;
	}

	if (ios_major == 0)
		return TRUE;
	if (milestone != NULL) {
		if (milestone->newest_ios == 0 || ios_major <= milestone->newest_ios)
			return TRUE;
		ub_engine_info_set_ios_error(
		    error,
		    description,
		    ios_major,
		    name,
		    /* TRANSLATORS: says why an idevicerestore
		     * cannot install an iOS version */
		    _("It was made before that iOS came out, so the restore "
		      "would fail halfway."));
		return FALSE;
	}
	{
		const UbEngineIosLimit *limit = ub_engine_info_ios_limit(self, ios_major);

		if (limit == NULL)
			return TRUE;
		ub_engine_info_set_ios_error(error, description, ios_major, name, _(limit->reason));
		return FALSE;
	}
}

/**
 * ub_engine_info_get_newest_model:
 * @self: a #UbEngineInfo
 * @family: "iPhone" or "iPad"
 *
 * Returns: (nullable): the most recently released model of @family in the
 * bundled table that this engine can restore, or %NULL for none
 */
const UbDeviceModel *
ub_engine_info_get_newest_model(UbEngineInfo *self, const gchar *family)
{
	UbDeviceDb *db = ub_device_db_get_default();
	const UbDeviceModel *newest = NULL;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(family != NULL, NULL);

	for (guint i = 0; i < ub_device_db_get_n_models(db); i++) {
		const UbDeviceModel *model = ub_device_db_get_model(db, i);

		if (!g_str_has_prefix(model->product_type, family))
			continue;
		if (!ub_engine_info_can_restore(self, model->product_type, 0, NULL))
			continue;
		/* later rows of the same month are the bigger models */
		if (newest == NULL || g_strcmp0(model->released, newest->released) >= 0)
			newest = model;
	}
	return newest;
}

/**
 * _ub_engine_info_set_binary:
 * @self: a #UbEngineInfo that is not shared yet
 * @engine: (nullable): the engine program's bytes
 * @libirecovery_path: (nullable): the libirecovery it loads
 * @libirecovery: (nullable): that library's bytes
 *
 * What the probe read: the milestone from @engine, the model table from
 * @libirecovery. The table counts only when it is the library the engine
 * says it runs with: when the banner names a libirecovery version, the
 * library must carry that version string.
 */
void
_ub_engine_info_set_binary(UbEngineInfo *self,
			   GBytes *engine,
			   const gchar *libirecovery_path,
			   GBytes *libirecovery)
{
	g_return_if_fail(self != NULL);

	self->scanned = engine != NULL ? _ub_engine_milestone_from_binary(engine) : NULL;
	g_free(self->libirecovery_path);
	self->libirecovery_path = g_strdup(libirecovery_path);
	g_clear_pointer(&self->product_types, g_hash_table_unref);
	if (libirecovery == NULL)
		return;
	if (self->libirecovery_printed &&
	    !_ub_engine_scan_has_string(libirecovery, self->libirecovery)) {
		g_debug("%s does not carry version %s; not reading its table",
			libirecovery_path != NULL ? libirecovery_path : "the library",
			self->libirecovery);
		return;
	}
	self->product_types = _ub_engine_scan_product_types(libirecovery);
}
