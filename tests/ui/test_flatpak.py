#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Unbrick as a Flatpak sees it: the real binary in a bubblewrap sandbox
# whose root is this computer's plus the /.flatpak-info every Flatpak
# sandbox has, and no usbmuxd. The checks page must then say what the
# computer has to provide and show the one command that sets it up; and a
# device that arrives and changes mode with no hotplug event at all (none
# reaches a Flatpak) is still seen, from sysfs.

import os
import shutil
import stat
import sys
import tempfile

from ubtest import App, case, finish

# the wrapper rebuilds / from this computer's top-level folders (a root
# bind would have to create /.flatpak-info on the real disk) and writes
# /.flatpak-info from a pipe
WRAPPER = r'''#!/usr/bin/python3
import os, sys
# --die-with-parent: the app goes when the test stops bwrap, and the next
# case never meets it on the accessibility bus
args = ["bwrap", "--die-with-parent"]
for name in sorted(os.listdir("/")):
    path = "/" + name
    if name in ("proc", "dev"):
        continue
    if os.path.islink(path):
        args += ["--symlink", os.readlink(path), path]
    elif os.path.isdir(path):
        args += ["--dev-bind", path, path]
args += ["--proc", "/proc", "--dev-bind", "/dev", "/dev",
         "--ro-bind-data", "3", "/.flatpak-info", "--", BINARY] + sys.argv[1:]
read_end, write_end = os.pipe()
os.write(write_end, b"[Application]\nname=io.github.unbrick.Unbrick\n")
os.close(write_end)
if read_end != 3:
    os.dup2(read_end, 3)
os.set_inheritable(3, True)
os.execvp("bwrap", args)
'''


def sandboxed_binary():
    folder = tempfile.mkdtemp(prefix="ub-flatpak-")
    path = os.path.join(folder, "unbrick-in-a-sandbox")
    with open(path, "w") as script:
        script.write(WRAPPER.replace("BINARY", repr(os.environ["UB_APP_BINARY"])))
    os.chmod(path, stat.S_IRWXU)
    return path


def sandboxed_app(scenario, sysfs):
    """the app in the sandbox, seeing @sysfs as its sysfs, with no usbmuxd"""
    missing = os.path.join(sysfs, "no-usbmuxd")
    real_binary = os.environ["UB_APP_BINARY"]
    os.environ["UB_APP_BINARY"] = sandboxed_binary()
    try:
        return App(
            scenario,
            extra_env={
                "UNBRICK_SYSFS_ROOT": sysfs,
                "USBMUXD_SOCKET_ADDRESS": "UNIX:" + missing,
            },
        )
    finally:
        os.environ["UB_APP_BINARY"] = real_binary


def fake_sysfs():
    sysfs = tempfile.mkdtemp(prefix="ub-sysfs-")
    os.makedirs(os.path.join(sysfs, "bus", "usb", "devices"))
    return sysfs


def plug(sysfs, name, product_id, serial):
    """a USB device at port @name, the way sysfs shows it"""
    folder = os.path.join(sysfs, "bus", "usb", "devices", name)
    os.makedirs(folder)
    for attribute, value in (
        ("idVendor", "05ac"),
        ("idProduct", "%04x" % product_id),
        ("serial", serial),
        ("speed", "480"),
        ("busnum", "1"),
        ("devnum", "9"),
    ):
        with open(os.path.join(folder, attribute), "w") as out:
            out.write(value + "\n")


def unplug(sysfs, name):
    shutil.rmtree(os.path.join(sysfs, "bus", "usb", "devices", name))


# an iPhone X (CPID 8015, BDID 06) as iBoot and the boot ROM name it on USB
RECOVERY_SERIAL = (
    "CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C "
    "SRTG:[iBoot-3865.0.0.4.7]"
)
DFU_SERIAL = (
    "CPID:8015 CPRV:11 CPFM:03 SCEP:01 BDID:06 ECID:001A2B3C4D5E6F70 IBFL:3C "
    "SRNM:[F2LXXXXXXXXX] SRTG:[iBoot-3332.0.0.1.23]"
)


def device_seen_without_hotplug():
    sysfs = fake_sysfs()
    app = sandboxed_app(None, sysfs)
    try:
        app.label("Connect your iPhone or iPad")
        # plugged in while Unbrick runs: no uevent, only sysfs changes
        plug(sysfs, "1-2", 0x1281, RECOVERY_SERIAL)
        app.label_containing("Recovery Mode", timeout=15)
        app.label_containing("iPhone X")
        # it re-enumerates in DFU Mode on the same port
        unplug(sysfs, "1-2")
        plug(sysfs, "1-2", 0x1227, DFU_SERIAL)
        app.label_containing("DFU Mode", timeout=15)
        app.screenshot("flatpak-dfu-without-hotplug")
    finally:
        app.close()


def checks_name_the_host_setup():
    app = sandboxed_app("empty", fake_sysfs())
    try:
        app.click("My Device Isn’t Detected")
        # natively a missing usbmuxd with nothing plugged in is only a
        # warning; a sandbox never sees a usbmuxd that starts later
        app.label("Unbrick can’t reach the iPhone connection service (usbmuxd)")
        app.label_containing("Unbrick runs as a Flatpak")
        app.label_containing("flatpak info --show-location io.github.unbrick.Unbrick")
        app.label_containing("files/share/unbrick/host/setup-host.sh")
        app.screenshot("flatpak-host-setup")

        app.click("Copy Command")
        app.button("Copied")
        app.label("Command copied")

        # the page still runs the other checks as before
        app.label_containing("No Apple device is visible")
    finally:
        app.close()


if shutil.which("bwrap") is None:
    print("1..0 # SKIP bubblewrap is not installed")
    sys.exit(0)
case(checks_name_the_host_setup)
case(device_seen_without_hotplug)
finish()
