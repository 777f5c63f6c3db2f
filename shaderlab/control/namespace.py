"""The show's address space as control surfaces see it, and OSC messages turned into commands.

Every slot of the store is an OSC method: ``/shaderlab/<store address>`` (so
``/shaderlab/chain/blur/radius``, ``/shaderlab/settings/sort/auto``), plus ``.../norm`` taking
0..1 across the declared range; the app's commands have addresses of their own
(``/shaderlab/save``, ``/shaderlab/scene/load``, ``/shaderlab/sort/step`` …, listed in
:data:`ACTIONS`). The GL thread publishes an immutable :class:`Namespace` whenever the show
changes; receiver threads translate with it, so nothing here touches the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import InputSpec
from shaderlab.show import commands as c
from shaderlab.show.settings import SORT_AUTO
from shaderlab.show.slots import TEXT
from shaderlab.show.store import Store

PREFIX = "/shaderlab"
NORM = "norm"


class ControlError(ShaderlabError):
    """A message a surface sent that the show cannot take: one line that says why."""


@dataclass(frozen=True)
class Namespace:
    """Every slot's declaration and base value, and the chain's effects, at one moment."""

    slots: Mapping[str, InputSpec] = field(default_factory=lambda: MappingProxyType({}))
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: (slot id, effect name as the library knows it) in chain order.
    chain: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, store: Store) -> "Namespace":
        """The store as it is now (on the GL thread)."""
        addresses = store.addresses()
        return cls(MappingProxyType({a: store.slot(a).spec for a in addresses}),
                   MappingProxyType({a: store.get(a) for a in addresses}),
                   tuple((s.id, s.name) for s in store.chain.slots))

    def with_values(self, values: Mapping[str, Any]) -> "Namespace":
        return Namespace(self.slots, MappingProxyType({**self.values, **{k: v for k, v in values.items() if k in self.slots}}),
                         self.chain)

    def store_address(self, osc_address: str) -> tuple[str, bool] | None:
        """(store address, normalised?) of an OSC address naming a slot, or None. A chain
        effect may be named by its slot id or, where unique, by its effect's name."""
        if not osc_address.startswith(PREFIX + "/"):
            return None
        address = osc_address[len(PREFIX) + 1:]
        normalised = address.endswith("/" + NORM) and address not in self.slots
        if normalised:
            address = address[: -len(NORM) - 1]
        if address in self.slots:
            return address, normalised
        parts = address.split("/")
        if len(parts) == 3 and parts[0] == "chain":
            named = [slot_id for slot_id, name in self.chain if Path(name).stem == parts[1]]
            if len(named) == 1 and f"chain/{named[0]}/{parts[2]}" in self.slots:
                return f"chain/{named[0]}/{parts[2]}", normalised
        return None


def osc_address(store_address: str, normalised: bool = False) -> str:
    return f"{PREFIX}/{store_address}" + (f"/{NORM}" if normalised else "")


def commands_for(namespace: Namespace, address: str, args: Sequence[Any], origin: str = "") -> list[c.Command]:
    """The commands one OSC message means, or :class:`ControlError` with one line."""
    found = namespace.store_address(address)
    if found is not None:
        command = _value_command(namespace, *found, list(args), origin)
        return [command] if command is not None else []
    action = ACTIONS.get(address)
    if action is not None:
        return [action[0](list(args))]
    slot_action = _slot_action(namespace, address, list(args))
    if slot_action is not None:
        return [slot_action]
    raise ControlError(f"{address}: no such address in the show{_near(namespace, address)}")


def _value_command(namespace: Namespace, address: str, normalised: bool, args: list, origin: str) -> c.Command | None:
    spec = namespace.slots[address]
    where = osc_address(address, normalised)
    kind = spec.type
    if kind == "event":
        if not args or _truthy(args[0], where):  # a button's release (0) does not fire
            return c.Pulse(address)
        return None  # released: nothing to do
    if kind == "bool":
        if not args:
            return c.Toggle(address)
        return c.SetValue(address, _truthy(args[0], where), origin=origin)
    if spec.is_image or kind == TEXT:
        text = _one(args, where, str, "a text")
        return c.SetValue(address, text or None if spec.is_image else text, origin=origin)
    if kind in ("point2D", "color"):
        wanted = (2,) if kind == "point2D" else (3, 4)
        if len(args) not in wanted or not all(_is_number(a) for a in args):
            count = " or ".join(map(str, wanted))
            raise ControlError(f"{where}: give {count} numbers, not {_shown(args)}")
        values = [float(a) for a in args]
        if kind == "color" and len(values) == 3:
            values.append(1.0)
        if normalised:
            values = [_denormalised(spec, v, i, where) for i, v in enumerate(values)]
        return c.SetValue(address, tuple(values), origin=origin)
    if spec.values:  # a menu: a label, an index, or normalised across the entries
        raw = _one(args, where, (str, int, float), "a label or an index")
        if isinstance(raw, str):
            if raw not in spec.labels:
                raise ControlError(f"{where}: {raw!r} is not one of {', '.join(spec.labels)}")
            return c.SetValue(address, spec.values[spec.labels.index(raw)], origin=origin)
        _check_finite(raw, where)
        index = round(float(raw) * (len(spec.values) - 1)) if normalised else int(round(float(raw)))
        if not 0 <= index < len(spec.values):
            raise ControlError(f"{where}: index {raw} is outside 0..{len(spec.values) - 1}")
        return c.SetValue(address, spec.values[index], origin=origin)
    raw = _one(args, where, (int, float), "a number")
    _check_finite(raw, where)
    value = _denormalised(spec, float(raw), 0, where) if normalised else raw
    if kind == "long":
        if isinstance(value, float) and not normalised and value != int(value):
            raise ControlError(f"{where}: {raw} is not a whole number")
        value = int(round(value))
    else:
        value = float(value)
    return c.SetValue(address, value, origin=origin)


