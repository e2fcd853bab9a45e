/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-usb-port"

#include "config.h"

#include <string.h>

#include "ub-error.h"
#include "ub-self-test.h"
#include "ub-usb-port-private.h"

struct _UbUsbPort {
	GObject parent_instance;

	gchar *path;
	guint speed_mbps;
	gboolean behind_hub;
	gchar *hub_name;
	guint busnum;
	guint devnum;
	guint vendor_id;
	guint product_id;
	gchar *serial;
	gchar *product_name;
};

G_DEFINE_FINAL_TYPE(UbUsbPort, ub_usb_port, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_PATH,
	PROP_SPEED_MBPS,
	PROP_BEHIND_HUB,
	PROP_HUB_NAME,
	PROP_BUSNUM,
	PROP_DEVNUM,
	PROP_VENDOR_ID,
	PROP_PRODUCT_ID,
	PROP_SERIAL,
	PROP_PRODUCT_NAME,
	N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* Intel's integrated rate-matching hubs sit inside the chipset of many
 * laptops; firmware does not always mark their ports as fixed */
static const struct {
	guint16 vendor_id;
	guint16 product_id;
} internal_hubs[] = {
    {0x8087, 0x0020},
    {0x8087, 0x0024},
    {0x8087, 0x8000},
    {0x8087, 0x8001},
    {0x8087, 0x8008},
    {0x8087, 0x8009},
};

const gchar *
ub_usb_port_get_path(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), NULL);
	return self->path;
}

guint
ub_usb_port_get_speed_mbps(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), 0);
	return self->speed_mbps;
}

gboolean
ub_usb_port_get_behind_hub(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), FALSE);
	return self->behind_hub;
}

const gchar *
ub_usb_port_get_hub_name(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), NULL);
	return self->hub_name;
}

guint
ub_usb_port_get_busnum(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), 0);
	return self->busnum;
}

guint
ub_usb_port_get_devnum(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), 0);
	return self->devnum;
}

guint16
ub_usb_port_get_vendor_id(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), 0);
	return (guint16)self->vendor_id;
}

guint16
ub_usb_port_get_product_id(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), 0);
	return (guint16)self->product_id;
}

const gchar *
ub_usb_port_get_serial(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), NULL);
	return self->serial;
}

const gchar *
ub_usb_port_get_product_name(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), NULL);
	return self->product_name;
}

UbDeviceMode
_ub_usb_port_mode_from_product_id(guint16 product_id)
{
	if (product_id == 0x1227)
		return UB_DEVICE_MODE_DFU;
	if (product_id >= 0x1280 && product_id <= 0x1283)
		return UB_DEVICE_MODE_RECOVERY;
	/* restore mode enumerates in the same range as normal mode; only a
	 * lockdown or restored query tells them apart */
	if (product_id >= 0x1290 && product_id <= 0x12af)
		return UB_DEVICE_MODE_NORMAL;
	return UB_DEVICE_MODE_DISCONNECTED;
}

/**
 * ub_usb_port_guess_mode:
 *
 * Returns: the mode the product id stands for, or
 * %UB_DEVICE_MODE_DISCONNECTED when it is no iPhone or iPad mode at all
 * (another Apple accessory, a hub, a keyboard)
 */
UbDeviceMode
ub_usb_port_guess_mode(UbUsbPort *self)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), UB_DEVICE_MODE_DISCONNECTED);

	if (self->vendor_id != UB_APPLE_USB_VENDOR_ID)
		return UB_DEVICE_MODE_DISCONNECTED;
	return _ub_usb_port_mode_from_product_id((guint16)self->product_id);
}

/**
 * ub_usb_port_dup_dev_node:
 * @dev_root: (nullable): "/dev" when %NULL
 *
 * Returns: (transfer full) (nullable): the usbfs node libusb opens, or %NULL
 * when sysfs did not say the bus and device numbers
 */
