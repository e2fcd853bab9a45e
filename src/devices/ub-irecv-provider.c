/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-irecv-provider"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ub-irecv-poller.h"
#include "ub-irecv-provider-private.h"
#include "ub-sandbox.h"
#include "ub-usb-port-private.h"

#define UB_IRECV_OPEN_ATTEMPTS 5
/* how often sysfs is looked at where no hotplug event arrives: a device
 * that changes mode is seen within a second, and a look costs a few dozen
 * small sysfs reads */
#define UB_IRECV_POLL_INTERVAL_MS 1000

/* irecv_close() returns a code nobody can act on; g_autoptr drops it */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(irecv_client_private, irecv_close)

struct _UbIrecvProvider {
	GObject parent_instance;

	/* libirecovery calls back on its own threads; the mutex guards every
	 * field below */
	GMutex mutex;
	gboolean running;
	guint generation;
	gboolean use_library;
	guint open_attempts;
	irecv_device_event_context_t event_context;
	UbIrecvPolling polling;
	guint poll_interval_ms;
	UbIrecvPoller *poller;
	GMainContext *context;
	GHashTable *reported; /* ECID (guint64 *) → source id of what we reported */
};

static void
ub_irecv_provider_provider_iface_init(UbDeviceProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbIrecvProvider,
			      ub_irecv_provider,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_DEVICE_PROVIDER,
						    ub_irecv_provider_provider_iface_init))

UbDeviceMode
_ub_irecv_provider_mode_from_pid(guint pid)
{
	if (pid == IRECV_K_DFU_MODE)
		return UB_DEVICE_MODE_DFU;
	if (pid >= IRECV_K_RECOVERY_MODE_1 && pid <= IRECV_K_RECOVERY_MODE_4)
		return UB_DEVICE_MODE_RECOVERY;
	/* WTF mode (0x1222) is the S5L8900's pre-DFU stage: nothing to restore
	 * from there with this app */
	return UB_DEVICE_MODE_DISCONNECTED;
}

gchar *
_ub_irecv_provider_format_source_id(guint64 ecid, guint pid)
{
	return g_strdup_printf("irecv:%016" G_GINT64_MODIFIER "X:%04x", ecid, pid);
}

gboolean
_ub_irecv_provider_parse_source_id(const gchar *source_id, guint64 *ecid, guint *pid)
{
	g_auto(GStrv) parts = NULL;
	guint64 ecid_tmp = 0;
	guint64 pid_tmp = 0;

	if (source_id == NULL)
		return FALSE;
	parts = g_strsplit(source_id, ":", -1);
	if (g_strv_length(parts) != 3 || g_strcmp0(parts[0], "irecv") != 0)
		return FALSE;
	if (strlen(parts[1]) != 16 ||
	    !g_ascii_string_to_unsigned(parts[1], 16, 0, G_MAXUINT64, &ecid_tmp, NULL))
		return FALSE;
	if (!g_ascii_string_to_unsigned(parts[2], 16, 1, G_MAXUINT16, &pid_tmp, NULL))
		return FALSE;
	if (ecid != NULL)
		*ecid = ecid_tmp;
	if (pid != NULL)
		*pid = (guint)pid_tmp;
	return TRUE;
}

gboolean
_ub_irecv_provider_parse_serial_ecid(const gchar *serial_string, guint64 *ecid)
{
	return _ub_usb_port_parse_ecid(serial_string, ecid);
}

gboolean
_ub_irecv_provider_lookup_model(guint cpid,
				guint bdid,
				const gchar **product_type,
				const gchar **hardware_model)
{
	/* the same table irecv_devices_get_device_by_client() searches by CPID
	 * and BDID; reading it directly spares opening the device, which
	 * would claim its USB interface from under a running restore */
	if (cpid == 0)
		return FALSE;
	for (irecv_device_t device = irecv_devices_get_all();
	     device != NULL && device->hardware_model != NULL;
	     device++) {
		if (device->chip_id != cpid || device->board_id != bdid)
			continue;
		if (product_type != NULL)
			*product_type = device->product_type;
		if (hardware_model != NULL)
			*hardware_model = device->hardware_model;
		return TRUE;
	}
	return FALSE;
}

