/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-preflight"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ub-preflight-private.h"
#include "ub-preflight-run.h"
#include "ub-remediation.h"
#include "ub-restore-enums.h"
#include "ub-sandbox.h"
#include "ub-usb-port.h"

G_DEFINE_FINAL_TYPE(UbPreflight, ub_preflight, G_TYPE_OBJECT)

enum { PROP_0, PROP_DEVICE, PROP_KIND, PROP_BACKUP_ACKNOWLEDGED, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* a cancelled run leaves slots empty */
static void
ub_preflight_unref_nullable(gpointer check)
{
	if (check != NULL)
		g_object_unref(check);
}

static void
ub_preflight_work_free(UbPreflightWork *work)
{
	g_free(work->sysfs_root);
	g_free(work->dev_root);
	g_free(work->usbmuxd_socket);
	g_free(work->udid);
	g_clear_object(&work->port);
	g_free(work->storage_dir);
	g_free(work);
}

static void
ub_preflight_run_free(UbPreflightRun *run)
{
	/* every part has finished by now, so no timeout or handler is left */
	g_assert(run->net_timeout == NULL);
	g_assert(run->net_cancel_id == 0);
	g_clear_pointer(&run->checks, g_ptr_array_unref);
	g_strfreev(run->hosts);
	g_free(run->host_ok);
	g_clear_object(&run->net_cancellable);
	g_clear_object(&run->cancellable);
	g_clear_object(&run->bus);
	g_free(run);
}

static void
ub_preflight_work_thread_cb(GTask *task,
			    gpointer source_object,
			    gpointer task_data,
			    GCancellable *cancellable)
{
	UbPreflightWork *work = task_data;
	g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(UbUsbPort) port = NULL;

	g_ptr_array_add(checks, _ub_preflight_check_usbmuxd(work));
	if (g_task_return_error_if_cancelled(task))
		return;
	port = _ub_preflight_find_port(work);
	g_ptr_array_add(checks, _ub_preflight_check_usb_permission(work, port));
	g_ptr_array_add(checks, _ub_preflight_check_usb_port(port));
	g_ptr_array_add(checks, _ub_preflight_check_disk_space(work));
	g_assert(checks->len == N_WORKER_SLOTS);
	g_task_return_pointer(task, g_steal_pointer(&checks), (GDestroyNotify)g_ptr_array_unref);
}

/* the run: parts finish in any order, the last one returns */

void
_ub_preflight_run_set(UbPreflightRun *run, guint slot, UbCheck *check)
{
	g_assert(slot < N_SLOTS);
	g_assert(g_ptr_array_index(run->checks, slot) == NULL);
	run->checks->pdata[slot] = check;
}

void
_ub_preflight_run_part_done(GTask *task)
{
	UbPreflightRun *run = g_task_get_task_data(task);

	g_assert(run->pending > 0);
	if (--run->pending > 0)
		return;
	if (g_task_return_error_if_cancelled(task))
		return;
	for (guint i = 0; i < N_SLOTS; i++)
		g_assert(g_ptr_array_index(run->checks, i) != NULL);
	g_task_return_pointer(
	    task, g_steal_pointer(&run->checks), (GDestroyNotify)g_ptr_array_unref);
}

static void
ub_preflight_work_done_cb(GObject *source_object, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbPreflightRun *run = g_task_get_task_data(task);
	g_autoptr(GPtrArray) checks = NULL;
	g_autoptr(GError) error = NULL;

	/* the worker only fails by being cancelled, which the run reports */
	checks = g_task_propagate_pointer(G_TASK(result), &error);
	if (checks != NULL) {
		for (guint i = 0; i < checks->len; i++)
			_ub_preflight_run_set(run, i, g_object_ref(g_ptr_array_index(checks, i)));
	} else {
		g_debug("worker: %s", error->message);
	}
	_ub_preflight_run_part_done(task);
}

/* 5. apple-servers */

static UbCheck *
ub_preflight_engine(UbPreflight *self)
{
	const gchar *product_type = ub_device_get_product_type(self->device);
	const gchar *name = ub_device_get_name(self->device);
	g_autofree gchar *title = NULL;
	g_autoptr(GError) error_local = NULL;
	guint ios_major = 0;

	if (self->simulated_engine) {
		return ub_check_new(UB_PREFLIGHT_ENGINE,
				    UB_CHECK_STATUS_PASS,
				    _("The demo replays a recorded restore"),
				    NULL,
				    NULL);
	}
	if (self->engine_info == NULL) {
		return ub_check_new(
		    UB_PREFLIGHT_ENGINE,
		    UB_CHECK_STATUS_FAIL,
		    _("The restore tool (idevicerestore) was not found"),
		    _("Unbrick restores devices with idevicerestore. Install it by typing “sudo "
		      "apt install idevicerestore” in a terminal, or install Unbrick from "
		      "Flathub, which includes it."),
		    UB_CARD_ENGINE_MISSING);
	}
	if (self->target_version != NULL)
		ios_major = (guint)g_ascii_strtoull(self->target_version, NULL, 10);
	if (!ub_engine_info_can_restore(self->engine_info, product_type, ios_major, &error_local)) {
		if (name != NULL)
			/* TRANSLATORS: the first %s is a version ("1.0.0"), the
			 * second a model name ("iPhone 12") */
			title = g_strdup_printf(_("The restore tool (idevicerestore %s) is too old "
						  "for the %s"),
						ub_engine_info_get_version(self->engine_info),
						name);
		else
			/* TRANSLATORS: %s is a version ("1.0.0") */
			title = g_strdup_printf(_("The restore tool (idevicerestore %s) is too old "
						  "for this device"),
						ub_engine_info_get_version(self->engine_info));
		return ub_check_new(UB_PREFLIGHT_ENGINE,
				    UB_CHECK_STATUS_FAIL,
				    title,
				    error_local->message,
				    UB_CARD_ENGINE_OUTDATED);
	}
	if (name != NULL)
		/* TRANSLATORS: the first %s is a version ("1.0.0-226-gbb5591d"),
		 * the second a model name ("iPhone 12") */
		title =
		    g_strdup_printf(_("The restore tool (idevicerestore %s) can restore the %s"),
				    ub_engine_info_get_version(self->engine_info),
				    name);
	else
		/* TRANSLATORS: %s is a version ("1.0.0-226-gbb5591d") */
		title = g_strdup_printf(_("The restore tool (idevicerestore %s) is ready"),
					ub_engine_info_get_version(self->engine_info));
	return ub_check_new(UB_PREFLIGHT_ENGINE, UB_CHECK_STATUS_PASS, title, NULL, NULL);
}

/* 7. power */

static UbCheck *
ub_preflight_backup(UbPreflight *self)
{
	if (self->kind != UB_RESTORE_KIND_ERASE) {
		return ub_check_new(UB_PREFLIGHT_BACKUP,
				    UB_CHECK_STATUS_PASS,
				    _("An Update keeps your data"),
				    NULL,
				    NULL);
	}
	if (self->backup_acknowledged) {
		return ub_check_new(
		    UB_PREFLIGHT_BACKUP,
		    UB_CHECK_STATUS_PASS,
		    _("You confirmed that the data on the device is backed up or not needed"),
		    NULL,
		    NULL);
	}
	return ub_check_new(
	    UB_PREFLIGHT_BACKUP,
	    UB_CHECK_STATUS_FAIL,
	    _("A Restore erases everything on the device, and no backup was confirmed"),
	    _("Back up the device first if it still starts, or try an Update, which keeps the "
	      "data. Then confirm that you have a backup or do not need the data."),
	    UB_CARD_BACKUP);
}

/**
 * ub_preflight_run_async:
 * @cancellable: (nullable): stops every check
 *
 * Runs every check: the USB and disk checks on a worker thread, the servers
 * and UPower asynchronously here. It finishes within the network timeout
 * and UPower's two seconds even when the network or the bus hangs.
 */
void
ub_preflight_run_async(UbPreflight *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GTask) worker = NULL;
	UbPreflightWork *work;
	UbPreflightRun *run;

