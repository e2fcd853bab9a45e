/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-sim-engine"

#include "config.h"

#include "ub-engine-parser.h"
#include "ub-error.h"
#include "ub-sim-engine.h"

/* what the real engine prints when the cable goes mid-transfer (fixture 18) */
static const gchar *const unplugged_tail[] = {
    "Unable to send data to ASR. Sent 0 of 20 bytes.",
    "Unable to send payload to ASR",
    "Unable to send filesystem",
    "Could not read data (-256). Aborting.",
    "Unable to restore device",
};

/* lines of the restoring stage played before a scenario pulls the cable */
#define UNPLUG_AFTER_LINES 4

struct _UbSimEngine {
	GObject parent_instance;

	UbTimedLog *log;
	gdouble time_scale;
	UbSimProvider *provider; /* weak: owned by the device monitor */
	guint64 ecid;

	GTask *task;
	GCancellable *cancellable;
	gulong cancelled_id;
	guint timeout_id;
	guint next_line;
	gboolean erase;
	gint restoring_lines; /* -1 until the restoring stage began */
	gboolean reached_restore_mode;
	gboolean unplugged;
	guint tail_line;
};

static void
ub_sim_engine_iface_init(UbRestoreEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbSimEngine,
			      ub_sim_engine,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_RESTORE_ENGINE,
						    ub_sim_engine_iface_init))

static void
schedule_next(UbSimEngine *self, gdouble seconds);

static void
finish_run(UbSimEngine *self, gint exit_status, GError *error)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->task);

	/* the replay keeps the engine alive until the caller has its result */
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	if (self->cancelled_id != 0)
		g_cancellable_disconnect(self->cancellable, self->cancelled_id);
	self->cancelled_id = 0;
	g_clear_object(&self->cancellable);
	if (task == NULL)
		return;
	if (error != NULL)
		g_task_return_error(task, error);
	else
		g_task_return_int(task, exit_status);
}

/* the log is written for an update; an erase prints the erase variant */
static const gchar *
adapt_line(UbSimEngine *self, const gchar *text)
{
	if (!self->erase)
		return text;
	if (g_strcmp0(text, "Variant: Customer Upgrade Install (IPSW)") == 0)
		return "Variant: Customer Erase Install (IPSW)";
	if (g_strcmp0(text, "This restore will update the device without erasing user data.") == 0)
		return "This restore will erase all device data.";
	return text;
}

/* the device follows what the engine says it is doing */
static void
play_device(UbSimEngine *self, const gchar *text)
{
	g_autoptr(GPtrArray) events = NULL;

	if (self->provider == NULL)
		return;
	events = ub_engine_parse_line(text, -1);
	for (guint i = 0; i < events->len; i++) {
		UbEngineEvent *event = g_ptr_array_index(events, i);
		if (event->kind == UB_ENGINE_EVENT_STAGE &&
		    event->stage == UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE) {
			ub_sim_provider_move_device(
			    self->provider, self->ecid, UB_DEVICE_MODE_RESTORE, 2.0);
			self->reached_restore_mode = TRUE;
		}
		if (event->kind == UB_ENGINE_EVENT_STAGE &&
		    event->stage >= UB_RESTORE_STAGE_RESTORING_SYSTEM && self->restoring_lines < 0)
			self->restoring_lines = 0;
	}
	if (self->restoring_lines >= 0)
		self->restoring_lines++;
}

static gboolean
play_tail_cb(gpointer user_data)
{
	UbSimEngine *self = UB_SIM_ENGINE(user_data);

	self->timeout_id = 0;
	if (self->tail_line >= G_N_ELEMENTS(unplugged_tail)) {
		finish_run(self, 1, NULL);
		return G_SOURCE_REMOVE;
	}
	ub_restore_engine_emit_output_line(UB_RESTORE_ENGINE(self),
					   unplugged_tail[self->tail_line++]);
	self->timeout_id = g_timeout_add((guint)(300 * self->time_scale) + 1, play_tail_cb, self);
	return G_SOURCE_REMOVE;
}

