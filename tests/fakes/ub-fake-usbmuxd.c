/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-fake-usbmuxd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <plist/plist.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ub-fake-usbmuxd.h"

/* usbmuxd protocol: a little-endian header, then an XML plist */
#define FAKE_MUX_VERSION_PLIST 1
#define FAKE_MUX_MESSAGE_PLIST 8
#define FAKE_MUX_RESULT_OK 0
#define FAKE_MUX_RESULT_BADCOMMAND 1
#define FAKE_MUX_RESULT_BADDEV 2
#define FAKE_MUX_RESULT_CONNREFUSED 3
#define FAKE_MUX_MAX_PACKET (1024 * 1024)

#define FAKE_LOCKDOWN_PORT 62078
#define FAKE_LOCKDOWN_REFUSALS 2
#define FAKE_RESTORE_PROTOCOL 14
#define FAKE_SYSTEM_BUID "0F2B6C1E-7A43-4D5B-9E08-3C1D2A4B5E6F"

/* the public key of a real device, from `ideviceinfo -s` of an iPod1,1
 * (shared fixture tool-output/ideviceinfo-s-ipod1,1-ios1.1.txt); lockdownd
 * hands it out before pairing and libimobiledevice builds the pair record
 * around it */
static const gchar fake_device_public_key[] =
    "-----BEGIN RSA PUBLIC KEY-----\n"
    "MIGJAoGBAKiDwlj/Dhj/qQgAd0GQlsiHy3RwJLbh1DwPR3KLnEEuxpbUC8yZaBdl\n"
    "ZieKkjYK76kQ2rtJbOiYgiWbjObKAhBFTbIlcUY/2ojuAkPb4N89FFL0kMBi8XfH\n"
    "Dn+zvI3fIpsPQB3jDQLmzA2D9CwSAtXuq/M8Jn1439Z+fsg/a3BjAgMBAAE=\n"
    "-----END RSA PUBLIC KEY-----\n";

/* values lockdownd only gives inside a session: absent from what an
 * untrusted iPhone answers to GetValue */
static const gchar *fake_session_keys[] = {
    "SerialNumber",
    "ModelNumber",
    "RegionInfo",
    "InternationalMobileEquipmentIdentity",
    "MobileEquipmentIdentifier",
    "IntegratedCircuitCardIdentity",
    "PhoneNumber",
    NULL,
};

typedef struct {
	gchar *udid;
	guint device_id;
	guint16 product_id;
	guint location_id;
	GHashTable *values;
	UbFakeIdeviceFlags flags;
	guint refusals_left;
	gchar *host_id;
} FakeDevice;

typedef struct {
	UbFakeUsbmuxd *fake;
	int fd;
	GThread *thread;
	gboolean listening; /* under the fake's mutex */
	gboolean finished;  /* under the fake's mutex */
	guint device_id;    /* under the fake's mutex: tunnelled to this device */
} FakeClient;

struct _UbFakeUsbmuxd {
	gchar *tmpdir;
	gchar *socket_path;
	gchar *address;
	int listen_fd;
	int wake_fds[2];
	GThread *accept_thread;
	GMutex mutex;
	gboolean closing;
	GPtrArray *clients; /* FakeClient */
	GPtrArray *devices; /* FakeDevice */
	GHashTable *request_counts;
	guint next_device_id;
};

static void
fake_device_free(FakeDevice *device)
{
	g_free(device->udid);
	g_hash_table_unref(device->values);
	g_free(device->host_id);
	g_free(device);
}

static FakeDevice *
fake_find_device_by_udid(UbFakeUsbmuxd *self, const gchar *udid)
{
	for (guint i = 0; i < self->devices->len; i++) {
		FakeDevice *device = g_ptr_array_index(self->devices, i);
		if (g_strcmp0(device->udid, udid) == 0)
			return device;
	}
	return NULL;
}

static FakeDevice *
fake_find_device_by_id(UbFakeUsbmuxd *self, guint device_id)
{
	for (guint i = 0; i < self->devices->len; i++) {
		FakeDevice *device = g_ptr_array_index(self->devices, i);
		if (device->device_id == device_id)
			return device;
	}
	return NULL;
}

static gboolean
fake_read_exact(int fd, gpointer buf, gsize len)
{
	guint8 *p = buf;
	gsize done = 0;

	while (done < len) {
		gssize rc = recv(fd, p + done, len - done, 0);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return FALSE;
		done += (gsize)rc;
	}
	return TRUE;
}

