"""Modulation of any number slot: LFOs, free in Hz or synced to the musical clock, routed with
depth, offset, curve and polarity; several routes on one slot are summed, then clamped by the
store to the declared range. A :class:`Modulation` is one of the store's modulators: it never
writes the base value, so scenes save what the performer set, and the same clock gives the
same values live and headless.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from shaderlab.isf.header import InputSpec
from shaderlab.show.slots import ShowError
from shaderlab.show.tempo import MusicalClock

SHAPES = ("sine", "triangle", "saw_up", "saw_down", "square", "sample_hold", "smooth_random")
#: Synced rates by name: beats per cycle (a bar is the clock's beats per bar).
SYNC = {"1/16": 0.25, "1/8": 0.5, "1/4": 1.0, "1/2": 2.0, "1 bar": "bar", "2 bars": "2bar", "4 bars": "4bar",
        "8 bars": "8bar", "16 bars": "16bar"}
CURVES = ("linear", "exp", "log")
MODULATED_TYPES = ("float", "long", "bool", "point2D", "color", "event")
#: What an audio follower can follow: the analysis's bands and its overall level.
FOLLOW = ("bass", "low_mid", "high_mid", "high", "level")


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
        beats = clock.beat_at(t) if clock is not None else t * 2.0  # no clock: 120 BPM
        length = SYNC[self.sync]
        if isinstance(length, str):
            bars = int(length.removesuffix("bar") or 1)
            length = bars * (clock.beats_per_bar if clock is not None else 4)
        return beats / length + self.phase

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


@dataclass(frozen=True)
class Route:
    """One LFO on one slot: ``depth`` is the share of the slot's range swung (1: all of it),
    ``offset`` moves the centre (a share of the range), ``unipolar`` swings 0..1 instead of
    -1..1, ``curve`` shapes the LFO (exp, log)."""

    address: str
    lfo: Lfo = field(default_factory=Lfo)
    depth: float = 0.5
    offset: float = 0.0
    unipolar: bool = False
    curve: str = "linear"
    #: An audio follower instead of the LFO: a band's level (0..1, smoothed by ``attack`` and
    #: ``release`` seconds); on an event input, the band's onsets fire it.
    follow: str | None = None
    attack: float = 0.01
    release: float = 0.3

    def __post_init__(self) -> None:
        if self.follow is not None and self.follow not in FOLLOW:
            raise ShowError(f"{self.address}: follow {self.follow!r} is not one of {', '.join(FOLLOW)}")
        if min(self.attack, self.release) < 0 or not all(math.isfinite(v) for v in (self.attack, self.release)):
            raise ShowError(f"{self.address}: attack and release are 0 or more seconds")
        if self.curve not in CURVES:
            raise ShowError(f"{self.address}: curve {self.curve!r} is not one of {', '.join(CURVES)}")
        for name in ("depth", "offset"):
            if not math.isfinite(float(getattr(self, name))):
                raise ShowError(f"{self.address}: {name} {getattr(self, name)!r} is not a finite number")

    def amount(self, t: float, clock: MusicalClock | None, envelope: float | None = None) -> float:
        """The route's push at ``t``, as a share of the slot's range (``envelope``: a
        follower's smoothed level, 0..1)."""
        if envelope is not None:
            v = envelope if self.unipolar else 2.0 * envelope - 1.0
        else:
            v = self.lfo.value(t, clock)
            if self.unipolar:
                v = (v + 1.0) / 2.0
        if self.curve != "linear":
            sign = -1.0 if v < 0 else 1.0
            v = sign * (abs(v) ** 2 if self.curve == "exp" else math.sqrt(abs(v)))
        return self.depth * v + self.offset

    def saved(self) -> dict[str, Any]:
        if self.follow is not None:
            out: dict[str, Any] = {"address": self.address, "follow": self.follow}
            for name, value, default in (("attack", self.attack, 0.01), ("release", self.release, 0.3)):
                if value != default:
                    out[name] = value
        else:
            out = {"address": self.address, "shape": self.lfo.shape}
            if self.lfo.sync is not None:
                out["sync"] = self.lfo.sync
            else:
                out["hz"] = self.lfo.hz
        for name, value, default in (("phase", self.lfo.phase, 0.0), ("width", self.lfo.width, 0.5),
                                     ("seed", self.lfo.seed, 0), ("depth", self.depth, 0.5),
                                     ("offset", self.offset, 0.0), ("unipolar", self.unipolar, False),
                                     ("curve", self.curve, "linear")):
            if value != default:
                out[name] = value
        return out

    @classmethod
    def loaded(cls, data: Mapping[str, Any]) -> "Route":
        try:
            lfo = Lfo(str(data.get("shape", "sine")), float(data.get("hz", 1.0)), data.get("sync"),
                      float(data.get("phase", 0.0)), float(data.get("width", 0.5)), int(data.get("seed", 0)))
            follow = data.get("follow")
            return cls(str(data["address"]), lfo, float(data.get("depth", 0.5)), float(data.get("offset", 0.0)),
                       bool(data.get("unipolar", False)), str(data.get("curve", "linear")),
                       str(follow) if follow is not None else None, float(data.get("attack", 0.01)),
                       float(data.get("release", 0.3)))
        except KeyError:
            raise ShowError("a modulation route needs an address") from None
        except (TypeError, ValueError) as exc:
            raise ShowError(f"a modulation route has a value of the wrong kind ({exc})") from None


class Modulation:
    """The store's modulator for every route: base + Σ depth·lfo·range, per component."""

    def __init__(self, clock: MusicalClock | None, spec_of: Callable[[str], InputSpec | None]):
        self.clock = clock
        self.spec_of = spec_of  # an address's declared input (the store's), None if gone
        self.routes: list[Route] = []
        #: The audio as last heard: band levels (0..1) and the bands with an onset since the
        #: last frame (the app sets them; a headless render sets them from the file).
        self.levels: dict[str, float] = {}
        self.onsets: set[str] = set()
        self._envelopes: dict[int, tuple[float, float]] = {}  # route → (value, at time)

    def hear(self, levels: Mapping[str, float], onsets: set[str]) -> None:
        self.levels = dict(levels)
        self.onsets |= onsets

    def end_frame(self) -> None:
        """Onsets fire for one frame."""
        self.onsets = set()

    def add(self, route: Route) -> Route:
        spec = self.spec_of(route.address)
        if spec is None:
            raise ShowError(f"no input {route.address!r} in the show to modulate")
        if spec.type not in MODULATED_TYPES or spec.values:
            raise ShowError(f"{route.address}: a {'menu' if spec.values else spec.type} cannot be modulated")
        if spec.type == "event" and route.follow is None:
            raise ShowError(f"{route.address}: an event is fired by an audio follower's onsets, not an LFO")
        self.routes.append(route)
        return route

    def remove(self, address: str) -> None:
        self.routes = [r for r in self.routes if r.address != address]
        # Followers' envelopes go with their routes (a new route must not inherit one by id).
        alive = {id(r) for r in self.routes}
        self._envelopes = {key: value for key, value in self._envelopes.items() if key in alive}

    def on(self, address: str) -> list[Route]:
        return [r for r in self.routes if r.address == address]

    def __call__(self, address: str, base_value: Any, frame_time: float) -> Any:
        routes = [r for r in self.routes if r.address == address]
        if not routes:
            return base_value
        spec = self.spec_of(address)
        if spec is None:
            return base_value
        if spec.type == "event":  # fired by an onset of a followed band
            return bool(base_value) or any(r.follow in self.onsets or r.follow == "level" and self.onsets for r in routes)
        push = sum(r.amount(frame_time, self.clock, self._envelope(r, frame_time)) for r in routes)
        low, high = _range(spec)
        if spec.type == "bool":
            return (float(base_value) + push) >= 0.5
        if isinstance(base_value, tuple):
            lows = low if isinstance(low, tuple) else (low,) * len(base_value)
            highs = high if isinstance(high, tuple) else (high,) * len(base_value)
            return tuple(v + push * (hi - lo) for v, lo, hi in zip(base_value, lows, highs))
        value = base_value + push * (high - low)
        return int(round(value)) if spec.type == "long" else float(value)


    def _envelope(self, route: Route, t: float) -> float | None:
        """A follower's level, rising in ``attack`` and falling in ``release`` seconds."""
        if route.follow is None:
            return None
        target = self.levels.get(route.follow, 0.0)
        value, at = self._envelopes.get(id(route), (0.0, t))
        dt = max(t - at, 0.0)
        seconds = route.attack if target > value else route.release
        value = target if seconds <= 0 else value + (target - value) * (1.0 - math.exp(-dt / seconds))
        self._envelopes[id(route)] = (value, t)
        return value


def _range(spec: InputSpec) -> tuple[Any, Any]:
    if spec.type in ("bool", "color"):
        return 0.0, 1.0
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else 1.0
    return low, high


def _noise(seed: int, index: int) -> float:
    """A repeatable value in -1..1 for cycle ``index`` (the same seed and clock: the same values)."""
    n = (index * 374761393 + seed * 668265263) & 0xFFFFFFFF
    n = (n ^ (n >> 13)) * 1274126177 & 0xFFFFFFFF
    return ((n ^ (n >> 16)) & 0xFFFF) / 32767.5 - 1.0


__all__ = ["Lfo", "Modulation", "Route", "SHAPES", "SYNC"]