static gboolean
play_line_cb(gpointer user_data)
{
	UbSimEngine *self = UB_SIM_ENGINE(user_data);
	const UbTimedLine *line;
	guint n_lines = ub_timed_log_get_n_lines(self->log);

	self->timeout_id = 0;
	if (self->next_line >= n_lines) {
		gint status = ub_timed_log_get_exit_status(self->log);
		/* a device whose restore failed in Restore Mode restarts into
		 * Recovery Mode (iBoot's restore screen), as real ones do; one
		 * that never got there stays where it was */
		if (self->provider != NULL && (status == 0 || self->reached_restore_mode))
			ub_sim_provider_move_device(
			    self->provider,
			    self->ecid,
			    status == 0 ? UB_DEVICE_MODE_NORMAL : UB_DEVICE_MODE_RECOVERY,
			    ub_sim_provider_get_restart_seconds(self->provider, self->ecid));
		finish_run(self, status, NULL);
		return G_SOURCE_REMOVE;
	}

	line = ub_timed_log_get_line(self->log, self->next_line++);
	ub_restore_engine_emit_output_line(UB_RESTORE_ENGINE(self), adapt_line(self, line->text));
	play_device(self, line->text);

	if (self->provider != NULL && !self->unplugged &&
	    ub_sim_provider_get_unplug_during_restore(self->provider, self->ecid) &&
	    self->restoring_lines >= UNPLUG_AFTER_LINES) {
		self->unplugged = TRUE;
		ub_sim_provider_move_device(
		    self->provider, self->ecid, UB_DEVICE_MODE_DISCONNECTED, 0);
		self->timeout_id =
		    g_timeout_add((guint)(1000 * self->time_scale) + 1, play_tail_cb, self);
		return G_SOURCE_REMOVE;
	}

	if (self->next_line < n_lines) {
		const UbTimedLine *next = ub_timed_log_get_line(self->log, self->next_line);
		schedule_next(self, MAX(next->at - line->at, 0));
	} else {
		schedule_next(self, 0.1);
	}
	return G_SOURCE_REMOVE;
}

static void
schedule_next(UbSimEngine *self, gdouble seconds)
{
	guint interval = (guint)(seconds * self->time_scale * 1000);

	self->timeout_id = g_timeout_add(interval, play_line_cb, self);
}

static gboolean
stop_cb(gpointer user_data)
{
	UbSimEngine *self = UB_SIM_ENGINE(user_data);

	/* timeout_id is the pending line, not this source: finish_run removes it */
	if (self->task == NULL)
		return G_SOURCE_REMOVE;
	ub_restore_engine_emit_output_line(UB_RESTORE_ENGINE(self), "Exiting...");
	/* stopped in Restore Mode, it falls back to Recovery Mode */
	if (self->provider != NULL && self->reached_restore_mode && !self->unplugged)
		ub_sim_provider_move_device(
		    self->provider,
		    self->ecid,
		    UB_DEVICE_MODE_RECOVERY,
		    ub_sim_provider_get_restart_seconds(self->provider, self->ecid));
	finish_run(
	    self,
	    -1,
	    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "the restore was stopped"));
	return G_SOURCE_REMOVE;
}

static void
cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	UbSimEngine *self = UB_SIM_ENGINE(user_data);
	GSource *source;

	/* may fire on another thread: stop the replay on its own context */
	source = g_idle_source_new();
	/* as urgent as the replay's own timeouts, which would starve an idle */
	g_source_set_priority(source, G_PRIORITY_DEFAULT);
	g_source_set_callback(source, stop_cb, g_object_ref(self), g_object_unref);
	g_source_attach(source, g_task_get_context(self->task));
	g_source_unref(source);
}