	g_return_if_fail(UB_IS_PREFLIGHT(self));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_preflight_run_async);

	run = g_new0(UbPreflightRun, 1);
	run->checks = g_ptr_array_new_with_free_func(ub_preflight_unref_nullable);
	g_ptr_array_set_size(run->checks, N_SLOTS);
	run->firmware_cached = self->firmware_cached;
	run->hosts = g_strdupv(self->server_hosts);
	run->net_timeout_ms = self->network_timeout_ms;
	run->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	run->bus = self->system_bus != NULL ? g_object_ref(self->system_bus) : NULL;
	/* worker, servers (unless there are none to ask), power */
	run->pending = _ub_preflight_skips_servers(self) ? 2 : 3;
	g_task_set_task_data(task, run, (GDestroyNotify)ub_preflight_run_free);

	/* cheap and only reading what lives on this thread */
	_ub_preflight_run_set(run, SLOT_ENGINE, ub_preflight_engine(self));
	_ub_preflight_run_set(run, SLOT_BACKUP, ub_preflight_backup(self));
	if (_ub_preflight_skips_servers(self))
		_ub_preflight_run_set(run, SLOT_APPLE_SERVERS, _ub_preflight_servers_skipped(self));

	/* the device changes on this thread as it reconnects: copy it */
	work = g_new0(UbPreflightWork, 1);
	work->sysfs_root = g_strdup(self->sysfs_root != NULL ? self->sysfs_root
							     : ub_usb_port_default_sysfs_root());
	work->dev_root = g_strdup(self->dev_root);
	work->usbmuxd_socket = g_strdup(self->usbmuxd_socket);
	work->flatpak = ub_sandbox_is_flatpak(self->flatpak_info);
	work->access_func = self->access_func;
	work->access_data = self->access_data;
	work->simulated = ub_device_get_simulated(self->device);
	work->mode = ub_device_get_mode(self->device);
	work->ecid = ub_device_get_ecid(self->device);
	work->udid = g_strdup(ub_device_get_udid(self->device));
	if (ub_device_get_usb_port(self->device) != NULL)
		work->port = g_object_ref(ub_device_get_usb_port(self->device));
	work->storage_dir =
	    self->storage_dir != NULL
		? g_strdup(self->storage_dir)
		: g_build_filename(g_get_user_cache_dir(), "unbrick", "firmware", NULL);
	work->firmware_size = self->firmware_size;
	work->firmware_cached = self->firmware_cached;

	/* a usbmuxd that does not answer holds the worker for seconds; a
	 * cancelled run does not wait for it */
	worker = g_task_new(NULL, cancellable, ub_preflight_work_done_cb, g_object_ref(task));
	g_task_set_source_tag(worker, ub_preflight_work_thread_cb);
	g_task_set_task_data(worker, work, (GDestroyNotify)ub_preflight_work_free);
	g_task_set_return_on_cancel(worker, TRUE);
	g_task_run_in_thread(worker, ub_preflight_work_thread_cb);

	if (!_ub_preflight_skips_servers(self))
		_ub_preflight_net_start(task);

	if (run->bus != NULL)
		_ub_preflight_power_call(task);
	else
		g_bus_get(
		    G_BUS_TYPE_SYSTEM, cancellable, _ub_preflight_bus_get_cb, g_object_ref(task));
}

