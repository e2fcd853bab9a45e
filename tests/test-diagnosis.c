/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-diagnosis.h"
#include "ub-guidance-enums.h"
#include "ub-restore-report.h"
#include "ub-test.h"

#define ECID_A 0x000012345678ABCDull
#define ECID_B 0x0000000000000042ull

/* an Update started in Recovery that failed for @cause */
static UbDiagnosisInput
input_update(UbFailureCause cause)
{
	UbDiagnosisInput input = {
	    .cause = cause,
	    .device_status = -1,
	    .kind = UB_RESTORE_KIND_UPDATE,
	    .start_mode = UB_DEVICE_MODE_RECOVERY,
	    .end_mode = UB_DEVICE_MODE_RECOVERY,
	    .stalled = FALSE,
	};
	return input;
}

static UbDiagnosisInput
input_restore(UbFailureCause cause, UbDeviceMode start_mode)
{
	UbDiagnosisInput input = input_update(cause);
	input.kind = UB_RESTORE_KIND_ERASE;
	input.start_mode = start_mode;
	return input;
}

/* "a,b,c" */
static gchar *
card_ids(const UbDiagnosisResult *result)
{
	g_autoptr(GString) ids = g_string_new(NULL);

	for (guint i = 0; i < result->cards->len; i++) {
		UbCard *card = g_ptr_array_index(result->cards, i);
		if (i > 0)
			g_string_append_c(ids, ',');
		g_string_append(ids, ub_card_get_id(card));
	}
	return g_string_free(g_steal_pointer(&ids), FALSE);
}

static gboolean
has_card(const UbDiagnosisResult *result, const gchar *id)
{
	for (guint i = 0; i < result->cards->len; i++) {
		if (g_strcmp0(ub_card_get_id(g_ptr_array_index(result->cards, i)), id) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
assert_no_duplicates(const UbDiagnosisResult *result)
{
	for (guint i = 0; i < result->cards->len; i++) {
		for (guint j = i + 1; j < result->cards->len; j++)
			g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(result->cards, i)),
					!=,
					ub_card_get_id(g_ptr_array_index(result->cards, j)));
	}
}

static const gchar *
rung_nick(UbRung rung)
{
	g_autoptr(GEnumClass) klass = g_type_class_ref(UB_TYPE_RUNG);
	return g_enum_get_value(klass, (gint)rung)->value_nick;
}

#define assert_rung(result, rung) \
	g_assert_cmpstr(rung_nick((result)->next_rung), ==, rung_nick(rung))

/* records one failure and checks the offer and the cards */
static void
assert_failure(UbDiagnosis *diagnosis,
	       guint64 ecid,
	       const UbDiagnosisInput *input,
	       UbRung rung,
	       const gchar *ids)
{
	g_autoptr(UbDiagnosisResult) result = ub_diagnosis_record_failure(diagnosis, ecid, input);
	g_autofree gchar *got = card_ids(result);

	assert_rung(result, rung);
	g_assert_cmpstr(got, ==, ids);
	g_assert_nonnull(result->reason);
	g_assert_cmpstr(result->reason, !=, "");
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ecid), ==, rung);
}

typedef struct {
	const gchar *name;
	UbFailureCause cause;
	const gchar *card; /* the first card; NULL: a success, no diagnosis */
	UbRung rung;
	gboolean fix_host_first;
} UbDiagnosisFixture;

/* each log of shared/fixtures/idevicerestore-logs, as an Update from
 * Recovery on a device with no history */
