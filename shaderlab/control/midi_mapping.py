"""MIDI mappings: which control moves which slot, and the maths between (no ports, no threads).

A mapping turns raw MIDI into a value in 0..1 (7-bit and 14-bit CC, NRPN, pitch bend, notes,
relative encoders in the three common encodings), shapes it (range, invert, curve), smooths it
(slew) and, with soft takeover, waits until the control has *reached* the show's value before
it takes over — crossing it counts, so a fast sweep that jumps over the value still picks up.
Feedback goes the other way: a slot's value as the message that sets the control there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import InputSpec

KINDS = ("cc", "cc14", "nrpn", "note", "pitchbend", "relative")
NOTE_MODES = ("momentary", "toggle", "trigger")
ENCODINGS = ("twos", "offset", "signed")  # two's complement, binary offset (64 = 0), sign bit
CURVES = ("linear", "exp", "log")


class MappingError(ShaderlabError):
    """A mapping or profile that cannot be used: one line that says why."""


@dataclass(frozen=True)
class Control:
    """Where a value comes from on the controller."""

    kind: str  # one of KINDS
    channel: int  # 0..15
    number: int = 0  # CC (MSB for cc14), note, or NRPN parameter (0..16383); unused for pitch bend

    def key(self) -> tuple[str, int, int]:
        kind = "cc" if self.kind == "relative" else self.kind
        return kind, self.channel, self.number

    def describe(self) -> str:
        where = {"pitchbend": "pitch bend"}.get(self.kind, f"{self.kind} {self.number}")
        return f"{where} ch {self.channel + 1}"


@dataclass
class Mapping:
    """A control mapped to a store address (or, for notes, a command name)."""

    control: Control
    address: str
    low: float | None = None  # the range the control sweeps, in the slot's units (None: declared)
    high: float | None = None
    invert: bool = False
    curve: str = "linear"
    slew: float = 0.0  # seconds to cover most of a jump (0: none)
    takeover: bool = True  # soft takeover (pickup) for absolute controls
    note_mode: str = "momentary"
    encoding: str = "twos"
    step: float = 1 / 128  # a relative encoder's tick, as a share of the range
    # -- state while playing (not saved) --
    picked_up: bool = field(default=False, repr=False, compare=False)
    last_position: float | None = field(default=None, repr=False, compare=False)
    toggled: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.control.kind not in KINDS:
            raise MappingError(f"{self.address}: {self.control.kind!r} is not a control kind ({', '.join(KINDS)})")
        if not 0 <= self.control.channel <= 15:
            raise MappingError(f"{self.address}: MIDI channel {self.control.channel + 1} is outside 1..16")
        if self.curve not in CURVES:
            raise MappingError(f"{self.address}: curve {self.curve!r} is not one of {', '.join(CURVES)}")
        if self.note_mode not in NOTE_MODES:
            raise MappingError(f"{self.address}: note mode {self.note_mode!r} is not one of {', '.join(NOTE_MODES)}")
        if self.encoding not in ENCODINGS:
            raise MappingError(f"{self.address}: encoding {self.encoding!r} is not one of {', '.join(ENCODINGS)}")
        for name in ("low", "high", "slew", "step"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(float(value)):
                raise MappingError(f"{self.address}: {name} {value} is not a finite number")
        if self.slew < 0:
            raise MappingError(f"{self.address}: slew {self.slew} must be 0 or more seconds")

    def saved(self) -> dict[str, Any]:
        """What a profile keeps (state while playing left out; defaults left out)."""
        out: dict[str, Any] = {"address": self.address, "kind": self.control.kind, "channel": self.control.channel + 1}
        if self.control.kind != "pitchbend":
            out["number"] = self.control.number
        defaults = Mapping(self.control, self.address)
        for name in ("low", "high", "invert", "curve", "slew", "takeover", "note_mode", "encoding", "step"):
            if getattr(self, name) != getattr(defaults, name):
                out[name] = getattr(self, name)
        return out

    @classmethod
    def loaded(cls, data: dict[str, Any]) -> "Mapping":
        try:
            control = Control(str(data["kind"]), int(data["channel"]) - 1, int(data.get("number", 0)))
            options = {k: data[k] for k in ("low", "high", "invert", "curve", "slew", "takeover", "note_mode",
                                             "encoding", "step") if k in data}
            return cls(control, str(data["address"]), **options)
        except (KeyError, TypeError, ValueError) as exc:
            raise MappingError(f"a mapping needs address, kind, channel (and number): {exc}") from None


# -- raw MIDI → a position in 0..1 -----------------------------------------------------------
def relative_ticks(value: int, encoding: str) -> int:
    """An encoder's signed tick count from its 7-bit value."""
    if encoding == "twos":
        return value if value < 64 else value - 128
    if encoding == "offset":
        return value - 64
    return value if value < 64 else -(value - 64)  # signed: bit 6 is the sign