static gboolean
fake_write_all(int fd, gconstpointer buf, gsize len)
{
	const guint8 *p = buf;
	gsize done = 0;

	while (done < len) {
		gssize rc = send(fd, p + done, len - done, MSG_NOSIGNAL);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return FALSE;
		done += (gsize)rc;
	}
	return TRUE;
}

static gchar *
fake_plist_dup_string(plist_t node)
{
	char *value = NULL;
	g_autofree gchar *copy = NULL;

	if (node == NULL || plist_get_node_type(node) != PLIST_STRING)
		return NULL;
	plist_get_string_val(node, &value);
	copy = g_strdup(value);
	free(value);
	return g_steal_pointer(&copy);
}

static guint64
fake_plist_get_uint(plist_t node)
{
	uint64_t value = 0;

	if (node != NULL && plist_get_node_type(node) == PLIST_UINT)
		plist_get_uint_val(node, &value);
	return value;
}

static plist_t
fake_plist_from_variant(GVariant *value)
{
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
		return plist_new_string(g_variant_get_string(value, NULL));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64))
		return plist_new_uint(g_variant_get_uint64(value));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		return plist_new_uint(g_variant_get_uint32(value));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
		return plist_new_bool(g_variant_get_boolean(value));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING)) {
		gsize len = 0;
		gconstpointer data = g_variant_get_fixed_array(value, &len, 1);
		return plist_new_data(data, len);
	}
	g_critical("no plist for GVariant type %s", g_variant_get_type_string(value));
	return plist_new_string("");
}

/* plist_from_memory() changed signature in libplist 2.3; these two did not */
static void
fake_plist_from_memory(const gchar *data, uint32_t length, plist_t *plist)
{
	if (plist_is_binary(data, length))
		plist_from_bin(data, length, plist);
	else
		plist_from_xml(data, length, plist);
}

/* header and payload in one write, so a reader never sees half a packet */
static gboolean
fake_send_mux_plist(FakeClient *client, guint32 tag, plist_t plist)
{
	char *xml = NULL;
	uint32_t xml_len = 0;
	guint32 header[4];
	g_autofree guint8 *buf = NULL;
	gboolean ok;

	plist_to_xml(plist, &xml, &xml_len);
	header[0] = GUINT32_TO_LE((guint32)sizeof(header) + xml_len);
	header[1] = GUINT32_TO_LE(FAKE_MUX_VERSION_PLIST);
	header[2] = GUINT32_TO_LE(FAKE_MUX_MESSAGE_PLIST);
	header[3] = GUINT32_TO_LE(tag);
	buf = g_malloc(sizeof(header) + xml_len);
	memcpy(buf, header, sizeof(header));
	memcpy(buf + sizeof(header), xml, xml_len);
	/* libplist 2.6 (Debian 13) has no plist_to_xml_free() any more, 2.2
	 * (Debian 12) no plist_mem_free() yet; both only free() */
	free(xml);
	ok = fake_write_all(client->fd, buf, sizeof(header) + xml_len);
	return ok;
}

static gboolean
fake_send_mux_result(FakeClient *client, guint32 tag, guint number)
{
	plist_t reply = plist_new_dict();
	gboolean ok;

	plist_dict_set_item(reply, "MessageType", plist_new_string("Result"));
	plist_dict_set_item(reply, "Number", plist_new_uint(number));
	ok = fake_send_mux_plist(client, tag, reply);
	plist_free(reply);
	return ok;
}

static plist_t
fake_device_properties(FakeDevice *device)
{
	plist_t props = plist_new_dict();

	plist_dict_set_item(props, "DeviceID", plist_new_uint(device->device_id));
	plist_dict_set_item(props, "SerialNumber", plist_new_string(device->udid));
	if ((device->flags & UB_FAKE_IDEVICE_FLAG_NETWORK) != 0) {
		/* a struct sockaddr_in for 192.168.0.2, as usbmuxd sends it */
		static const guint8 addr[] = {
		    0x10, 0x02, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0};
		g_autofree gchar *name =
		    g_strdup_printf("%s@fe80::1._apple-mobdev2._tcp.local.", device->udid);
		plist_dict_set_item(props, "ConnectionType", plist_new_string("Network"));
		plist_dict_set_item(
		    props, "NetworkAddress", plist_new_data((const char *)addr, sizeof(addr)));
		plist_dict_set_item(props, "EscapedFullServiceName", plist_new_string(name));
	} else {
		plist_dict_set_item(props, "ConnectionType", plist_new_string("USB"));
		plist_dict_set_item(props, "ConnectionSpeed", plist_new_uint(480000000));
		plist_dict_set_item(props, "LocationID", plist_new_uint(device->location_id));
		plist_dict_set_item(props, "ProductID", plist_new_uint(device->product_id));
	}
	return props;
}

