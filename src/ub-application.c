/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ub-application.h"
#include "ub-context.h"
#include "ub-device-db.h"
#include "ub-explain-window.h"
#include "ub-idevice-provider.h"
#include "ub-irecv-provider.h"
#include "ub-preferences-window.h"
#include "ub-self-test.h"
#include "ub-sim-provider.h"
#include "ub-troubleshoot-window.h"
#include "ub-window.h"

struct _UbApplication {
	AdwApplication parent_instance;

	GSettings *settings;
	UbContext *context;
	/* the context's, borrowed, for brevity */
	UbDeviceMonitor *monitor;
	UbSimProvider *demo_provider;
	gchar *scenario;
};

static void
ub_application_inhibitor_iface_init(UbInhibitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(UbApplication,
			      ub_application,
			      ADW_TYPE_APPLICATION,
			      G_IMPLEMENT_INTERFACE(UB_TYPE_INHIBITOR,
						    ub_application_inhibitor_iface_init))

/* the session keeps the computer from suspending and the user from
 * logging out while a restore runs, naming the window that asks */
static guint
ub_application_inhibit(UbInhibitor *inhibitor, const gchar *reason)
{
	GtkApplication *application = GTK_APPLICATION(inhibitor);

	return gtk_application_inhibit(application,
				       gtk_application_get_active_window(application),
				       GTK_APPLICATION_INHIBIT_SUSPEND |
					   GTK_APPLICATION_INHIBIT_LOGOUT,
				       reason);
}

static void
ub_application_uninhibit(UbInhibitor *inhibitor, guint cookie)
{
	gtk_application_uninhibit(GTK_APPLICATION(inhibitor), cookie);
}

static void
ub_application_inhibitor_iface_init(UbInhibitorInterface *iface)
{
	iface->inhibit = ub_application_inhibit;
	iface->uninhibit = ub_application_uninhibit;
}

static const GOptionEntry option_entries[] = {
    {"simulate",
     0,
     G_OPTION_FLAG_NONE,
     G_OPTION_ARG_STRING,
     NULL,
     N_("Show only simulated devices from SCENARIO (a bundled name or a .json file)"),
     N_("SCENARIO")},
    {"version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL},
    /* for --help only: main() answers it before the application starts */
    {"explain-log",
     0,
     G_OPTION_FLAG_NONE,
     G_OPTION_ARG_FILENAME,
     NULL,
     N_("Explain an idevicerestore log as JSON and exit (\"-\" reads standard input)"),
     N_("FILE")},
    /* for --help only, as --explain-log */
    {"inspect-ipsw",
     0,
     G_OPTION_FLAG_NONE,
     G_OPTION_ARG_FILENAME,
     NULL,
     N_("Check an IPSW as \"Use an IPSW File…\" does, print what it holds as JSON, and exit"),
     N_("FILE")},
    /* for --help only, as --explain-log */
    {"probe-engine",
     0,
     G_OPTION_FLAG_NONE,
     G_OPTION_ARG_FILENAME,
     NULL,
     N_("Tell what an idevicerestore (by default the one in PATH) can restore, as JSON, and "
	"exit"),
     N_("PROGRAM")},
    {NULL},
};

/* tests and screenshots run scenarios faster than real time */
static gdouble
sim_time_scale(void)
{
	const gchar *text = ub_self_test_get(UB_SELF_TEST_SIM_TIME_SCALE);
	gdouble scale;

	if (text == NULL)
		return 1.0;
	scale = g_ascii_strtod(text, NULL);
	return scale > 0 ? scale : 1.0;
}

static UbWindow *
get_window(UbApplication *self)
{
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));

	if (window == NULL || !UB_IS_WINDOW(window))
		return NULL;
	return UB_WINDOW(window);
}

static UbDevice *
first_simulated_device(UbApplication *self)
{
	GListModel *model = G_LIST_MODEL(self->monitor);

	for (guint i = 0; i < g_list_model_get_n_items(model); i++) {
		g_autoptr(UbDevice) device = g_list_model_get_item(model, i);
		if (ub_device_get_simulated(device))
			return device;
	}
	return NULL;
}

