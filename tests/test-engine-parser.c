/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ub-engine-parser.h"
#include "ub-test.h"

/* idevicerestore's bars have 50 cells */
#define BAR_FULL "[==================================================]"
#define BAR_HALF "[=========================                         ]"
#define BAR_TENTH "[=====                                             ]"
#define BAR_FIFTH "[==========                                        ]"

typedef struct {
	const gchar *line;
	const gchar *expected; /* the events as render_events() writes them */
} UbParserCase;

static const UbParserCase parser_cases[] = {
    /* the version banner, both generations, and what only looks like it */
    {"idevicerestore 1.0.0", "version:1.0.0"},
    {"idevicerestore 1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu "
     "1.0.4-8-g7e1647b)",
     "version:1.0.0-226-gbb5591d (libirecovery 1.2.1-9-g0f0928a, libtatsu 1.0.4-8-g7e1647b)"},
    {"12:00:01.000  <Notice> idevicerestore 1.0.0-270-g405fcd1 (libirecovery 1.3.1, libtatsu "
     "1.0.5)",
     "version:1.0.0-270-g405fcd1 (libirecovery 1.3.1, libtatsu 1.0.5)"},
    {"idevicerestore -e x.ipsw", ""},
    {"sudo ./idevicerestore -e -l", ""},
    {" idevicerestore.exe -e -y -l", ""},
    {"Usage: idevicerestore [OPTIONS] PATH", ""},
    {"idevicerestore 1.0.0 is too old", ""},
    {"$ idevicerestore 1.0.0", ""},

    /* device modes */
    {"Found device in DFU mode", "mode:dfu"},
    {"Found device in Recovery mode", "mode:recovery"},
    {"Found device in Restore mode", "mode:restore"},
    {"Found device in Normal mode", "mode:normal"},
    {"Found device in WTF mode", "mode:dfu"},
    {"Found device in Port DFU mode", "mode:dfu"},
    {"Found device in Banana mode", ""},
    {"Found device in  mode", ""},

    /* upstream's log file: the label decides the level */
    {"12:34:56.789   <Error> Unable to discover device mode. Please make sure a device is "
     "attached.",
     "error:usb-connection:Unable to discover device mode. Please make sure a device is "
     "attached."},
    {"12:34:56.789   <Error> Something odd happened", "error:unknown:Something odd happened"},
    {"12:34:56.789 <Warning> Unable to find BbSkeyId node", "warning:Unable to find BbSkeyId node"},
    {"12:34:56.789 <Warning> Attempting to continue after critical error, restore might fail...",
     "warning:Attempting to continue after critical error, restore might fail..."},
    {"12:34:56.789    <Info> Status: Restore Finished", "finished"},
    {"12:34:56.789    <Info> ERROR: Unable to send TSS request",
     "error:signing-unreachable:Unable to send TSS request"},
    {"12:34:56.789   <Debug> Restoring image (13)", "stage:restoring-system"},
    {"12:34:56.789  <Notice> Found device in DFU mode", "mode:dfu"},
    {"12:34:56.789 <Verbose> Checkpoint FAILURE id: 0x6C2 result=0: [0]D(This host version is "
     "unsupported. You may need to update your host tools.)",
     "error:engine-outdated:This host version is unsupported. You may need to update your host "
     "tools."},
    {"12:34:56 <Error> not a timestamp", ""},

    /* 1.0.0: "ERROR: " and "WARNING: " */
    {"ERROR: Unable to send iBEC component: Unable to upload data to device",
     "error:usb-connection:Unable to send iBEC component: Unable to upload data to device"},
    {"ERROR: TSS request failed (status=94, message=This device isn't eligible for the requested "
     "build.)",
     "error:signing-refused:TSS request failed (status=94, message=This device isn't eligible for "
     "the requested build.)"},
    {"ERROR: TSS request failed (status=69, message=Unknown)",
     "error:signing-refused:TSS request failed (status=69, message=Unknown)"},
    {"ERROR: TSS request failed: Could not resolve host: gs.apple.com (status=-1)",
     "error:signing-unreachable:TSS request failed: Could not resolve host: gs.apple.com "
     "(status=-1)"},
    {"TSS server returned: STATUS=94&MESSAGE=This device isn't eligible for the requested build.",
     ""},
    {"ERROR: Unable to get SHSH blobs for this device",
     "error:unknown:Unable to get SHSH blobs for this device"},
    {"WARNING: Unable to find BbSkeyId node", "warning:Unable to find BbSkeyId node"},
    {"Sending TSS request attempt 1... ERROR: Unable to send TSS request",
     "error:signing-unreachable:Unable to send TSS request"},
    {"Sending TSS request attempt 1... response successfully received", ""},
    {"_irecv_handle_device_add: ERROR: can't connect to device: LIBUSB_ERROR_ACCESS",
     "error:usb-permission:can't connect to device: LIBUSB_ERROR_ACCESS"},
    {"ERROR: Device failed to enter restore mode.",
     "error:usb-connection:Device failed to enter restore mode."},
    {"ERROR: Unable to place device into recovery mode from DFU mode",
     "error:unknown:Unable to place device into recovery mode from DFU mode"},
    {"ERROR: Could not open /tmp/x.dmg for writing",
     "error:disk-space:Could not open /tmp/x.dmg for writing"},
    {"ERROR: Unable to extract filesystem from IPSW: No space left on device",
     "error:disk-space:Unable to extract filesystem from IPSW: No space left on device"},
    {"ERROR: Unable to extract BuildManifest from x.ipsw. Firmware file might be corrupt.",
     "error:firmware-invalid:Unable to extract BuildManifest from x.ipsw. Firmware file might "
     "be corrupt."},
    {"ERROR: Could not make sure this firmware is suitable for the current device. Refusing to "
     "continue.",
     "error:firmware-invalid:Could not make sure this firmware is suitable for the current "
     "device. Refusing to continue."},
    {"ERROR: Unable to send BasebandData data",
     "error:baseband-failed:Unable to send BasebandData data"},
    {"ERROR: Permission denied opening /dev/bus/usb/001/004",
     "error:usb-permission:Permission denied opening /dev/bus/usb/001/004"},
    {"ERROR: NAND format failed", "error:storage-failed:NAND format failed"},
    {"ERROR: Unable to personalize component iBSS",
     "error:personalization-rejected:Unable to personalize component iBSS"},

    /* upstream's console: errors without a prefix */
    {"Unable to discover device type", "error:engine-outdated:Unable to discover device type"},
    {"Unknown data request 'Cryptex1,SystemOS' received",
     "error:engine-outdated:Unknown data request 'Cryptex1,SystemOS' received"},
    {"Please make sure that usbmuxd is running.",
     "error:usbmuxd-unavailable:Please make sure that usbmuxd is running."},
    {"Make sure that usbmuxd is running.",
     "error:usbmuxd-unavailable:Make sure that usbmuxd is running."},
    {"Unable to connect to usbmuxd", "error:usbmuxd-unavailable:Unable to connect to usbmuxd"},
    {"Device reconnected in Recovery mode, most likely image personalization failed.",
     "error:personalization-rejected:Device reconnected in Recovery mode, most likely image "
     "personalization failed."},
    {"device didn't accept BasebandData",
     "error:baseband-failed:device didn't accept BasebandData"},
    {"Device did not reconnect in DFU mode. Port DFU failed.",
     "error:usb-connection:Device did not reconnect in DFU mode. Port DFU failed."},
    {"Device did not disconnect. Possibly invalid iBEC. Reset device and try again.",
     "error:usb-connection:Device did not disconnect. Possibly invalid iBEC. Reset device and "
     "try again."},
    {"Could not read data (-256). Aborting.",
     "error:usb-connection:Could not read data (-256). Aborting."},
    {"Unable to connect to restored, error=-3",
     "error:usb-connection:Unable to connect to restored, error=-3"},
    {"Firmware file x.ipsw cannot be opened.",
     "error:firmware-invalid:Firmware file x.ipsw cannot be opened."},
    {"No firmwares are currently being signed for iPhone5,2 (REALLY?!)",
     "error:signing-refused:No firmwares are currently being signed for iPhone5,2 (REALLY?!)"},
    {"Could not fetch list of signed firmwares.",
     "error:signing-unreachable:Could not fetch list of signed firmwares."},
    {"Download from https://example.com/x.ipsw failed.",
     "error:signing-unreachable:Download from https://example.com/x.ipsw failed."},
    {"RESTORE FAILED", "error:unknown:RESTORE FAILED"},
    {"Unable to successfully restore device",
     "error:unknown:Unable to successfully restore device"},
    {"\033[1;31mUnable to connect to ASR\033[0m", "error:usb-connection:Unable to connect to ASR"},
    {"\033[33mWARNING: Unable to find BbSkeyId node\033[0m",
     "warning:Unable to find BbSkeyId node"},

    /* routine "errors" */
    {"ERROR: Unable to receive message from FDR 0x600002b6cf00 (-2). 0/2 bytes",
     "warning:Unable to receive message from FDR 0x600002b6cf00 (-2). 0/2 bytes"},
    {"Unable to receive message from FDR 0x600002b6cf00 (-2). 0/2 bytes",
     "warning:Unable to receive message from FDR 0x600002b6cf00 (-2). 0/2 bytes"},
    {"FDR 0x600002adc4c0 Unable to receive proxy payload (-7)", ""},
    {"recv(14, 4) failed: connection closed", ""},
    {"could not receive message", ""},
    {"[nand_part_core:INF@3172] final 39 pages of boot blocks left unprogrammed", ""},
    {"restore-step-error = {0x1107067D:\"AMFDRDataHTTPChallengeClaim failed)[2]D(", ""},

    /* -P step lines */
    {"progress: 0 0.100000", "progress:preparing:0.030"},
    {"progress: 1 0.500000", "progress:preparing:0.650"},
    {"progress: 2 0.430000", "progress:restoring-system:0.430"},
    {"progress: 3 1.000000", "progress:verifying:1.000"},
    {"progress: 4 0.5", "progress:flashing-firmware:0.500"},
    {"progress: 5 0.25", "progress:baseband:0.250"},
    {"progress: 6 1.000000", "progress:flashing-firmware:1.000"},
    {"progress: 7 1.000000", "progress:restoring-system:1.000"},
    {"progress: 2 7.5", "progress:restoring-system:1.000"},
    {"progress: 9 0.5", ""},
    {"progress: 2 nan", ""},
    {"progress: 2 1e5", ""},
    {"progress: 2 -0.5", ""},
    {"progress: 2", ""},
    {"progress: 12 0.5", ""},

    /* upstream -P labelled lines, and lines that only look like them */
    {"Uploading:   0.4", "progress:sending-boot-files:0.400"},
    {"Cryptex1,SystemOS:   0.9", "progress:restoring-system:0.900"},
    {"Downloading:   0.5", ""},
    {"Extracting:   0.1", ""},
    {"Verifying:   1.0", ""},
    {"Uploading: 5.0", ""},
    {"Product Version: 6.0", ""},
    {"IPSW Product Version: 18.3.1", ""},
    {"Product Build: 10A405 Major: 10", ""},
    {"ECID: 1234567890123456", ""},
    {"BoardID: 0", ""},
    {"Major: 1", ""},

    /* bars */
    {BAR_FULL " 100.0%", "progress:current:1.000"},
    {"\r" BAR_HALF "  50.0%", "progress:current:0.500"},
    {"\r" BAR_HALF "  50.0% ", "progress:current:0.500"},
    {"Uploading " BAR_FULL " 100.0% ", "progress:sending-boot-files:1.000"},
    {"Cryptex1,SystemOS " BAR_HALF "  50.0% ", "progress:restoring-system:0.500"},
    {"Verifying " BAR_FULL " 100.0%", ""},
    {"\r" BAR_TENTH "  10.0%\r" BAR_FIFTH "  20.0%\r" BAR_HALF "  50.0%", "progress:current:0.500"},
    {"\rUploading " BAR_TENTH "  10.0% \rUploading " BAR_FIFTH "  20.0% ",
     "progress:sending-boot-files:0.200"},
    {BAR_FULL "  99.8%ERROR: Unable to send iBSS component: Unable to upload data to device",
     "progress:current:0.998 | error:usb-connection:Unable to send iBSS component: Unable to "
     "upload data to device"},
    {BAR_FIFTH "  19.0%ERROR: Unable to send data to ASR. Sent 0 of 20 bytes.",
     "progress:current:0.190 | error:usb-connection:Unable to send data to ASR. Sent 0 of 20 "
     "bytes."},
    {"\r" BAR_TENTH "  10.0%ERROR: Unable to connect to ASR\r" BAR_FIFTH "  20.0%",
     "error:usb-connection:Unable to connect to ASR | progress:current:0.200"},
    {"Sending filesystem now...\r" BAR_TENTH "  10.0%",
     "stage:restoring-system | progress:current:0.100"},
    {"[==] 10.0%", ""},
    {BAR_HALF "50.0%", ""},
    {BAR_HALF " 50.0", ""},
    {BAR_HALF " .5%", ""},

    /* restored's operations, by name */
    {"Creating partition map (11)", "stage:restoring-system"},
    {"Creating filesystem (12)", "stage:restoring-system"},
    {"Wiping storage device (42)", "stage:restoring-system"},
    {"Resizing system partition (52)", "stage:restoring-system"},
    {"Verifying restore (14)", "stage:verifying"},
    {"Checking filesystems (15)", "stage:verifying"},
    {"Mounting filesystems (16)", "stage:verifying"},
    {"Flashing firmware (18)", "stage:flashing-firmware"},
    {"Fixing up /var (17)", "stage:flashing-firmware"},
    {"Installing kernelcache (27)", "stage:flashing-firmware"},
    {"Requesting FUD data (36)", "stage:flashing-firmware"},
    {"Updating SE Firmware (59)", "stage:flashing-firmware"},
    {"Updating IR MCU firmware (51)", "stage:flashing-firmware"},
    {"Certifying SEP (57)", "stage:flashing-firmware"},
    {"Updating baseband (19)", "stage:baseband"},
    {"Booting the baseband (49)", "stage:baseband"},
    {"Updating gas gauge software (46)", "stage:finishing"},
    {"Creating system key bag (49)", "stage:finishing"},
    {"Unmounting filesystems (29)", "stage:finishing"},
    {"Sealing System Volume (77)", "stage:finishing"},
    {"Sending Apple logo to device (43)", "stage:finishing"},
    {"Unknown operation (45)", ""},
    {"Checking battery voltage (38)", ""},
    {"Restoring image", ""},
    {"Restoring image (13", ""},
    {"Restoring image (x)", ""},
    {"(13)", ""},

    /* stage markers */
    {"Extracting BuildManifest from IPSW", "stage:preparing"},
    {"Entering recovery mode...", "stage:sending-boot-files"},
    {"Personalizing IMG4 component iBSS...", "stage:sending-boot-files"},
    {"Sending iBSS (831476 bytes)...", "stage:sending-boot-files"},
    {"Sending iBEC (747441 bytes)...", "stage:sending-boot-files"},
    {"Sending RestoreKernelCache (14716513 bytes)...", "stage:sending-boot-files"},
    {"Waiting for device to enter restore mode...", "stage:waiting-for-restore-mode"},
    {"About to restore device... ", "stage:restoring-system"},
    {"Connected to com.apple.mobile.restored, version 15", "stage:restoring-system"},
    {"Device 00008030-0011223344556677 has successfully entered restore mode",
     "stage:restoring-system"},
    {"About to send filesystem...", "stage:restoring-system"},
    {"Connected to ASR", "stage:restoring-system"},

    /* the device's status */
    {"Status: Restore Finished", "finished"},
    {"Status: Verification Error", "status:-1:unknown:Status: Verification Error"},
    {"Status: Disk Failure", "status:6:storage-failed:Status: Disk Failure"},
    {"Status: Fail", "status:14:unknown:Status: Fail"},
    {"Status: Failed to mount filesystems.",
     "status:27:storage-failed:Status: Failed to mount filesystems."},
    {"Status: Failed to load SEP Firmware.",
     "status:50:personalization-rejected:Status: Failed to load SEP Firmware."},
    {"Status: Failed to recover FDR data.",
     "status:53:fdr-failed:Status: Failed to recover FDR data."},
    {"Status: X-Gold Baseband Update Failed. Defective Unit?",
     "status:1015:baseband-failed:Status: X-Gold Baseband Update Failed. Defective Unit?"},
    {"Status: Something new", "status:-1:unknown:Status: Something new"},
    {"Unhandled status message (10)", "status:10:unknown:Unhandled status message (10)"},
    {"Unhandled status message (99999999999999999999999)", ""},
    {"Unhandled status message ()", ""},

    /* checkpoints */
    {"Checkpoint FAILURE id: 0x6C2 result=0: [0]D(This host version is unsupported. You may need "
     "to update your host tools.)",
     "error:engine-outdated:This host version is unsupported. You may need to update your host "
     "tools."},
    {"Checkpoint FAILURE id: 0x123 result=5: something broke", "error:unknown:something broke"},
    {"Checkpoint FAILURE", "error:unknown:Checkpoint FAILURE"},
    {"Checkpoint WARNING id: 0x1 result=1: slow",
     "warning:Checkpoint WARNING id: 0x1 result=1: slow"},
    {"Checkpoint completed id: 0x1 (foo) result=0", ""},
    {"Checkpoint 3589 complete with code 0", ""},

    /* the end */
    {"DONE", "done"},
    {"DONE\r", "done"},
    {"DONE  ", "done"},
    {"DONE.", ""},
    {"NOT DONE", ""},
    {"Cleaning up...", ""},

    /* nothing */
    {"", ""},
    {"\r", ""},
    {"\r\r\r", ""},
    {"   ", ""},
    {"Got status message", ""},
    {"ReverseProxy[Conn]: (status=2) Terminated", ""},
};