static const UbDiagnosisFixture diagnosis_fixtures[] = {
    {"01-success-iphone3-3-ios4-legacykit.log", UB_FAILURE_CAUSE_UNKNOWN, NULL, 0, FALSE},
    /* cut short: no cause, so the bottom of the ladder */
    {"02-success-partial-iphone-ios15.5.log",
     UB_FAILURE_CAUSE_UNKNOWN,
     UB_CARD_UNKNOWN,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"04-tss-not-eligible-iphone5-ios6.log",
     UB_FAILURE_CAUSE_SIGNING_REFUSED,
     UB_CARD_SIGNING_REFUSED,
     UB_RUNG_UPDATE,
     TRUE},
    {"06-tss-send-failed-network-iphone11pro-ios18.3.1.log",
     UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
     UB_CARD_SIGNING_SERVER,
     UB_RUNG_UPDATE,
     TRUE},
    {"07-dfu-ibss-upload-failed-iphone8.log",
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_CARD_USB_CONNECTION,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"09-ibec-did-not-reconnect-ipad-mini2.log",
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_CARD_USB_CONNECTION,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"10-ibec-upload-failed-recovery-iphone5s.log",
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_CARD_USB_CONNECTION,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"12-failed-enter-restore-mode-usbmuxd-arch.log",
     UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
     UB_CARD_USBMUXD,
     UB_RUNG_UPDATE,
     TRUE},
    /* not about the connection: cable and Recovery skipped, Update tried */
    {"14-fdr-failed-iphone13-2-ios18.6.2.log",
     UB_FAILURE_CAUSE_FDR_FAILED,
     UB_CARD_FDR,
     UB_RUNG_RESTORE,
     FALSE},
    {"16-baseband-verification-error.log",
     UB_FAILURE_CAUSE_BASEBAND_FAILED,
     UB_CARD_BASEBAND,
     UB_RUNG_RESTORE,
     FALSE},
    {"18-asr-send-failed-usb.log",
     UB_FAILURE_CAUSE_USB_CONNECTION,
     UB_CARD_USB_CONNECTION,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"19-libusb-access-denied-ubuntu.log",
     UB_FAILURE_CAUSE_USB_PERMISSION,
     UB_CARD_USB_PERMISSION,
     UB_RUNG_UPDATE,
     TRUE},
    {"21-modern-start-iphone15pro-ios26.6.log",
     UB_FAILURE_CAUSE_UNKNOWN,
     UB_CARD_UNKNOWN,
     UB_RUNG_CABLE_PORT,
     FALSE},
    {"22-host-unsupported-ios18.log",
     UB_FAILURE_CAUSE_ENGINE_OUTDATED,
     UB_CARD_ENGINE_OUTDATED,
     UB_RUNG_UPDATE,
     TRUE},
};

static void
ub_diagnosis_fixtures_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(diagnosis_fixtures); i++) {
		const UbDiagnosisFixture *fixture = &diagnosis_fixtures[i];
		g_autofree gchar *path =
		    ub_test_data_path("idevicerestore-logs", fixture->name, NULL);
		g_autofree gchar *data = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(UbRestoreReport) report = ub_restore_report_new();
		g_autoptr(UbDiagnosis) diagnosis = NULL;
		g_autoptr(UbDiagnosisResult) result = NULL;
		UbDiagnosisInput input;
		gsize size = 0;

		g_test_message("%s", fixture->name);
		g_assert_true(g_file_get_contents(path, &data, &size, &error));
		g_assert_no_error(error);
		ub_restore_report_add_text(report, data, (gssize)size);
		g_assert_cmpstr(ub_failure_cause_to_id(ub_restore_report_get_cause(report)),
				==,
				ub_failure_cause_to_id(fixture->cause));

		if (fixture->card == NULL) {
			g_assert_cmpint(ub_restore_report_get_outcome(report, -1),
					==,
					UB_RESTORE_OUTCOME_SUCCESS);
			g_assert_false(ub_restore_report_get_failure_seen(report));
			continue;
		}

		diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
		input = input_update(ub_restore_report_get_cause(report));
		input.device_status = ub_restore_report_get_device_status(report);
		result = ub_diagnosis_record_failure(diagnosis, 0x1234, &input);
		g_assert_cmpuint(result->cards->len, >, 0);
		g_assert_cmpstr(
		    ub_card_get_id(g_ptr_array_index(result->cards, 0)), ==, fixture->card);
		assert_rung(result, fixture->rung);
		g_assert_cmpint(result->fix_host_first, ==, fixture->fix_host_first);
		g_assert_nonnull(result->reason);
		assert_no_duplicates(result);
		g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, 0x1234), ==, fixture->rung);
	}
}