gchar *
ub_usb_port_dup_dev_node(UbUsbPort *self, const gchar *dev_root)
{
	g_return_val_if_fail(UB_IS_USB_PORT(self), NULL);

	if (self->busnum == 0 || self->devnum == 0)
		return NULL;
	return g_strdup_printf("%s/bus/usb/%03u/%03u",
			       dev_root != NULL ? dev_root : "/dev",
			       self->busnum,
			       self->devnum);
}

UbUsbPort *
ub_usb_port_new(const gchar *path, guint speed_mbps, gboolean behind_hub, const gchar *hub_name)
{
	g_return_val_if_fail(path != NULL, NULL);

	return g_object_new(UB_TYPE_USB_PORT,
			    "path",
			    path,
			    "speed-mbps",
			    speed_mbps,
			    "behind-hub",
			    behind_hub,
			    "hub-name",
			    hub_name,
			    NULL);
}

const gchar *
ub_usb_port_default_sysfs_root(void)
{
	const gchar *root = ub_self_test_get(UB_SELF_TEST_SYSFS_ROOT);

	if (root != NULL)
		return root;
	return "/sys";
}

gboolean
_ub_usb_port_parse_ecid(const gchar *usb_serial, guint64 *ecid)
{
	const gchar *p;
	gsize len;
	guint64 value = 0;

	if (usb_serial == NULL)
		return FALSE;

	/* Recovery and DFU: "CPID:8015 ... ECID:001A2B3C4D5E6F70 IBFL:3C ..." */
	for (p = usb_serial; *p != '\0'; p++) {
		const gchar *digits;
		gchar *end = NULL;

		if (p != usb_serial && p[-1] != ' ')
			continue;
		if (g_ascii_strncasecmp(p, "ECID:", 5) != 0)
			continue;
		digits = p + 5;
		if (g_ascii_strncasecmp(digits, "0x", 2) == 0)
			digits += 2;
		if (!g_ascii_isxdigit(*digits))
			return FALSE;
		value = g_ascii_strtoull(digits, &end, 16);
		if (end == NULL || (*end != '\0' && *end != ' ') || end - digits > 16)
			return FALSE;
		if (value == 0)
			return FALSE;
		if (ecid != NULL)
			*ecid = value;
		return TRUE;
	}

	/* normal mode on A12 and later: the UDID is CPID (8 digits) then ECID
	 * (16 digits), and the USB serial is that UDID without its dash */
	len = strlen(usb_serial);
	if (len == 24 || (len == 25 && usb_serial[8] == '-')) {
		const gchar *tail = usb_serial + len - 16;
		for (gsize i = 0; i < len; i++) {
			if (i == 8 && len == 25)
				continue;
			if (!g_ascii_isxdigit(usb_serial[i]))
				return FALSE;
		}
		value = g_ascii_strtoull(tail, NULL, 16);
		if (value == 0)
			return FALSE;
		if (ecid != NULL)
			*ecid = value;
		return TRUE;
	}
	return FALSE;
}

/* "1-2" or "1-2.3.4": bus, dash, root port, then ports behind hubs; root hubs
 * ("usb1") and interfaces ("1-2:1.0") are not devices */
static gboolean
ub_usb_port_is_device_name(const gchar *name)
{
	const gchar *p = name;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	while (g_ascii_isdigit(*p))
		p++;
	if (*p != '-')
		return FALSE;
	p++;
	for (;;) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
		if (*p == '\0')
			return TRUE;
		if (*p != '.')
			return FALSE;
		p++;
	}
}

static gchar *
ub_usb_port_read_attr(const gchar *dir, const gchar *name)
{
	g_autofree gchar *fn = g_build_filename(dir, name, NULL);
	g_autofree gchar *contents = NULL;

	if (!g_file_get_contents(fn, &contents, NULL, NULL))
		return NULL;
	g_strstrip(contents);
	if (contents[0] == '\0')
		return NULL;
	/* sysfs strings come from the device; never trust their encoding */
	if (!g_utf8_validate(contents, -1, NULL))
		return g_utf8_make_valid(contents, -1);
	return g_steal_pointer(&contents);
}