static void
add_real_providers(UbApplication *self)
{
	g_autoptr(UbIrecvProvider) irecv = ub_irecv_provider_new();
	g_autoptr(UbIdeviceProvider) idevice = ub_idevice_provider_new();
	g_autoptr(GError) error = NULL;

	/* each provider is optional: without USB access Unbrick still runs and
	 * its connection checks say what is wrong */
	if (!ub_device_monitor_add_provider(self->monitor, UB_DEVICE_PROVIDER(irecv), &error)) {
		g_message("Recovery and DFU devices will not be seen: %s", error->message);
		g_clear_error(&error);
	}
	if (!ub_device_monitor_add_provider(self->monitor, UB_DEVICE_PROVIDER(idevice), &error))
		g_message("devices running iOS will not be seen: %s", error->message);
}

static gboolean
add_scenario(UbApplication *self, const gchar *scenario, UbSimProvider **out, GError **error)
{
	g_autoptr(UbSimProvider) provider = ub_sim_provider_new_for_scenario(scenario, error);

	if (provider == NULL)
		return FALSE;
	ub_sim_provider_set_time_scale(provider, sim_time_scale());
	if (!ub_device_monitor_add_provider(self->monitor, UB_DEVICE_PROVIDER(provider), error))
		return FALSE;
	if (out != NULL)
		*out = g_steal_pointer(&provider);
	return TRUE;
}

static void
demo_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	g_autoptr(GError) error = NULL;
	UbWindow *window = get_window(self);
	UbDevice *device;

	if (self->demo_provider == NULL &&
	    !add_scenario(self, "demo", &self->demo_provider, &error)) {
		g_warning("failed to start the demo: %s", error->message);
		return;
	}
	device = first_simulated_device(self);
	if (window != NULL && device != NULL)
		ub_window_show_device(window, device);
}

static void
all_stopped_cb(gpointer user_data)
{
	g_application_quit(G_APPLICATION(user_data));
}

static void
quit_response_cb(AdwMessageDialog *dialog, const gchar *response, gpointer user_data)
{
	UbApplication *self = user_data;

	if (g_strcmp0(response, "quit") == 0)
		ub_restore_service_cancel_all(ub_context_get_restore_service(self->context),
					      G_CALLBACK(all_stopped_cb),
					      self);
}

static void
quit_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));
	GtkWidget *dialog;

	if (self->context == NULL ||
	    ub_restore_service_get_n_running(ub_context_get_restore_service(self->context)) == 0 ||
	    window == NULL) {
		g_application_quit(G_APPLICATION(self));
		return;
	}
	/* quitting would stop a restore half-way: never without asking */
	dialog = adw_message_dialog_new(
	    window,
	    _("Stop the Restore and Quit?"),
	    _("A restore is still running. Stopping it part-way leaves the device unable to "
	      "start until a restore finishes. Unbrick can keep running without its window "
	      "instead: close the window and it tells you when the restore ends."));
	adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(dialog),
					 "cancel",
					 _("_Keep Restoring"),
					 "quit",
					 _("_Stop and Quit"),
					 NULL);
	adw_message_dialog_set_response_appearance(
	    ADW_MESSAGE_DIALOG(dialog), "quit", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(dialog), "cancel");
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(dialog), "cancel");
	g_signal_connect(dialog, "response", G_CALLBACK(quit_response_cb), self);
	gtk_window_present(GTK_WINDOW(dialog));
}

static void
explain_log_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	UbExplainWindow *window =
	    ub_explain_window_new(gtk_application_get_active_window(GTK_APPLICATION(self)));

	gtk_window_present(GTK_WINDOW(window));
}

/* one Troubleshooting window is enough: a second press brings it back */
static void
troubleshoot_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	UbTroubleshootWindow *window = NULL;

	for (GList *l = gtk_application_get_windows(GTK_APPLICATION(self)); l != NULL;
	     l = l->next) {
		if (UB_IS_TROUBLESHOOT_WINDOW(l->data)) {
			window = UB_TROUBLESHOOT_WINDOW(l->data);
			break;
		}
	}
	if (window == NULL)
		window = ub_troubleshoot_window_new(
		    gtk_application_get_active_window(GTK_APPLICATION(self)));
	gtk_window_present(GTK_WINDOW(window));
}

