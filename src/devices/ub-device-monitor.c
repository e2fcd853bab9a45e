/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-device-monitor"

#include "config.h"

#include "ub-device-monitor.h"
#include "ub-device-private.h"
#include "ub-error.h"

struct _UbDeviceMonitor {
	GObject parent_instance;

	UbDeviceDb *db;
	GPtrArray *providers; /* of UbDeviceProvider */
	GPtrArray *devices;   /* of UbDevice, the list model's items */
	/* source id of a live USB appearance -> UbDevice (borrowed from devices) */
	GHashTable *by_source;
	/* UbDevice -> grace timeout id, while it is shown as disconnected */
	GHashTable *grace_timeouts;
	/* UbDevice -> GINT_TO_POINTER(seen disconnected), after Exit Recovery */
	GHashTable *pending_exits;
	/* UbDevice (a reference each) -> GUINT_TO_POINTER(number of holds) */
	GHashTable *holds;
	guint grace_ms;
};

static void
ub_device_monitor_list_model_init(GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbDeviceMonitor,
			      ub_device_monitor,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(G_TYPE_LIST_MODEL,
						    ub_device_monitor_list_model_init))

enum { PROP_0, PROP_N_ITEMS, PROP_N_CONNECTED, PROP_GRACE_PERIOD, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GType
ub_device_monitor_get_item_type(GListModel *model)
{
	return UB_TYPE_DEVICE;
}

static guint
ub_device_monitor_get_n_items(GListModel *model)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(model);
	return self->devices->len;
}

static gpointer
ub_device_monitor_get_item(GListModel *model, guint position)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(model);

	if (position >= self->devices->len)
		return NULL;
	return g_object_ref(g_ptr_array_index(self->devices, position));
}

static void
ub_device_monitor_list_model_init(GListModelInterface *iface)
{
	iface->get_item_type = ub_device_monitor_get_item_type;
	iface->get_n_items = ub_device_monitor_get_n_items;
	iface->get_item = ub_device_monitor_get_item;
}

guint
ub_device_monitor_get_n_connected(UbDeviceMonitor *self)
{
	guint n = 0;

	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), 0);

	for (guint i = 0; i < self->devices->len; i++) {
		UbDevice *device = g_ptr_array_index(self->devices, i);
		if (ub_device_get_mode(device) != UB_DEVICE_MODE_DISCONNECTED)
			n++;
	}
	return n;
}

static void
remove_device(UbDeviceMonitor *self, UbDevice *device)
{
	guint position;
	GHashTableIter iter;
	gpointer value;

	if (!g_ptr_array_find(self->devices, device, &position))
		return;

	g_hash_table_remove(self->grace_timeouts, device);
	g_hash_table_remove(self->pending_exits, device);
	g_hash_table_iter_init(&iter, self->by_source);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (value == device)
			g_hash_table_iter_remove(&iter);
	}
	g_debug("dropping %s after its grace period", ub_device_get_name(device));
	g_ptr_array_remove_index(self->devices, position);
	g_list_model_items_changed(G_LIST_MODEL(self), position, 1, 0);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_ITEMS]);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_CONNECTED]);
}

typedef struct {
	UbDeviceMonitor *monitor;
	UbDevice *device;
} GraceData;

static gboolean
grace_expired_cb(gpointer user_data)
{
	GraceData *data = user_data;

	/* the timeout entry is removed by remove_device; steal it first so the
	 * hash table does not remove this running source */
	g_hash_table_steal(data->monitor->grace_timeouts, data->device);
	remove_device(data->monitor, data->device);
	return G_SOURCE_REMOVE;
}

static void
start_grace_period(UbDeviceMonitor *self, UbDevice *device)
{
	GraceData *data;
	guint id;

	/* a held device stays listed however long it is away */
	if (g_hash_table_contains(self->holds, device)) {
		g_hash_table_remove(self->grace_timeouts, device);
		return;
	}
	data = g_new0(GraceData, 1);
	data->monitor = self;
	data->device = device;
	id = g_timeout_add_full(G_PRIORITY_DEFAULT, self->grace_ms, grace_expired_cb, data, g_free);
	g_hash_table_replace(self->grace_timeouts, device, GUINT_TO_POINTER(id));
}

