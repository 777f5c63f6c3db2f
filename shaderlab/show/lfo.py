"""Low-frequency oscillators: sine, triangle, saws, square (pulse width), sample-and-hold and
smooth random, free-running in Hz or synced to the musical clock — pure functions of the show's
time and the clock, so the same clock gives the same values live and headless."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shaderlab.show.slots import ShowError
from shaderlab.show.tempo import MusicalClock

SHAPES = ("sine", "triangle", "saw_up", "saw_down", "square", "sample_hold", "smooth_random")
#: Synced rates by name: beats per cycle (a bar is the clock's beats per bar).
SYNC = {"1/16": 0.25, "1/8": 0.5, "1/4": 1.0, "1/2": 2.0, "1 bar": "bar", "2 bars": "2bar", "4 bars": "4bar",
        "8 bars": "8bar", "16 bars": "16bar"}


def beats_of(length: float | str, clock: MusicalClock | None) -> float:
    """A musical length (beats, or bars as "bar", "2bar" …) in beats on ``clock``."""
    if isinstance(length, str):
        bars = int(length.removesuffix("bar") or 1)
        return bars * (clock.beats_per_bar if clock is not None else 4)
    return float(length)


def beat_of(t: float, clock: MusicalClock | None) -> float:
    """The beat shown at ``t`` (no clock: 120 BPM from 0)."""
    return clock.beat_at(t) if clock is not None else t * 2.0


@dataclass(frozen=True)
class Lfo:
    """A low-frequency oscillator: ``hz`` cycles a second, or (``sync`` set) cycles per
    musical length; ``phase`` in cycles; ``width`` the high share of a square."""

    shape: str = "sine"
    hz: float = 1.0
    sync: str | None = None
    phase: float = 0.0
    width: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ShowError(f"LFO shape {self.shape!r} is not one of {', '.join(SHAPES)}")
        if self.sync is not None and self.sync not in SYNC:
            raise ShowError(f"LFO sync {self.sync!r} is not one of {', '.join(SYNC)}")
        for name in ("hz", "phase", "width"):
            if not math.isfinite(float(getattr(self, name))):
                raise ShowError(f"LFO {name} {getattr(self, name)!r} is not a finite number")
        if self.hz < 0 or not 0.0 <= self.width <= 1.0:
            raise ShowError("an LFO's rate is 0 Hz or more and its width within 0..1")

    def cycles(self, t: float, clock: MusicalClock | None) -> float:
        """How many cycles have run at show time ``t``."""
        if self.sync is None:
            return t * self.hz + self.phase
        return beat_of(t, clock) / beats_of(SYNC[self.sync], clock) + self.phase

    def value(self, t: float, clock: MusicalClock | None = None) -> float:
        """-1..1 at show time ``t``."""
        cycles = self.cycles(t, clock)
        x = cycles - math.floor(cycles)
        shape = self.shape
        if shape == "sine":
            return math.sin(2 * math.pi * x)
        if shape == "triangle":
            return 1.0 - 4.0 * abs(x - 0.5)  # -1 at the cycle's ends, 1 half way
        if shape == "saw_up":
            return 2.0 * x - 1.0
        if shape == "saw_down":
            return 1.0 - 2.0 * x
        if shape == "square":
            return 1.0 if x < self.width else -1.0
        index = math.floor(cycles)
        if shape == "sample_hold":
            return _noise(self.seed, index)
        # smooth random: the held values joined by a cosine ease
        a, b = _noise(self.seed, index), _noise(self.seed, index + 1)
        ease = (1 - math.cos(math.pi * x)) / 2
        return a + (b - a) * ease



def _noise(seed: int, index: int) -> float:
    """A repeatable value in -1..1 for cycle ``index`` (the same seed and clock: the same values)."""
    n = (index * 374761393 + seed * 668265263) & 0xFFFFFFFF
    n = (n ^ (n >> 13)) * 1274126177 & 0xFFFFFFFF
    return ((n ^ (n >> 16)) & 0xFFFF) / 32767.5 - 1.0
