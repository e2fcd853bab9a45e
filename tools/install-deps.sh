#!/bin/sh
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian packages listed in debian-packages.txt that are not
# installed yet. Nothing happens when everything is there already.
set -eu

list="$(dirname "$0")/../debian-packages.txt"
missing=""
for package in $(grep -v '^#' "$list" | sed 's/#.*//' | tr -s ' \n' '\n'); do
	status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $package" ;;
	esac
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "Installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "Please install as root:$missing" >&2
	exit 1
fi
$sudo apt-get update -q
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
