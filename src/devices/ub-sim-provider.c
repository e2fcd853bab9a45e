/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-sim-provider"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-error.h"
#include "ub-json.h"
#include "ub-sim-provider.h"
#include "ub-usb-port.h"

typedef enum {
	SIM_AFTER_EXIT_BOOTS,
	SIM_AFTER_EXIT_RETURNS,
} SimAfterExit;

typedef struct {
	gchar *id;
	guint64 ecid;
	gchar *product_type;
	guint cpid;
	guint bdid;
	gchar *serial;
	gchar *model_number;
	gchar *ios_version;
	gchar *ios_build;
	UbDeviceMode initial_mode;
	gdouble appear_at;
	UbUsbPort *port;
	gboolean trusted;
	SimAfterExit after_exit;
	gdouble restart_seconds;
	gchar *restore_log;
	gboolean unplug_during_restore;
	/* "buttons": where a button sequence aimed at normal / recovery / DFU
	 * lands it (DISCONNECTED: nowhere), and when; without it the simulated
	 * device ignores the buttons */
	gboolean has_buttons;
	UbDeviceMode buttons_result[3];
	gdouble buttons_at;
	/* live state */
	gboolean buttons_pending;
	UbDeviceMode mode;
	guint appearance;
	gchar *source_id;
} SimDevice;

typedef struct {
	gdouble at;
	gchar *device_id;
	UbDeviceMode mode;
} SimEvent;

struct _UbSimProvider {
	GObject parent_instance;

	gchar *title;
	GPtrArray *devices; /* of SimDevice */
	GPtrArray *events;  /* of SimEvent */
	gdouble time_scale;
	GArray *timers; /* of guint source ids */
	gboolean running;
};

static void
ub_sim_provider_iface_init(UbDeviceProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbSimProvider,
			      ub_sim_provider,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_DEVICE_PROVIDER,
						    ub_sim_provider_iface_init))

static void
sim_device_free(SimDevice *device)
{
	g_free(device->id);
	g_free(device->product_type);
	g_free(device->serial);
	g_free(device->model_number);
	g_free(device->ios_version);
	g_free(device->ios_build);
	g_free(device->source_id);
	g_free(device->restore_log);
	g_clear_object(&device->port);
	g_free(device);
}

static void
sim_event_free(SimEvent *event)
{
	g_free(event->device_id);
	g_free(event);
}

static gboolean
parse_mode(const gchar *text, UbDeviceMode *mode)
{
	const struct {
		const gchar *name;
		UbDeviceMode mode;
	} modes[] = {
	    {"normal", UB_DEVICE_MODE_NORMAL},
	    {"recovery", UB_DEVICE_MODE_RECOVERY},
	    {"dfu", UB_DEVICE_MODE_DFU},
	    {"restore", UB_DEVICE_MODE_RESTORE},
	    {"disconnected", UB_DEVICE_MODE_DISCONNECTED},
	};

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		if (g_strcmp0(text, modes[i].name) == 0) {
			*mode = modes[i].mode;
			return TRUE;
		}
	}
	return FALSE;
}

/* a scenario is written by people: every problem names where it is */
static const gchar *
get_string(JsonObject *object,
	   const gchar *where,
	   const gchar *key,
	   gboolean required,
	   GError **error)
{
	const gchar *value = NULL;

	ub_json_get_string(
	    object, where, key, required ? UB_JSON_REQUIRED : UB_JSON_OPTIONAL, &value, error);
	return value;
}

static gboolean
get_number(JsonObject *object,
	   const gchar *where,
	   const gchar *key,
	   gdouble min,
	   gdouble max,
	   gdouble *value,
	   GError **error)
{
	return ub_json_get_double(object, where, key, UB_JSON_OPTIONAL, min, max, value, error);
}

static gboolean
parse_hex_or_decimal(const gchar *text, guint64 max, guint64 *value)
{
	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X"))
		return g_ascii_string_to_unsigned(text + 2, 16, 1, max, value, NULL);
	return g_ascii_string_to_unsigned(text, 10, 1, max, value, NULL);
}

