/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-idevice-provider"

#include "config.h"

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <usbmuxd.h>

#include "ub-error.h"
#include "ub-idevice-provider-private.h"
#include "ub-idevice-provider.h"
#include "ub-main-context.h"
#include "ub-plist-guard.h"
#include "ub-usb-port.h"

#define UB_IDEVICE_LABEL "unbrick"
#define UB_IDEVICE_SOURCE_PREFIX "usbmux:"
#define UB_IDEVICE_TYPE_RESTORED "com.apple.mobile.restored"
#define UB_IDEVICE_RETRY_DELAY_MS 500
#define UB_IDEVICE_RETRY_ATTEMPTS 5
#define UB_IDEVICE_NOT_TRUSTED_ERROR "the iPhone has not trusted this computer"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(idevice_t, idevice_free, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(lockdownd_client_t, lockdownd_client_free, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(plist_t, plist_free, NULL)

struct _UbIdeviceProvider {
	GObject parent_instance;
	gboolean running;
	guint run_id;
	GMainContext *context;
	GHashTable *probes; /* udid → UbIdeviceProbe, touched on @context only */
	guint retry_delay_ms;
	guint retry_attempts;
};

static void
ub_idevice_provider_iface_init(UbDeviceProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbIdeviceProvider,
			      ub_idevice_provider,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_DEVICE_PROVIDER,
						    ub_idevice_provider_iface_init))

/* libimobiledevice 1.3.0 keeps a single event callback for the whole process,
 * so only one provider may hold the subscription at a time */
static GMutex subscription_mutex;
static UbIdeviceProvider *subscription_owner = NULL;
static gboolean subscription_open = FALSE;
static guint subscription_run_id = 0;
static GMainContext *subscription_context = NULL;

static gint probes_in_flight = 0;

/* one look at one attached device, shared by the main context and a worker */
typedef struct {
	gatomicrefcount refcount;
	GWeakRef provider;
	GMainContext *context;
	GCancellable *cancellable;
	gchar *udid;
	guint retry_delay_ms;
	guint retry_attempts;
	gboolean announced; /* main context only */
} UbIdeviceProbe;

static UbIdeviceProbe *
ub_idevice_probe_ref(UbIdeviceProbe *probe)
{
	g_atomic_ref_count_inc(&probe->refcount);
	return probe;
}

static void
ub_idevice_probe_unref(UbIdeviceProbe *probe)
{
	if (!g_atomic_ref_count_dec(&probe->refcount))
		return;
	g_weak_ref_clear(&probe->provider);
	g_main_context_unref(probe->context);
	g_object_unref(probe->cancellable);
	g_free(probe->udid);
	g_free(probe);
}

/* the provider forgets a probe: whatever the worker finds later is dropped */
static void
ub_idevice_probe_cancel_unref(UbIdeviceProbe *probe)
{
	g_cancellable_cancel(probe->cancellable);
	ub_idevice_probe_unref(probe);
}

static UbIdeviceProbe *
ub_idevice_probe_new(UbIdeviceProvider *self, const gchar *udid)
{
	UbIdeviceProbe *probe = g_new0(UbIdeviceProbe, 1);

	g_atomic_ref_count_init(&probe->refcount);
	g_weak_ref_init(&probe->provider, self);
	probe->context = g_main_context_ref(self->context);
	probe->cancellable = g_cancellable_new();
	probe->udid = g_strdup(udid);
	probe->retry_delay_ms = self->retry_delay_ms;
	probe->retry_attempts = MAX(self->retry_attempts, 1);
	return probe;
}

static void
ub_idevice_provider_invoke(GMainContext *context,
			   GSourceFunc func,
			   gpointer data,
			   GDestroyNotify notify)
{
	ub_main_context_post(context, func, data, notify, "[ub-idevice-provider] event");
}