/**
 * ub_preflight_run_finish:
 *
 * Returns: (transfer container) (element-type UbCheck): one check
 * per UB_PREFLIGHT_* id, in that order; %NULL with G_IO_ERROR_CANCELLED
 */
GPtrArray *
ub_preflight_run_finish(UbPreflight *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * ub_preflight_get_blocker:
 * @checks: (element-type UbCheck): what ub_preflight_run_finish() returned
 *
 * Returns: (transfer none) (nullable): the first failed check
 */
UbCheck *
ub_preflight_get_blocker(GPtrArray *checks)
{
	g_return_val_if_fail(checks != NULL, NULL);

	for (guint i = 0; i < checks->len; i++) {
		UbCheck *check = g_ptr_array_index(checks, i);
		if (ub_check_get_status(check) == UB_CHECK_STATUS_FAIL)
			return check;
	}
	return NULL;
}

/* settings */

UbDevice *
ub_preflight_get_device(UbPreflight *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT(self), NULL);
	return self->device;
}

UbRestoreKind
ub_preflight_get_kind(UbPreflight *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT(self), UB_RESTORE_KIND_UPDATE);
	return self->kind;
}

void
ub_preflight_set_backup_acknowledged(UbPreflight *self, gboolean backup_acknowledged)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	backup_acknowledged = !!backup_acknowledged;
	if (self->backup_acknowledged == backup_acknowledged)
		return;
	self->backup_acknowledged = backup_acknowledged;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_BACKUP_ACKNOWLEDGED]);
}

