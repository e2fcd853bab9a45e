#!/bin/bash
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Debian 13 (trixie) leg of CI: Unbrick built and tested on a newer
# stack than the Debian 12 host (GTK 4.18, libadwaita 1.7, libsoup 3.6,
# GCC 14), and the engine probe run on two newer idevicerestore builds.
#   tools/debian13-leg.sh
# In a Debian 13 root (made with debootstrap, reused when complete) it
#   1. installs debian-packages.txt as tools/debian13-packages.txt changes it,
#      with trixie's idevicerestore and its libraries (put back if an
#      earlier run upgraded them from sid);
#   2. builds HEAD (a `git archive` copy at /src) warning-free with the
#      project's defaults (werror is on);
#   3. runs the unit, data and engine suites and one UI test (test_start);
#   4. checks `unbrick --probe-engine` on trixie's idevicerestore, then on
#      Debian unstable's (skipped, and said so, when sid cannot be reached),
#      with tests/engines/check-probe.py.
# Every step is a counted case; the cases go to _build-debian13/testlog.json
# in meson's testlog format, which tools/count-tests.py counts, and the leg
# ends with its own tally and the time each step took.
#
# Environment:
#   UNBRICK_DEBIAN13_ROOT    the root (default _build-debian13/root); keep it
#                            between runs to skip the bootstrap
#   UNBRICK_DEBIAN13_MIRROR  the Debian mirror (default deb.debian.org)
#   UNBRICK_DEBIAN13_REV     what is built (default HEAD): any commit or tree
#                            git archive takes
#
# Needs root (uses sudo otherwise). Everything it mounts lives in a private
# mount namespace and is unmounted on exit, also on failure or Ctrl-C; the
# checkout is copied into the root, never bind-mounted.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