static gchar *
ub_idevice_provider_usb_serial_from_udid(const gchar *udid)
{
	GString *str = g_string_new(NULL);

	/* usbmuxd adds the dash to 24-character serials; the USB descriptor
	 * has none */
	for (const gchar *p = udid; *p != '\0'; p++) {
		if (*p != '-')
			g_string_append_c(str, *p);
	}
	return g_string_free(str, FALSE);
}

static UbDeviceReport *
ub_idevice_provider_report_new(const gchar *udid)
{
	UbDeviceReport *report;
	g_autofree gchar *source_id = g_strconcat(UB_IDEVICE_SOURCE_PREFIX, udid, NULL);

	report = ub_device_report_new(source_id, UB_DEVICE_MODE_NORMAL);
	report->udid = g_strdup(udid);
	report->usb_serial = ub_idevice_provider_usb_serial_from_udid(udid);
	report->port =
	    ub_usb_port_find_by_serial(ub_usb_port_default_sysfs_root(), report->usb_serial, NULL);
	return report;
}

static gchar *
ub_idevice_provider_plist_dup_string(plist_t node)
{
	char *value = NULL;

	if (node == NULL || plist_get_node_type(node) != PLIST_STRING)
		return NULL;
	plist_get_string_val(node, &value);
	return value;
}

static gboolean
ub_idevice_provider_plist_get_uint(plist_t node, guint64 *value)
{
	uint64_t tmp = 0;

	if (node == NULL || plist_get_node_type(node) != PLIST_UINT)
		return FALSE;
	plist_get_uint_val(node, &tmp);
	*value = tmp;
	return TRUE;
}

static gchar *
ub_idevice_provider_lockdown_dup_string(lockdownd_client_t client, const gchar *key)
{
	g_auto(plist_t) node = NULL;
	lockdownd_error_t lerr;

	lerr = lockdownd_get_value(client, NULL, key, &node);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		g_debug("lockdownd has no %s: %d", key, lerr);
		return NULL;
	}
	return ub_idevice_provider_plist_dup_string(node);
}

static gboolean
ub_idevice_provider_lockdown_get_uint(lockdownd_client_t client, const gchar *key, guint64 *value)
{
	g_auto(plist_t) node = NULL;
	lockdownd_error_t lerr;

	lerr = lockdownd_get_value(client, NULL, key, &node);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		g_debug("lockdownd has no %s: %d", key, lerr);
		return FALSE;
	}
	return ub_idevice_provider_plist_get_uint(node, value);
}

/* values an iPhone hands out before anyone tapped Trust */
/* what is printed on the box: "MLTT3" and the region "LL/A" */
static gchar *
ub_idevice_provider_dup_model_number(lockdownd_client_t client)
{
	g_autofree gchar *number = ub_idevice_provider_lockdown_dup_string(client, "ModelNumber");
	g_autofree gchar *region = NULL;

	if (number == NULL)
		return NULL;
	region = ub_idevice_provider_lockdown_dup_string(client, "RegionInfo");
	return g_strconcat(number, region, NULL);
}

static void
ub_idevice_provider_read_public_values(lockdownd_client_t client, UbDeviceReport *report)
{
	guint64 value = 0;
	g_autofree gchar *udid = NULL;

	report->product_type = ub_idevice_provider_lockdown_dup_string(client, "ProductType");
	report->hardware_model = ub_idevice_provider_lockdown_dup_string(client, "HardwareModel");
	report->ios_version = ub_idevice_provider_lockdown_dup_string(client, "ProductVersion");
	report->ios_build = ub_idevice_provider_lockdown_dup_string(client, "BuildVersion");
	if (ub_idevice_provider_lockdown_get_uint(client, "UniqueChipID", &value))
		report->ecid = value;
	if (ub_idevice_provider_lockdown_get_uint(client, "ChipID", &value))
		report->cpid = (guint)value;
	if (ub_idevice_provider_lockdown_get_uint(client, "BoardId", &value))
		report->bdid = (guint)value;
	/* some iOS versions give it without a session, others only inside one */
	report->model_number = ub_idevice_provider_dup_model_number(client);
	udid = ub_idevice_provider_lockdown_dup_string(client, "UniqueDeviceID");
	if (udid != NULL && g_strcmp0(udid, report->udid) != 0) {
		g_debug("lockdownd calls %s %s", report->udid, udid);
		g_free(report->udid);
		report->udid = g_steal_pointer(&udid);
	}
}