static const gchar *
mode_to_string(UbDeviceMode mode)
{
	switch (mode) {
	case UB_DEVICE_MODE_NORMAL:
		return "normal";
	case UB_DEVICE_MODE_RECOVERY:
		return "recovery";
	case UB_DEVICE_MODE_DFU:
		return "dfu";
	case UB_DEVICE_MODE_RESTORE:
		return "restore";
	case UB_DEVICE_MODE_DISCONNECTED:
	default:
		return "disconnected";
	}
}

static const gchar *
stage_to_string(UbRestoreStage stage)
{
	if (stage == UB_RESTORE_STAGE_CURRENT)
		return "current";
	return ub_restore_stage_to_id(stage);
}

static gchar *
render_events(GPtrArray *events)
{
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < events->len; i++) {
		UbEngineEvent *event = g_ptr_array_index(events, i);

		if (i > 0)
			g_string_append(str, " | ");
		switch (event->kind) {
		case UB_ENGINE_EVENT_ENGINE_VERSION:
			g_string_append_printf(str, "version:%s", event->text);
			break;
		case UB_ENGINE_EVENT_DEVICE_MODE:
			g_string_append_printf(str, "mode:%s", mode_to_string(event->mode));
			break;
		case UB_ENGINE_EVENT_STAGE:
			g_string_append_printf(str, "stage:%s", stage_to_string(event->stage));
			break;
		case UB_ENGINE_EVENT_PROGRESS:
			g_string_append_printf(str,
					       "progress:%s:%.3f",
					       stage_to_string(event->stage),
					       event->fraction);
			break;
		case UB_ENGINE_EVENT_ERROR:
			g_string_append_printf(
			    str, "error:%s:%s", ub_failure_cause_to_id(event->cause), event->text);
			break;
		case UB_ENGINE_EVENT_WARNING:
			g_string_append_printf(str, "warning:%s", event->text);
			break;
		case UB_ENGINE_EVENT_DEVICE_STATUS:
			g_string_append_printf(str,
					       "status:%" G_GINT64_FORMAT ":%s:%s",
					       event->status_code,
					       ub_failure_cause_to_id(event->cause),
					       event->text);
			break;
		case UB_ENGINE_EVENT_RESTORE_FINISHED:
			g_string_append(str, "finished");
			break;
		case UB_ENGINE_EVENT_DONE:
			g_string_append(str, "done");
			break;
		default:
			g_assert_not_reached();
		}
	}
	return g_string_free(str, FALSE);
}