static UbDevice *
find_device_for_report(UbDeviceMonitor *self, const UbDeviceReport *report)
{
	UbDevice *device = g_hash_table_lookup(self->by_source, report->source_id);

	if (device != NULL)
		return device;
	if (report->ecid != 0)
		return ub_device_monitor_find_by_ecid(self, report->ecid);
	return NULL;
}

static void
track_recovery_exit(UbDeviceMonitor *self, UbDevice *device, UbDeviceMode mode)
{
	gpointer seen_disconnected;

	if (!g_hash_table_lookup_extended(self->pending_exits, device, NULL, &seen_disconnected))
		return;

	if (mode == UB_DEVICE_MODE_DISCONNECTED) {
		g_hash_table_insert(self->pending_exits, device, GINT_TO_POINTER(TRUE));
		return;
	}
	/* a report while it has not restarted yet says nothing new */
	if (mode == UB_DEVICE_MODE_RECOVERY && !GPOINTER_TO_INT(seen_disconnected))
		return;

	g_hash_table_remove(self->pending_exits, device);
	if (mode == UB_DEVICE_MODE_NORMAL)
		_ub_device_set_recovery_exit(device, UB_RECOVERY_EXIT_BOOTED);
	else if (mode == UB_DEVICE_MODE_RECOVERY)
		_ub_device_set_recovery_exit(device, UB_RECOVERY_EXIT_BACK_IN_RECOVERY);
	else
		_ub_device_set_recovery_exit(device, UB_RECOVERY_EXIT_NONE);
}

static void
device_seen_cb(UbDeviceProvider *provider, UbDeviceReport *report, UbDeviceMonitor *self)
{
	UbDevice *device;
	gboolean was_connected = FALSE;

	g_assert(report != NULL);

	device = find_device_for_report(self, report);
	if (device == NULL) {
		g_autoptr(UbDevice) new_device = _ub_device_new(report->ecid);

		_ub_device_apply_report(new_device, report, self->db);
		_ub_device_set_provider(new_device, provider);
		g_hash_table_insert(self->by_source, g_strdup(report->source_id), new_device);
		g_ptr_array_add(self->devices, g_object_ref(new_device));
		g_debug("new device %s in mode %d",
			ub_device_get_name(new_device),
			ub_device_get_mode(new_device));
		g_list_model_items_changed(G_LIST_MODEL(self), self->devices->len - 1, 0, 1);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_ITEMS]);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_CONNECTED]);
		return;
	}

	was_connected = ub_device_get_mode(device) != UB_DEVICE_MODE_DISCONNECTED;
	g_hash_table_remove(self->grace_timeouts, device);
	g_hash_table_replace(self->by_source, g_strdup(report->source_id), device);
	_ub_device_set_provider(device, provider);
	_ub_device_apply_report(device, report, self->db);
	track_recovery_exit(self, device, report->mode);
	if (!was_connected)
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_CONNECTED]);
}

static void
device_lost_cb(UbDeviceProvider *provider, const gchar *source_id, UbDeviceMonitor *self)
{
	UbDevice *device = g_hash_table_lookup(self->by_source, source_id);

	if (device == NULL)
		return;
	g_hash_table_remove(self->by_source, source_id);

	/* the new mode can arrive before the old one is gone (two providers,
	 * two threads): only the appearance the device is in now counts */
	if (g_strcmp0(ub_device_get_source_id(device), source_id) != 0)
		return;

	_ub_device_set_disconnected(device);
	track_recovery_exit(self, device, UB_DEVICE_MODE_DISCONNECTED);
	start_grace_period(self, device);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_N_CONNECTED]);
}

gboolean
ub_device_monitor_add_provider(UbDeviceMonitor *self, UbDeviceProvider *provider, GError **error)
{
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), FALSE);
	g_return_val_if_fail(UB_IS_DEVICE_PROVIDER(provider), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	g_signal_connect_object(provider, "device-seen", G_CALLBACK(device_seen_cb), self, 0);
	g_signal_connect_object(provider, "device-lost", G_CALLBACK(device_lost_cb), self, 0);
	if (!ub_device_provider_start(provider, error)) {
		g_signal_handlers_disconnect_by_data(provider, self);
		return FALSE;
	}
	g_ptr_array_add(self->providers, g_object_ref(provider));
	return TRUE;
}