static gboolean
ub_irecv_provider_is_placeholder(const gchar *value)
{
	return value == NULL || value[0] == '\0' || g_strcmp0(value, "N/A") == 0;
}

UbDeviceReport *
_ub_irecv_provider_build_report(const struct irecv_device_info *info,
				guint pid,
				const gchar *sysfs_root)
{
	UbDeviceMode mode = _ub_irecv_provider_mode_from_pid(pid);
	g_autofree gchar *source_id = NULL;
	g_autoptr(UbDeviceReport) report = NULL;
	const gchar *product_type = NULL;
	const gchar *hardware_model = NULL;
	guint64 ecid;

	g_return_val_if_fail(info != NULL, NULL);

	if (mode == UB_DEVICE_MODE_DISCONNECTED)
		return NULL;
	ecid = info->ecid;
	if (ecid == 0)
		_ub_irecv_provider_parse_serial_ecid(info->serial_string, &ecid);

	source_id = _ub_irecv_provider_format_source_id(ecid, pid);
	report = ub_device_report_new(source_id, mode);
	report->ecid = ecid;
	report->cpid = info->cpid;
	report->bdid = info->bdid;
	if (!ub_irecv_provider_is_placeholder(info->srnm))
		report->serial = g_strdup(info->srnm);
	if (!ub_irecv_provider_is_placeholder(info->serial_string))
		report->usb_serial = g_strdup(info->serial_string);

	/* Debian's libirecovery stops at 2020 models; the monitor names the
	 * rest from our own table by CPID and BDID */
	if (_ub_irecv_provider_lookup_model(
		info->cpid, info->bdid, &product_type, &hardware_model)) {
		report->product_type = g_strdup(product_type);
		report->hardware_model = g_strdup(hardware_model);
	}
	if (sysfs_root != NULL && ecid != 0) {
		g_autoptr(GError) error_local = NULL;
		report->port = ub_usb_port_find_by_ecid(sysfs_root, ecid, &error_local);
		if (report->port == NULL)
			g_debug("no USB port for %s: %s", source_id, error_local->message);
	}
	return g_steal_pointer(&report);
}

UbError
_ub_irecv_provider_error_code(irecv_error_t error)
{
	switch (error) {
	case IRECV_E_NO_DEVICE:
	case IRECV_E_UNABLE_TO_CONNECT:
		return UB_ERROR_DEVICE_LOST;
	case IRECV_E_TIMEOUT:
		return UB_ERROR_TIMED_OUT;
	case IRECV_E_UNSUPPORTED:
		return UB_ERROR_NOT_SUPPORTED;
	default:
		return UB_ERROR_FAILED;
	}
}

typedef struct {
	UbIrecvProvider *self;
	guint generation;
	UbDeviceReport *report;
	gchar *lost_source_id;
} UbIrecvDelivery;

static void
ub_irecv_delivery_free(UbIrecvDelivery *delivery)
{
	g_object_unref(delivery->self);
	ub_device_report_free(delivery->report);
	g_free(delivery->lost_source_id);
	g_free(delivery);
}

static gboolean
ub_irecv_provider_deliver_cb(gpointer user_data)
{
	UbIrecvDelivery *delivery = user_data;
	UbIrecvProvider *self = delivery->self;
	gboolean current;

	/* stop() may have run since the event was queued: drop it then */
	g_mutex_lock(&self->mutex);
	current = self->running && self->generation == delivery->generation;
	g_mutex_unlock(&self->mutex);
	if (!current)
		return G_SOURCE_REMOVE;

	if (delivery->report != NULL)
		ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(self), delivery->report);
	else
		ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(self), delivery->lost_source_id);
	return G_SOURCE_REMOVE;
}

