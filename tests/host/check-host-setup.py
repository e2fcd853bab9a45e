#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The computer's side of the Flatpak (data/host/): the udev rules let the
# user open every mode a restore passes through, the usbmuxd drop-in keeps
# usbmuxd running, and setup-host.sh installs and removes both. The script
# runs against a scratch root (UNBRICK_HOST_ROOT) with udevadm and systemctl
# replaced by recorders, so nothing on this computer changes.
#   check-host-setup.py DATA_HOST_DIR
# Prints TAP.

import fnmatch
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

HOST = sys.argv[1]
SCRIPT = os.path.join(HOST, "setup-host.sh")
RULES = os.path.join(HOST, "70-unbrick.rules")
DROPIN = os.path.join(HOST, "usbmuxd-keep-running.conf")

# what a restore passes through that no service opens for the user, from
# ../shared/reference/dfu-timings.md: WTF, DFU, Recovery, KIS, Port DFU
NEEDED = {
    0x1222: "WTF mode",
    0x1227: "DFU mode",
    0x1280: "Recovery Mode",
    0x1281: "Recovery Mode",
    0x1282: "Recovery Mode",
    0x1283: "Recovery Mode",
    0x1881: "KIS",
    0xF014: "Port DFU",
}
# usbmuxd's own rules own normal mode; a keyboard is nothing to rescue
NOT_OURS = {0x12A8: "an iPhone in normal mode", 0x024F: "an Apple keyboard"}

results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


def rule_lines(path):
    lines = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def udev_match(pattern, value):
    # udev: "|" separates alternatives, each a shell glob
    return any(fnmatch.fnmatchcase(value, alt) for alt in pattern.split("|"))


def rule_keys(line):
    return re.findall(r'([A-Z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|=)\s*"([^"]*)"', line)


def rules_grant(pid):
    """Whether a rule tags this product for the logged-in user."""
    for line in rule_lines(RULES):
        keys = rule_keys(line)
        matches = True
        uaccess = False
        for key, op, value in keys:
            if key == "ATTR{idProduct}" and op == "==":
                matches &= udev_match(value, "%04x" % pid)
            elif key == "ATTR{idVendor}" and op == "==":
                matches &= udev_match(value, "05ac")
            elif key == "SUBSYSTEM" and op == "==":
                matches &= value == "usb"
            elif key == "ACTION" and op == "!=":
                matches &= value == "remove"
            elif key == "TAG" and op == "+=" and value == "uaccess":
                uaccess = True
        if matches and uaccess:
            return True
    return False


# --- the rules --------------------------------------------------------------

for pid, mode in sorted(NEEDED.items()):
    check("the rules let the user open 05ac:%04x (%s)" % (pid, mode), rules_grant(pid))
for pid, what in sorted(NOT_OURS.items()):
    check("the rules leave 05ac:%04x (%s) alone" % (pid, what), not rules_grant(pid))

