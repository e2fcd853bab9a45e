/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ub-restore-report.h"
#include "ub-test.h"

#define BAR_HALF "[=========================                         ]"

typedef struct {
	const gchar *name;
	UbRestoreOutcome outcome;
	UbFailureCause cause;
	UbRestoreStage stage;
	const gchar *engine_version; /* NULL: none; ends in "…": a prefix */
	const gchar *last_error;     /* NULL: none */
	gint64 device_status;
} UbReportFixture;

/* the root causes of shared/fixtures/idevicerestore-logs/INDEX.md */
static const UbReportFixture report_fixtures[] = {
    {"01-success-iphone3-3-ios4-legacykit.log",
     UB_RESTORE_OUTCOME_SUCCESS,
     UB_FAILURE_CAUSE_UNKNOWN,
     UB_RESTORE_STAGE_FINISHING,
     NULL,
     NULL,
     -1},
    /* the excerpt ends before "Status: Restore Finished" */
    {"02-success-partial-iphone-ios15.5.log",
     UB_RESTORE_OUTCOME_UNKNOWN,
     UB_FAILURE_CAUSE_UNKNOWN,
     UB_RESTORE_STAGE_FINISHING,
     NULL,
     NULL,
     -1},
    {"04-tss-not-eligible-iphone5-ios6.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_SIGNING_REFUSED,
     UB_RESTORE_STAGE_PREPARING,
     NULL,
     "TSS request failed (status=94, message=This device isn't eligible for the requested build.)",
     -1},
    {"06-tss-send-failed-network-iphone11pro-ios18.3.1.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
     UB_RESTORE_STAGE_PREPARING,
     "1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu 1.0.4-8-g7e1647b)",
     "Unable to send TSS request",
     -1},
    {"07-dfu-ibss-upload-failed-iphone8.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_RESTORE_STAGE_SENDING_BOOT_FILES,
     NULL,
     "Unable to send iBSS component: Unable to upload data to device",
     -1},
    {"09-ibec-did-not-reconnect-ipad-mini2.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_RESTORE_STAGE_SENDING_BOOT_FILES,
     NULL,
     "Device did not reconnect in recovery mode. Possibly invalid iBEC. Reset device and try "
     "again.",
     -1},
    {"10-ibec-upload-failed-recovery-iphone5s.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_RESTORE_STAGE_SENDING_BOOT_FILES,
     NULL,
     "Unable to send iBEC component: Unable to upload data to device",
     -1},
    {"12-failed-enter-restore-mode-usbmuxd-arch.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
     UB_RESTORE_STAGE_WAITING_FOR_RESTORE_MODE,
     NULL,
     "Please make sure that usbmuxd is running.",
     -1},
    {"14-fdr-failed-iphone13-2-ios18.6.2.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_FDR_FAILED,
     UB_RESTORE_STAGE_PREPARING,
     NULL,
     "Status: Failed to recover FDR data.",
     53},
    {"16-baseband-verification-error.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_BASEBAND_FAILED,
     UB_RESTORE_STAGE_BASEBAND,
     NULL,
     "Status: Verification Error",
     -1},
    {"18-asr-send-failed-usb.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_RESTORE_STAGE_RESTORING_SYSTEM,
     NULL,
     "Unable to send data to ASR. Sent 0 of 20 bytes.",
     14},
    {"19-libusb-access-denied-ubuntu.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_USB_PERMISSION,
     UB_RESTORE_STAGE_PREPARING,
     NULL,
     "can't connect to device: LIBUSB_ERROR_ACCESS",
     -1},
    /* only the start of a run */
    {"21-modern-start-iphone15pro-ios26.6.log",
     UB_RESTORE_OUTCOME_UNKNOWN,
     UB_FAILURE_CAUSE_UNKNOWN,
     UB_RESTORE_STAGE_PREPARING,
     "1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, libtatsu 1.0.5-3-g60a39f3)",
     NULL,
     -1},
    {"22-host-unsupported-ios18.log",
     UB_RESTORE_OUTCOME_FAILURE,
     UB_FAILURE_CAUSE_ENGINE_OUTDATED,
     UB_RESTORE_STAGE_PREPARING,
     NULL,
     "This host version is unsupported. You may need to update your host tools.",
     10},
};