/* what every event of every line must satisfy, garbage or not */
static void
check_events_sane(GPtrArray *events)
{
	g_assert_nonnull(events);
	for (guint i = 0; i < events->len; i++) {
		UbEngineEvent *event = g_ptr_array_index(events, i);

		g_assert_cmpuint(event->kind, <=, UB_ENGINE_EVENT_DONE);
		g_assert_cmpuint(event->cause, <=, UB_FAILURE_CAUSE_CANCELLED);
		if (event->kind == UB_ENGINE_EVENT_STAGE)
			g_assert_cmpuint(event->stage, <, UB_RESTORE_N_STAGES);
		if (event->kind == UB_ENGINE_EVENT_PROGRESS) {
			g_assert_true(event->stage == UB_RESTORE_STAGE_CURRENT ||
				      (guint)event->stage < UB_RESTORE_N_STAGES);
			g_assert_cmpfloat(event->fraction, >=, 0.0);
			g_assert_cmpfloat(event->fraction, <=, 1.0);
		}
		if (event->text != NULL) {
			g_assert_true(g_utf8_validate(event->text, -1, NULL));
			g_assert_cmpuint(strlen(event->text), <=, UB_ENGINE_EVENT_TEXT_MAX);
		}
		if (event->kind == UB_ENGINE_EVENT_ERROR ||
		    event->kind == UB_ENGINE_EVENT_WARNING ||
		    event->kind == UB_ENGINE_EVENT_DEVICE_STATUS ||
		    event->kind == UB_ENGINE_EVENT_ENGINE_VERSION)
			g_assert_nonnull(event->text);
	}
}