static plist_t
fake_attached_message(FakeDevice *device)
{
	plist_t msg = plist_new_dict();

	plist_dict_set_item(msg, "MessageType", plist_new_string("Attached"));
	plist_dict_set_item(msg, "DeviceID", plist_new_uint(device->device_id));
	plist_dict_set_item(msg, "Properties", fake_device_properties(device));
	return msg;
}

/* with the mutex held */
static void
fake_broadcast(UbFakeUsbmuxd *self, plist_t msg)
{
	for (guint i = 0; i < self->clients->len; i++) {
		FakeClient *client = g_ptr_array_index(self->clients, i);
		if (!client->listening || client->finished)
			continue;
		if (!fake_send_mux_plist(client, 0, msg))
			g_debug("listener on fd %d went away", client->fd);
	}
}

/* with the mutex held */
static void
fake_count_request(UbFakeUsbmuxd *self, const gchar *udid, const gchar *request)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s", udid, request);
	guint count = GPOINTER_TO_UINT(g_hash_table_lookup(self->request_counts, key));

	g_hash_table_insert(
	    self->request_counts, g_steal_pointer(&key), GUINT_TO_POINTER(count + 1));
}

/* with the mutex held */
static void
fake_detach_device(UbFakeUsbmuxd *self, FakeDevice *device)
{
	plist_t msg = plist_new_dict();

	plist_dict_set_item(msg, "MessageType", plist_new_string("Detached"));
	plist_dict_set_item(msg, "DeviceID", plist_new_uint(device->device_id));
	fake_broadcast(self, msg);
	plist_free(msg);

	/* usbmuxd drops every connection to a device that is gone */
	for (guint i = 0; i < self->clients->len; i++) {
		FakeClient *client = g_ptr_array_index(self->clients, i);
		if (client->device_id == device->device_id && !client->finished)
			shutdown(client->fd, SHUT_RDWR);
	}
	g_ptr_array_remove(self->devices, device);
}

static gboolean
fake_is_session_key(const gchar *key)
{
	return g_strv_contains(fake_session_keys, key);
}

