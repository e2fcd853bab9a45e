/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-restore-service"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ub-diagnosis.h"
#include "ub-error.h"
#include "ub-idevicerestore-engine.h"
#include "ub-restore-service.h"
#include "ub-self-test.h"
#include "ub-sim-engine.h"
#include "ub-sim-provider.h"

#define DISCONNECT_LIMIT_MS (180 * 1000)

struct _UbRestoreService {
	GObject parent_instance;

	GApplication *application; /* weak: it owns us */
	UbInhibitor *inhibitor;	   /* weak, the same */
	UbDeviceMonitor *monitor;
	UbFirmwareManager *manager;
	GSettings *settings;
	GPtrArray *jobs;	     /* not yet dismissed */
	GHashTable *inhibit_cookies; /* job → cookie */
	UbEngineInfo *engine_info;
	GError *engine_error;
	GCancellable *cancellable;
	GCallback all_done_callback;
	gpointer all_done_data;
	UbDiagnosis *diagnosis; /* the ladder, per device, across restarts */
	GHashTable *erased;	/* ECIDs (guint64 *) an erase began on and none finished */
};

/* on each job: the device's mode when it started, and how it was diagnosed */
#define JOB_START_MODE "ub-start-mode"
#define JOB_DIAGNOSIS "ub-diagnosis"

G_DEFINE_FINAL_TYPE(UbRestoreService, ub_restore_service, G_TYPE_OBJECT)

enum { SIGNAL_JOB_ADDED, SIGNAL_JOB_REMOVED, SIGNAL_ENGINE_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static gchar *
dup_engine_path(UbRestoreService *self)
{
	g_autofree gchar *configured = g_settings_get_string(self->settings, "engine-path");

	return configured[0] != '\0' ? g_steal_pointer(&configured) : g_strdup("idevicerestore");
}

static void
probe_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	UbRestoreService *self = user_data;
	g_autoptr(GError) error = NULL;
	UbEngineInfo *info = ub_engine_info_probe_finish(result, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);
	g_clear_error(&self->engine_error);
	if (info == NULL) {
		g_info("no usable idevicerestore: %s", error->message);
		self->engine_error = g_steal_pointer(&error);
	} else {
		g_debug("idevicerestore %s", ub_engine_info_get_version(info));
		self->engine_info = info;
	}
	g_signal_emit(self, signals[SIGNAL_ENGINE_CHANGED], 0);
}

static void
probe_engine(UbRestoreService *self)
{
	g_autofree gchar *path = dup_engine_path(self);

	ub_engine_info_probe_async(path, self->cancellable, probe_done_cb, self);
}

static void
engine_path_changed_cb(UbRestoreService *self)
{
	probe_engine(self);
}

UbEngineInfo *
ub_restore_service_get_engine_info(UbRestoreService *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	return self->engine_info;
}

const GError *
ub_restore_service_get_engine_error(UbRestoreService *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	return self->engine_error;
}

void
ub_restore_service_probe_engine(UbRestoreService *self)
{
	g_return_if_fail(UB_IS_RESTORE_SERVICE(self));
	probe_engine(self);
}

gchar *
ub_restore_service_dup_engine_path(UbRestoreService *self)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	return dup_engine_path(self);
}

static UbSimProvider *
find_sim_provider(UbRestoreService *self, UbDevice *device)
{
	GPtrArray *providers = ub_device_monitor_get_providers(self->monitor);

	for (guint i = 0; providers != NULL && i < providers->len; i++) {
		gpointer provider = g_ptr_array_index(providers, i);
		if (UB_IS_SIM_PROVIDER(provider) &&
		    ub_sim_provider_has_device(provider, ub_device_get_ecid(device)))
			return provider;
	}
	return NULL;
}