static void
ub_engine_parser_table_func(void)
{
	g_assert_cmpuint(strlen(BAR_FULL), ==, 52);
	g_assert_cmpuint(strlen(BAR_HALF), ==, 52);
	g_assert_cmpuint(strlen(BAR_TENTH), ==, 52);
	g_assert_cmpuint(strlen(BAR_FIFTH), ==, 52);

	for (guint i = 0; i < G_N_ELEMENTS(parser_cases); i++) {
		const UbParserCase *test_case = &parser_cases[i];
		g_autoptr(GPtrArray) events = ub_engine_parse_line(test_case->line, -1);
		g_autofree gchar *rendered = render_events(events);

		check_events_sane(events);
		if (g_strcmp0(rendered, test_case->expected) != 0) {
			g_autofree gchar *escaped = g_strescape(test_case->line, NULL);
			g_test_message("line %u: \"%s\"", i, escaped);
		}
		g_assert_cmpstr(rendered, ==, test_case->expected);
	}
}

/* the length is what counts, not a NUL */
static void
ub_engine_parser_length_func(void)
{
	const gchar line[] = "DONE and more";
	g_autoptr(GPtrArray) done = ub_engine_parse_line(line, 4);
	g_autoptr(GPtrArray) nothing = ub_engine_parse_line(line, -1);
	g_autoptr(GPtrArray) empty = ub_engine_parse_line(line, 0);
	g_autoptr(GPtrArray) null_line = ub_engine_parse_line(NULL, 0);

	g_assert_cmpuint(done->len, ==, 1);
	g_assert_cmpuint(nothing->len, ==, 0);
	g_assert_cmpuint(empty->len, ==, 0);
	g_assert_cmpuint(null_line->len, ==, 0);
}