/* a notification's default action: bring the window back */
static void
activate_window_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	g_application_activate(G_APPLICATION(user_data));
}

static void
present_about(UbApplication *self, const gchar *engine)
{
	g_autoptr(GString) debug = g_string_new(NULL);
	GtkWidget *about;

	g_string_append_printf(debug, "Unbrick %s (%s)\n", PACKAGE_VERSION, APP_ID);
	g_string_append_printf(debug,
			       "GTK %u.%u.%u\n",
			       gtk_get_major_version(),
			       gtk_get_minor_version(),
			       gtk_get_micro_version());
	g_string_append_printf(debug,
			       "libadwaita %u.%u.%u\n",
			       adw_get_major_version(),
			       adw_get_minor_version(),
			       adw_get_micro_version());
	g_string_append_printf(
	    debug, "GLib %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
	g_string_append_printf(debug, "libirecovery %s\n", LIBIRECOVERY_VERSION);
	g_string_append_printf(debug, "libimobiledevice %s\n", LIBIMOBILEDEVICE_VERSION);
	g_string_append_printf(debug, "idevicerestore: %s\n", engine);

	about = g_object_new(ADW_TYPE_ABOUT_WINDOW,
			     "transient-for",
			     gtk_application_get_active_window(GTK_APPLICATION(self)),
			     "application-name",
			     _("Unbrick"),
			     "application-icon",
			     APP_ID,
			     "developer-name",
			     _("The Unbrick Authors"),
			     "version",
			     PACKAGE_VERSION,
			     "website",
			     "https://github.com/unbrick/unbrick",
			     "issue-url",
			     "https://github.com/unbrick/unbrick/issues",
			     "license-type",
			     GTK_LICENSE_GPL_3_0,
			     "copyright",
			     "© 2026 The Unbrick Authors",
			     "debug-info",
			     debug->str,
			     "debug-info-filename",
			     "unbrick-debug-info.txt",
			     NULL);
	gtk_window_present(GTK_WINDOW(about));
}

/* the engine as the restore service probed it, the same answer the
 * preflight and Preferences › Restore Tool use, so a bug report says which
 * one ran and what Unbrick made of it */
static gchar *
describe_engine(UbRestoreService *service)
{
	g_autofree gchar *name = ub_restore_service_dup_engine_path(service);
	/* the file that runs, not the bare name: a bug report must say which */
	g_autofree gchar *found = g_find_program_in_path(name);
	const gchar *path = found != NULL ? found : name;
	UbEngineInfo *info = ub_restore_service_get_engine_info(service);
	const GError *error = ub_restore_service_get_engine_error(service);
	const gchar *tatsu;

	if (info == NULL)
		return g_strdup_printf(
		    "%s (%s)", path, error != NULL ? error->message : "not probed yet");
	tatsu = ub_engine_info_get_libtatsu_version(info);
	return g_strdup_printf("%s, version %s (libirecovery %s%s%s), newest iOS %u",
			       path,
			       ub_engine_info_get_version(info),
			       ub_engine_info_get_libirecovery_version(info),
			       tatsu != NULL ? ", libtatsu " : "",
			       tatsu != NULL ? tatsu : "",
			       ub_engine_info_get_newest_ios(info));
}

static void
about_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	g_autofree gchar *engine = describe_engine(ub_context_get_restore_service(self->context));

	present_about(self, engine);
}

static void
preferences_action_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	UbApplication *self = user_data;
	UbPreferencesWindow *window =
	    ub_preferences_window_new(gtk_application_get_active_window(GTK_APPLICATION(self)),
				      ub_context_get_firmware_manager(self->context),
				      ub_context_get_restore_service(self->context));

	gtk_window_present(GTK_WINDOW(window));
}

