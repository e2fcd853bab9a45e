#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The path between the screens, walked as a scared user would on simulated
# devices: after a failed Update and a failed erase every page says what
# happened to the data and offers a way forward; what erases is drawn red;
# Force Restart is there in every state; a DFU try that lands in Recovery is
# not called damaged iOS.

import os
import tempfile
import time

import pyatspi

from firmware_server import FirmwareServer
from ubtest import SLOWDOWN, App, case, catalog_settings_env, finish, settings_env

LONG = 120 * SLOWDOWN
# the DFU guide from Recovery: 3 + 4 + 10 + 3 seconds, and the landing
SEQUENCE = 40 * SLOWDOWN
CONSENT = "I understand that everything on this iPhone will be erased"


def drawn_red(app, node):
    """a destructive button: mostly red on the screen, no blue in it"""
    red, blue = app.fill_shares(node)
    return red > 0.3 and blue == 0, (node.name, red, blue)


def failed_update_leads_on():
    app = App("restore-fails", time_scale=0.2)
    try:
        app.label("iPhone 8 (GSM)")
        app.click("Update…")
        app.click_in_dialog("Update")
        app.label("Updating iPhone 8 (GSM)")
        # an Update is stopped as an Update
        app.button("Stop Update…")
        app.label("The Update Didn’t Finish", timeout=LONG)
        app.label("Your data was not erased by this attempt.")
        # the next rung erases: it looks like it
        restore = app.button("Restore…")
        app.screenshot("failed-update")
        red, why = drawn_red(app, restore)
        assert red, why

        # Done leads back to a device page with something to do: the iPhone
        # restarted into Recovery Mode after the failure
        app.click("Done")
        app.label("Recovery", timeout=LONG)
        app.label_containing("Your data is still on it")
        app.button("Update…")
        app.button("Force Restart…")
        app.no_label("Waiting for it to leave Restore Mode")
    finally:
        app.close()


def stopped_update_leads_on():
    app = App("restore-fails", time_scale=0.5)
    try:
        app.label("iPhone 8 (GSM)")
        app.click("Update…")
        app.click_in_dialog("Update")
        app.label("Restoring the system", timeout=LONG)
        app.click("Stop Update…")
        app.label("Stop the Update?")
        app.label_containing("an Update started again keeps your data")
        app.click_in_dialog("Stop Update")
        app.label("The Update Was Stopped", timeout=LONG)
        app.label("Your data was not erased by this attempt.")
        app.click("Done")
        # stopped in Restore Mode, it restarted into Recovery Mode
        app.label("Recovery", timeout=LONG)
        app.button("Update…")
        app.button("Force Restart…")
    finally:
        app.close()


def failed_erase_says_the_data_is_gone():
    app = App("restore-fails", time_scale=0.2)
    try:
        app.label("iPhone 8 (GSM)")
        app.click("Restore…")
        app.tick(CONSENT)
        app.click_in_dialog("Erase and Restore")
        app.button("Stop Restore…")
        app.label("The Restore Didn’t Finish", timeout=LONG)
        app.label_containing("The erase had begun, so what was on it is gone")
        app.no_label("Your data was not erased by this attempt.")
        # the ladder's next rung erases again, drawn red
        buttons = [
            node
            for name in ("Try Again in DFU Mode…", "Restore…")
            for node in app.find_all("push button", name)
        ]
        assert buttons, "no next step after a failed erase"
        app.screenshot("failed-erase")
        red, why = drawn_red(app, buttons[0])
        assert red, why

        app.click("Done")
        app.label("Recovery", timeout=LONG)
        # no Update of data that is gone, no "your data is still on it"
        app.label_containing("had begun to erase it")
        app.no_label("Update iOS")
        app.button("Restore…")
        # and the DFU guide does not promise nothing is erased
        app.click("Guide Me…")
        app.label("Put Your iPhone in DFU Mode")
        app.label("It Was Already Erased")
        app.no_label("Nothing Is Erased Yet")
    finally:
        app.close()


def force_restart_in_every_state():
    # Recovery, DFU, Normal: the button is there, named for the mode
    for scenario, mode, title in (
        ("recovery", "Recovery", "Force Restart"),
        ("restore-unplugged", "DFU", "Leave DFU Mode"),
        ("untrusted", "Normal", "Force Restart"),
    ):
        app = App(scenario)
        try:
            app.label(mode)
            app.label(title)
            app.button("Force Restart…")
        finally:
            app.close()


def unplugged_device_can_be_woken():
    app = App("restore-unplugged", time_scale=0.2)
    try:
        app.label("DFU")
        app.click("Restore…")
        app.tick(CONSENT)
        app.click_in_dialog("Erase and Restore")
        app.label("The connection to the device was lost", timeout=LONG)
        app.click("Done")
        app.label("Disconnected", timeout=LONG)
        app.label("Waiting for it to come back")
        app.label_containing("a force restart often wakes it")
        app.button("Force Restart…")
    finally:
        app.close()


