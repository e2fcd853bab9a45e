#!/bin/sh
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up the computer for Unbrick when Unbrick runs as a Flatpak, which
# cannot do this from its sandbox:
#   - udev rules that let the logged-in user open iPhones and iPads in
#     Recovery, DFU and Port DFU mode;
#   - usbmuxd started with the computer and kept running, so that its
#     socket exists before Unbrick starts and the sandbox never loses it
#     mid-restore.
# Run it as root:   sudo sh setup-host.sh
# Undo it:          sudo sh setup-host.sh --remove
set -eu

here=$(dirname "$0")
# tests install into a scratch folder instead of the computer's /etc
root=${UNBRICK_HOST_ROOT:-}
rules=$root/etc/udev/rules.d/70-unbrick.rules
dropin_dir=$root/etc/systemd/system/usbmuxd.service.d
dropin=$dropin_dir/unbrick.conf
# usbmuxd.service has no [Install] section: a wants link starts it at boot
boot_wants=$root/etc/systemd/system/multi-user.target.wants/usbmuxd.service

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
	echo "Please run this with sudo: sudo sh $0" >&2
	exit 1
fi

reload() {
	if command -v udevadm >/dev/null 2>&1; then
		udevadm control --reload-rules || true
		udevadm trigger --subsystem-match=usb --attr-match=idVendor=05ac || true
	fi
	if command -v systemctl >/dev/null 2>&1 && [ -d "$root/run/systemd/system" ]; then
		systemctl daemon-reload
		systemctl restart usbmuxd.service || echo "usbmuxd could not be started: is it installed?" >&2
	fi
}

if [ "${1:-}" = "--remove" ]; then
	rm -f "$rules" "$dropin" "$boot_wants"
	rmdir "$dropin_dir" 2>/dev/null || true
	reload
	echo "Removed Unbrick's device rules and usbmuxd setting."
	exit 0
fi

if ! command -v usbmuxd >/dev/null 2>&1 && [ ! -x "$root/usr/sbin/usbmuxd" ]; then
	echo "usbmuxd is not installed. Install it first, for example:" >&2
	echo "  sudo apt install usbmuxd     (Debian, Ubuntu)" >&2
	echo "  sudo dnf install usbmuxd     (Fedora)" >&2
	echo "  sudo pacman -S usbmuxd       (Arch)" >&2
	exit 1
fi

install -D -m 0644 "$here/70-unbrick.rules" "$rules"
install -D -m 0644 "$here/usbmuxd-keep-running.conf" "$dropin"
for unit in /usr/lib/systemd/system/usbmuxd.service /lib/systemd/system/usbmuxd.service; do
	if [ -f "$root$unit" ]; then
		mkdir -p "$(dirname "$boot_wants")"
		ln -sf "$unit" "$boot_wants"
		break
	fi
done
reload
echo "Done. Unplug the iPhone or iPad, plug it back in, then quit Unbrick and open it again."
