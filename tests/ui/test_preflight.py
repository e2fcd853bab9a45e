#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The checks before every restore, through the real window: a warning (an
# iPad behind a USB hub) that the user can stop at or go past, and a
# failure (no restore tool) that starts nothing until it is fixed.

import os
import subprocess
import tempfile

import pyatspi

from firmware_server import FirmwareServer
from ubtest import SLOWDOWN, App, case, catalog_settings_env, finish

LONG = 120 * SLOWDOWN
IPAD = "iPad Air (5th gen, WiFi)"
HUB_WARNING = "Connected through a USB hub (“USB2.0 Hub”) at 480 Mbit/s"
NO_ENGINE = "The restore tool (idevicerestore) was not found"
# knows the iPhone 13 Pro (see test_restore.py)
CURRENT_ENGINE = "1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, libtatsu 1.0.5-3-g60a39f3)"


def in_dialog(node):
    while node is not None and node.roleName != "application":
        if node.roleName in ("dialog", "alert"):
            return True
        node = node.parent
    return False


def dialog_label(app, text, contains=False):
    """A label of the open dialog, not of the page behind it."""

    def find():
        return [n for n in app.find_all("label", text, contains=contains) if in_dialog(n)]

    return app.wait_for(find, "label '%s' in a dialog" % text)[0]


def select_ipad(app):
    app.label(IPAD)
    rows = app.wait_for(
        lambda: app.find_all("list item", IPAD + ", DFU"), "the iPad's row in the sidebar"
    )
    rows[0].select()
    app.label("Leave DFU Mode")


def consent_to_erase(app):
    app.click("Restore…")
    app.label("Erase and Restore %s?" % IPAD)

    def tick():
        box = app.find_all("check box", "I understand that everything on this iPad will be erased")[
            0
        ]
        # GTK 4.8 gives a check box no AT-SPI action: press it like a user
        x, y = box.position
        width, height = box.size
        subprocess.run(
            ["xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "1"],
            check=True,
        )
        return box.getState().contains(pyatspi.STATE_CHECKED)

    app.wait_for(tick, "ticking the consent box")
    app.click_in_dialog("Erase and Restore")


def hub_warning():
    """A demo iPad behind a hub: the checks warn before the erase, Cancel
    starts nothing, Continue Anyway starts the restore."""
    app = App("two-devices")
    try:
        select_ipad(app)
        consent_to_erase(app)
        app.label("Before You Start")
        dialog_label(app, "Unbrick found something that could interrupt the restore.")
        dialog_label(app, HUB_WARNING)
        dialog_label(app, "Hubs, docks, keyboards and monitor ports", contains=True)
        # its card's steps under it
        dialog_label(app, "Plug it into a port on the computer itself.")
        # the demo needs neither the network nor idevicerestore: no more
        # warnings than the hub
        assert not app.find_all("label", NO_ENGINE), "the demo asked for idevicerestore"
        assert not app.find_all(
            "label", "This computer cannot reach Apple's servers"
        ), "the demo asked for the network"
        # going on is still an erase: red, and not what Enter does
        app.button("Continue Anyway")
        app.screenshot("preflight-warning")

        app.click_in_dialog("Cancel")
        app.no_label("Before You Start")
        app.label("Leave DFU Mode")
        assert not app.find_all(
            "label", "Restoring %s" % IPAD
        ), "a restore started after Cancel"
        restore = app.button("Restore…")
        app.wait_for(
            lambda: restore.getState().contains(pyatspi.STATE_SENSITIVE),
            "the Restore button to work again",
        )

        # the same again, and this time on
        consent_to_erase(app)
        app.label("Before You Start")
        app.click_in_dialog("Continue Anyway")
        app.label_containing("Restoring %s" % IPAD, timeout=LONG)
        app.no_label("Before You Start")
    finally:
        app.close()


def engine_missing_blocks():
    """The real engine path on a demo iPhone with idevicerestore missing:
    the page says so before any click and nothing can start; once it is
    there, the update starts."""
    home = tempfile.mkdtemp(prefix="ub-preflight-")
    server = FirmwareServer(pace_seconds=0.05 * SLOWDOWN)
    env = catalog_settings_env(
        server, home, engine_path=os.path.join(home, "no-such-idevicerestore")
    )
    env.update({
        "UNBRICK_SIM_REAL_ENGINE": "1",
        "UB_FAKE_ENGINE_LOG": os.path.join(os.environ["UB_RESTORE_LOGS"], "success.log"),
        "UB_FAKE_ENGINE_SPEED": str(5.0 / SLOWDOWN),
        "UB_FAKE_ENGINE_VERSION": CURRENT_ENGINE,
    })
    app = App("recovery", extra_env=env)
    try:
        app.label("iPhone 13 Pro")
        # said on the page before any click, with what to install; Update
        # and Restore cannot be pressed
        app.label("This computer can’t restore your iPhone 13 Pro yet")
        app.label_containing("idevicerestore, which is not installed")
        app.label_containing("sudo apt install idevicerestore")
        for name in ("Update…", "Restore…"):
            button = app.button(name)
            assert not button.getState().contains(pyatspi.STATE_SENSITIVE), name
        app.screenshot("device-engine-missing")

        # the user installs it: the page sees the tool, and Update starts
        catalog_settings_env(server, home, engine_path=os.environ["UB_FAKE_IDEVICERESTORE"])
        app.no_label("This computer can’t restore your iPhone 13 Pro yet", timeout=LONG)
        app.click("Update…")
        app.click_in_dialog("Update")
        app.label("Updating iPhone 13 Pro to iOS 18.6.2", timeout=LONG)
    finally:
        app.close()
        server.stop()


case(hub_warning)
case(engine_missing_blocks)
finish()
