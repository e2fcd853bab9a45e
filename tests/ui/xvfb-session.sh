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

# Xvfb picks a free display itself and says which (-displayfd); lock files
# alone miss displays taken by another mount namespace on the same host
display_file=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$display_file" >/dev/null 2>&1 &
xvfb_pid=$!
i=0
while [ ! -s "$display_file" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
display=$(cat "$display_file")
rm -f "$display_file"
if [ -z "$display" ]; then
	echo "Xvfb did not start" >&2
	exit 1
fi
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

sleep 0.5

"$@"