static gboolean
get_id_number(JsonObject *object,
	      const gchar *where,
	      const gchar *key,
	      gboolean required,
	      guint64 max,
	      guint64 *value,
	      GError **error)
{
	g_autoptr(GError) error_local = NULL;
	const gchar *text = get_string(object, where, key, required, &error_local);

	if (text == NULL) {
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		return !required;
	}
	if (!parse_hex_or_decimal(text, max, value)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: \"%s\" is not a number: %s",
			    where,
			    key,
			    text);
		return FALSE;
	}
	return TRUE;
}

static UbUsbPort *
parse_port(JsonObject *object, const gchar *where, GError **error)
{
	JsonNode *node = json_object_get_member(object, "port");
	JsonObject *port;
	const gchar *path;
	const gchar *hub;
	gdouble speed = 480;
	g_autofree gchar *port_where = g_strdup_printf("%s.port", where);
	g_autoptr(GError) error_local = NULL;

	if (node == NULL)
		return ub_usb_port_new("1-1", 480, FALSE, NULL);
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: must be an object", port_where);
		return NULL;
	}
	port = json_node_get_object(node);
	path = get_string(port, port_where, "path", FALSE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	hub = get_string(port, port_where, "hub", FALSE, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (!get_number(port, port_where, "speed-mbps", 1, 100000, &speed, error))
		return NULL;
	return ub_usb_port_new(path != NULL ? path : "1-1", (guint)speed, hub != NULL, hub);
}

static const gchar *buttons_targets[] = {"normal", "recovery", "dfu"};

static guint
buttons_index(UbDeviceMode target)
{
	return target == UB_DEVICE_MODE_DFU ? 2 : target == UB_DEVICE_MODE_RECOVERY ? 1 : 0;
}

/* {"dfu": "dfu", "recovery": "recovery", "normal": "normal", "at": 8.5} */
static void
parse_buttons(SimDevice *device, JsonNode *node, const gchar *where, GError **error)
{
	g_autofree gchar *buttons_where = g_strdup_printf("%s.buttons", where);
	JsonObject *object;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: must be an object", buttons_where);
		return;
	}
	object = json_node_get_object(node);
	device->has_buttons = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(buttons_targets); i++) {
		g_autoptr(GError) error_local = NULL;
		const gchar *text =
		    get_string(object, buttons_where, buttons_targets[i], FALSE, &error_local);

		device->buttons_result[i] = UB_DEVICE_MODE_DISCONNECTED;
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return;
		}
		if (text != NULL && !parse_mode(text, &device->buttons_result[i])) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"%s\" is not a mode: %s",
				    buttons_where,
				    buttons_targets[i],
				    text);
			return;
		}
	}
	device->buttons_at = 8;
	get_number(object, buttons_where, "at", 1, 600, &device->buttons_at, error);
}