lines = rule_lines(RULES)
check("the rules file holds one rule", len(lines) == 1, "%d rules" % len(lines))
check(
    "every rule has a known key and operator",
    all(len(rule_keys(line)) == line.count('"') // 2 for line in lines),
)
# "uaccess" becomes an ACL in 73-seat-late.rules: ours must come first
check(
    "the rules run before 73-seat-late.rules",
    os.path.basename(RULES) < "73-seat-late.rules",
)
check(
    "the rules ask systemd for usbmuxd",
    all('ENV{SYSTEMD_WANTS}+="usbmuxd.service"' in line for line in lines),
)
udevadm = shutil.which("udevadm")
verify = None
if udevadm is not None:
    verify = subprocess.run([udevadm, "verify", RULES], capture_output=True, text=True)
# systemd's own parser where it has one (253 and later: CI's Debian 13 leg
# installs udev for it); Debian 12's 252 has none, and says so in the log
if verify is not None and "Unknown command" not in verify.stderr + verify.stdout:
    check("udevadm verify accepts the rules", verify.returncode == 0, verify.stderr.strip())
else:
    print("# udevadm verify is not here (systemd < 253); CI's Debian 13 leg runs it")

# --- the usbmuxd drop-in ----------------------------------------------------

dropin = open(DROPIN, encoding="utf-8").read()
exec_lines = [l for l in dropin.splitlines() if l.startswith("ExecStart=")]
check(
    "the drop-in replaces the distribution's ExecStart",
    len(exec_lines) == 2 and exec_lines[0] == "ExecStart=",
    repr(exec_lines),
)
command = exec_lines[-1] if exec_lines else ""
# --systemd implies --enable-exit: usbmuxd would quit when the last device
# leaves normal mode, and a sandbox keeps only the socket it started with
check(
    "usbmuxd keeps running (no --systemd, -z or --enable-exit)",
    not re.search(r"--systemd|--enable-exit|\s-z\b", command),
    command,
)
check("usbmuxd stays in the foreground for systemd", "--foreground" in command, command)
check("usbmuxd drops root for its own user", "--user" in command, command)
check("usbmuxd comes back if it crashes", "Restart=on-failure" in dropin)
inner = re.search(r"-c '(.*)'$", command)
if inner:
    syntax = subprocess.run(["sh", "-n", "-c", inner.group(1)], capture_output=True)
    check("the drop-in's shell command parses", syntax.returncode == 0)
else:
    check("the drop-in's shell command parses", False, command)

# --- setup-host.sh on a scratch root ----------------------------------------


def make_root(tmp, with_usbmuxd=True):
    root = os.path.join(tmp, "root")
    os.makedirs(os.path.join(root, "run/systemd/system"))
    os.makedirs(os.path.join(root, "usr/lib/systemd/system"))
    open(os.path.join(root, "usr/lib/systemd/system/usbmuxd.service"), "w").write("[Service]\n")
    if with_usbmuxd:
        os.makedirs(os.path.join(root, "usr/sbin"))
        daemon = os.path.join(root, "usr/sbin/usbmuxd")
        open(daemon, "w").write("#!/bin/sh\n")
        os.chmod(daemon, 0o755)
    # udevadm and systemctl record what they were asked
    fakebin = os.path.join(tmp, "bin")
    os.makedirs(fakebin)
    for tool in ("udevadm", "systemctl"):
        path = os.path.join(fakebin, tool)
        open(path, "w").write('#!/bin/sh\necho "%s $*" >>"%s/calls"\n' % (tool, tmp))
        os.chmod(path, 0o755)
    return root, fakebin


def run_setup(tmp, root, fakebin, *args):
    env = {"PATH": fakebin + ":/usr/bin:/bin", "UNBRICK_HOST_ROOT": root, "LC_ALL": "C.UTF-8"}
    return subprocess.run(["sh", SCRIPT, *args], env=env, capture_output=True, text=True, timeout=60)


def calls(tmp):
    path = os.path.join(tmp, "calls")
    return open(path).read().splitlines() if os.path.exists(path) else []


with tempfile.TemporaryDirectory() as tmp:
    root, fakebin = make_root(tmp)
    done = run_setup(tmp, root, fakebin)
    check("setup-host.sh succeeds", done.returncode == 0, done.stderr.strip())
    check("it tells the user what to do next", "plug it back in" in done.stdout, done.stdout)
    installed_rules = os.path.join(root, "etc/udev/rules.d/70-unbrick.rules")
    installed_dropin = os.path.join(root, "etc/systemd/system/usbmuxd.service.d/unbrick.conf")
    wants = os.path.join(root, "etc/systemd/system/multi-user.target.wants/usbmuxd.service")
    check(
        "it installs the rules as shipped",
        os.path.exists(installed_rules) and open(installed_rules).read() == open(RULES).read(),
    )
    check(
        "it installs the drop-in as shipped",
        os.path.exists(installed_dropin) and open(installed_dropin).read() == dropin,
    )
    check(
        "the files are readable by everyone, writable by root only",
        all(
            os.path.exists(p) and stat.S_IMODE(os.stat(p).st_mode) == 0o644
            for p in (installed_rules, installed_dropin)
        ),
    )
    # the socket has to exist before Unbrick starts: usbmuxd starts at boot
    check(
        "usbmuxd starts with the computer",
        os.path.islink(wants) and os.readlink(wants) == "/usr/lib/systemd/system/usbmuxd.service",
    )
    made = calls(tmp)
    for expected in (
        "udevadm control --reload-rules",
        "udevadm trigger --subsystem-match=usb --attr-match=idVendor=05ac",
        "systemctl daemon-reload",
        "systemctl restart usbmuxd.service",
    ):
        check("it runs “%s”" % expected, expected in made, repr(made))

    again = run_setup(tmp, root, fakebin)
    check("running it twice is harmless", again.returncode == 0, again.stderr.strip())

    removed = run_setup(tmp, root, fakebin, "--remove")
    check("--remove succeeds", removed.returncode == 0, removed.stderr.strip())
    check(
        "--remove takes back everything it installed",
        not any(os.path.lexists(p) for p in (installed_rules, installed_dropin, wants))
        and not os.path.exists(os.path.dirname(installed_dropin)),
    )

with tempfile.TemporaryDirectory() as tmp:
    root, fakebin = make_root(tmp, with_usbmuxd=False)
    missing = run_setup(tmp, root, fakebin)
    check("without usbmuxd it stops with an error", missing.returncode == 1)
    check(
        "and says how to install usbmuxd",
        "sudo apt install usbmuxd" in missing.stderr and "dnf" in missing.stderr,
        missing.stderr,
    )
    check("and installs nothing", not os.path.exists(os.path.join(root, "etc")))

# as an ordinary user: the tests' own, or, when they run as root (CI),
# nobody, through setpriv (util-linux), from a copy nobody may read
with tempfile.TemporaryDirectory() as tmp:
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    command = ["sh", SCRIPT]
    if os.geteuid() == 0:
        os.chmod(tmp, 0o755)
        copy = os.path.join(tmp, os.path.basename(SCRIPT))
        shutil.copy(SCRIPT, copy)
        os.chmod(copy, 0o755)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", copy]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    check(
        "without root it asks for sudo and changes nothing",
        refused.returncode == 1 and "sudo" in refused.stderr,
        refused.stderr,
    )

print("1..%d" % len(results))
failed = 0
for number, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
    if not ok:
        failed += 1
        if detail:
            print("# " + detail.replace("\n", "\n# "))
sys.exit(1 if failed else 0)