static UbRestoreReport *
report_new_from_lines(const gchar *const *lines)
{
	UbRestoreReport *report = ub_restore_report_new();

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(GPtrArray) events = ub_restore_report_add_line(report, lines[i], -1);
		g_assert_nonnull(events);
	}
	return report;
}

static void
ub_restore_report_fixtures_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(report_fixtures); i++) {
		const UbReportFixture *fixture = &report_fixtures[i];
		g_autofree gchar *path =
		    ub_test_data_path("idevicerestore-logs", fixture->name, NULL);
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(UbRestoreReport) report = ub_restore_report_new();
		gsize size = 0;

		g_test_message("%s", fixture->name);
		g_assert_true(g_file_get_contents(path, &data, &size, &error));
		g_assert_no_error(error);
		ub_restore_report_add_text(report, data, (gssize)size);

		g_assert_cmpstr(ub_restore_outcome_to_id(ub_restore_report_get_outcome(report, -1)),
				==,
				ub_restore_outcome_to_id(fixture->outcome));
		g_assert_cmpstr(ub_failure_cause_to_id(ub_restore_report_get_cause(report)),
				==,
				ub_failure_cause_to_id(fixture->cause));
		g_assert_cmpstr(ub_restore_stage_to_id(ub_restore_report_get_stage(report)),
				==,
				ub_restore_stage_to_id(fixture->stage));
		g_assert_cmpstr(
		    ub_restore_report_get_engine_version(report), ==, fixture->engine_version);
		g_assert_cmpstr(ub_restore_report_get_last_error(report), ==, fixture->last_error);
		g_assert_cmpint(
		    ub_restore_report_get_device_status(report), ==, fixture->device_status);
		g_assert_cmpuint(ub_restore_report_get_n_lines(report), >, 0);

		/* a failed run with a known exit status is still the same failure */
		if (fixture->outcome == UB_RESTORE_OUTCOME_FAILURE)
			g_assert_cmpint(ub_restore_report_get_outcome(report, 255),
					==,
					UB_RESTORE_OUTCOME_FAILURE);
	}
}

static void
ub_restore_report_success_func(void)
{
	const gchar *const lines[] = {
	    "idevicerestore 1.0.0",
	    "Found device in Recovery mode",
	    "Extracting BuildManifest from IPSW",
	    "Sending iBEC (747441 bytes)...",
	    "Waiting for device to enter restore mode...",
	    "About to restore device... ",
	    "Restoring image (13)",
	    "progress: 2 0.5",
	    "Verifying restore (14)",
	    "Flashing firmware (18)",
	    "Unmounting filesystems (29)",
	    "Got status message",
	    "Status: Restore Finished",
	    "Cleaning up...",
	    "DONE",
	    NULL,
	};
	g_autoptr(UbRestoreReport) report = report_new_from_lines(lines);

	g_assert_true(ub_restore_report_get_restore_finished(report));
	g_assert_true(ub_restore_report_get_done(report));
	g_assert_false(ub_restore_report_get_failure_seen(report));
	g_assert_cmpstr(ub_restore_report_get_engine_version(report), ==, "1.0.0");
	g_assert_cmpint(ub_restore_report_get_outcome(report, 0), ==, UB_RESTORE_OUTCOME_SUCCESS);
	g_assert_cmpint(ub_restore_report_get_outcome(report, -1), ==, UB_RESTORE_OUTCOME_SUCCESS);
	/* the device said so, the engine did not */
	g_assert_cmpint(ub_restore_report_get_outcome(report, 255), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpint(ub_restore_report_get_outcome(report, 1), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpint(ub_restore_report_get_cause(report), ==, UB_FAILURE_CAUSE_UNKNOWN);
	g_assert_null(ub_restore_report_get_last_error(report));
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_FINISHING);
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++)
		g_assert_cmpfloat(ub_restore_report_get_stage_progress(report, i), ==, 1.0);
	g_assert_cmpfloat_with_epsilon(ub_restore_report_get_overall_progress(report), 1.0, 1e-9);
}