/* always through an idle source, never g_main_context_invoke(): that would
 * run the handler on libirecovery's thread whenever it can grab an idle
 * main context */
static void
ub_irecv_provider_deliver(UbIrecvProvider *self,
			  GMainContext *context,
			  guint generation,
			  UbDeviceReport *report,
			  const gchar *lost_source_id)
{
	g_autoptr(GSource) source = g_idle_source_new();
	UbIrecvDelivery *delivery = g_new0(UbIrecvDelivery, 1);

	delivery->self = g_object_ref(self);
	delivery->generation = generation;
	delivery->report = report != NULL ? ub_device_report_copy(report) : NULL;
	delivery->lost_source_id = g_strdup(lost_source_id);
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(
	    source, ub_irecv_provider_deliver_cb, delivery, (GDestroyNotify)ub_irecv_delivery_free);
	g_source_set_static_name(source, "[ub-irecv-provider] deliver");
	g_source_attach(source, context);
}

static void
ub_irecv_provider_device_added(UbIrecvProvider *self, const irecv_device_event_t *event)
{
	g_autoptr(UbDeviceReport) report = NULL;
	g_autoptr(GMainContext) context = NULL;
	g_autofree gchar *replaced = NULL;
	const gchar *previous;
	guint generation;

	report = _ub_irecv_provider_build_report(
	    event->device_info, event->mode, ub_usb_port_default_sysfs_root());
	if (report == NULL) {
		g_debug("ignoring a device in mode 0x%04x", (guint)event->mode);
		return;
	}
	g_debug("%s added", report->source_id);

	g_mutex_lock(&self->mutex);
	if (!self->running) {
		g_mutex_unlock(&self->mutex);
		return;
	}
	generation = self->generation;
	context = g_main_context_ref(self->context);
	/* one device is on USB once: a new mode replaces the old appearance
	 * even when its remove event was lost */
	previous = g_hash_table_lookup(self->reported, &report->ecid);
	if (previous != NULL && g_strcmp0(previous, report->source_id) != 0)
		replaced = g_strdup(previous);
	g_hash_table_insert(self->reported,
			    g_memdup2(&report->ecid, sizeof(report->ecid)),
			    g_strdup(report->source_id));
	g_mutex_unlock(&self->mutex);

	if (replaced != NULL)
		ub_irecv_provider_deliver(self, context, generation, NULL, replaced);
	ub_irecv_provider_deliver(self, context, generation, report, NULL);
}

static void
ub_irecv_provider_device_removed(UbIrecvProvider *self, const irecv_device_event_t *event)
{
	g_autoptr(GMainContext) context = NULL;
	g_autofree gchar *source_id = NULL;
	guint64 ecid = event->device_info->ecid;
	guint generation;
	const gchar *reported;

	g_mutex_lock(&self->mutex);
	if (!self->running) {
		g_mutex_unlock(&self->mutex);
		return;
	}
	/* libirecovery 1.0.0 leaves the mode of a remove event at 0, so what
	 * we reported for this ECID names the appearance that went away */
	reported = g_hash_table_lookup(self->reported, &ecid);
	if (reported != NULL) {
		g_autofree gchar *from_event = NULL;
		if (_ub_irecv_provider_mode_from_pid(event->mode) != UB_DEVICE_MODE_DISCONNECTED)
			from_event = _ub_irecv_provider_format_source_id(ecid, event->mode);
		/* a late remove of the appearance a new mode already replaced */
		if (from_event == NULL || g_strcmp0(from_event, reported) == 0) {
			source_id = g_strdup(reported);
			g_hash_table_remove(self->reported, &ecid);
		}
	}
	generation = self->generation;
	context = g_main_context_ref(self->context);
	g_mutex_unlock(&self->mutex);

	if (source_id == NULL) {
		g_debug("ignoring removal of ECID 0x%016" G_GINT64_MODIFIER "X", ecid);
		return;
	}
	g_debug("%s removed", source_id);
	ub_irecv_provider_deliver(self, context, generation, NULL, source_id);
}