def shaped(position: float, mapping: Mapping) -> float:
    """Invert and curve a 0..1 position."""
    x = min(max(position, 0.0), 1.0)
    if mapping.invert:
        x = 1.0 - x
    if mapping.curve == "exp":
        return x * x
    if mapping.curve == "log":
        return math.sqrt(x)
    return x


def unshaped(x: float, mapping: Mapping) -> float:
    """The control position that shows ``x`` (the inverse of :func:`shaped`), for feedback."""
    x = min(max(x, 0.0), 1.0)
    if mapping.curve == "exp":
        x = math.sqrt(x)
    elif mapping.curve == "log":
        x = x * x
    return 1.0 - x if mapping.invert else x


def span(mapping: Mapping, spec: InputSpec) -> tuple[float, float]:
    """The values the control sweeps: the mapping's range, else the declared one."""
    if spec.values:
        low, high = 0, len(spec.values) - 1
    elif spec.type == "bool" or spec.type == "event":
        low, high = 0.0, 1.0
    else:
        low = spec.min if isinstance(spec.min, (int, float)) else 0.0
        high = spec.max if isinstance(spec.max, (int, float)) else 1.0
    low = mapping.low if mapping.low is not None else low
    high = mapping.high if mapping.high is not None else high
    return float(low), float(high)


def to_value(x: float, mapping: Mapping, spec: InputSpec) -> Any:
    """A shaped 0..1 position as the slot's value (menus by index, whole numbers rounded)."""
    low, high = span(mapping, spec)
    value = low + x * (high - low)
    if spec.values:
        return spec.values[int(round(min(max(value, 0), len(spec.values) - 1)))]
    if spec.type == "bool":
        return x >= 0.5
    if spec.type == "long":
        return int(round(value))
    return value


def to_position(value: Any, mapping: Mapping, spec: InputSpec) -> float | None:
    """Where the control should stand to show the slot's ``value`` (0..1), or None."""
    low, high = span(mapping, spec)
    if spec.values:
        if value not in spec.values:
            return None
        value = spec.values.index(value)
    elif isinstance(value, bool):
        value = float(value)
    elif not isinstance(value, (int, float)):
        return None
    if high == low:
        return 0.0
    return unshaped((float(value) - low) / (high - low), mapping)


def takes_over(mapping: Mapping, position: float, current: float | None) -> bool:
    """Soft takeover: True once the control has reached the show's value (``current``, as a
    position). Crossing it between two messages counts, so a fast sweep never skips it."""
    if not mapping.takeover or mapping.picked_up or current is None:
        mapping.picked_up = True
        mapping.last_position = position
        return True
    previous, mapping.last_position = mapping.last_position, position
    near = abs(position - current) <= 1.5 / 127
    crossed = previous is not None and (previous - current) * (position - current) <= 0
    if near or crossed:
        mapping.picked_up = True
    return mapping.picked_up


def released(mapping: Mapping) -> Mapping:
    """The mapping's control must pick the value up again (the show moved it elsewhere)."""
    mapping.picked_up = False
    return mapping


class Slew:
    """Exponential smoothing toward a target: ``seconds`` to cover 95% of a jump."""

    def __init__(self, seconds: float, start: float):
        self.seconds, self.value, self.target = seconds, start, start

    def toward(self, target: float) -> None:
        self.target = target

    def step(self, dt: float) -> float:
        if self.seconds <= 0:
            self.value = self.target
        else:
            self.value += (self.target - self.value) * (1.0 - math.exp(-3.0 * dt / self.seconds))
            if abs(self.target - self.value) < 1e-4:
                self.value = self.target
        return self.value

    @property
    def settled(self) -> bool:
        return self.value == self.target


