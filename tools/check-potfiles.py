#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every source file with translatable text must be listed in po/POTFILES.in,
# or its strings never reach translators; every listed file must exist.
import os
import re
import sys

root = sys.argv[1]
listed = set()
with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as potfiles:
    for line in potfiles:
        line = line.strip()
        if line and not line.startswith("#"):
            listed.add(line)

problems = []
for name in sorted(listed):
    if not os.path.exists(os.path.join(root, name)):
        problems.append("listed but missing: " + name)

patterns = {
    ".c": re.compile(r"\b(N?_|C_|NC_)\(\s*\""),
    ".ui": re.compile(r'translatable="yes"'),
    ".xml": re.compile(r"<(summary|description)>|translatable=\"yes\""),
}
for folder in ("src", "data"):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for file in files:
            path = os.path.join(dirpath, file)
            relative = os.path.relpath(path, root)
            ext = os.path.splitext(file)[1]
            if ext not in patterns or "screenshots" in relative:
                continue
            with open(path, encoding="utf-8") as source:
                if patterns[ext].search(source.read()) and relative not in listed:
                    problems.append("translatable but not in po/POTFILES.in: " + relative)

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