void
_ub_irecv_provider_handle_event(UbIrecvProvider *self, const irecv_device_event_t *event)
{
	g_return_if_fail(UB_IS_IRECV_PROVIDER(self));
	g_return_if_fail(event != NULL);

	if (event->device_info == NULL)
		return;
	if (event->type == IRECV_DEVICE_ADD)
		ub_irecv_provider_device_added(self, event);
	else if (event->type == IRECV_DEVICE_REMOVE)
		ub_irecv_provider_device_removed(self, event);
}

/* on libirecovery's thread, with its listener lock held */
static void
ub_irecv_provider_event_cb(const irecv_device_event_t *event, void *user_data)
{
	_ub_irecv_provider_handle_event(UB_IRECV_PROVIDER(user_data), event);
}

/* on the poller's thread: an add libirecovery already reported is no news */
static void
ub_irecv_provider_poll_cb(const irecv_device_event_t *event, gpointer user_data)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(user_data);
	gboolean known = FALSE;

	if (event->type == IRECV_DEVICE_ADD) {
		g_autofree gchar *source_id =
		    _ub_irecv_provider_format_source_id(event->device_info->ecid, event->mode);
		g_mutex_lock(&self->mutex);
		known = g_strcmp0(g_hash_table_lookup(self->reported, &event->device_info->ecid),
				  source_id) == 0;
		g_mutex_unlock(&self->mutex);
	}
	if (!known)
		_ub_irecv_provider_handle_event(self, event);
}

/* where no hotplug event can arrive, libusb's list (and so libirecovery's
 * view) never changes after the first look: a Flatpak, or a container
 * without udev */
static gboolean
ub_irecv_provider_wants_polling(UbIrecvProvider *self, gboolean use_library)
{
	switch (self->polling) {
	case UB_IRECV_POLLING_ALWAYS:
		return TRUE;
	case UB_IRECV_POLLING_NEVER:
		return FALSE;
	case UB_IRECV_POLLING_AUTO:
	default:
		return use_library && (ub_sandbox_is_flatpak(NULL) || !ub_sandbox_has_udev(NULL));
	}
}

void
_ub_irecv_provider_set_polling(UbIrecvProvider *self, UbIrecvPolling polling, guint interval_ms)
{
	g_return_if_fail(UB_IS_IRECV_PROVIDER(self));
	g_return_if_fail(interval_ms > 0);

	g_mutex_lock(&self->mutex);
	self->polling = polling;
	self->poll_interval_ms = interval_ms;
	g_mutex_unlock(&self->mutex);
}

gboolean
_ub_irecv_provider_get_polling(UbIrecvProvider *self)
{
	gboolean polling;

	g_return_val_if_fail(UB_IS_IRECV_PROVIDER(self), FALSE);

	g_mutex_lock(&self->mutex);
	polling = self->poller != NULL;
	g_mutex_unlock(&self->mutex);
	return polling;
}

void
_ub_irecv_provider_set_use_library(UbIrecvProvider *self, gboolean use_library)
{
	g_return_if_fail(UB_IS_IRECV_PROVIDER(self));

	g_mutex_lock(&self->mutex);
	self->use_library = use_library;
	g_mutex_unlock(&self->mutex);
}

void
_ub_irecv_provider_set_open_attempts(UbIrecvProvider *self, guint attempts)
{
	g_return_if_fail(UB_IS_IRECV_PROVIDER(self));
	g_return_if_fail(attempts > 0);

	g_mutex_lock(&self->mutex);
	self->open_attempts = attempts;
	g_mutex_unlock(&self->mutex);
}