static void
notify_end(UbRestoreService *self, UbRestoreJob *job)
{
	UbDevice *device = ub_restore_job_get_device(job);
	g_autoptr(GNotification) notification = NULL;
	g_autofree gchar *title = NULL;
	g_autofree gchar *id = NULL;
	const UbFailure *failure = ub_restore_job_get_failure(job);

	if (ub_restore_job_get_state(job) == UB_RESTORE_STATE_DONE) {
		/* TRANSLATORS: %s is the device name */
		title = g_strdup_printf(ub_restore_job_get_kind(job) == UB_RESTORE_KIND_ERASE
					    ? _("%s was restored")
					    : _("%s was updated"),
					ub_device_get_name(device));
		notification = g_notification_new(title);
		g_notification_set_body(notification, _("It is starting up now."));
	} else {
		title = g_strdup_printf(_("The restore of %s didn’t finish"),
					ub_device_get_name(device));
		notification = g_notification_new(title);
		if (failure != NULL)
			g_notification_set_body(notification,
						ub_failure_cause_get_title(failure->cause));
		g_notification_set_priority(notification, G_NOTIFICATION_PRIORITY_HIGH);
	}
	g_notification_set_default_action(notification, "app.activate-window");
	id = g_strdup_printf("restore-%" G_GINT64_MODIFIER "x", ub_device_get_ecid(device));
	g_application_send_notification(self->application, id, notification);
}

/* every ending moves the device's ladder, whether or not a page shows it */
static void
diagnose(UbRestoreService *self, UbRestoreJob *job)
{
	UbDevice *device = ub_restore_job_get_device(job);
	const UbFailure *failure = ub_restore_job_get_failure(job);
	UbDiagnosisInput input = {0};
	UbDiagnosisResult *result;

	if (ub_restore_job_get_state(job) == UB_RESTORE_STATE_DONE) {
		ub_diagnosis_record_success(self->diagnosis, ub_device_get_ecid(device));
		return;
	}
	input.cause = failure != NULL ? failure->cause : UB_FAILURE_CAUSE_UNKNOWN;
	input.device_status = failure != NULL ? failure->device_status : -1;
	input.kind = ub_restore_job_get_kind(job);
	input.start_mode = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(job), JOB_START_MODE)) - 1;
	input.end_mode = ub_device_get_mode(device);
	input.stalled = ub_restore_job_get_stalled(job);
	input.never_connected = !ub_restore_job_get_engine_ran(job) && failure != NULL &&
				failure->cause == UB_FAILURE_CAUSE_USB_CONNECTION;
	result = ub_diagnosis_record_failure(self->diagnosis, ub_device_get_ecid(device), &input);
	g_object_set_data_full(
	    G_OBJECT(job), JOB_DIAGNOSIS, result, (GDestroyNotify)ub_diagnosis_result_free);
}

/* "host:port" of the firmware catalog a job would ask, or NULL */
static gchar *
dup_catalog_host(UbRestoreService *self)
{
	g_autofree gchar *url = g_settings_get_string(self->settings, "catalog-url");
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	const gchar *host;
	gint port;

	if (uri == NULL || g_uri_get_host(uri) == NULL)
		return NULL;
	host = g_uri_get_host(uri);
	port = g_uri_get_port(uri);
	if (port < 0)
		port = g_ascii_strcasecmp(g_uri_get_scheme(uri), "http") == 0 ? 80 : 443;
	/* an IPv6 literal keeps its brackets */
	if (strchr(host, ':') != NULL)
		return g_strdup_printf("[%s]:%d", host, port);
	return g_strdup_printf("%s:%d", host, port);
}

typedef struct {
	UbRestoreService *self; /* the task's source object */
	UbPreflight *preflight;
	gulong engine_changed_id;
} PreflightRun;

static void
preflight_run_free(PreflightRun *run)
{
	g_object_unref(run->preflight);
	g_free(run);
}

static void
preflight_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	GPtrArray *checks = ub_preflight_run_finish(UB_PREFLIGHT(source), result, &error);

	if (checks == NULL)
		g_task_return_error(task, g_steal_pointer(&error));
	else
		g_task_return_pointer(task, checks, (GDestroyNotify)g_ptr_array_unref);
}

static void
configure_and_run_preflight(GTask *task)
{
	PreflightRun *run = g_task_get_task_data(task);
	UbRestoreService *self = run->self;
	UbFirmwareCache *cache = ub_firmware_manager_get_cache(self->manager);
	UbDevice *device = ub_preflight_get_device(run->preflight);
	g_autofree gchar *catalog_host = dup_catalog_host(self);
	const gchar *hosts[] = {UB_PREFLIGHT_SIGNING_HOST, catalog_host, NULL};

	ub_preflight_set_simulated_engine(run->preflight,
					  ub_restore_service_uses_simulated_engine(self, device));
	ub_preflight_set_engine_info(run->preflight, self->engine_info);
	/* the job picks the newest signed build only when it lists the
	 * catalog, so its size is not known here: 0 leaves the disk check
	 * asking for its margin alone (1 GiB) */
	ub_preflight_set_firmware(run->preflight, ub_firmware_cache_get_root(cache), 0, FALSE);
	if (catalog_host != NULL)
		ub_preflight_set_server_hosts(run->preflight, hosts);
	ub_preflight_run_async(
	    run->preflight, g_task_get_cancellable(task), preflight_done_cb, g_object_ref(task));
}