static SimDevice *
parse_device(JsonNode *node, guint index, GError **error)
{
	g_autofree gchar *where = g_strdup_printf("devices[%u]", index);
	g_autoptr(GError) error_local = NULL;
	SimDevice *device;
	JsonObject *object;
	const gchar *text;
	guint64 number = 0;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: must be an object", where);
		return NULL;
	}
	object = json_node_get_object(node);
	device = g_new0(SimDevice, 1);
	device->trusted = TRUE;
	device->restart_seconds = 4;

	/* each step below either fills the field or leaves an error */
	text = get_string(object, where, "id", TRUE, &error_local);
	if (text != NULL)
		device->id = g_strdup(text);
	if (error_local == NULL &&
	    get_id_number(object, where, "ecid", TRUE, G_MAXUINT64, &number, &error_local))
		device->ecid = number;
	if (error_local == NULL) {
		text = get_string(object, where, "product-type", TRUE, &error_local);
		if (text != NULL &&
		    !g_regex_match_simple("^(iPhone|iPad|iPod)[0-9]+,[0-9]+$", text, 0, 0)) {
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"product-type\" is not like iPhone14,2: %s",
				    where,
				    text);
		}
		device->product_type = g_strdup(text);
	}
	number = 0;
	if (error_local == NULL &&
	    get_id_number(object, where, "cpid", FALSE, G_MAXUINT32, &number, &error_local))
		device->cpid = (guint)number;
	number = 0;
	if (error_local == NULL &&
	    get_id_number(object, where, "bdid", FALSE, G_MAXUINT32, &number, &error_local))
		device->bdid = (guint)number;
	if (error_local == NULL)
		device->serial = g_strdup(get_string(object, where, "serial", FALSE, &error_local));
	if (error_local == NULL)
		device->model_number =
		    g_strdup(get_string(object, where, "model-number", FALSE, &error_local));
	if (error_local == NULL)
		device->ios_version =
		    g_strdup(get_string(object, where, "ios-version", FALSE, &error_local));
	if (error_local == NULL)
		device->ios_build =
		    g_strdup(get_string(object, where, "ios-build", FALSE, &error_local));
	if (error_local == NULL) {
		text = get_string(object, where, "mode", TRUE, &error_local);
		if (text != NULL && !parse_mode(text, &device->initial_mode))
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: unknown \"mode\": %s",
				    where,
				    text);
	}
	if (error_local == NULL)
		get_number(object, where, "appear-at", 0, 86400, &device->appear_at, &error_local);
	if (error_local == NULL)
		get_number(object,
			   where,
			   "restart-seconds",
			   0,
			   600,
			   &device->restart_seconds,
			   &error_local);
	if (error_local == NULL && json_object_has_member(object, "trusted")) {
		JsonNode *trusted = json_object_get_member(object, "trusted");
		if (!JSON_NODE_HOLDS_VALUE(trusted) ||
		    json_node_get_value_type(trusted) != G_TYPE_BOOLEAN)
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"trusted\" must be true or false",
				    where);
		else
			device->trusted = json_node_get_boolean(trusted);
	}
	if (error_local == NULL) {
		text = get_string(object, where, "after-exit-recovery", FALSE, &error_local);
		if (g_strcmp0(text, "returns") == 0)
			device->after_exit = SIM_AFTER_EXIT_RETURNS;
		else if (text != NULL && g_strcmp0(text, "boots") != 0)
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"after-exit-recovery\" must be \"boots\" or \"returns\"",
				    where);
	}
	if (error_local == NULL) {
		text = get_string(object, where, "restore-log", FALSE, &error_local);
		if (text != NULL && !g_regex_match_simple("^[a-z0-9-]+$", text, 0, 0))
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"restore-log\" must be a name like fail-usb: %s",
				    where,
				    text);
		device->restore_log = g_strdup(text != NULL ? text : "success");
	}
	if (error_local == NULL && json_object_has_member(object, "unplug-during-restore")) {
		JsonNode *unplug = json_object_get_member(object, "unplug-during-restore");
		if (!JSON_NODE_HOLDS_VALUE(unplug) ||
		    json_node_get_value_type(unplug) != G_TYPE_BOOLEAN)
			g_set_error(&error_local,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "%s: \"unplug-during-restore\" must be true or false",
				    where);
		else
			device->unplug_during_restore = json_node_get_boolean(unplug);
	}
	if (error_local == NULL)
		device->port = parse_port(object, where, &error_local);
	if (error_local == NULL && json_object_has_member(object, "buttons"))
		parse_buttons(
		    device, json_object_get_member(object, "buttons"), where, &error_local);

	if (error_local != NULL) {
		sim_device_free(device);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	device->mode = UB_DEVICE_MODE_DISCONNECTED;
	return device;
}

static SimDevice *
find_device(UbSimProvider *self, const gchar *id)
{
	for (guint i = 0; i < self->devices->len; i++) {
		SimDevice *device = g_ptr_array_index(self->devices, i);
		if (g_strcmp0(device->id, id) == 0)
			return device;
	}
	return NULL;
}

static SimEvent *
parse_event(UbSimProvider *self, JsonNode *node, guint index, GError **error)
{
	g_autofree gchar *where = g_strdup_printf("timeline[%u]", index);
	g_autoptr(GError) error_local = NULL;
	g_autofree SimEvent *event = g_new0(SimEvent, 1);
	JsonObject *object;
	const gchar *id;
	const gchar *mode;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: must be an object", where);
		return NULL;
	}
	object = json_node_get_object(node);
	if (!json_object_has_member(object, "at")) {
		g_set_error(error, UB_ERROR, UB_ERROR_INVALID_DATA, "%s: \"at\" is missing", where);
		return NULL;
	}
	if (!get_number(object, where, "at", 0, 86400, &event->at, error))
		return NULL;
	id = get_string(object, where, "device", TRUE, &error_local);
	if (id == NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (find_device(self, id) == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: no device has the id \"%s\"",
			    where,
			    id);
		return NULL;
	}
	mode = get_string(object, where, "mode", TRUE, &error_local);
	if (mode == NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (!parse_mode(mode, &event->mode)) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_INVALID_DATA,
			    "%s: unknown \"mode\": %s",
			    where,
			    mode);
		return NULL;
	}
	event->device_id = g_strdup(id);
	return g_steal_pointer(&event);
}