static gboolean
ub_usb_port_read_uint(const gchar *dir, const gchar *name, guint base, guint64 max, guint64 *value)
{
	g_autofree gchar *str = ub_usb_port_read_attr(dir, name);

	if (str == NULL)
		return FALSE;
	return g_ascii_string_to_unsigned(str, base, 0, max, value, NULL);
}

/* "1.5", "12", "480", "5000", "10000", "20000"; low speed reads as 1 */
static guint
ub_usb_port_read_speed(const gchar *dir)
{
	g_autofree gchar *str = ub_usb_port_read_attr(dir, "speed");
	gchar *end = NULL;
	gdouble value;

	if (str == NULL)
		return 0;
	value = g_ascii_strtod(str, &end);
	if (end == str || *end != '\0' || !(value > 0) || value > G_MAXUINT)
		return 0;
	return MAX((guint)value, 1);
}

static gboolean
ub_usb_port_attr_equal(const gchar *dir, const gchar *name, const gchar *expected)
{
	g_autofree gchar *str = ub_usb_port_read_attr(dir, name);
	return str != NULL && g_strcmp0(str, expected) == 0;
}

/* whether the hub at @hub_name (e.g. "1-2.3") is built into the computer */
static gboolean
ub_usb_port_hub_is_fixed(const gchar *devices_dir, const gchar *hub_name)
{
	g_autofree gchar *hub_dir = g_build_filename(devices_dir, hub_name, NULL);
	g_autofree gchar *port_dir = NULL;
	const gchar *last_dot = strrchr(hub_name, '.');
	const gchar *dash = strchr(hub_name, '-');
	guint64 vid = 0;
	guint64 pid = 0;

	/* the kernel reads this from the parent hub's descriptor or ACPI */
	if (ub_usb_port_attr_equal(hub_dir, "removable", "fixed"))
		return TRUE;

	/* the port the hub is plugged into: <parent>:1.0/<parent>-port<N>,
	 * or for a root port <bus>-0:1.0/usb<bus>-port<N> */
	if (last_dot != NULL) {
		g_autofree gchar *parent = g_strndup(hub_name, last_dot - hub_name);
		g_autofree gchar *port = g_strdup_printf("%s-port%s", parent, last_dot + 1);
		g_autofree gchar *iface = g_strdup_printf("%s:1.0", parent);
		port_dir = g_build_filename(devices_dir, iface, port, NULL);
	} else if (dash != NULL) {
		g_autofree gchar *bus = g_strndup(hub_name, dash - hub_name);
		g_autofree gchar *port = g_strdup_printf("usb%s-port%s", bus, dash + 1);
		g_autofree gchar *iface = g_strdup_printf("%s-0:1.0", bus);
		port_dir = g_build_filename(devices_dir, iface, port, NULL);
	}
	if (port_dir != NULL) {
		if (ub_usb_port_attr_equal(port_dir, "connect_type", "hardwired"))
			return TRUE;
		if (ub_usb_port_attr_equal(port_dir, "removable", "fixed"))
			return TRUE;
	}

	if (ub_usb_port_read_uint(hub_dir, "idVendor", 16, G_MAXUINT16, &vid) &&
	    ub_usb_port_read_uint(hub_dir, "idProduct", 16, G_MAXUINT16, &pid)) {
		for (guint i = 0; i < G_N_ELEMENTS(internal_hubs); i++) {
			if (internal_hubs[i].vendor_id == vid && internal_hubs[i].product_id == pid)
				return TRUE;
		}
	}
	return FALSE;
}

/* walks from the device towards the computer; the first hub that is not
 * built in is the one the user plugged into, and the one to name */