/* the HostID of the pair record usbmuxd keeps for @udid, if this computer
 * was ever trusted; reading it never shows a dialog on the device */
static gchar *
ub_idevice_provider_dup_host_id(const gchar *udid)
{
	char *data = NULL;
	uint32_t size = 0;
	g_auto(plist_t) record = NULL;
	g_autoptr(GError) error = NULL;
	int rc;

	rc = usbmuxd_read_pair_record(udid, &data, &size);
	if (rc != 0 || data == NULL || size == 0) {
		free(data);
		return NULL;
	}
	/* a pair record is a file on disk like any other: libplist 2.2 would
	 * recurse and expand without limit on hostile bytes */
	if (!ub_plist_guard_check((const guint8 *)data, size, &error)) {
		g_debug("the pair record of %s is refused: %s", udid, error->message);
		free(data);
		return NULL;
	}
	/* plist_from_memory() changed signature in libplist 2.3; these two did not */
	if (plist_is_binary(data, size))
		plist_from_bin(data, size, &record);
	else
		plist_from_xml(data, size, &record);
	free(data);
	if (record == NULL || plist_get_node_type(record) != PLIST_DICT)
		return NULL;
	return ub_idevice_provider_plist_dup_string(plist_dict_get_item(record, "HostID"));
}

/* the serial number needs a session, which needs a pair record the device
 * still accepts; without one the device stays reported without it */
static void
ub_idevice_provider_read_session_values(lockdownd_client_t client,
					const gchar *udid,
					UbDeviceReport *report)
{
	g_autofree gchar *host_id = ub_idevice_provider_dup_host_id(udid);
	lockdownd_error_t lerr;

	if (host_id == NULL) {
		g_debug("no pair record for %s, not asking for the serial number", udid);
		return;
	}
	lerr = lockdownd_start_session(client, host_id, NULL, NULL);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		g_debug("%s refused a session: %d", udid, lerr);
		return;
	}
	report->serial = ub_idevice_provider_lockdown_dup_string(client, "SerialNumber");
	if (report->model_number == NULL)
		report->model_number = ub_idevice_provider_dup_model_number(client);
	/* lockdownd_client_free() stops the session */
}

/* the restore ramdisk answers on the lockdown port with restored's protocol */
static void
ub_idevice_provider_read_restored_values(lockdownd_client_t client, UbDeviceReport *report)
{
	g_auto(plist_t) request = plist_new_dict();
	g_auto(plist_t) reply = NULL;
	plist_t info;
	guint64 value = 0;
	lockdownd_error_t lerr;

	plist_dict_set_item(request, "Label", plist_new_string(UB_IDEVICE_LABEL));
	plist_dict_set_item(request, "Request", plist_new_string("QueryValue"));
	plist_dict_set_item(request, "QueryKey", plist_new_string("HardwareInfo"));
	lerr = lockdownd_send(client, request);
	if (lerr == LOCKDOWN_E_SUCCESS)
		lerr = lockdownd_receive(client, &reply);
	if (lerr != LOCKDOWN_E_SUCCESS || reply == NULL) {
		g_debug("restored did not give its hardware info: %d", lerr);
		return;
	}
	info = plist_dict_get_item(reply, "HardwareInfo");
	if (info == NULL || plist_get_node_type(info) != PLIST_DICT)
		return;
	if (ub_idevice_provider_plist_get_uint(plist_dict_get_item(info, "UniqueChipID"), &value))
		report->ecid = value;
	if (ub_idevice_provider_plist_get_uint(plist_dict_get_item(info, "ChipID"), &value))
		report->cpid = (guint)value;
	if (ub_idevice_provider_plist_get_uint(plist_dict_get_item(info, "BoardID"), &value))
		report->bdid = (guint)value;
}