static const GActionEntry app_actions[] = {
    {"demo", demo_action_cb},
    {"preferences", preferences_action_cb},
    {"about", about_action_cb},
    {"quit", quit_action_cb},
    {"activate-window", activate_window_action_cb},
    {"explain-log", explain_log_action_cb},
    {"troubleshoot", troubleshoot_action_cb},
};

static gint
ub_application_handle_local_options(GApplication *application, GVariantDict *options)
{
	UbApplication *self = UB_APPLICATION(application);

	if (g_variant_dict_contains(options, "version")) {
		g_print("unbrick %s\n", PACKAGE_VERSION);
		return 0;
	}
	g_variant_dict_lookup(options, "simulate", "s", &self->scenario);
	return -1;
}

static void
ub_application_startup(GApplication *application)
{
	UbApplication *self = UB_APPLICATION(application);
	const gchar *quit_accels[] = {"<Control>q", NULL};
	const gchar *demo_accels[] = {"<Control><Shift>d", NULL};
	const gchar *preferences_accels[] = {"<Control>comma", NULL};
	const gchar *explain_accels[] = {"<Control>o", NULL};
	const gchar *troubleshoot_accels[] = {"<Control>t", NULL};
	g_autoptr(GError) error = NULL;

	G_APPLICATION_CLASS(ub_application_parent_class)->startup(application);

	g_action_map_add_action_entries(
	    G_ACTION_MAP(self), app_actions, G_N_ELEMENTS(app_actions), self);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.quit", quit_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.demo", demo_accels);
	gtk_application_set_accels_for_action(
	    GTK_APPLICATION(self), "app.preferences", preferences_accels);
	gtk_application_set_accels_for_action(
	    GTK_APPLICATION(self), "app.explain-log", explain_accels);
	gtk_application_set_accels_for_action(
	    GTK_APPLICATION(self), "app.troubleshoot", troubleshoot_accels);

	self->settings = g_settings_new(APP_ID_BASE);
	self->context = ub_context_new(self->settings, application, UB_INHIBITOR(self));
	self->monitor = ub_context_get_monitor(self->context);

	if (self->scenario != NULL) {
		/* a scenario replaces the real providers: screenshots and tests
		 * must not pick up whatever is plugged into this machine */
		if (!add_scenario(self, self->scenario, NULL, &error))
			g_printerr("%s\n", error->message);
	} else {
		add_real_providers(self);
	}
}

static void
ub_application_activate(GApplication *application)
{
	UbApplication *self = UB_APPLICATION(application);
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));

	if (window == NULL)
		window = GTK_WINDOW(ub_window_new(ADW_APPLICATION(self), self->context));
	gtk_window_present(window);
}

static void
ub_application_shutdown(GApplication *application)
{
	UbApplication *self = UB_APPLICATION(application);

	g_clear_object(&self->demo_provider);
	self->monitor = NULL;
	g_clear_object(&self->context);

	G_APPLICATION_CLASS(ub_application_parent_class)->shutdown(application);
}

static void
ub_application_finalize(GObject *object)
{
	UbApplication *self = UB_APPLICATION(object);

	g_clear_object(&self->settings);
	g_free(self->scenario);

	G_OBJECT_CLASS(ub_application_parent_class)->finalize(object);
}

static void
ub_application_class_init(UbApplicationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GApplicationClass *application_class = G_APPLICATION_CLASS(klass);

	object_class->finalize = ub_application_finalize;
	application_class->handle_local_options = ub_application_handle_local_options;
	application_class->startup = ub_application_startup;
	application_class->activate = ub_application_activate;
	application_class->shutdown = ub_application_shutdown;
}

static void
ub_application_init(UbApplication *self)
{
	g_application_add_main_option_entries(G_APPLICATION(self), option_entries);
}

UbApplication *
ub_application_new(void)
{
	return g_object_new(UB_TYPE_APPLICATION,
			    "application-id",
			    APP_ID,
			    "flags",
			    G_APPLICATION_DEFAULT_FLAGS,
			    "resource-base-path",
			    RESOURCE_PATH,
			    NULL);
}