static void
ub_engine_parser_nul_func(void)
{
	const gchar error_line[] = "ERROR: Unable to upload\0 data to device\0";
	const gchar status_line[] = "Status: Fail\0\0\0";
	g_autoptr(GPtrArray) errors = ub_engine_parse_line(error_line, sizeof(error_line) - 1);
	g_autoptr(GPtrArray) statuses = ub_engine_parse_line(status_line, sizeof(status_line) - 1);
	UbEngineEvent *event;

	check_events_sane(errors);
	g_assert_cmpuint(errors->len, ==, 1);
	event = g_ptr_array_index(errors, 0);
	g_assert_cmpint(event->kind, ==, UB_ENGINE_EVENT_ERROR);
	g_assert_cmpstr(event->text, ==, "Unable to upload data to device");
	g_assert_cmpint(event->cause, ==, UB_FAILURE_CAUSE_USB_CONNECTION);

	check_events_sane(statuses);
	g_assert_cmpuint(statuses->len, ==, 1);
	event = g_ptr_array_index(statuses, 0);
	g_assert_cmpint(event->status_code, ==, 14);
}

static void
ub_engine_parser_invalid_utf8_func(void)
{
	g_autoptr(GPtrArray) events =
	    ub_engine_parse_line("ERROR: Unable to connect to ASR \xff\xfe\xc3 at \xe2\x82", -1);
	UbEngineEvent *event;

	check_events_sane(events);
	g_assert_cmpuint(events->len, ==, 1);
	event = g_ptr_array_index(events, 0);
	g_assert_cmpint(event->cause, ==, UB_FAILURE_CAUSE_USB_CONNECTION);
	g_assert_nonnull(strstr(event->text, "\xef\xbf\xbd"));
}