/* builds the lockdownd (or restored) answer; with the mutex held */
static plist_t
fake_lockdown_reply(UbFakeUsbmuxd *self,
		    FakeDevice *device,
		    plist_t request_plist,
		    gboolean *session,
		    gboolean *close_after,
		    gboolean *detach_after)
{
	g_autofree gchar *request =
	    fake_plist_dup_string(plist_dict_get_item(request_plist, "Request"));
	plist_t reply = plist_new_dict();

	if (request == NULL) {
		plist_dict_set_item(reply, "Error", plist_new_string("MissingRequest"));
		return reply;
	}
	fake_count_request(self, device->udid, request);
	plist_dict_set_item(reply, "Request", plist_new_string(request));

	if (g_strcmp0(request, "Goodbye") == 0) {
		plist_dict_set_item(reply, "Result", plist_new_string("Success"));
		*close_after = TRUE;
		return reply;
	}

	if ((device->flags & UB_FAKE_IDEVICE_FLAG_RESTORE_MODE) != 0) {
		if (g_strcmp0(request, "QueryType") == 0) {
			plist_dict_set_item(
			    reply, "Type", plist_new_string("com.apple.mobile.restored"));
			plist_dict_set_item(
			    reply, "RestoreProtocolVersion", plist_new_uint(FAKE_RESTORE_PROTOCOL));
		} else if (g_strcmp0(request, "QueryValue") == 0) {
			g_autofree gchar *key =
			    fake_plist_dup_string(plist_dict_get_item(request_plist, "QueryKey"));
			if (g_strcmp0(key, "HardwareInfo") == 0) {
				plist_t info = plist_new_dict();
				GVariant *value;
				value = g_hash_table_lookup(device->values, "UniqueChipID");
				if (value != NULL)
					plist_dict_set_item(
					    info, "UniqueChipID", fake_plist_from_variant(value));
				value = g_hash_table_lookup(device->values, "ChipID");
				if (value != NULL)
					plist_dict_set_item(
					    info, "ChipID", fake_plist_from_variant(value));
				value = g_hash_table_lookup(device->values, "BoardId");
				if (value != NULL)
					plist_dict_set_item(
					    info, "BoardID", fake_plist_from_variant(value));
				plist_dict_set_item(info, "ProductionMode", plist_new_bool(1));
				plist_dict_set_item(reply, "HardwareInfo", info);
			}
		} else {
			plist_dict_set_item(reply, "Error", plist_new_string("UnknownRequest"));
		}
		return reply;
	}

	if (g_strcmp0(request, "QueryType") == 0) {
		plist_dict_set_item(reply, "Type", plist_new_string("com.apple.mobile.lockdown"));
	} else if (g_strcmp0(request, "GetValue") == 0) {
		g_autofree gchar *domain =
		    fake_plist_dup_string(plist_dict_get_item(request_plist, "Domain"));
		g_autofree gchar *key =
		    fake_plist_dup_string(plist_dict_get_item(request_plist, "Key"));
		GVariant *value = key != NULL ? g_hash_table_lookup(device->values, key) : NULL;

		if (key != NULL)
			plist_dict_set_item(reply, "Key", plist_new_string(key));
		if (domain != NULL) {
			plist_dict_set_item(reply, "Error", plist_new_string("MissingValue"));
		} else if (key == NULL) {
			/* the whole domain, minus what needs a session */
			GHashTableIter iter;
			gpointer k, v;
			plist_t dict = plist_new_dict();
			g_hash_table_iter_init(&iter, device->values);
			while (g_hash_table_iter_next(&iter, &k, &v)) {
				if (!*session && fake_is_session_key(k))
					continue;
				plist_dict_set_item(dict, k, fake_plist_from_variant(v));
			}
			plist_dict_set_item(reply, "Value", dict);
		} else if (g_strcmp0(key, "DevicePublicKey") == 0) {
			plist_dict_set_item(
			    reply,
			    "Value",
			    plist_new_data(fake_device_public_key, strlen(fake_device_public_key)));
		} else if (value == NULL) {
			plist_dict_set_item(reply, "Error", plist_new_string("MissingValue"));
		} else if (!*session && fake_is_session_key(key)) {
			plist_dict_set_item(reply, "Error", plist_new_string("GetProhibited"));
		} else {
			plist_dict_set_item(reply, "Value", fake_plist_from_variant(value));
		}
	} else if (g_strcmp0(request, "StartSession") == 0) {
		g_autofree gchar *host_id =
		    fake_plist_dup_string(plist_dict_get_item(request_plist, "HostID"));
		if ((device->flags & UB_FAKE_IDEVICE_FLAG_TRUSTED) != 0 &&
		    g_strcmp0(host_id, device->host_id) == 0) {
			g_autofree gchar *session_id = g_uuid_string_random();
			plist_dict_set_item(reply, "Result", plist_new_string("Success"));
			plist_dict_set_item(reply, "SessionID", plist_new_string(session_id));
			/* a real device turns on TLS here */
			plist_dict_set_item(reply, "EnableSessionSSL", plist_new_bool(0));
			*session = TRUE;
		} else {
			plist_dict_set_item(reply, "Error", plist_new_string("InvalidHostID"));
		}
	} else if (g_strcmp0(request, "StopSession") == 0) {
		plist_dict_set_item(reply, "Result", plist_new_string("Success"));
		*session = FALSE;
	} else if (g_strcmp0(request, "Pair") == 0 || g_strcmp0(request, "ValidatePair") == 0) {
		/* the user has not tapped Trust (or the device is locked) */
		const gchar *reason = (device->flags & UB_FAKE_IDEVICE_FLAG_PASSCODE) != 0
					  ? "PasswordProtected"
					  : "PairingDialogResponsePending";
		plist_dict_set_item(reply, "Error", plist_new_string(reason));
	} else if (g_strcmp0(request, "EnterRecovery") == 0) {
		if (*session) {
			plist_dict_set_item(reply, "Result", plist_new_string("Success"));
			/* the device reboots into iBoot and leaves usbmuxd */
			*detach_after = TRUE;
		} else {
			plist_dict_set_item(reply, "Error", plist_new_string("SessionInactive"));
		}
	} else {
		plist_dict_set_item(reply, "Error", plist_new_string("UnknownRequest"));
	}
	return reply;
}