void
ub_device_monitor_remove_provider(UbDeviceMonitor *self, UbDeviceProvider *provider)
{
	g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));
	g_return_if_fail(UB_IS_DEVICE_PROVIDER(provider));

	if (!g_ptr_array_find(self->providers, provider, NULL))
		return;
	ub_device_provider_stop(provider);
	g_signal_handlers_disconnect_by_data(provider, self);

	/* its devices go at once: nothing will report them again */
	for (guint i = 0; i < self->devices->len; i++) {
		UbDevice *device = g_ptr_array_index(self->devices, i);
		g_autoptr(UbDeviceProvider) owner = _ub_device_get_provider(device);
		if (owner == provider)
			g_ptr_array_add(gone, g_object_ref(device));
	}
	for (guint i = 0; i < gone->len; i++)
		remove_device(self, g_ptr_array_index(gone, i));
	g_ptr_array_remove(self->providers, provider);
}

GPtrArray *
ub_device_monitor_get_providers(UbDeviceMonitor *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), NULL);
	return self->providers;
}

void
ub_device_monitor_set_grace_period(UbDeviceMonitor *self, guint grace_ms)
{
	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));

	if (self->grace_ms == grace_ms)
		return;
	self->grace_ms = grace_ms;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_GRACE_PERIOD]);
}

guint
ub_device_monitor_get_grace_period(UbDeviceMonitor *self)
{
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), 0);
	return self->grace_ms;
}

/**
 * ub_device_monitor_hold_device:
 * @self: a #UbDeviceMonitor
 * @device: a device of @self
 *
 * Keeps @device listed while it is disconnected, however long that lasts,
 * until ub_device_monitor_release_device() was called as often as this: a
 * restore must keep its device (and the page showing it) while the device
 * is away longer than the grace period. Removing the device's provider still
 * removes it.
 */
void
ub_device_monitor_hold_device(UbDeviceMonitor *self, UbDevice *device)
{
	guint count;

	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));
	g_return_if_fail(UB_IS_DEVICE(device));
	g_return_if_fail(g_ptr_array_find(self->devices, device, NULL));

	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->holds, device));
	if (count == 0)
		g_object_ref(device);
	g_hash_table_insert(self->holds, device, GUINT_TO_POINTER(count + 1));
	g_hash_table_remove(self->grace_timeouts, device);
}

/**
 * ub_device_monitor_release_device:
 * @self: a #UbDeviceMonitor
 * @device: a device held with ub_device_monitor_hold_device()
 *
 * Drops one hold; after the last one a device that is still disconnected
 * gets a fresh grace period and is then removed as usual.
 */
void
ub_device_monitor_release_device(UbDeviceMonitor *self, UbDevice *device)
{
	guint count;

	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));
	g_return_if_fail(UB_IS_DEVICE(device));

	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->holds, device));
	g_return_if_fail(count > 0);

	if (count > 1) {
		g_hash_table_insert(self->holds, device, GUINT_TO_POINTER(count - 1));
		return;
	}
	g_hash_table_remove(self->holds, device);
	if (g_ptr_array_find(self->devices, device, NULL) &&
	    ub_device_get_mode(device) == UB_DEVICE_MODE_DISCONNECTED)
		start_grace_period(self, device);
	g_object_unref(device);
}

UbDevice *
ub_device_monitor_find_by_ecid(UbDeviceMonitor *self, guint64 ecid)
{
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), NULL);

	if (ecid == 0)
		return NULL;
	for (guint i = 0; i < self->devices->len; i++) {
		UbDevice *device = g_ptr_array_index(self->devices, i);
		if (ub_device_get_ecid(device) == ecid)
			return device;
	}
	return NULL;
}

static UbDeviceProvider *
provider_for_action(UbDeviceMonitor *self, UbDevice *device, UbDeviceMode needed, GError **error)
{
	g_autoptr(UbDeviceProvider) provider = _ub_device_get_provider(device);

	if (ub_device_get_mode(device) == UB_DEVICE_MODE_DISCONNECTED || provider == NULL) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_DEVICE_LOST, "the device is not connected");
		return NULL;
	}
	if (ub_device_get_mode(device) != needed) {
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_NOT_SUPPORTED,
				    "the device is not in the mode this needs");
		return NULL;
	}
	return g_steal_pointer(&provider);
}

/* the common start of a device command: a task that holds the device, and
 * the provider that can run it, or NULL when the task already failed */
