#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Troubleshooting window: every remediation card in one list, narrowed
# by an error number, by words or by what the device shows, the best card
# first, and each card's steps shown on demand.

import os
import subprocess
import time

import pyatspi

from ubtest import App, UiTestFailure, case, finish, on_screen

USB = "The connection to the device was lost"
HUB = "The device is connected through a hub"
SIGNING = "Apple’s server couldn’t be reached"
BATTERY = "Plug in the laptop"
SERVICE = "Get the device repaired"
USB_STEP = "Unplug the cable at both ends, wait a few seconds, and plug it back in."
USB_CODES = "Apple error numbers: 9, 13, 14"
LOGO = "The device is stuck on the Apple logo"
LOGO_STEP = "Choose Update. It installs iOS again and keeps your photos, messages and apps."
ACTIVATION = "Activation Lock asks for an Apple Account"
ACTIVATION_LINK = "Apple Support: Activation Lock"
LIQUID = "The device got wet or was dropped"
BLACK = "The device won’t turn on"
NO_MATCHES = "Try an error number like 4013, or fewer words for what you see, like black screen."
SYMPTOMS = (
    "Stuck on the Apple logo",
    "Black screen or won’t turn on",
    "Activation Lock",
    "Liquid or drop damage",
    "An error number",
)


def window_ids(title):
    return subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^%s$" % title],
        capture_output=True,
        text=True,
    ).stdout.split()


def open_troubleshooting(app):
    app.label("Connect your iPhone or iPad")
    # the keyboard shortcut, as the menu and the shortcuts window show it
    app.key("ctrl+t")
    app.wait_for(lambda: window_ids("Troubleshooting"), "the Troubleshooting window")
    app.focus_window("Troubleshooting")
    app.label(USB)


def expanded_rows(app):
    def match(node):
        try:
            return node.getState().contains(pyatspi.STATE_EXPANDED) and on_screen(node)
        except Exception:
            return False

    return app.node.findChildren(match, showingOnly=False)


def search_focused(app):
    return [
        n
        for n in app.find_all("entry", "Search problems")
        if n.getState().contains(pyatspi.STATE_FOCUSED)
    ]


def card_group(app, title):
    """The card named by its title, as a screen reader finds it."""
    return app.wait_for(
        lambda: [
            n
            for n in app.find_all("panel", title)
            if n.parent is not None and n.parent.roleName != "application"
        ],
        "the card '%s' as a group" % title,
    )[0]