static void
preflight_engine_probed_cb(UbRestoreService *self, GTask *task)
{
	PreflightRun *run = g_task_get_task_data(task);

	g_clear_signal_handler(&run->engine_changed_id, self);
	configure_and_run_preflight(task);
	/* the handler's reference */
	g_object_unref(task);
}

void
ub_restore_service_run_preflight_async(UbRestoreService *self,
				       UbPreflight *preflight,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	PreflightRun *run;

	g_return_if_fail(UB_IS_RESTORE_SERVICE(self));
	g_return_if_fail(UB_IS_PREFLIGHT(preflight));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_restore_service_run_preflight_async);
	run = g_new0(PreflightRun, 1);
	run->self = self;
	run->preflight = g_object_ref(preflight);
	g_task_set_task_data(task, run, (GDestroyNotify)preflight_run_free);

	if (ub_restore_service_uses_simulated_engine(self, ub_preflight_get_device(preflight))) {
		configure_and_run_preflight(task);
		return;
	}
	/* the handler holds the task until the probe answers; every probe
	 * answers (it has a time limit) unless Unbrick is closing */
	run->engine_changed_id = g_signal_connect(
	    self, "engine-changed", G_CALLBACK(preflight_engine_probed_cb), g_object_ref(task));
	probe_engine(self);
}

GPtrArray *
ub_restore_service_run_preflight_finish(UbRestoreService *self,
					GAsyncResult *result,
					GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

const UbDiagnosisResult *
ub_restore_service_get_diagnosis(UbRestoreService *self, UbRestoreJob *job)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	g_return_val_if_fail(UB_IS_RESTORE_JOB(job), NULL);
	return g_object_get_data(G_OBJECT(job), JOB_DIAGNOSIS);
}

/* a device whose erase began and stopped has lost its data until a restore
 * finishes: the pages and the guides must not say otherwise */
static void
remember_erase(UbRestoreService *self, UbRestoreJob *job)
{
	guint64 ecid = ub_device_get_ecid(ub_restore_job_get_device(job));

	if (ecid == 0)
		return;
	if (ub_restore_job_get_state(job) == UB_RESTORE_STATE_DONE)
		g_hash_table_remove(self->erased, &ecid);
	else if (ub_restore_job_get_erase_begun(job))
		g_hash_table_add(self->erased, g_memdup2(&ecid, sizeof ecid));
}

gboolean
ub_restore_service_get_erase_begun(UbRestoreService *self, UbDevice *device)
{
	guint64 ecid;

	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), FALSE);
	g_return_val_if_fail(UB_IS_DEVICE(device), FALSE);
	ecid = ub_device_get_ecid(device);
	return ecid != 0 && g_hash_table_contains(self->erased, &ecid);
}

static void
job_finished_cb(UbRestoreJob *job, GParamSpec *pspec, UbRestoreService *self)
{
	gpointer cookie;

	if (!ub_restore_job_get_finished(job))
		return;
	g_signal_handlers_disconnect_by_func(job, job_finished_cb, self);
	remember_erase(self, job);
	diagnose(self, job);
	if (g_hash_table_steal_extended(self->inhibit_cookies, job, NULL, &cookie) &&
	    self->inhibitor != NULL)
		ub_inhibitor_uninhibit(self->inhibitor, GPOINTER_TO_UINT(cookie));
	if (self->application != NULL) {
		notify_end(self, job);
		g_application_release(self->application);
	}
	if (self->all_done_callback != NULL && ub_restore_service_get_n_running(self) == 0) {
		GCallback callback = self->all_done_callback;
		self->all_done_callback = NULL;
		((void (*)(gpointer))callback)(self->all_done_data);
	}
}

/* a simulated device restores by replay, unless the UI tests ask for the
 * real engine (a fake idevicerestore) and the real firmware path on it */
static UbSimProvider *
replay_provider(UbRestoreService *self, UbDevice *device)
{
	if (ub_self_test_get_flag(UB_SELF_TEST_SIM_REAL_ENGINE))
		return NULL;
	return find_sim_provider(self, device);
}

