#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Restores on simulated devices, through the real window: Update from
# Recovery to the success page, a failing restore to its cause, a device
# unplugged half-way, and the erase consent that cannot be skipped.

import os
import subprocess
import tempfile

import pyatspi

from firmware_server import FirmwareServer
from ubtest import SLOWDOWN, App, case, catalog_settings_env, finish

LONG = 120 * SLOWDOWN


def update_succeeds():
    app = App("recovery", time_scale=0.25)
    try:
        app.label("iPhone 13 Pro")
        app.click("Update…")
        app.label("Update iPhone 13 Pro?")
        app.label_containing("photos, messages and apps are kept")
        app.click_in_dialog("Update")

        app.label("Updating iPhone 13 Pro")
        app.label("Keeps your photos, messages and apps.")
        app.label_containing("Keep your iPhone 13 Pro connected")
        app.label("Restoring the system")
        # the stages move: the system restore runs while earlier ones are done
        app.wait_for(
            lambda: app.find_all("label", "Done") and app.find_all("label", "In progress"),
            "a finished stage and a running one",
        )
        app.label_containing("so far")
        app.screenshot("restore-running")

        app.label("Your iPhone 13 Pro Was Updated", timeout=LONG)
        app.label_containing("with your data as it was")
        app.screenshot("restore-success")
        # the page then follows the device as it starts iOS
        app.click("Done")
        app.label("Normal", timeout=LONG)
    finally:
        app.close()


def update_drives_idevicerestore():
    """The whole real path on a simulated device: the signed build from the
    (loopback) catalog, downloaded and verified, then the idevicerestore
    engine class running a stand-in binary that prints a real run."""
    home = tempfile.mkdtemp(prefix="ub-restore-")
    argv_file = os.path.join(home, "engine-argv")
    server = FirmwareServer(pace_seconds=0.05 * SLOWDOWN)
    env = catalog_settings_env(server, home, engine_path=os.environ["UB_FAKE_IDEVICERESTORE"])
    env.update({
        "UNBRICK_SIM_REAL_ENGINE": "1",
        "UB_FAKE_ENGINE_LOG": os.path.join(os.environ["UB_RESTORE_LOGS"], "success.log"),
        "UB_FAKE_ENGINE_SPEED": str(5.0 / SLOWDOWN),
        "UB_FAKE_ENGINE_ARGV_FILE": argv_file,
        "UB_FAKE_ENGINE_VERSION": "1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, "
        "libtatsu 1.0.5-3-g60a39f3)",
    })
    app = App("recovery", extra_env=env)
    try:
        app.label("iPhone 13 Pro")
        app.click("Update…")
        app.click_in_dialog("Update")
        app.label("Updating iPhone 13 Pro to iOS 18.6.2", timeout=LONG)
        app.label("Restoring the system")
        app.label("Your iPhone 13 Pro Was Updated", timeout=LONG)
    finally:
        app.close()
        server.stop()
    with open(argv_file) as lines:
        argv = lines.read().split("\n")
    # plain progress, no questions, this device only, no erase, the verified file
    assert "-P" in argv and "-y" in argv, argv
    assert argv[argv.index("-i") + 1].lower() == "0xe4a1c2b3d5f61", argv
    assert "-e" not in argv, argv
    ipsw = [arg for arg in argv if arg.endswith(".ipsw")]
    assert ipsw and ipsw[0].startswith(os.path.join(home, "cache")), argv


