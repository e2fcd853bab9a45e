/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ub-fake-sysfs"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub-fake-sysfs.h"

struct _UbFakeSysfs {
	gchar *tmpdir;
	gchar *root;
	gchar *dev_root;
	gchar *devices_dir;
};

static void
ub_fake_sysfs_write(const gchar *dir, const gchar *name, const gchar *value)
{
	g_autofree gchar *fn = g_build_filename(dir, name, NULL);
	g_autofree gchar *contents = g_strdup_printf("%s\n", value);
	g_autoptr(GError) error = NULL;

	/* sysfs values end in a newline; readers must strip it */
	g_file_set_contents(fn, contents, -1, &error);
	g_assert_no_error(error);
}

UbFakeSysfs *
ub_fake_sysfs_new(void)
{
	UbFakeSysfs *fake = g_new0(UbFakeSysfs, 1);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root_hub = NULL;
	g_autofree gchar *root_iface = NULL;

	fake->tmpdir = g_dir_make_tmp("ub-fake-sysfs-XXXXXX", &error);
	g_assert_no_error(error);
	fake->root = g_build_filename(fake->tmpdir, "sys", NULL);
	fake->dev_root = g_build_filename(fake->tmpdir, "dev", NULL);
	fake->devices_dir = g_build_filename(fake->root, "bus", "usb", "devices", NULL);
	g_assert_cmpint(g_mkdir_with_parents(fake->devices_dir, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(fake->dev_root, 0755), ==, 0);

	/* the root hub and its interface: a scanner has to skip both */
	root_hub = g_build_filename(fake->devices_dir, "usb1", NULL);
	g_assert_cmpint(g_mkdir_with_parents(root_hub, 0755), ==, 0);
	ub_fake_sysfs_write(root_hub, "idVendor", "1d6b");
	ub_fake_sysfs_write(root_hub, "idProduct", "0002");
	ub_fake_sysfs_write(root_hub, "product", "xHCI Host Controller");
	root_iface = g_build_filename(fake->devices_dir, "1-0:1.0", NULL);
	g_assert_cmpint(g_mkdir_with_parents(root_iface, 0755), ==, 0);
	ub_fake_sysfs_write(root_iface, "bInterfaceClass", "09");
	return fake;
}

static void
ub_fake_sysfs_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_unlink(path);
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			ub_fake_sysfs_rm_rf(child);
		}
	}
	g_rmdir(path);
}

void
ub_fake_sysfs_free(UbFakeSysfs *fake)
{
	if (fake == NULL)
		return;
	if (fake->tmpdir != NULL)
		ub_fake_sysfs_rm_rf(fake->tmpdir);
	g_free(fake->tmpdir);
	g_free(fake->root);
	g_free(fake->dev_root);
	g_free(fake->devices_dir);
	g_free(fake);
}

const gchar *
ub_fake_sysfs_get_root(UbFakeSysfs *fake)
{
	g_return_val_if_fail(fake != NULL, NULL);
	return fake->root;
}

const gchar *
ub_fake_sysfs_get_dev_root(UbFakeSysfs *fake)
{
	g_return_val_if_fail(fake != NULL, NULL);
	return fake->dev_root;
}

gchar *
ub_fake_sysfs_dup_node_path(UbFakeSysfs *fake, guint busnum, guint devnum)
{
	g_return_val_if_fail(fake != NULL, NULL);
	return g_strdup_printf("%s/bus/usb/%03u/%03u", fake->dev_root, busnum, devnum);
}

static void
ub_fake_sysfs_make_node(UbFakeSysfs *fake, guint busnum, guint devnum)
{
	g_autofree gchar *node = ub_fake_sysfs_dup_node_path(fake, busnum, devnum);
	g_autofree gchar *parent = g_path_get_dirname(node);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
	g_file_set_contents(node, "", 0, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(node, 0666), ==, 0);
}

void
ub_fake_sysfs_set_attribute(UbFakeSysfs *fake,
			    const gchar *entry,
			    const gchar *attribute,
			    const gchar *value)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *fn = NULL;

	g_return_if_fail(fake != NULL);
	g_return_if_fail(entry != NULL);
	g_return_if_fail(attribute != NULL);

	dir = g_build_filename(fake->devices_dir, entry, NULL);
	if (value == NULL) {
		fn = g_build_filename(dir, attribute, NULL);
		g_unlink(fn);
		return;
	}
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	ub_fake_sysfs_write(dir, attribute, value);
}

