#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks what `unbrick --probe-engine=PATH` said about a real idevicerestore
# build against what that build is known to restore. Prints TAP: one case for
# the probe's contract (exit status 0, one JSON object with "version",
# "newest-ios", "models", "newest-iphone", "newest-ipad"), then one case per
# expectation below, and a readable summary of the probe as comments.
#   check-probe.py ENGINE-LABEL JSON-FILE [EXIT-STATUS]
# ENGINE-LABEL is one of the engines below; EXIT-STATUS is the probe's.
#   check-probe.py --installed UNBRICK [IDEVICERESTORE]
# probes the idevicerestore installed here (default /usr/bin/idevicerestore)
# with the UNBRICK binary; which engine it is comes from its Debian package's
# version, never from the probe (every one of them says "1.0.1" or "1.0.0").
# No engine, or one of no known Debian build, is a skip (exit 77).
import json
import os
import subprocess
import sys
import tempfile
import textwrap

# each engine: a description, the models it can restore and the first it
# cannot (product type, marketing name), and the newest iOS it can restore
ENGINES = {
    "debian12": {
        "describe": "Debian 12's idevicerestore 1.0.0 (2020, libirecovery 1.0.0)",
        "can": [("iPhone12,8", "iPhone SE (2nd gen)")],
        "cannot": [("iPhone13,2", "iPhone 12")],
        "newest-ios": 14,
    },
    "trixie": {
        "describe": "Debian 13's idevicerestore 1.0.0+git20240709 (libirecovery 1.2.1)",
        "can": [("iPhone16,2", "iPhone 15 Pro Max")],
        "cannot": [("iPhone17,1", "iPhone 16 Pro")],
        "newest-ios": 18,
    },
    "sid-2025-10": {
        "describe": "Debian unstable's idevicerestore 1.0.0+git20251002 "
        "(libirecovery 1.3.1, libtatsu 1.0.5)",
        "can": [("iPhone18,1", "iPhone 17 Pro"), ("iPhone18,4", "iPhone Air")],
        "cannot": [("iPhone18,5", "iPhone 17e")],
        "newest-ios": 26,
    },
}

CONTRACT = {
    "version": str,
    "newest-ios": int,
    "models": list,
    "newest-iphone": str,
    "newest-ipad": str,
}


# the Debian package versions of each engine (dpkg-query's ${Version})
DEBIAN_VERSIONS = {
    "debian12": lambda version: version.startswith("1.0.0-"),
    "trixie": lambda version: "+git20240709" in version,
    "sid-2025-10": lambda version: "+git20251002" in version,
}

SKIP = 77


def usage():
    labels = ", ".join(ENGINES)
    print(f"usage: {sys.argv[0]} ENGINE-LABEL JSON-FILE [EXIT-STATUS]", file=sys.stderr)
    print(f"       {sys.argv[0]} --installed UNBRICK [IDEVICERESTORE]", file=sys.stderr)
    print(f"ENGINE-LABEL: one of {labels}", file=sys.stderr)
    sys.exit(2)


def read_probe(text, exit_status):
    """the probe's object, or None and why not"""
    if exit_status not in (None, 0):
        return None, f"the probe ended with {exit_status}"
    try:
        probe = json.loads(text)
    except json.JSONDecodeError as error:
        shown = " ".join(text.split())[:200]
        return None, f"not one JSON object ({error}): {shown!r}"
    if not isinstance(probe, dict):
        return None, "the JSON is not an object"
    for key, kind in CONTRACT.items():
        value = probe.get(key)
        # bool is an int in Python; newest-ios must be a real integer
        if not isinstance(value, kind) or isinstance(value, bool):
            return None, f'"{key}" is missing or not a {kind.__name__}: {value!r}'
    if not all(isinstance(model, str) for model in probe["models"]):
        return None, '"models" holds something that is not a product type'
    return probe, None


