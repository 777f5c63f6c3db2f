"""The show as data: every input of every effect, and the app's settings, as addressed slots.

Why one store: the panel, keys, pointer, MIDI, OSC and cues all change the same values, and
each used to write them its own way (a grid click wrote a seed above its maximum; a playing
transition overwrote the user's ``progress``). Here there is one write path — ``set``,
``nudge``, ``reset``, ``pulse`` — checked against the declared input. What a frame renders is
``resolve(t)``: the base values passed through modulators, which never write back, so a scene
always saves what the performer set. The store lives on the GL thread; other threads post
commands to the app's inbox instead of touching it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Protocol

from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import EffectSpec, InputSpec
from shaderlab.show.chain import Chain, ChainSlot
from shaderlab.show.modulation import Modulation
from shaderlab.show.settings import BEATS_PER_BAR, BPM, LATENCY, MODULATORS
from shaderlab.show.tempo import Beat, MusicalClock
from shaderlab.show.session import Session
from shaderlab.show.slots import ShowError, Slot, chain_address, interpolated, is_finite_value, nudged, validate

log = logging.getLogger(__name__)


class Modulator(Protocol):
    """Given a slot's value so far, the value this frame renders (return it unchanged to pass)."""

    def __call__(self, address: str, base_value: Any, frame_time: float) -> Any: ...


@dataclass(frozen=True)
class Changes:
    """What moved during one frame: new base values by address, and addresses that went away."""

    values: Mapping[str, Any]
    removed: tuple[str, ...] = ()
    #: The surface whose command wrote each value last this frame ("": the show's own).
    origins: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """The chain's order and bypass, and every base value: what a cue recalls."""

    chain: tuple[tuple[str, str, bool], ...]  # (slot id, effect name, enabled)
    values: Mapping[str, Any]