void
ub_fake_sysfs_add_device(UbFakeSysfs *fake,
			 const gchar *name,
			 guint16 vendor_id,
			 guint16 product_id,
			 const gchar *serial,
			 const gchar *product,
			 const gchar *speed,
			 guint busnum,
			 guint devnum)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *iface = NULL;
	g_autofree gchar *vid = NULL;
	g_autofree gchar *pid = NULL;
	g_autofree gchar *bus = NULL;
	g_autofree gchar *dev = NULL;

	g_return_if_fail(fake != NULL);
	g_return_if_fail(name != NULL);

	dir = g_build_filename(fake->devices_dir, name, NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	vid = g_strdup_printf("%04x", vendor_id);
	pid = g_strdup_printf("%04x", product_id);
	ub_fake_sysfs_write(dir, "idVendor", vid);
	ub_fake_sysfs_write(dir, "idProduct", pid);
	if (serial != NULL)
		ub_fake_sysfs_write(dir, "serial", serial);
	if (product != NULL)
		ub_fake_sysfs_write(dir, "product", product);
	if (speed != NULL)
		ub_fake_sysfs_write(dir, "speed", speed);
	if (busnum != 0) {
		bus = g_strdup_printf("%u", busnum);
		ub_fake_sysfs_write(dir, "busnum", bus);
	}
	if (devnum != 0) {
		dev = g_strdup_printf("%u", devnum);
		ub_fake_sysfs_write(dir, "devnum", dev);
	}

	/* every device has interfaces beside it; they are not devices */
	iface = g_strdup_printf("%s/%s:1.0", fake->devices_dir, name);
	g_assert_cmpint(g_mkdir_with_parents(iface, 0755), ==, 0);
	ub_fake_sysfs_write(iface, "bInterfaceClass", "ff");

	if (busnum != 0 && devnum != 0)
		ub_fake_sysfs_make_node(fake, busnum, devnum);
}

void
ub_fake_sysfs_add_hub(UbFakeSysfs *fake, const gchar *name, const gchar *product, gboolean fixed)
{
	g_autofree gchar *dir = NULL;

	g_return_if_fail(fake != NULL);
	g_return_if_fail(name != NULL);

	/* a common external USB 2.0 hub chip */
	ub_fake_sysfs_add_device(fake, name, 0x05e3, 0x0610, NULL, product, "480", 0, 0);
	dir = g_build_filename(fake->devices_dir, name, NULL);
	ub_fake_sysfs_write(dir, "bDeviceClass", "09");
	ub_fake_sysfs_write(dir, "removable", fixed ? "fixed" : "removable");
}

void
ub_fake_sysfs_remove_device(UbFakeSysfs *fake, const gchar *name)
{
	g_autofree gchar *dir = NULL;

	g_return_if_fail(fake != NULL);
	g_return_if_fail(name != NULL);

	dir = g_build_filename(fake->devices_dir, name, NULL);
	ub_fake_sysfs_rm_rf(dir);
}

void
ub_fake_sysfs_set_node_mode(UbFakeSysfs *fake, guint busnum, guint devnum, guint mode)
{
	g_autofree gchar *node = ub_fake_sysfs_dup_node_path(fake, busnum, devnum);
	g_assert_cmpint(g_chmod(node, mode), ==, 0);
}

void
ub_fake_sysfs_set_node_owner(UbFakeSysfs *fake, guint busnum, guint devnum, guint uid)
{
	g_autofree gchar *node = ub_fake_sysfs_dup_node_path(fake, busnum, devnum);
	g_assert_cmpint(chown(node, uid, (gid_t)-1), ==, 0);
}

gboolean
ub_fake_sysfs_node_access_cb(const gchar *path, gpointer user_data)
{
	GStatBuf st;
	const guint rw_other = S_IROTH | S_IWOTH;
	const guint rw_owner = S_IRUSR | S_IWUSR;

	if (g_stat(path, &st) != 0)
		return FALSE;
	if ((st.st_mode & rw_other) == rw_other)
		return TRUE;
	return st.st_uid == UB_FAKE_SYSFS_USER_UID && (st.st_mode & rw_owner) == rw_owner;
}
