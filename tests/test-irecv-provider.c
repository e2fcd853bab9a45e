/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ub-error.h"
#include "ub-fake-sysfs.h"
#include "ub-irecv-poller.h"
#include "ub-irecv-provider-private.h"
#include "ub-test.h"
#include "ub-usb-port.h"

#define RECOVERY_SERIAL                                                            \
	"CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C " \
	"SRTG:[iBoot-3865.0.0.4.7]"
/* the same iPhone X in DFU: the boot ROM adds the serial number */
#define DFU_SERIAL                                                                 \
	"CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C " \
	"SRNM:[F2LXXXXXXXXX] SRTG:[iBoot-3332.0.0.1.23]"

static void
ub_irecv_mode_func(void)
{
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0x1227), ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(IRECV_K_DFU_MODE), ==, UB_DEVICE_MODE_DFU);
	for (guint pid = 0x1280; pid <= 0x1283; pid++)
		g_assert_cmpint(_ub_irecv_provider_mode_from_pid(pid), ==, UB_DEVICE_MODE_RECOVERY);
	/* WTF mode, and what libirecovery 1.0.0 puts in remove events */
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0x1222), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0x1284), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0x12a8), ==, UB_DEVICE_MODE_DISCONNECTED);
	g_assert_cmpint(_ub_irecv_provider_mode_from_pid(0xf014), ==, UB_DEVICE_MODE_DISCONNECTED);
}

static void
ub_irecv_source_id_func(void)
{
	g_autofree gchar *id1 = _ub_irecv_provider_format_source_id(0x001A2B3C4D5E6F70, 0x1281);
	g_autofree gchar *id2 = _ub_irecv_provider_format_source_id(0x123456789AB, 0x1227);
	const gchar *bad[] = {
	    NULL,
	    "",
	    "irecv",
	    "irecv:001A2B3C4D5E6F70",
	    "irecv:001A2B3C4D5E6F70:",
	    "irecv:001A2B3C4D5E6F70:1281:x",
	    "usbmux:001A2B3C4D5E6F70:1281",
	    "irecv:1A2B3C4D5E6F70:1281",
	    "irecv:001A2B3C4D5E6F7G:1281",
	    "irecv:001A2B3C4D5E6F70:zz",
	    "irecv:001A2B3C4D5E6F70:10000",
	};
	guint64 ecid = 0;
	guint pid = 0;

	g_assert_cmpstr(id1, ==, "irecv:001A2B3C4D5E6F70:1281");
	g_assert_cmpstr(id2, ==, "irecv:00000123456789AB:1227");

	g_assert_true(_ub_irecv_provider_parse_source_id(id1, &ecid, &pid));
	g_assert_cmpuint(ecid, ==, 0x001A2B3C4D5E6F70);
	g_assert_cmpuint(pid, ==, 0x1281);
	g_assert_true(_ub_irecv_provider_parse_source_id(id2, &ecid, &pid));
	g_assert_cmpuint(ecid, ==, 0x123456789AB);
	g_assert_cmpuint(pid, ==, 0x1227);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("source id %s", bad[i]);
		g_assert_false(_ub_irecv_provider_parse_source_id(bad[i], NULL, NULL));
	}
}

