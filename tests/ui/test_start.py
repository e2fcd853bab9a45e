#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starting Unbrick with nothing plugged in: the empty state, the demo device
# and the "My device isn't detected" checks.

import os
import tempfile

from ubtest import App, case, finish


def empty_state_then_demo():
    app = App("empty")
    try:
        app.label("Connect your iPhone or iPad")
        app.label("Use an Apple or MFi cable")
        app.label("Plug it into the computer itself")
        app.label("Unlock it and tap Trust if asked")
        app.screenshot("empty")

        app.click("Try a Demo Device")
        app.label("iPhone 13 Pro")
        app.label("Demo")
        app.label("Recovery")
        app.no_label("Connect your iPhone or iPad")
        app.screenshot("demo")

        # the shortcuts window opens from the keyboard, as its menu says
        app.key("ctrl+question")
        app.label("Show Shortcuts")
        app.label("Connection Checks")
    finally:
        app.close()


def not_detected_checks():
    # an empty bus: the checks must say that no Apple device is visible at all
    sysfs = tempfile.mkdtemp(prefix="ub-sysfs-")
    os.makedirs(os.path.join(sysfs, "bus", "usb", "devices"))
    app = App("empty", extra_env={"UNBRICK_SYSFS_ROOT": sysfs})
    try:
        app.click("My Device Isn’t Detected")
        app.label("Let’s Find Your Device")
        app.label_containing("No Apple device is visible")
        app.label("Try another cable")
        app.label("Try another USB port")
        app.screenshot("not-detected")

        app.click("Check Again")
        app.label_containing("No Apple device is visible")

        app.click("Back")
        app.label("Connect your iPhone or iPad")
    finally:
        app.close()


def about_shows_versions():
    app = App("empty")
    try:
        # GTK 4.8 does not put popover menus on the accessibility bus: open
        # the main menu with F10 and walk down to its last item, About
        app.key("F10")
        app.label("About Unbrick")
        for _ in range(6):
            app.key("Down", activate=False)
        app.key("Return", activate=False)
        app.label("0.1.0")
        app.label("The Unbrick Authors")
        # the debug information page (one click further) carries the
        # versions a bug report needs

        def debug_text():
            return [
                n
                for n in app.node.findChildren(
                    lambda n: n.roleName == "text", showingOnly=False
                )
                if "libirecovery" in (n.text or "") and "idevicerestore" in (n.text or "")
            ]

        # libadwaita 1.2 (Debian 12) builds its subpages at once;
        # libadwaita 1.7 (Debian 13) only when they are opened, as a user
        # does: Troubleshooting, then Debugging Information
        if not debug_text():
            app.click_row("Troubleshooting", window="About")
            app.click_row("Debugging Information", window="About")
        app.wait_for(debug_text, "debug information with the library and engine versions")
        app.screenshot("about")
    finally:
        app.close()


case(empty_state_then_demo)
case(about_shows_versions)
case(not_detected_checks)
finish()