def summary(probe):
    lines = [
        f"version: {probe['version']}",
        f"newest iOS: {probe['newest-ios']}",
        f"newest iPhone: {probe['newest-iphone']}",
        f"newest iPad: {probe['newest-ipad']}",
    ]
    for key, value in probe.items():
        if key not in CONTRACT:
            lines.append(f"{key}: {json.dumps(value)}")
    models = ", ".join(probe["models"])
    lines += textwrap.wrap(
        f"models ({len(probe['models'])}): {models}", width=96, subsequent_indent="  "
    )
    return lines


def debian_version(path):
    """the version of the Debian package that installed @path, or None"""
    try:
        owner = subprocess.run(
            ["dpkg-query", "-S", os.path.realpath(path)], capture_output=True, text=True
        )
    except OSError:
        return None
    if owner.returncode != 0 or ":" not in owner.stdout:
        return None
    package = owner.stdout.split(":", 1)[0].strip()
    shown = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True
    )
    return shown.stdout.strip() if shown.returncode == 0 else None


def check_installed(unbrick, engine_path):
    """the probe of the engine installed here, checked; SKIP when there is
    none, or when it is no Debian build the checks know"""
    if not os.access(engine_path, os.X_OK):
        print(f"1..0 # SKIP no idevicerestore at {engine_path}")
        return SKIP
    version = debian_version(engine_path)
    labels = [label for label, match in DEBIAN_VERSIONS.items() if version and match(version)]
    if not labels:
        print(f"1..0 # SKIP {engine_path} is no Debian build known here (package {version})")
        return SKIP
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        try:
            status = subprocess.run(
                [unbrick, "--probe-engine=" + engine_path], stdout=out, timeout=60
            ).returncode
        except subprocess.TimeoutExpired:
            status = "a timeout (60 s)"
        out.seek(0)
        text = out.read()
    return check(labels[0], text, status, f"{engine_path}: Debian package version {version}")


def main():
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--installed":
        engine_path = sys.argv[3] if len(sys.argv) == 4 else "/usr/bin/idevicerestore"
        return check_installed(sys.argv[2], engine_path)
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ENGINES:
        usage()
    label, path = sys.argv[1], sys.argv[2]
    exit_status = None
    if len(sys.argv) == 4:
        try:
            exit_status = int(sys.argv[3])
        except ValueError:
            usage()
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as error:
        text = None
        exit_status = f"no output to read ({error})"
    return check(label, text, exit_status)


def check(label, text, exit_status, note=None):
    """prints the TAP of @label's expectations against the probe's output
    @text; 0 when all hold"""
    engine = ENGINES[label]

    cases = []  # (passed, description, diagnostic)
    probe, why = read_probe(text, exit_status)
    cases.append((probe is not None, f"{label}: the probe printed its JSON object", why))

    models = set(probe["models"]) if probe is not None else set()
    for product_type, name in engine["can"]:
        cases.append(
            (product_type in models, f"{label}: can restore {product_type} ({name})", None)
        )
    for product_type, name in engine["cannot"]:
        cases.append(
            (
                probe is not None and product_type not in models,
                f"{label}: cannot restore {product_type} ({name})",
                None,
            )
        )
    newest = probe["newest-ios"] if probe is not None else None
    cases.append(
        (
            newest == engine["newest-ios"],
            f"{label}: newest iOS it restores is {engine['newest-ios']}",
            None if probe is None else f"the probe says {newest}",
        )
    )

    print("TAP version 13")
    if note:
        print(f"# {note}")
    print(f"# {engine['describe']}")
    if probe is not None:
        for line in summary(probe):
            print(f"#   {line}")
    print(f"1..{len(cases)}")
    for number, (passed, description, diagnostic) in enumerate(cases, 1):
        print(f"{'ok' if passed else 'not ok'} {number} - {description}")
        if not passed and diagnostic:
            print(f"# {diagnostic}")
    return 0 if all(passed for passed, _, _ in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