static gboolean
load_scenario(UbSimProvider *self, GBytes *json, GError **error)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonNode *root;
	JsonObject *object;
	JsonNode *node;
	JsonArray *array;
	gsize size = 0;
	const gchar *data = g_bytes_get_data(json, &size);

	if (size > (gsize)G_MAXSSIZE) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "not a scenario: too large");
		return FALSE;
	}
	parser = ub_json_parse_checked(data, (gssize)size, "not a scenario", error);
	if (parser == NULL)
		return FALSE;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "a scenario must be a JSON object");
		return FALSE;
	}
	object = json_node_get_object(root);
	self->title = g_strdup(json_object_get_string_member_with_default(object, "title", ""));

	node = json_object_get_member(object, "devices");
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"devices\" must be a list");
		return FALSE;
	}
	/* an empty list is allowed: "nothing plugged in" is a scenario too */
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		SimDevice *device = parse_device(json_array_get_element(array, i), i, error);
		if (device == NULL)
			return FALSE;
		if (find_device(self, device->id) != NULL) {
			g_set_error(error,
				    UB_ERROR,
				    UB_ERROR_INVALID_DATA,
				    "devices[%u]: the id \"%s\" is used twice",
				    i,
				    device->id);
			sim_device_free(device);
			return FALSE;
		}
		g_ptr_array_add(self->devices, device);
	}

	node = json_object_get_member(object, "timeline");
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(
		    error, UB_ERROR, UB_ERROR_INVALID_DATA, "\"timeline\" must be a list");
		return FALSE;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		SimEvent *event = parse_event(self, json_array_get_element(array, i), i, error);
		if (event == NULL)
			return FALSE;
		g_ptr_array_add(self->events, event);
	}
	return TRUE;
}

static void
set_device_mode(UbSimProvider *self, SimDevice *device, UbDeviceMode mode)
{
	g_autoptr(UbDeviceReport) report = NULL;

	if (device->mode == mode)
		return;
	if (device->source_id != NULL) {
		ub_device_provider_emit_lost(UB_DEVICE_PROVIDER(self), device->source_id);
		g_clear_pointer(&device->source_id, g_free);
	}
	device->mode = mode;
	if (mode == UB_DEVICE_MODE_DISCONNECTED)
		return;
	device->buttons_pending = FALSE;

	device->appearance++;
	device->source_id = g_strdup_printf("sim:%s:%u", device->id, device->appearance);
	report = ub_device_report_new(device->source_id, mode);
	report->ecid = device->ecid;
	report->product_type = g_strdup(device->product_type);
	report->cpid = device->cpid;
	report->bdid = device->bdid;
	report->serial = g_strdup(device->serial);
	report->port = device->port != NULL ? g_object_ref(device->port) : NULL;
	report->simulated = TRUE;
	/* only a running iOS can tell its version, as with a real device */
	if (mode == UB_DEVICE_MODE_NORMAL) {
		report->ios_version = g_strdup(device->ios_version);
		report->ios_build = g_strdup(device->ios_build);
		report->model_number = g_strdup(device->model_number);
		report->udid =
		    g_strdup_printf("%08X-%016" G_GINT64_MODIFIER "X", device->cpid, device->ecid);
	}
	ub_device_provider_emit_seen(UB_DEVICE_PROVIDER(self), report);
}

typedef struct {
	UbSimProvider *self;
	gchar *device_id;
	UbDeviceMode mode;
	guint id;
} SimTimer;

static gboolean
timer_fired_cb(gpointer user_data)
{
	SimTimer *timer = user_data;
	SimDevice *device = find_device(timer->self, timer->device_id);

	for (guint i = 0; i < timer->self->timers->len; i++) {
		if (g_array_index(timer->self->timers, guint, i) == timer->id) {
			g_array_remove_index_fast(timer->self->timers, i);
			break;
		}
	}
	if (device != NULL && timer->self->running)
		set_device_mode(timer->self, device, timer->mode);
	return G_SOURCE_REMOVE;
}