def _denormalised(spec: InputSpec, x: float, index: int, where: str) -> float:
    _check_finite(x, where)
    low, high = spec.min, spec.max
    if isinstance(low, tuple):
        low, high = low[index % len(low)], high[index % len(high)]
    if low is None or high is None:
        if spec.type == "color":
            low, high = 0.0, 1.0
        else:
            raise ControlError(f"{where}: this input declares no range, so /{NORM} cannot scale; send its own units")
    return low + min(max(x, 0.0), 1.0) * (high - low)


# -- the app's commands --------------------------------------------------------------------
def _no_args(make: Callable[[], c.Command]) -> Callable[[list], c.Command]:
    return lambda args: make()


def _path_arg(make: Callable[[Path], c.Command], what: str) -> Callable[[list], c.Command]:
    return lambda args: make(Path(_one(args, what, str, "a file path")))


def _sort_step(full: bool) -> Callable[[list], c.Command]:
    def make(args: list) -> c.Command:
        direction = _one(args, "sort direction", str, "right, left, up or down")
        if direction not in ("right", "left", "up", "down"):
            raise ControlError(f"{PREFIX}/sort/step: {direction!r} is not right, left, up or down")
        return c.SortStep(direction, full)
    return make


def _select(args: list) -> c.Command:
    if len(args) != 4 or not all(_is_number(a) for a in args):
        raise ControlError(f"{PREFIX}/select: give x0 y0 x1 y1 in output pixels, not {_shown(args)}")
    return c.Select((float(args[0]), float(args[1])), (float(args[2]), float(args[3])))


def _generate(args: list) -> c.Command:
    if not args or not isinstance(args[0], str):
        raise ControlError(f"{PREFIX}/generate: give a kind (clouds, landscape, books), then a model and a seed if wanted")
    model = args[1] if len(args) > 1 and isinstance(args[1], str) and args[1] else None
    seed = int(args[2]) if len(args) > 2 and _is_number(args[2]) else 0
    return c.Generate(args[0], model, seed)


def _store_address(text: str) -> str:
    return text[len(PREFIX) + 1:] if text.startswith(PREFIX + "/") else text


def _modulate(args: list) -> c.Command:
    where = f"{PREFIX}/modulate"
    if len(args) < 2 or not all(isinstance(a, str) for a in args[:2]):
        raise ControlError(f"{where}: give an address and a shape, then a rate (Hz or a sync like '1 bar') and a depth")
    route: dict = {"address": _store_address(args[0]), "shape": args[1]}
    if len(args) > 2:
        route["sync" if isinstance(args[2], str) else "hz"] = args[2]
    if len(args) > 3:
        route["depth"] = args[3]
    return c.Modulate(tuple(route.items()))


def _clip_seek(args: list) -> c.Command:
    where = f"{PREFIX}/clip/seek"
    fraction = _one(args, where, (int, float), "a place in the clip, 0..1")
    _check_finite(fraction, where)
    return c.ClipSeek(float(fraction))


def _trigger(args: list) -> c.Command:
    where = f"{PREFIX}/trigger"
    name = args[0] if args and isinstance(args[0], str) else "hit"
    rest = args[1:] if args and isinstance(args[0], str) else args
    gate = _truthy(_one(rest, where, (int, float, bool), "1 (held) or 0 (let go)"), where) if rest else None
    return c.Trigger(name.strip() or "hit", gate)