/* "DONE" alone is not success: 1.0.0 prints it after some failures */
static void
ub_restore_report_done_only_func(void)
{
	const gchar *const lines[] = {
	    "Restoring image (13)",
	    "Cleaning up...",
	    "DONE",
	    NULL,
	};
	g_autoptr(UbRestoreReport) report = report_new_from_lines(lines);

	g_assert_true(ub_restore_report_get_done(report));
	g_assert_false(ub_restore_report_get_restore_finished(report));
	g_assert_cmpint(ub_restore_report_get_outcome(report, 0), ==, UB_RESTORE_OUTCOME_UNKNOWN);
	g_assert_cmpint(ub_restore_report_get_outcome(report, -1), ==, UB_RESTORE_OUTCOME_UNKNOWN);
	g_assert_cmpint(ub_restore_report_get_outcome(report, 255), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpint(ub_restore_report_get_cause(report), ==, UB_FAILURE_CAUSE_UNKNOWN);
}

/* an error after "Restore Finished" spoils it */
static void
ub_restore_report_error_after_finished_func(void)
{
	const gchar *const lines[] = {
	    "ERROR: Unable to connect to ASR",
	    "Status: Restore Finished",
	    NULL,
	};
	const gchar *const late_lines[] = {
	    "Status: Restore Finished",
	    "ERROR: Could not read data (-256). Aborting.",
	    NULL,
	};
	g_autoptr(UbRestoreReport) report = report_new_from_lines(lines);
	g_autoptr(UbRestoreReport) late = report_new_from_lines(late_lines);

	/* an error the device got over */
	g_assert_cmpint(ub_restore_report_get_outcome(report, 0), ==, UB_RESTORE_OUTCOME_SUCCESS);
	g_assert_cmpint(ub_restore_report_get_outcome(late, 0), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpint(ub_restore_report_get_outcome(late, -1), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpint(ub_restore_report_get_cause(late), ==, UB_FAILURE_CAUSE_USB_CONNECTION);
}

static void
ub_restore_report_empty_func(void)
{
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();

	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_PREPARING);
	g_assert_cmpint(ub_restore_report_get_outcome(report, -1), ==, UB_RESTORE_OUTCOME_UNKNOWN);
	g_assert_cmpint(ub_restore_report_get_outcome(report, 0), ==, UB_RESTORE_OUTCOME_UNKNOWN);
	g_assert_cmpint(ub_restore_report_get_outcome(report, 3), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_cmpfloat(ub_restore_report_get_overall_progress(report), ==, 0.0);
	g_assert_null(ub_restore_report_get_engine_version(report));
	g_assert_null(ub_restore_report_get_last_error(report));
	g_assert_cmpint(ub_restore_report_get_device_status(report), ==, -1);
	g_assert_cmpstr(ub_restore_report_get_transcript(report), ==, "");
	g_assert_cmpuint(ub_restore_report_get_n_lines(report), ==, 0);
}

/* stages only move forward; earlier ones count as complete */
static void
ub_restore_report_stages_func(void)
{
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();
	g_autoptr(GPtrArray) events = NULL;

	events = ub_restore_report_add_line(report, "progress: 1 0.5", -1);
	g_assert_cmpuint(events->len, ==, 1);
	g_assert_cmpfloat_with_epsilon(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_PREPARING), 0.65, 1e-9);

	g_clear_pointer(&events, g_ptr_array_unref);
	events = ub_restore_report_add_line(report, "Verifying restore (14)", -1);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_VERIFYING);
	for (guint i = 0; i < UB_RESTORE_STAGE_VERIFYING; i++)
		g_assert_cmpfloat(ub_restore_report_get_stage_progress(report, i), ==, 1.0);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_VERIFYING), ==, 0.0);

	/* a bar belongs to the current stage */
	g_clear_pointer(&events, g_ptr_array_unref);
	events = ub_restore_report_add_line(report, "\r" BAR_HALF "  50.0%", -1);
	g_assert_cmpfloat_with_epsilon(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_VERIFYING), 0.5, 1e-9);
	/* preparing 5 + boot files 5 + waiting 3 + system 50 + half of verifying 15 */
	g_assert_cmpfloat_with_epsilon(ub_restore_report_get_overall_progress(report), 0.705, 1e-9);

	/* going back is ignored, for stages and for progress */
	g_clear_pointer(&events, g_ptr_array_unref);
	events = ub_restore_report_add_line(report, "Sending iBEC (747441 bytes)...", -1);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_VERIFYING);
	g_clear_pointer(&events, g_ptr_array_unref);
	events = ub_restore_report_add_line(report, "progress: 2 0.1", -1);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_RESTORING_SYSTEM),
	    ==,
	    1.0);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_VERIFYING);

	/* progress for a later stage moves there */
	g_clear_pointer(&events, g_ptr_array_unref);
	events = ub_restore_report_add_line(report, "progress: 5 0.25", -1);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_BASEBAND);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_VERIFYING), ==, 1.0);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_FLASHING_FIRMWARE),
	    ==,
	    1.0);
	g_assert_cmpfloat_with_epsilon(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_BASEBAND), 0.25, 1e-9);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_FINISHING), ==, 0.0);
	g_assert_cmpint(ub_restore_report_get_outcome(report, -1), ==, UB_RESTORE_OUTCOME_UNKNOWN);
}

