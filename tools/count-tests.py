#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Counts test cases in a meson testlog.json: every TAP "ok"/"not ok" line of
# a TAP suite is one case; a test that failed without saying which case (a
# crash, a timeout) counts as one failure more; other tests count once.
# Prints "PASSED FAILED SKIPPED".
import json
import re
import sys

passed = failed = skipped = 0
try:
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
except OSError:
    print("0 1 0")
    sys.exit(0)

for line in lines:
    if not line.strip():
        continue
    test = json.loads(line)
    result = test.get("result", "ERROR")
    ok = not_ok = skip = 0
    for out in (test.get("stdout") or "").splitlines():
        if re.match(r"^ok \d+", out):
            if "# SKIP" in out:
                skip += 1
            else:
                ok += 1
        elif re.match(r"^not ok \d+", out):
            not_ok += 1
    if ok + not_ok + skip == 0:
        if result in ("OK", "EXPECTEDFAIL"):
            ok = 1
        elif result == "SKIP":
            skip = 1
        else:
            not_ok = 1
    elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and not_ok == 0:
        not_ok = 1
    passed += ok
    failed += not_ok
    skipped += skip

print(passed, failed, skipped)