static void
ub_diagnosis_repeat_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	g_autoptr(UbDiagnosisResult) result = NULL;

	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");

	/* the same again after another cable: straight to DFU mode, not to
	 * Recovery re-entry */
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	assert_rung(result, UB_RUNG_DFU_RESTORE);
	{
		g_autofree gchar *ids = card_ids(result);
		g_assert_cmpstr(ids, ==, "usb-connection,repeated-failure,dfu-restore");
	}
	g_assert_false(result->fix_host_first);
	g_assert_cmpstr(result->reason,
			==,
			"The same problem happened twice, so the next try starts in DFU mode.");
	g_clear_pointer(&result, ub_diagnosis_result_free);

	/* and a third time, from DFU mode: still above the floor, so not back
	 * down to Recovery re-entry */
	input = input_restore(UB_FAILURE_CAUSE_USB_CONNECTION, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_OTHER_COMPUTER,
		       "usb-connection,repeated-failure,other-computer");
}

static void
ub_diagnosis_never_connected_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	g_autoptr(UbDiagnosisResult) result = NULL;
	UbRung before;

	/* one real cable failure puts it on the ladder */
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	before = ub_diagnosis_get_rung(diagnosis, ECID_A);

	/* then, three times, it is not plugged in while a retry waits for it:
	 * nothing was tried, so the ladder does not climb and the same run is
	 * offered again */
	input.end_mode = UB_DEVICE_MODE_DISCONNECTED;
	input.never_connected = TRUE;
	for (guint i = 0; i < 3; i++) {
		g_autofree gchar *ids = NULL;

		g_clear_pointer(&result, ub_diagnosis_result_free);
		result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
		assert_rung(result, UB_RUNG_UPDATE);
		ids = card_ids(result);
		g_assert_cmpstr(ids, ==, "not-detected,usb-connection");
		g_assert_nonnull(strstr(result->reason, "nothing was tried"));
		g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, before);
	}

	/* and a real failure after it climbs from where it was, not higher */
	input.never_connected = FALSE;
	input.end_mode = UB_DEVICE_MODE_RECOVERY;
	g_clear_pointer(&result, ub_diagnosis_result_free);
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	assert_rung(result, UB_RUNG_DFU_RESTORE);
}

static void
ub_diagnosis_repeat_floor_past_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input = input_restore(UB_FAILURE_CAUSE_UNKNOWN, UB_DEVICE_MODE_DFU);

	/* a DFU Restore failed twice the same way: the floor cannot offer DFU
	 * again, the next rung above it is another computer */
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "unknown,usb-connection");
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_OTHER_COMPUTER,
		       "unknown,repeated-failure,other-computer");
}

static void
ub_diagnosis_climb_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input;

	/* different device-side causes each time, doing what was offered */
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	input = input_update(UB_FAILURE_CAUSE_UNKNOWN);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RECOVERY_REENTRY, "unknown");
	/* Update, cable and Recovery tried: the Restore, not the Update */
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RESTORE, "usb-connection");
	input = input_restore(UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED, UB_DEVICE_MODE_RECOVERY);
	assert_failure(
	    diagnosis, ECID_A, &input, UB_RUNG_DFU_RESTORE, "personalization,dfu-restore");
	input = input_restore(UB_FAILURE_CAUSE_UNKNOWN, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_OTHER_COMPUTER, "unknown,other-computer");
	input = input_restore(UB_FAILURE_CAUSE_USB_CONNECTION, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_SERVICE, "usb-connection,apple-service");
	/* the top stays the top */
	input = input_restore(UB_FAILURE_CAUSE_UNKNOWN, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_SERVICE, "unknown,apple-service");
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_SERVICE, "usb-connection,apple-service");
}

static void
ub_diagnosis_restore_marks_update_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input;

	/* a Restore from Recovery rules out the Update too; storage skips
	 * cable and Recovery re-entry */
	input = input_restore(UB_FAILURE_CAUSE_STORAGE_FAILED, UB_DEVICE_MODE_RECOVERY);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_DFU_RESTORE, "storage,dfu-restore");

	/* a Restore from Normal mode as well */
	input = input_restore(UB_FAILURE_CAUSE_BASEBAND_FAILED, UB_DEVICE_MODE_NORMAL);
	assert_failure(diagnosis, ECID_B, &input, UB_RUNG_DFU_RESTORE, "baseband,dfu-restore");
}