/* runs on a worker thread */
static UbDeviceReport *
ub_idevice_provider_probe_read(UbIdeviceProbe *probe, GError **error)
{
	g_auto(idevice_t) device = NULL;
	g_auto(lockdownd_client_t) client = NULL;
	g_autofree gchar *type = NULL;
	g_autoptr(UbDeviceReport) report = NULL;
	idevice_error_t ierr;
	lockdownd_error_t lerr;

	ierr = idevice_new_with_options(&device, probe->udid, IDEVICE_LOOKUP_USBMUX);
	if (ierr != IDEVICE_E_SUCCESS) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    "usbmuxd does not list the device: %d",
			    ierr);
		return NULL;
	}
	/* no handshake: this works before the user taps Trust */
	lerr = lockdownd_client_new(device, &client, UB_IDEVICE_LABEL);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_FAILED, "failed to connect to lockdownd: %d", lerr);
		return NULL;
	}
	lerr = lockdownd_query_type(client, &type);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "failed to query the lockdown type: %d",
			    lerr);
		return NULL;
	}

	report = ub_idevice_provider_report_new(probe->udid);
	if (g_strcmp0(type, UB_IDEVICE_TYPE_RESTORED) == 0) {
		report->mode = UB_DEVICE_MODE_RESTORE;
		ub_idevice_provider_read_restored_values(client, report);
	} else {
		ub_idevice_provider_read_public_values(client, report);
		/* lockdownd can answer before it has values to give */
		if (report->product_type == NULL && report->ecid == 0) {
			g_set_error_literal(
			    error, UB_ERROR, UB_ERROR_INVALID_DATA, "lockdownd gave no values yet");
			return NULL;
		}
		ub_idevice_provider_read_session_values(client, probe->udid, report);
	}
	return g_steal_pointer(&report);
}

typedef struct {
	UbIdeviceProbe *probe;
	UbDeviceReport *report;
} UbIdeviceUpdate;

static void
ub_idevice_update_free(UbIdeviceUpdate *update)
{
	ub_idevice_probe_unref(update->probe);
	ub_device_report_free(update->report);
	g_free(update);
}

static gboolean
ub_idevice_provider_update_cb(gpointer user_data)
{
	UbIdeviceUpdate *update = user_data;
	g_autoptr(UbIdeviceProvider) self = g_weak_ref_get(&update->probe->provider);

	/* a report for a device that was unplugged, or from before stop() */
	if (self == NULL || !self->running)
		return G_SOURCE_REMOVE;
	if (g_hash_table_lookup(self->probes, update->probe->udid) != update->probe)
		return G_SOURCE_REMOVE;
	update->probe->announced = TRUE;
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(self), update->report);
	return G_SOURCE_REMOVE;
}

/* runs on a worker thread */
static void
ub_idevice_provider_probe_post(UbIdeviceProbe *probe, UbDeviceReport *report)
{
	UbIdeviceUpdate *update = g_new0(UbIdeviceUpdate, 1);

	update->probe = ub_idevice_probe_ref(probe);
	update->report = ub_device_report_copy(report);
	ub_idevice_provider_invoke(probe->context,
				   ub_idevice_provider_update_cb,
				   update,
				   (GDestroyNotify)ub_idevice_update_free);
}

/* returns FALSE when cancelled */
static gboolean
ub_idevice_provider_probe_wait(GCancellable *cancellable, guint delay_ms)
{
	GPollFD pollfd = {0};

	if (!g_cancellable_make_pollfd(cancellable, &pollfd)) {
		g_usleep((gulong)delay_ms * 1000);
		return !g_cancellable_is_cancelled(cancellable);
	}
	g_poll(&pollfd, 1, (gint)delay_ms);
	g_cancellable_release_fd(cancellable);
	return !g_cancellable_is_cancelled(cancellable);
}

