/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ub-restore-types.h"
#include "ub-types.h"

G_BEGIN_DECLS

/**
 * UbEngineEventKind:
 * @UB_ENGINE_EVENT_ENGINE_VERSION: the version banner; @text is what follows
 *   "idevicerestore " ("1.0.0-226-gbb5591d (libirecovery …, libtatsu …)")
 * @UB_ENGINE_EVENT_DEVICE_MODE: "Found device in X mode"; @mode is set
 * @UB_ENGINE_EVENT_STAGE: a stage began; @stage is set
 * @UB_ENGINE_EVENT_PROGRESS: progress inside @stage, @fraction 0..1
 * @UB_ENGINE_EVENT_ERROR: an error line; @text without "ERROR: " or the
 *   timestamp, @cause what it points to (may be unknown)
 * @UB_ENGINE_EVENT_WARNING: a warning line; @text
 * @UB_ENGINE_EVENT_DEVICE_STATUS: a device "Status:" line that is not success;
 *   @text, @status_code (the device's status number when known, else -1),
 *   @cause
 * @UB_ENGINE_EVENT_RESTORE_FINISHED: "Status: Restore Finished"
 * @UB_ENGINE_EVENT_DONE: the engine's final "DONE"; not success on its own
 */
typedef enum {
	UB_ENGINE_EVENT_ENGINE_VERSION,
	UB_ENGINE_EVENT_DEVICE_MODE,
	UB_ENGINE_EVENT_STAGE,
	UB_ENGINE_EVENT_PROGRESS,
	UB_ENGINE_EVENT_ERROR,
	UB_ENGINE_EVENT_WARNING,
	UB_ENGINE_EVENT_DEVICE_STATUS,
	UB_ENGINE_EVENT_RESTORE_FINISHED,
	UB_ENGINE_EVENT_DONE,
} UbEngineEventKind;

/*
 * a PROGRESS event whose stage cannot be told from its line (an unlabelled
 * "[=====]  42.0%" bar): it belongs to whichever stage is current
 */
#define UB_RESTORE_STAGE_CURRENT ((UbRestoreStage)-1)

/* the longest @text an event carries, in bytes; longer text is cut */
#define UB_ENGINE_EVENT_TEXT_MAX 2000

/*
 * @stage: for STAGE and PROGRESS, maybe UB_RESTORE_STAGE_CURRENT for PROGRESS
 * @fraction: for PROGRESS, 0..1
 * @cause: for ERROR and DEVICE_STATUS
 * @status_code: for DEVICE_STATUS, else -1
 * @mode: for DEVICE_MODE
 * @text: for ENGINE_VERSION, ERROR, WARNING and DEVICE_STATUS; valid UTF-8
 *   of at most UB_ENGINE_EVENT_TEXT_MAX bytes; else NULL
 */
typedef struct {
	UbEngineEventKind kind;
	UbRestoreStage stage;
	gdouble fraction;
	UbFailureCause cause;
	gint64 status_code;
	UbDeviceMode mode;
	gchar *text;
} UbEngineEvent;

void
ub_engine_event_free(UbEngineEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbEngineEvent, ub_engine_event_free)

/*
 * one line of engine output (stdout or stderr, either engine generation) to
 * the events it carries, in order; @length may be -1 for a NUL-terminated
 * line; the line may hold "\r" redraws and any bytes at all; pure: no state,
 * no I/O; the result is never NULL (element-type UbEngineEvent)
 *
 * Of the bars redrawn on one line only the last one is an event. Bars and
 * -P lines labelled "Downloading", "Extracting" or "Verifying" are the
 * host's own file work (the IPSW download, its extraction, its checksum),
 * not restore progress, and give no event; "Uploading" is the boot files,
 * a component name ("Cryptex1,SystemOS") the system. Only the first 8 KiB
 * of a message are looked at.
 */
GPtrArray *
ub_engine_parse_line(const gchar *line, gssize length);

G_END_DECLS