static gboolean
fake_send_lockdown_plist(FakeClient *client, plist_t plist)
{
	char *xml = NULL;
	uint32_t xml_len = 0;
	guint32 len_be;
	g_autofree guint8 *buf = NULL;

	plist_to_xml(plist, &xml, &xml_len);
	len_be = GUINT32_TO_BE(xml_len);
	buf = g_malloc(sizeof(len_be) + xml_len);
	memcpy(buf, &len_be, sizeof(len_be));
	memcpy(buf + sizeof(len_be), xml, xml_len);
	free(xml);
	return fake_write_all(client->fd, buf, sizeof(len_be) + xml_len);
}

/* after "Connect": 4-byte big-endian length, then an XML plist, both ways */
static void
fake_lockdown_loop(FakeClient *client, guint device_id)
{
	UbFakeUsbmuxd *self = client->fake;
	gboolean session = FALSE;

	for (;;) {
		guint32 len_be = 0;
		guint32 len;
		g_autofree gchar *body = NULL;
		plist_t request = NULL;
		plist_t reply = NULL;
		FakeDevice *device;
		gboolean close_after = FALSE;
		gboolean detach_after = FALSE;
		gboolean ok;

		if (!fake_read_exact(client->fd, &len_be, sizeof(len_be)))
			return;
		len = GUINT32_FROM_BE(len_be);
		if (len == 0 || len > FAKE_MUX_MAX_PACKET)
			return;
		body = g_malloc(len);
		if (!fake_read_exact(client->fd, body, len))
			return;
		fake_plist_from_memory(body, len, &request);
		if (request == NULL || plist_get_node_type(request) != PLIST_DICT) {
			plist_free(request);
			return;
		}

		g_mutex_lock(&self->mutex);
		device = fake_find_device_by_id(self, device_id);
		if (device != NULL)
			reply = fake_lockdown_reply(
			    self, device, request, &session, &close_after, &detach_after);
		g_mutex_unlock(&self->mutex);
		plist_free(request);
		if (reply == NULL)
			return;

		ok = fake_send_lockdown_plist(client, reply);
		plist_free(reply);
		if (detach_after) {
			g_mutex_lock(&self->mutex);
			device = fake_find_device_by_id(self, device_id);
			if (device != NULL)
				fake_detach_device(self, device);
			g_mutex_unlock(&self->mutex);
		}
		if (!ok || close_after || detach_after)
			return;
	}
}

static plist_t
fake_pair_record(FakeDevice *device)
{
	plist_t record = plist_new_dict();

	/* enough for libimobiledevice to start a session without TLS */
	plist_dict_set_item(record, "HostID", plist_new_string(device->host_id));
	plist_dict_set_item(record, "SystemBUID", plist_new_string(FAKE_SYSTEM_BUID));
	return record;
}