static void
ub_idevice_provider_probe_thread_cb(GTask *task,
				    gpointer source_object G_GNUC_UNUSED,
				    gpointer task_data,
				    GCancellable *cancellable)
{
	UbIdeviceProbe *probe = task_data;
	guint delay_ms = probe->retry_delay_ms;
	gboolean announced = FALSE;

	for (guint attempt = 1;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(UbDeviceReport) report = NULL;

		if (g_cancellable_is_cancelled(cancellable))
			break;
		report = ub_idevice_provider_probe_read(probe, &error_local);
		if (report != NULL) {
			ub_idevice_provider_probe_post(probe, report);
			break;
		}
		g_debug("failed to read %s, attempt %u of %u: %s",
			probe->udid,
			attempt,
			probe->retry_attempts,
			error_local->message);

		/* a device needs a moment after it attaches before lockdownd
		 * answers; meanwhile it is shown with what usbmuxd told */
		if (!announced) {
			g_autoptr(UbDeviceReport) bare =
			    ub_idevice_provider_report_new(probe->udid);
			ub_idevice_provider_probe_post(probe, bare);
			announced = TRUE;
		}
		if (attempt >= probe->retry_attempts)
			break;
		if (!ub_idevice_provider_probe_wait(cancellable, delay_ms))
			break;
		delay_ms *= 2;
	}
	g_atomic_int_dec_and_test(&probes_in_flight);
	g_task_return_boolean(task, TRUE);
}

static void
ub_idevice_provider_probe_start(UbIdeviceProvider *self, const gchar *udid)
{
	UbIdeviceProbe *probe = ub_idevice_probe_new(self, udid);
	g_autoptr(GTask) task = NULL;

	/* a second ADD without REMOVE replaces (and cancels) the old probe */
	g_hash_table_replace(self->probes, g_strdup(udid), probe);

	task = g_task_new(NULL, probe->cancellable, NULL, NULL);
	g_task_set_source_tag(task, ub_idevice_provider_probe_start);
	g_task_set_task_data(
	    task, ub_idevice_probe_ref(probe), (GDestroyNotify)ub_idevice_probe_unref);
	g_atomic_int_inc(&probes_in_flight);
	g_task_run_in_thread(task, ub_idevice_provider_probe_thread_cb);
}

typedef struct {
	UbIdeviceProvider *provider;
	guint run_id;
	gboolean added;
	gchar *udid;
} UbIdeviceEvent;

static void
ub_idevice_event_free(UbIdeviceEvent *event)
{
	g_object_unref(event->provider);
	g_free(event->udid);
	g_free(event);
}

static gboolean
ub_idevice_provider_event_cb(gpointer user_data)
{
	UbIdeviceEvent *event = user_data;
	UbIdeviceProvider *self = event->provider;
	UbIdeviceProbe *probe;
	g_autofree gchar *source_id = NULL;

	/* queued before stop() returned */
	if (!self->running || event->run_id != self->run_id)
		return G_SOURCE_REMOVE;

	if (event->added) {
		ub_idevice_provider_probe_start(self, event->udid);
		return G_SOURCE_REMOVE;
	}

	probe = g_hash_table_lookup(self->probes, event->udid);
	if (probe == NULL)
		return G_SOURCE_REMOVE;
	/* nobody was told about a device that left before its first report */
	if (probe->announced)
		source_id = g_strconcat(UB_IDEVICE_SOURCE_PREFIX, event->udid, NULL);
	g_hash_table_remove(self->probes, event->udid);
	if (source_id != NULL)
		ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(self), source_id);
	return G_SOURCE_REMOVE;
}