static void
ub_diagnosis_hardware_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_BASEBAND_FAILED);

	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RESTORE, "baseband");
	input = input_restore(UB_FAILURE_CAUSE_BASEBAND_FAILED, UB_DEVICE_MODE_RECOVERY);
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "baseband,repeated-failure,dfu-restore,hardware");

	/* a repeated connection problem is not called hardware */
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_B, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	assert_failure(diagnosis,
		       ECID_B,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "usb-connection,repeated-failure,dfu-restore");
}

static void
ub_diagnosis_stalled_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	g_autoptr(UbDiagnosisResult) result = NULL;
	g_autofree gchar *ids = NULL;

	input.stalled = TRUE;
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	assert_rung(result, UB_RUNG_DFU_RESTORE);
	ids = card_ids(result);
	g_assert_cmpstr(ids, ==, "stalled,usb-connection,dfu-restore");
	g_assert_false(result->fix_host_first);
	g_assert_cmpstr(result->reason,
			==,
			"The restore stopped making progress for 30 minutes, so the next try "
			"starts in DFU mode.");

	/* stopped by the user after a stall: still a stall, the cancelled card
	 * says nothing */
	input = input_update(UB_FAILURE_CAUSE_CANCELLED);
	input.stalled = TRUE;
	assert_failure(diagnosis, ECID_B, &input, UB_RUNG_DFU_RESTORE, "stalled,dfu-restore");
}

static const UbFailureCause host_causes[] = {
    UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE,
    UB_FAILURE_CAUSE_USB_PERMISSION,
    UB_FAILURE_CAUSE_ENGINE_OUTDATED,
    UB_FAILURE_CAUSE_ENGINE_MISSING,
    UB_FAILURE_CAUSE_DISK_SPACE,
    UB_FAILURE_CAUSE_DOWNLOAD_FAILED,
    UB_FAILURE_CAUSE_SIGNING_UNREACHABLE,
    UB_FAILURE_CAUSE_FIRMWARE_INVALID,
    UB_FAILURE_CAUSE_SIGNING_REFUSED,
};

static void
ub_diagnosis_host_side_func(void)
{
	g_autoptr(UbRemediation) cards = g_object_ref(ub_remediation_get_default());

	for (guint i = 0; i < G_N_ELEMENTS(host_causes); i++) {
		g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(cards, NULL);
		UbFailureCause cause = host_causes[i];
		const UbDiagnosisInput runs[] = {
		    input_update(cause),
		    input_restore(cause, UB_DEVICE_MODE_RECOVERY),
		    input_restore(cause, UB_DEVICE_MODE_DFU),
		};
		const UbRung rungs[] = {UB_RUNG_UPDATE, UB_RUNG_RESTORE, UB_RUNG_DFU_RESTORE};

		g_test_message("%s", ub_failure_cause_to_id(cause));
		for (guint j = 0; j < G_N_ELEMENTS(runs); j++) {
			/* twice: the same host problem twice is no reason to climb */
			for (guint k = 0; k < 2; k++) {
				g_autoptr(UbDiagnosisResult) result =
				    ub_diagnosis_record_failure(diagnosis, ECID_A, &runs[j]);
				UbCard *first = g_ptr_array_index(result->cards, 0);

				g_assert_true(result->fix_host_first);
				assert_rung(result, rungs[j]);
				g_assert_true(first == ub_remediation_lookup_cause(cards, cause));
				g_assert_cmpuint(result->cards->len,
						 ==,
						 cause == UB_FAILURE_CAUSE_SIGNING_UNREACHABLE ? 2
											       : 1);
				g_assert_false(has_card(result, UB_CARD_REPEATED));
				g_assert_nonnull(result->reason);
			}
		}
	}
}