static void
ub_sim_engine_run_async(UbRestoreEngine *engine,
			const UbRestoreRequest *request,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data)
{
	UbSimEngine *self = UB_SIM_ENGINE(engine);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, ub_sim_engine_run_async);
	if (self->task != NULL) {
		g_task_return_new_error(
		    task, UB_ERROR, UB_ERROR_FAILED, "this engine is already running a restore");
		return;
	}
	self->task = g_steal_pointer(&task);
	self->next_line = 0;
	self->restoring_lines = -1;
	self->reached_restore_mode = FALSE;
	self->unplugged = FALSE;
	self->tail_line = 0;
	self->erase = request->kind == UB_RESTORE_KIND_ERASE;
	if (cancellable != NULL) {
		self->cancellable = g_object_ref(cancellable);
		self->cancelled_id =
		    g_cancellable_connect(cancellable, G_CALLBACK(cancelled_cb), self, NULL);
	}
	if (self->task != NULL && self->timeout_id == 0)
		schedule_next(self, 0);
}

static gboolean
ub_sim_engine_run_finish(UbRestoreEngine *engine,
			 GAsyncResult *result,
			 gint *exit_status,
			 GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gssize status;

	g_return_val_if_fail(g_task_is_valid(result, engine), FALSE);
	status = g_task_propagate_int(G_TASK(result), &error_local);
	if (error_local != NULL) {
		if (exit_status != NULL)
			*exit_status = -1;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (exit_status != NULL)
		*exit_status = (gint)status;
	return TRUE;
}

static void
ub_sim_engine_iface_init(UbRestoreEngineInterface *iface)
{
	iface->run_async = ub_sim_engine_run_async;
	iface->run_finish = ub_sim_engine_run_finish;
}

static void
ub_sim_engine_dispose(GObject *object)
{
	UbSimEngine *self = UB_SIM_ENGINE(object);

	g_clear_handle_id(&self->timeout_id, g_source_remove);
	if (self->provider != NULL)
		g_object_remove_weak_pointer(G_OBJECT(self->provider), (gpointer *)&self->provider);
	self->provider = NULL;
	G_OBJECT_CLASS(ub_sim_engine_parent_class)->dispose(object);
}

static void
ub_sim_engine_finalize(GObject *object)
{
	UbSimEngine *self = UB_SIM_ENGINE(object);

	g_clear_pointer(&self->log, ub_timed_log_free);
	G_OBJECT_CLASS(ub_sim_engine_parent_class)->finalize(object);
}

static void
ub_sim_engine_class_init(UbSimEngineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_sim_engine_dispose;
	object_class->finalize = ub_sim_engine_finalize;
}

static void
ub_sim_engine_init(UbSimEngine *self)
{
	self->time_scale = 1.0;
	self->restoring_lines = -1;
}

UbSimEngine *
ub_sim_engine_new(UbTimedLog *log, gdouble time_scale)
{
	UbSimEngine *self;

	g_return_val_if_fail(log != NULL, NULL);
	g_return_val_if_fail(time_scale >= 0, NULL);
	self = g_object_new(UB_TYPE_SIM_ENGINE, NULL);
	self->log = log;
	self->time_scale = time_scale;
	return self;
}

UbSimEngine *
ub_sim_engine_new_for_name(const gchar *name, gdouble time_scale, GError **error)
{
	g_autofree gchar *path = NULL;
	UbTimedLog *log;

	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	path = g_strdup_printf("/io/github/unbrick/Unbrick/restore-logs/%s.log", name);
	log = ub_timed_log_new_from_resource(path, error);
	if (log == NULL)
		return NULL;
	return ub_sim_engine_new(log, time_scale);
}

void
ub_sim_engine_set_device(UbSimEngine *self, UbSimProvider *provider, guint64 ecid)
{
	g_return_if_fail(UB_IS_SIM_ENGINE(self));
	g_return_if_fail(provider == NULL || UB_IS_SIM_PROVIDER(provider));

	if (self->provider != NULL)
		g_object_remove_weak_pointer(G_OBJECT(self->provider), (gpointer *)&self->provider);
	self->provider = provider;
	self->ecid = ecid;
	if (provider != NULL)
		g_object_add_weak_pointer(G_OBJECT(provider), (gpointer *)&self->provider);
}
