"""The show's musical clock: beats as a function of the show's time.

One source sets the tempo at a time — the internal BPM, tap tempo, MIDI clock (later Link and
the tempo heard in the audio) — and the clock keeps the beat *continuous* when the tempo or the
source changes: beat(t) = beat0 + (t - t0) · bpm / 60 from the last change on. Pure arithmetic
on the show's clock, so a render with a fixed-step clock gives the same beats every time.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from shaderlab.show.slots import ShowError

MIN_BPM, MAX_BPM = 20.0, 400.0


@dataclass(frozen=True)
class Beat:
    """Where the music is at one moment: what shaders get as BPM, BEAT, BEAT_PHASE, BAR_PHASE."""

    bpm: float
    beat: float  # beats since the clock began (fractional)
    beats_per_bar: int = 4

    @property
    def beat_phase(self) -> float:
        return self.beat - math.floor(self.beat)

    @property
    def bar(self) -> float:
        return self.beat / self.beats_per_bar

    @property
    def bar_phase(self) -> float:
        return self.bar - math.floor(self.bar)


class MusicalClock:
    def __init__(self, bpm: float = 120.0, beats_per_bar: int = 4):
        self.bpm = _checked_bpm(bpm)
        self.beats_per_bar = int(beats_per_bar)
        self._t0 = 0.0
        self._beat0 = 0.0
        self.running = True
        #: Seconds the beat is read ahead (the latency offset): the light reaches the audience
        #: later than the sound, so what is shown at t is drawn for the music at t + lead.
        self.lead = 0.0

    def beat_at(self, t: float) -> float:
        """The beat shown at show time ``t`` (read ``lead`` seconds ahead)."""
        return self.heard_at(t + self.lead)

    def heard_at(self, t: float) -> float:
        """The beat the music is on at ``t`` (no lead): what sources place and compare."""
        if not self.running:
            return self._beat0
        return self._beat0 + (t - self._t0) * self.bpm / 60.0

    def at(self, t: float) -> Beat:
        return Beat(self.bpm, self.beat_at(t), self.beats_per_bar)

    def set_bpm(self, bpm: float, t: float) -> None:
        """A new tempo from time ``t`` on; the beat goes on from where it was."""
        bpm = _checked_bpm(bpm)
        self._beat0, self._t0, self.bpm = self.heard_at(t), t, bpm

    def nudge(self, beats: float, t: float) -> None:
        """Move the phase by ``beats`` (positive: ahead), as a DJ nudges a record."""
        self._beat0, self._t0 = self.heard_at(t) + float(beats), t

    def resync(self, t: float) -> None:
        """A bar starts now: the beat is moved to the nearest bar line."""
        beat = self.heard_at(t)
        bar = self.beats_per_bar
        self._beat0, self._t0 = round(beat / bar) * bar, t

    def place(self, beat: float, t: float) -> None:
        """Beat ``beat`` is at time ``t`` (a source with a phase of its own: MIDI song position, Link)."""
        self._beat0, self._t0 = float(beat), t

    def stop(self, t: float) -> None:
        self._beat0, self._t0, self.running = self.heard_at(t), t, False

    def start(self, t: float, from_beat: float | None = None) -> None:
        self._beat0 = self.heard_at(t) if from_beat is None else float(from_beat)
        self._t0, self.running = t, True


def follow_link(clock: MusicalClock, bpm: float, beat: float, t: float, tolerance: float = 0.02) -> bool:
    """The Link session is on ``beat`` at ``bpm`` at show time ``t``: take its tempo (within
    the clock's range), and its phase when the clock has drifted more than ``tolerance`` beats
    (placing it every time would shake the beat by the jitter of the readings). A stopped clock
    stays stopped (Link's start and stop arrive as transport). True when the clock was placed."""
    bpm = min(max(bpm, MIN_BPM), MAX_BPM)
    if abs(clock.bpm - bpm) >= 0.0005:
        clock.set_bpm(bpm, t)
    if not clock.running or abs(clock.heard_at(t) - beat) <= tolerance:
        return False
    clock.place(beat, t)
    return True


class TapTempo:
    """Taps to a BPM: the median of the recent intervals (one stray tap moves nothing), forgotten
    after a pause, so a new run of taps starts afresh."""

    def __init__(self, keep: int = 8, pause: float = 2.0):
        self.keep, self.pause = keep, pause
        self._taps: list[float] = []

    def tap(self, t: float) -> float | None:
        """Record a tap at show time ``t``; the tempo once there are enough taps, else None."""
        if self._taps and (t - self._taps[-1] > self.pause or t <= self._taps[-1]):
            self._taps = []
        self._taps = (self._taps + [t])[-self.keep:]
        if len(self._taps) < 3:
            return None
        intervals = [b - a for a, b in zip(self._taps, self._taps[1:])]
        return min(max(60.0 / statistics.median(intervals), MIN_BPM), MAX_BPM)


class ClockFollower:
    """MIDI clock in (24 pulses a quarter note): the tempo from the pulses' times, filtered so
    that jitter does not shake it — the slope of a straight line fitted through the last four
    beats of pulses (a median of intervals would be biased: a MIDI system delivers in periods,
    JACK's of ~5 ms, so 20.8 ms intervals arrive as 21.3 or 16 ms) — with start, stop,
    continue and song position."""

    PPQN = 24

    def __init__(self, window: int = 96):
        self.window = window
        self._pulses: list[float] = []
        self.pulses = 0  # since start: the beat is pulses / 24

    def pulse(self, t: float) -> float | None:
        """A clock pulse at time ``t``; the tempo once a beat's worth has come in, else None."""
        self._pulses = (self._pulses + [t])[-self.window:]
        self.pulses += 1
        n = len(self._pulses)
        if n < self.PPQN // 2:
            return None
        mean_i, mean_t = (n - 1) / 2, sum(self._pulses) / n
        spread = sum((i - mean_i) ** 2 for i in range(n))
        interval = sum((i - mean_i) * (t - mean_t) for i, t in enumerate(self._pulses)) / spread
        return 60.0 / (interval * self.PPQN) if interval > 0 else None

    def start(self) -> None:
        self._pulses, self.pulses = [], 0

    def song_position(self, sixteenths: int) -> None:
        """MIDI song position (in sixteenth notes): the next pulse plays from there."""
        self.pulses = int(sixteenths) * (self.PPQN // 4)
        self._pulses = []

    @property
    def beat(self) -> float:
        return self.pulses / self.PPQN


class HeardTempo:
    """The tempo heard in the audio as the clock's source. An estimate moves the clock only when
    it is sure (confidence at least ``sure``) and steady (the last ``agree`` estimates within
    2 % of each other), so a weak or wandering estimate never makes the beat jump; bass onsets
    near a beat pull the phase a little towards them (a soft phase lock, not a jump)."""

    def __init__(self, sure: float = 0.4, agree: int = 3, pull: float = 0.25):
        self.sure, self.agree, self.pull = sure, agree, pull
        self._estimates: list[float] = []
        self.confidence = 0.0

    def estimate(self, bpm: float, confidence: float, current: float) -> float | None:
        """A new estimate; the BPM to set (rounded to 0.1) or None to leave the clock as it is."""
        self.confidence = confidence
        if confidence < self.sure or not math.isfinite(bpm):
            self._estimates = []
            return None
        self._estimates = (self._estimates + [bpm])[-self.agree:]
        if len(self._estimates) < self.agree:
            return None
        middle = statistics.median(self._estimates)
        if max(abs(e - middle) for e in self._estimates) > 0.02 * middle:
            return None
        bpm = round(min(max(middle, MIN_BPM), MAX_BPM), 1)
        return bpm if abs(bpm - current) >= 0.3 else None

    def onset(self, clock: MusicalClock, t: float) -> None:
        """A bass onset heard at ``t``: when it falls within a fifth of a beat of one, move the
        phase ``pull`` of the way there."""
        if self.confidence < self.sure or not clock.running:
            return
        beat = clock.heard_at(t)
        error = beat - round(beat)
        if abs(error) < 0.2:
            clock.nudge(-self.pull * error, t)


def _checked_bpm(bpm: float) -> float:
    try:
        value = float(bpm)
    except (TypeError, ValueError):
        raise ShowError(f"tempo: {bpm!r} is not a number of beats per minute") from None
    if not math.isfinite(value) or not MIN_BPM <= value <= MAX_BPM:
        raise ShowError(f"tempo: {bpm!r} BPM is outside {MIN_BPM:g}..{MAX_BPM:g}")
    return value