static void
ub_diagnosis_host_side_cards_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	g_autoptr(UbDiagnosisResult) result = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_SIGNING_UNREACHABLE);
	g_autofree gchar *ids = NULL;

	/* a stall is explained by the host problem; the device's number is the
	 * computer's fault, not one of Apple's hardware codes */
	input.stalled = TRUE;
	input.device_status = 10;
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	ids = card_ids(result);
	g_assert_cmpstr(ids, ==, "signing-server,security-software");
	assert_rung(result, UB_RUNG_UPDATE);
	g_assert_cmpstr(
	    result->reason, ==, "Fix this on the computer first, then try the same again.");
}

static void
ub_diagnosis_host_keeps_ladder_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input;

	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	/* usbmuxd in between: try the same again, and the device's streak
	 * goes on: the same cable problem next is still the second in a row */
	input = input_update(UB_FAILURE_CAUSE_USBMUXD_UNAVAILABLE);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_UPDATE, "usbmuxd");
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "usb-connection,repeated-failure,dfu-restore");
}

static void
ub_diagnosis_cancelled_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input;
	g_autoptr(UbDiagnosisResult) result = NULL;

	input = input_restore(UB_FAILURE_CAUSE_CANCELLED, UB_DEVICE_MODE_RECOVERY);
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	assert_rung(result, UB_RUNG_RESTORE);
	g_assert_false(result->fix_host_first);
	g_assert_cmpuint(result->cards->len, ==, 1);
	g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(result->cards, 0)), ==, "cancelled");
	g_clear_pointer(&result, ub_diagnosis_result_free);

	/* cancelling again climbs nothing, and the Restore was not ruled out */
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RESTORE, "cancelled");
	input = input_update(UB_FAILURE_CAUSE_UNKNOWN);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "unknown,usb-connection");
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RECOVERY_REENTRY, "usb-connection");
	input = input_update(UB_FAILURE_CAUSE_UNKNOWN);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RESTORE, "unknown");
}

static void
ub_diagnosis_dfu_start_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	UbDiagnosisInput input;

	/* a DFU Restore as the very first try rules out Update, Restore and
	 * DFU Restore; the cheap steps are still left */
	input = input_restore(UB_FAILURE_CAUSE_USB_CONNECTION, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	input = input_restore(UB_FAILURE_CAUSE_PERSONALIZATION_REJECTED, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RECOVERY_REENTRY, "personalization");
	input = input_restore(UB_FAILURE_CAUSE_UNKNOWN, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_OTHER_COMPUTER, "unknown,other-computer");
}

static gchar *
ladder_path_new(void)
{
	/* the folder does not exist yet: saving creates it */
	return g_build_filename(g_get_user_data_dir(), "state", "unbrick", "ladder.ini", NULL);
}

static void
ub_diagnosis_persist_func(void)
{
	g_autofree gchar *path = ladder_path_new();
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	UbDiagnosis *diagnosis = NULL;

	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
	g_assert_finalize_object(diagnosis);

	/* the app restarted: the same rung, and the same cause again is the
	 * second in a row */
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_CABLE_PORT);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_B), ==, UB_RUNG_NONE);
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "usb-connection,repeated-failure,dfu-restore");
	g_assert_finalize_object(diagnosis);

	/* and again: the tried rungs came back too */
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_DFU_RESTORE);
	input = input_restore(UB_FAILURE_CAUSE_UNKNOWN, UB_DEVICE_MODE_DFU);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RECOVERY_REENTRY, "unknown");
	g_assert_finalize_object(diagnosis);
}