static void
ub_irecv_serial_ecid_func(void)
{
	struct {
		const gchar *serial;
		gboolean ok;
		guint64 ecid;
	} cases[] = {
	    {RECOVERY_SERIAL, TRUE, 0x001A2B3C4D5E6F70},
	    /* the boot ROM's DFU string */
	    {"CPID:8960 CPRV:11 CPFM:03 SCEP:01 BDID:00 ECID:000012345678ABCD IBFL:1C "
	     "SRTG:[iBoot-1704.10]",
	     TRUE,
	     0x000012345678ABCD},
	    /* newer boot ROMs add fields after SRTG */
	    {"CPID:8101 CPRV:11 CPFM:03 SCEP:01 BDID:0C ECID:001A2B3C4D5E6F70 IBFL:3C "
	     "SRTG:[iBoot-4479.0.0.100.4] PMI:0",
	     TRUE,
	     0x001A2B3C4D5E6F70},
	    {"CPID:8015 CPRV:11 SRTG:[iBoot-3865.0.0.4.7]", FALSE, 0},
	    {"ECID:[redacted]", FALSE, 0},
	    {NULL, FALSE, 0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint64 ecid = 0;
		g_test_message("serial %s", cases[i].serial);
		g_assert_cmpint(
		    _ub_irecv_provider_parse_serial_ecid(cases[i].serial, &ecid), ==, cases[i].ok);
		if (cases[i].ok)
			g_assert_cmpuint(ecid, ==, cases[i].ecid);
	}
}

/* irecovery -q prints the fields iBoot put in the USB serial, one a line
 * ("ECID: 0x00000123456789ab"); put them back together the way iBoot
 * writes them ("ECID:00000123456789AB") and parse that */
static gchar *
serial_from_irecovery_q(const gchar *text, guint64 *ecid_out, gboolean *ecid_known)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GString) serial = g_string_new(NULL);
	const gchar *keys[] = {"CPID", "CPRV", "CPFM", "SCEP", "BDID", "ECID", "IBFL", "SRNM"};

	*ecid_known = FALSE;
	for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
		for (guint i = 0; lines[i] != NULL; i++) {
			g_autofree gchar *prefix = g_strdup_printf("%s: ", keys[k]);
			g_autofree gchar *value = NULL;
			gchar *line = g_strstrip(lines[i]);

			if (!g_str_has_prefix(line, prefix))
				continue;
			value = g_strdup(line + strlen(prefix));
			if (g_str_has_prefix(value, "0x")) {
				guint64 number = g_ascii_strtoull(value + 2, NULL, 16);
				g_free(value);
				/* iBoot pads the ECID to 16 digits, the rest to 2 or 4 */
				if (g_strcmp0(keys[k], "ECID") == 0) {
					value =
					    g_strdup_printf("%016" G_GINT64_MODIFIER "X", number);
					*ecid_out = number;
					*ecid_known = TRUE;
				} else {
					value =
					    g_strdup_printf("%02" G_GINT64_MODIFIER "X", number);
				}
			} else if (g_strcmp0(keys[k], "SRNM") == 0) {
				g_autofree gchar *tmp = g_steal_pointer(&value);
				value = g_strdup_printf("[%s]", tmp);
			}
			if (serial->len > 0)
				g_string_append_c(serial, ' ');
			g_string_append_printf(serial, "%s:%s", keys[k], value);
			break;
		}
	}
	return g_string_free(g_steal_pointer(&serial), FALSE);
}

static void
ub_irecv_serial_fixtures_func(void)
{
	const gchar *names[] = {
	    "irecovery-q-recovery-iphone6,2-windows.txt",
	    "irecovery-qv-recovery-iphone8,1.txt",
	    "irecovery-q-dfu-iphone14,5-partial.txt",
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *fn = ub_test_data_path("tool-output", names[i], NULL);
		g_autofree gchar *text = NULL;
		g_autofree gchar *serial = NULL;
		g_autoptr(GError) error = NULL;
		gboolean ecid_known = FALSE;
		guint64 expected = 0;
		guint64 ecid = 0;

		g_file_get_contents(fn, &text, NULL, &error);
		g_assert_no_error(error);
		serial = serial_from_irecovery_q(text, &expected, &ecid_known);
		g_test_message("%s: %s", names[i], serial);
		/* the DFU capture has its ECID redacted: nothing to find then */
		g_assert_cmpint(
		    _ub_irecv_provider_parse_serial_ecid(serial, &ecid), ==, ecid_known);
		if (ecid_known)
			g_assert_cmpuint(ecid, ==, expected);

		/* the poller reads the same string into what an add event holds */
		{
			struct irecv_device_info info;
			g_assert_cmpint(
			    _ub_irecv_poller_info_from_serial(serial, &info), ==, ecid_known);
			if (ecid_known) {
				g_assert_cmpuint(info.ecid, ==, expected);
				g_assert_cmphex(info.cpid, !=, 0);
			}
			_ub_irecv_poller_clear_info(&info);
		}
	}
}

