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
#include "ub-error.h"
#include "ub-idevicerestore-engine-private.h"

#define UB_ENGINE_INFO_PROBE_TIMEOUT_MS 10000
/* a version banner is one line; anything far longer is not one */
#define UB_ENGINE_INFO_PROBE_MAX_OUTPUT (64 * 1024)
#define UB_ENGINE_INFO_PROBE_READ_CHUNK 4096

/* the only upstream release; everything newer is a git build */
#define UB_ENGINE_INFO_RELEASE "1.0.0"

struct _UbEngineInfo {
	gchar *version;
	guint commits;
	gchar *libirecovery;
	gchar *libtatsu;
};

/*
 * The iOS releases an engine cannot restore, whatever the model. Both
 * limits come from the restore protocol, which the device drives: an
 * engine that does not speak what the device asks for fails halfway, after
 * the device was already put into restore mode.
 */
typedef struct {
	guint ios_major;	   /* this iOS and later cannot be restored... */
	gboolean release_only;	   /* ...by the plain 1.0.0 release */
	const gchar *libirecovery; /* ...by a build linking an older libirecovery */
	const gchar *reason;	   /* a sentence for the user */
} UbEngineIosLimit;

static const UbEngineIosLimit ios_limits[] = {
    /* 1.0.0 (June 2020) predates the Cryptex and other data requests of
     * iOS 15 and later; the field shows "Unknown data request" */
    {15,
     TRUE,
     NULL,
     N_("It is older than the way iOS 15 and later are restored, so the restore would fail "
	"halfway.")},
    /* iOS 18's restored refuses hosts without its protocol additions
     * (idevicerestore commit 28c1dab, June 2024): "This host version is
     * unsupported" (fixture 22); builds that old link libirecovery < 1.2.1 */
    {18,
     FALSE,
     "1.2.1",
     N_("iOS 18 and later refuse to be restored by builds this old, so the restore would fail "
	"halfway.")},
};

G_DEFINE_BOXED_TYPE(UbEngineInfo, ub_engine_info, ub_engine_info_ref, ub_engine_info_unref)