def _record_gesture(args: list) -> c.Command:
    where = f"{PREFIX}/gesture/record"
    if not args or not isinstance(args[0], str):
        raise ControlError(f"{where}: give an address (chain/blur/radius), then a number of bars")
    bars = args[1] if len(args) > 1 else 1
    if isinstance(bars, bool) or not isinstance(bars, (int, float)) or not 1 <= bars <= 64 or bars != int(bars):
        raise ControlError(f"{where}: bars is a whole number within 1..64, not {bars!r}")
    return c.RecordGesture(_store_address(args[0]), int(bars))


def _learn_target(args: list) -> str | None:
    """A slot's store address, or a command's OSC address (no argument: stop learning)."""
    if not args:
        return None
    target = _one(args, f"{PREFIX}/midi/learn", str, "an address (chain/blur/radius or /shaderlab/save)")
    return target[len(PREFIX) + 1:] if target.startswith(PREFIX + "/") and target not in ACTIONS else target


def _add(args: list) -> c.Command:
    name = _one(args[:1], f"{PREFIX}/chain/add", str, "an effect name")
    index = int(args[1]) if len(args) > 1 and _is_number(args[1]) else None
    return c.AddEffect(name, index)


#: Addresses of the app's commands: address → (make from arguments, what it takes).
ACTIONS: dict[str, tuple[Callable[[list], c.Command], str]] = {
    f"{PREFIX}/save": (_no_args(c.SaveOutput), "save the picture and its scene"),
    f"{PREFIX}/scene/load": (_path_arg(c.LoadScene, f"{PREFIX}/scene/load"), "load a scene (a path)"),
    f"{PREFIX}/scene/save": (_path_arg(c.SaveScene, f"{PREFIX}/scene/save"), "save the scene (a path)"),
    f"{PREFIX}/image": (_path_arg(c.OpenImage, f"{PREFIX}/image"), "open a picture (a path)"),
    f"{PREFIX}/camera": (lambda args: c.OpenCamera(str(args[0]) if args else ""),
                         "a camera becomes the source (an index, a device, a part of its name; none: the first)"),
    f"{PREFIX}/ndi/in": (lambda args: c.OpenCamera(_text(args, f"{PREFIX}/ndi/in", "a part of an NDI source's name"), ndi=True),
                         "an NDI source becomes the source (a part of its name)"),
    f"{PREFIX}/clip/seek": (_clip_seek,
                            "scrub the clip: 0 its first frame, 1 its last"),
    f"{PREFIX}/clip/cue": (lambda args: c.ClipCue(int(_one(args, f"{PREFIX}/clip/cue", int, "a cue point number (1 is the first)"))),
                           "jump to a cue point of the clip (1 is the first)"),
    f"{PREFIX}/clip/mark": (_no_args(c.ClipMark), "the clip's play head becomes a cue point"),
    f"{PREFIX}/bake": (_no_args(c.UseOutputAsSource), "what is on screen becomes the source"),
    f"{PREFIX}/chain/add": (_add, "add an effect (a name or path, then an index if wanted)"),
    f"{PREFIX}/sort/step": (_sort_step(False), "sort a step that way (right, left, up, down)"),
    f"{PREFIX}/sort/full": (_sort_step(True), "sort fully that way"),
    f"{PREFIX}/sort/reset": (_no_args(c.SortReset), "back to the unsorted picture"),
    f"{PREFIX}/sort/auto": (_no_args(lambda: c.Toggle(SORT_AUTO)), "auto sort on / off"),
    f"{PREFIX}/select": (_select, "zoom into x0 y0 x1 y1 (output pixels)"),
    f"{PREFIX}/select/undo": (_no_args(c.UndoSelection), "undo the last selection"),
    f"{PREFIX}/view/fit": (_no_args(c.ViewFit), "fit the picture in the window"),
    f"{PREFIX}/view/actual": (_no_args(c.ViewActualSize), "one output pixel per screen pixel"),
    f"{PREFIX}/fullscreen": (_no_args(c.ToggleFullscreen), "fullscreen on / off"),
    f"{PREFIX}/panel": (_no_args(c.TogglePanel), "show / hide the panel"),
    f"{PREFIX}/generate": (_generate, "a new picture: kind, model (empty: built in), seed"),
    f"{PREFIX}/record/start": (lambda args: c.RecordStart(Path(args[0]) if args else None), "start recording (a path if wanted)"),
    f"{PREFIX}/record/stop": (_no_args(c.RecordStop), "stop recording"),
    f"{PREFIX}/quit": (_no_args(c.Quit), "quit the show"),
    f"{PREFIX}/tempo/tap": (_no_args(c.TapTempo), "tap the tempo"),
    f"{PREFIX}/tempo/nudge": (lambda args: c.NudgeBeat(float(_one(args, f"{PREFIX}/tempo/nudge", (int, float), "beats"))),
                              "move the beat by a number of beats (negative: back)"),
    f"{PREFIX}/tempo/resync": (_no_args(c.Resync), "a bar starts now"),
    f"{PREFIX}/modulate": (_modulate, "route an LFO: address, shape, rate (Hz, or a sync such as '1 bar'), depth"),
    f"{PREFIX}/unmodulate": (lambda args: c.Unmodulate(_store_address(_one(args, f"{PREFIX}/unmodulate", str, "an address"))),
                             "remove the LFOs on an address"),
    f"{PREFIX}/midi/learn": (lambda args: c.MidiLearn(_learn_target(args)), "map the next MIDI control moved to an address"),
    f"{PREFIX}/cue/go": (_no_args(c.CueGo), "the next cue (on its beat or bar)"),
    f"{PREFIX}/cue/back": (_no_args(c.CueBack), "the cue before"),
    f"{PREFIX}/cue/jump": (lambda args: c.CueJump(int(_one(args, f"{PREFIX}/cue/jump", int, "a cue number (1 is the first)"))),
                           "jump to a cue by its number (1 is the first)"),
    f"{PREFIX}/cue/capture": (lambda args: c.CaptureCue(str(args[0]) if args else ""), "the show as it is becomes a cue"),
    f"{PREFIX}/set/load": (_path_arg(c.LoadSet, f"{PREFIX}/set/load"), "load a set (a path)"),
    f"{PREFIX}/set/save": (lambda args: c.SaveSet(Path(_text(args, f"{PREFIX}/set/save", "a file path")) if args else None),
                           "save the set (a path if wanted)"),
    f"{PREFIX}/show/panic": (_no_args(c.Panic), "panic: feedback cleared, auto sort and modulators off"),
    f"{PREFIX}/show/performance": (_no_args(c.TogglePerformance), "performance mode on / off"),
    f"{PREFIX}/trigger": (_trigger, "fire a trigger for envelopes: a name (default hit), then 1 held / 0 let go if wanted"),
    f"{PREFIX}/gesture/record": (_record_gesture, "record the hand on an address for a number of bars (default 1), then loop it"),
}
#: Per-effect commands: ``/shaderlab/chain/<slot>/<verb>`` (an input of that name wins).
SLOT_ACTIONS = {
    "remove": "take the effect out of the chain",
    "bypass": "bypass on (1) / off (0); no argument flips it",
    "move": "move by a number of places (negative: up the chain)",
    "transition": "play a transition's progress 0 → 1 (seconds if wanted)",
}