static void
sim_timer_free(SimTimer *timer)
{
	g_free(timer->device_id);
	g_free(timer);
}

static void
schedule_scaled(UbSimProvider *self,
		gdouble seconds,
		gdouble time_scale,
		const gchar *device_id,
		UbDeviceMode mode)
{
	SimTimer *timer = g_new0(SimTimer, 1);
	guint interval = (guint)(seconds * time_scale * 1000);

	timer->self = self;
	timer->device_id = g_strdup(device_id);
	timer->mode = mode;
	timer->id = g_timeout_add_full(
	    G_PRIORITY_DEFAULT, interval, timer_fired_cb, timer, (GDestroyNotify)sim_timer_free);
	g_array_append_val(self->timers, timer->id);
}

static void
schedule(UbSimProvider *self, gdouble seconds, const gchar *device_id, UbDeviceMode mode)
{
	schedule_scaled(self, seconds, self->time_scale, device_id, mode);
}

static gboolean
ub_sim_provider_start(UbDeviceProvider *provider, GError **error)
{
	UbSimProvider *self = UB_SIM_PROVIDER(provider);

	self->running = TRUE;
	for (guint i = 0; i < self->devices->len; i++) {
		SimDevice *device = g_ptr_array_index(self->devices, i);
		if (device->appear_at <= 0)
			set_device_mode(self, device, device->initial_mode);
		else
			schedule(self, device->appear_at, device->id, device->initial_mode);
	}
	for (guint i = 0; i < self->events->len; i++) {
		SimEvent *event = g_ptr_array_index(self->events, i);
		schedule(self, event->at, event->device_id, event->mode);
	}
	return TRUE;
}

static void
cancel_timers(UbSimProvider *self)
{
	for (guint i = 0; i < self->timers->len; i++)
		g_source_remove(g_array_index(self->timers, guint, i));
	g_array_set_size(self->timers, 0);
}

static void
ub_sim_provider_stop(UbDeviceProvider *provider)
{
	UbSimProvider *self = UB_SIM_PROVIDER(provider);

	self->running = FALSE;
	cancel_timers(self);
}

static SimDevice *
find_by_source(UbSimProvider *self, const gchar *source_id)
{
	for (guint i = 0; i < self->devices->len; i++) {
		SimDevice *device = g_ptr_array_index(self->devices, i);
		if (g_strcmp0(device->source_id, source_id) == 0)
			return device;
	}
	return NULL;
}

/* what a real device does after a mode command: drop off USB at once and
 * come back after it restarts */
static void
restart_into(UbSimProvider *self, SimDevice *device, UbDeviceMode mode)
{
	schedule(self, 0.5, device->id, UB_DEVICE_MODE_DISCONNECTED);
	schedule(self, 0.5 + device->restart_seconds, device->id, mode);
}

static void
ub_sim_provider_exit_recovery_async(UbDeviceProvider *provider,
				    const gchar *source_id,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	UbSimProvider *self = UB_SIM_PROVIDER(provider);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	SimDevice *device = find_by_source(self, source_id);

	g_task_set_source_tag(task, ub_sim_provider_exit_recovery_async);
	if (device == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_DEVICE_LOST,
					"failed to leave recovery mode: the device is gone");
		return;
	}
	if (device->mode != UB_DEVICE_MODE_RECOVERY) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_SUPPORTED,
					"failed to leave recovery mode: not in recovery mode");
		return;
	}
	if (device->buttons_pending) {
		/* the buttons held through this restart decide where it lands */
		schedule(self, 0.5, device->id, UB_DEVICE_MODE_DISCONNECTED);
	} else {
		restart_into(self,
			     device,
			     device->after_exit == SIM_AFTER_EXIT_RETURNS ? UB_DEVICE_MODE_RECOVERY
									  : UB_DEVICE_MODE_NORMAL);
	}
	g_task_return_boolean(task, TRUE);
}