static gboolean
ub_usb_port_find_hub(const gchar *devices_dir, const gchar *name, gchar **hub_product)
{
	g_autofree gchar *parent = g_strdup(name);

	for (;;) {
		gchar *dot = strrchr(parent, '.');
		gboolean fixed;

		if (dot == NULL)
			return FALSE;
		*dot = '\0';
		fixed = ub_usb_port_hub_is_fixed(devices_dir, parent);
		g_debug(
		    "%s sits behind hub %s (%s)", name, parent, fixed ? "built in" : "external");
		if (!fixed) {
			g_autofree gchar *hub_dir = g_build_filename(devices_dir, parent, NULL);
			*hub_product = ub_usb_port_read_attr(hub_dir, "product");
			return TRUE;
		}
	}
}

static UbUsbPort *
ub_usb_port_new_from_sysfs(const gchar *devices_dir, const gchar *name)
{
	g_autofree gchar *dir = g_build_filename(devices_dir, name, NULL);
	g_autofree gchar *serial = NULL;
	g_autofree gchar *product = NULL;
	g_autofree gchar *hub_product = NULL;
	guint64 vid = 0;
	guint64 pid = 0;
	guint64 busnum = 0;
	guint64 devnum = 0;
	gboolean behind_hub;

	/* without both ids this is nothing we can name */
	if (!ub_usb_port_read_uint(dir, "idVendor", 16, G_MAXUINT16, &vid) ||
	    !ub_usb_port_read_uint(dir, "idProduct", 16, G_MAXUINT16, &pid)) {
		g_debug("skipping %s: no usable idVendor/idProduct", name);
		return NULL;
	}
	if (!ub_usb_port_read_uint(dir, "busnum", 10, 999, &busnum))
		busnum = 0;
	if (!ub_usb_port_read_uint(dir, "devnum", 10, 999, &devnum))
		devnum = 0;
	serial = ub_usb_port_read_attr(dir, "serial");
	product = ub_usb_port_read_attr(dir, "product");
	behind_hub = ub_usb_port_find_hub(devices_dir, name, &hub_product);

	return g_object_new(UB_TYPE_USB_PORT,
			    "path",
			    name,
			    "speed-mbps",
			    ub_usb_port_read_speed(dir),
			    "behind-hub",
			    behind_hub,
			    "hub-name",
			    hub_product,
			    "busnum",
			    (guint)busnum,
			    "devnum",
			    (guint)devnum,
			    "vendor-id",
			    (guint)vid,
			    "product-id",
			    (guint)pid,
			    "serial",
			    serial,
			    "product-name",
			    product,
			    NULL);
}

static gint
ub_usb_port_compare_path_cb(gconstpointer a, gconstpointer b)
{
	UbUsbPort *port_a = *(UbUsbPort **)a;
	UbUsbPort *port_b = *(UbUsbPort **)b;
	return g_strcmp0(port_a->path, port_b->path);
}

/**
 * ub_usb_port_list_apple:
 * @sysfs_root: (nullable): "/sys", or a fake tree in tests
 *
 * Returns: (transfer container) (element-type UbUsbPort): every Apple USB
 * device, sorted by path; %NULL with @error set when the USB device
 * folder cannot be read at all
 */
GPtrArray *
ub_usb_port_list_apple(const gchar *sysfs_root, GError **error)
{
	g_autofree gchar *devices_dir = NULL;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) ports = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GError) error_local = NULL;
	const gchar *name;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (sysfs_root == NULL)
		sysfs_root = ub_usb_port_default_sysfs_root();
	devices_dir = g_build_filename(sysfs_root, "bus", "usb", "devices", NULL);
	dir = g_dir_open(devices_dir, 0, &error_local);
	if (dir == NULL) {
		gint code = UB_ERROR_FAILED;
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			code = UB_ERROR_NOT_FOUND;
		else if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_ACCES))
			code = UB_ERROR_PERMISSION_DENIED;
		g_set_error(
		    error, UB_ERROR, code, "cannot list USB devices: %s", error_local->message);
		return NULL;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *vendor_dir = NULL;
		guint64 vid = 0;
		UbUsbPort *port;

		if (!ub_usb_port_is_device_name(name))
			continue;
		vendor_dir = g_build_filename(devices_dir, name, NULL);
		if (!ub_usb_port_read_uint(vendor_dir, "idVendor", 16, G_MAXUINT16, &vid) ||
		    vid != UB_APPLE_USB_VENDOR_ID)
			continue;
		port = ub_usb_port_new_from_sysfs(devices_dir, name);
		if (port != NULL)
			g_ptr_array_add(ports, port);
	}
	g_ptr_array_sort(ports, ub_usb_port_compare_path_cb);
	return g_steal_pointer(&ports);
}