/* hand-made events from other producers (the simulated engine) */
static void
ub_restore_report_apply_event_func(void)
{
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();
	UbEngineEvent event = {0};

	event.kind = UB_ENGINE_EVENT_STAGE;
	event.stage = (UbRestoreStage)42;
	ub_restore_report_apply_event(report, &event);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_PREPARING);

	event.kind = UB_ENGINE_EVENT_PROGRESS;
	event.stage = UB_RESTORE_STAGE_RESTORING_SYSTEM;
	event.fraction = 7.0;
	ub_restore_report_apply_event(report, &event);
	g_assert_cmpint(ub_restore_report_get_stage(report), ==, UB_RESTORE_STAGE_RESTORING_SYSTEM);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_RESTORING_SYSTEM),
	    ==,
	    1.0);

	event.stage = UB_RESTORE_STAGE_CURRENT;
	event.fraction = -3.0;
	ub_restore_report_apply_event(report, &event);
	g_assert_cmpfloat(
	    ub_restore_report_get_stage_progress(report, UB_RESTORE_STAGE_RESTORING_SYSTEM),
	    ==,
	    0.0);

	/* an error without text still fails the run */
	event.kind = UB_ENGINE_EVENT_ERROR;
	event.cause = UB_FAILURE_CAUSE_DISK_SPACE;
	event.text = NULL;
	ub_restore_report_apply_event(report, &event);
	g_assert_cmpint(ub_restore_report_get_cause(report), ==, UB_FAILURE_CAUSE_DISK_SPACE);
	g_assert_cmpint(ub_restore_report_get_outcome(report, -1), ==, UB_RESTORE_OUTCOME_FAILURE);
	g_assert_null(ub_restore_report_get_last_error(report));
}

typedef struct {
	const gchar *name;
	const gchar *lines[8];
	UbFailureCause cause;
	const gchar *last_error;
} UbCauseCase;