/* long text is cut at a character boundary */
static void
ub_engine_parser_long_text_func(void)
{
	g_autoptr(GString) line = g_string_new("ERROR: Unable to connect to ASR ");
	g_autoptr(GPtrArray) events = NULL;
	UbEngineEvent *event;

	for (guint i = 0; i < 3000; i++)
		g_string_append(line, "\xc3\xa9");
	events = ub_engine_parse_line(line->str, (gssize)line->len);
	check_events_sane(events);
	g_assert_cmpuint(events->len, ==, 1);
	event = g_ptr_array_index(events, 0);
	g_assert_cmpuint(strlen(event->text), >, UB_ENGINE_EVENT_TEXT_MAX - 4);
	g_assert_cmpint(event->cause, ==, UB_FAILURE_CAUSE_USB_CONNECTION);
}

/* bytes biased toward what the rules look at */
static void
ub_engine_parser_random_func(void)
{
	static const gchar alphabet[] = "\r\n\t\033[]=% .:0123456789()<>-,DEFRSUabcdefilnorstu";
	static const gchar *const seeds[] = {
	    "ERROR: ",
	    "Status: ",
	    "progress: 2 0.5",
	    "Uploading: ",
	    "Checkpoint FAILURE id: 0x1 result=1: D(",
	    "12:34:56.789   <Error> ",
	    "idevicerestore 1.0.0 (",
	    "Found device in ",
	    "Unhandled status message (",
	    BAR_HALF "  50.0%",
	    "Updating baseband (19)",
	    "Unable to ",
	};
	g_autoptr(GRand) rand = g_rand_new_with_seed(20260101);
	gint64 start = g_get_monotonic_time();

	for (guint i = 0; i < 10000; i++) {
		g_autoptr(GString) line = g_string_new(NULL);
		g_autoptr(GPtrArray) events = NULL;
		guint len = (guint)g_rand_int_range(rand, 0, 512);

		for (guint j = 0; j < len; j++) {
			gint choice = g_rand_int_range(rand, 0, 10);

			if (choice < 4)
				g_string_append_c(line, (gchar)g_rand_int_range(rand, 0, 256));
			else if (choice < 9)
				g_string_append_c(
				    line,
				    alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)]);
			else
				g_string_append(
				    line, seeds[g_rand_int_range(rand, 0, G_N_ELEMENTS(seeds))]);
		}
		events = ub_engine_parse_line(line->str, (gssize)line->len);
		check_events_sane(events);
	}
	g_test_message("10000 random lines in %.0f ms", (g_get_monotonic_time() - start) / 1000.0);
}