/* runs on libusbmuxd's event thread: hand over and return quickly */
static void
ub_idevice_provider_library_event_cb(const idevice_event_t *library_event, void *user_data)
{
	UbIdeviceEvent *event;
	GMainContext *context;

	if (library_event->event != IDEVICE_DEVICE_ADD &&
	    library_event->event != IDEVICE_DEVICE_REMOVE)
		return;
	if (library_event->udid == NULL)
		return;
	/* the same device may also be reachable over Wi-Fi, which cannot help
	 * a rescue */
	if (library_event->conn_type != CONNECTION_USBMUXD) {
		g_debug("ignoring %s over the network", library_event->udid);
		return;
	}

	g_mutex_lock(&subscription_mutex);
	if (!subscription_open || subscription_owner != user_data) {
		g_mutex_unlock(&subscription_mutex);
		return;
	}
	event = g_new0(UbIdeviceEvent, 1);
	event->provider = g_object_ref(subscription_owner);
	event->run_id = subscription_run_id;
	event->added = library_event->event == IDEVICE_DEVICE_ADD;
	event->udid = g_strdup(library_event->udid);
	context = g_main_context_ref(subscription_context);
	g_mutex_unlock(&subscription_mutex);

	ub_idevice_provider_invoke(
	    context, ub_idevice_provider_event_cb, event, (GDestroyNotify)ub_idevice_event_free);
	g_main_context_unref(context);
}

static gboolean
ub_idevice_provider_start(UbDeviceProvider *provider, GError **error)
{
	UbIdeviceProvider *self = UB_IDEVICE_PROVIDER(provider);
	idevice_error_t ierr;

	if (self->running)
		return TRUE;

	g_mutex_lock(&subscription_mutex);
	if (subscription_owner != NULL) {
		g_mutex_unlock(&subscription_mutex);
		g_set_error_literal(error,
				    UB_ERROR,
				    UB_ERROR_FAILED,
				    "another provider is already watching usbmuxd");
		return FALSE;
	}
	self->run_id++;
	self->context = g_main_context_ref_thread_default();
	self->running = TRUE;
	subscription_owner = self;
	subscription_open = TRUE;
	subscription_run_id = self->run_id;
	subscription_context = g_main_context_ref(self->context);
	g_mutex_unlock(&subscription_mutex);

	/* not under the mutex: the callback may run right away on this thread
	 * when libusbmuxd already watches for another client */
	ierr = idevice_event_subscribe(ub_idevice_provider_library_event_cb, self);
	if (ierr != IDEVICE_E_SUCCESS) {
		g_mutex_lock(&subscription_mutex);
		subscription_owner = NULL;
		subscription_open = FALSE;
		g_clear_pointer(&subscription_context, g_main_context_unref);
		g_mutex_unlock(&subscription_mutex);
		self->running = FALSE;
		g_clear_pointer(&self->context, g_main_context_unref);
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_FAILED,
			    "failed to watch usbmuxd for devices: %d",
			    ierr);
		return FALSE;
	}
	return TRUE;
}

static void
ub_idevice_provider_stop(UbDeviceProvider *provider)
{
	UbIdeviceProvider *self = UB_IDEVICE_PROVIDER(provider);
	idevice_error_t ierr;

	if (!self->running)
		return;

	/* close the gate first, then unsubscribe without holding the mutex:
	 * libusbmuxd joins its thread, which may be waiting for it in the
	 * callback */
	g_mutex_lock(&subscription_mutex);
	subscription_open = FALSE;
	g_mutex_unlock(&subscription_mutex);

	ierr = idevice_event_unsubscribe();
	if (ierr != IDEVICE_E_SUCCESS)
		g_debug("failed to unsubscribe from usbmuxd: %d", ierr);

	g_mutex_lock(&subscription_mutex);
	subscription_owner = NULL;
	g_clear_pointer(&subscription_context, g_main_context_unref);
	g_mutex_unlock(&subscription_mutex);

	/* queued events and late probe results check these and are dropped */
	self->running = FALSE;
	g_hash_table_remove_all(self->probes);
	g_clear_pointer(&self->context, g_main_context_unref);
}

