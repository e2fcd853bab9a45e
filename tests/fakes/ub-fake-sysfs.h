/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A fake sysfs tree and a fake /dev in a temporary folder, laid out like the
 * real ones: <root>/bus/usb/devices/<name>/<attribute> and
 * <dev-root>/bus/usb/BBB/DDD. The tree has a root hub ("usb1") and an
 * interface ("1-0:1.0") from the start, so scanners meet what they must skip.
 *
 * Permissions: the tests run as root, and access() grants root everything
 * whatever the mode bits say. So the connection checks take an access
 * function (see ub-connection-check-private.h) and tests pass
 * ub_fake_sysfs_node_access_cb(), which judges a node by its mode bits and
 * owner the way access() would for an ordinary user. Nodes are made 0666
 * root:root, as if the udev rules had granted access; chmod 0 (or 0664, the
 * kernel's default) takes it away.
 */
typedef struct _UbFakeSysfs UbFakeSysfs;

UbFakeSysfs *
ub_fake_sysfs_new(void);
/* removes the whole tree */
void
ub_fake_sysfs_free(UbFakeSysfs *fake);

/* the sysfs root to hand to ub_usb_port_list_apple() and friends */
const gchar *
ub_fake_sysfs_get_root(UbFakeSysfs *fake);
/* the /dev root to hand to ub_usb_port_dup_dev_node() */
const gchar *
ub_fake_sysfs_get_dev_root(UbFakeSysfs *fake);

/* a USB device at @name ("1-2", "1-2.3"); @serial, @product and @speed may be
 * NULL to leave that attribute out; a /dev node is made with mode 0666 when
 * @busnum and @devnum are not 0 */
void
ub_fake_sysfs_add_device(UbFakeSysfs *fake,
			 const gchar *name,
			 guint16 vendor_id,
			 guint16 product_id,
			 const gchar *serial,
			 const gchar *product,
			 const gchar *speed,
			 guint busnum,
			 guint devnum);
/* the device at @name unplugged: its folder goes (its /dev node stays) */
void
ub_fake_sysfs_remove_device(UbFakeSysfs *fake, const gchar *name);
/* a hub at @name; @fixed marks it built into the computer the way the
 * kernel does ("removable" reads "fixed"), else "removable" */
void
ub_fake_sysfs_add_hub(UbFakeSysfs *fake, const gchar *name, const gchar *product, gboolean fixed);
/* writes <root>/bus/usb/devices/@entry/@attribute, making folders on the way
 * ("1-0:1.0/usb1-port2", "connect_type"); a NULL @value removes it */
void
ub_fake_sysfs_set_attribute(UbFakeSysfs *fake,
			    const gchar *entry,
			    const gchar *attribute,
			    const gchar *value);

/* the /dev node of a device: chmod it, chown it, or remove it */
gchar *
ub_fake_sysfs_dup_node_path(UbFakeSysfs *fake, guint busnum, guint devnum);
void
ub_fake_sysfs_set_node_mode(UbFakeSysfs *fake, guint busnum, guint devnum, guint mode);
void
ub_fake_sysfs_set_node_owner(UbFakeSysfs *fake, guint busnum, guint devnum, guint uid);

/* the ordinary desktop user ub_fake_sysfs_node_access_cb() pretends to be */
#define UB_FAKE_SYSFS_USER_UID 1000

/* an access function for the connection checks, as for the user
 * UB_FAKE_SYSFS_USER_UID: read and write are granted by the "other" bits, or
 * by the owner bits when that user owns the node, and never because the
 * test happens to run as root */
gboolean
ub_fake_sysfs_node_access_cb(const gchar *path, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(UbFakeSysfs, ub_fake_sysfs_free)

G_END_DECLS