/* case-insensitive and without dashes: a UDID "00008030-001A..." matches
 * the USB serial "00008030001a..." */
static gchar *
ub_usb_port_normalize_serial(const gchar *serial)
{
	GString *str = g_string_new(NULL);

	for (const gchar *p = serial; *p != '\0'; p++) {
		if (*p != '-')
			g_string_append_c(str, g_ascii_tolower(*p));
	}
	return g_string_free(str, FALSE);
}

/**
 * ub_usb_port_find_by_serial:
 * @usb_serial: the USB serial; a normal-mode UDID with its dash works too
 *
 * Returns: (transfer full): the Apple device with that serial, or %NULL with
 * %UB_ERROR_NOT_FOUND
 */
UbUsbPort *
ub_usb_port_find_by_serial(const gchar *sysfs_root, const gchar *usb_serial, GError **error)
{
	g_autoptr(GPtrArray) ports = NULL;
	g_autofree gchar *wanted = NULL;

	g_return_val_if_fail(usb_serial != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	ports = ub_usb_port_list_apple(sysfs_root, error);
	if (ports == NULL)
		return NULL;
	wanted = ub_usb_port_normalize_serial(usb_serial);
	if (wanted[0] != '\0') {
		for (guint i = 0; i < ports->len; i++) {
			UbUsbPort *port = g_ptr_array_index(ports, i);
			g_autofree gchar *serial = NULL;

			if (port->serial == NULL)
				continue;
			serial = ub_usb_port_normalize_serial(port->serial);
			if (g_strcmp0(serial, wanted) == 0)
				return g_object_ref(port);
		}
	}
	g_set_error(
	    error, UB_ERROR, UB_ERROR_NOT_FOUND, "no Apple USB device has serial %s", usb_serial);
	return NULL;
}

/**
 * ub_usb_port_find_by_ecid:
 *
 * Finds a device in Recovery or DFU mode by the ECID in its USB serial, or a
 * normal-mode device whose serial is a UDID that contains the ECID.
 *
 * Returns: (transfer full): the port, or %NULL with %UB_ERROR_NOT_FOUND
 */
UbUsbPort *
ub_usb_port_find_by_ecid(const gchar *sysfs_root, guint64 ecid, GError **error)
{
	g_autoptr(GPtrArray) ports = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	ports = ub_usb_port_list_apple(sysfs_root, error);
	if (ports == NULL)
		return NULL;
	for (guint i = 0; i < ports->len; i++) {
		UbUsbPort *port = g_ptr_array_index(ports, i);
		guint64 port_ecid = 0;

		if (ecid != 0 && _ub_usb_port_parse_ecid(port->serial, &port_ecid) &&
		    port_ecid == ecid)
			return g_object_ref(port);
	}
	g_set_error(error,
		    UB_ERROR,
		    UB_ERROR_NOT_FOUND,
		    "no Apple USB device has ECID 0x%016" G_GINT64_MODIFIER "X",
		    ecid);
	return NULL;
}

static void
ub_usb_port_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	UbUsbPort *self = UB_USB_PORT(object);

	switch (prop_id) {
	case PROP_PATH:
		g_value_set_string(value, self->path);
		break;
	case PROP_SPEED_MBPS:
		g_value_set_uint(value, self->speed_mbps);
		break;
	case PROP_BEHIND_HUB:
		g_value_set_boolean(value, self->behind_hub);
		break;
	case PROP_HUB_NAME:
		g_value_set_string(value, self->hub_name);
		break;
	case PROP_BUSNUM:
		g_value_set_uint(value, self->busnum);
		break;
	case PROP_DEVNUM:
		g_value_set_uint(value, self->devnum);
		break;
	case PROP_VENDOR_ID:
		g_value_set_uint(value, self->vendor_id);
		break;
	case PROP_PRODUCT_ID:
		g_value_set_uint(value, self->product_id);
		break;
	case PROP_SERIAL:
		g_value_set_string(value, self->serial);
		break;
	case PROP_PRODUCT_NAME:
		g_value_set_string(value, self->product_name);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_usb_port_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	UbUsbPort *self = UB_USB_PORT(object);

	/* all construct-only: set once, before anyone can watch */
	switch (prop_id) {
	case PROP_PATH:
		self->path = g_value_dup_string(value);
		break;
	case PROP_SPEED_MBPS:
		self->speed_mbps = g_value_get_uint(value);
		break;
	case PROP_BEHIND_HUB:
		self->behind_hub = g_value_get_boolean(value);
		break;
	case PROP_HUB_NAME:
		self->hub_name = g_value_dup_string(value);
		break;
	case PROP_BUSNUM:
		self->busnum = g_value_get_uint(value);
		break;
	case PROP_DEVNUM:
		self->devnum = g_value_get_uint(value);
		break;
	case PROP_VENDOR_ID:
		self->vendor_id = g_value_get_uint(value);
		break;
	case PROP_PRODUCT_ID:
		self->product_id = g_value_get_uint(value);
		break;
	case PROP_SERIAL:
		self->serial = g_value_dup_string(value);
		break;
	case PROP_PRODUCT_NAME:
		self->product_name = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ub_usb_port_finalize(GObject *object)
{
	UbUsbPort *self = UB_USB_PORT(object);

	g_free(self->path);
	g_free(self->hub_name);
	g_free(self->serial);
	g_free(self->product_name);

	G_OBJECT_CLASS(ub_usb_port_parent_class)->finalize(object);
}

static void
ub_usb_port_class_init(UbUsbPortClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
			    G_PARAM_EXPLICIT_NOTIFY;

	object_class->get_property = ub_usb_port_get_property;
	object_class->set_property = ub_usb_port_set_property;
	object_class->finalize = ub_usb_port_finalize;

	/* the sysfs name: "1-2.3" is port 3 of a hub on root port 2 of bus 1 */
	properties[PROP_PATH] = g_param_spec_string("path", NULL, NULL, NULL, flags);
	/* negotiated speed in Mbit/s: 480 for USB 2, 5000 and up for USB 3 */
	properties[PROP_SPEED_MBPS] =
	    g_param_spec_uint("speed-mbps", NULL, NULL, 0, G_MAXUINT, 0, flags);
	properties[PROP_BEHIND_HUB] = g_param_spec_boolean("behind-hub", NULL, NULL, FALSE, flags);
	properties[PROP_HUB_NAME] = g_param_spec_string("hub-name", NULL, NULL, NULL, flags);
	properties[PROP_BUSNUM] = g_param_spec_uint("busnum", NULL, NULL, 0, G_MAXUINT, 0, flags);
	properties[PROP_DEVNUM] = g_param_spec_uint("devnum", NULL, NULL, 0, G_MAXUINT, 0, flags);
	properties[PROP_VENDOR_ID] =
	    g_param_spec_uint("vendor-id", NULL, NULL, 0, G_MAXUINT16, 0, flags);
	properties[PROP_PRODUCT_ID] =
	    g_param_spec_uint("product-id", NULL, NULL, 0, G_MAXUINT16, 0, flags);
	properties[PROP_SERIAL] = g_param_spec_string("serial", NULL, NULL, NULL, flags);
	properties[PROP_PRODUCT_NAME] =
	    g_param_spec_string("product-name", NULL, NULL, NULL, flags);

	g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void
ub_usb_port_init(UbUsbPort *self)
{
}