gboolean
ub_restore_service_uses_simulated_engine(UbRestoreService *self, UbDevice *device)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), FALSE);
	g_return_val_if_fail(UB_IS_DEVICE(device), FALSE);
	return ub_device_get_simulated(device) && replay_provider(self, device) != NULL;
}

/* Download first */

static void
prefetch_list_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbRestoreService *self = g_task_get_source_object(task);
	g_autoptr(GPtrArray) firmwares = NULL;
	g_autoptr(GError) error = NULL;
	UbFirmware *firmware;
	UbDownload *download;

	firmwares = ub_firmware_catalog_list_finish(
	    UB_FIRMWARE_CATALOG(source), result, NULL, NULL, &error);
	if (firmwares == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	firmware = ub_firmware_pick_signed(firmwares);
	if (firmware == NULL || ub_firmware_manager_lookup(self->manager, firmware) != NULL) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	download = ub_firmware_manager_get_download(self->manager, firmware);
	if (download == NULL)
		download = ub_firmware_manager_download(self->manager, firmware, &error);
	if (download == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, g_object_ref(download), g_object_unref);
}

void
ub_restore_service_prefetch_async(UbRestoreService *self,
				  UbDevice *device,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	const gchar *product_type;

	g_return_if_fail(UB_IS_RESTORE_SERVICE(self));
	g_return_if_fail(UB_IS_DEVICE(device));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_restore_service_prefetch_async);
	product_type = ub_device_get_product_type(device);
	/* a replayed demo fetches nothing; an unknown model has no catalog */
	if (self->manager == NULL || product_type == NULL ||
	    ub_restore_service_uses_simulated_engine(self, device)) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	ub_firmware_catalog_list_async(ub_firmware_manager_get_catalog(self->manager),
				       product_type,
				       cancellable,
				       prefetch_list_cb,
				       g_steal_pointer(&task));
}

UbDownload *
ub_restore_service_prefetch_finish(UbRestoreService *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

gboolean
ub_restore_service_can_restore(UbRestoreService *self, UbDevice *device, GError **error)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), FALSE);
	g_return_val_if_fail(UB_IS_DEVICE(device), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (ub_restore_service_uses_simulated_engine(self, device))
		return TRUE;
	if (self->engine_info == NULL) {
		/* still being looked at: the preflight asks again */
		if (self->engine_error == NULL)
			return TRUE;
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_NOT_FOUND,
				    _("Unbrick restores devices with idevicerestore, which is not "
				      "installed. Install it by typing “sudo apt install "
				      "idevicerestore” in a terminal, or install Unbrick from "
				      "Flathub, which includes it."));
		return FALSE;
	}
	return ub_engine_info_can_restore(
	    self->engine_info, ub_device_get_product_type(device), 0, error);
}

static UbRestoreEngine *
create_engine(UbRestoreService *self, UbSimProvider *provider, UbDevice *device, GError **error)
{
	if (provider != NULL) {
		UbSimEngine *engine = ub_sim_engine_new_for_name(
		    ub_sim_provider_get_restore_log(provider, ub_device_get_ecid(device)),
		    ub_sim_provider_get_time_scale(provider),
		    error);
		if (engine == NULL)
			return NULL;
		ub_sim_engine_set_device(engine, provider, ub_device_get_ecid(device));
		return UB_RESTORE_ENGINE(engine);
	}
	{
		g_autofree gchar *path = dup_engine_path(self);
		return UB_RESTORE_ENGINE(ub_idevicerestore_engine_new(path));
	}
}