/* one usbmuxd request; FALSE when the connection is done with */
static gboolean
fake_handle_mux_packet(FakeClient *client)
{
	UbFakeUsbmuxd *self = client->fake;
	guint32 header[4];
	guint32 length, tag;
	g_autofree gchar *payload = NULL;
	g_autofree gchar *message = NULL;
	plist_t request = NULL;
	plist_t reply = NULL;
	gboolean ok = TRUE;

	if (!fake_read_exact(client->fd, header, sizeof(header)))
		return FALSE;
	length = GUINT32_FROM_LE(header[0]);
	tag = GUINT32_FROM_LE(header[3]);
	if (length < sizeof(header) || length > FAKE_MUX_MAX_PACKET)
		return FALSE;
	payload = g_malloc0(length - sizeof(header) + 1);
	if (!fake_read_exact(client->fd, payload, length - sizeof(header)))
		return FALSE;
	if (GUINT32_FROM_LE(header[1]) != FAKE_MUX_VERSION_PLIST ||
	    GUINT32_FROM_LE(header[2]) != FAKE_MUX_MESSAGE_PLIST)
		return fake_send_mux_result(client, tag, FAKE_MUX_RESULT_BADCOMMAND);

	fake_plist_from_memory(payload, length - sizeof(header), &request);
	if (request == NULL || plist_get_node_type(request) != PLIST_DICT) {
		plist_free(request);
		return fake_send_mux_result(client, tag, FAKE_MUX_RESULT_BADCOMMAND);
	}
	message = fake_plist_dup_string(plist_dict_get_item(request, "MessageType"));

	if (g_strcmp0(message, "Listen") == 0) {
		/* the result and the devices present go out before any later
		 * "Attached", because all of them are written under the mutex */
		g_mutex_lock(&self->mutex);
		ok = fake_send_mux_result(client, tag, FAKE_MUX_RESULT_OK);
		for (guint i = 0; ok && i < self->devices->len; i++) {
			plist_t msg = fake_attached_message(g_ptr_array_index(self->devices, i));
			ok = fake_send_mux_plist(client, 0, msg);
			plist_free(msg);
		}
		client->listening = ok;
		g_mutex_unlock(&self->mutex);
	} else if (g_strcmp0(message, "ListDevices") == 0) {
		plist_t list = plist_new_array();
		g_mutex_lock(&self->mutex);
		for (guint i = 0; i < self->devices->len; i++)
			plist_array_append_item(
			    list, fake_attached_message(g_ptr_array_index(self->devices, i)));
		g_mutex_unlock(&self->mutex);
		reply = plist_new_dict();
		plist_dict_set_item(reply, "DeviceList", list);
		ok = fake_send_mux_plist(client, tag, reply);
	} else if (g_strcmp0(message, "ReadBUID") == 0) {
		reply = plist_new_dict();
		plist_dict_set_item(reply, "BUID", plist_new_string(FAKE_SYSTEM_BUID));
		ok = fake_send_mux_plist(client, tag, reply);
	} else if (g_strcmp0(message, "ReadPairRecord") == 0) {
		g_autofree gchar *record_id =
		    fake_plist_dup_string(plist_dict_get_item(request, "PairRecordID"));
		plist_t record = NULL;
		FakeDevice *device;

		g_mutex_lock(&self->mutex);
		device = fake_find_device_by_udid(self, record_id);
		if (device != NULL && (device->flags & UB_FAKE_IDEVICE_FLAG_TRUSTED) != 0)
			record = fake_pair_record(device);
		g_mutex_unlock(&self->mutex);
		if (record != NULL) {
			char *xml = NULL;
			uint32_t xml_len = 0;
			plist_to_xml(record, &xml, &xml_len);
			reply = plist_new_dict();
			plist_dict_set_item(reply, "PairRecordData", plist_new_data(xml, xml_len));
			free(xml);
			plist_free(record);
			ok = fake_send_mux_plist(client, tag, reply);
		} else {
			/* what usbmuxd answers when it has no record */
			ok = fake_send_mux_result(client, tag, FAKE_MUX_RESULT_BADDEV);
		}
	} else if (g_strcmp0(message, "SavePairRecord") == 0 ||
		   g_strcmp0(message, "DeletePairRecord") == 0) {
		ok = fake_send_mux_result(client, tag, FAKE_MUX_RESULT_OK);
	} else if (g_strcmp0(message, "Connect") == 0) {
		guint device_id =
		    (guint)fake_plist_get_uint(plist_dict_get_item(request, "DeviceID"));
		/* libusbmuxd sends the port in network byte order */
		guint16 port = GUINT16_FROM_BE(
		    (guint16)fake_plist_get_uint(plist_dict_get_item(request, "PortNumber")));
		guint result = FAKE_MUX_RESULT_OK;
		FakeDevice *device;

		g_mutex_lock(&self->mutex);
		device = fake_find_device_by_id(self, device_id);
		if (device == NULL || (device->flags & UB_FAKE_IDEVICE_FLAG_NETWORK) != 0) {
			result = FAKE_MUX_RESULT_BADDEV;
		} else if (port != FAKE_LOCKDOWN_PORT) {
			result = FAKE_MUX_RESULT_CONNREFUSED;
		} else if (device->refusals_left > 0) {
			device->refusals_left--;
			result = FAKE_MUX_RESULT_CONNREFUSED;
		} else {
			client->device_id = device_id;
		}
		g_mutex_unlock(&self->mutex);
		ok = fake_send_mux_result(client, tag, result);
		if (ok && result == FAKE_MUX_RESULT_OK)
			fake_lockdown_loop(client, device_id);
		if (result == FAKE_MUX_RESULT_OK)
			ok = FALSE;
	} else {
		g_debug("unknown usbmuxd message %s", message);
		ok = fake_send_mux_result(client, tag, FAKE_MUX_RESULT_BADCOMMAND);
	}
	plist_free(request);
	plist_free(reply);
	return ok;
}

