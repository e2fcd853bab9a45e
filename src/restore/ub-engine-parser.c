/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-engine-parser"

#include "config.h"

#include <string.h>

#include "ub-engine-parser.h"

/*
 * How a line becomes events:
 *
 *  1. ANSI colour escapes and NUL bytes go; the rest is made valid UTF-8
 *  2. the line is cut at "\r" into segments: a captured bar redraws itself
 *     many times on one line and only the last bar counts
 *  3. a bar's tail ("[===]  99.8%ERROR: ...") is text of its own
 *  4. text loses an upstream log-file prefix ("12:34:56.789   <Error> ") and
 *     an "ERROR: " or "WARNING: " prefix, then goes through the tables below;
 *     the first rule that matches wins
 *
 * Every step is linear in the length of the line: nothing backtracks.
 */

typedef enum {
	UB_ENGINE_LEVEL_NONE,
	UB_ENGINE_LEVEL_ERROR,
	UB_ENGINE_LEVEL_WARNING,
	/* upstream's Notice, Info, Verbose and Debug */
	UB_ENGINE_LEVEL_OTHER,
} UbEngineLevel;

/* what a progress label says about the stage */
typedef enum {
	UB_ENGINE_LABEL_UNKNOWN,
	/* host-side file work (download, extraction, checksum): not restore
	 * progress, so no event */
	UB_ENGINE_LABEL_IGNORED,
	UB_ENGINE_LABEL_STAGE,
} UbEngineLabel;

typedef struct {
	const gchar *needle;
	const gchar *also; /* a second text the line must hold, or NULL */
	UbFailureCause cause;
	gboolean bare; /* an error even without "ERROR: ": upstream's console
			* shows errors without a prefix */
} UbEngineCausePattern;

/* the order matters: a line that names two causes gets the first, so the
 * specific ones come before the generic USB link */