static void
ub_irecv_lookup_model_func(void)
{
	const gchar *product_type = NULL;
	const gchar *hardware_model = NULL;

	/* both in the fixtures, and in every libirecovery since 2020 */
	g_assert_true(
	    _ub_irecv_provider_lookup_model(0x8960, 0x02, &product_type, &hardware_model));
	g_assert_cmpstr(product_type, ==, "iPhone6,2");
	g_assert_cmpstr(hardware_model, ==, "n53ap");
	g_assert_true(
	    _ub_irecv_provider_lookup_model(0x8000, 0x04, &product_type, &hardware_model));
	g_assert_cmpstr(product_type, ==, "iPhone8,1");
	g_assert_cmpstr(hardware_model, ==, "n71ap");

	/* newer than Debian's libirecovery: either right or not known */
	product_type = NULL;
	if (_ub_irecv_provider_lookup_model(0x8110, 0x0A, &product_type, NULL))
		g_assert_cmpstr(product_type, ==, "iPhone14,5");

	g_assert_false(_ub_irecv_provider_lookup_model(0, 0, NULL, NULL));
	g_assert_false(_ub_irecv_provider_lookup_model(0xFFFF, 0xFF, NULL, NULL));
}

static void
ub_irecv_build_report_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbDeviceReport) report = NULL;
	g_autoptr(UbDeviceReport) report2 = NULL;
	g_autoptr(UbDeviceReport) report3 = NULL;
	struct irecv_device_info info = {0};
	gchar srnm[] = "F2LXXXXXXXXX";
	gchar na[] = "N/A";
	gchar serial[] = "CPID:8000 CPRV:20 CPFM:03 SCEP:01 BDID:04 ECID:00000123456789AB "
			 "IBFL:1C SRNM:[F2LXXXXXXXXX]";

	ub_fake_sysfs_add_device(fake,
				 "1-2",
				 0x05ac,
				 0x1281,
				 serial,
				 "Apple Mobile Device (Recovery Mode)",
				 "480",
				 1,
				 5);

	info.cpid = 0x8000;
	info.bdid = 0x04;
	info.ecid = 0x00000123456789AB;
	info.srnm = srnm;
	info.serial_string = serial;
	report = _ub_irecv_provider_build_report(&info, 0x1281, ub_fake_sysfs_get_root(fake));
	g_assert_nonnull(report);
	g_assert_cmpstr(report->source_id, ==, "irecv:00000123456789AB:1281");
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmpuint(report->ecid, ==, 0x00000123456789AB);
	g_assert_cmpuint(report->cpid, ==, 0x8000);
	g_assert_cmpuint(report->bdid, ==, 0x04);
	g_assert_cmpstr(report->serial, ==, "F2LXXXXXXXXX");
	g_assert_cmpstr(report->usb_serial, ==, serial);
	g_assert_cmpstr(report->product_type, ==, "iPhone8,1");
	g_assert_cmpstr(report->hardware_model, ==, "n71ap");
	g_assert_null(report->udid);
	g_assert_false(report->simulated);
	g_assert_nonnull(report->port);
	g_assert_cmpstr(ub_usb_port_get_path(report->port), ==, "1-2");

	/* DFU, a model this libirecovery may not know, no port, no ECID
	 * field: the ECID comes from the serial string */
	info.cpid = 0x8ff0;
	info.ecid = 0;
	info.srnm = na;
	info.serial_string = serial;
	report2 = _ub_irecv_provider_build_report(&info, 0x1227, NULL);
	g_assert_nonnull(report2);
	g_assert_cmpstr(report2->source_id, ==, "irecv:00000123456789AB:1227");
	g_assert_cmpint(report2->mode, ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpuint(report2->ecid, ==, 0x00000123456789AB);
	g_assert_null(report2->serial);
	g_assert_null(report2->product_type);
	g_assert_null(report2->hardware_model);
	g_assert_null(report2->port);

	/* nothing to report in WTF mode */
	g_assert_null(_ub_irecv_provider_build_report(&info, 0x1222, NULL));

	/* a device the fake sysfs does not have */
	info.ecid = 0x42;
	info.serial_string = NULL;
	report3 = _ub_irecv_provider_build_report(&info, 0x1280, ub_fake_sysfs_get_root(fake));
	g_assert_nonnull(report3);
	g_assert_null(report3->port);
	g_assert_null(report3->usb_serial);
}