UbRestoreJob *
ub_restore_service_start(UbRestoreService *self,
			 UbDevice *device,
			 UbRestoreKind kind,
			 GError **error)
{
	g_autoptr(UbRestoreEngine) engine = NULL;
	g_autoptr(UbRestoreJob) job = NULL;
	UbRestoreJob *previous;
	UbSimProvider *provider = NULL;
	g_autofree gchar *reason = NULL;
	guint cookie = 0;

	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	previous = ub_restore_service_get_job(self, device);
	if (previous != NULL && !ub_restore_job_get_finished(previous)) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_FAILED,
				    _("A restore is already running on this device."));
		return NULL;
	}
	if (previous != NULL)
		ub_restore_service_dismiss(self, previous);

	if (ub_device_get_simulated(device)) {
		provider = replay_provider(self, device);
		if (provider == NULL && !ub_self_test_get_flag(UB_SELF_TEST_SIM_REAL_ENGINE)) {
			g_set_error_literal(error,
					    UB_ERROR,
					    UB_ERROR_NOT_SUPPORTED,
					    _("This demo device can’t be restored."));
			return NULL;
		}
	}
	engine = create_engine(self, provider, device, error);
	if (engine == NULL)
		return NULL;
	job = ub_restore_job_new(device, kind, engine);
	if (provider != NULL) {
		/* the demo downloads nothing and never touches a real device */
		ub_restore_job_set_firmware_path(job, _("Demo: no firmware is downloaded"));
		ub_restore_job_set_disconnect_limit(
		    job, (guint)(DISCONNECT_LIMIT_MS * ub_sim_provider_get_time_scale(provider)));
	} else {
		g_autofree gchar *cache_dir =
		    g_build_filename(g_get_user_cache_dir(), "unbrick", "engine", NULL);
		g_mkdir_with_parents(cache_dir, 0700);
		ub_restore_job_set_cache_dir(job, cache_dir);
		ub_restore_job_set_firmware(job, self->manager, NULL);
		ub_restore_job_set_engine_info(job, self->engine_info);
		ub_restore_job_set_engine_error(job, self->engine_error);
	}

	g_object_set_data(
	    G_OBJECT(job), JOB_START_MODE, GINT_TO_POINTER(ub_device_get_mode(device) + 1));
	g_ptr_array_add(self->jobs, g_object_ref(job));
	ub_device_monitor_hold_device(self->monitor, device);
	g_signal_connect(job, "notify::finished", G_CALLBACK(job_finished_cb), self);

	/* a suspended computer drops USB: the restore would fail half-way */
	/* TRANSLATORS: why the computer must not sleep; %s is the device name */
	reason = g_strdup_printf(_("Restoring %s"), ub_device_get_name(device));
	if (self->inhibitor != NULL)
		cookie = ub_inhibitor_inhibit(self->inhibitor, reason);
	if (cookie != 0)
		g_hash_table_insert(self->inhibit_cookies, job, GUINT_TO_POINTER(cookie));
	/* closing the window must not end the restore */
	if (self->application != NULL)
		g_application_hold(self->application);

	g_signal_emit(self, signals[SIGNAL_JOB_ADDED], 0, job);
	ub_restore_job_start(job);
	return job;
}

UbRestoreJob *
ub_restore_service_get_job(UbRestoreService *self, UbDevice *device)
{
	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), NULL);
	for (guint i = self->jobs->len; i > 0; i--) {
		UbRestoreJob *job = g_ptr_array_index(self->jobs, i - 1);
		if (ub_restore_job_get_device(job) == device)
			return job;
	}
	return NULL;
}

void
ub_restore_service_dismiss(UbRestoreService *self, UbRestoreJob *job)
{
	g_autoptr(UbRestoreJob) removed = NULL;

	g_return_if_fail(UB_IS_RESTORE_SERVICE(self));
	g_return_if_fail(UB_IS_RESTORE_JOB(job));
	g_return_if_fail(ub_restore_job_get_finished(job));

	if (!g_ptr_array_find(self->jobs, job, NULL))
		return;
	removed = g_object_ref(job);
	g_ptr_array_remove(self->jobs, job);
	ub_device_monitor_release_device(self->monitor, ub_restore_job_get_device(job));
	g_signal_emit(self, signals[SIGNAL_JOB_REMOVED], 0, job);
}

guint
ub_restore_service_get_n_running(UbRestoreService *self)
{
	guint running = 0;

	g_return_val_if_fail(UB_IS_RESTORE_SERVICE(self), 0);
	for (guint i = 0; i < self->jobs->len; i++) {
		if (!ub_restore_job_get_finished(g_ptr_array_index(self->jobs, i)))
			running++;
	}
	return running;
}

void
ub_restore_service_cancel_all(UbRestoreService *self, GCallback callback, gpointer user_data)
{
	g_return_if_fail(UB_IS_RESTORE_SERVICE(self));

	self->all_done_callback = callback;
	self->all_done_data = user_data;
	if (ub_restore_service_get_n_running(self) == 0) {
		self->all_done_callback = NULL;
		if (callback != NULL)
			((void (*)(gpointer))callback)(user_data);
		return;
	}
	for (guint i = 0; i < self->jobs->len; i++)
		ub_restore_job_cancel(g_ptr_array_index(self->jobs, i));
}

