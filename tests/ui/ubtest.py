# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared helpers for Unbrick's UI tests: start the real app on a simulated
# scenario, find its widgets over AT-SPI with dogtail, take screenshots.

import os
import re
import subprocess
import sys
import tempfile
import time

# the memory GSettings backend hides the desktop's accessibility switch;
# the bus is up (xvfb-session.sh starts it), so tell dogtail it is on
# dogtail talks on stdout while it loads; stdout is the TAP stream
_tap_stream = sys.stdout
sys.stdout = sys.stderr
import dogtail.utils  # noqa: E402
import pyatspi  # noqa: E402

dogtail.utils.isA11yEnabled = lambda: True
from dogtail import config  # noqa: E402
from dogtail import tree  # noqa: E402

sys.stdout = _tap_stream

config.config.defaultDelay = 0.1
config.config.searchBackoffDuration = 0.2
config.config.searchCutoffCount = 25
config.config.logDebugToFile = False
config.config.logDebugToStdOut = False

# sanitizer builds run several times slower: stretch every wait and every
# simulated timeline by this factor (make check-sanitize sets it)
SLOWDOWN = float(os.environ.get("UB_UI_SLOWDOWN", "1"))
TIMEOUT = 15.0 * SLOWDOWN

# the roles a role of GTK 4.8 (Debian 12) goes by elsewhere: at-spi2-core
# 2.56 (Debian 13) names the push button role "button"; GTK 4.18 (Debian
# 13) puts popover menus on the bus, where a menu item's text is a label
# that is no child of it (see accessible_name()), so such a label is found
# as the menu item it names
ROLE_NAMES = {
    "push button": ("push button", "button"),
    "label": ("label", "menu item"),
}


def accessible_name(node):
    """@node's name; GTK 4.18 leaves a menu item's empty and points to the
    label that names it (labelled-by), as ARIA's name computation does"""
    name = node.name or ""
    if name:
        return name
    texts = []
    for relation in node.getRelationSet():
        if relation.getRelationType() != pyatspi.RELATION_LABELLED_BY:
            continue
        for i in range(relation.getNTargets()):
            target = relation.getTarget(i)
            try:
                texts.append(target.queryText().getText(0, -1))
            except NotImplementedError:
                texts.append(target.name or "")
    return " ".join(text for text in texts if text)

_passed = 0
_failed = 0


class UiTestFailure(Exception):
    pass


def on_screen(node):
    """GTK 4.8 does not set SHOWING; a widget is on screen when it and every
    ancestor is visible (hidden stack pages are dropped by the app)."""
    while node is not None and node.roleName != "application":
        if not node.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        node = node.parent
    return True


def window_title(node):
    """the title of the window @node is in"""
    while node is not None and node.roleName != "application":
        if node.roleName in ("frame", "dialog", "window"):
            return node.name
        node = node.parent
    return None


def settings_env(home, **keys):
    """The app's settings in a keyfile under @home, as a user's are kept:
    @keys (engine_path is "engine-path"), written through a new file so a
    running app never reads half of one; call again to change them while it
    runs. Returns the environment that points the app at them, with private
    config and cache folders."""
    config = os.path.join(home, "config")
    folder = os.path.join(config, "glib-2.0", "settings")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "keyfile")
    with open(path + ".new", "w") as keyfile:
        keyfile.write("[io/github/unbrick/Unbrick]\n")
        for key, value in keys.items():
            if isinstance(value, bool):
                text = "true" if value else "false"
            else:
                text = "'%s'" % value
            keyfile.write("%s=%s\n" % (key.replace("_", "-"), text))
    os.replace(path + ".new", path)
    return {
        "GSETTINGS_BACKEND": "keyfile",
        "XDG_CONFIG_HOME": config,
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
    }


def catalog_settings_env(server, home, **keys):
    """settings_env() with the catalogs on the loopback FirmwareServer."""
    env = settings_env(
        home, catalog_url=server.catalog_url, apple_catalog_url=server.apple_url, **keys
    )
    env["UNBRICK_ALLOW_LOOPBACK"] = "1"
    return env