static const UbCauseCase cause_cases[] = {
    {"a refusal stays a refusal",
     {"ERROR: TSS request failed (status=94, message=This device isn't eligible for the requested "
      "build.)",
      "Sending TSS request attempt 1... ERROR: Unable to send TSS request",
      "ERROR: Unable to get SHSH blobs for this device",
      NULL},
     UB_FAILURE_CAUSE_SIGNING_REFUSED,
     "TSS request failed (status=94, message=This device isn't eligible for the requested "
     "build.)"},
    {"no answer at all",
     {"ERROR: Unable to send TSS request", "ERROR: Unable to get SHSH blobs for this device", NULL},
     UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
     "Unable to send TSS request"},
    {"permission beats the link",
     {"_irecv_handle_device_add: ERROR: can't connect to device: LIBUSB_ERROR_ACCESS",
      "ERROR: Unable to discover device mode. Please make sure a device is attached.",
      NULL},
     UB_FAILURE_CAUSE_USB_PERMISSION,
     "can't connect to device: LIBUSB_ERROR_ACCESS"},
    {"usbmuxd beats the link",
     {"Waiting for device to enter restore mode...",
      "ERROR: Device failed to enter restore mode.",
      "Please make sure that usbmuxd is running.",
      NULL},
     UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
     "Please make sure that usbmuxd is running."},
    {"personalization beats the link",
     {"Device failed to enter restore mode.",
      "Device reconnected in Recovery mode, most likely image personalization failed.",
      NULL},
     UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED,
     "Device reconnected in Recovery mode, most likely image personalization failed."},
    {"an outdated engine beats the link",
     {"ERROR: Unable to connect to restored, error=-3",
      "Unknown data request 'Cryptex1,SystemOS' received",
      NULL},
     UB_FAILURE_CAUSE_ENGINE_OUTDATED,
     "Unknown data request 'Cryptex1,SystemOS' received"},
    {"the first specific cause wins",
     {"Unknown data request 'SourceBootObjectV4' received",
      "Status: Failed to mount filesystems.",
      NULL},
     UB_FAILURE_CAUSE_ENGINE_OUTDATED,
     "Unknown data request 'SourceBootObjectV4' received"},
    {"Status: Fail keeps the link",
     {"Sending filesystem now...",
      "\r" BAR_HALF "  50.0%ERROR: Unable to send data to ASR. Sent 0 of 20 bytes.",
      "ERROR: Unable to send filesystem",
      "Got status message",
      "Status: Fail",
      NULL},
     UB_FAILURE_CAUSE_USB_CONNECTION,
     "Unable to send data to ASR. Sent 0 of 20 bytes."},
    {"a Verification Error after the baseband",
     {"Updating baseband (19)", "Status: Verification Error", NULL},
     UB_FAILURE_CAUSE_BASEBAND_FAILED,
     "Status: Verification Error"},
    {"a Verification Error that names nothing",
     {"Restoring image (13)", "Status: Verification Error", NULL},
     UB_FAILURE_CAUSE_UNKNOWN,
     "Status: Verification Error"},
    {"a Verification Error after a baseband stage that was skipped over",
     {"Unmounting filesystems (29)", "Updating baseband (19)", "Status: Verification Error", NULL},
     UB_FAILURE_CAUSE_BASEBAND_FAILED,
     "Status: Verification Error"},
    {"unknown never overwrites known",
     {"ERROR: Unable to upload data to device", "RESTORE FAILED", "Status: Fail", NULL},
     UB_FAILURE_CAUSE_USB_CONNECTION,
     "Unable to upload data to device"},
    {"no cause: the first error of the last burst",
     {"ERROR: Something early",
      "Restoring image (13)",
      "ERROR: Something late",
      "ERROR: Its consequence",
      NULL},
     UB_FAILURE_CAUSE_UNKNOWN,
     "Something late"},
    {"a warning is not an error",
     {"WARNING: Unable to find BbSkeyId node",
      "Unable to receive message from FDR 0x1 (-2). 0/2 bytes",
      NULL},
     UB_FAILURE_CAUSE_UNKNOWN,
     NULL},
};

static void
ub_restore_report_causes_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(cause_cases); i++) {
		const UbCauseCase *test_case = &cause_cases[i];
		g_autoptr(UbRestoreReport) report = report_new_from_lines(test_case->lines);

		g_test_message("%s", test_case->name);
		g_assert_cmpstr(ub_failure_cause_to_id(ub_restore_report_get_cause(report)),
				==,
				ub_failure_cause_to_id(test_case->cause));
		g_assert_cmpstr(
		    ub_restore_report_get_last_error(report), ==, test_case->last_error);
		g_assert_cmpint(ub_restore_report_get_outcome(report, -1),
				==,
				test_case->last_error != NULL ? UB_RESTORE_OUTCOME_FAILURE
							      : UB_RESTORE_OUTCOME_UNKNOWN);
	}
}

static void
ub_restore_report_transcript_func(void)
{
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();
	const gchar text[] = "first\r\nsecond \xff\n\nfou\0rth\nDONE";

	ub_restore_report_add_text(report, text, sizeof(text) - 1);
	g_assert_cmpuint(ub_restore_report_get_n_lines(report), ==, 5);
	g_assert_cmpstr(ub_restore_report_get_transcript(report),
			==,
			"first\nsecond \xef\xbf\xbd\n\nfou\xef\xbf\xbdrth\nDONE");
	g_assert_true(ub_restore_report_get_done(report));
	g_assert_false(ub_restore_report_get_transcript_truncated(report));

	/* a final newline makes no extra line */
	ub_restore_report_add_text(report, "last\n", -1);
	g_assert_cmpuint(ub_restore_report_get_n_lines(report), ==, 6);
	ub_restore_report_add_text(report, "", -1);
	g_assert_cmpuint(ub_restore_report_get_n_lines(report), ==, 6);
	g_assert_true(g_str_has_suffix(ub_restore_report_get_transcript(report), "DONE\nlast"));
}