static void
ub_idevice_provider_set_lockdown_error(GError **error, lockdownd_error_t lerr)
{
	switch (lerr) {
	case LOCKDOWN_E_PASSWORD_PROTECTED:
	case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
	case LOCKDOWN_E_USER_DENIED_PAIRING:
	case LOCKDOWN_E_INVALID_HOST_ID:
	case LOCKDOWN_E_MISSING_HOST_ID:
	case LOCKDOWN_E_INVALID_PAIR_RECORD:
	case LOCKDOWN_E_MISSING_PAIR_RECORD:
	case LOCKDOWN_E_PAIRING_FAILED:
	case LOCKDOWN_E_PAIRING_PROHIBITED_OVER_THIS_CONNECTION:
	case LOCKDOWN_E_INVALID_CONF:
		g_debug("lockdownd refused the handshake: %d", lerr);
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_NOT_TRUSTED, UB_IDEVICE_NOT_TRUSTED_ERROR);
		break;
	case LOCKDOWN_E_MUX_ERROR:
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_DEVICE_LOST,
			    "the device went away (lockdown error %d)",
			    lerr);
		break;
	case LOCKDOWN_E_RECEIVE_TIMEOUT:
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_TIMED_OUT,
			    "the device did not answer (lockdown error %d)",
			    lerr);
		break;
	default:
		g_set_error(error, UB_ERROR, UB_ERROR_FAILED, "lockdown error %d", lerr);
		break;
	}
}

/* runs on a worker thread; touches only its task data, the udid */
typedef struct {
	lockdownd_client_t client;
	idevice_t device;
} UbIdeviceRelease;

static gpointer
ub_idevice_provider_release_thread_cb(gpointer user_data)
{
	UbIdeviceRelease *release = user_data;

	lockdownd_client_free(release->client);
	idevice_free(release->device);
	g_free(release);
	return NULL;
}

/* lockdownd_client_free() ends the session with a StopSession and waits
 * for the answer. A device that was told to enter Recovery reboots and may
 * never answer; libimobiledevice 1.3.0 gives up at once when the
 * connection closes, later builds (Debian 13's) wait 30 s for it. A GTask
 * calls back only when its thread returns, so that wait would be the
 * user's: the client is freed on a thread nobody waits for */
static void
ub_idevice_provider_release_later(lockdownd_client_t client, idevice_t device)
{
	UbIdeviceRelease *release = g_new0(UbIdeviceRelease, 1);

	release->client = client;
	release->device = device;
	g_thread_unref(
	    g_thread_new("ub-idevice-release", ub_idevice_provider_release_thread_cb, release));
}

static void
ub_idevice_provider_enter_recovery_thread_cb(GTask *task,
					     gpointer source_object G_GNUC_UNUSED,
					     gpointer task_data,
					     GCancellable *cancellable G_GNUC_UNUSED)
{
	const gchar *udid = task_data;
	g_auto(idevice_t) device = NULL;
	g_auto(lockdownd_client_t) client = NULL;
	g_autoptr(GError) error_local = NULL;
	idevice_error_t ierr;
	lockdownd_error_t lerr;

	if (g_task_return_error_if_cancelled(task))
		return;
	ierr = idevice_new_with_options(&device, udid, IDEVICE_LOOKUP_USBMUX);
	if (ierr != IDEVICE_E_SUCCESS) {
		g_task_return_new_error(
		    task,
		    UB_ERROR,
		    UB_ERROR_DEVICE_LOST,
		    "failed to enter recovery: the device is no longer connected");
		return;
	}
	/* with a fresh computer this asks the user to tap Trust, and fails
	 * until they have */
	lerr = lockdownd_client_new_with_handshake(device, &client, UB_IDEVICE_LABEL);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		ub_idevice_provider_set_lockdown_error(&error_local, lerr);
		g_prefix_error(&error_local, "failed to enter recovery: ");
		g_task_return_error(task, g_steal_pointer(&error_local));
		return;
	}
	if (g_task_return_error_if_cancelled(task))
		return;
	lerr = lockdownd_enter_recovery(client);
	if (lerr != LOCKDOWN_E_SUCCESS) {
		ub_idevice_provider_set_lockdown_error(&error_local, lerr);
		g_prefix_error(&error_local, "failed to enter recovery: ");
		g_task_return_error(task, g_steal_pointer(&error_local));
		return;
	}
	/* the device is rebooting: the goodbye goes on a thread of its own,
	 * and the user hears of the success at once */
	ub_idevice_provider_release_later(g_steal_pointer(&client), g_steal_pointer(&device));
	g_task_return_boolean(task, TRUE);
}

