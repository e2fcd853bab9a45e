#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Makes the countdown's cues in data/sounds/. The user watches the device, not
# the screen, so each cue must be told apart by ear alone: a chime for a new
# step, a soft tick for the last seconds, a rising tune when it worked and a
# gentle falling one when it did not. Synthesised here rather than recorded so
# the sounds carry the project's own licence and can be remade at will.
#
#   tools/make-sounds.py [OUTPUT_DIR]    (default: data/sounds)
import math
import os
import struct
import sys
import wave

RATE = 44100
# -6 dBFS: loud enough over a desk fan, never startling
PEAK = 10 ** (-6 / 20)


def note(freq, start, length, decay, partials=((1, 1.0),)):
    """One struck note: a near-instant soft attack, then an exponential decay."""
    attack = 0.006
    samples = []
    for i in range(int(length * RATE)):
        t = i / RATE
        # a raised-cosine attack: no step in the waveform, so no click
        env = 0.5 - 0.5 * math.cos(math.pi * t / attack) if t < attack else 1.0
        env *= math.exp(-t / decay)
        value = 0.0
        for multiple, weight in partials:
            value += weight * math.sin(2 * math.pi * freq * multiple * t)
        samples.append(env * value)
    return int(start * RATE), samples


def render(duration, notes):
    """Mixes notes, fades the tail to silence and scales to the peak."""
    total = int(duration * RATE)
    mix = [0.0] * total
    for offset, samples in notes:
        for i, value in enumerate(samples):
            if offset + i < total:
                mix[offset + i] += value
    # the last 25 ms fade out with a half cosine: the file always ends at zero
    release = int(0.025 * RATE)
    for i in range(release):
        mix[total - release + i] *= 0.5 + 0.5 * math.cos(math.pi * i / release)
    loudest = max(abs(value) for value in mix) or 1.0
    return [value * PEAK / loudest for value in mix]


def write(path, samples):
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", round(v * 32767)) for v in samples))


# a bell-like timbre: the fundamental plus a quieter octave and twelfth
BELL = ((1, 1.0), (2, 0.35), (3, 0.12))
# rounder, for the failure cue: it should not sound like an alarm
SOFT = ((1, 1.0), (2, 0.15))

SOUNDS = {
    # two rising tones (C6, G6): "change the buttons now"
    "step.wav": render(
        0.25,
        [
            note(1046.50, 0.00, 0.25, 0.09, BELL),
            note(1567.98, 0.08, 0.17, 0.07, BELL),
        ],
    ),
    # one short, soft blip (A5, pure): counts down without demanding attention
    "tick.wav": render(0.08, [note(880.00, 0.0, 0.08, 0.018)]),
    # a rising major arpeggio (E5, G5, C6): it worked
    "success.wav": render(
        0.5,
        [
            note(659.25, 0.00, 0.50, 0.12, BELL),
            note(783.99, 0.12, 0.38, 0.12, BELL),
            note(1046.50, 0.24, 0.26, 0.10, BELL),
        ],
    ),
    # a falling third (A4, F4), soft: it did not work, nothing is broken
    "failure.wav": render(
        0.4,
        [
            note(440.00, 0.00, 0.40, 0.10, SOFT),
            note(349.23, 0.16, 0.24, 0.09, SOFT),
        ],
    ),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "sounds")
    os.makedirs(outdir, exist_ok=True)
    for name, samples in SOUNDS.items():
        write(os.path.join(outdir, name), samples)


if __name__ == "__main__":
    main()
