#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The button countdown on simulated devices, in real time: a device whose
# owner holds the buttons right lands in DFU mode and the countdown stops at
# once; one let go too early comes back in Recovery and the advice says what
# to change; an iPad's force restart names its own buttons.

import os
import tempfile

from ubtest import SLOWDOWN, App, case, finish

# the whole DFU sequence from Recovery is 3 + 4 + 10 + 3 seconds
SEQUENCE = 40 * SLOWDOWN


def cue_log():
    return os.path.join(tempfile.mkdtemp(prefix="ub-guide-"), "app.log")


def dfu_from_recovery_succeeds():
    log = cue_log()
    app = App(
        "guide-dfu",
        extra_env={"G_MESSAGES_DEBUG": "ub-cue-player"},
        log_path=log,
    )
    try:
        app.label("iPhone 13 Pro")
        app.click("Guide Me…")
        app.label("Put Your iPhone in DFU Mode")
        app.label("A Black Screen Is Right")
        app.label("Unbrick Restarts It for You")
        app.label("Plug the Cable in First")
        app.screenshot("guide-intro")

        app.click("Start")
        # the steps run in real time while a slow (sanitizer) build answers
        # AT-SPI slowly and may only see the end: the step cues counted
        # below prove every step ran; the picture is taken when it can be
        app.wait_for(
            lambda: app.find_all("label", "Let go of Side — keep holding Volume Down")
            or app.find_all("label", "Let go — your iPhone is in DFU mode"),
            "the last step or its end",
            SEQUENCE,
        )
        if app.find_all("label", "Step 3 of 3"):
            app.screenshot("guide-countdown")
        # the simulated device lands in DFU 12 s after Start, 5 s into the last
        # step: the count stops at once
        app.label("Let go — your iPhone is in DFU mode", timeout=SEQUENCE)
        app.label_containing("The screen stays black in DFU mode")
        app.screenshot("guide-success")
        # DFU mode is only entered to restore from it: the next step asks
        app.click("Continue to Restore…")
        app.button("Erase and Restore")
        app.click_in_dialog("Cancel")
        app.label("DFU")
        app.label("Leave DFU Mode")
    finally:
        app.close()
    with open(log) as output:
        text = output.read()
    # every step change and the last seconds went to the speaker
    assert text.count("played the step cue") == 3, text
    assert text.count("played the tick cue") >= 4, text
    assert "played the success cue" in text, text


def released_too_early_gets_advice():
    """Also with the sounds turned off in Preferences: nothing is played."""
    home = tempfile.mkdtemp(prefix="ub-guide-")
    config = os.path.join(home, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as keyfile:
        keyfile.write("[io/github/unbrick/Unbrick]\nsounds-enabled=false\n")
    log = os.path.join(home, "app.log")
    app = App(
        "guide-too-early",
        extra_env={
            "GSETTINGS_BACKEND": "keyfile",
            "XDG_CONFIG_HOME": config,
            "G_MESSAGES_DEBUG": "ub-cue-player",
        },
        log_path=log,
    )
    try:
        app.label("iPhone 13 Pro")
        app.click("Guide Me…")
        app.click("Start")
        app.label("It went into Recovery Mode instead", timeout=SEQUENCE)
        app.label_containing("Volume Down was let go a little too early")
        app.label_containing("keep holding Volume Down until Unbrick says it worked")
        app.screenshot("guide-outcome")
        # one click tries again, from the top
        # the firmware panel behind has a Try Again button of its own
        app.click_in_window("Put Your iPhone in DFU Mode", "Try Again")
        app.label_containing(" of 3")
        app.click("Stop")
        app.label("Put Your iPhone in DFU Mode")
    finally:
        app.close()
    with open(log) as output:
        text = output.read()
    assert "played the" not in text, text


def ipad_force_restart_names_its_buttons():
    app = App("two-devices")
    try:
        rows = app.wait_for(
            lambda: app.find_all("list item", "iPad Air (5th gen, WiFi), DFU"),
            "the iPad's row in the sidebar",
        )
        rows[0].select()
        app.label("Leave DFU Mode")
        app.click("Force Restart…")
        app.label("Force Restart Your iPad")
        app.click("Start")
        # the taps last a second each: the 12 s hold is the step to read
        app.label("Hold Top", timeout=SEQUENCE)
        app.label("Let go when the Apple logo appears.")
        app.screenshot("guide-countdown-ipad")
        app.click("Stop")
    finally:
        app.close()


def recovery_without_a_detected_device():
    """Nothing is detected: the user picks the model and the first device
    to show up in Recovery is the one."""
    app = App("guide-not-detected")
    try:
        app.click("My Device Isn’t Detected")
        app.label("Put it in Recovery Mode")
        app.click("Guide Me…")
        app.label("Put Your iPhone in Recovery Mode")
        app.label("Look for a Computer and a Cable")
        app.click("Start")
        app.label("Let go — your iPhone is in Recovery Mode", timeout=SEQUENCE)
        app.label_containing("an Update can repair iOS without erasing it")
        app.click_in_window("Put Your iPhone in Recovery Mode", "Done")
        app.label("iPhone 13 Pro")
    finally:
        app.close()


case(dfu_from_recovery_succeeds)
case(released_too_early_gets_advice)
case(ipad_force_restart_names_its_buttons)
case(recovery_without_a_detected_device)
finish()