/* the transcript stops at 64 MiB; the events go on */
static void
ub_restore_report_transcript_cap_func(void)
{
	g_autoptr(UbRestoreReport) report = ub_restore_report_new();
	g_autofree gchar *line = g_strnfill(1024 * 1024 - 1, 'x');
	g_autoptr(GPtrArray) done = NULL;
	gsize len;

	for (guint i = 0; i < 70; i++) {
		g_autoptr(GPtrArray) events = ub_restore_report_add_line(report, line, -1);
		g_assert_cmpuint(events->len, ==, 0);
	}
	done = ub_restore_report_add_line(report, "DONE", -1);
	g_assert_cmpuint(done->len, ==, 1);
	g_assert_true(ub_restore_report_get_done(report));
	g_assert_true(ub_restore_report_get_transcript_truncated(report));
	g_assert_cmpuint(ub_restore_report_get_n_lines(report), ==, 71);
	len = strlen(ub_restore_report_get_transcript(report));
	g_assert_cmpuint(len, <=, 64 * 1024 * 1024 + 64);
	g_assert_true(g_str_has_suffix(ub_restore_report_get_transcript(report), "64 MiB]"));
}

static void
check_json_shape(const gchar *json,
		 const gchar *outcome,
		 const gchar *cause,
		 const gchar *engine_version,
		 const gchar *last_error)
{
	static const gchar *const members[] = {
	    "outcome", "cause", "engine_version", "stages", "last_error", "cards"};
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GList) names = NULL;
	JsonObject *root;
	JsonArray *stages;
	JsonArray *cards;

	g_assert_true(g_str_has_suffix(json, "}\n"));
	g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
	root = json_node_get_object(json_parser_get_root(parser));

	names = json_object_get_members(root);
	g_assert_cmpuint(g_list_length(names), ==, G_N_ELEMENTS(members));
	for (guint i = 0; i < G_N_ELEMENTS(members); i++)
		g_assert_true(json_object_has_member(root, members[i]));

	g_assert_cmpstr(json_object_get_string_member(root, "outcome"), ==, outcome);
	g_assert_cmpstr(json_object_get_string_member(root, "cause"), ==, cause);
	if (engine_version == NULL)
		g_assert_true(json_object_get_null_member(root, "engine_version"));
	else
		g_assert_cmpstr(
		    json_object_get_string_member(root, "engine_version"), ==, engine_version);
	if (last_error == NULL)
		g_assert_true(json_object_get_null_member(root, "last_error"));
	else
		g_assert_cmpstr(json_object_get_string_member(root, "last_error"), ==, last_error);

	stages = json_object_get_array_member(root, "stages");
	g_assert_cmpuint(json_array_get_length(stages), ==, UB_RESTORE_N_STAGES);
	for (guint i = 0; i < UB_RESTORE_N_STAGES; i++) {
		JsonObject *stage = json_array_get_object_element(stages, i);
		JsonNode *progress = json_object_get_member(stage, "progress");

		g_assert_cmpuint(json_object_get_size(stage), ==, 2);
		g_assert_cmpstr(
		    json_object_get_string_member(stage, "name"), ==, ub_restore_stage_to_id(i));
		g_assert_nonnull(progress);
		g_assert_cmpint(json_node_get_value_type(progress), ==, G_TYPE_DOUBLE);
		g_assert_cmpfloat(json_node_get_double(progress), >=, 0.0);
		g_assert_cmpfloat(json_node_get_double(progress), <=, 1.0);
	}

	cards = json_object_get_array_member(root, "cards");
	if (g_strcmp0(outcome, "failure") == 0) {
		g_assert_cmpuint(json_array_get_length(cards), ==, 1);
		g_assert_cmpstr(json_array_get_string_element(cards, 0), ==, cause);
	} else {
		g_assert_cmpuint(json_array_get_length(cards), ==, 0);
	}
}