static void
ub_engine_info_clear(UbEngineInfo *self)
{
	g_free(self->version);
	g_free(self->libirecovery);
	g_free(self->libtatsu);
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

/**
 * ub_engine_info_can_restore:
 * @self: a #UbEngineInfo
 * @product_type: (nullable): "iPhone10,4"; %NULL when unknown
 * @ios_major: the iOS major version to install, 0 when unknown
 * @error: (nullable): return location for an error
 *
 * A model needs a libirecovery at least as new as the first release that
 * knew it (the model table's "libirecovery"); new iOS releases need a new
 * enough engine (see ios_limits). What cannot be known is allowed: a model
 * missing from the table, an engine that does not name its libirecovery.
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

	if (model == NULL) {
		g_debug("%s is not in the model table; assuming the engine knows it",
			product_type != NULL ? product_type : "(unknown)");
	} else if (model->libirecovery == NULL || self->libirecovery == NULL) {
		g_debug("cannot tell whether engine %s knows %s", self->version, product_type);
	} else if (ub_engine_info_version_compare(self->libirecovery, model->libirecovery) < 0) {
		g_debug("%s needs libirecovery %s, the engine has %s",
			product_type,
			model->libirecovery,
			self->libirecovery);
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
		return FALSE;
	}

	if (ios_major == 0)
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(ios_limits); i++) {
		const UbEngineIosLimit *limit = &ios_limits[i];
		gboolean too_old = FALSE;

		if (ios_major < limit->ios_major)
			continue;
		if (limit->release_only)
			too_old = ub_engine_info_is_release(self);
		else if (self->libirecovery != NULL)
			too_old = ub_engine_info_version_compare(self->libirecovery,
								 limit->libirecovery) < 0;
		if (!too_old)
			continue;
		g_set_error(
		    error,
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
		    _(limit->reason));
		return FALSE;
	}
	return TRUE;
}

/* probing: `ENGINE -v` */

typedef struct {
	gchar *path;
	GSubprocess *subprocess;
	GInputStream *stream;
	GByteArray *output;
	guint8 *chunk;
	GCancellable *io_cancellable;
	GSource *timeout_source;
	GSource *cancel_source;
	guint timeout_ms;
	gboolean timed_out;
	gboolean cancelled;
} UbEngineProbe;

static void
ub_engine_probe_free(UbEngineProbe *probe)
{
	if (probe->timeout_source != NULL) {
		g_source_destroy(probe->timeout_source);
		g_source_unref(probe->timeout_source);
	}
	if (probe->cancel_source != NULL) {
		g_source_destroy(probe->cancel_source);
		g_source_unref(probe->cancel_source);
	}
	g_free(probe->path);
	g_clear_object(&probe->subprocess);
	g_clear_object(&probe->stream);
	g_clear_pointer(&probe->output, g_byte_array_unref);
	g_free(probe->chunk);
	g_clear_object(&probe->io_cancellable);
	g_free(probe);
}

/* the sources hold the task: drop them before returning, or it never goes */
static void
ub_engine_probe_stop(UbEngineProbe *probe)
{
	if (probe->timeout_source != NULL) {
		g_source_destroy(probe->timeout_source);
		g_clear_pointer(&probe->timeout_source, g_source_unref);
	}
	if (probe->cancel_source != NULL) {
		g_source_destroy(probe->cancel_source);
		g_clear_pointer(&probe->cancel_source, g_source_unref);
	}
	if (probe->subprocess != NULL)
		g_subprocess_force_exit(probe->subprocess);
}

static void
ub_engine_probe_return_error(GTask *task, GError *error)
{
	UbEngineProbe *probe = g_task_get_task_data(task);

	ub_engine_probe_stop(probe);
	if (probe->timed_out) {
		g_error_free(error);
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_TIMED_OUT,
					"%s -v did not finish within %u s",
					probe->path,
					probe->timeout_ms / 1000);
		return;
	}
	if (probe->cancelled) {
		g_error_free(error);
		g_task_return_new_error(
		    task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the probe was cancelled");
		return;
	}
	g_task_return_error(task, error);
}

static void
ub_engine_probe_wait_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineProbe *probe = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(UbEngineInfo) info = NULL;
	g_autofree gchar *text = NULL;

	if (!g_subprocess_wait_finish(G_SUBPROCESS(source), result, &error)) {
		ub_engine_probe_return_error(task, g_steal_pointer(&error));
		return;
	}
	ub_engine_probe_stop(probe);

	text = g_utf8_make_valid(probe->output->len > 0 ? (const gchar *)probe->output->data : "",
				 (gssize)probe->output->len);
	info = ub_engine_info_parse(text, &error);
	if (info == NULL) {
		if (g_subprocess_get_if_exited(probe->subprocess) &&
		    g_subprocess_get_exit_status(probe->subprocess) != 0)
			g_prefix_error(&error,
				       "%s -v exited with status %d: ",
				       probe->path,
				       g_subprocess_get_exit_status(probe->subprocess));
		else
			g_prefix_error(&error, "%s -v: ", probe->path);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_debug("%s is idevicerestore %s", probe->path, info->version);
	g_task_return_pointer(task, g_steal_pointer(&info), (GDestroyNotify)ub_engine_info_unref);
}

static void
ub_engine_probe_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbEngineProbe *probe = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	gssize n_read = 0;

	n_read = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
	if (n_read < 0) {
		g_prefix_error(&error, "failed to read the output of %s -v: ", probe->path);
		ub_engine_probe_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (n_read > 0 && probe->output->len < UB_ENGINE_INFO_PROBE_MAX_OUTPUT) {
		g_byte_array_append(probe->output, probe->chunk, (guint)n_read);
		g_input_stream_read_async(probe->stream,
					  probe->chunk,
					  UB_ENGINE_INFO_PROBE_READ_CHUNK,
					  G_PRIORITY_DEFAULT,
					  probe->io_cancellable,
					  ub_engine_probe_read_cb,
					  g_steal_pointer(&task));
		return;
	}

	/* the end of the output, or more than any banner: the program has
	 * said what it had to say */
	if (n_read > 0)
		g_subprocess_force_exit(probe->subprocess);
	g_subprocess_wait_async(probe->subprocess,
				probe->io_cancellable,
				ub_engine_probe_wait_cb,
				g_steal_pointer(&task));
}

static gboolean
ub_engine_probe_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineProbe *probe = g_task_get_task_data(task);

	g_clear_pointer(&probe->timeout_source, g_source_unref);
	probe->timed_out = TRUE;
	g_subprocess_force_exit(probe->subprocess);
	g_cancellable_cancel(probe->io_cancellable);
	return G_SOURCE_REMOVE;
}

