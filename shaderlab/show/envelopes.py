"""Modulation sources besides LFOs and followers, each a pure function of the show's time, the
musical clock and the moments things happened — so a render with the same clock and the same
triggers gives the same values as the show did:

- :class:`Envelope`: attack, decay, sustain, release, opened by a trigger (an onset, the beat,
  a pad held down) and closed when it ends;
- :func:`step_value`: a step sequencer, 8 or 16 steps to a bar;
- :func:`gesture_value` and :class:`GestureRecorder`: a hand's movement on a slot recorded for
  N bars from a bar line and looped in time with the music.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from shaderlab.show.lfo import beat_of
from shaderlab.show.slots import ShowError
from shaderlab.show.tempo import MusicalClock

#: What can open an envelope: a band's onset (or any band's), every beat or bar of the clock,
#: or a name fired by a command (a key, a MIDI pad, OSC /shaderlab/trigger) — "hit" by default.
CLOCK_TRIGGERS = ("beat", "bar")
#: Samples a beat in a recorded gesture (a 4-bar gesture in 4/4: 256 numbers in the scene).
GESTURE_RESOLUTION = 16


@dataclass(frozen=True)
class Gate:
    """When a trigger opened (``on``) and, if it has, closed (``off``); ``start``: the level the
    attack rises from (a retrigger starts where the envelope was, not from 0)."""

    on: float
    off: float | None = None
    start: float = 0.0


@dataclass(frozen=True)
class Envelope:
    attack: float = 0.01
    decay: float = 0.2
    sustain: float = 0.0
    release: float = 0.3

    def __post_init__(self) -> None:
        times = (self.attack, self.decay, self.release)
        if not all(math.isfinite(v) and v >= 0 for v in times):
            raise ShowError("an envelope's attack, decay and release are 0 or more seconds")
        if not (math.isfinite(self.sustain) and 0.0 <= self.sustain <= 1.0):
            raise ShowError("an envelope's sustain is a level within 0..1")

    def hit(self, t: float, start: float = 0.0) -> Gate:
        """A trigger with no length of its own (an onset, a beat): open through attack and
        decay, then release."""
        return Gate(t, t + self.attack + self.decay, start)

    def value(self, t: float, gate: Gate | None) -> float:
        """0..1 at ``t``."""
        if gate is None or t < gate.on:
            return 0.0
        if gate.off is None or t < gate.off:
            return self._held(t - gate.on, gate.start)
        # Let go: the release falls from where the envelope was (from the peak when it got
        # there at once — attack and decay 0: a flash that only releases).
        level = self._held(gate.off - gate.on, gate.start) if self.attack + self.decay > 0 else 1.0
        if self.release <= 0:
            return 0.0
        return level * max(0.0, 1.0 - (t - gate.off) / self.release)

    def _held(self, dt: float, start: float = 0.0) -> float:
        if dt < self.attack:
            return start + (1.0 - start) * dt / self.attack
        dt -= self.attack
        if dt < self.decay:
            return 1.0 - (1.0 - self.sustain) * dt / self.decay
        return self.sustain


def clock_gate(trigger: str, envelope: Envelope, t: float, clock: MusicalClock | None) -> Gate:
    """The gate of a clock trigger at ``t``: opened by the latest beat (or bar line)."""
    beats_per = 1.0 if trigger == "beat" else float(clock.beats_per_bar if clock is not None else 4)
    beat = beat_of(t, clock)
    bpm = clock.bpm if clock is not None else 120.0
    since = (beat - math.floor(beat / beats_per) * beats_per) * 60.0 / bpm
    return envelope.hit(t - since)


def checked_steps(steps: Sequence[Any], where: str) -> tuple[float, ...]:
    values = tuple(steps)
    if not 2 <= len(values) <= 64:
        raise ShowError(f"{where}: a step sequence has 2 to 64 steps (8 or 16 to a bar is usual)")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0.0 <= v <= 1.0:
            raise ShowError(f"{where}: step {v!r} is not a level within 0..1")
        out.append(float(v))
    return tuple(out)


def step_value(steps: Sequence[float], t: float, clock: MusicalClock | None) -> float:
    """The step playing at ``t``: the bar divided into ``len(steps)`` equal steps."""
    beats_per_bar = clock.beats_per_bar if clock is not None else 4
    bar = beat_of(t, clock) / beats_per_bar
    return steps[min(int((bar - math.floor(bar)) * len(steps)), len(steps) - 1)]


def gesture_value(points: Sequence[Any], beats: float, start: float, t: float, clock: MusicalClock | None) -> Any:
    """The recorded gesture at ``t`` (0..1, or a tuple for a point or a colour): ``points``
    spread evenly over ``beats`` from beat ``start``, looped, joined by straight lines."""
    position = ((beat_of(t, clock) - start) % beats) / beats * len(points)
    index = int(position)
    a, b = points[index % len(points)], points[(index + 1) % len(points)]
    x = position - index
    if isinstance(a, tuple):
        return tuple(p + (q - p) * x for p, q in zip(a, b))
    return a + (b - a) * x


@dataclass
class GestureRecorder:
    """Records a slot's base value (0..1 of its range) from the next bar line for ``bars``
    bars; the performer moves the knob, the recorder listens."""

    address: str
    bars: int
    start: float  # the bar line it starts at, in beats
    samples: list[tuple[float, Any]] = field(default_factory=list)

    def beats(self, clock: MusicalClock | None) -> float:
        return self.bars * (clock.beats_per_bar if clock is not None else 4)

    def listen(self, t: float, normalised: Any, clock: MusicalClock | None) -> bool:
        """One frame's value; True once the bars are recorded."""
        beat = beat_of(t, clock)
        if beat < self.start:
            return False
        if beat < self.start + self.beats(clock):
            self.samples.append((beat - self.start, normalised))
            return False
        return True

    def points(self, clock: MusicalClock | None) -> tuple[Any, ...]:
        """The recording resampled to GESTURE_RESOLUTION points a beat (held where no frame
        came: the value stays what the hand left)."""
        beats = self.beats(clock)
        count = int(round(beats * GESTURE_RESOLUTION))
        if not self.samples:
            raise ShowError(f"{self.address}: the gesture was not recorded (the beat jumped past its bars)")
        out, i = [], 0
        for n in range(count):
            at = n * beats / count
            while i + 1 < len(self.samples) and self.samples[i + 1][0] <= at:
                i += 1
            value = self.samples[i][1]
            out.append(tuple(round(v, 4) for v in value) if isinstance(value, tuple) else round(value, 4))
        return tuple(out)