class Decoder:
    """Raw MIDI messages (as mido dicts: type, channel, control, value, note, velocity, pitch)
    into (control, 0..1 position or relative ticks) events: pairs 14-bit CCs and gathers NRPN."""

    def __init__(self) -> None:
        self._msb: dict[tuple[int, int], int] = {}  # (channel, cc) → last MSB of a 14-bit pair
        self._nrpn: dict[int, list[int]] = {}  # channel → [param MSB, param LSB, data MSB]

    def decode(self, message: dict[str, Any], wide: set[tuple[int, int]] = frozenset()) -> list[tuple[Control, float]]:
        """``wide``: (channel, cc) of the MSBs known to be 14-bit pairs (from the mappings)."""
        kind, channel = message.get("type"), message.get("channel", 0)
        if kind == "pitchwheel":
            return [(Control("pitchbend", channel), (message["pitch"] + 8192) / 16383)]
        if kind in ("note_on", "note_off"):
            velocity = message.get("velocity", 0) if kind == "note_on" else 0
            return [(Control("note", channel, message["note"]), velocity / 127)]
        if kind != "control_change":
            return []
        number, value = message["control"], message["value"]
        nrpn = self._nrpn.setdefault(channel, [-1, -1, 0])
        if number == 99:
            nrpn[0] = value
            return []
        if number == 98:
            nrpn[1] = value
            return []
        if number in (6, 38) and nrpn[0] >= 0 and nrpn[1] >= 0:
            parameter = nrpn[0] << 7 | nrpn[1]
            if number == 6:
                nrpn[2] = value
                return [(Control("nrpn", channel, parameter), (value << 7) / 16383)]
            return [(Control("nrpn", channel, parameter), (nrpn[2] << 7 | value) / 16383)]
        events = [(Control("cc", channel, number), value / 127)]
        if number < 32 and (channel, number) in wide:
            self._msb[(channel, number)] = value  # a new MSB resets the LSB, as MIDI says
            events.append((Control("cc14", channel, number), (value << 7) / 16383))
        elif 32 <= number < 64 and (channel, number - 32) in wide:
            msb = self._msb.get((channel, number - 32), 0)
            events.append((Control("cc14", channel, number - 32), (msb << 7 | value) / 16383))
        return events


def feedback_messages(mapping: Mapping, position: float) -> list[dict[str, Any]]:
    """The MIDI that sets the mapped control to ``position`` (LED rings, motor faders, pads)."""
    control = mapping.control
    x = min(max(position, 0.0), 1.0)
    if control.kind in ("cc", "relative"):
        return [{"type": "control_change", "channel": control.channel, "control": control.number, "value": round(x * 127)}]
    if control.kind == "cc14":
        wide = round(x * 16383)
        return [{"type": "control_change", "channel": control.channel, "control": control.number, "value": wide >> 7},
                {"type": "control_change", "channel": control.channel, "control": control.number + 32, "value": wide & 127}]
    if control.kind == "nrpn":
        wide = round(x * 16383)
        return [{"type": "control_change", "channel": control.channel, "control": 99, "value": control.number >> 7},
                {"type": "control_change", "channel": control.channel, "control": 98, "value": control.number & 127},
                {"type": "control_change", "channel": control.channel, "control": 6, "value": wide >> 7},
                {"type": "control_change", "channel": control.channel, "control": 38, "value": wide & 127}]
    if control.kind == "pitchbend":
        return [{"type": "pitchwheel", "channel": control.channel, "pitch": round(x * 16383) - 8192}]
    # A pad's light: on when the value is past half way.
    return [{"type": "note_on", "channel": control.channel, "note": control.number, "velocity": 127 if x >= 0.5 else 0}]


def learned(control: Control, address: str, spec: InputSpec | None) -> Mapping:
    """A new mapping from a moved control: notes on events fire them, on bools toggle."""
    mode = "trigger" if spec is not None and spec.type == "event" else \
        "toggle" if spec is not None and spec.type == "bool" else "momentary"
    return replace(Mapping(control, address), note_mode=mode)
