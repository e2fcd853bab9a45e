/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-cue-player"

#include "config.h"

#include "ub-cue-player.h"
#include "ub-guidance-enums.h"

#define N_CUES (UB_GUIDE_CUE_FAILURE + 1)

/* made by tools/make-sounds.py */
static const gchar *const cue_names[N_CUES] = {
    [UB_GUIDE_CUE_STEP] = "step",
    [UB_GUIDE_CUE_TICK] = "tick",
    [UB_GUIDE_CUE_SUCCESS] = "success",
    [UB_GUIDE_CUE_FAILURE] = "failure",
};

static const gchar *const cue_files[N_CUES] = {
    [UB_GUIDE_CUE_STEP] = "step.wav",
    [UB_GUIDE_CUE_TICK] = "tick.wav",
    [UB_GUIDE_CUE_SUCCESS] = "success.wav",
    [UB_GUIDE_CUE_FAILURE] = "failure.wav",
};

struct _UbCuePlayer {
	GObject parent_instance;

	GSettings *settings; /* nullable */
	/* made with the player, while sounds are on: loading the media backend
	 * can take a second the first time, which must not delay the first cue */
	GtkMediaStream *streams[N_CUES];
	guint n_played[N_CUES];
};

G_DEFINE_FINAL_TYPE(UbCuePlayer, ub_cue_player, G_TYPE_OBJECT)

enum { SIGNAL_PLAYED, N_SIGNALS };

static guint signals[N_SIGNALS];

static gboolean
sounds_enabled(UbCuePlayer *self)
{
	return self->settings == NULL || g_settings_get_boolean(self->settings, "sounds-enabled");
}

/* no GStreamer, no sound server, no sound card (a test under Xvfb): the
 * countdown works the same without sound, so this is no warning */
static void
stream_error_cb(GtkMediaStream *stream, GParamSpec *pspec, gpointer user_data)
{
	const GError *error = gtk_media_stream_get_error(stream);

	if (error != NULL)
		g_debug("cannot play a cue: %s", error->message);
}

static GtkMediaStream *
get_stream(UbCuePlayer *self, UbGuideCue cue)
{
	if (self->streams[cue] == NULL) {
		g_autofree gchar *path =
		    g_strdup_printf(RESOURCE_PATH "/sounds/%s", cue_files[cue]);

		self->streams[cue] = gtk_media_file_new_for_resource(path);
		g_signal_connect(
		    self->streams[cue], "notify::error", G_CALLBACK(stream_error_cb), NULL);
		stream_error_cb(self->streams[cue], NULL, NULL);
	}
	return self->streams[cue];
}

static void
prepare_streams(UbCuePlayer *self)
{
	for (guint i = 0; i < N_CUES; i++)
		(void)get_stream(self, (UbGuideCue)i);
}

static void
sounds_enabled_changed_cb(GSettings *settings, const gchar *key, UbCuePlayer *self)
{
	for (guint i = 0; i < N_CUES; i++) {
		if (self->streams[i] == NULL)
			continue;
		/* switched off mid-chime: silence now, not after it ends */
		gtk_media_stream_pause(self->streams[i]);
		/* a stream stays broken once it failed; switching sounds back on
		 * is the user's way to try again, say after plugging in a headset */
		if (gtk_media_stream_get_error(self->streams[i]) != NULL)
			g_clear_object(&self->streams[i]);
	}
	if (sounds_enabled(self))
		prepare_streams(self);
}

void
ub_cue_player_play(UbCuePlayer *self, UbGuideCue cue)
{
	GtkMediaStream *stream;
	const GError *error;

	g_return_if_fail(UB_IS_CUE_PLAYER(self));
	g_return_if_fail((guint)cue < N_CUES);

	if (!sounds_enabled(self))
		return;

	stream = get_stream(self, cue);
	error = gtk_media_stream_get_error(stream);
	if (error == NULL) {
		/* a tick still sounding when the next one is due starts over */
		gtk_media_stream_pause(stream);
		gtk_media_stream_seek(stream, 0);
		gtk_media_stream_play(stream);
	} else {
		g_debug("cue %s stays silent: %s", cue_files[cue], error->message);
	}

	self->n_played[cue]++;
	/* the UI tests read this to know the cue was sent to the speaker */
	g_debug("played the %s cue", cue_names[cue]);
	g_signal_emit(self, signals[SIGNAL_PLAYED], 0, cue);
}

guint
ub_cue_player_get_n_played(UbCuePlayer *self, UbGuideCue cue)
{
	g_return_val_if_fail(UB_IS_CUE_PLAYER(self), 0);
	g_return_val_if_fail((guint)cue < N_CUES, 0);

	return self->n_played[cue];
}

static void
ub_cue_player_dispose(GObject *object)
{
	UbCuePlayer *self = UB_CUE_PLAYER(object);

	for (guint i = 0; i < N_CUES; i++) {
		if (self->streams[i] != NULL)
			gtk_media_stream_pause(self->streams[i]);
		g_clear_object(&self->streams[i]);
	}
	g_clear_object(&self->settings);

	G_OBJECT_CLASS(ub_cue_player_parent_class)->dispose(object);
}

static void
ub_cue_player_class_init(UbCuePlayerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ub_cue_player_dispose;

	/* a cue was played, or would have been heard had there been a sound
	 * device; not emitted while sounds are off */
	signals[SIGNAL_PLAYED] = g_signal_new("played",
					      G_TYPE_FROM_CLASS(klass),
					      G_SIGNAL_RUN_LAST,
					      0,
					      NULL,
					      NULL,
					      NULL,
					      G_TYPE_NONE,
					      1,
					      UB_TYPE_GUIDE_CUE);
}

static void
ub_cue_player_init(UbCuePlayer *self)
{
}

UbCuePlayer *
ub_cue_player_new(GSettings *settings)
{
	UbCuePlayer *self;

	g_return_val_if_fail(settings == NULL || G_IS_SETTINGS(settings), NULL);

	self = g_object_new(UB_TYPE_CUE_PLAYER, NULL);
	if (settings != NULL) {
		self->settings = g_object_ref(settings);
		g_signal_connect_object(settings,
					"changed::sounds-enabled",
					G_CALLBACK(sounds_enabled_changed_cb),
					self,
					0);
		/* GSettings reports changes only of keys read since connecting */
		(void)g_settings_get_boolean(settings, "sounds-enabled");
	}
	if (sounds_enabled(self))
		prepare_streams(self);
	return self;
}