def checked_points(points: Sequence[Any], where: str, width: int | None = None) -> tuple[Any, ...]:
    """Gesture points: levels 0..1, all numbers or all lists of ``width`` (a point: 2, a
    colour: 4; None: as wide as the first)."""
    values = []
    for p in points:
        parts = tuple(p) if isinstance(p, (list, tuple)) else (p,)
        if not parts or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                                and 0.0 <= v <= 1.0 for v in parts):
            raise ShowError(f"{where}: gesture point {p!r} is not a level (or levels) within 0..1")
        values.append(tuple(float(v) for v in parts) if isinstance(p, (list, tuple)) else float(p))
    if len(values) < 2:
        raise ShowError(f"{where}: a gesture has at least two points")
    shapes = {len(v) if isinstance(v, tuple) else None for v in values}
    if len(shapes) > 1 or (width is not None and shapes != {width if width > 1 else None}):
        wanted = f"lists of {width}" if width and width > 1 else "numbers" if width else "of one kind"
        raise ShowError(f"{where}: a gesture's points are all {wanted} within 0..1")
    return tuple(values)


__all__ = ["CLOCK_TRIGGERS", "Envelope", "Gate", "GestureRecorder", "checked_points", "checked_steps",
           "clock_gate", "gesture_value", "step_value"]