static gboolean
ub_engine_probe_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	UbEngineProbe *probe = g_task_get_task_data(task);

	g_clear_pointer(&probe->cancel_source, g_source_unref);
	probe->cancelled = TRUE;
	g_subprocess_force_exit(probe->subprocess);
	g_cancellable_cancel(probe->io_cancellable);
	return G_SOURCE_REMOVE;
}

void
_ub_engine_info_probe_full_async(const gchar *engine_path,
				 guint timeout_ms,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) error = NULL;
	UbEngineProbe *probe = NULL;
	const gchar *argv[3] = {NULL, "-v", NULL};

	g_return_if_fail(engine_path != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(NULL, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_engine_info_probe_async);
	if (g_task_return_error_if_cancelled(task))
		return;

	probe = g_new0(UbEngineProbe, 1);
	probe->timeout_ms = timeout_ms;
	probe->output = g_byte_array_new();
	probe->chunk = g_malloc(UB_ENGINE_INFO_PROBE_READ_CHUNK);
	probe->io_cancellable = g_cancellable_new();
	g_task_set_task_data(task, probe, (GDestroyNotify)ub_engine_probe_free);

	probe->path = _ub_idevicerestore_engine_find(engine_path, &error);
	if (probe->path == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	argv[0] = probe->path;

	launcher = _ub_idevicerestore_engine_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
							  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
							  G_SUBPROCESS_FLAGS_STDERR_MERGE);
	probe->subprocess = g_subprocess_launcher_spawnv(launcher, argv, &error);
	if (probe->subprocess == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_FOUND,
					"failed to run %s: %s",
					probe->path,
					error->message);
		return;
	}
	if (!g_output_stream_close(g_subprocess_get_stdin_pipe(probe->subprocess), NULL, &error)) {
		g_debug("closing stdin of %s failed: %s", probe->path, error->message);
		g_clear_error(&error);
	}
	probe->stream = g_object_ref(g_subprocess_get_stdout_pipe(probe->subprocess));

	probe->timeout_source = g_timeout_source_new(timeout_ms);
	g_task_attach_source(task, probe->timeout_source, ub_engine_probe_timeout_cb);
	if (cancellable != NULL) {
		probe->cancel_source = g_cancellable_source_new(cancellable);
		g_task_attach_source(task,
				     probe->cancel_source,
				     (GSourceFunc)(void (*)(void))ub_engine_probe_cancelled_cb);
	}
	g_input_stream_read_async(probe->stream,
				  probe->chunk,
				  UB_ENGINE_INFO_PROBE_READ_CHUNK,
				  G_PRIORITY_DEFAULT,
				  probe->io_cancellable,
				  ub_engine_probe_read_cb,
				  g_steal_pointer(&task));
}

/**
 * ub_engine_info_probe_async:
 * @engine_path: "idevicerestore" (looked up in $PATH) or a path
 * @cancellable: (nullable): stops the probe
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Runs `ENGINE -v` with LC_ALL=C, stdout and stderr together, for at most
 * 10 s.
 */
void
ub_engine_info_probe_async(const gchar *engine_path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	_ub_engine_info_probe_full_async(
	    engine_path, UB_ENGINE_INFO_PROBE_TIMEOUT_MS, cancellable, callback, user_data);
}

/**
 * ub_engine_info_probe_finish:
 * @result: the result given to the callback
 * @error: (nullable): return location for an error
 *
 * Returns: (transfer full) (nullable): the engine's description, or %NULL
 * with UB_ERROR_NOT_FOUND (no such program), UB_ERROR_TIMED_OUT,
 * UB_ERROR_INVALID_DATA (it printed something else) or
 * G_IO_ERROR_CANCELLED
 */
UbEngineInfo *
ub_engine_info_probe_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	g_return_val_if_fail(g_async_result_is_tagged(result, ub_engine_info_probe_async), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}