static const UbEngineCausePattern cause_patterns[] = {
    /* the host's own disk */
    {"No space left on device", NULL, UB_FAILURE_CAUSE_DISK_SPACE, FALSE},
    {"Not enough disk space", NULL, UB_FAILURE_CAUSE_DISK_SPACE, FALSE},
    {"Could not open", "for writing", UB_FAILURE_CAUSE_DISK_SPACE, FALSE},
    /* the USB node belongs to someone else */
    {"LIBUSB_ERROR_ACCESS", NULL, UB_FAILURE_CAUSE_USB_PERMISSION, TRUE},
    {"Permission denied", "usb", UB_FAILURE_CAUSE_USB_PERMISSION, FALSE},
    {"Unable to open device", "access", UB_FAILURE_CAUSE_USB_PERMISSION, FALSE},
    /* "Make sure that usbmuxd is running." and 1.0.0's "Please make sure…" */
    {"sure that usbmuxd is running", NULL, UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE, TRUE},
    {"Unable to connect to usbmuxd", NULL, UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE, TRUE},
    {"usbmuxd", "not running", UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE, FALSE},
    /* the engine is too old for this device or this iOS */
    {"This host version is unsupported", NULL, UB_FAILURE_CAUSE_ENGINE_OUTDATED, TRUE},
    {"update your host tools", NULL, UB_FAILURE_CAUSE_ENGINE_OUTDATED, TRUE},
    {"Unknown data request", NULL, UB_FAILURE_CAUSE_ENGINE_OUTDATED, TRUE},
    {"Unable to discover device type", NULL, UB_FAILURE_CAUSE_ENGINE_OUTDATED, TRUE},
    {"Unable to discover device model", NULL, UB_FAILURE_CAUSE_ENGINE_OUTDATED, TRUE},
    /* the device said what broke */
    {"Failed to recover FDR data", NULL, UB_FAILURE_CAUSE_FDR_FAILED, FALSE},
    {"AMFDR", NULL, UB_FAILURE_CAUSE_FDR_FAILED, FALSE},
    {"didn't accept BasebandData", NULL, UB_FAILURE_CAUSE_BASEBAND_FAILED, TRUE},
    {"Unable to send BasebandData", NULL, UB_FAILURE_CAUSE_BASEBAND_FAILED, TRUE},
    {"Baseband Update Failed", NULL, UB_FAILURE_CAUSE_BASEBAND_FAILED, FALSE},
    {"Could not find BBTicket", NULL, UB_FAILURE_CAUSE_BASEBAND_FAILED, TRUE},
    {"Disk Failure", NULL, UB_FAILURE_CAUSE_STORAGE_FAILED, FALSE},
    {"Failed to mount filesystems", NULL, UB_FAILURE_CAUSE_STORAGE_FAILED, FALSE},
    {"NAND", "fail", UB_FAILURE_CAUSE_STORAGE_FAILED, FALSE},
    {"NAND", "error", UB_FAILURE_CAUSE_STORAGE_FAILED, FALSE},
    {"most likely image personalization failed",
     NULL,
     UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED,
     TRUE},
    {"Unable to personalize", NULL, UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED, TRUE},
    {"Failed to load SEP", NULL, UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED, FALSE},
    /* Apple's signing server said no… */
    {"TSS request failed (status=94", NULL, UB_FAILURE_CAUSE_SIGNING_REFUSED, FALSE},
    {"TSS request failed (status=69", NULL, UB_FAILURE_CAUSE_SIGNING_REFUSED, FALSE},
    {"isn't eligible for the requested build", NULL, UB_FAILURE_CAUSE_SIGNING_REFUSED, FALSE},
    {"No firmwares are currently being signed", NULL, UB_FAILURE_CAUSE_SIGNING_REFUSED, TRUE},
    /* …or could not be asked; after a refusal the report keeps the refusal */
    {"Unable to send TSS request", NULL, UB_FAILURE_CAUSE_SIGNING_UNREACHABLE, TRUE},
    {"TSS request failed:", NULL, UB_FAILURE_CAUSE_SIGNING_UNREACHABLE, FALSE},
    {"Could not fetch list of signed firmwares", NULL, UB_FAILURE_CAUSE_SIGNING_UNREACHABLE, TRUE},
    {"Download from", "failed", UB_FAILURE_CAUSE_SIGNING_UNREACHABLE, TRUE},
    /* the IPSW */
    {"Firmware file might be corrupt", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"Firmware file", "cannot be opened", UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"cannot be opened", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, FALSE},
    {"Could not make sure this firmware is suitable",
     NULL,
     UB_FAILURE_CAUSE_FIRMWARE_INVALID,
     TRUE},
    {"Unable to find a matching build identity", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"Could not find all required components", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"Unable to extract filesystem", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"Checksum does not match", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, TRUE},
    {"checksum mismatch", NULL, UB_FAILURE_CAUSE_FIRMWARE_INVALID, FALSE},
    /* the USB link dropped or the device did not come back */
    {"Unable to upload data to device", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to send data to ASR", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to send payload to ASR", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to connect to ASR", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Device did not reconnect", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Device did not disconnect", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Device failed to enter restore mode", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Failed to place device in restore mode", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Could not read data", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to connect to device in", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to connect to DFU device", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to connect to recovery device", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to connect to restored", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Unable to discover device mode", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"Could not connect to device", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, TRUE},
    {"disconnected unexpectedly", NULL, UB_FAILURE_CAUSE_USB_CONNECTION, FALSE},
};

/* error-level messages that are routine: warnings, whatever their prefix */
static const gchar *const harmless_errors[] = {
    /* the FDR channel closing at the end of a restore (-2) */
    "Unable to receive message from FDR",
    "Unable to send filesystem payload chunk, retrying",
    "Unable to get nonce from device",
    "Unable to find BbSkeyId node",
    "Could not lock file",
    "Could not unlock file",
    "Could not generate temporary filename",
};

/* the starts of console lines that upstream logs as errors; its console
 * has no "ERROR: " prefix any more */
static const gchar *const bare_error_starts[] = {
    "Unable to ",
    "Could not ",
    "RESTORE FAILED",
};

typedef struct {
	const gchar *text;
	UbRestoreStage stage;
	gboolean anywhere; /* a substring, not the start of the line */
} UbEngineStageMarker;

static const UbEngineStageMarker stage_markers[] = {
    {"Extracting BuildManifest", UB_RESTORE_STAGE_PREPARING, FALSE},
    {"Entering recovery mode", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    {"Personalizing IMG4 component iBSS", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    {"Personalizing IMG4 component iBEC", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    {"Sending iBSS", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    {"Sending iBEC", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    /* RestoreRamDisk, RestoreDeviceTree, RestoreKernelCache, RestoreLogo,
     * RestoreSEP… before restore mode */
    {"Sending Restore", UB_RESTORE_STAGE_SENDING_BOOT_FILES, FALSE},
    {"Waiting for device to enter restore mode", UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE, FALSE},
    {"About to restore device", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Connected to com.apple.mobile.restored", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"has successfully entered restore mode", UB_RESTORE_STAGE_RESTORING_SYSTEM, TRUE},
    {"About to send filesystem", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Sending filesystem now", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Connected to ASR", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
};

typedef struct {
	const gchar *name;
	UbRestoreStage stage;
	gboolean prefix; /* any operation whose name starts so */
} UbEngineOperation;

/* restored's operations ("Restoring image (13)"), by name: restore protocols
 * before 14 shift the numbers; operations with no clear place in the
 * sequence (battery checks, the clock, accessory power) are left out */
static const UbEngineOperation operations[] = {
    {"Creating partition map", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Creating filesystem", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Restoring image", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Wiping storage device", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Waiting for NAND", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Creating Protected Volume", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Creating Recovery OS Volume", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Installing Recovery OS ", UB_RESTORE_STAGE_RESTORING_SYSTEM, TRUE},
    {"Migrating data", UB_RESTORE_STAGE_RESTORING_SYSTEM, FALSE},
    {"Resizing ", UB_RESTORE_STAGE_RESTORING_SYSTEM, TRUE},
    {"Verifying restore", UB_RESTORE_STAGE_VERIFYING, FALSE},
    {"Checking filesystems", UB_RESTORE_STAGE_VERIFYING, FALSE},
    {"Mounting filesystems", UB_RESTORE_STAGE_VERIFYING, FALSE},
    {"Flashing firmware", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Fixing up /var", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Installing kernelcache", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Installing root", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Installing DeviceTree", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Modifying persistent boot-args", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Clearing persistent boot-args", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Setting boot stage", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Loading firmware data to flash", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Requesting FUD data", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Requesting EAN Data", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Pairing Stockholm", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Submitting Provinfo", UB_RESTORE_STAGE_FLASHING_FIRMWARE, FALSE},
    {"Certifying ", UB_RESTORE_STAGE_FLASHING_FIRMWARE, TRUE},
    {"Updating baseband", UB_RESTORE_STAGE_BASEBAND, FALSE},
    {"Preparing for baseband update", UB_RESTORE_STAGE_BASEBAND, FALSE},
    {"Booting the baseband", UB_RESTORE_STAGE_BASEBAND, FALSE},
    {"Closing modem tickets", UB_RESTORE_STAGE_BASEBAND, FALSE},
    {"Updating gas gauge software", UB_RESTORE_STAGE_FINISHING, FALSE},
    /* SE Firmware, Savage, Rose, Veridian, NAND Firmware, Stockholm,
     * SWDHID, AppleTCON, IR MCU firmware; after the exact names above */
    {"Updating ", UB_RESTORE_STAGE_FLASHING_FIRMWARE, TRUE},
    {"Unmounting filesystems", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Creating system key bag", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Finalizing NAND epoch update", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Sealing System Volume", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Sending Apple logo", UB_RESTORE_STAGE_FINISHING, TRUE},
    {"Checking for uncollected logs", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Collecting updater output", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Clearing NVRAM", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Rebooting device", UB_RESTORE_STAGE_FINISHING, FALSE},
    {"Shutdown device", UB_RESTORE_STAGE_FINISHING, FALSE},
};

typedef struct {
	UbRestoreStage stage;
	gdouble offset;
	gdouble scale;
} UbEngineStep;

/* idevicerestore's steps 0..7 (DETECT, PREPARE, UPLOAD_FS, VERIFY_FS,
 * FLASH_FW, FLASH_BB, FUD, UPLOAD_IMG); DETECT and PREPARE share a stage */
static const UbEngineStep steps[] = {
    {UB_RESTORE_STAGE_PREPARING, 0.0, 0.3},
    {UB_RESTORE_STAGE_PREPARING, 0.3, 0.7},
    {UB_RESTORE_STAGE_RESTORING_SYSTEM, 0.0, 1.0},
    {UB_RESTORE_STAGE_VERIFYING, 0.0, 1.0},
    {UB_RESTORE_STAGE_FLASHING_FIRMWARE, 0.0, 1.0},
    {UB_RESTORE_STAGE_BASEBAND, 0.0, 1.0},
    {UB_RESTORE_STAGE_FLASHING_FIRMWARE, 0.0, 1.0},
    {UB_RESTORE_STAGE_RESTORING_SYSTEM, 0.0, 1.0},
};

typedef struct {
	const gchar *text; /* after "Status: ", without the final "." */
	gint64 code;
	UbFailureCause cause;
} UbEngineDeviceStatus;

/* restore.c's restore_handle_status_msg(); a Verification Error is left
 * to the report, which knows whether the baseband was being updated */
static const UbEngineDeviceStatus device_statuses[] = {
    {"Verification Error", -1, UB_FAILURE_CAUSE_UNKNOWN},
    {"Disk Failure", 6, UB_FAILURE_CAUSE_STORAGE_FAILED},
    {"Fail", 14, UB_FAILURE_CAUSE_UNKNOWN},
    {"Failed to mount filesystems", 27, UB_FAILURE_CAUSE_STORAGE_FAILED},
    {"Failed to load SEP Firmware", 50, UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED},
    {"Failed to recover FDR data", 53, UB_FAILURE_CAUSE_FDR_FAILED},
    {"X-Gold Baseband Update Failed", 1015, UB_FAILURE_CAUSE_BASEBAND_FAILED},
};

typedef struct {
	const gchar *name;
	UbDeviceMode mode;
} UbEngineDeviceMode;

static const UbEngineDeviceMode device_modes[] = {
    {"DFU", UB_DEVICE_MODE_DFU},
    {"Recovery", UB_DEVICE_MODE_RECOVERY},
    {"Restore", UB_DEVICE_MODE_RESTORE},
    {"Normal", UB_DEVICE_MODE_NORMAL},
    /* the boot ROM's modes: to the user, DFU */
    {"WTF", UB_DEVICE_MODE_DFU},
    {"Port DFU", UB_DEVICE_MODE_DFU},
};

/* how much of a message the rules look at */
#define UB_ENGINE_SCAN_MAX (8 * 1024)

/* the longest progress label that is still a label */
#define UB_ENGINE_LABEL_MAX 64

void
ub_engine_event_free(UbEngineEvent *event)
{
	if (event == NULL)
		return;
	g_free(event->text);
	g_free(event);
}

static UbEngineEvent *
ub_engine_event_new(UbEngineEventKind kind)
{
	UbEngineEvent *event = g_new0(UbEngineEvent, 1);

	event->kind = kind;
	event->stage = UB_RESTORE_STAGE_PREPARING;
	event->cause = UB_FAILURE_CAUSE_UNKNOWN;
	event->status_code = -1;
	event->mode = UB_DEVICE_MODE_DISCONNECTED;
	return event;
}

/* @text is valid UTF-8; trimmed and cut at a character boundary */
static gchar *
ub_engine_text_dup(const gchar *text)
{
	gsize len;

	while (g_ascii_isspace(*text))
		text++;
	len = strlen(text);
	while (len > 0 && g_ascii_isspace(text[len - 1]))
		len--;
	if (len > UB_ENGINE_EVENT_TEXT_MAX) {
		len = UB_ENGINE_EVENT_TEXT_MAX;
		while (len > 0 && ((guchar)text[len] & 0xc0) == 0x80)
			len--;
	}
	return g_strndup(text, len);
}

static void
ub_engine_add_text_event(GPtrArray *events,
			 UbEngineEventKind kind,
			 const gchar *text,
			 UbFailureCause cause)
{
	UbEngineEvent *event = ub_engine_event_new(kind);

	event->text = ub_engine_text_dup(text);
	event->cause = cause;
	g_ptr_array_add(events, event);
}

static void
ub_engine_add_stage_event(GPtrArray *events, UbRestoreStage stage)
{
	UbEngineEvent *event = ub_engine_event_new(UB_ENGINE_EVENT_STAGE);

	event->stage = stage;
	g_ptr_array_add(events, event);
}

static UbEngineEvent *
ub_engine_progress_event_new(UbRestoreStage stage, gdouble fraction)
{
	UbEngineEvent *event = ub_engine_event_new(UB_ENGINE_EVENT_PROGRESS);

	event->stage = stage;
	event->fraction = CLAMP(fraction, 0.0, 1.0);
	return event;
}

/* without ANSI escapes and NUL bytes, as valid UTF-8 */
static gchar *
ub_engine_clean_line(const gchar *line, gsize length)
{
	g_autoptr(GString) clean = g_string_sized_new(length);

	for (gsize i = 0; i < length; i++) {
		guchar c = (guchar)line[i];
		gsize run = i;

		/* plain bytes go in one piece */
		while (run < length && line[run] != 0x1b && line[run] != '\0')
			run++;
		if (run > i) {
			g_string_append_len(clean, line + i, (gssize)(run - i));
			i = run - 1;
			continue;
		}
		/* a NUL is dropped */
		if (c != 0x1b)
			continue;
		/* CSI: ESC [ parameters intermediates final; else ESC and one byte */
		run = i + 1;
		if (run < length && line[run] == '[') {
			run++;
			while (run < length && (guchar)line[run] >= 0x20 &&
			       (guchar)line[run] <= 0x3f)
				run++;
			if (run < length && (guchar)line[run] >= 0x40 && (guchar)line[run] <= 0x7e)
				run++;
		} else if (run < length) {
			run++;
		}
		i = run - 1;
	}
	return g_utf8_make_valid(clean->str, (gssize)clean->len);
}

static gboolean
ub_engine_has_prefix(const gchar *text, const gchar *prefix)
{
	return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* "[0-9]+(.[0-9]+)?" and nothing else, at most @max_len characters */
static gboolean
ub_engine_parse_decimal(const gchar *text, gsize len, gsize max_len, gdouble *value)
{
	gchar buf[32];
	gboolean seen_dot = FALSE;

	if (len == 0 || len > max_len || len >= sizeof(buf))
		return FALSE;
	if (!g_ascii_isdigit(text[0]) || !g_ascii_isdigit(text[len - 1]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (text[i] == '.' && !seen_dot) {
			seen_dot = TRUE;
			continue;
		}
		if (!g_ascii_isdigit(text[i]))
			return FALSE;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	*value = g_ascii_strtod(buf, NULL);
	return TRUE;
}

/* "Uploading" (DFU and recovery uploads) belongs to the boot files, a
 * component ("Cryptex1,SystemOS") to the system; downloads, extraction and
 * checksums are the host's own work before the restore */
static UbEngineLabel
ub_engine_label_stage(const gchar *label, gsize len, UbRestoreStage *stage)
{
	static const gchar *const host_labels[] = {"Downloading", "Extracting", "Verifying"};
	gboolean has_comma = FALSE;

	if (len == strlen("Uploading") && strncmp(label, "Uploading", len) == 0) {
		*stage = UB_RESTORE_STAGE_SENDING_BOOT_FILES;
		return UB_ENGINE_LABEL_STAGE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(host_labels); i++) {
		if (len == strlen(host_labels[i]) && strncmp(label, host_labels[i], len) == 0)
			return UB_ENGINE_LABEL_IGNORED;
	}
	if (len == 0 || len > UB_ENGINE_LABEL_MAX)
		return UB_ENGINE_LABEL_UNKNOWN;
	for (gsize i = 0; i < len; i++) {
		if (label[i] == ',')
			has_comma = TRUE;
		else if (!g_ascii_isalnum(label[i]))
			return UB_ENGINE_LABEL_UNKNOWN;
	}
	if (!has_comma)
		return UB_ENGINE_LABEL_UNKNOWN;
	*stage = UB_RESTORE_STAGE_RESTORING_SYSTEM;
	return UB_ENGINE_LABEL_STAGE;
}

/*
 * "[=====     ]  42.0%" or "Label [====]  42.0% " with what follows the
 * "%" at @tail_offset; @progress is NULL for a bar that is not restore
 * progress
 */
static gboolean
ub_engine_match_bar(const gchar *segment, UbEngineEvent **progress, gsize *tail_offset)
{
	const gchar *start = segment;
	const gchar *open;
	const gchar *p;
	const gchar *number;
	gsize label_len;
	gsize cells = 0;
	gdouble percent = 0;
	UbRestoreStage stage = UB_RESTORE_STAGE_CURRENT;

	while (*start == ' ')
		start++;
	open = memchr(start, '[', strnlen(start, UB_ENGINE_LABEL_MAX + 2));
	if (open == NULL)
		return FALSE;
	label_len = (gsize)(open - start);
	if (label_len > 0 && start[label_len - 1] != ' ')
		return FALSE;

	/* 50 cells in both engines; a little slack for forks */
	for (p = open + 1; (*p == '=' || *p == ' ') && cells <= 100; p++)
		cells++;
	if (*p != ']' || cells < 10 || cells > 100)
		return FALSE;
	p++;
	if (*p != ' ')
		return FALSE;
	while (*p == ' ')
		p++;
	number = p;
	while (g_ascii_isdigit(*p) || *p == '.')
		p++;
	if (*p != '%' || !ub_engine_parse_decimal(number, (gsize)(p - number), 8, &percent))
		return FALSE;
	*tail_offset = (gsize)(p + 1 - segment);

	while (label_len > 0 && start[label_len - 1] == ' ')
		label_len--;
	if (label_len > 0 &&
	    ub_engine_label_stage(start, label_len, &stage) == UB_ENGINE_LABEL_IGNORED) {
		*progress = NULL;
		return TRUE;
	}
	*progress = ub_engine_progress_event_new(stage, percent / 100.0);
	return TRUE;
}

/* upstream's log file: "HH:MM:SS.mmm <Label> message" */
static gchar *
ub_engine_strip_log_prefix(gchar *text, UbEngineLevel *level)
{
	static const struct {
		const gchar *label;
		UbEngineLevel level;
	} labels[] = {
	    {"<Error>", UB_ENGINE_LEVEL_ERROR},
	    {"<Warning>", UB_ENGINE_LEVEL_WARNING},
	    {"<Notice>", UB_ENGINE_LEVEL_OTHER},
	    {"<Info>", UB_ENGINE_LEVEL_OTHER},
	    {"<Verbose>", UB_ENGINE_LEVEL_OTHER},
	    {"<Debug>", UB_ENGINE_LEVEL_OTHER},
	};
	static const gchar shape[] = "00:00:00.000";
	gchar *p;

	for (guint i = 0; i < strlen(shape); i++) {
		if (shape[i] == '0' ? !g_ascii_isdigit(text[i]) : text[i] != shape[i])
			return text;
	}
	p = text + strlen(shape);
	if (*p != ' ')
		return text;
	while (*p == ' ')
		p++;
	for (guint i = 0; i < G_N_ELEMENTS(labels); i++) {
		if (ub_engine_has_prefix(p, labels[i].label)) {
			*level = labels[i].level;
			return p + strlen(labels[i].label);
		}
	}
	return text;
}

static UbFailureCause
ub_engine_match_cause(const gchar *text, gboolean bare_only, gboolean *matched)
{
	for (guint i = 0; i < G_N_ELEMENTS(cause_patterns); i++) {
		const UbEngineCausePattern *pattern = &cause_patterns[i];

		if (bare_only && !pattern->bare)
			continue;
		if (strstr(text, pattern->needle) == NULL)
			continue;
		if (pattern->also != NULL && strstr(text, pattern->also) == NULL)
			continue;
		if (matched != NULL)
			*matched = TRUE;
		return pattern->cause;
	}
	return UB_FAILURE_CAUSE_UNKNOWN;
}

static void
ub_engine_add_error(GPtrArray *events, const gchar *text)
{
	ub_engine_add_text_event(
	    events, UB_ENGINE_EVENT_ERROR, text, ub_engine_match_cause(text, FALSE, NULL));
}

/* "idevicerestore 1.0.0" or "idevicerestore 1.0.0-226-gbb5591d (libirecovery
 * …, libtatsu …)": not the usage text nor a command line */
static gboolean
ub_engine_parse_banner(GPtrArray *events, const gchar *text)
{
	const gchar *version;
	const gchar *p;

	if (!ub_engine_has_prefix(text, "idevicerestore "))
		return FALSE;
	version = text + strlen("idevicerestore ");
	if (!g_ascii_isdigit(*version))
		return FALSE;
	for (p = version; *p != '\0' && *p != ' '; p++) {
		if (!g_ascii_isalnum(*p) && strchr(".-+~_", *p) == NULL)
			return FALSE;
	}
	if (*p == ' ' && (p[1] != '(' || !g_str_has_suffix(p, ")")))
		return FALSE;
	ub_engine_add_text_event(
	    events, UB_ENGINE_EVENT_ENGINE_VERSION, version, UB_FAILURE_CAUSE_UNKNOWN);
	return TRUE;
}

static gboolean
ub_engine_parse_device_mode(GPtrArray *events, const gchar *text)
{
	const gchar *name;
	gsize name_len;
	UbEngineEvent *event;

	if (!ub_engine_has_prefix(text, "Found device in ") || !g_str_has_suffix(text, " mode"))
		return FALSE;
	name = text + strlen("Found device in ");
	if (strlen(name) < strlen(" mode"))
		return FALSE;
	name_len = strlen(name) - strlen(" mode");
	for (guint i = 0; i < G_N_ELEMENTS(device_modes); i++) {
		if (name_len != strlen(device_modes[i].name) ||
		    strncmp(name, device_modes[i].name, name_len) != 0)
			continue;
		event = ub_engine_event_new(UB_ENGINE_EVENT_DEVICE_MODE);
		event->mode = device_modes[i].mode;
		g_ptr_array_add(events, event);
		return TRUE;
	}
	return FALSE;
}

/* -P: "progress: 2 0.430000" */
static gboolean
ub_engine_parse_step(GPtrArray *events, const gchar *text)
{
	const gchar *p;
	guint step;
	gdouble fraction = 0;
	const UbEngineStep *info;

	if (!ub_engine_has_prefix(text, "progress: "))
		return FALSE;
	p = text + strlen("progress: ");
	if (!g_ascii_isdigit(p[0]) || p[1] != ' ')
		return FALSE;
	step = (guint)(p[0] - '0');
	p += 2;
	if (!ub_engine_parse_decimal(p, strlen(p), 16, &fraction))
		return FALSE;
	/* a step this engine does not know: consumed, but no stage to show */
	if (step >= G_N_ELEMENTS(steps))
		return TRUE;
	info = &steps[step];
	g_ptr_array_add(events,
			ub_engine_progress_event_new(
			    info->stage, info->offset + info->scale * CLAMP(fraction, 0.0, 1.0)));
	return TRUE;
}

/* upstream -P: "Uploading:   0.4", "Cryptex1,SystemOS:   0.9" */
static gboolean
ub_engine_parse_labelled(GPtrArray *events, const gchar *text)
{
	const gchar *colon = strchr(text, ':');
	const gchar *value;
	gdouble fraction = 0;
	UbRestoreStage stage = UB_RESTORE_STAGE_CURRENT;
	UbEngineLabel label;

	if (colon == NULL || colon[1] != ' ')
		return FALSE;
	label = ub_engine_label_stage(text, (gsize)(colon - text), &stage);
	if (label == UB_ENGINE_LABEL_UNKNOWN)
		return FALSE;
	value = colon + 1;
	while (*value == ' ')
		value++;
	if (!ub_engine_parse_decimal(value, strlen(value), 8, &fraction) || fraction > 1.0)
		return FALSE;
	if (label == UB_ENGINE_LABEL_STAGE)
		g_ptr_array_add(events, ub_engine_progress_event_new(stage, fraction));
	return TRUE;
}

static gboolean
ub_engine_parse_status(GPtrArray *events, const gchar *text)
{
	const gchar *status;
	UbEngineEvent *event;

	if (!ub_engine_has_prefix(text, "Status: "))
		return FALSE;
	status = text + strlen("Status: ");
	if (ub_engine_has_prefix(status, "Restore Finished")) {
		g_ptr_array_add(events, ub_engine_event_new(UB_ENGINE_EVENT_RESTORE_FINISHED));
		return TRUE;
	}
	event = ub_engine_event_new(UB_ENGINE_EVENT_DEVICE_STATUS);
	event->text = ub_engine_text_dup(text);
	event->cause = ub_engine_match_cause(status, FALSE, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(device_statuses); i++) {
		gsize len = strlen(device_statuses[i].text);

		if (strncmp(status, device_statuses[i].text, len) != 0)
			continue;
		/* "Fail" is not "Failed to …" */
		if (status[len] != '\0' && status[len] != '.' && status[len] != ' ')
			continue;
		event->status_code = device_statuses[i].code;
		event->cause = device_statuses[i].cause;
		break;
	}
	g_ptr_array_add(events, event);
	return TRUE;
}

/* "Unhandled status message (10)" */
static gboolean
ub_engine_parse_unhandled_status(GPtrArray *events, const gchar *text)
{
	const gchar *number;
	const gchar *p;
	guint64 code;
	UbEngineEvent *event;

	if (!ub_engine_has_prefix(text, "Unhandled status message ("))
		return FALSE;
	number = text + strlen("Unhandled status message (");
	for (p = number; g_ascii_isdigit(*p); p++)
		;
	if (p == number || p - number > 20 || *p != ')')
		return FALSE;
	code = g_ascii_strtoull(number, NULL, 10);
	event = ub_engine_event_new(UB_ENGINE_EVENT_DEVICE_STATUS);
	event->text = ub_engine_text_dup(text);
	event->status_code = code <= G_MAXINT64 ? (gint64)code : -1;
	g_ptr_array_add(events, event);
	return TRUE;
}

/* "Checkpoint FAILURE id: 0x6C2 result=0: [0]D(This host version is
 * unsupported. …)": the message is the last "D(…)" when there is one */
static gboolean
ub_engine_parse_checkpoint(GPtrArray *events, gchar *text)
{
	gchar *message;
	gchar *result;
	gchar *detail;

	if (ub_engine_has_prefix(text, "Checkpoint WARNING")) {
		ub_engine_add_text_event(
		    events, UB_ENGINE_EVENT_WARNING, text, UB_FAILURE_CAUSE_UNKNOWN);
		return TRUE;
	}
	if (!ub_engine_has_prefix(text, "Checkpoint FAILURE"))
		return FALSE;
	result = strstr(text, "result=");
	message = result != NULL ? strstr(result, ": ") : g_strrstr(text, ": ");
	message = message != NULL ? message + 2 : text;
	detail = g_strrstr(message, "D(");
	if (detail != NULL && detail[2] != '\0') {
		gsize len;

		message = detail + 2;
		len = strlen(message);
		if (len > 0 && message[len - 1] == ')')
			message[len - 1] = '\0';
	}
	if (*message == '\0')
		message = text;
	ub_engine_add_error(events, message);
	return TRUE;
}

static gboolean
ub_engine_parse_stage_marker(GPtrArray *events, const gchar *text)
{
	for (guint i = 0; i < G_N_ELEMENTS(stage_markers); i++) {
		const UbEngineStageMarker *marker = &stage_markers[i];

		if (marker->anywhere ? strstr(text, marker->text) == NULL
				     : !ub_engine_has_prefix(text, marker->text))
			continue;
		ub_engine_add_stage_event(events, marker->stage);
		return TRUE;
	}
	return FALSE;
}

/* "<name> (<n>)" */
static gboolean
ub_engine_parse_operation(GPtrArray *events, const gchar *text)
{
	gsize len = strlen(text);
	gsize digits = 0;
	gsize name_len;

	if (len < 5 || text[len - 1] != ')')
		return FALSE;
	while (digits < 6 && digits + 2 < len && g_ascii_isdigit(text[len - 2 - digits]))
		digits++;
	if (digits == 0 || digits + 3 > len)
		return FALSE;
	if (text[len - 2 - digits] != '(' || text[len - 3 - digits] != ' ')
		return FALSE;
	name_len = len - 3 - digits;
	for (guint i = 0; i < G_N_ELEMENTS(operations); i++) {
		const UbEngineOperation *operation = &operations[i];
		gsize op_len = strlen(operation->name);

		if (operation->prefix ? name_len <= op_len : name_len != op_len)
			continue;
		if (strncmp(text, operation->name, op_len) != 0)
			continue;
		ub_engine_add_stage_event(events, operation->stage);
		return TRUE;
	}
	return FALSE;
}

static gboolean
ub_engine_is_harmless(const gchar *text)
{
	for (guint i = 0; i < G_N_ELEMENTS(harmless_errors); i++) {
		if (ub_engine_has_prefix(text, harmless_errors[i]))
			return TRUE;
	}
	return FALSE;
}

static gboolean
ub_engine_is_bare_error(const gchar *text)
{
	gboolean matched = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(bare_error_starts); i++) {
		if (ub_engine_has_prefix(text, bare_error_starts[i]))
			return TRUE;
	}
	ub_engine_match_cause(text, TRUE, &matched);
	return matched;
}

/* one message without prefixes; trailing space already gone */
static void
ub_engine_parse_message(GPtrArray *events, gchar *text, UbEngineLevel level)
{
	if (*text == '\0')
		return;
	if (level != UB_ENGINE_LEVEL_WARNING && ub_engine_is_harmless(text)) {
		ub_engine_add_text_event(
		    events, UB_ENGINE_EVENT_WARNING, text, UB_FAILURE_CAUSE_UNKNOWN);
		return;
	}
	if (level == UB_ENGINE_LEVEL_ERROR) {
		ub_engine_add_error(events, text);
		return;
	}
	if (level == UB_ENGINE_LEVEL_WARNING) {
		ub_engine_add_text_event(
		    events, UB_ENGINE_EVENT_WARNING, text, UB_FAILURE_CAUSE_UNKNOWN);
		return;
	}
	if (ub_engine_parse_banner(events, text))
		return;
	if (ub_engine_parse_device_mode(events, text))
		return;
	if (ub_engine_parse_step(events, text))
		return;
	if (ub_engine_parse_labelled(events, text))
		return;
	if (ub_engine_parse_status(events, text))
		return;
	if (ub_engine_parse_unhandled_status(events, text))
		return;
	if (g_strcmp0(text, "DONE") == 0) {
		g_ptr_array_add(events, ub_engine_event_new(UB_ENGINE_EVENT_DONE));
		return;
	}
	if (ub_engine_parse_checkpoint(events, text))
		return;
	if (ub_engine_parse_operation(events, text))
		return;
	if (ub_engine_parse_stage_marker(events, text))
		return;
	if (ub_engine_is_bare_error(text))
		ub_engine_add_error(events, text);
}

static gchar *
ub_engine_skip_prefix(gchar *text, const gchar *prefix)
{
	text += strlen(prefix);
	while (*text == ' ')
		text++;
	return text;
}

/* one "\r"-delimited piece of a line that is not a bar */
static void
ub_engine_parse_text(GPtrArray *events, gchar *text)
{
	UbEngineLevel level = UB_ENGINE_LEVEL_NONE;
	gsize len;
	gchar *mark;

	while (g_ascii_isspace(*text))
		text++;
	len = strlen(text);
	/* a message starts its line: what lies further out is noise (device
	 * dumps, binary junk), and not scanning it keeps huge lines cheap */
	if (len > UB_ENGINE_SCAN_MAX) {
		len = UB_ENGINE_SCAN_MAX;
		while (len > 0 && ((guchar)text[len] & 0xc0) == 0x80)
			len--;
		text[len] = '\0';
	}
	while (len > 0 && g_ascii_isspace(text[len - 1]))
		text[--len] = '\0';
	if (len == 0)
		return;

	text = ub_engine_strip_log_prefix(text, &level);
	while (*text == ' ')
		text++;
	if (ub_engine_has_prefix(text, "ERROR:")) {
		text = ub_engine_skip_prefix(text, "ERROR:");
		level = UB_ENGINE_LEVEL_ERROR;
	} else if (ub_engine_has_prefix(text, "WARNING:")) {
		text = ub_engine_skip_prefix(text, "WARNING:");
		level = UB_ENGINE_LEVEL_WARNING;
	} else if (level != UB_ENGINE_LEVEL_ERROR && level != UB_ENGINE_LEVEL_WARNING &&
		   (mark = strstr(text, "ERROR: ")) != NULL) {
		/* "Sending TSS request attempt 1... ERROR: Unable to …" and
		 * "_irecv_handle_device_add: ERROR: can't connect …": the
		 * head is a line of its own */
		*mark = '\0';
		ub_engine_parse_text(events, text);
		text = ub_engine_skip_prefix(mark, "ERROR:");
		level = UB_ENGINE_LEVEL_ERROR;
	}
	ub_engine_parse_message(events, text, level);
}

GPtrArray *
ub_engine_parse_line(const gchar *line, gssize length)
{
	g_autoptr(GPtrArray) events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)ub_engine_event_free);
	g_autofree gchar *clean = NULL;
	UbEngineEvent *bar = NULL;
	guint bar_index = 0;
	gchar *segment;

	g_return_val_if_fail(line != NULL || length <= 0, g_steal_pointer(&events));

	if (line == NULL)
		return g_steal_pointer(&events);
	if (length < 0)
		length = (gssize)strlen(line);
	clean = ub_engine_clean_line(line, (gsize)length);

	/* only the last bar of a line counts, in its place among the text */
	for (segment = clean; segment != NULL;) {
		gchar *end = strpbrk(segment, "\r\n");
		UbEngineEvent *progress = NULL;
		gsize tail_offset = 0;

		if (end != NULL)
			*end = '\0';
		if (ub_engine_match_bar(segment, &progress, &tail_offset)) {
			ub_engine_event_free(bar);
			bar = progress;
			bar_index = events->len;
			ub_engine_parse_text(events, segment + tail_offset);
		} else {
			ub_engine_parse_text(events, segment);
		}
		segment = end != NULL ? end + 1 : NULL;
	}
	if (bar != NULL)
		g_ptr_array_insert(events, (gint)bar_index, bar);
	return g_steal_pointer(&events);
}