static gpointer
fake_client_thread_cb(gpointer user_data)
{
	FakeClient *client = user_data;
	UbFakeUsbmuxd *self = client->fake;

	while (fake_handle_mux_packet(client)) {
	}

	/* the fd stays open until the fake is freed, so a shutdown() from
	 * another thread can never hit a reused descriptor */
	g_mutex_lock(&self->mutex);
	client->finished = TRUE;
	client->listening = FALSE;
	shutdown(client->fd, SHUT_RDWR);
	g_mutex_unlock(&self->mutex);
	return NULL;
}

static gpointer
fake_accept_thread_cb(gpointer user_data)
{
	UbFakeUsbmuxd *self = user_data;

	for (;;) {
		struct pollfd fds[2] = {
		    {.fd = self->listen_fd, .events = POLLIN},
		    {.fd = self->wake_fds[0], .events = POLLIN},
		};
		FakeClient *client;
		int fd;

		if (poll(fds, G_N_ELEMENTS(fds), -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents != 0)
			break;
		if ((fds[0].revents & POLLIN) == 0)
			continue;
		fd = accept(self->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);

		client = g_new0(FakeClient, 1);
		client->fake = self;
		client->fd = fd;
		g_mutex_lock(&self->mutex);
		if (self->closing) {
			g_mutex_unlock(&self->mutex);
			close(fd);
			g_free(client);
			break;
		}
		client->thread = g_thread_new("fake-usbmuxd-client", fake_client_thread_cb, client);
		g_ptr_array_add(self->clients, client);
		g_mutex_unlock(&self->mutex);
	}
	return NULL;
}

UbFakeUsbmuxd *
ub_fake_usbmuxd_new(GError **error)
{
	g_autoptr(UbFakeUsbmuxd) self = g_new0(UbFakeUsbmuxd, 1);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_mutex_init(&self->mutex);
	self->listen_fd = -1;
	self->wake_fds[0] = -1;
	self->wake_fds[1] = -1;
	self->clients = g_ptr_array_new();
	self->devices = g_ptr_array_new_with_free_func((GDestroyNotify)fake_device_free);
	self->request_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->next_device_id = 1;

	self->tmpdir = g_dir_make_tmp("ub-fake-usbmuxd-XXXXXX", error);
	if (self->tmpdir == NULL)
		return NULL;
	self->socket_path = g_build_filename(self->tmpdir, "usbmuxd", NULL);
	if (strlen(self->socket_path) >= sizeof(addr.sun_path)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FILENAME_TOO_LONG,
			    "socket path too long: %s",
			    self->socket_path);
		return NULL;
	}
	g_strlcpy(addr.sun_path, self->socket_path, sizeof(addr.sun_path));
	self->address = g_strdup_printf("UNIX:%s", self->socket_path);

	self->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (self->listen_fd < 0 ||
	    bind(self->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(self->listen_fd, 16) < 0) {
		int errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to listen on %s: %s",
			    self->socket_path,
			    g_strerror(errsv));
		return NULL;
	}
	if (!g_unix_open_pipe(self->wake_fds, FD_CLOEXEC, error))
		return NULL;
	self->accept_thread = g_thread_new("fake-usbmuxd-accept", fake_accept_thread_cb, self);
	return g_steal_pointer(&self);
}

void
ub_fake_usbmuxd_free(UbFakeUsbmuxd *self)
{
	if (self == NULL)
		return;

	g_mutex_lock(&self->mutex);
	self->closing = TRUE;
	g_mutex_unlock(&self->mutex);
	if (self->accept_thread != NULL) {
		if (write(self->wake_fds[1], "x", 1) != 1)
			g_critical("failed to wake the fake usbmuxd: %s", g_strerror(errno));
		g_thread_join(self->accept_thread);
	}

	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->clients->len; i++) {
		FakeClient *client = g_ptr_array_index(self->clients, i);
		if (!client->finished)
			shutdown(client->fd, SHUT_RDWR);
	}
	g_mutex_unlock(&self->mutex);
	/* not under the mutex: the client threads take it on their way out */
	for (guint i = 0; i < self->clients->len; i++) {
		FakeClient *client = g_ptr_array_index(self->clients, i);
		g_thread_join(client->thread);
		close(client->fd);
		g_free(client);
	}
	g_ptr_array_unref(self->clients);

	if (self->listen_fd >= 0)
		close(self->listen_fd);
	if (self->wake_fds[0] >= 0)
		close(self->wake_fds[0]);
	if (self->wake_fds[1] >= 0)
		close(self->wake_fds[1]);
	if (self->socket_path != NULL)
		g_unlink(self->socket_path);
	if (self->tmpdir != NULL)
		g_rmdir(self->tmpdir);
	g_ptr_array_unref(self->devices);
	g_hash_table_unref(self->request_counts);
	g_mutex_clear(&self->mutex);
	g_free(self->tmpdir);
	g_free(self->socket_path);
	g_free(self->address);
	g_free(self);
}