static void
ub_idevice_provider_enter_recovery_async(UbDeviceProvider *provider,
					 const gchar *source_id,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(provider, cancellable, callback, user_data);

	g_task_set_source_tag(task, ub_idevice_provider_enter_recovery_async);
	if (!g_str_has_prefix(source_id, UB_IDEVICE_SOURCE_PREFIX) ||
	    source_id[strlen(UB_IDEVICE_SOURCE_PREFIX)] == '\0') {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_FOUND,
					"failed to enter recovery: %s is not a usbmuxd device",
					source_id);
		return;
	}
	g_task_set_task_data(task, g_strdup(source_id + strlen(UB_IDEVICE_SOURCE_PREFIX)), g_free);
	g_task_run_in_thread(task, ub_idevice_provider_enter_recovery_thread_cb);
}

static gboolean
ub_idevice_provider_enter_recovery_finish(UbDeviceProvider *provider,
					  GAsyncResult *result,
					  GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, provider), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

void
_ub_idevice_provider_set_retry(UbIdeviceProvider *self, guint first_delay_ms, guint attempts)
{
	g_return_if_fail(UB_IS_IDEVICE_PROVIDER(self));
	g_return_if_fail(attempts > 0);

	self->retry_delay_ms = first_delay_ms;
	self->retry_attempts = attempts;
}

guint
_ub_idevice_provider_get_n_probes(void)
{
	return (guint)g_atomic_int_get(&probes_in_flight);
}

static void
ub_idevice_provider_iface_init(UbDeviceProviderInterface *iface)
{
	iface->start = ub_idevice_provider_start;
	iface->stop = ub_idevice_provider_stop;
	iface->enter_recovery_async = ub_idevice_provider_enter_recovery_async;
	iface->enter_recovery_finish = ub_idevice_provider_enter_recovery_finish;
	/* leaving Recovery Mode is the recovery-mode provider's job */
}

static void
ub_idevice_provider_dispose(GObject *object)
{
	UbIdeviceProvider *self = UB_IDEVICE_PROVIDER(object);

	ub_idevice_provider_stop(UB_DEVICE_PROVIDER(self));
	g_hash_table_remove_all(self->probes);

	G_OBJECT_CLASS(ub_idevice_provider_parent_class)->dispose(object);
}

static void
ub_idevice_provider_finalize(GObject *object)
{
	UbIdeviceProvider *self = UB_IDEVICE_PROVIDER(object);

	g_hash_table_unref(self->probes);
	g_clear_pointer(&self->context, g_main_context_unref);

	G_OBJECT_CLASS(ub_idevice_provider_parent_class)->finalize(object);
}

static void
ub_idevice_provider_class_init(UbIdeviceProviderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_idevice_provider_dispose;
	object_class->finalize = ub_idevice_provider_finalize;
}

static void
ub_idevice_provider_init(UbIdeviceProvider *self)
{
	self->probes = g_hash_table_new_full(
	    g_str_hash, g_str_equal, g_free, (GDestroyNotify)ub_idevice_probe_cancel_unref);
	self->retry_delay_ms = UB_IDEVICE_RETRY_DELAY_MS;
	self->retry_attempts = UB_IDEVICE_RETRY_ATTEMPTS;
}

UbIdeviceProvider *
ub_idevice_provider_new(void)
{
	return g_object_new(UB_TYPE_IDEVICE_PROVIDER, NULL);
}