static void
ub_diagnosis_file_format_func(void)
{
	g_autofree gchar *path = ladder_path_new();
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) tried = NULL;
	g_autofree gchar *offered = NULL;
	g_autofree gchar *last_cause = NULL;
	g_autofree gchar *updated = NULL;
	g_autoptr(GDateTime) when = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	UbDiagnosisInput input =
	    input_restore(UB_FAILURE_CAUSE_BASEBAND_FAILED, UB_DEVICE_MODE_RECOVERY);
	g_autoptr(UbDiagnosisResult) result = NULL;

	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	g_assert_true(g_key_file_load_from_file(keyfile, path, G_KEY_FILE_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(g_key_file_has_group(keyfile, "0x000012345678ABCD"));

	tried = g_key_file_get_string_list(keyfile, "0x000012345678ABCD", "tried", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(tried), ==, 2);
	g_assert_cmpstr(tried[0], ==, "update");
	g_assert_cmpstr(tried[1], ==, "restore");
	offered = g_key_file_get_string(keyfile, "0x000012345678ABCD", "offered", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(offered, ==, "dfu-restore");
	last_cause = g_key_file_get_string(keyfile, "0x000012345678ABCD", "last-cause", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(last_cause, ==, "baseband-failed");
	g_assert_cmpint(
	    g_key_file_get_integer(keyfile, "0x000012345678ABCD", "repeats", &error), ==, 1);
	g_assert_no_error(error);
	updated = g_key_file_get_string(keyfile, "0x000012345678ABCD", "updated", &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_suffix(updated, "Z"));
	when = g_date_time_new_from_iso8601(updated, NULL);
	g_assert_nonnull(when);
	g_assert_cmpint(ABS(g_date_time_difference(now, when)), <, 120 * G_TIME_SPAN_SECOND);

	/* no stray temporary files beside it */
	{
		g_autofree gchar *folder = g_path_get_dirname(path);
		g_autoptr(GDir) dir = g_dir_open(folder, 0, &error);
		const gchar *name = NULL;
		guint n = 0;

		g_assert_no_error(error);
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_assert_cmpstr(name, ==, "ladder.ini");
			n++;
		}
		g_assert_cmpuint(n, ==, 1);
	}
}

static void
ub_diagnosis_two_devices_func(void)
{
	g_autofree gchar *path = ladder_path_new();
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_autoptr(UbDiagnosis) reloaded = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);

	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "usb-connection,repeated-failure,dfu-restore");
	/* the other device starts at the bottom, and its failure does not
	 * count for the first one's streak */
	assert_failure(diagnosis, ECID_B, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_DFU_RESTORE);

	reloaded = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(reloaded, ECID_A), ==, UB_RUNG_DFU_RESTORE);
	g_assert_cmpint(ub_diagnosis_get_rung(reloaded, ECID_B), ==, UB_RUNG_CABLE_PORT);
	g_assert_cmpint(ub_diagnosis_get_rung(reloaded, 0), ==, UB_RUNG_NONE);
}

static void
ub_diagnosis_success_func(void)
{
	g_autofree gchar *path = ladder_path_new();
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_autoptr(UbDiagnosis) reloaded = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);

	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	assert_failure(diagnosis, ECID_B, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	ub_diagnosis_record_success(diagnosis, ECID_A);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	/* a success on a device never seen changes nothing */
	ub_diagnosis_record_success(diagnosis, 7);

	/* forgotten on disk too; the same cause again is a first time */
	reloaded = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(reloaded, ECID_A), ==, UB_RUNG_NONE);
	g_assert_cmpint(ub_diagnosis_get_rung(reloaded, ECID_B), ==, UB_RUNG_CABLE_PORT);
	assert_failure(reloaded, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
}

static void
ub_diagnosis_corrupt_func(void)
{
	g_autofree gchar *path = ladder_path_new();
	g_autofree gchar *folder = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;
	const gchar garbage[] = "\xff\xfe[0x1\x00"
				"broken\n=== not a key file\n[[[\n";
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	UbDiagnosis *diagnosis = NULL;

	g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, garbage, sizeof(garbage) - 1, &error));
	g_assert_no_error(error);

	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	g_assert_finalize_object(diagnosis);

	/* the fresh ladder replaced it */
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_CABLE_PORT);
	g_assert_finalize_object(diagnosis);

	/* a well-formed file with nonsense values: each one reads as unknown */
	g_assert_true(g_file_set_contents(path,
					  "[0x000012345678ABCD]\n"
					  "tried=teleport;update;;\n"
					  "offered=moon\n"
					  "last-cause=gremlins\n"
					  "repeats=many\n"
					  "updated=yesterday\n"
					  "[not an ecid]\n"
					  "x=1\n",
					  -1,
					  &error));
	g_assert_no_error(error);
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	/* the update it did understand counts, the streak does not */
	input = input_update(UB_FAILURE_CAUSE_UNKNOWN);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "unknown,usb-connection");
	g_assert_finalize_object(diagnosis);

	/* a negative streak is no streak */
	g_assert_true(g_file_set_contents(path,
					  "[0x000012345678ABCD]\n"
					  "tried=update\n"
					  "offered=cable-port\n"
					  "last-cause=usb-connection\n"
					  "repeats=-3\n",
					  -1,
					  &error));
	g_assert_no_error(error);
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_CABLE_PORT);
	input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_RECOVERY_REENTRY, "usb-connection");
	g_assert_finalize_object(diagnosis);
}