def _slot_action(namespace: Namespace, address: str, args: list) -> c.Command | None:
    parts = address[len(PREFIX) + 1:].split("/") if address.startswith(PREFIX + "/") else []
    if len(parts) != 3 or parts[0] != "chain" or parts[2] not in SLOT_ACTIONS:
        return None
    ids = {slot_id for slot_id, _ in namespace.chain}
    slot_id = parts[1]
    if slot_id not in ids:
        named = [i for i, name in namespace.chain if Path(name).stem == slot_id]
        if len(named) != 1:
            raise ControlError(f"{address}: no effect {slot_id!r} in the chain ({', '.join(sorted(ids)) or 'it is empty'})")
        slot_id = named[0]
    verb = parts[2]
    if verb == "remove":
        return c.RemoveEffect(slot_id)
    if verb == "bypass":
        return c.BypassEffect(slot_id, _truthy(args[0], address) if args else None)
    if verb == "move":
        offset = _one(args, address, (int, float), "a number of places")
        return c.MoveEffect(slot_id, int(offset))
    seconds = float(args[0]) if args and _is_number(args[0]) else 2.0
    return c.PlayTransition(slot_id, seconds)


# -- arguments -----------------------------------------------------------------------------
def _one(args: Sequence[Any], where: str, kinds: type | tuple[type, ...], what: str) -> Any:
    if len(args) != 1 or not isinstance(args[0], kinds) or isinstance(args[0], bool) and bool not in _tuple(kinds):
        raise ControlError(f"{where}: give {what}, not {_shown(args)}")
    return args[0]


def _text(args: Sequence[Any], where: str, what: str) -> str:
    text = _one(args, where, str, what)
    if not text.strip():
        raise ControlError(f"{where}: give {what}, not an empty text")
    return text.strip()


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _truthy(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if _is_number(value):
        _check_finite(value, where)
        return float(value) >= 0.5
    raise ControlError(f"{where}: give true/false or 1/0, not {_shown([value])}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_finite(value: Any, where: str) -> None:
    if not math.isfinite(float(value)):
        raise ControlError(f"{where}: {value} is not a finite number")


def _shown(args: Sequence[Any]) -> str:
    text = " ".join(repr(a) for a in args) or "no arguments"
    return text if len(text) <= 60 else text[:57] + "..."


def _near(namespace: Namespace, address: str) -> str:
    import difflib

    known = [osc_address(a) for a in namespace.slots] + list(ACTIONS)
    close = difflib.get_close_matches(address, known, n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""