static gboolean
ub_sim_provider_exit_recovery_finish(UbDeviceProvider *provider,
				     GAsyncResult *result,
				     GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
ub_sim_provider_enter_recovery_async(UbDeviceProvider *provider,
				     const gchar *source_id,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	UbSimProvider *self = UB_SIM_PROVIDER(provider);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	SimDevice *device = find_by_source(self, source_id);

	g_task_set_source_tag(task, ub_sim_provider_enter_recovery_async);
	if (device == NULL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_DEVICE_LOST,
					"failed to enter recovery mode: the device is gone");
		return;
	}
	if (device->mode != UB_DEVICE_MODE_NORMAL) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_SUPPORTED,
					"failed to enter recovery mode: iOS is not running");
		return;
	}
	if (!device->trusted) {
		g_task_return_new_error(task,
					UB_ERROR,
					UB_ERROR_NOT_TRUSTED,
					"failed to enter recovery mode: "
					"the device has not trusted this computer");
		return;
	}
	restart_into(self, device, UB_DEVICE_MODE_RECOVERY);
	g_task_return_boolean(task, TRUE);
}

static gboolean
ub_sim_provider_enter_recovery_finish(UbDeviceProvider *provider,
				      GAsyncResult *result,
				      GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* a person at the buttons works in real time, whatever the scenario's time
 * scale: the countdown they follow is not scaled either */
static void
ub_sim_provider_buttons_started(UbDeviceProvider *provider, guint64 ecid, UbDeviceMode target)
{
	UbSimProvider *self = UB_SIM_PROVIDER(provider);

	for (guint i = 0; i < self->devices->len && self->running; i++) {
		SimDevice *device = g_ptr_array_index(self->devices, i);
		UbDeviceMode result;
		gdouble leave_at;

		if (!device->has_buttons || (ecid != 0 && device->ecid != ecid))
			continue;
		result = device->buttons_result[buttons_index(target)];
		device->buttons_pending = TRUE;
		/* in Recovery the computer sends the reboot; otherwise the
		 * buttons make it drop off a little before it lands */
		leave_at = MAX(device->buttons_at - 3, 0.5);
		if (device->mode != UB_DEVICE_MODE_RECOVERY)
			schedule_scaled(
			    self, leave_at, 1.0, device->id, UB_DEVICE_MODE_DISCONNECTED);
		if (result != UB_DEVICE_MODE_DISCONNECTED)
			schedule_scaled(self, device->buttons_at, 1.0, device->id, result);
	}
}

static void
ub_sim_provider_iface_init(UbDeviceProviderInterface *iface)
{
	iface->buttons_started = ub_sim_provider_buttons_started;
	iface->start = ub_sim_provider_start;
	iface->stop = ub_sim_provider_stop;
	iface->exit_recovery_async = ub_sim_provider_exit_recovery_async;
	iface->exit_recovery_finish = ub_sim_provider_exit_recovery_finish;
	iface->enter_recovery_async = ub_sim_provider_enter_recovery_async;
	iface->enter_recovery_finish = ub_sim_provider_enter_recovery_finish;
}

static void
ub_sim_provider_dispose(GObject *object)
{
	UbSimProvider *self = UB_SIM_PROVIDER(object);

	cancel_timers(self);

	G_OBJECT_CLASS(ub_sim_provider_parent_class)->dispose(object);
}

static void
ub_sim_provider_finalize(GObject *object)
{
	UbSimProvider *self = UB_SIM_PROVIDER(object);

	g_free(self->title);
	g_ptr_array_unref(self->devices);
	g_ptr_array_unref(self->events);
	g_array_unref(self->timers);

	G_OBJECT_CLASS(ub_sim_provider_parent_class)->finalize(object);
}

static void
ub_sim_provider_class_init(UbSimProviderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_sim_provider_dispose;
	object_class->finalize = ub_sim_provider_finalize;
}

static void
ub_sim_provider_init(UbSimProvider *self)
{
	self->devices = g_ptr_array_new_with_free_func((GDestroyNotify)sim_device_free);
	self->events = g_ptr_array_new_with_free_func((GDestroyNotify)sim_event_free);
	self->timers = g_array_new(FALSE, FALSE, sizeof(guint));
	self->time_scale = 1.0;
}

UbSimProvider *
ub_sim_provider_new_from_bytes(GBytes *json, GError **error)
{
	g_autoptr(UbSimProvider) self = NULL;

	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(UB_TYPE_SIM_PROVIDER, NULL);
	if (!load_scenario(self, json, error))
		return NULL;
	return g_steal_pointer(&self);
}

UbSimProvider *
ub_sim_provider_new_from_file(const gchar *path, GError **error)
{
	g_autofree gchar *contents = NULL;
	gsize length = 0;
	g_autoptr(GBytes) bytes = NULL;
	UbSimProvider *self;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_file_get_contents(path, &contents, &length, error)) {
		g_prefix_error(error, "failed to read scenario: ");
		return NULL;
	}
	bytes = g_bytes_new_take(g_steal_pointer(&contents), length);
	self = ub_sim_provider_new_from_bytes(bytes, error);
	if (self == NULL)
		g_prefix_error(error, "%s: ", path);
	return self;
}