gboolean
ub_preflight_get_backup_acknowledged(UbPreflight *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT(self), FALSE);
	return self->backup_acknowledged;
}

/**
 * ub_preflight_set_simulated_engine:
 * @simulated: the restore replays a recorded run instead of idevicerestore
 *
 * The engine then passes whatever ub_preflight_set_engine_info() said, and
 * no server is asked: the replay needs neither.
 */
void
ub_preflight_set_simulated_engine(UbPreflight *self, gboolean simulated)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));
	self->simulated_engine = !!simulated;
}

gboolean
ub_preflight_get_simulated_engine(UbPreflight *self)
{
	g_return_val_if_fail(UB_IS_PREFLIGHT(self), FALSE);
	return self->simulated_engine;
}

void
ub_preflight_set_engine_info(UbPreflight *self, UbEngineInfo *info)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	if (info != NULL)
		ub_engine_info_ref(info);
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);
	self->engine_info = info;
}

void
ub_preflight_set_firmware(UbPreflight *self,
			  const gchar *storage_dir,
			  guint64 firmware_size,
			  gboolean cached)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	g_free(self->storage_dir);
	self->storage_dir = g_strdup(storage_dir);
	self->firmware_size = firmware_size;
	self->firmware_cached = !!cached;
}

void
ub_preflight_set_target_version(UbPreflight *self, const gchar *ios_version)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	g_free(self->target_version);
	self->target_version = g_strdup(ios_version);
}

void
ub_preflight_set_connection_env(UbPreflight *self, const UbConnectionCheckEnv *env)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	g_clear_pointer(&self->sysfs_root, g_free);
	g_clear_pointer(&self->dev_root, g_free);
	g_clear_pointer(&self->usbmuxd_socket, g_free);
	g_clear_pointer(&self->flatpak_info, g_free);
	if (env == NULL)
		return;
	self->sysfs_root = g_strdup(env->sysfs_root);
	self->dev_root = g_strdup(env->dev_root);
	self->usbmuxd_socket = g_strdup(env->usbmuxd_socket);
	self->flatpak_info = g_strdup(env->flatpak_info);
}

void
ub_preflight_set_system_bus(UbPreflight *self, GDBusConnection *bus)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));
	g_return_if_fail(bus == NULL || G_IS_DBUS_CONNECTION(bus));

	g_set_object(&self->system_bus, bus);
}

void
ub_preflight_set_server_hosts(UbPreflight *self, const gchar *const *host_ports)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));

	g_strfreev(self->server_hosts);
	if (host_ports != NULL) {
		self->server_hosts = g_strdupv((gchar **)host_ports);
	} else {
		const gchar *const defaults[] = {
		    UB_PREFLIGHT_SIGNING_HOST,
		    UB_PREFLIGHT_CATALOG_HOST,
		    NULL,
		};
		self->server_hosts = g_strdupv((gchar **)defaults);
	}
}