static gboolean
ub_irecv_provider_start(UbDeviceProvider *provider, GError **error)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(provider);
	irecv_device_event_context_t event_context = NULL;
	UbIrecvPoller *poller = NULL;
	gboolean use_library;
	gboolean polling;
	guint interval_ms;
	irecv_error_t rc;

	g_mutex_lock(&self->mutex);
	if (self->running) {
		g_mutex_unlock(&self->mutex);
		return TRUE;
	}
	use_library = self->use_library;
	polling = ub_irecv_provider_wants_polling(self, use_library);
	interval_ms = self->poll_interval_ms;
	g_mutex_unlock(&self->mutex);

	/* libusb in a container without USB can fail in ways libirecovery
	 * 1.0.0 neither reports nor survives; find out first */
	if (use_library) {
		g_autofree gchar *usb_dir =
		    g_build_filename(ub_usb_port_default_sysfs_root(), "bus", "usb", NULL);
		if (!g_file_test(usb_dir, G_FILE_TEST_IS_DIR)) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_NOT_SUPPORTED,
				    "cannot watch for Recovery and DFU devices: "
				    "USB is not visible here (no %s)",
				    usb_dir);
			return FALSE;
		}
	}

	g_mutex_lock(&self->mutex);
	self->running = TRUE;
	self->generation++;
	g_clear_pointer(&self->context, g_main_context_unref);
	self->context = g_main_context_ref_thread_default();
	g_mutex_unlock(&self->mutex);

	if (polling) {
		g_debug("no hotplug events here: looking at %s every %u ms",
			ub_usb_port_default_sysfs_root(),
			interval_ms);
		poller = ub_irecv_poller_new(
		    ub_usb_port_default_sysfs_root(), interval_ms, ub_irecv_provider_poll_cb, self);
		g_mutex_lock(&self->mutex);
		self->poller = poller;
		g_mutex_unlock(&self->mutex);
	}
	if (!use_library)
		return TRUE;

	/* devices already plugged in arrive as add events, possibly before
	 * this returns */
	rc = irecv_device_event_subscribe(&event_context, ub_irecv_provider_event_cb, self);
	if (rc != IRECV_E_SUCCESS) {
		g_mutex_lock(&self->mutex);
		self->running = FALSE;
		self->generation++;
		poller = g_steal_pointer(&self->poller);
		g_hash_table_remove_all(self->reported);
		g_mutex_unlock(&self->mutex);
		ub_irecv_poller_free(poller);
		g_set_error(error,
			    UB_ERROR,
			    rc == IRECV_E_UNSUPPORTED ? UB_ERROR_NOT_SUPPORTED : UB_ERROR_FAILED,
			    "cannot watch for Recovery and DFU devices: %s",
			    irecv_strerror(rc));
		return FALSE;
	}
	g_mutex_lock(&self->mutex);
	self->event_context = event_context;
	g_mutex_unlock(&self->mutex);
	return TRUE;
}

static void
ub_irecv_provider_stop(UbDeviceProvider *provider)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(provider);
	irecv_device_event_context_t event_context;
	UbIrecvPoller *poller;

	g_mutex_lock(&self->mutex);
	event_context = g_steal_pointer(&self->event_context);
	poller = g_steal_pointer(&self->poller);
	self->running = FALSE;
	self->generation++;
	g_hash_table_remove_all(self->reported);
	g_mutex_unlock(&self->mutex);

	/* outside our lock: this waits for libirecovery's listener lock, which
	 * a running callback holds while it waits for ours; the poller's
	 * thread, joined here, may be waiting for ours too */
	ub_irecv_poller_free(poller);
	if (event_context != NULL)
		irecv_device_event_unsubscribe(event_context);
}

typedef struct {
	guint64 ecid;
	guint attempts;
} UbIrecvExitData;

/* whether sysfs shows a device with this ECID in its USB serial, the same
 * string libirecovery matches on; TRUE when sysfs cannot tell */
