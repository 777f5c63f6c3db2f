"""Modulation of any number slot: routes from LFOs (show/lfo.py), audio followers, envelopes,
step sequences and recorded gestures (show/envelopes.py), each with depth, offset, curve and
polarity; several routes on one slot are summed, then clamped by the store to the declared
range. A :class:`Modulation` is one of the store's modulators: it never writes the base value,
so scenes save what the performer set, and the same clock (and the same triggers) gives the
same values live and headless.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from shaderlab.isf.header import InputSpec
from shaderlab.show.envelopes import (CLOCK_TRIGGERS, Envelope, Gate, GestureRecorder, checked_points,
                                      checked_steps, clock_gate, gesture_value, step_value)
from shaderlab.show.lfo import SHAPES, SYNC, Lfo, beat_of
from shaderlab.show.slots import ShowError
from shaderlab.show.tempo import MusicalClock

CURVES = ("linear", "exp", "log")
MODULATED_TYPES = ("float", "long", "bool", "point2D", "color", "event")
#: What an audio follower can follow: the analysis's bands and its overall level.
FOLLOW = ("bass", "low_mid", "high_mid", "high", "level")
#: Triggers with a meaning of their own (any other name is fired by commands): a band's onset,
#: any band's ("onset"), the clock's beats and bars, and "hit" (the trigger key, a pad, OSC).
TRIGGERS = ("bass", "low_mid", "high_mid", "high", "onset", *CLOCK_TRIGGERS, "hit")


@dataclass(frozen=True)
class Route:
    """One modulator on one slot: ``depth`` is the share of the slot's range swung (1: all of
    it), ``offset`` moves the centre (a share of the range), ``unipolar`` swings 0..1 instead
    of -1..1, ``curve`` shapes the source (exp, log). The source is the LFO unless one of
    ``follow`` (an audio band's level, smoothed by ``attack``/``release`` seconds; its onsets
    fire an event input), ``trigger`` (an envelope: attack, decay, sustain, release), ``steps``
    (a step sequence over a bar) or ``gesture`` (recorded points over ``bars`` from beat
    ``start``, played as the value itself) is set."""

    address: str
    lfo: Lfo = field(default_factory=Lfo)
    depth: float = 0.5
    offset: float = 0.0
    unipolar: bool = False
    curve: str = "linear"
    follow: str | None = None
    attack: float = 0.01
    release: float = 0.3
    trigger: str | None = None
    decay: float = 0.2
    sustain: float = 0.0
    steps: tuple[float, ...] | None = None
    gesture: tuple[Any, ...] | None = None
    bars: int = 1
    start: float = 0.0

    def __post_init__(self) -> None:
        where = self.address
        sources = [name for name in ("follow", "trigger", "steps", "gesture") if getattr(self, name) is not None]
        if len(sources) > 1:
            raise ShowError(f"{where}: a route has one source; this one has {' and '.join(sources)}")
        if self.follow is not None and self.follow not in FOLLOW:
            raise ShowError(f"{where}: follow {self.follow!r} is not one of {', '.join(FOLLOW)}")
        if self.trigger is not None and (not isinstance(self.trigger, str) or not self.trigger.strip()):
            raise ShowError(f"{where}: a trigger is a name ({', '.join(TRIGGERS)}, or your own)")
        if min(self.attack, self.release) < 0 or not all(math.isfinite(v) for v in (self.attack, self.release)):
            raise ShowError(f"{where}: attack and release are 0 or more seconds")
        if self.trigger is not None:
            Envelope(self.attack, self.decay, self.sustain, self.release)  # checks decay and sustain
        if self.steps is not None:
            object.__setattr__(self, "steps", checked_steps(self.steps, where))
        if self.gesture is not None:
            object.__setattr__(self, "gesture", checked_points(self.gesture, where))
            if not (isinstance(self.bars, int) and 1 <= self.bars <= 64) or not math.isfinite(self.start):
                raise ShowError(f"{where}: a gesture lasts 1 to 64 bars from a beat")
        if self.curve not in CURVES:
            raise ShowError(f"{where}: curve {self.curve!r} is not one of {', '.join(CURVES)}")
        for name in ("depth", "offset"):
            if not math.isfinite(float(getattr(self, name))):
                raise ShowError(f"{where}: {name} {getattr(self, name)!r} is not a finite number")

    @property
    def envelope(self) -> Envelope:
        return Envelope(self.attack, self.decay, self.sustain, self.release)

    def amount(self, t: float, clock: MusicalClock | None, level: float | None = None) -> float:
        """The route's push at ``t``, as a share of the slot's range (``level``: a follower's
        or an envelope's value, 0..1, which the :class:`Modulation` keeps)."""
        if self.steps is not None:
            level = step_value(self.steps, t, clock)
        if level is not None:
            v = level if self.unipolar else 2.0 * level - 1.0
        else:
            v = self.lfo.value(t, clock)
            if self.unipolar:
                v = (v + 1.0) / 2.0
        if self.curve != "linear":
            sign = -1.0 if v < 0 else 1.0
            v = sign * (abs(v) ** 2 if self.curve == "exp" else math.sqrt(abs(v)))
        return self.depth * v + self.offset

    def saved(self) -> dict[str, Any]:
        out: dict[str, Any] = {"address": self.address}
        if self.follow is not None:
            out["follow"] = self.follow
            own = (("attack", self.attack, 0.01), ("release", self.release, 0.3))
        elif self.trigger is not None:
            out["trigger"] = self.trigger
            own = (("attack", self.attack, 0.01), ("decay", self.decay, 0.2), ("sustain", self.sustain, 0.0),
                   ("release", self.release, 0.3))
        elif self.steps is not None:
            out["steps"] = list(self.steps)
            own = ()
        elif self.gesture is not None:
            out["gesture"] = [list(p) if isinstance(p, tuple) else p for p in self.gesture]
            out["bars"], out["start"] = self.bars, self.start
            own = ()
        else:
            out["shape"] = self.lfo.shape
            if self.lfo.sync is not None:
                out["sync"] = self.lfo.sync
            else:
                out["hz"] = self.lfo.hz
            own = (("phase", self.lfo.phase, 0.0), ("width", self.lfo.width, 0.5), ("seed", self.lfo.seed, 0))
        for name, value, default in (*own, ("depth", self.depth, 0.5), ("offset", self.offset, 0.0),
                                     ("unipolar", self.unipolar, False), ("curve", self.curve, "linear")):
            if value != default:
                out[name] = value
        return out

    @classmethod
    def loaded(cls, data: Mapping[str, Any]) -> "Route":
        def text(name: str) -> str | None:
            return str(data[name]) if data.get(name) is not None else None

        try:
            lfo = Lfo(str(data.get("shape", "sine")), float(data.get("hz", 1.0)), data.get("sync"),
                      float(data.get("phase", 0.0)), float(data.get("width", 0.5)), int(data.get("seed", 0)))
            steps, gesture = data.get("steps"), data.get("gesture")
            for name, value in (("steps", steps), ("gesture", gesture)):
                if value is not None and not isinstance(value, (list, tuple)):
                    raise ShowError(f"{data.get('address')}: {name} is a list of levels within 0..1")
            return cls(str(data["address"]), lfo, float(data.get("depth", 0.5)), float(data.get("offset", 0.0)),
                       bool(data.get("unipolar", False)), str(data.get("curve", "linear")), text("follow"),
                       float(data.get("attack", 0.01)), float(data.get("release", 0.3)), text("trigger"),
                       float(data.get("decay", 0.2)), float(data.get("sustain", 0.0)),
                       tuple(steps) if steps is not None else None, tuple(gesture) if gesture is not None else None,
                       int(data.get("bars", 1)), float(data.get("start", 0.0)))
        except KeyError:
            raise ShowError("a modulation route needs an address") from None
        except (TypeError, ValueError, OverflowError) as exc:
            raise ShowError(f"a modulation route has a value of the wrong kind ({exc})") from None


@dataclass(frozen=True)
class CommandTrigger:
    """A command of the app (its OSC address and arguments) fired by a trigger: a kick steps the
    sort, every bar picks a new network. Saved in scenes beside the routes ([[modulation]] with
    an address that starts with /)."""

    address: str
    trigger: str
    args: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if not self.address.startswith("/") or not isinstance(self.trigger, str) or not self.trigger.strip():
            raise ShowError(f"{self.address}: a command fired by a trigger names the trigger "
                            f"({', '.join(TRIGGERS)}, or your own)")
        if not all(isinstance(a, (str, int, float)) and not isinstance(a, bool) for a in self.args):
            raise ShowError(f"{self.address}: a command's args are numbers and words")

    def saved(self) -> dict[str, Any]:
        return {"address": self.address, "trigger": self.trigger, **({"args": list(self.args)} if self.args else {})}

    @classmethod
    def loaded(cls, data: Mapping[str, Any]) -> "CommandTrigger":
        args = data.get("args", [])
        if "address" not in data:
            raise ShowError("a command fired by a trigger needs an address")
        if not isinstance(args, (list, tuple)):
            raise ShowError(f"{data.get('address')}: args is a list (args = [\"right\"])")
        return cls(str(data["address"]), str(data.get("trigger", "")), tuple(args))


class Modulation:
    """The store's modulator for every route: base + Σ depth·source·range, per component."""

    def __init__(self, clock: MusicalClock | None, spec_of: Callable[[str], InputSpec | None]):
        self.clock = clock
        self.spec_of = spec_of  # an address's declared input (the store's), None if gone
        self.routes: list[Route] = []
        #: The audio as last heard: band levels (0..1) and the bands with an onset since the
        #: last frame (the app sets them; a headless render sets them from the file).
        self.levels: dict[str, float] = {}
        self.onsets: set[str] = set()
        self._envelopes: dict[int, tuple[float, float]] = {}  # follower route → (value, at time)
        #: Triggers fired this frame, not yet given the frame's time: name → gate (True: held,
        #: False: released, None: a hit).
        self._fired: dict[str, bool | None] = {}
        self._gates: dict[tuple[int, str], Gate] = {}  # (route, trigger) → its latest gate
        self.recording: GestureRecorder | None = None
        self.commands: list[CommandTrigger] = []
        self._this_frame: set[str] = set()  # triggers fired in this frame, for the commands
        #: The beat (or bar) each clock-triggered route or command saw last frame: a line is
        #: crossed when that count goes up (never while the clock stands still).
        self._lines: dict[int, int] = {}

    def hear(self, levels: Mapping[str, float], onsets: set[str]) -> None:
        self.levels = dict(levels)
        self.onsets |= onsets
        for band in onsets:
            self._fired.setdefault(band, None)
            self._fired.setdefault("onset", None)
        self._this_frame |= onsets | ({"onset"} if onsets else set())

    def trigger(self, name: str = "hit", gate: bool | None = None) -> None:
        """A trigger fired (a pad: ``gate`` True when pressed, False when let go; None: a hit)."""
        if gate is False and self._fired.get(name) is True:
            gate = None  # pressed and let go within one frame: a hit, not nothing
        self._fired[name] = gate
        if gate is not False:
            self._this_frame.add(name)

    def end_frame(self) -> None:
        """Onsets fire for one frame."""
        self.onsets = set()
        self._this_frame = set()

    def add_command(self, command: CommandTrigger) -> CommandTrigger:
        self.commands.append(command)
        return command

    def fired(self, t: float) -> list[CommandTrigger]:
        """The commands whose trigger fired in the frame at ``t`` (once each)."""
        out = []
        for command in self.commands:
            if command.trigger in CLOCK_TRIGGERS:
                if self._crossed(id(command), command.trigger, t):
                    out.append(command)
            elif command.trigger in self._this_frame:
                out.append(command)
        return out

    # -- routes ----------------------------------------------------------------------------
    def add(self, route: Route) -> Route:
        spec = self.spec_of(route.address)
        if spec is None:
            raise ShowError(f"no input {route.address!r} in the show to modulate")
        if spec.type not in MODULATED_TYPES or spec.values:
            raise ShowError(f"{route.address}: a {'menu' if spec.values else spec.type} cannot be modulated")
        if spec.type == "event" and route.follow is None and route.trigger is None:
            raise ShowError(f"{route.address}: an event is fired by onsets or a trigger, not an LFO")
        if route.gesture is not None:
            _check_gesture(route, spec)
            self.routes = [r for r in self.routes if not (r.address == route.address and r.gesture is not None)]
        self.routes.append(route)
        return route

    def replace(self, routes: list[Route], commands: list[CommandTrigger]) -> None:
        """Every route and command at once (a scene): what the old ones kept goes with them."""
        self.routes, self.commands = [], list(commands)
        self._envelopes, self._gates, self._lines, self.recording = {}, {}, {}, None
        for route in routes:
            self.add(route)

    def remove(self, address: str) -> None:
        self.routes = [r for r in self.routes if r.address != address]
        self.commands = [t for t in self.commands if t.address != address]
        if self.recording is not None and self.recording.address == address:
            self.recording = None
        # Followers' and envelopes' state goes with their routes (a new route must not inherit it by id).
        alive = {id(r) for r in self.routes}
        self._envelopes = {key: value for key, value in self._envelopes.items() if key in alive}
        self._gates = {key: gate for key, gate in self._gates.items() if key[0] in alive}
        alive |= {id(t) for t in self.commands}
        self._lines = {key: line for key, line in self._lines.items() if key in alive}

    def on(self, address: str) -> list[Route]:
        return [r for r in self.routes if r.address == address]

    # -- gestures --------------------------------------------------------------------------
    def record(self, address: str, bars: int, t: float) -> None:
        """Record the hand on ``address`` for ``bars`` bars from the next bar line (a gesture
        already looping there stops, so the hand is heard)."""
        spec = self.spec_of(address)
        if spec is None or spec.type not in ("float", "long", "bool", "point2D", "color") or spec.values:
            raise ShowError(f"{address}: a gesture is recorded on a number, a switch, a point or a colour")
        if spec.type in ("float", "long", "point2D") and (spec.min is None or spec.max is None):
            raise ShowError(f"{address}: a gesture is recorded as a share of the input's range, and this input "
                            "declares no MIN and MAX")
        if not isinstance(bars, int) or not 1 <= bars <= 64:
            raise ShowError(f"a gesture lasts 1 to 64 bars, not {bars!r}")
        self.routes = [r for r in self.routes if not (r.address == address and r.gesture is not None)]
        per_bar = self.clock.beats_per_bar if self.clock is not None else 4
        start = math.ceil(beat_of(t, self.clock) / per_bar - 1e-9) * per_bar
        self.recording = GestureRecorder(address, bars, start)

    def listen(self, t: float, base_of: Callable[[str], Any]) -> str | None:
        """Each frame while recording: the base value goes into the gesture; once the bars are
        done it loops from the bar line where it started. A line for the performer when it does."""
        recorder = self.recording
        if recorder is None:
            return None
        spec = self.spec_of(recorder.address)
        if spec is None:
            self.recording = None
            return f"{recorder.address} went away while its gesture was being recorded"
        if not recorder.listen(t, _normalised(spec, base_of(recorder.address)), self.clock):
            return None
        self.recording = None
        beats = recorder.beats(self.clock)
        try:
            points = recorder.points(self.clock)
        except ShowError as exc:  # the beat jumped past the bars (a transport jump, a long stall)
            return str(exc)
        self.add(Route(recorder.address, depth=0.0, gesture=points, bars=recorder.bars, start=recorder.start % beats))
        return f"{recorder.address}: the gesture of {recorder.bars} bar{'s' if recorder.bars > 1 else ''} loops"

    # -- the modulator ---------------------------------------------------------------------
    def __call__(self, address: str, base_value: Any, frame_time: float) -> Any:
        if self._fired:
            self._open_gates(frame_time)
        routes = [r for r in self.routes if r.address == address]
        if not routes:
            return base_value
        spec = self.spec_of(address)
        if spec is None:
            return base_value
        if spec.type == "event":  # fired by an onset of a followed band, or its trigger
            return bool(base_value) or any(self._fires(r, frame_time) for r in routes)
        low, high = _range(spec)
        gesture = next((r for r in routes if r.gesture is not None), None)
        if gesture is not None:  # the recorded hand is the value; the other routes move it
            beats = gesture.bars * (self.clock.beats_per_bar if self.clock is not None else 4)
            base_value = _denormalised(spec, gesture_value(gesture.gesture, beats, gesture.start, frame_time,
                                                           self.clock), base_value)
        push = sum(r.amount(frame_time, self.clock, self._level(r, frame_time)) for r in routes if r.gesture is None)
        if spec.type == "bool":
            return (float(base_value) + push) >= 0.5
        if isinstance(base_value, tuple):
            lows, highs = _bounds(spec, len(base_value))
            return tuple(v + push * (hi - lo) for v, lo, hi in zip(base_value, lows, highs))
        value = base_value + push * (high - low)
        return int(round(value)) if spec.type == "long" else float(value)

    def _level(self, route: Route, t: float) -> float | None:
        if route.follow is not None:
            return self._follower(route, t)
        if route.trigger is not None:
            envelope = route.envelope
            if route.trigger in CLOCK_TRIGGERS:
                return envelope.value(t, clock_gate(route.trigger, envelope, t, self.clock))
            return envelope.value(t, self._gates.get((id(route), route.trigger)))
        return None

    def _fires(self, route: Route, t: float) -> bool:
        if route.follow is not None:
            return route.follow in self.onsets or (route.follow == "level" and bool(self.onsets))
        if route.trigger in CLOCK_TRIGGERS:
            return self._crossed(id(route), route.trigger, t)
        gate = self._gates.get((id(route), route.trigger or ""))
        return gate is not None and gate.on == t

    def _crossed(self, key: int, trigger: str, t: float) -> bool:
        """Whether a beat (or bar) line came since the last frame ``key`` saw (not on the frame
        it first looks, wherever the beat is; never while the clock stands still)."""
        per = 1.0 if trigger == "beat" else float(self.clock.beats_per_bar if self.clock is not None else 4)
        line = math.floor(beat_of(t, self.clock) / per + 1e-9)
        last, self._lines[key] = self._lines.get(key), line
        return last is not None and line > last

    def _open_gates(self, t: float) -> None:
        """Give the triggers fired since the last frame this frame's time, per route."""
        fired, self._fired = self._fired, {}
        for route in self.routes:
            name = route.trigger
            if name is None or name not in fired:
                continue
            key, gate = (id(route), name), fired[name]
            now = route.envelope.value(t, self._gates.get(key))  # a retrigger rises from here
            if gate is None:
                self._gates[key] = route.envelope.hit(t, now)
            elif gate:
                self._gates[key] = Gate(t, None, now)
            elif key in self._gates and self._gates[key].off is None:
                self._gates[key] = Gate(self._gates[key].on, t)

    def _follower(self, route: Route, t: float) -> float:
        """A follower's level, rising in ``attack`` and falling in ``release`` seconds."""
        target = self.levels.get(route.follow or "", 0.0)
        value, at = self._envelopes.get(id(route), (0.0, t))
        dt = max(t - at, 0.0)
        seconds = route.attack if target > value else route.release
        value = target if seconds <= 0 else value + (target - value) * (1.0 - math.exp(-dt / seconds))
        self._envelopes[id(route)] = (value, t)
        return value


def _check_gesture(route: Route, spec: InputSpec) -> None:
    """A gesture's points are as wide as the input (a point: 2 levels, a colour: 4)."""
    width = {"point2D": 2, "color": 4}.get(spec.type, 1)
    checked_points(route.gesture or (), route.address, width)


def _range(spec: InputSpec) -> tuple[Any, Any]:
    if spec.type in ("bool", "color"):
        return 0.0, 1.0
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else 1.0
    return low, high


def _bounds(spec: InputSpec, components: int) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The range per component of a point or colour (one MIN/MAX shared, or one each)."""
    low, high = _range(spec)
    return (low if isinstance(low, tuple) else (low,) * components,
            high if isinstance(high, tuple) else (high,) * components)


def _normalised(spec: InputSpec, value: Any) -> Any:
    """A value as 0..1 of the slot's range (per component)."""
    low, high = _range(spec)
    if isinstance(value, tuple):
        lows, highs = _bounds(spec, len(value))
        return tuple(min(max((v - lo) / ((hi - lo) or 1.0), 0.0), 1.0) for v, lo, hi in zip(value, lows, highs))
    return min(max((float(value) - low) / ((high - low) or 1.0), 0.0), 1.0)


def _denormalised(spec: InputSpec, level: Any, base_value: Any) -> Any:
    low, high = _range(spec)
    if isinstance(base_value, tuple):
        levels = level if isinstance(level, tuple) else (level,) * len(base_value)
        lows, highs = _bounds(spec, len(base_value))
        return tuple(lo + x * (hi - lo) for x, lo, hi in zip(levels, lows, highs))
    return low + (level[0] if isinstance(level, tuple) else level) * (high - low)


__all__ = ["CommandTrigger", "Lfo", "Modulation", "Route", "SHAPES", "SYNC", "TRIGGERS"]