static void
ub_diagnosis_unreadable_path_func(void)
{
	g_autoptr(GError) error = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_UNKNOWN);
	g_autofree gchar *path = ladder_path_new();
	g_autoptr(UbDiagnosis) diagnosis = NULL;
	g_autoptr(UbDiagnosisResult) result = NULL;

	/* a folder where the file should be: unreadable, and unwritable */
	g_assert_cmpint(g_mkdir_with_parents(path, 0700), ==, 0);
	diagnosis = ub_diagnosis_new(ub_remediation_get_default(), path);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	g_test_expect_message("ub-diagnosis", G_LOG_LEVEL_WARNING, "failed to save the ladder*");
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	g_test_assert_expected_messages();
	/* still remembered for this run */
	assert_rung(result, UB_RUNG_CABLE_PORT);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_CABLE_PORT);
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
}

static void
ub_diagnosis_memory_only_func(void)
{
	g_autofree gchar *default_path = ub_diagnosis_dup_default_ladder_path();
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);
	UbDiagnosis *diagnosis = ub_diagnosis_new(NULL, NULL);

	g_assert_true(g_str_has_prefix(default_path, g_get_user_data_dir()));
	g_assert_true(g_str_has_suffix(default_path,
				       G_DIR_SEPARATOR_S "unbrick" G_DIR_SEPARATOR_S "ladder.ini"));

	/* NULL cards: the bundled ones */
	assert_failure(diagnosis, ECID_A, &input, UB_RUNG_CABLE_PORT, "usb-connection");
	assert_failure(diagnosis,
		       ECID_A,
		       &input,
		       UB_RUNG_DFU_RESTORE,
		       "usb-connection,repeated-failure,dfu-restore");
	g_assert_false(g_file_test(default_path, G_FILE_TEST_EXISTS));
	g_assert_finalize_object(diagnosis);

	/* nothing survives */
	diagnosis = ub_diagnosis_new(NULL, NULL);
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, ECID_A), ==, UB_RUNG_NONE);
	g_assert_finalize_object(diagnosis);
}

static void
ub_diagnosis_not_detected_func(void)
{
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(ub_remediation_get_default(), NULL);
	g_autoptr(UbDiagnosisResult) result = ub_diagnosis_not_detected(diagnosis);
	g_autofree gchar *ids = card_ids(result);

	g_assert_cmpstr(ids, ==, "not-detected,usb-connection,other-computer,hardware");
	assert_rung(result, UB_RUNG_OTHER_COMPUTER);
	g_assert_false(result->fix_host_first);
	g_assert_nonnull(result->reason);
	/* no device, no ladder */
	g_assert_cmpint(ub_diagnosis_get_rung(diagnosis, 0), ==, UB_RUNG_NONE);
}

static void
ub_diagnosis_device_status_func(void)
{
	UbRemediation *cards = ub_remediation_get_default();
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(cards, NULL);
	g_autoptr(GPtrArray) code_cards = ub_remediation_find_code(cards, 53);
	g_autoptr(GPtrArray) none = ub_remediation_find_code(cards, 987654);
	g_autoptr(UbDiagnosisResult) result = NULL;
	g_autoptr(UbDiagnosisResult) plain = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_UNKNOWN);

	/* Apple's error 53 has a card of its own */
	g_assert_cmpuint(code_cards->len, >, 0);
	g_assert_cmpuint(none->len, ==, 0);

	input.device_status = 53;
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	g_assert_cmpstr(ub_card_get_id(g_ptr_array_index(result->cards, 0)), ==, "unknown");
	for (guint i = 0; i < code_cards->len; i++) {
		UbCard *card = g_ptr_array_index(code_cards, i);
		g_assert_true(ub_card_covers_code(card, 53));
		g_assert_true(has_card(result, ub_card_get_id(card)));
	}
	assert_no_duplicates(result);

	/* a number no card knows adds nothing */
	input.device_status = 987654;
	plain = ub_diagnosis_record_failure(diagnosis, ECID_B, &input);
	{
		g_autofree gchar *ids = card_ids(plain);
		g_assert_cmpstr(ids, ==, "unknown,usb-connection");
	}
}