class Store:
    def __init__(self, spec_of: Callable[[str], EffectSpec] | None = None,
                 settings: Iterable[tuple[str, InputSpec]] = ()) -> None:
        """``spec_of`` finds an effect's declaration by name (the library); ``settings`` are
        the app-wide slots as (address, declared input)."""
        self.spec_of = spec_of
        self.chain = Chain()
        self.session = Session()
        self._slots: dict[str, Slot] = {}
        self._base: dict[str, Any] = {}
        # The musical clock and the LFO routes: the first modulator, before transitions.
        self.tempo = MusicalClock()
        self.modulation = Modulation(self.tempo, self._declared)
        self._modulators: list[Modulator] = [self.modulation]
        self._pulses_pending: set[str] = set()
        self._pulses_live: set[str] = set()
        self._changed: dict[str, str] = {}  # address → origin of its last write, in order
        self._removed: dict[str, None] = {}
        self._subscribers: list[Callable[[Changes], None]] = []
        for address, spec in settings:
            self._declare(address, spec, spec.default)

    # -- reading ---------------------------------------------------------------------------
    def slot(self, address: str) -> Slot:
        found = self._slots.get(address)
        if found is None:
            raise ShowError(f"no input {address!r} in the show{_near(address, self._slots)}")
        return found

    def addresses(self, prefix: str = "") -> list[str]:
        return [a for a in self._slots if a.startswith(prefix)]

    def get(self, address: str) -> Any:
        """The base value (what the panel shows and scenes save)."""
        self.slot(address)
        return self._base[address]

    def effect_values(self, slot_id: str, resolved: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One effect's inputs by name: base values, or from a ``resolve`` result."""
        slot = self.chain.get(slot_id)
        source = self._base if resolved is None else resolved
        return {i.name: source[chain_address(slot.id, i.name)] for i in _inputs(slot.spec)}

    # -- the one write path ----------------------------------------------------------------
    def set(self, address: str, value: Any, clamp: bool = False, origin: str = "") -> Any:
        """Store ``value``; ``clamp`` pulls it into range (knobs), otherwise an out-of-range
        value is refused (scenes, the CLI). ``origin``: the surface that sent it, told in the
        change notice. Returns what was stored."""
        slot = self.slot(address)
        if slot.spec.type == "event":
            if validate(address, slot.spec, value, clamp):
                self._pulses_pending.add(address)
            return False  # an event's base stays false: a saved scene never fires by itself
        stored = validate(address, slot.spec, value, clamp, slot.limits)
        self._write(address, stored, origin)
        return stored

    def nudge(self, address: str, delta: Any, clamp: bool = True) -> Any:
        """Move a number, vector or menu by ``delta``; clamped at the ends unless told not to."""
        slot = self.slot(address)
        return self.set(address, nudged(address, slot.spec, self._base[address], delta), clamp)

    def reset(self, address: str) -> Any:
        return self.set(address, self.slot(address).spec.default, clamp=True)

    def pulse(self, address: str) -> None:
        """An event input is true for exactly one resolved frame: the next one."""
        slot = self.slot(address)
        if slot.spec.type != "event":
            raise ShowError(f"{address}: only an event input can be pulsed (this is a {slot.spec.type})")
        self._pulses_pending.add(address)

    def toggle(self, address: str) -> bool:
        slot = self.slot(address)
        if slot.spec.type != "bool":
            raise ShowError(f"{address}: only a bool can be toggled (this is a {slot.spec.type})")
        return self.set(address, not self._base[address])

    def _write(self, address: str, value: Any, origin: str = "") -> None:
        # Every successful write is noticed, even an unchanged value: a knob turned past the
        # end must be told the clamped value it now shows wrongly.
        self._base[address] = value
        self._changed[address] = origin

    # -- the chain -------------------------------------------------------------------------
    def add_effect(self, name: str, slot_id: str | None = None, index: int | None = None,
                   values: Mapping[str, Any] | None = None, enabled: bool = True) -> str:
        """Add an effect by library name or path; ``values`` are checked strictly. Returns its id."""
        spec = self._spec(name)
        slot = ChainSlot(slot_id if slot_id is not None else self.chain.new_id(name), name, spec, enabled)
        checked = self._checked_values(slot, values or {})
        self.chain.insert(slot, index)
        for input_name, value in checked.items():
            self._declare(chain_address(slot.id, input_name), spec.input(input_name), value)
        return slot.id

    def remove_effect(self, slot_id: str) -> None:
        slot = self.chain.remove(slot_id)
        for spec in _inputs(slot.spec):
            self._undeclare(chain_address(slot.id, spec.name))

    def move_effect(self, slot_id: str, offset: int) -> bool:
        return self.chain.move(slot_id, offset)

    def bypass_effect(self, slot_id: str, bypass: bool | None = None) -> bool:
        """Bypass (or, with None, flip) an effect; returns whether it is now bypassed."""
        slot = self.chain.get(slot_id)
        slot.enabled = (not slot.enabled) if bypass is None else not bypass
        return not slot.enabled

    def replace_chain(self, entries: list[tuple[str, str | None, bool, Mapping[str, Any]]]) -> None:
        """A whole new chain of (name, id or None, enabled, values), all checked before any
        of it replaces the running one: a refused scene leaves the show as it was."""
        staged = Chain()
        checked = []
        for name, slot_id, enabled, values in entries:
            slot = ChainSlot(slot_id or staged.new_id(name), name, self._spec(name), enabled)
            if slot_id is not None and slot_id in staged.ids:  # a hand-edited scene: keep both
                slot.id = staged.new_id(slot_id)
            staged.insert(slot)
            checked.append((slot, self._checked_values(slot, values)))
        for slot_id in self.chain.ids:
            self.remove_effect(slot_id)
        self.chain.replace_all([slot for slot, _ in checked])
        for slot, values in checked:
            for input_name, value in values.items():
                self._declare(chain_address(slot.id, input_name), slot.spec.input(input_name), value)

    def redeclare(self, name: str, spec: EffectSpec) -> None:
        """An effect file changed (hot reload): inputs that still exist keep their values
        (pulled into a new range, or the new default if the type changed); gone ones go."""
        for slot in self.chain.slots:
            if slot.name != name:
                continue
            old = {i.name: self._base[chain_address(slot.id, i.name)] for i in _inputs(slot.spec)}
            for input_name in old:
                self._undeclare(chain_address(slot.id, input_name))
            slot.spec = spec
            for declared in _inputs(spec):
                value = declared.default
                if declared.name in old:
                    try:
                        value = validate(declared.name, declared, old[declared.name], clamp=True)
                    except ShaderlabError:
                        pass
                self._declare(chain_address(slot.id, declared.name), declared, value)

    # -- frames ----------------------------------------------------------------------------
    def add_modulator(self, modulator: Modulator) -> None:
        self._modulators.append(modulator)

    def remove_modulator(self, modulator: Modulator) -> None:
        if modulator in self._modulators:
            self._modulators.remove(modulator)

    def resolve(self, frame_time: float) -> dict[str, Any]:
        """What this frame renders, by address: each base value through every modulator, in
        the order they were added. The base is never written; a modulator's unusable value
        (NaN, wrong type) is dropped for the value before it, an out-of-range one clamped."""
        self._follow_tempo(frame_time)
        recorded = self.modulation.listen(frame_time, self._base.get)  # a gesture being recorded
        if recorded:
            self.session.say(recorded)
        self._pulses_live |= self._pulses_pending
        self._pulses_pending = set()
        resolved: dict[str, Any] = {}
        # "Modulators on" off (a panic): the routes stay, and move nothing until it is back on.
        modulators = [m for m in self._modulators if m is not self.modulation or self._base.get(MODULATORS, True)]
        for address, slot in self._slots.items():
            value = True if address in self._pulses_live else self._base[address]
            for modulator in modulators:
                proposed = modulator(address, value, frame_time)
                if proposed is not value and proposed != value:
                    value = _usable(slot, proposed, value)
            resolved[address] = value
        return resolved

    def end_frame(self) -> None:
        """Close the frame: pulses and onsets seen in it end, and subscribers hear once what moved."""
        self._pulses_live = set()
        self.modulation.end_frame()
        if not self._changed and not self._removed:
            return
        changes = Changes(MappingProxyType({a: self._base[a] for a in self._changed if a in self._base}),
                          tuple(a for a in self._removed if a not in self._base),
                          MappingProxyType({a: o for a, o in self._changed.items() if o and a in self._base}))
        self._changed, self._removed = {}, {}
        for callback in list(self._subscribers):
            try:
                callback(changes)
            except Exception as exc:  # a controller's bug must not stop the show
                log.exception("change subscriber failed")
                self.session.say(f"a controller failed on a change notice ({type(exc).__name__}: {exc})", error=True)

    def subscribe(self, callback: Callable[[Changes], None]) -> Callable[[], None]:
        """Call ``callback`` once per frame in which something moved; returns an unsubscribe."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def beat(self, frame_time: float) -> Beat:
        """Where the music is at ``frame_time`` (BPM, beat, beat and bar phase)."""
        self._follow_tempo(frame_time)
        return self.tempo.at(frame_time)

    def _follow_tempo(self, frame_time: float) -> None:
        """The tempo settings are slots (OSC, MIDI and the panel set them): the clock follows,
        keeping the beat continuous."""
        bpm, bar = self._base.get(BPM), self._base.get(BEATS_PER_BAR)
        if bpm is not None and bpm != self.tempo.bpm:
            self.tempo.set_bpm(bpm, frame_time)
        if bar is not None and bar != self.tempo.beats_per_bar:
            self.tempo.beats_per_bar = int(bar)
        self.tempo.lead = float(self._base.get(LATENCY, 0.0)) / 1000.0

    def _declared(self, address: str) -> InputSpec | None:
        slot = self._slots.get(address)
        return slot.spec if slot is not None else None

    # -- snapshots -------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        chain = tuple((s.id, s.name, s.enabled) for s in self.chain.slots)
        return Snapshot(chain, MappingProxyType(dict(self._base)))

    def restore(self, snapshot: Snapshot) -> list[str]:
        """Recall a snapshot's order, bypass and values for whatever still exists (clamped to
        today's ranges). Returns the addresses it held that the show no longer has."""
        ids = [slot_id for slot_id, _, _ in snapshot.chain if slot_id in self.chain.ids]
        self.chain.order(ids)
        for slot_id, _, enabled in snapshot.chain:
            if slot_id in self.chain.ids:
                self.chain.get(slot_id).enabled = enabled
        missing = []
        for address, value in snapshot.values.items():
            if address not in self._slots:
                missing.append(address)
            elif self._slots[address].spec.type != "event":
                try:
                    self.set(address, value, clamp=True)
                except ShaderlabError:
                    missing.append(address)
        return missing

    def blend(self, a: Snapshot, b: Snapshot, t: float) -> Snapshot:
        """A snapshot ``t`` of the way from ``a`` to ``b`` (0..1), for crossfading cues."""
        t = min(max(float(t), 0.0), 1.0) if t == t else 0.0
        values = dict(a.values if t < 0.5 else b.values)
        for address in a.values.keys() & b.values.keys():
            slot = self._slots.get(address)
            if slot is not None:
                values[address] = interpolated(slot.spec, a.values[address], b.values[address], t)
        return Snapshot(a.chain if t < 0.5 else b.chain, MappingProxyType(values))

    # -- internals -------------------------------------------------------------------------
    def _spec(self, name: str) -> EffectSpec:
        if self.spec_of is None:
            raise ShowError(f"cannot add {name!r}: this show has no effect library")
        return self.spec_of(name)

    def _checked_values(self, slot: ChainSlot, values: Mapping[str, Any]) -> dict[str, Any]:
        """An effect's values: defaults, overridden by ``values`` checked strictly."""
        declared = {i.name: i for i in _inputs(slot.spec)}
        out = {name: spec.default for name, spec in declared.items()}
        for name, value in values.items():
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise ShowError(f"effect {slot.name!r} has no input {name!r} (it has: {known})")
            if declared[name].type != "event":
                out[name] = validate(chain_address(slot.id, name), declared[name], value, clamp=False)
        return out

    def _declare(self, address: str, spec: InputSpec, value: Any) -> None:
        self._slots[address] = Slot(address, spec)
        self._write(address, False if spec.type == "event" else value)

    def _undeclare(self, address: str) -> None:
        self._slots.pop(address, None)
        self._base.pop(address, None)
        self._changed.pop(address, None)
        self._pulses_pending.discard(address)
        self._pulses_live.discard(address)
        self._removed[address] = None


def _inputs(spec: EffectSpec) -> tuple[InputSpec, ...]:
    """The inputs that are slots: all but the chain's own picture."""
    return tuple(i for i in spec.inputs if i.name != "inputImage")


def _usable(slot: Slot, proposed: Any, fallback: Any) -> Any:
    if not is_finite_value(proposed):
        return fallback
    try:
        return validate(slot.address, slot.spec, proposed, clamp=True)
    except ShaderlabError:
        return fallback


def _near(address: str, known: Mapping[str, Slot]) -> str:
    import difflib

    # Only among the same effect's (or group's) inputs: the likely slip, and cheap enough for a
    # controller that sends a wrong address many times a second.
    group = address.rpartition("/")[0] + "/"
    candidates = [a for a in known if a.startswith(group)]
    close = difflib.get_close_matches(address, candidates, n=1) if candidates else []
    return f"; did you mean {close[0]!r}?" if close else ""
