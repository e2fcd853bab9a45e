#!/bin/sh
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command inside a private X server and a private D-Bus session with
# the accessibility bus up, the way a desktop session would have them, so
# UI tests can drive the real window over AT-SPI.
#   xvfb-session.sh COMMAND [ARGS...]
set -eu

if [ -z "${UB_INSIDE_DBUS:-}" ]; then
	UB_INSIDE_DBUS=1 exec dbus-run-session -- "$0" "$@"
fi

# a free display number: the lock files say which are taken
display=99
while [ -e "/tmp/.X${display}-lock" ]; do
	display=$((display + 1))
done
Xvfb ":${display}" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":${display}"
export GSK_RENDERER=cairo
export GDK_BACKEND=x11
export NO_AT_BRIDGE=0
export GTK_A11Y=atspi
export GSETTINGS_BACKEND=memory

/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
bus_pid=$!
cleanup() {
	kill "$bus_pid" "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# wait for the X server to accept clients
i=0
while [ ! -e "/tmp/.X11-unix/X${display}" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5

"$@"