static void
parse_big_line(const gchar *name, const gchar *unit, gsize size, guint *n_events)
{
	g_autoptr(GString) line = g_string_sized_new(size + 64);
	g_autoptr(GPtrArray) events = NULL;
	gint64 start;

	while (line->len < size)
		g_string_append(line, unit);
	start = g_get_monotonic_time();
	events = ub_engine_parse_line(line->str, (gssize)line->len);
	g_test_message("%s: %" G_GSIZE_FORMAT " bytes, %u events in %.0f ms",
		       name,
		       line->len,
		       events->len,
		       (g_get_monotonic_time() - start) / 1000.0);
	check_events_sane(events);
	if (n_events != NULL)
		*n_events = events->len;
}

/* 1 MB lines of the characters the rules scan for: must stay linear */
static void
ub_engine_parser_huge_func(void)
{
	const gsize size = 1024 * 1024;
	g_autofree gchar *nul_line = g_malloc0(size);
	g_autoptr(GPtrArray) nul_events = NULL;
	guint n_events = 0;

	nul_events = ub_engine_parse_line(nul_line, (gssize)size);
	g_assert_cmpuint(nul_events->len, ==, 0);

	parse_big_line("letters", "a", size, &n_events);
	g_assert_cmpuint(n_events, ==, 0);
	parse_big_line("brackets", "[=", size, NULL);
	parse_big_line("open brackets", "[", size, NULL);
	parse_big_line("cells", "[==========", size, NULL);
	parse_big_line("carriage returns", "\r", size, &n_events);
	g_assert_cmpuint(n_events, ==, 0);
	parse_big_line("escapes", "\033[", size, NULL);
	parse_big_line("digits", "7", size, NULL);
	parse_big_line("colons", "Uploading: ", size, NULL);
	parse_big_line("errors", "ERROR: ", size, &n_events);
	g_assert_cmpuint(n_events, ==, 1);
	parse_big_line("unable", "Unable to ", size, &n_events);
	g_assert_cmpuint(n_events, ==, 1);
	parse_big_line("d", "D(", size, NULL);
	parse_big_line("checkpoint", "Checkpoint FAILURE result=: D(", size, NULL);
	parse_big_line("operations", "Restoring image (13)", size, NULL);
	parse_big_line("redraws", "\r" BAR_HALF "  50.0%", size, &n_events);
	g_assert_cmpuint(n_events, ==, 1);
	parse_big_line("redraws with errors", "\r" BAR_HALF "  50.0%ERROR: x", size, NULL);
	parse_big_line("invalid", "\xff", size, NULL);
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/engine-parser/table", ub_engine_parser_table_func);
	g_test_add_func("/unbrick/engine-parser/length", ub_engine_parser_length_func);
	g_test_add_func("/unbrick/engine-parser/nul", ub_engine_parser_nul_func);
	g_test_add_func("/unbrick/engine-parser/invalid-utf8", ub_engine_parser_invalid_utf8_func);
	g_test_add_func("/unbrick/engine-parser/long-text", ub_engine_parser_long_text_func);
	g_test_add_func("/unbrick/engine-parser/random", ub_engine_parser_random_func);
	g_test_add_func("/unbrick/engine-parser/huge", ub_engine_parser_huge_func);
	return g_test_run();
}