UbSimProvider *
ub_sim_provider_new_for_scenario(const gchar *scenario, GError **error)
{
	g_autofree gchar *resource = NULL;
	g_autoptr(GBytes) bytes = NULL;

	g_return_val_if_fail(scenario != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (strchr(scenario, '/') != NULL || g_str_has_suffix(scenario, ".json"))
		return ub_sim_provider_new_from_file(scenario, error);

	resource = g_strdup_printf("/io/github/unbrick/Unbrick/scenarios/%s.json", scenario);
	bytes = g_resources_lookup_data(resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	if (bytes == NULL) {
		g_set_error(error,
			    UB_ERROR,
			    UB_ERROR_NOT_FOUND,
			    "there is no scenario called \"%s\"",
			    scenario);
		return NULL;
	}
	return ub_sim_provider_new_from_bytes(bytes, error);
}

const gchar *
ub_sim_provider_get_title(UbSimProvider *self)
{
	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), NULL);
	return self->title;
}

guint
ub_sim_provider_get_n_devices(UbSimProvider *self)
{
	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), 0);
	return self->devices->len;
}

void
ub_sim_provider_set_time_scale(UbSimProvider *self, gdouble time_scale)
{
	g_return_if_fail(UB_IS_SIM_PROVIDER(self));
	g_return_if_fail(time_scale > 0);
	self->time_scale = time_scale;
}

static SimDevice *
find_by_ecid(UbSimProvider *self, guint64 ecid)
{
	for (guint i = 0; i < self->devices->len; i++) {
		SimDevice *device = g_ptr_array_index(self->devices, i);
		if (device->ecid == ecid)
			return device;
	}
	return NULL;
}

gboolean
ub_sim_provider_has_device(UbSimProvider *self, guint64 ecid)
{
	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), FALSE);
	return find_by_ecid(self, ecid) != NULL;
}

const gchar *
ub_sim_provider_get_restore_log(UbSimProvider *self, guint64 ecid)
{
	SimDevice *device;

	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), NULL);
	device = find_by_ecid(self, ecid);
	return device != NULL ? device->restore_log : NULL;
}

gboolean
ub_sim_provider_get_unplug_during_restore(UbSimProvider *self, guint64 ecid)
{
	SimDevice *device;

	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), FALSE);
	device = find_by_ecid(self, ecid);
	return device != NULL && device->unplug_during_restore;
}

gdouble
ub_sim_provider_get_time_scale(UbSimProvider *self)
{
	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), 1.0);
	return self->time_scale;
}

void
ub_sim_provider_move_device(UbSimProvider *self, guint64 ecid, UbDeviceMode mode, gdouble seconds)
{
	SimDevice *device;

	g_return_if_fail(UB_IS_SIM_PROVIDER(self));
	device = find_by_ecid(self, ecid);
	if (device == NULL || !self->running)
		return;
	if (mode == UB_DEVICE_MODE_DISCONNECTED) {
		set_device_mode(self, device, mode);
		return;
	}
	schedule(self, 0.2, device->id, UB_DEVICE_MODE_DISCONNECTED);
	schedule(self, 0.2 + seconds, device->id, mode);
}

gdouble
ub_sim_provider_get_restart_seconds(UbSimProvider *self, guint64 ecid)
{
	SimDevice *device;

	g_return_val_if_fail(UB_IS_SIM_PROVIDER(self), 0);
	device = find_by_ecid(self, ecid);
	return device != NULL ? device->restart_seconds : 0;
}
