/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-irecv-poller"

#include "config.h"

#include <string.h>

#include "ub-irecv-poller.h"
#include "ub-irecv-provider-private.h"
#include "ub-usb-port-private.h"

struct _UbIrecvPoller {
	gchar *sysfs_root;
	gint64 interval_us;
	UbIrecvPollerFunc func;
	gpointer user_data;
	GThread *thread;

	/* guards stopping only; the thread owns everything else */
	GMutex mutex;
	GCond cond;
	gboolean stopping;

	/* what the last look found: ECID (guint64 *) → Seen */
	GHashTable *present;
};

typedef struct {
	guint pid;
	gchar *serial;
} Seen;

static void
seen_free(Seen *seen)
{
	g_free(seen->serial);
	g_free(seen);
}

/* the text after "@key:" up to the next blank, or the bracketed text of
 * "@key:[...]" (SRNM and IMEI carry their value so) */
static gchar *
ub_irecv_poller_serial_field(const gchar *serial, const gchar *key)
{
	g_autofree gchar *needle = g_strconcat(key, ":", NULL);
	const gchar *at = serial;
	const gchar *start;
	const gchar *end;

	/* a key starts the string or follows a blank: "ECID" is not "xECID" */
	for (;;) {
		at = strstr(at, needle);
		if (at == NULL)
			return NULL;
		if (at == serial || at[-1] == ' ')
			break;
		at++;
	}
	start = at + strlen(needle);
	if (*start == '[') {
		start++;
		end = strchr(start, ']');
		if (end == NULL)
			return NULL;
	} else {
		end = start + strcspn(start, " ");
	}
	return g_strndup(start, end - start);
}

static guint
ub_irecv_poller_serial_hex(const gchar *serial, const gchar *key)
{
	g_autofree gchar *text = ub_irecv_poller_serial_field(serial, key);
	guint64 value = 0;

	if (text == NULL || !g_ascii_string_to_unsigned(text, 16, 0, G_MAXUINT, &value, NULL))
		return 0;
	return (guint)value;
}

gboolean
_ub_irecv_poller_info_from_serial(const gchar *serial, struct irecv_device_info *info)
{
	guint64 ecid = 0;

	g_return_val_if_fail(info != NULL, FALSE);

	memset(info, 0, sizeof(*info));
	if (serial == NULL || !_ub_irecv_provider_parse_serial_ecid(serial, &ecid) || ecid == 0)
		return FALSE;
	info->ecid = ecid;
	info->cpid = ub_irecv_poller_serial_hex(serial, "CPID");
	info->cprv = ub_irecv_poller_serial_hex(serial, "CPRV");
	info->cpfm = ub_irecv_poller_serial_hex(serial, "CPFM");
	info->scep = ub_irecv_poller_serial_hex(serial, "SCEP");
	info->bdid = ub_irecv_poller_serial_hex(serial, "BDID");
	info->ibfl = ub_irecv_poller_serial_hex(serial, "IBFL");
	info->srnm = ub_irecv_poller_serial_field(serial, "SRNM");
	info->imei = ub_irecv_poller_serial_field(serial, "IMEI");
	info->serial_string = g_strdup(serial);
	return TRUE;
}

void
_ub_irecv_poller_clear_info(struct irecv_device_info *info)
{
	g_clear_pointer(&info->srnm, g_free);
	g_clear_pointer(&info->imei, g_free);
	g_clear_pointer(&info->serial_string, g_free);
}

static void
ub_irecv_poller_emit(UbIrecvPoller *self,
		     irecv_device_event_type type,
		     guint pid,
		     const gchar *serial)
{
	struct irecv_device_info info;
	irecv_device_event_t event = {0};

	if (!_ub_irecv_poller_info_from_serial(serial, &info))
		return;
	event.type = type;
	event.mode = (enum irecv_mode)pid;
	event.device_info = &info;
	self->func(&event, self->user_data);
	_ub_irecv_poller_clear_info(&info);
}