static void
ub_diagnosis_device_status_dedup_func(void)
{
	UbRemediation *cards = ub_remediation_get_default();
	g_autoptr(UbDiagnosis) diagnosis = ub_diagnosis_new(cards, NULL);
	g_autoptr(UbDiagnosisResult) result = NULL;
	UbDiagnosisInput input = input_update(UB_FAILURE_CAUSE_USB_CONNECTION);

	/* 4013 is a connection code: its card is the cause's, listed once */
	input.device_status = 4013;
	result = ub_diagnosis_record_failure(diagnosis, ECID_A, &input);
	g_assert_cmpstr(
	    ub_card_get_id(g_ptr_array_index(result->cards, 0)), ==, UB_CARD_USB_CONNECTION);
	g_assert_true(ub_card_covers_code(g_ptr_array_index(result->cards, 0), 4013));
	assert_no_duplicates(result);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/diagnosis/fixtures", ub_diagnosis_fixtures_func);
	g_test_add_func("/unbrick/diagnosis/repeat", ub_diagnosis_repeat_func);
	g_test_add_func("/unbrick/diagnosis/repeat-floor-past",
			ub_diagnosis_repeat_floor_past_func);
	g_test_add_func("/unbrick/diagnosis/climb", ub_diagnosis_climb_func);
	g_test_add_func("/unbrick/diagnosis/restore-marks-update",
			ub_diagnosis_restore_marks_update_func);
	g_test_add_func("/unbrick/diagnosis/hardware", ub_diagnosis_hardware_func);
	g_test_add_func("/unbrick/diagnosis/stalled", ub_diagnosis_stalled_func);
	g_test_add_func("/unbrick/diagnosis/host-side", ub_diagnosis_host_side_func);
	g_test_add_func("/unbrick/diagnosis/host-side-cards", ub_diagnosis_host_side_cards_func);
	g_test_add_func("/unbrick/diagnosis/host-keeps-ladder",
			ub_diagnosis_host_keeps_ladder_func);
	g_test_add_func("/unbrick/diagnosis/cancelled", ub_diagnosis_cancelled_func);
	g_test_add_func("/unbrick/diagnosis/dfu-start", ub_diagnosis_dfu_start_func);
	g_test_add_func("/unbrick/diagnosis/persist", ub_diagnosis_persist_func);
	g_test_add_func("/unbrick/diagnosis/file-format", ub_diagnosis_file_format_func);
	g_test_add_func("/unbrick/diagnosis/two-devices", ub_diagnosis_two_devices_func);
	g_test_add_func("/unbrick/diagnosis/success", ub_diagnosis_success_func);
	g_test_add_func("/unbrick/diagnosis/corrupt", ub_diagnosis_corrupt_func);
	g_test_add_func("/unbrick/diagnosis/unwritable", ub_diagnosis_unreadable_path_func);
	g_test_add_func("/unbrick/diagnosis/memory-only", ub_diagnosis_memory_only_func);
	g_test_add_func("/unbrick/diagnosis/not-detected", ub_diagnosis_not_detected_func);
	g_test_add_func("/unbrick/diagnosis/never-connected", ub_diagnosis_never_connected_func);
	g_test_add_func("/unbrick/diagnosis/device-status", ub_diagnosis_device_status_func);
	g_test_add_func("/unbrick/diagnosis/device-status-dedup",
			ub_diagnosis_device_status_dedup_func);
	return g_test_run();
}