state=_build-debian13
results=$state/testlog.json
root=${UNBRICK_DEBIAN13_ROOT:-$state/root}
mirror=${UNBRICK_DEBIAN13_MIRROR:-http://deb.debian.org/debian}
rev=${UNBRICK_DEBIAN13_REV:-HEAD}
marker_name=.unbrick-debian13-complete
# the engine and the libraries of it that sid has newer (tested: these
# install on trixie without upgrading anything else)
engine_packages="idevicerestore libirecovery-1.0-5 libirecovery-common libtatsu0 libimobiledevice-1.0-6"
# their -dev packages pin the exact library versions: they go while sid's
# engine is in, and come back with the build dependencies on the next run
engine_dev_packages="libirecovery-1.0-dev libimobiledevice-dev"

if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "tools/debian13-leg.sh needs root (debootstrap, chroot, mounts)" >&2
		exit 1
	fi
	exec sudo env "UNBRICK_DEBIAN13_ROOT=$root" "UNBRICK_DEBIAN13_MIRROR=$mirror" \
		"UNBRICK_DEBIAN13_REV=$rev" "$0" "$@"
fi

# a private mount namespace: whatever is mounted below is gone when the leg
# ends, however it ends, and never shows in the host's mount table
if [ -z "${UNBRICK_DEBIAN13_NAMESPACE:-}" ]; then
	if unshare --mount --propagation private true 2>/dev/null; then
		UNBRICK_DEBIAN13_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
	fi
	echo "note: no private mount namespace here; the exit trap unmounts alone"
fi

mkdir -p "$state"
exec 9>"$state/lock"
if ! flock -n 9; then
	echo "another Debian 13 leg is running here; waiting for it"
	flock 9
fi

root_abs=$(realpath -m "$root")
rm -f "$results"
: >"$results"
child=""
mounted=()
timings=()
step_name=""
step_started=0

# --- helpers ---------------------------------------------------------------

# one case in the results: NAME OK|FAIL|SKIP [FILE whose TAP lines count]
record() {
	/usr/bin/python3 - "$1" "$2" "${3:-}" >>"$results" <<'EOF'
import json
import sys

name, result, path = sys.argv[1:4]
stdout = open(path, encoding="utf-8", errors="replace").read() if path else ""
print(json.dumps({"name": "debian13/" + name, "result": result, "stdout": stdout}))
EOF
}

step() {
	step_end
	step_name=$1
	step_started=$SECONDS
	echo
	echo "== Debian 13: $step_name"
}

step_end() {
	if [ -n "$step_name" ]; then
		local took=$((SECONDS - step_started))
		echo "-- $step_name: ${took} s"
		timings+=("$(printf '%5d s  %s' "$took" "$step_name")")
	fi
	step_name=""
}

# runs a command in the background and waits, so that a signal reaches the
# traps at once instead of after the command
run() {
	"$@" &
	child=$!
	wait "$child"
	local status=$?
	child=""
	return $status
}

# a command inside the root, with a clean environment
chrooted() {
	chroot "$root_abs" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive \
		"$@"
}

in_root() {
	run chrooted "$@"
}

# in_root LOG COMMAND...: the output also appended to LOG
in_root_logged() {
	local log=$1
	shift
	(
		chrooted "$@" 2>&1 | tee -a "$log"
		exit "${PIPESTATUS[0]}"
	) &
	child=$!
	wait "$child"
	local status=$?
	child=""
	return $status
}

# mount points at or below DIR, in this namespace and in the host's
mounts_under() {
	local dir=$1
	cat /proc/self/mountinfo /proc/1/mountinfo 2>/dev/null | awk '{ print $5 }' |
		sort -u | while read -r point; do
		case "$point" in
		"$dir" | "$dir"/*) echo "$point" ;;
		esac
	done
}

# rm -rf that refuses a tree with anything mounted in it (a bind mount
# there would take what it shows with it)
remove_tree() {
	local dir=$1 points
	[ -e "$dir" ] || return 0
	points=$(mounts_under "$(realpath -m "$dir")")
	if [ -n "$points" ]; then
		echo "!! not removing $dir: mounted below it: $(echo "$points" | tr '\n' ' ')" >&2
		return 1
	fi
	rm -rf --one-file-system "$dir"
}

do_mount() {
	local point=$1
	shift
	mkdir -p "$point"
	if mount "$@" "$point"; then
		mounted+=("$point")
	else
		return 1
	fi
}

mount_root() {
	local dev=$root_abs/dev node
	do_mount "$root_abs/proc" -t proc -o nosuid,nodev,noexec proc || return 1
	do_mount "$root_abs/sys" -t sysfs -o ro,nosuid,nodev,noexec sysfs || return 1
	# a /dev of its own with the few nodes builds and tests use
	do_mount "$dev" -t tmpfs -o nosuid,mode=0755,size=1m tmpfs || return 1
	for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		IFS=: read -r name major minor <<<"$node"
		mknod -m 0666 "$dev/$name" c "$major" "$minor" || return 1
	done
	ln -s /proc/self/fd "$dev/fd"
	ln -s /proc/self/fd/0 "$dev/stdin"
	ln -s /proc/self/fd/1 "$dev/stdout"
	ln -s /proc/self/fd/2 "$dev/stderr"
	do_mount "$dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts ||
		return 1
	ln -s pts/ptmx "$dev/ptmx"
	do_mount "$dev/shm" -t tmpfs -o nosuid,nodev,mode=1777 tmpfs || return 1
	do_mount "$root_abs/tmp" -t tmpfs -o nosuid,nodev,mode=1777 tmpfs || return 1
}

# the processes running in the root (a test's leftover D-Bus or Xvfb, or
# what an interrupted step left): all started by this leg
kill_root_processes() {
	local signal pids dir
	for signal in TERM KILL; do
		pids=()
		for dir in /proc/[0-9]*; do
			if [ "$(readlink "$dir/root" 2>/dev/null)" = "$root_abs" ]; then
				pids+=("${dir#/proc/}")
			fi
		done
		[ ${#pids[@]} -eq 0 ] && return 0
		echo "stopping what still runs in the root (SIG$signal): ${pids[*]}"
		kill "-$signal" "${pids[@]}" 2>/dev/null
		sleep 1
	done
}

unmount_root() {
	local i
	kill_root_processes
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"
	done
	mounted=()
}

cleanup() {
	trap - EXIT INT TERM
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
	fi
	unmount_root
	local left
	left=$(mounts_under "$root_abs")
	if [ -n "$left" ]; then
		echo "!! still mounted in the root: $(echo "$left" | tr '\n' ' ')" >&2
	fi
	if [ -n "${SUDO_UID:-}" ]; then
		chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$state" "$results" 2>/dev/null
	fi
}
trap cleanup EXIT
trap 'echo "!! interrupted"; exit 130' INT
trap 'echo "!! terminated"; exit 143' TERM

# debian-packages.txt changed by tools/debian13-packages.txt, one a line
package_list() {
	/usr/bin/python3 - debian-packages.txt tools/debian13-packages.txt <<'EOF'
import sys


def names(path):
    for line in open(path, encoding="utf-8"):
        for word in line.split("#", 1)[0].split():
            yield word


base = list(names(sys.argv[1]))
changes = list(names(sys.argv[2]))
drop = {word[1:] for word in changes if word.startswith("-")}
add = [word[1:] for word in changes if word.startswith("+")]
stale = sorted(drop - set(base))
if stale or any(word[0] not in "+-" for word in changes):
    sys.exit(f"{sys.argv[2]}: not in {sys.argv[1]} or no +/-: {' '.join(stale)}")
for name in [name for name in base if name not in drop] + add:
    print(name)
EOF
}

# --- the steps --------------------------------------------------------------

bootstrap() {
	local marker=$root_abs/$marker_name
	if [ -f "$marker" ]; then
		echo "reusing the root at $root (made $(cat "$marker"))"
		return 0
	fi
	if [ -e "$root_abs" ]; then
		echo "an incomplete root is in the way: removing it"
		remove_tree "$root_abs" || return 1
	fi
	mkdir -p "$(dirname "$root_abs")"
	echo "debootstrap --variant=minbase trixie $root $mirror (log: $state/debootstrap.log)"
	if ! run debootstrap --variant=minbase trixie "$root_abs" "$mirror" >"$state/debootstrap.log" 2>&1; then
		tail -n 30 "$state/debootstrap.log"
		return 1
	fi
	du -sh "$root_abs" | cut -f1 | sed 's/^/size: /'
	echo "trixie from $mirror on $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$marker"
}

# the root's own settings, written again on every run
configure_root() {
	cp -L /etc/resolv.conf "$root_abs/etc/resolv.conf" || return 1
	# packages start no services in the root
	printf '#!/bin/sh\nexit 101\n' >"$root_abs/usr/sbin/policy-rc.d"
	chmod 0755 "$root_abs/usr/sbin/policy-rc.d"
	echo "deb $mirror trixie main" >"$root_abs/etc/apt/sources.list"
	cat >"$root_abs/etc/apt/apt.conf.d/90unbrick-leg" <<-'EOF'
		// tools/debian13-leg.sh
		APT::Install-Recommends "false";
		APT::Get::List-Cleanup "false"; // sid's lists stay between runs
		Acquire::Retries "3";
		Acquire::http::Timeout "30";
		Dpkg::Use-Pty "false";
		// neither translations nor AppStream's metadata (50appstream): the
		// leg reads none, and sid's alone are 13 MB
		Acquire::Languages "none";
		Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
	EOF
	# sid is only a source for the engine step (apt -o Dir::Etc::SourceParts)
	mkdir -p "$root_abs/etc/apt/unbrick-sid.list.d"
	echo "deb $mirror sid main" >"$root_abs/etc/apt/unbrick-sid.list.d/sid.list"
	cat >"$root_abs/etc/apt/preferences.d/unbrick-sid" <<-'EOF'
		# only what the Debian 13 leg asks for with -t sid comes from sid
		Package: *
		Pin: release n=sid
		Pin-Priority: 100
	EOF
}

install_packages() {
	local packages name wanted
	packages=$(package_list) || return 1
	# trixie's engine, also when an earlier run left sid's in
	wanted=""
	for name in $packages; do
		case " $engine_packages " in
		*" $name "*) ;;
		*) wanted="$wanted $name" ;;
		esac
	done
	for name in $engine_packages; do
		wanted="$wanted $name/trixie"
	done
	in_root dpkg --configure -a || return 1
	in_root apt-get update -q || return 1
	# shellcheck disable=SC2086 # one word per package
	in_root apt-get install -y -q --no-install-recommends --allow-downgrades $wanted || return 1
	echo
	# shellcheck disable=SC2016,SC2086 # dpkg's format; one word per package
	in_root dpkg-query -W -f='${Package} ${Version}\n' gcc-14 meson libglib2.0-dev libgtk-4-dev \
		libadwaita-1-dev libsoup-3.0-dev python3-dogtail $engine_packages
}

copy_source() {
	remove_tree "$root_abs/src" && remove_tree "$root_abs/shared" && remove_tree "$root_abs/build" ||
		return 1
	mkdir -p "$root_abs/src"
	if git -c safe.directory="$PWD" rev-parse -q --verify "$rev^{commit}" >/dev/null; then
		echo "building $rev: $(git -c safe.directory="$PWD" log -1 --format='%h %s' "$rev" | cut -c1-90)"
	else
		echo "building the tree $rev"
	fi
	if [ "$rev" = HEAD ] &&
		[ -n "$(git -c safe.directory="$PWD" status --porcelain --untracked-files=no)" ]; then
		echo "(the checkout has uncommitted changes; they are not in this build)"
	fi
	git -c safe.directory="$PWD" archive --format=tar "$rev" | tar -x -C "$root_abs/src" || return 1
}

build() {
	local log=$state/build.log warnings
	: >"$log"
	in_root_logged "$log" meson setup /build /src || return 1
	in_root_logged "$log" meson compile -C /build || return 1
	# werror stops the compiler at its first warning; this catches the
	# other tools' (and meson's own) too, and glib-compile-resources' word
	# that it could not strip the .ui files
	local pattern='warning|XMLLINT is not set'
	warnings=$(grep -Eci "$pattern" "$log")
	if [ "$warnings" -ne 0 ]; then
		echo "!! the build printed $warnings line(s) with a warning:"
		grep -Ei "$pattern" "$log"
		return 1
	fi
	echo "no warnings"
}

# meson test in the root; its testlog goes into the results
meson_tests() {
	local logbase=$1 name=$2
	shift 2
	in_root meson test -C /build --print-errorlogs --logbase "$logbase" "$@"
	if [ -s "$root_abs/build/meson-logs/$logbase.json" ]; then
		cat "$root_abs/build/meson-logs/$logbase.json" >>"$results"
	else
		echo "!! meson test left no $logbase.json"
		record "$name" FAIL
	fi
}

# LABEL: unbrick --probe-engine on the root's idevicerestore, checked
probe_engine() {
	local label=$1
	local json=$state/probe-$label.json tap=$state/probe-$label.tap status=1
	echo "\$ idevicerestore -v"
	in_root /usr/bin/idevicerestore -v
	rm -f "$json" "$state/probe-$label.err"
	if [ -x "$root_abs/build/src/unbrick" ]; then
		echo "\$ unbrick --probe-engine=/usr/bin/idevicerestore"
		in_root timeout 60 env GSETTINGS_SCHEMA_DIR=/build/data GSETTINGS_BACKEND=memory \
			/build/src/unbrick --probe-engine=/usr/bin/idevicerestore \
			>"$json" 2>"$state/probe-$label.err"
		status=$?
		echo "exit status $status"
		head -c 4000 "$json"
		echo
		if [ "$status" -ne 0 ] || [ -s "$state/probe-$label.err" ]; then
			echo "stderr:"
			head -n 20 "$state/probe-$label.err"
		fi
	else
		echo "!! no unbrick binary to probe with (the build failed)"
		: >"$json"
	fi
	/usr/bin/python3 tests/engines/check-probe.py "$label" "$json" "$status" >"$tap"
	local checked=$?
	cat "$tap"
	if [ "$checked" -eq 0 ]; then
		record "engine-$label" OK "$tap"
	else
		record "engine-$label" FAIL "$tap"
	fi
}

# sid's engine in, then probed; skipped when sid cannot be reached
sid_engine() {
	local log=$state/sid-update.log plan=$state/sid-plan.txt extra name
	local sid_apt=(-o Dir::Etc::SourceParts=/etc/apt/unbrick-sid.list.d
		-o Acquire::Check-Valid-Until=false)
	in_root apt-get "${sid_apt[@]}" update -q >"$log" 2>&1
	local updated=$?
	cat "$log"
	if [ "$updated" -ne 0 ] || grep -Eq '^(W|E): (Failed to fetch|Some index files failed)' "$log"; then
		echo "Debian unstable (sid) cannot be reached from here: skipping its engine"
		echo "ok 1 # SKIP Debian unstable (sid) cannot be reached" >"$state/sid-skip.tap"
		record "engine-sid-2025-10" SKIP "$state/sid-skip.tap"
		return 0
	fi
	# what apt would do: only the engine in from sid, the two -dev packages out
	local request="$engine_packages"
	for name in $engine_dev_packages; do
		request="$request $name-"
	done
	# shellcheck disable=SC2086 # one word per package
	in_root apt-get "${sid_apt[@]}" install -s -y -t sid $request >"$plan" 2>&1
	extra=$(awk '$1 == "Inst" || $1 == "Remv" { print $1, $2 }' "$plan" | while read -r what name; do
		if [ "$what" = Inst ] && [[ " $engine_packages " == *" $name "* ]]; then
			continue
		fi
		if [ "$what" = Remv ] && [[ " $engine_dev_packages " == *" $name "* ]]; then
			continue
		fi
		echo "$what $name"
	done)
	if [ -n "$extra" ] || ! grep -q '^Inst idevicerestore ' "$plan"; then
		cat "$plan"
		echo "!! sid's engine now wants more than $engine_packages from sid: $(echo "$extra" | tr '\n' ' ')"
		echo "!! not mixing that into the root; the engine checks below fail"
		: >"$state/probe-none.json"
		/usr/bin/python3 tests/engines/check-probe.py sid-2025-10 "$state/probe-none.json" 1 \
			>"$state/probe-sid-2025-10.tap"
		cat "$state/probe-sid-2025-10.tap"
		record "engine-sid-2025-10" FAIL "$state/probe-sid-2025-10.tap"
		return 1
	fi
	# shellcheck disable=SC2086
	in_root apt-get "${sid_apt[@]}" install -y -q -t sid $request || {
		echo "!! installing sid's engine failed"
		record "sid-engine-install" FAIL
		return 1
	}
	# shellcheck disable=SC2016,SC2086 # dpkg's format; one word per package
	in_root dpkg-query -W -f='${Package} ${Version}\n' $engine_packages
	# shellcheck disable=SC2016 # dpkg's format
	if ! in_root dpkg-query -W -f='${Version}\n' idevicerestore | grep -q 'git20251002'; then
		echo "note: sid's idevicerestore is no longer the 2025-10-02 build the checks expect"
	fi
	probe_engine sid-2025-10
}

# --- the leg ------------------------------------------------------------------

if ! command -v debootstrap >/dev/null 2>&1; then
	echo "debootstrap is missing: installing the project's packages"
	./tools/install-deps.sh || exit 1
fi

echo "Debian 13 (trixie) leg: root $root, mirror $mirror"
leg_started=$SECONDS
ready=1

step "bootstrap the root"
if bootstrap && configure_root; then
	record bootstrap OK
else
	record bootstrap FAIL
	ready=0
fi

if [ "$ready" -eq 1 ]; then
	step "mount /proc, /sys, /dev, /dev/pts, /dev/shm, /tmp"
	if ! mount_root; then
		record mounts FAIL
		ready=0
	fi
fi

if [ "$ready" -eq 1 ]; then
	step "install the build and test packages (apt)"
	if install_packages; then
		record packages OK
	else
		record packages FAIL
		ready=0
	fi
fi

built=0
if [ "$ready" -eq 1 ]; then
	step "copy $rev to /src"
	if copy_source; then
		step "build warning-free (meson setup, meson compile)"
		if build; then
			built=1
			record build OK
		else
			record build FAIL
		fi
	else
		record source FAIL
	fi
fi

if [ "$built" -eq 1 ]; then
	step "unit, data and engine tests"
	meson_tests testlog "unit, data and engine tests" --suite unit --suite data --suite engine
	step "UI smoke test (test_start)"
	meson_tests testlog-ui "UI smoke test" --suite ui test_start
	kill_root_processes
else
	record "unit, data and engine tests" FAIL
	record "UI smoke test" FAIL
fi

step "engine: trixie's idevicerestore"
if [ "$ready" -eq 1 ]; then
	probe_engine trixie
	step "engine: Debian unstable's idevicerestore (sid, 2025-10)"
	sid_engine
else
	/usr/bin/python3 tests/engines/check-probe.py trixie /dev/null 1 >"$state/probe-trixie.tap"
	record engine-trixie FAIL "$state/probe-trixie.tap"
	/usr/bin/python3 tests/engines/check-probe.py sid-2025-10 /dev/null 1 >"$state/probe-sid-2025-10.tap"
	record engine-sid-2025-10 FAIL "$state/probe-sid-2025-10.tap"
fi
step_end

unmount_root
read -r leg_passed leg_failed leg_skipped <<<"$(/usr/bin/python3 tools/count-tests.py "$results")"
echo
echo "== Debian 13: time per step"
printf '%s\n' "${timings[@]}"
echo "$(printf '%5d s' $((SECONDS - leg_started)))  the whole leg"
echo "== Debian 13 leg: $leg_passed passed, $leg_failed failed, $leg_skipped skipped"
[ "$leg_failed" -eq 0 ]
