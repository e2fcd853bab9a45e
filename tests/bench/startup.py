#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make bench: Unbrick against a minimal libadwaita window, side by side in
# one run, under the same X server and session bus:
#  - time from exec to the first painted frame
#  - memory at rest (RSS and PSS) with one simulated device shown
#  - time from a device entering the model to its page being painted
# Goals: Unbrick within 1.3x of the minimal window on time and memory;
# device shown in under 50 ms.
import os
import statistics
import subprocess
import sys
import time

ROUNDS = int(os.environ.get("UB_BENCH_ROUNDS", "10"))
HERE = os.path.dirname(os.path.abspath(__file__))


def memory_kb(pid):
    rss = pss = 0
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    with open("/proc/%d/smaps_rollup" % pid) as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def run_once(argv, env, wait_device):
    start = time.monotonic()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
    first_frame = None
    device_shown = None
    deadline = start + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        key, _, value = line.strip().partition(" ")
        if key == "first-frame-monotonic-us":
            first_frame = int(value) / 1e6 - start
            if not wait_device:
                break
        elif key == "device-shown-us":
            device_shown = int(value) / 1e3
            break
    time.sleep(2.0)  # at rest
    rss, pss = memory_kb(process.pid)
    process.terminate()
    process.wait(timeout=10)
    if first_frame is None:
        raise RuntimeError("%s never painted a frame" % argv[0])
    return first_frame, rss, pss, device_shown


def main():
    builddir = sys.argv[1] if len(sys.argv) > 1 else "_build"
    env = dict(os.environ)
    env["GSETTINGS_SCHEMA_DIR"] = os.path.join(builddir, "data")
    env["GSETTINGS_BACKEND"] = "memory"
    # the timings are a test switch (src/common/ub-self-test.h)
    env["UNBRICK_SELF_TEST"] = "1"
    env["UNBRICK_BENCH"] = "1"
    unbrick = [
        os.path.join(builddir, "src", "unbrick"),
        "--simulate=" + os.path.join(HERE, "late-device.json"),
    ]
    minimal = [os.path.join(builddir, "tests", "bench", "adw-minimal")]

    results = {"unbrick": [], "minimal": []}
    # alternate, so both see the same machine state
    for _ in range(ROUNDS):
        results["unbrick"].append(run_once(unbrick, env, True))
        results["minimal"].append(run_once(minimal, env, False))

    def median(name, index):
        values = [r[index] for r in results[name] if r[index] is not None]
        return statistics.median(values)

    first_u, first_m = median("unbrick", 0), median("minimal", 0)
    rss_u, rss_m = median("unbrick", 1), median("minimal", 1)
    pss_u, pss_m = median("unbrick", 2), median("minimal", 2)
    shown = median("unbrick", 3)
    shown_max = max(r[3] for r in results["unbrick"] if r[3] is not None)

    print("Unbrick startup benchmark, %d rounds, medians" % ROUNDS)
    print("%-28s %12s %12s %8s %6s" % ("", "Unbrick", "minimal adw", "ratio", "goal"))
    rows = [
        ("first frame (ms)", first_u * 1000, first_m * 1000, 1.3),
        ("memory at rest, RSS (MiB)", rss_u / 1024, rss_m / 1024, 1.3),
        ("memory at rest, PSS (MiB)", pss_u / 1024, pss_m / 1024, 1.3),
    ]
    ok = True
    for label, ours, theirs, goal in rows:
        ratio = ours / theirs
        ok = ok and ratio <= goal
        print(
            "%-28s %12.1f %12.1f %7.2fx %5s %s"
            % (label, ours, theirs, ratio, "%.1fx" % goal, "ok" if ratio <= goal else "MISSED")
        )
    print(
        "%-28s %12.1f %12s %8s %6s %s"
        % ("device in model -> shown (ms)", shown, "", "", "50", "ok" if shown < 50 else "MISSED")
    )
    print("%-28s %12.1f" % ("  slowest of the rounds (ms)", shown_max))
    return 0 if ok and shown < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