class App:
    """The real Unbrick binary, started on a scenario (None: on the real
    device providers), seen over AT-SPI."""

    def __init__(self, scenario, time_scale=1.0, extra_env=None, log_path=None):
        env = dict(os.environ)
        # the test switches (src/common/ub-self-test.h) work in tests only
        env["UNBRICK_SELF_TEST"] = "1"
        env["UNBRICK_SIM_TIME_SCALE"] = str(time_scale * SLOWDOWN)
        # each run starts with an empty ladder of past failures
        env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="ub-data-")
        env.update(extra_env or {})
        # under ASan the app unwinds each allocation's stack by frame
        # pointers: the exact unwinder the unit tests use for their leak
        # reports made a GTK app some 5 times slower, past the waits here
        # (the app is ended by a signal, so it reports no leaks anyway)
        if "ASAN_OPTIONS" in env:
            env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace(
                "fast_unwind_on_malloc=0", "fast_unwind_on_malloc=1"
            )
        binary = os.environ["UB_APP_BINARY"]
        # a test that reads the app's debug output gives it a file
        output = open(log_path, "w") if log_path else sys.stderr
        # no scenario: the real device providers, as a user runs it
        args = [binary] if scenario is None else [binary, "--simulate=" + scenario]
        self.process = subprocess.Popen(
            args,
            env=env,
            stdout=output,
            stderr=output,
        )
        self.node = None
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                for app in tree.root.applications():
                    if app.name == "unbrick":
                        self.node = app
                        break
            except Exception:
                pass
            if self.node is not None:
                break
            time.sleep(0.2)
        if self.node is None:
            self.close()
            raise UiTestFailure("the app never showed up on the accessibility bus")
        # the window is shown once it has children
        self.wait_for(lambda: self.find_all("frame"), "a window")

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def find_all(self, role, name=None, contains=False):
        """Widgets of @role on screen, named @name (or containing it)."""

        def named(node):
            if name is None:
                return True
            text = accessible_name(node)
            if contains:
                return name in text.replace("_", "")
            # GTK 4.8 names a button with a mnemonic "_Label Label"
            return text == name or text.replace("_", "") == name + " " + name

        roles = ROLE_NAMES.get(role, (role,))

        def match(node):
            try:
                return node.roleName in roles and named(node) and on_screen(node)
            except Exception:
                return False

        return self.node.findChildren(match, showingOnly=False)

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                result = predicate()
            except Exception:
                result = None
            if result:
                return result
            time.sleep(0.1)
        raise UiTestFailure("timed out waiting for " + what)

    def label(self, text, timeout=TIMEOUT):
        return self.wait_for(lambda: self.find_all("label", text), "label '%s'" % text, timeout)[0]

    def label_containing(self, text, timeout=TIMEOUT):
        def find():
            return self.find_all("label", text, contains=True)

        return self.wait_for(find, "a label containing '%s'" % text, timeout)[0]

    def no_label(self, text, timeout=TIMEOUT):
        self.wait_for(lambda: not self.find_all("label", text), "label '%s' to go" % text, timeout)

    def button(self, name, timeout=TIMEOUT):
        return self.wait_for(
            lambda: self.find_all("push button", name), "button '%s'" % name, timeout
        )[0]

    def click(self, name, timeout=TIMEOUT):
        self.button(name, timeout).doActionNamed("click")

    def click_in_window(self, title, name, timeout=TIMEOUT):
        """A button of the window titled @title, when another window has
        one of the same name."""

        def find():
            return [b for b in self.find_all("push button", name) if window_title(b) == title]

        self.wait_for(find, "button '%s' in '%s'" % (name, title), timeout)[0].doActionNamed(
            "click"
        )

    def click_in_dialog(self, name, timeout=TIMEOUT):
        """A button of the open dialog, not of the window behind it."""

        def in_dialog(node):
            while node is not None and node.roleName != "application":
                if node.roleName in ("dialog", "alert"):
                    return True
                node = node.parent
            return False

        def find():
            return [b for b in self.find_all("push button", name) if in_dialog(b)]

        self.wait_for(find, "button '%s' in a dialog" % name, timeout)[0].doActionNamed("click")

    def click_row(self, name, window=None, timeout=TIMEOUT):
        """Click the list row called @name (of the window titled @window):
        GTK 4.18 offers no action for an activatable row over AT-SPI, so
        the pointer clicks it where AT-SPI places it in its window."""

        def find():
            rows = self.find_all("list item", name)
            return [r for r in rows if window is None or window_title(r) == window]

        row = self.wait_for(find, "row '%s'" % name, timeout)[0]
        x, y, width, height = row.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        title = window_title(row)
        windows = subprocess.run(
            ["xdotool", "search", "--all", "--onlyvisible", "--pid", str(self.process.pid)]
            + ["--name", "^%s$" % title],
            capture_output=True,
            text=True,
        ).stdout.split()
        if not windows:
            raise UiTestFailure("no window called '%s' to click in" % title)
        subprocess.run(
            ["xdotool", "mousemove", "--window", windows[-1]]
            + [str(x + width // 2), str(y + height // 2), "click", "1"],
            check=True,
        )

    def key(self, keys, activate=True):
        """Type a key combination into the app's window; with activate
        False into whatever has the focus (an open menu, say)."""
        if not activate:
            subprocess.run(["xdotool", "key", keys], check=True)
            return
        windows = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout.split()
        if not windows:
            raise UiTestFailure("no window to type into")
        # no window manager here: give the window the input focus directly,
        # then type through XTEST, which GTK treats as real key presses
        subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]], check=False)
        subprocess.run(["xdotool", "key", keys], check=True)

    def focus_window(self, title):
        """Give the input focus to this app's window called @title."""

        def find():
            return subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "^%s$" % title],
                capture_output=True,
                text=True,
            ).stdout.split()

        windows = self.wait_for(find, "a window called '%s'" % title)
        subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]], check=False)

    def type_text(self, text):
        subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)

    def tick(self, name, timeout=TIMEOUT):
        """Ticks the check box @name as a user would: GTK 4.8 gives a check
        box no AT-SPI action, so the pointer presses it."""

        def press():
            boxes = self.find_all("check box", name)
            if not boxes:
                return False
            x, y = boxes[0].position
            width, height = boxes[0].size
            subprocess.run(
                ["xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "1"],
                check=True,
            )
            return boxes[0].getState().contains(pyatspi.STATE_CHECKED)

        self.wait_for(press, "ticking '%s'" % name, timeout)

    def fill_shares(self, node):
        """How much of a control is drawn red and how much blue, as
        fractions of its pixels on the screen. Style classes are not visible
        over AT-SPI; what the user sees is. GTK 4.8 reports extents relative
        to the window, which is at the screen's corner here without a window
        manager; the area is widened a little for the button's padding."""
        x, y = node.position
        width, height = node.size
        time.sleep(0.4)  # transitions
        left, top = max(x - 8, 0), max(y - 8, 0)
        text = subprocess.run(
            ["import", "-window", "root", "-crop",
             "%dx%d+%d+%d" % (width + 16, height + 16, left, top), "-depth", "8", "txt:-"],
            capture_output=True, text=True, check=True,
        ).stdout
        red = blue = total = 0
        for line in text.splitlines()[1:]:
            match = re.search(r": \((\d+),(\d+),(\d+)", line)
            if not match:
                continue
            r, g, b = (int(value) for value in match.groups())
            total += 1
            red += r > 170 and g < 90 and b < 90
            blue += b > 170 and r < 90
        return red / max(total, 1), blue / max(total, 1)

    def screenshot(self, name):
        folder = os.environ.get("UB_SCREENSHOT_DIR")
        if not folder:
            return
        os.makedirs(folder, exist_ok=True)
        time.sleep(0.6)  # let transitions and toasts settle
        path = os.path.join(folder, name + ".png")
        window_id = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout.split()
        if window_id:
            subprocess.run(["import", "-window", window_id[-1], path], check=True)
        else:
            subprocess.run(["import", "-window", "root", path], check=True)


def case(function):
    """Run one test case; report it as TAP and count it."""
    global _passed, _failed
    number = _passed + _failed + 1
    try:
        function()
    except Exception as error:  # noqa: BLE001 - report every failure as TAP
        _failed += 1
        print("not ok %d - %s" % (number, function.__name__))
        for line in str(error).splitlines() or [repr(error)]:
            print("# " + line)
        import traceback

        for line in traceback.format_exc().splitlines():
            print("# " + line)
    else:
        _passed += 1
        print("ok %d - %s" % (number, function.__name__))
    sys.stdout.flush()


def finish():
    print("1..%d" % (_passed + _failed))
    sys.exit(1 if _failed else 0)