static void
ub_irecv_error_code_func(void)
{
	g_assert_cmpint(_ub_irecv_provider_error_code(IRECV_E_NO_DEVICE), ==, UB_ERROR_DEVICE_LOST);
	g_assert_cmpint(
	    _ub_irecv_provider_error_code(IRECV_E_UNABLE_TO_CONNECT), ==, UB_ERROR_DEVICE_LOST);
	g_assert_cmpint(_ub_irecv_provider_error_code(IRECV_E_TIMEOUT), ==, UB_ERROR_TIMED_OUT);
	g_assert_cmpint(
	    _ub_irecv_provider_error_code(IRECV_E_UNSUPPORTED), ==, UB_ERROR_NOT_SUPPORTED);
	g_assert_cmpint(_ub_irecv_provider_error_code(IRECV_E_PIPE), ==, UB_ERROR_FAILED);
	g_assert_cmpint(_ub_irecv_provider_error_code(IRECV_E_UNKNOWN_ERROR), ==, UB_ERROR_FAILED);
}

typedef struct {
	GPtrArray *seen; /* UbDeviceReport */
	GPtrArray *lost; /* gchar * */
	GThread *main_thread;
} Events;

static void
device_seen_cb(UbDeviceProvider *provider, UbDeviceReport *report, Events *events)
{
	g_assert_true(g_thread_self() == events->main_thread);
	g_ptr_array_add(events->seen, ub_device_report_copy(report));
}

static void
device_lost_cb(UbDeviceProvider *provider, const gchar *source_id, Events *events)
{
	g_assert_true(g_thread_self() == events->main_thread);
	g_ptr_array_add(events->lost, g_strdup(source_id));
}

typedef struct {
	UbIrecvProvider *provider;
	irecv_device_event_t event;
} InjectData;

static gpointer
inject_thread_cb(gpointer user_data)
{
	InjectData *data = user_data;
	_ub_irecv_provider_handle_event(data->provider, &data->event);
	return NULL;
}

/* hands an event in the way libirecovery does: from another thread */
static void
inject(UbIrecvProvider *provider,
       irecv_device_event_type type,
       guint mode,
       struct irecv_device_info *info)
{
	InjectData data = {.provider = provider};
	GThread *thread;

	data.event.type = type;
	data.event.mode = mode;
	data.event.device_info = info;
	thread = g_thread_new("fake-libirecovery", inject_thread_cb, &data);
	g_thread_join(thread);
}

static gboolean
wait_for(GPtrArray *array, guint len)
{
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (array->len < len && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, FALSE);
	return array->len >= len;
}