static gboolean
ub_irecv_provider_device_present(guint64 ecid, UbUsbPort **port_out)
{
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error_local = NULL;

	ports = ub_usb_port_list_apple(ub_usb_port_default_sysfs_root(), &error_local);
	if (ports == NULL) {
		g_debug("%s", error_local->message);
		return TRUE;
	}
	for (guint i = 0; i < ports->len; i++) {
		UbUsbPort *port = g_ptr_array_index(ports, i);
		guint64 port_ecid = 0;

		if (_ub_usb_port_parse_ecid(ub_usb_port_get_serial(port), &port_ecid) &&
		    port_ecid == ecid) {
			if (port_out != NULL)
				*port_out = g_object_ref(port);
			return TRUE;
		}
	}
	return FALSE;
}

static GError *
ub_irecv_provider_open_error(guint64 ecid, irecv_error_t rc)
{
	g_autoptr(UbUsbPort) port = NULL;
	g_autofree gchar *node = NULL;

	/* libirecovery says "unable to connect" for a device that is gone and
	 * for one it may not open; sysfs and the node tell them apart */
	if (!ub_irecv_provider_device_present(ecid, &port))
		return g_error_new(
		    UB_ERROR, UB_ERROR_DEVICE_LOST, "the device is no longer connected");
	if (port != NULL)
		node = ub_usb_port_dup_dev_node(port, NULL);
	if (node != NULL && access(node, R_OK | W_OK) != 0) {
		gint saved_errno = errno;
		if (saved_errno == EACCES || saved_errno == EPERM) {
			return g_error_new(
			    UB_ERROR, UB_ERROR_PERMISSION_DENIED, "no permission to open %s", node);
		}
		if (saved_errno == ENOENT) {
			return g_error_new(UB_ERROR,
					   UB_ERROR_DEVICE_LOST,
					   "%s is gone: %s",
					   node,
					   irecv_strerror(rc));
		}
	}
	return g_error_new(
	    UB_ERROR, UB_ERROR_FAILED, "cannot open the device: %s", irecv_strerror(rc));
}

static GError *
ub_irecv_provider_command_error(const gchar *command, irecv_error_t rc)
{
	return g_error_new(
	    UB_ERROR, _ub_irecv_provider_error_code(rc), "%s: %s", command, irecv_strerror(rc));
}

