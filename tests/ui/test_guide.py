#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The button countdown on simulated devices, in real time: a device whose
# owner holds the buttons right lands in DFU mode and the countdown stops at
# once; one let go too early comes back in Recovery and the advice says what
# to change; an iPad's force restart names its own buttons. An iPhone 8 is
# drawn with its Home button, the countdown fits a 360 px window, and the
# model picker shows its choices whole.

import os
import subprocess
import tempfile
import time

import pyatspi
from ubtest import SLOWDOWN, TIMEOUT, App, UiTestFailure, case, finish, on_screen

SCENARIOS = os.path.join(os.path.dirname(__file__), "..", "..", "data", "scenarios")

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


def drawings(app):
    """the button drawings on screen: (what to press, which buttons where)"""
    return [
        (node.name, node.description or "")
        for node in app.find_all("image")
        if on_screen(node) and (node.description or "").startswith("Buttons of")
    ]


def window_id(app, title):
    ids = app.wait_for(
        lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(app.process.pid)]
            + ["--name", "^%s$" % title],
            capture_output=True,
            text=True,
        ).stdout.split(),
        "the window '%s'" % title,
    )
    return ids[-1]


def resize(app, title, width, height):
    """make the window @width x @height as a window manager would, and
    check it stayed that size: no minimum size of its own keeps it wider"""
    window = window_id(app, title)
    subprocess.run(["xdotool", "windowsize", window, str(width), str(height)], check=True)
    time.sleep(1.0 * SLOWDOWN)
    geometry = subprocess.run(
        ["xdotool", "getwindowgeometry", window], capture_output=True, text=True, check=True
    ).stdout
    if "Geometry: %dx%d" % (width, height) not in geometry:
        raise UiTestFailure("the window is not %dx%d: %s" % (width, height, geometry))
    return window


def frame_extents(app, title):
    frames = [f for f in app.find_all("frame") if f.name == title]
    if not frames:
        raise UiTestFailure("no window '%s' on the bus" % title)
    return frames[0].queryComponent().getExtents(pyatspi.WINDOW_COORDS)


def inside(app, title, node, what):
    """@node is drawn whole inside the window called @title"""
    fx, fy, fwidth, fheight = frame_extents(app, title)
    x, y, width, height = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    if width <= 0 or height <= 0:
        raise UiTestFailure("%s has no size" % what)
    if x < fx or y < fy or x + width > fx + fwidth or y + height > fy + fheight:
        raise UiTestFailure(
            "%s at %s is cut by the window %s"
            % (what, (x, y, width, height), (fx, fy, fwidth, fheight))
        )


def iphone8_is_drawn_with_its_home_button():
    """iPhone 8 takes iPhone X's buttons (Volume Up, Volume Down, Side) but
    has a Home button: the drawing has it too, and says so."""
    app = App(os.path.join(SCENARIOS, "guide-iphone8.json"))
    try:
        app.label("iPhone 8 (Global)")
        app.click("Guide Me…")
        app.label("Put Your iPhone in DFU Mode")
        shown = app.wait_for(lambda: drawings(app), "the drawing before the start")
        _, description = shown[0]
        assert description.startswith("Buttons of the iPhone 8 (Global): "), description
        assert "Side button on the right edge" in description, description
        assert "Home button below the screen" in description, description

        app.click("Start")
        app.label("Hold Side and Volume Down", timeout=10 * SLOWDOWN)
        pressed = app.wait_for(
            lambda: [d for d in drawings(app) if d[0] == "Press Side and Volume Down"],
            "the drawing lighting Side and Volume Down",
        )
        assert "Home button below the screen" in pressed[0][1], pressed
        app.screenshot("guide-iphone8")
        # the simulated iPhone 8 lands in DFU 12 s after Start
        app.label("Let go — your iPhone is in DFU mode", timeout=SEQUENCE)
    finally:
        app.close()


def countdown_fits_360_px():
    """GNOME's narrowest window: the big step text wraps, the number goes
    under the drawing, and Stop is still on screen."""
    title = "Put Your iPhone in DFU Mode"
    # the countdown runs 4 times slower, so it is still running (and Stop
    # still there) when every part of it has been measured
    app = App(os.path.join(SCENARIOS, "guide-iphone8.json"), time_scale=4.0)
    try:
        app.click("Guide Me…")
        app.label(title)
        resize(app, title, 360, 720)
        app.click("Start")
        step = app.label("Hold Side and Volume Down", timeout=4 * 10 * SLOWDOWN)
        inside(app, title, step, "the step's instruction")
        inside(app, title, app.label("The screen goes black — keep holding both."), "its detail")
        drawing = app.wait_for(
            lambda: [
                # whichever step it is on by now: a slow (sanitizer) run
                # may be past the second
                n
                for n in app.find_all("image", "Press ", contains=True)
                if on_screen(n)
            ],
            "the drawing",
        )[0]
        inside(app, title, drawing, "the drawing")
        inside(app, title, app.button("Stop"), "the Stop button")
        _, _, step_width, step_height = step.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        # 30 pt text in two lines, not one line wider than the window
        assert step_height > 60 and step_width <= 340, (step_width, step_height)
        app.screenshot("guide-narrow")
        app.click("Stop")
        app.label(title)
    finally:
        app.close()