static void
ub_irecv_events_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GPtrArray) seen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)ub_device_report_free);
	g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	Events events = {.seen = seen, .lost = lost, .main_thread = g_thread_self()};
	struct irecv_device_info info = {0};
	gchar serial[] = RECOVERY_SERIAL;
	UbDeviceReport *report;

	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fake), TRUE);
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, serial, NULL, "480", 1, 5);

	_ub_irecv_provider_set_use_library(provider, FALSE);
	g_signal_connect(provider, "device-seen", G_CALLBACK(device_seen_cb), &events);
	g_signal_connect(provider, "device-lost", G_CALLBACK(device_lost_cb), &events);
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);

	info.cpid = 0x8015;
	info.bdid = 0x06;
	info.ecid = 0x001A2B3C4D5E6F70;
	info.serial_string = serial;

	/* a Recovery device arrives, on the main thread, with its port */
	inject(provider, IRECV_DEVICE_ADD, 0x1281, &info);
	g_assert_true(wait_for(seen, 1));
	report = g_ptr_array_index(seen, 0);
	g_assert_cmpstr(report->source_id, ==, "irecv:001A2B3C4D5E6F70:1281");
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmpstr(report->product_type, ==, "iPhone10,3");
	g_assert_nonnull(report->port);
	g_assert_cmpstr(ub_usb_port_get_path(report->port), ==, "1-2");

	/* it goes, and libirecovery 1.0.0 does not say which mode it was in */
	inject(provider, IRECV_DEVICE_REMOVE, 0, &info);
	g_assert_true(wait_for(lost, 1));
	g_assert_cmpstr(g_ptr_array_index(lost, 0), ==, "irecv:001A2B3C4D5E6F70:1281");

	/* WTF mode and unknown removals are ignored */
	inject(provider, IRECV_DEVICE_ADD, 0x1222, &info);
	inject(provider, IRECV_DEVICE_REMOVE, 0, &info);
	ub_test_spin(50);
	g_assert_cmpuint(seen->len, ==, 1);
	g_assert_cmpuint(lost->len, ==, 1);

	/* back in DFU with no remove in between: the old appearance is lost */
	inject(provider, IRECV_DEVICE_ADD, 0x1281, &info);
	inject(provider, IRECV_DEVICE_ADD, 0x1227, &info);
	g_assert_true(wait_for(seen, 3));
	g_assert_true(wait_for(lost, 2));
	g_assert_cmpstr(g_ptr_array_index(lost, 1), ==, "irecv:001A2B3C4D5E6F70:1281");
	report = g_ptr_array_index(seen, 2);
	g_assert_cmpstr(report->source_id, ==, "irecv:001A2B3C4D5E6F70:1227");
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_DFU);

	/* a late remove naming the old mode (libirecovery >= 1.2.1) does not
	 * take the new appearance with it */
	inject(provider, IRECV_DEVICE_REMOVE, 0x1281, &info);
	ub_test_spin(50);
	g_assert_cmpuint(lost->len, ==, 2);
	inject(provider, IRECV_DEVICE_REMOVE, 0x1227, &info);
	g_assert_true(wait_for(lost, 3));
	g_assert_cmpstr(g_ptr_array_index(lost, 2), ==, "irecv:001A2B3C4D5E6F70:1227");

	/* queued before stop, delivered never */
	inject(provider, IRECV_DEVICE_ADD, 0x1281, &info);
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	inject(provider, IRECV_DEVICE_ADD, 0x1227, &info);
	ub_test_spin(100);
	g_assert_cmpuint(seen->len, ==, 3);
	g_assert_cmpuint(lost->len, ==, 3);

	/* and a restart reports again */
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	inject(provider, IRECV_DEVICE_ADD, 0x1281, &info);
	g_assert_true(wait_for(seen, 4));
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));

	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