def engine_in_preferences():
    """Preferences say which idevicerestore runs and what it can restore:
    Debian 12's 1.0.0 stops at the models of 2020."""
    app = App("empty")
    try:
        app.label("Connect your iPhone or iPad")
        app.key("ctrl+comma")
        app.focus_window("Preferences")

        def open_page():
            pages = [
                node
                for role in ("toggle button", "radio button", "push button", "page tab")
                for node in app.find_all(role, "Restore Tool")
            ]
            pages[0].doActionNamed(pages[0].actions and list(pages[0].actions)[0])
            return app.find_all("label", "Newest models it can restore")

        app.wait_for(open_page, "the Restore Tool page")
        app.label("1.0.0")
        # read from the program and its libirecovery: the newest of each
        # family released before June 2020, and that release's iOS
        app.label("iPhone SE (2nd gen), iPad Pro 12.9-inch (4th gen, Cellular)")
        app.label("iOS 14")
        app.screenshot("preferences-engine")
    finally:
        app.close()


def failing_restore_explains():
    app = App("restore-fails", time_scale=0.2)
    try:
        app.label("iPhone 8 (GSM)")
        app.click("Update…")
        app.click_in_dialog("Update")
        app.label("The Update Didn’t Finish", timeout=LONG)
        app.label("The cellular modem couldn’t be updated")
        app.label_containing("In Apple’s tools this shows as error")
        app.label("Your data was not erased by this attempt.")
        # the card's steps, and the ladder's next rung as the one button: an
        # Update was tried and a modem fault is no cable problem
        app.label_containing("Try once more, with a cable that carries data")
        app.button("Restore…")
        app.button("Save Log…")
        app.button("Copy Diagnostics")
        app.screenshot("restore-failure")
    finally:
        app.close()


def unplugged_restore_fails_on_usb():
    app = App("restore-unplugged", time_scale=0.2)
    try:
        app.label("iPhone 13 Pro")
        app.label("DFU")
        # from DFU only a restore can run, and the page says why
        app.label_containing("Only a restore can run from DFU mode")
        app.no_label("Update iOS")
        app.click("Restore…")
        app.tick("I understand that everything on this iPhone will be erased")
        app.click_in_dialog("Erase and Restore")
        app.label("Restoring iPhone 13 Pro")
        app.label("The connection to the device was lost", timeout=LONG)
        app.label_containing("cable or the USB port lost contact")
    finally:
        app.close()


def erase_needs_consent():
    app = App("recovery")
    try:
        app.label("iPhone 13 Pro")
        app.click("Restore…")
        app.label("Erase and Restore iPhone 13 Pro?")
        app.label_containing("no new backup can be made")
        app.label_containing("Activation Lock")
        erase = app.button("Erase and Restore")
        states = erase.getState()
        assert not states.contains(pyatspi.STATE_SENSITIVE), "erase was possible without consent"
        # pressing it anyway does nothing
        erase.doActionNamed("click")
        app.label("Erase and Restore iPhone 13 Pro?")
        app.click_in_dialog("Cancel")
        app.no_label("Erase and Restore iPhone 13 Pro?")
        app.no_label("Restoring iPhone 13 Pro")
        app.label("Update iOS")
    finally:
        app.close()


def explain_pasted_log():
    app = App("empty")
    try:
        app.label("Connect your iPhone or iPad")
        # the menu item's action, as the menu would send it (popovers are
        # not reachable over AT-SPI here)
        subprocess.run(
            [
                "gdbus", "call", "--session",
                "--dest", "io.github.unbrick.Unbrick",
                "--object-path", "/io/github/unbrick/Unbrick",
                "--method", "org.gtk.Actions.Activate", "explain-log", "[]", "{}",
            ],
            check=True,
            capture_output=True,
        )
        app.label_containing("Open the saved log, or paste the text below")
        # gives the newest window (the explainer) the focus
        app.key("End")
        app.type_text("ERROR: Unable to send TSS request")
        app.click("Explain")
        app.label("This restore didn’t finish")
        app.label("Apple’s server couldn’t be reached")
        app.label("Not reached")
        app.screenshot("explain-log")
    finally:
        app.close()


case(update_succeeds)
case(update_drives_idevicerestore)
case(failing_restore_explains)
case(unplugged_restore_fails_on_usb)
case(erase_needs_consent)
case(explain_pasted_log)
case(engine_in_preferences)
finish()
