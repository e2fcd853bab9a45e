#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Firmware on a device page: the signed builds from a (loopback) catalog, a
# download watched to "verified", unsigned builds on request, the store in
# Preferences, the offline list, and a wrong IPSW file refused.

import os
import tempfile
import time

from firmware_server import FirmwareServer
from ubtest import SLOWDOWN, App, case, catalog_settings_env, finish


def download_and_verify():
    home = tempfile.mkdtemp(prefix="ub-fw-")
    server = FirmwareServer(pace_seconds=0.25 * SLOWDOWN)
    app = App("recovery", extra_env=catalog_settings_env(server, home))
    try:
        app.label("Firmware")
        app.label("iOS 18.6.2")
        app.label("Recommended")
        app.label("iOS 18.6.1")
        app.no_label("iOS 18.5")

        app.click("Download")
        app.button("Pause")
        app.screenshot("firmware-downloading")
        app.label("Downloaded and verified", timeout=90 * SLOWDOWN)

        # builds Apple no longer signs: shown greyed only on request
        switch = app.wait_for(
            lambda: app.find_all("check box", "Show versions Apple no longer signs"),
            "the unsigned-versions switch",
        )[0]
        switch.doActionNamed("toggle")
        app.label("iOS 18.5")
        app.label("Not signed")
        app.screenshot("firmware")

        app.key("ctrl+comma")
        app.label("Downloaded Firmware")
        app.label("iOS 18.6.2 (22G100)")
        app.screenshot("preferences-storage")
    finally:
        app.close()
        server.stop()

    # the server is gone: the list still comes from the last answer, and
    # the downloaded build is still ready
    app = App("recovery", extra_env=catalog_settings_env(server, home))
    try:
        app.label_containing("Offline — showing the list from")
        app.label("iOS 18.6.2")
        app.label("Downloaded and verified")
    finally:
        app.close()


def resume_after_restart():
    home = tempfile.mkdtemp(prefix="ub-fw-")
    # slow enough that it cannot finish before it is paused
    server = FirmwareServer(pace_seconds=2.0 * SLOWDOWN)
    app = App("recovery", extra_env=catalog_settings_env(server, home))
    try:
        app.click("Download")
        app.click("Pause")
        app.label_containing("Paused")
    finally:
        app.close()

    # a new start finds the partial file and carries on from it
    app = App("recovery", extra_env=catalog_settings_env(server, home))
    try:
        app.label("Partly downloaded earlier; continues where it stopped")
        server.pace_seconds = 0.0
        app.click("Resume")
        app.label("Downloaded and verified", timeout=90 * SLOWDOWN)
    finally:
        app.close()
        server.stop()


def wrong_ipsw_refused():
    home = tempfile.mkdtemp(prefix="ub-fw-")
    server = FirmwareServer()
    path = os.path.join(home, "iPhone13,2_26.2.1_23C71_Restore.ipsw")
    with open(path, "wb") as ipsw:
        ipsw.write(server.other_ipsw)
    app = App("recovery", extra_env=catalog_settings_env(server, home))
    try:
        app.label("iOS 18.6.2")
        app.click("Use an IPSW File…")
        app.wait_for(
            lambda: [f for f in app.node.children if f.name == "Choose an IPSW File"],
            "the file chooser",
        )
        app.focus_window("Choose an IPSW File")
        time.sleep(0.5)
        app.key("ctrl+l", activate=False)
        # the location entry opens and completes as it is typed into;
        # give each step a moment, as a person would
        time.sleep(0.5)
        app.type_text(path)
        time.sleep(0.5)
        app.key("Return", activate=False)
        app.label("This file can’t be used for this device")
        app.label_containing("iPhone13,2")
        app.screenshot("firmware-wrong-file")
    finally:
        app.close()
        server.stop()


case(download_and_verify)
case(resume_after_restart)
case(wrong_ipsw_refused)
finish()