def retry_without_the_device_says_what_it_waits_for():
    """A retry of a device that is not plugged in says what it waits for
    and for how long, and when it never came it is no climb of the ladder:
    the same is offered again."""
    app = App("restore-unplugged", time_scale=0.2)
    try:
        app.label("DFU")
        app.click("Restore…")
        app.tick(CONSENT)
        app.click_in_dialog("Erase and Restore")
        app.label("The connection to the device was lost", timeout=LONG)
        app.click("Try Again")
        # an erase is asked for again
        app.tick(CONSENT)
        app.click_in_dialog("Erase and Restore")
        app.label_containing("Waiting for your iPhone 13 Pro to be connected")
        app.label_containing("Unbrick waits")
        app.screenshot("restore-waiting-for-device")
        app.label("The Restore Didn’t Start", timeout=LONG)
        app.label_containing("nothing was tried")
        app.label("The device is never detected")
        app.no_label("Everything was tried on this computer")
        app.button("Restore…")
    finally:
        app.close()


def dfu_try_landing_in_recovery_is_not_damage():
    app = App("guide-too-early")
    try:
        app.label("iPhone 13 Pro")
        app.click("Guide Me…")
        app.click("Start")
        app.label("It went into Recovery Mode instead", timeout=SEQUENCE)
        app.click_in_window("Put Your iPhone in DFU Mode", "Done")
        app.label("Recovery")
        app.button("Update…")
        # the restart was the guide's: nothing was observed about iOS
        time.sleep(3)
        damaged = app.find_all("label", "iOS on it is damaged", contains=True)
        assert not damaged, damaged[0].name
    finally:
        app.close()


def engine_too_old_is_said_first():
    """Debian 12's idevicerestore (1.0.0, 2020) and an iPhone 13 Pro: the
    page says so before Update or Restore can be pressed, and How to Fix
    leads to the card that says what to install."""
    home = tempfile.mkdtemp(prefix="ub-engine-")
    env = settings_env(home, engine_path=os.environ["UB_FAKE_IDEVICERESTORE"])
    env.update({
        # the real engine class and its probe on the simulated device
        "UNBRICK_SIM_REAL_ENGINE": "1",
        "UB_FAKE_ENGINE_VERSION": "1.0.0",
    })
    app = App("recovery", extra_env=env)
    try:
        app.label("iPhone 13 Pro")
        app.label("This computer can’t restore your iPhone 13 Pro yet")
        app.label_containing("does not know the iPhone 13 Pro")
        app.label_containing("Install Unbrick from Flathub")
        for name in ("Update…", "Restore…"):
            button = app.button(name)
            assert not button.getState().contains(pyatspi.STATE_SENSITIVE), name
        app.screenshot("device-engine-too-old")
        app.click("How to Fix…")
        app.focus_window("Troubleshooting")
        app.label("The restore tool is too old for this device")
    finally:
        app.close()


def downloads_before_asking_for_dfu():
    """iOS not downloaded yet: Guide Me for DFU Mode fetches it first and
    says why, and the countdown comes when the file is verified."""
    home = tempfile.mkdtemp(prefix="ub-first-")
    # slow enough to be seen: 24 MB in 256 KB pieces over a few connections
    server = FirmwareServer(pace_seconds=0.4 * SLOWDOWN)
    env = catalog_settings_env(server, home, engine_path=os.environ["UB_FAKE_IDEVICERESTORE"])
    env.update({
        "UNBRICK_SIM_REAL_ENGINE": "1",
        "UB_FAKE_ENGINE_VERSION": "1.0.0-271-g45145e9 (libirecovery 1.3.1-5-g04d04f7, "
        "libtatsu 1.0.5-3-g60a39f3)",
    })
    app = App("download-first", extra_env=env)
    try:
        app.label("iPhone 13 Pro")
        app.label("Normal")
        app.click("Guide Me…")
        # no countdown yet: the download first, and why
        app.label_containing("Downloading iOS first")
        app.label_containing("leaves it by itself after about 15 minutes")
        app.no_label("Put Your iPhone in DFU Mode", timeout=1)
        app.screenshot("download-first")
        # then the guide, once iOS is here
        app.label("Put Your iPhone in DFU Mode", timeout=LONG)
        app.click_in_window("Put Your iPhone in DFU Mode", "Close")
        # a second time nothing is fetched again
        app.click("Guide Me…")
        app.label("Put Your iPhone in DFU Mode")
    finally:
        app.close()
        server.stop()


def escape_goes_back_and_the_title_follows():
    app = App("empty")
    try:
        app.label("Connect your iPhone or iPad")
        app.click("My Device Isn’t Detected")
        app.label("Let’s Find Your Device")
        # the header bar's title
        app.label("Connection Checks")
        app.key("Escape")
        app.label("Connect your iPhone or iPad")
        app.no_label("Connection Checks")
        # a device that shows up while the checks are open: the title follows
        app.click("My Device Isn’t Detected")
        app.label("Connection Checks")
        app.key("ctrl+shift+d")
        app.label("iPhone 13 Pro")
        app.no_label("Connection Checks")
    finally:
        app.close()


case(failed_update_leads_on)
case(stopped_update_leads_on)
case(failed_erase_says_the_data_is_gone)
case(force_restart_in_every_state)
case(unplugged_device_can_be_woken)
case(retry_without_the_device_says_what_it_waits_for)
case(dfu_try_landing_in_recovery_is_not_damage)
case(engine_too_old_is_said_first)
case(downloads_before_asking_for_dfu)
case(escape_goes_back_and_the_title_follows)
finish()
