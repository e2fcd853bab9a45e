/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ub-device-report.h"
#include "ub-types.h"

G_BEGIN_DECLS

#define UB_TYPE_DEVICE_PROVIDER (ub_device_provider_get_type())
G_DECLARE_INTERFACE(UbDeviceProvider, ub_device_provider, UB, DEVICE_PROVIDER, GObject)

/**
 * UbDeviceProviderInterface:
 * @start: begin watching; reports arrive through ub_device_provider_emit_seen()
 * @stop: stop watching; no report arrives after it returns
 * @exit_recovery_async: leave Recovery Mode (auto-boot true, saveenv, reboot)
 * @enter_recovery_async: ask iOS to restart into Recovery Mode
 * @buttons_started: optional; the user began a button sequence aiming the
 *   device (@ecid, 0 = whichever shows up) at @target. Real devices learn it
 *   from their buttons; a simulated one plays its scripted answer
 *
 * A source of devices. Library callbacks come on library threads; the
 * emit helpers below hand every event to the main context the provider was
 * started on, so signal handlers always run there.
 */
struct _UbDeviceProviderInterface {
	GTypeInterface parent_iface;

	gboolean (*start)(UbDeviceProvider *self, GError **error);
	void (*stop)(UbDeviceProvider *self);
	void (*exit_recovery_async)(UbDeviceProvider *self,
				    const gchar *source_id,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
	gboolean (*exit_recovery_finish)(UbDeviceProvider *self,
					 GAsyncResult *result,
					 GError **error);
	void (*enter_recovery_async)(UbDeviceProvider *self,
				     const gchar *source_id,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
	gboolean (*enter_recovery_finish)(UbDeviceProvider *self,
					  GAsyncResult *result,
					  GError **error);
	void (*buttons_started)(UbDeviceProvider *self, guint64 ecid, UbDeviceMode target);
};

gboolean
ub_device_provider_start(UbDeviceProvider *self, GError **error);
void
ub_device_provider_stop(UbDeviceProvider *self);
void
ub_device_provider_exit_recovery_async(UbDeviceProvider *self,
				       const gchar *source_id,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data);
gboolean
ub_device_provider_exit_recovery_finish(UbDeviceProvider *self,
					GAsyncResult *result,
					GError **error);
void
ub_device_provider_enter_recovery_async(UbDeviceProvider *self,
					const gchar *source_id,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
gboolean
ub_device_provider_enter_recovery_finish(UbDeviceProvider *self,
					 GAsyncResult *result,
					 GError **error);
void
ub_device_provider_buttons_started(UbDeviceProvider *self, guint64 ecid, UbDeviceMode target);

/* for implementations; safe to call from any thread */
void
ub_device_provider_emit_seen(UbDeviceProvider *self, UbDeviceReport *report);
void
ub_device_provider_emit_lost(UbDeviceProvider *self, const gchar *source_id);

G_END_DECLS