def window_screenshot(name, title):
    folder = os.environ.get("UB_SCREENSHOT_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    time.sleep(0.8)  # let the row finish opening
    ids = window_ids(title)
    if not ids:
        raise UiTestFailure("no window called '%s' to take" % title)
    subprocess.run(
        ["import", "-window", ids[-1], os.path.join(folder, name + ".png")], check=True
    )


def node_screenshot(name, node, title, margin=12):
    """Just @node (a card), cut from its window with a little room around."""
    folder = os.environ.get("UB_SCREENSHOT_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    time.sleep(0.8)  # let the row finish opening
    # GTK 4.8 knows where a widget is in its window, not on the screen
    extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    geometry = "%dx%d+%d+%d" % (
        extents.width + 2 * margin,
        extents.height + 2 * margin,
        max(extents.x - margin, 0),
        max(extents.y - margin, 0),
    )
    path = os.path.join(folder, name + ".png")
    window_screenshot(name, title)
    subprocess.run(["convert", path, "-crop", geometry, "+repage", path], check=True)


def search_narrows_the_list():
    app = App("empty")
    try:
        open_troubleshooting(app)
        # every card is listed before anything is typed
        for title in (USB, HUB, SIGNING, BATTERY, SERVICE):
            app.label(title)
        assert not expanded_rows(app), "nothing should be open before a search"

        # an error number: only the cards covering it, the first one open
        app.type_text("4013")
        app.no_label(BATTERY)
        app.no_label(HUB)
        app.label(USB)
        app.wait_for(lambda: expanded_rows(app), "the USB card to open")
        app.label(USB_STEP)
        app.label_containing(USB_CODES)
        card_group(app, USB)
        window_screenshot("troubleshooting-search", "Troubleshooting")

        # words: every card that mentions a cable
        app.key("ctrl+a", activate=False)
        app.type_text("cable")
        app.label(USB)
        app.label(HUB)
        app.no_label(BATTERY)
        app.no_label(SIGNING)

        app.key("ctrl+a", activate=False)
        app.type_text("zzzz")
        app.label("No Matches")
        app.label(NO_MATCHES)
        app.button("Explain a Restore Log…")
        app.button("Show Common Problems")
        app.no_label(USB)

        # Escape empties the search: everything is back
        app.key("Escape", activate=False)
        app.no_label("No Matches")
        for title in (USB, HUB, SIGNING, BATTERY, SERVICE):
            app.label(title)

        # and with nothing to clear it closes the window
        app.key("Escape", activate=False)
        app.wait_for(lambda: not window_ids("Troubleshooting"), "the window to close")
        app.label("Connect your iPhone or iPad")
    finally:
        app.close()


def card_shows_everything():
    app = App("empty")
    try:
        open_troubleshooting(app)
        # Ctrl+F goes back to the search from anywhere in the window
        app.wait_for(lambda: search_focused(app), "the search to have the focus on open")
        app.key("Tab", activate=False)
        app.wait_for(lambda: not search_focused(app), "the focus to leave the search")
        app.key("ctrl+f", activate=False)
        app.wait_for(lambda: search_focused(app), "Ctrl+F to focus the search")
        # a code only the signing server card covers
        app.type_text("3014")
        app.no_label(USB)
        app.label(SIGNING)
        app.wait_for(lambda: expanded_rows(app), "the card to open")
        app.label("If That Didn’t Help")
        app.label_containing("Apple error numbers: ")
        card = card_group(app, SIGNING)
        # the whole row: its title and summary above the card's steps
        row = card
        while row is not None and not (row.roleName == "list item" and row.name == SIGNING):
            row = row.parent
        node_screenshot("remediation-card", row if row is not None else card, "Troubleshooting")
    finally:
        app.close()


def result_titles(app):
    """The cards the search shows, in their order on screen."""
    lists = app.find_all("list", "Problems and what to do")
    if not lists:
        return []
    return [child.name for child in lists[0] if child.roleName == "list item"]


def first_result(app, title):
    app.wait_for(
        lambda: result_titles(app)[:1] == [title],
        "'%s' as the first card (not %s)" % (title, result_titles(app)[:3]),
    )


def click_suggestion(app, name):
    """Click the row @name of the Troubleshooting window with the pointer:
    GTK 4.8 puts that window on the bus as a nameless filler, which
    App.click_row() cannot find by its title."""
    row = app.wait_for(lambda: app.find_all("list item", name), "the row '%s'" % name)[0]
    x, y, width, height = row.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    ids = window_ids("Troubleshooting")
    if not ids:
        raise UiTestFailure("no Troubleshooting window to click in")
    subprocess.run(
        ["xdotool", "mousemove", "--window", ids[-1]]
        + [str(x + width // 2), str(y + height // 2), "click", "1"],
        check=True,
    )


def search(app, text):
    app.key("ctrl+f", activate=False)
    app.key("ctrl+a", activate=False)
    app.type_text(text)


def symptoms_lead_first():
    app = App("empty")
    try:
        open_troubleshooting(app)
        # the ways in are there before anything is typed
        app.label("What Do You See?")
        for name in SYMPTOMS:
            app.wait_for(lambda: app.find_all("list item", name), "the suggestion '%s'" % name)

        # typed as people type it: the card that answers it first
        search(app, "stuck on apple logo")
        first_result(app, LOGO)
        # a search shows only its cards, not the suggestions
        app.no_label("What Do You See?")

        search(app, "my iphone won't turn on")
        first_result(app, BLACK)

        search(app, "activation lock")
        first_result(app, ACTIVATION)

        search(app, "Dropped in water")
        first_result(app, LIQUID)

        # error numbers lead as before
        search(app, "4013")
        first_result(app, USB)
    finally:
        app.close()


def symptom_suggestion_opens_card():
    app = App("empty")
    try:
        open_troubleshooting(app)
        click_suggestion(app, "Stuck on the Apple logo")
        # the search runs, the suggestions step aside, the best card is open
        first_result(app, LOGO)
        app.no_label("What Do You See?")
        app.wait_for(lambda: expanded_rows(app), "the card to open")
        app.label(LOGO_STEP)
        window_screenshot("troubleshoot-symptom", "Troubleshooting")

        # Escape: back to the suggestions; Activation Lock links to Apple
        app.key("Escape", activate=False)
        app.label("What Do You See?")
        click_suggestion(app, "Activation Lock")
        first_result(app, ACTIVATION)
        app.wait_for(lambda: expanded_rows(app), "the card to open")
        # (test-remediation holds the address to Apple's page)
        app.wait_for(lambda: app.find_all("link", ACTIVATION_LINK), "the link to Apple")

        # no words matched: the way back to the suggestions
        search(app, "zzzz")
        app.click("Show Common Problems")
        app.label("What Do You See?")
        app.no_label("No Matches")
        app.label(USB)
    finally:
        app.close()


def opens_from_empty_state():
    app = App("empty")
    try:
        app.label("Connect your iPhone or iPad")
        # next to the cable tips: for what no cable fixes
        app.click_row("Something else wrong?")
        app.wait_for(lambda: window_ids("Troubleshooting"), "the Troubleshooting window")
        app.label("What Do You See?")
    finally:
        app.close()


def opens_once_from_not_detected():
    app = App("empty")
    try:
        app.click("My Device Isn’t Detected")
        app.label("Let’s Find Your Device")
        app.click("Troubleshooting…")
        app.wait_for(lambda: window_ids("Troubleshooting"), "the Troubleshooting window")
        app.label(USB)
        # a second request brings back the same window, not another one
        subprocess.run(
            [
                "gdbus", "call", "--session",
                "--dest", "io.github.unbrick.Unbrick",
                "--object-path", "/io/github/unbrick/Unbrick",
                "--method", "org.gtk.Actions.Activate", "troubleshoot", "[]", "{}",
            ],
            check=True,
            capture_output=True,
        )
        time.sleep(1)
        assert len(window_ids("Troubleshooting")) == 1, "two Troubleshooting windows"
    finally:
        app.close()


case(search_narrows_the_list)
case(card_shows_everything)
case(opens_once_from_not_detected)
case(symptoms_lead_first)
case(symptom_suggestion_opens_card)
case(opens_from_empty_state)
finish()