static void
ub_irecv_serial_info_func(void)
{
	struct irecv_device_info info;

	g_assert_true(_ub_irecv_poller_info_from_serial(DFU_SERIAL, &info));
	g_assert_cmphex(info.cpid, ==, 0x8015);
	g_assert_cmphex(info.cprv, ==, 0x11);
	g_assert_cmphex(info.cpfm, ==, 0x03);
	g_assert_cmphex(info.scep, ==, 0x01);
	g_assert_cmphex(info.bdid, ==, 0x06);
	g_assert_cmphex(info.ibfl, ==, 0x3c);
	g_assert_cmpuint(info.ecid, ==, 0x001A2B3C4D5E6F70);
	g_assert_cmpstr(info.srnm, ==, "F2LXXXXXXXXX");
	g_assert_null(info.imei);
	g_assert_cmpstr(info.serial_string, ==, DFU_SERIAL);
	_ub_irecv_poller_clear_info(&info);
	g_assert_null(info.serial_string);

	/* a key inside another word is not that key; a bracket never closed
	 * is no value; a field that is not hex reads as 0 */
	g_assert_true(_ub_irecv_poller_info_from_serial(
	    "XCPID:1234 ECID:00000000000000AB BDID:zz SRNM:[F2L", &info));
	g_assert_cmphex(info.cpid, ==, 0);
	g_assert_cmphex(info.bdid, ==, 0);
	g_assert_cmpuint(info.ecid, ==, 0xab);
	g_assert_null(info.srnm);
	_ub_irecv_poller_clear_info(&info);

	/* no ECID, no device */
	g_assert_false(_ub_irecv_poller_info_from_serial("CPID:8015 BDID:06", &info));
	g_assert_false(_ub_irecv_poller_info_from_serial("", &info));
	g_assert_false(_ub_irecv_poller_info_from_serial(NULL, &info));
	_ub_irecv_poller_clear_info(&info);
}

/* no hotplug event at all: everything comes from looking at sysfs */
static void
ub_irecv_poll_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GPtrArray) seen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)ub_device_report_free);
	g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	Events events = {.seen = seen, .lost = lost, .main_thread = g_thread_self()};
	UbDeviceReport *report;

	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fake), TRUE);
	/* plugged in before Unbrick starts, in Recovery; beside it a mouse and
	 * an iPhone in WTF mode, neither of which is reported */
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 5);
	ub_fake_sysfs_add_device(fake, "1-3", 0x046d, 0xc077, NULL, "USB Mouse", "1.5", 1, 6);
	ub_fake_sysfs_add_device(
	    fake, "1-4", 0x05ac, 0x1222, "CPID:8960 ECID:0000000000000042", NULL, "480", 1, 7);

	_ub_irecv_provider_set_use_library(provider, FALSE);
	_ub_irecv_provider_set_polling(provider, UB_IRECV_POLLING_ALWAYS, 20);
	g_signal_connect(provider, "device-seen", G_CALLBACK(device_seen_cb), &events);
	g_signal_connect(provider, "device-lost", G_CALLBACK(device_lost_cb), &events);
	g_assert_false(_ub_irecv_provider_get_polling(provider));
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	g_assert_true(_ub_irecv_provider_get_polling(provider));

	g_assert_true(wait_for(seen, 1));
	report = g_ptr_array_index(seen, 0);
	g_assert_cmpstr(report->source_id, ==, "irecv:001A2B3C4D5E6F70:1281");
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_RECOVERY);
	g_assert_cmphex(report->cpid, ==, 0x8015);
	g_assert_cmphex(report->bdid, ==, 0x06);
	g_assert_cmpstr(report->product_type, ==, "iPhone10,3");
	g_assert_cmpstr(report->usb_serial, ==, RECOVERY_SERIAL);
	g_assert_nonnull(report->port);
	g_assert_cmpstr(ub_usb_port_get_path(report->port), ==, "1-2");

	/* nothing changes: nothing is said again */
	ub_test_spin(100);
	g_assert_cmpuint(seen->len, ==, 1);
	g_assert_cmpuint(lost->len, ==, 0);

	/* the iPhone re-enumerates in DFU on the same port */
	ub_fake_sysfs_remove_device(fake, "1-2");
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1227, DFU_SERIAL, NULL, "480", 1, 8);
	g_assert_true(wait_for(lost, 1));
	g_assert_cmpstr(g_ptr_array_index(lost, 0), ==, "irecv:001A2B3C4D5E6F70:1281");
	g_assert_true(wait_for(seen, 2));
	report = g_ptr_array_index(seen, 1);
	g_assert_cmpstr(report->source_id, ==, "irecv:001A2B3C4D5E6F70:1227");
	g_assert_cmpint(report->mode, ==, UB_DEVICE_MODE_DFU);
	g_assert_cmpstr(report->serial, ==, "F2LXXXXXXXXX");

	/* it is unplugged */
	ub_fake_sysfs_remove_device(fake, "1-2");
	g_assert_true(wait_for(lost, 2));
	g_assert_cmpstr(g_ptr_array_index(lost, 1), ==, "irecv:001A2B3C4D5E6F70:1227");

	/* stopped, the poller looks no more */
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	g_assert_false(_ub_irecv_provider_get_polling(provider));
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 9);
	ub_test_spin(100);
	g_assert_cmpuint(seen->len, ==, 2);
	g_assert_cmpuint(lost->len, ==, 2);

	/* restarted, it finds what is there now */
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	g_assert_true(wait_for(seen, 3));
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