/* one look at sysfs: what came, went or changed mode since the last */
static void
ub_irecv_poller_look(UbIrecvPoller *self)
{
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GHashTable) now = NULL;
	g_autoptr(GError) error = NULL;
	GHashTableIter iter;
	gpointer key, value;

	ports = ub_usb_port_list_apple(self->sysfs_root, &error);
	if (ports == NULL) {
		/* sysfs went away (or never was): say nothing rather than lose
		 * every device; the next look tries again */
		g_debug("cannot list USB devices: %s", error->message);
		return;
	}
	now = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)seen_free);
	for (guint i = 0; i < ports->len; i++) {
		UbUsbPort *port = g_ptr_array_index(ports, i);
		guint pid = ub_usb_port_get_product_id(port);
		const gchar *serial = ub_usb_port_get_serial(port);
		guint64 ecid = 0;
		Seen *seen;

		if (_ub_irecv_provider_mode_from_pid(pid) == UB_DEVICE_MODE_DISCONNECTED)
			continue;
		if (serial == NULL || !_ub_irecv_provider_parse_serial_ecid(serial, &ecid))
			continue;
		seen = g_new0(Seen, 1);
		seen->pid = pid;
		seen->serial = g_strdup(serial);
		g_hash_table_replace(now, g_memdup2(&ecid, sizeof(ecid)), seen);
	}

	/* gone, or back in another mode: the old appearance ends first */
	g_hash_table_iter_init(&iter, self->present);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		Seen *before = value;
		Seen *after = g_hash_table_lookup(now, key);
		if (after == NULL || after->pid != before->pid)
			ub_irecv_poller_emit(
			    self, IRECV_DEVICE_REMOVE, before->pid, before->serial);
	}
	g_hash_table_iter_init(&iter, now);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		Seen *after = value;
		Seen *before = g_hash_table_lookup(self->present, key);
		if (before == NULL || after->pid != before->pid)
			ub_irecv_poller_emit(self, IRECV_DEVICE_ADD, after->pid, after->serial);
	}
	g_hash_table_unref(self->present);
	self->present = g_steal_pointer(&now);
}

static gpointer
ub_irecv_poller_thread_cb(gpointer user_data)
{
	UbIrecvPoller *self = user_data;

	for (;;) {
		gint64 until;

		ub_irecv_poller_look(self);
		until = g_get_monotonic_time() + self->interval_us;
		g_mutex_lock(&self->mutex);
		while (!self->stopping)
			if (!g_cond_wait_until(&self->cond, &self->mutex, until))
				break;
		if (self->stopping) {
			g_mutex_unlock(&self->mutex);
			return NULL;
		}
		g_mutex_unlock(&self->mutex);
	}
}

UbIrecvPoller *
ub_irecv_poller_new(const gchar *sysfs_root,
		    guint interval_ms,
		    UbIrecvPollerFunc func,
		    gpointer user_data)
{
	UbIrecvPoller *self;

	g_return_val_if_fail(sysfs_root != NULL, NULL);
	g_return_val_if_fail(interval_ms > 0, NULL);
	g_return_val_if_fail(func != NULL, NULL);

	self = g_new0(UbIrecvPoller, 1);
	self->sysfs_root = g_strdup(sysfs_root);
	self->interval_us = (gint64)interval_ms * 1000;
	self->func = func;
	self->user_data = user_data;
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->present =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)seen_free);
	self->thread = g_thread_new("ub-irecv-poller", ub_irecv_poller_thread_cb, self);
	return self;
}

void
ub_irecv_poller_free(UbIrecvPoller *poller)
{
	if (poller == NULL)
		return;
	g_mutex_lock(&poller->mutex);
	poller->stopping = TRUE;
	g_cond_signal(&poller->cond);
	g_mutex_unlock(&poller->mutex);
	g_thread_join(poller->thread);

	g_hash_table_unref(poller->present);
	g_mutex_clear(&poller->mutex);
	g_cond_clear(&poller->cond);
	g_free(poller->sysfs_root);
	g_free(poller);
}