def composite_screenshot(app, title, name):
    """the window called @title with its popover over it, which is a window
    of its own and may reach past the window's edge"""
    folder = os.environ.get("UB_SCREENSHOT_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    time.sleep(0.6)
    boxes = []
    windows = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(app.process.pid)],
        capture_output=True,
        text=True,
    ).stdout.split()
    for window in windows:
        geometry = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window],
            capture_output=True,
            text=True,
        ).stdout
        values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
        x, y, width, height = (int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
        window_name = subprocess.run(
            ["xdotool", "getwindowname", window], capture_output=True, text=True
        ).stdout.strip()
        # the main window behind is left out; a popover goes by the program's name
        if width > 1 and height > 1 and window_name in (title, "", "unbrick"):
            boxes.append((x, y, x + width, y + height))
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    crop = "%dx%d+%d+%d" % (right - left, bottom - top, left, top)
    path = os.path.join(folder, name + ".png")
    subprocess.run(["import", "-window", "root", "-crop", crop, "+repage", path], check=True)


MODEL_CHOICES = [
    "iPhone X or later, without a Home button",
    "iPhone 8 or 8 Plus, iPhone SE (2nd or 3rd generation)",
    "iPhone 7 or 7 Plus",
    "iPhone 6s, 6s Plus, 6 or 6 Plus",
    "iPhone SE (1st generation), 5s or earlier",
    "iPad Pro or iPad Air without a Home button",
    "iPad mini (6th generation or later), iPad (10th generation or later)",
    "iPad with a Home button",
]


def model_picker_shows_choices_whole():
    """Nothing detected: the user picks the model from a list whose long
    names wrap instead of ending in "…", and the drawing follows the pick
    (iPhone 8 with a Home button, iPad mini with its volume on top)."""
    title = "Put Your iPhone in Recovery Mode"
    app = App("guide-not-detected")
    try:
        app.click("My Device Isn’t Detected")
        app.click("Guide Me…")
        app.label(title)
        window = resize(app, title, 360, 720)
        combo = app.wait_for(lambda: app.find_all("combo box", "Which Device?"), "the picker")[0]

        def list_shown():
            return [n for n in app.find_all("label", MODEL_CHOICES[-1]) if on_screen(n)]

        def open_list():
            # the picker may still be moving into its place in the narrowed
            # window when it is first measured: a click that missed it is
            # tried again where it is now
            for _ in range(3):
                x, y, width, height = combo.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
                subprocess.run(
                    ["xdotool", "mousemove", "--window", window]
                    + [str(x + width // 2), str(y + height // 2), "click", "1"],
                    check=True,
                )
                try:
                    return app.wait_for(list_shown, "the list of models", timeout=TIMEOUT / 3)
                except UiTestFailure:
                    pass
            raise UiTestFailure("the list of models did not open after three clicks")

        open_list()
        heights = {}
        for choice in MODEL_CHOICES:
            labels = app.find_all("label", choice)
            assert labels, "'%s' is not in the list" % choice
            heights[choice] = labels[-1].queryComponent().getExtents(pyatspi.WINDOW_COORDS)[3]
        # the default rows cut every name at 20 characters on one line;
        # these wrap, so the long names take two lines and the short one
        assert heights[MODEL_CHOICES[6]] >= 2 * heights["iPhone 7 or 7 Plus"] - 4, heights
        composite_screenshot(app, title, "guide-model-picker")
        subprocess.run(["xdotool", "key", "Down", "Return"], check=True)
        app.label(MODEL_CHOICES[1])
        description = app.wait_for(lambda: drawings(app), "the drawing")[0][1]
        assert "Home button below the screen" in description, description

        open_list()
        subprocess.run(["xdotool", "key"] + ["Down"] * 5 + ["Return"], check=True)
        app.label("Put Your iPad in Recovery Mode")
        chosen = app.label(MODEL_CHOICES[6])
        inside(app, "Put Your iPad in Recovery Mode", chosen, "the chosen model")
        description = app.wait_for(lambda: drawings(app), "the drawing")[0][1]
        assert "volume buttons on the top edge" in description, description
        assert "no Home button" in description, description
    finally:
        app.close()


case(dfu_from_recovery_succeeds)
case(released_too_early_gets_advice)
case(ipad_force_restart_names_its_buttons)
case(recovery_without_a_detected_device)
case(iphone8_is_drawn_with_its_home_button)
case(countdown_fits_360_px)
case(model_picker_shows_choices_whole)
finish()