/* hotplug works after all: the poller's news of the same device is dropped,
 * and its remove still ends an appearance whose remove event was lost */
static void
ub_irecv_poll_with_events_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GPtrArray) seen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)ub_device_report_free);
	g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	Events events = {.seen = seen, .lost = lost, .main_thread = g_thread_self()};
	struct irecv_device_info info = {0};
	gchar serial[] = RECOVERY_SERIAL;

	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fake), TRUE);
	_ub_irecv_provider_set_use_library(provider, FALSE);
	_ub_irecv_provider_set_polling(provider, UB_IRECV_POLLING_ALWAYS, 20);
	g_signal_connect(provider, "device-seen", G_CALLBACK(device_seen_cb), &events);
	g_signal_connect(provider, "device-lost", G_CALLBACK(device_lost_cb), &events);
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);

	/* libirecovery tells first, then the device shows in sysfs */
	info.cpid = 0x8015;
	info.bdid = 0x06;
	info.ecid = 0x001A2B3C4D5E6F70;
	info.serial_string = serial;
	inject(provider, IRECV_DEVICE_ADD, 0x1281, &info);
	g_assert_true(wait_for(seen, 1));
	ub_fake_sysfs_add_device(fake, "1-2", 0x05ac, 0x1281, RECOVERY_SERIAL, NULL, "480", 1, 5);
	ub_test_spin(150);
	g_assert_cmpuint(seen->len, ==, 1);

	/* unplugged, and libirecovery's remove never comes */
	ub_fake_sysfs_remove_device(fake, "1-2");
	g_assert_true(wait_for(lost, 1));
	g_assert_cmpstr(g_ptr_array_index(lost, 0), ==, "irecv:001A2B3C4D5E6F70:1281");
	/* a late remove from libirecovery changes nothing */
	inject(provider, IRECV_DEVICE_REMOVE, 0x1281, &info);
	ub_test_spin(50);
	g_assert_cmpuint(lost->len, ==, 1);

	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

static void
ub_irecv_start_no_usb_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root = g_build_filename(ub_fake_sysfs_get_root(fake), "empty", NULL);

	/* a container without USB: the app goes on without this provider */
	g_setenv("UNBRICK_SYSFS_ROOT", root, TRUE);
	g_assert_false(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_error(error, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	/* stopping what never started is fine */
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

static void
ub_irecv_subscribe_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GError) error = NULL;

	/* the real library, subscribed and let go again; a machine with a
	 * device in Recovery may report it, which is fine too */
	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fake), TRUE);
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	/* a second start is a no-op */
	g_assert_true(ub_device_provider_start(UB_DEVICE_PROVIDER(provider), &error));
	g_assert_no_error(error);
	ub_test_spin(200);
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	ub_device_provider_stop(UB_DEVICE_PROVIDER(provider));
	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