static void
ub_restore_service_dispose(GObject *object)
{
	UbRestoreService *self = UB_RESTORE_SERVICE(object);

	g_cancellable_cancel(self->cancellable);
	for (guint i = 0; self->jobs != NULL && i < self->jobs->len; i++)
		g_signal_handlers_disconnect_by_data(g_ptr_array_index(self->jobs, i), self);
	g_clear_pointer(&self->jobs, g_ptr_array_unref);
	g_clear_pointer(&self->inhibit_cookies, g_hash_table_unref);
	g_clear_object(&self->monitor);
	g_clear_object(&self->manager);
	g_clear_object(&self->settings);
	g_clear_object(&self->cancellable);
	if (self->application != NULL)
		g_object_remove_weak_pointer(G_OBJECT(self->application),
					     (gpointer *)&self->application);
	self->application = NULL;
	if (self->inhibitor != NULL)
		g_object_remove_weak_pointer(G_OBJECT(self->inhibitor),
					     (gpointer *)&self->inhibitor);
	self->inhibitor = NULL;
	g_clear_object(&self->diagnosis);
	G_OBJECT_CLASS(ub_restore_service_parent_class)->dispose(object);
}

static void
ub_restore_service_finalize(GObject *object)
{
	UbRestoreService *self = UB_RESTORE_SERVICE(object);

	g_clear_pointer(&self->erased, g_hash_table_unref);
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);
	g_clear_error(&self->engine_error);
	G_OBJECT_CLASS(ub_restore_service_parent_class)->finalize(object);
}

static void
ub_restore_service_class_init(UbRestoreServiceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_restore_service_dispose;
	object_class->finalize = ub_restore_service_finalize;

	signals[SIGNAL_JOB_ADDED] = g_signal_new("job-added",
						 G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST,
						 0,
						 NULL,
						 NULL,
						 NULL,
						 G_TYPE_NONE,
						 1,
						 UB_TYPE_RESTORE_JOB);
	signals[SIGNAL_ENGINE_CHANGED] = g_signal_new("engine-changed",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      0);
	signals[SIGNAL_JOB_REMOVED] = g_signal_new("job-removed",
						   G_TYPE_FROM_CLASS(klass),
						   G_SIGNAL_RUN_LAST,
						   0,
						   NULL,
						   NULL,
						   NULL,
						   G_TYPE_NONE,
						   1,
						   UB_TYPE_RESTORE_JOB);
}

static void
ub_restore_service_init(UbRestoreService *self)
{
	self->jobs = g_ptr_array_new_with_free_func(g_object_unref);
	self->inhibit_cookies = g_hash_table_new(NULL, NULL);
	self->erased = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	self->cancellable = g_cancellable_new();
	{
		g_autofree gchar *ladder = ub_diagnosis_dup_default_ladder_path();
		self->diagnosis = ub_diagnosis_new(NULL, ladder);
	}
}

UbRestoreService *
ub_restore_service_new(GApplication *application,
		       UbInhibitor *inhibitor,
		       UbDeviceMonitor *monitor,
		       UbFirmwareManager *manager,
		       GSettings *settings)
{
	UbRestoreService *self;

	g_return_val_if_fail(application == NULL || G_IS_APPLICATION(application), NULL);
	g_return_val_if_fail(inhibitor == NULL || UB_IS_INHIBITOR(inhibitor), NULL);
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(monitor), NULL);
	g_return_val_if_fail(UB_IS_FIRMWARE_MANAGER(manager), NULL);
	g_return_val_if_fail(G_IS_SETTINGS(settings), NULL);

	self = g_object_new(UB_TYPE_RESTORE_SERVICE, NULL);
	self->application = application;
	if (application != NULL)
		g_object_add_weak_pointer(G_OBJECT(application), (gpointer *)&self->application);
	self->inhibitor = inhibitor;
	if (inhibitor != NULL)
		g_object_add_weak_pointer(G_OBJECT(inhibitor), (gpointer *)&self->inhibitor);
	self->monitor = g_object_ref(monitor);
	self->manager = g_object_ref(manager);
	self->settings = g_object_ref(settings);
	g_signal_connect_object(settings,
				"changed::engine-path",
				G_CALLBACK(engine_path_changed_cb),
				self,
				G_CONNECT_SWAPPED);
	probe_engine(self);
	return self;
}