static void
ub_restore_report_json_func(void)
{
	const gchar *const failed_lines[] = {
	    "idevicerestore 1.0.0",
	    "Sending iBSS (831476 bytes)...",
	    "[==================================================]  99.8%ERROR: Unable to send iBSS "
	    "component: Unable to upload data to device",
	    NULL,
	};
	const gchar *const finished_lines[] = {"Status: Restore Finished", "DONE", NULL};
	g_autoptr(UbRestoreReport) failed = report_new_from_lines(failed_lines);
	g_autoptr(UbRestoreReport) finished = report_new_from_lines(finished_lines);
	g_autoptr(UbRestoreReport) empty = ub_restore_report_new();
	/* the cards come from the guidance layer; the report writes them down */
	const gchar *const usb_cards[] = {"usb-connection", NULL};
	const gchar *const unknown_cards[] = {"unknown", NULL};
	g_autofree gchar *failed_json = ub_restore_report_to_json(failed, -1, usb_cards);
	g_autofree gchar *finished_json = ub_restore_report_to_json(finished, -1, NULL);
	g_autofree gchar *finished_255_json =
	    ub_restore_report_to_json(finished, 255, unknown_cards);
	g_autofree gchar *empty_json = ub_restore_report_to_json(empty, -1, NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonArray *stages;

	check_json_shape(failed_json,
			 "failure",
			 "usb-connection",
			 "1.0.0",
			 "Unable to send iBSS component: Unable to upload data to device");
	check_json_shape(finished_json, "success", "unknown", NULL, NULL);
	check_json_shape(finished_255_json, "failure", "unknown", NULL, NULL);
	check_json_shape(empty_json, "unknown", "unknown", NULL, NULL);

	/* the progress of the stage that failed, the ones before complete */
	g_assert_true(json_parser_load_from_data(parser, failed_json, -1, NULL));
	stages = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)),
					      "stages");
	g_assert_cmpfloat(
	    json_object_get_double_member(json_array_get_object_element(stages, 0), "progress"),
	    ==,
	    1.0);
	g_assert_cmpfloat(
	    json_object_get_double_member(json_array_get_object_element(stages, 1), "progress"),
	    ==,
	    0.998);
	g_assert_cmpfloat(
	    json_object_get_double_member(json_array_get_object_element(stages, 2), "progress"),
	    ==,
	    0.0);
}

/* the report carries any bytes to valid JSON */
static void
ub_restore_report_garbage_func(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(4242);

	for (guint i = 0; i < 200; i++) {
		g_autoptr(UbRestoreReport) report = ub_restore_report_new();
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GByteArray) bytes = g_byte_array_new();
		g_autofree gchar *json = NULL;
		guint len = (guint)g_rand_int_range(rand, 0, 8192);

		for (guint j = 0; j < len; j++) {
			guint8 byte = (guint8)g_rand_int_range(rand, 0, 256);
			g_byte_array_append(bytes, &byte, 1);
		}
		ub_restore_report_add_text(report, (const gchar *)bytes->data, (gssize)bytes->len);
		json = ub_restore_report_to_json(report, -1, NULL);
		g_assert_true(g_utf8_validate(json, -1, NULL));
		g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
		g_assert_true(g_utf8_validate(ub_restore_report_get_transcript(report), -1, NULL));
	}
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/restore-report/fixtures", ub_restore_report_fixtures_func);
	g_test_add_func("/unbrick/restore-report/success", ub_restore_report_success_func);
	g_test_add_func("/unbrick/restore-report/done-only", ub_restore_report_done_only_func);
	g_test_add_func("/unbrick/restore-report/error-after-finished",
			ub_restore_report_error_after_finished_func);
	g_test_add_func("/unbrick/restore-report/empty", ub_restore_report_empty_func);
	g_test_add_func("/unbrick/restore-report/stages", ub_restore_report_stages_func);
	g_test_add_func("/unbrick/restore-report/apply-event", ub_restore_report_apply_event_func);
	g_test_add_func("/unbrick/restore-report/causes", ub_restore_report_causes_func);
	g_test_add_func("/unbrick/restore-report/transcript", ub_restore_report_transcript_func);
	g_test_add_func("/unbrick/restore-report/transcript-cap",
			ub_restore_report_transcript_cap_func);
	g_test_add_func("/unbrick/restore-report/json", ub_restore_report_json_func);
	g_test_add_func("/unbrick/restore-report/garbage", ub_restore_report_garbage_func);
	return g_test_run();
}
