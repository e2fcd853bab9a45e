#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# xgettext cannot read JSON, so the texts of data/remediation.json reach
# translators through a generated C header, src/guidance/ub-remediation-strings.h,
# listed in po/POTFILES.in. Run this after changing the cards:
#
#   python3 tools/remediation-strings.py          # rewrite the header
#   python3 tools/remediation-strings.py --check  # exit 1 when it is stale
#
# tests/test-remediation.c fails when the header and the cards disagree.
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CARDS = os.path.join("data", "remediation.json")
HEADER = os.path.join("src", "guidance", "ub-remediation-strings.h")

# text a translator must leave alone: commands and file names
COMMAND = re.compile(r"(^|\s)(sudo|sudoedit|df|idevicebackup2) |/etc/")

PREAMBLE = """\
/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Generated from data/remediation.json by tools/remediation-strings.py: do not
 * edit. xgettext cannot read JSON, so the card texts reach translators from
 * here; UbCard translates them at run time. After changing the cards run
 *
 *   python3 tools/remediation-strings.py
 *
 * test-remediation checks that this list matches the cards, in order.
 */

#pragma once

#include <glib.h>

#ifndef N_
#define N_(String) (String)
#endif

/* clang-format off */
static const gchar *const ub_remediation_strings[] G_GNUC_UNUSED = {
"""

POSTAMBLE = """\
};
/* clang-format on */
"""


def c_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def entry(card_id, what, text):
    note = "remediation card “%s”, %s" % (card_id, what)
    if COMMAND.search(text):
        note += "; keep commands and file names as they are"
    return "\t/* TRANSLATORS: %s */\n\tN_(%s),\n" % (note, c_string(text))


def render(cards):
    out = [PREAMBLE]
    for card in cards["cards"]:
        card_id = card["id"]
        out.append(entry(card_id, "title", card["title"]))
        out.append(entry(card_id, "what it means", card["summary"]))
        steps = card["steps"]
        for index, step in enumerate(steps):
            what = "step %d of %d" % (index + 1, len(steps))
            out.append(entry(card_id, what, step))
        if card.get("next"):
            out.append(entry(card_id, "what to try when the steps did not help", card["next"]))
        # the address stays as it is; only the button's text is translated
        link = card.get("link")
        if isinstance(link, dict) and link.get("label"):
            out.append(entry(card_id, "button that opens Apple’s page on it", link["label"]))
    out.append(POSTAMBLE)
    return "".join(out)


def main():
    with open(os.path.join(ROOT, CARDS), encoding="utf-8") as source:
        text = render(json.load(source))
    path = os.path.join(ROOT, HEADER)
    if "--check" in sys.argv[1:]:
        with open(path, encoding="utf-8") as header:
            if header.read() != text:
                print("%s is stale: run python3 tools/remediation-strings.py" % HEADER)
                return 1
        return 0
    with open(path, "w", encoding="utf-8") as header:
        header.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