static void
exit_recovery_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GError **error = user_data;
	gboolean ok =
	    ub_device_provider_exit_recovery_finish(UB_DEVICE_PROVIDER(source), result, error);
	g_assert_false(ok);
	g_assert_nonnull(*error);
}

static GError *
exit_recovery(UbIrecvProvider *provider, const gchar *source_id)
{
	GError *error = NULL;

	ub_device_provider_exit_recovery_async(
	    UB_DEVICE_PROVIDER(provider), source_id, NULL, exit_recovery_cb, &error);
	while (error == NULL)
		g_main_context_iteration(NULL, TRUE);
	return error;
}

static void
ub_irecv_exit_recovery_func(void)
{
	g_autoptr(UbFakeSysfs) fake = ub_fake_sysfs_new();
	g_autoptr(UbIrecvProvider) provider = ub_irecv_provider_new();
	g_autoptr(GError) error_dfu = NULL;
	g_autoptr(GError) error_bad = NULL;
	g_autoptr(GError) error_gone = NULL;

	g_setenv("UNBRICK_SYSFS_ROOT", ub_fake_sysfs_get_root(fake), TRUE);
	_ub_irecv_provider_set_open_attempts(provider, 1);

	/* the boot ROM has no auto-boot to set */
	error_dfu = exit_recovery(provider, "irecv:001A2B3C4D5E6F70:1227");
	g_assert_error(error_dfu, UB_ERROR, UB_ERROR_NOT_SUPPORTED);
	g_assert_true(g_str_has_prefix(error_dfu->message, "failed to leave recovery mode: "));
	g_assert_nonnull(strstr(error_dfu->message, "force-restart"));

	error_bad = exit_recovery(provider, "usbmux:00008030-001A2B3C4D5E6F70");
	g_assert_error(error_bad, UB_ERROR, UB_ERROR_NOT_FOUND);

	/* a device that is not there: libirecovery finds nothing to open and
	 * sysfs confirms it is gone */
	error_gone = exit_recovery(provider, "irecv:00DEADBEEF00CAFE:1281");
	g_assert_error(error_gone, UB_ERROR, UB_ERROR_DEVICE_LOST);
	g_assert_true(g_str_has_prefix(error_gone->message, "failed to leave recovery mode: "));

	g_unsetenv("UNBRICK_SYSFS_ROOT");
}

int
main(int argc, char **argv)
{
	ub_test_init(&argc, &argv);

	g_test_add_func("/unbrick/irecv-provider/mode", ub_irecv_mode_func);
	g_test_add_func("/unbrick/irecv-provider/source-id", ub_irecv_source_id_func);
	g_test_add_func("/unbrick/irecv-provider/serial-ecid", ub_irecv_serial_ecid_func);
	g_test_add_func("/unbrick/irecv-provider/serial-fixtures", ub_irecv_serial_fixtures_func);
	g_test_add_func("/unbrick/irecv-provider/lookup-model", ub_irecv_lookup_model_func);
	g_test_add_func("/unbrick/irecv-provider/build-report", ub_irecv_build_report_func);
	g_test_add_func("/unbrick/irecv-provider/error-code", ub_irecv_error_code_func);
	g_test_add_func("/unbrick/irecv-provider/events", ub_irecv_events_func);
	g_test_add_func("/unbrick/irecv-provider/serial-info", ub_irecv_serial_info_func);
	g_test_add_func("/unbrick/irecv-provider/poll", ub_irecv_poll_func);
	g_test_add_func("/unbrick/irecv-provider/poll-with-events", ub_irecv_poll_with_events_func);
	g_test_add_func("/unbrick/irecv-provider/start-no-usb", ub_irecv_start_no_usb_func);
	g_test_add_func("/unbrick/irecv-provider/subscribe", ub_irecv_subscribe_func);
	g_test_add_func("/unbrick/irecv-provider/exit-recovery", ub_irecv_exit_recovery_func);
	return g_test_run();
}