const gchar *
ub_fake_usbmuxd_get_address(UbFakeUsbmuxd *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->address;
}

GHashTable *
ub_fake_usbmuxd_values_new(void)
{
	return g_hash_table_new_full(
	    g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_variant_unref);
}

void
ub_fake_usbmuxd_values_set_string(GHashTable *values, const gchar *key, const gchar *value)
{
	g_return_if_fail(values != NULL);
	g_return_if_fail(key != NULL);
	g_return_if_fail(value != NULL);

	g_hash_table_insert(values, g_strdup(key), g_variant_ref_sink(g_variant_new_string(value)));
}

void
ub_fake_usbmuxd_values_set_uint(GHashTable *values, const gchar *key, guint64 value)
{
	g_return_if_fail(values != NULL);
	g_return_if_fail(key != NULL);

	g_hash_table_insert(values, g_strdup(key), g_variant_ref_sink(g_variant_new_uint64(value)));
}

gboolean
ub_fake_usbmuxd_attach(UbFakeUsbmuxd *self,
		       const gchar *udid,
		       guint16 product_id,
		       GHashTable *values,
		       UbFakeIdeviceFlags flags)
{
	FakeDevice *device;
	plist_t msg;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(udid != NULL, FALSE);
	g_return_val_if_fail(values != NULL, FALSE);

	g_mutex_lock(&self->mutex);
	if (fake_find_device_by_udid(self, udid) != NULL) {
		g_mutex_unlock(&self->mutex);
		g_critical("%s is already attached", udid);
		return FALSE;
	}
	device = g_new0(FakeDevice, 1);
	device->udid = g_strdup(udid);
	device->device_id = self->next_device_id++;
	device->product_id = product_id;
	device->location_id = 0x00100000 | device->device_id;
	device->values = g_hash_table_ref(values);
	device->flags = flags;
	if ((flags & UB_FAKE_IDEVICE_FLAG_LOCKDOWN_LATE) != 0)
		device->refusals_left = FAKE_LOCKDOWN_REFUSALS;
	if ((flags & UB_FAKE_IDEVICE_FLAG_TRUSTED) != 0)
		device->host_id = g_uuid_string_random();
	g_ptr_array_add(self->devices, device);

	msg = fake_attached_message(device);
	fake_broadcast(self, msg);
	plist_free(msg);
	g_mutex_unlock(&self->mutex);
	return TRUE;
}

gboolean
ub_fake_usbmuxd_detach(UbFakeUsbmuxd *self, const gchar *udid)
{
	FakeDevice *device;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(udid != NULL, FALSE);

	g_mutex_lock(&self->mutex);
	device = fake_find_device_by_udid(self, udid);
	if (device != NULL)
		fake_detach_device(self, device);
	g_mutex_unlock(&self->mutex);
	return device != NULL;
}

guint
ub_fake_usbmuxd_get_request_count(UbFakeUsbmuxd *self, const gchar *udid, const gchar *request)
{
	g_autofree gchar *key = NULL;
	guint count;

	g_return_val_if_fail(self != NULL, 0);
	g_return_val_if_fail(udid != NULL, 0);
	g_return_val_if_fail(request != NULL, 0);

	key = g_strdup_printf("%s/%s", udid, request);
	g_mutex_lock(&self->mutex);
	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->request_counts, key));
	g_mutex_unlock(&self->mutex);
	return count;
}

guint
ub_fake_usbmuxd_get_n_listeners(UbFakeUsbmuxd *self)
{
	guint count = 0;

	g_return_val_if_fail(self != NULL, 0);

	g_mutex_lock(&self->mutex);
	for (guint i = 0; i < self->clients->len; i++) {
		FakeClient *client = g_ptr_array_index(self->clients, i);
		if (client->listening && !client->finished)
			count++;
	}
	g_mutex_unlock(&self->mutex);
	return count;
}
