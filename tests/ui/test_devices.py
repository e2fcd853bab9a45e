#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Devices on simulated scenarios: modes, several devices, and the two real
# device actions (Exit and Enter Recovery Mode) with their confirmations.

from ubtest import App, case, finish


def exit_recovery_boots():
    app = App("recovery", time_scale=1.0)
    try:
        app.label("iPhone 13 Pro")
        app.label("Recovery")
        app.label("0xE4A1C2B3D5F61")
        app.screenshot("recovery")

        app.click("Exit Recovery Mode")
        app.label("Exit Recovery Mode?")
        # cancelling changes nothing
        app.click_in_dialog("Cancel")
        app.no_label("Exit Recovery Mode?")
        app.label("Recovery")

        app.click("Exit Recovery Mode")
        app.click_in_dialog("Restart")
        app.label_containing("is restarting")
        app.label("Normal")
        app.label_containing("left Recovery Mode and started iOS")
        app.label("18.6.2 (22G100)")
        app.label("MLTT3LL/A")
        app.screenshot("recovery-exited")
    finally:
        app.close()


def exit_recovery_comes_back():
    app = App("recovery-loop", time_scale=0.3)
    try:
        app.label("iPhone 11")
        app.click("Exit Recovery Mode")
        app.click_in_dialog("Restart")
        app.label_containing("came back to Recovery Mode")
        app.label("Recovery")
        app.screenshot("recovery-loop")
    finally:
        app.close()


def two_devices():
    app = App("two-devices")
    try:
        app.label("iPhone 13 Pro")
        app.label("iPad Air (5th gen, WiFi)")
        app.wait_for(lambda: app.find_all("list", "Devices"), "the sidebar")
        rows = app.wait_for(
            lambda: app.find_all("list item", "iPad Air (5th gen, WiFi), DFU"),
            "the iPad's row in the sidebar",
        )
        rows[0].select()
        app.label("DFU")
        app.label("Connected through a hub")
        app.label_containing("USB2.0 Hub")
        app.label("Leave DFU Mode")
        app.screenshot("two-devices")
    finally:
        app.close()


def one_row_across_modes():
    app = App("mode-changes", time_scale=4.0)
    try:
        app.label("iPhone X (Global)")
        app.label("Normal")
        app.label("Disconnected")
        app.label("Recovery")
        app.label("DFU")
        # the same device all along: one page, no sidebar
        assert not app.find_all("list", "Devices"), "a sidebar appeared for a single device"
    finally:
        app.close()


def enter_recovery_not_trusted():
    app = App("untrusted")
    try:
        app.label("iPhone 15")
        app.label("Normal")
        app.click("Enter Recovery Mode")
        app.label("Enter Recovery Mode?")
        app.click_in_dialog("Restart")
        app.label("Your iPhone 15 Hasn’t Trusted This Computer")
        app.label_containing("Press and quickly release Volume Up")
        app.screenshot("not-trusted")
        app.click_in_dialog("Close")
        app.label("Normal")
    finally:
        app.close()


case(exit_recovery_boots)
case(exit_recovery_comes_back)
case(two_devices)
case(one_row_across_modes)
case(enter_recovery_not_trusted)
finish()