static GTask *
begin_command(UbDeviceMonitor *self,
	      UbDevice *device,
	      UbDeviceMode needed,
	      gpointer source_tag,
	      GCancellable *cancellable,
	      GAsyncReadyCallback callback,
	      gpointer user_data,
	      UbDeviceProvider **provider)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	GError *error = NULL;

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, g_object_ref(device), g_object_unref);
	*provider = provider_for_action(self, device, needed, &error);
	if (*provider == NULL) {
		g_task_return_error(task, error);
		return NULL;
	}
	return g_steal_pointer(&task);
}

/* the three commands end the same way */
static gboolean
finish_command(UbDeviceMonitor *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(UB_IS_DEVICE_MONITOR(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
exit_recovery_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	UbDeviceMonitor *self = g_task_get_source_object(task);
	UbDevice *device = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!ub_device_provider_exit_recovery_finish(UB_DEVICE_PROVIDER(source), result, &error)) {
		if (g_task_get_source_tag(task) == ub_device_monitor_exit_recovery_async) {
			g_hash_table_remove(self->pending_exits, device);
			_ub_device_set_recovery_exit(device, UB_RECOVERY_EXIT_NONE);
		}
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* Exit Recovery Mode's command (auto-boot, reboot); @tag says whether where
 * the device lands is watched as the outcome of leaving Recovery Mode */
static void
send_exit_recovery(UbDeviceMonitor *self,
		   UbDevice *device,
		   gpointer tag,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data)
{
	g_autoptr(UbDeviceProvider) provider = NULL;
	GTask *task;

	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));
	g_return_if_fail(UB_IS_DEVICE(device));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = begin_command(self,
			     device,
			     UB_DEVICE_MODE_RECOVERY,
			     tag,
			     cancellable,
			     callback,
			     user_data,
			     &provider);
	if (task == NULL)
		return;
	if (tag == ub_device_monitor_exit_recovery_async) {
		/* set before the command: the device may drop off USB before it
		 * answers */
		g_hash_table_insert(self->pending_exits, device, GINT_TO_POINTER(FALSE));
		_ub_device_set_recovery_exit(device, UB_RECOVERY_EXIT_PENDING);
	}
	ub_device_provider_exit_recovery_async(
	    provider, ub_device_get_source_id(device), cancellable, exit_recovery_cb, task);
}

void
ub_device_monitor_exit_recovery_async(UbDeviceMonitor *self,
				      UbDevice *device,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	send_exit_recovery(
	    self, device, ub_device_monitor_exit_recovery_async, cancellable, callback, user_data);
}

gboolean
ub_device_monitor_exit_recovery_finish(UbDeviceMonitor *self, GAsyncResult *result, GError **error)
{
	return finish_command(self, result, error);
}

void
ub_device_monitor_reboot_async(UbDeviceMonitor *self,
			       UbDevice *device,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	/* no Exit Recovery outcome: where it lands is the held buttons' doing,
	 * and says nothing about iOS */
	send_exit_recovery(
	    self, device, ub_device_monitor_reboot_async, cancellable, callback, user_data);
}

gboolean
ub_device_monitor_reboot_finish(UbDeviceMonitor *self, GAsyncResult *result, GError **error)
{
	return finish_command(self, result, error);
}

static void
enter_recovery_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;

	if (!ub_device_provider_enter_recovery_finish(UB_DEVICE_PROVIDER(source), result, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

void
ub_device_monitor_enter_recovery_async(UbDeviceMonitor *self,
				       UbDevice *device,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	g_autoptr(UbDeviceProvider) provider = NULL;
	GTask *task;

	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));
	g_return_if_fail(UB_IS_DEVICE(device));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = begin_command(self,
			     device,
			     UB_DEVICE_MODE_NORMAL,
			     ub_device_monitor_enter_recovery_async,
			     cancellable,
			     callback,
			     user_data,
			     &provider);
	if (task == NULL)
		return;
	ub_device_provider_enter_recovery_async(
	    provider, ub_device_get_source_id(device), cancellable, enter_recovery_cb, task);
}

gboolean
ub_device_monitor_enter_recovery_finish(UbDeviceMonitor *self, GAsyncResult *result, GError **error)
{
	return finish_command(self, result, error);
}

void
ub_device_monitor_notify_buttons(UbDeviceMonitor *self, guint64 ecid, UbDeviceMode target)
{
	g_return_if_fail(UB_IS_DEVICE_MONITOR(self));

	for (guint i = 0; i < self->providers->len; i++)
		ub_device_provider_buttons_started(
		    g_ptr_array_index(self->providers, i), ecid, target);
}

static void
ub_device_monitor_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(object);

	switch (prop_id) {
	case PROP_N_ITEMS:
		g_value_set_uint(value, self->devices->len);
		break;
	case PROP_N_CONNECTED:
		g_value_set_uint(value, ub_device_monitor_get_n_connected(self));
		break;
	case PROP_GRACE_PERIOD:
		g_value_set_uint(value, self->grace_ms);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_device_monitor_set_property(GObject *object,
			       guint prop_id,
			       const GValue *value,
			       GParamSpec *pspec)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(object);

	switch (prop_id) {
	case PROP_GRACE_PERIOD:
		ub_device_monitor_set_grace_period(self, g_value_get_uint(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
unref_key_cb(gpointer key, gpointer value, gpointer user_data)
{
	g_object_unref(key);
}

static void
ub_device_monitor_dispose(GObject *object)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(object);

	while (self->providers->len > 0) {
		UbDeviceProvider *provider = g_ptr_array_index(self->providers, 0);
		ub_device_provider_stop(provider);
		g_signal_handlers_disconnect_by_data(provider, self);
		g_ptr_array_remove_index(self->providers, 0);
	}
	g_hash_table_remove_all(self->grace_timeouts);
	g_hash_table_remove_all(self->pending_exits);
	g_hash_table_foreach(self->holds, unref_key_cb, NULL);
	g_hash_table_remove_all(self->holds);
	g_hash_table_remove_all(self->by_source);
	g_ptr_array_set_size(self->devices, 0);
	g_clear_object(&self->db);

	G_OBJECT_CLASS(ub_device_monitor_parent_class)->dispose(object);
}

static void
ub_device_monitor_finalize(GObject *object)
{
	UbDeviceMonitor *self = UB_DEVICE_MONITOR(object);

	g_ptr_array_unref(self->providers);
	g_ptr_array_unref(self->devices);
	g_hash_table_unref(self->by_source);
	g_hash_table_unref(self->grace_timeouts);
	g_hash_table_unref(self->pending_exits);
	g_hash_table_unref(self->holds);

	G_OBJECT_CLASS(ub_device_monitor_parent_class)->finalize(object);
}

static void
ub_device_monitor_class_init(UbDeviceMonitorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = ub_device_monitor_get_property;
	object_class->set_property = ub_device_monitor_set_property;
	object_class->dispose = ub_device_monitor_dispose;
	object_class->finalize = ub_device_monitor_finalize;

	properties[PROP_N_ITEMS] =
	    g_param_spec_uint("n-items",
			      NULL,
			      NULL,
			      0,
			      G_MAXUINT,
			      0,
			      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_N_CONNECTED] =
	    g_param_spec_uint("n-connected",
			      NULL,
			      NULL,
			      0,
			      G_MAXUINT,
			      0,
			      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	properties[PROP_GRACE_PERIOD] =
	    g_param_spec_uint("grace-period",
			      NULL,
			      NULL,
			      0,
			      G_MAXUINT,
			      UB_DEVICE_MONITOR_DEFAULT_GRACE_MS,
			      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
remove_source_cb(gpointer data)
{
	g_source_remove(GPOINTER_TO_UINT(data));
}

static void
ub_device_monitor_init(UbDeviceMonitor *self)
{
	self->providers = g_ptr_array_new_with_free_func(g_object_unref);
	self->devices = g_ptr_array_new_with_free_func(g_object_unref);
	self->by_source = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->grace_timeouts = g_hash_table_new_full(NULL, NULL, NULL, remove_source_cb);
	self->pending_exits = g_hash_table_new(NULL, NULL);
	self->holds = g_hash_table_new(NULL, NULL);
	self->grace_ms = UB_DEVICE_MONITOR_DEFAULT_GRACE_MS;
}

UbDeviceMonitor *
ub_device_monitor_new(UbDeviceDb *db)
{
	UbDeviceMonitor *self;

	g_return_val_if_fail(db == NULL || UB_IS_DEVICE_DB(db), NULL);

	self = g_object_new(UB_TYPE_DEVICE_MONITOR, NULL);
	if (db != NULL)
		self->db = g_object_ref(db);
	return self;
}