static void
ub_irecv_provider_exit_recovery_thread_cb(GTask *task,
					  gpointer source_object,
					  gpointer task_data,
					  GCancellable *cancellable)
{
	UbIrecvExitData *data = task_data;
	g_autoptr(irecv_client_private) client = NULL;
	g_autoptr(GError) error = NULL;
	irecv_error_t rc = IRECV_E_UNABLE_TO_CONNECT;

	/* the device may still be enumerating after a mode change */
	for (guint i = 0; i < data->attempts; i++) {
		if (i > 0)
			g_usleep(G_USEC_PER_SEC);
		if (g_task_return_error_if_cancelled(task))
			return;
		/* not on the bus (yet): no need to make libusb look */
		if (!ub_irecv_provider_device_present(data->ecid, NULL)) {
			rc = IRECV_E_NO_DEVICE;
			continue;
		}
		rc = irecv_open_with_ecid(&client, data->ecid);
		if (rc == IRECV_E_SUCCESS)
			break;
		g_clear_pointer(&client, irecv_close);
	}
	if (rc != IRECV_E_SUCCESS) {
		error = ub_irecv_provider_open_error(data->ecid, rc);
		g_prefix_error(&error, "failed to leave recovery mode: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	rc = irecv_setenv(client, "auto-boot", "true");
	if (rc != IRECV_E_SUCCESS) {
		error = ub_irecv_provider_command_error("setenv auto-boot true", rc);
		g_prefix_error(&error, "failed to leave recovery mode: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	rc = irecv_saveenv(client);
	if (rc != IRECV_E_SUCCESS) {
		error = ub_irecv_provider_command_error("saveenv", rc);
		g_prefix_error(&error, "failed to leave recovery mode: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}

	/* the device often resets before it acknowledges; irecovery -n
	 * ignores this result too, and the monitor sees what really happens */
	rc = irecv_reboot(client);
	if (rc != IRECV_E_SUCCESS)
		g_debug("reboot: %s", irecv_strerror(rc));
	g_task_return_boolean(task, TRUE);
}

static void
ub_irecv_provider_exit_recovery_async(UbDeviceProvider *provider,
				      const gchar *source_id,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(provider);
	g_autoptr(GTask) task = NULL;
	UbIrecvExitData *data;
	guint64 ecid = 0;
	guint pid = 0;

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, ub_irecv_provider_exit_recovery_async);

	if (!_ub_irecv_provider_parse_source_id(source_id, &ecid, &pid) ||
	    _ub_irecv_provider_mode_from_pid(pid) == UB_DEVICE_MODE_DISCONNECTED) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_FOUND,
					"failed to leave recovery mode: "
					"%s is not a Recovery or DFU device",
					source_id);
		return;
	}
	if (_ub_irecv_provider_mode_from_pid(pid) == UB_DEVICE_MODE_DFU) {
		g_task_return_new_error(
		    task,
		    UB_ERROR,
		    UB_ERROR_NOT_SUPPORTED,
		    "failed to leave recovery mode: "
		    "a device in DFU mode cannot boot on its own; force-restart it");
		return;
	}

	data = g_new0(UbIrecvExitData, 1);
	data->ecid = ecid;
	g_mutex_lock(&self->mutex);
	data->attempts = self->open_attempts;
	g_mutex_unlock(&self->mutex);
	g_task_set_task_data(task, data, g_free);
	g_task_run_in_thread(task, ub_irecv_provider_exit_recovery_thread_cb);
}

static gboolean
ub_irecv_provider_exit_recovery_finish(UbDeviceProvider *provider,
				       GAsyncResult *result,
				       GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, provider), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
ub_irecv_provider_provider_iface_init(UbDeviceProviderInterface *iface)
{
	iface->start = ub_irecv_provider_start;
	iface->stop = ub_irecv_provider_stop;
	iface->exit_recovery_async = ub_irecv_provider_exit_recovery_async;
	iface->exit_recovery_finish = ub_irecv_provider_exit_recovery_finish;
}

static void
ub_irecv_provider_dispose(GObject *object)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(object);

	ub_irecv_provider_stop(UB_DEVICE_PROVIDER(self));

	G_OBJECT_CLASS(ub_irecv_provider_parent_class)->dispose(object);
}

static void
ub_irecv_provider_finalize(GObject *object)
{
	UbIrecvProvider *self = UB_IRECV_PROVIDER(object);

	g_clear_pointer(&self->context, g_main_context_unref);
	g_hash_table_unref(self->reported);
	g_mutex_clear(&self->mutex);

	G_OBJECT_CLASS(ub_irecv_provider_parent_class)->finalize(object);
}

static void
ub_irecv_provider_class_init(UbIrecvProviderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_irecv_provider_dispose;
	object_class->finalize = ub_irecv_provider_finalize;
}

static void
ub_irecv_provider_init(UbIrecvProvider *self)
{
	g_mutex_init(&self->mutex);
	self->use_library = TRUE;
	self->open_attempts = UB_IRECV_OPEN_ATTEMPTS;
	self->polling = UB_IRECV_POLLING_AUTO;
	self->poll_interval_ms = UB_IRECV_POLL_INTERVAL_MS;
	self->reported = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
}

UbIrecvProvider *
ub_irecv_provider_new(void)
{
	return g_object_new(UB_TYPE_IRECV_PROVIDER, NULL);
}