void
ub_preflight_set_network_timeout(UbPreflight *self, guint timeout_ms)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));
	g_return_if_fail(timeout_ms > 0);

	self->network_timeout_ms = timeout_ms;
}

void
_ub_preflight_set_access_func(UbPreflight *self,
			      UbConnectionCheckAccessFunc access_func,
			      gpointer user_data)
{
	g_return_if_fail(UB_IS_PREFLIGHT(self));
	g_return_if_fail(access_func != NULL);

	self->access_func = access_func;
	self->access_data = user_data;
}

UbPreflight *
ub_preflight_new(UbDevice *device, UbRestoreKind kind)
{
	g_return_val_if_fail(UB_IS_DEVICE(device), NULL);

	return g_object_new(UB_TYPE_PREFLIGHT, "device", device, "kind", kind, NULL);
}

static void
ub_preflight_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbPreflight *self = UB_PREFLIGHT(object);

	switch (prop_id) {
	case PROP_DEVICE:
		g_value_set_object(value, self->device);
		break;
	case PROP_KIND:
		g_value_set_enum(value, self->kind);
		break;
	case PROP_BACKUP_ACKNOWLEDGED:
		g_value_set_boolean(value, self->backup_acknowledged);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_preflight_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	UbPreflight *self = UB_PREFLIGHT(object);

	switch (prop_id) {
	case PROP_DEVICE:
		self->device = g_value_dup_object(value);
		break;
	case PROP_KIND:
		self->kind = g_value_get_enum(value);
		break;
	case PROP_BACKUP_ACKNOWLEDGED:
		ub_preflight_set_backup_acknowledged(self, g_value_get_boolean(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_preflight_dispose(GObject *object)
{
	UbPreflight *self = UB_PREFLIGHT(object);

	g_clear_object(&self->device);
	g_clear_object(&self->system_bus);
	g_clear_pointer(&self->engine_info, ub_engine_info_unref);

	G_OBJECT_CLASS(ub_preflight_parent_class)->dispose(object);
}

static void
ub_preflight_finalize(GObject *object)
{
	UbPreflight *self = UB_PREFLIGHT(object);

	g_free(self->storage_dir);
	g_free(self->target_version);
	g_free(self->sysfs_root);
	g_free(self->dev_root);
	g_free(self->usbmuxd_socket);
	g_free(self->flatpak_info);
	g_strfreev(self->server_hosts);

	G_OBJECT_CLASS(ub_preflight_parent_class)->finalize(object);
}

static void
ub_preflight_class_init(UbPreflightClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GParamFlags construct_flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
				      G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = ub_preflight_get_property;
	object_class->set_property = ub_preflight_set_property;
	object_class->dispose = ub_preflight_dispose;
	object_class->finalize = ub_preflight_finalize;

	properties[PROP_DEVICE] =
	    g_param_spec_object("device", NULL, NULL, UB_TYPE_DEVICE, construct_flags);
	properties[PROP_KIND] = g_param_spec_enum(
	    "kind", NULL, NULL, UB_TYPE_RESTORE_KIND, UB_RESTORE_KIND_UPDATE, construct_flags);
	/* the consent dialog binds its checkbox here */
	properties[PROP_BACKUP_ACKNOWLEDGED] = g_param_spec_boolean(
	    "backup-acknowledged",
	    NULL,
	    NULL,
	    FALSE,
	    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_preflight_init(UbPreflight *self)
{
	self->network_timeout_ms = UB_PREFLIGHT_DEFAULT_NETWORK_TIMEOUT_MS;
	self->access_func = ub_connection_check_real_access_cb;
	ub_preflight_set_server_hosts(self, NULL);
}
