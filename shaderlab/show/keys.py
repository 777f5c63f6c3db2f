"""The one key table: each key chord, the command it sends, and how the panel lists it.

The key handler looks chords up here and posts the command; the panel's shortcut list is made
from the same rows, so a key and its description cannot drift apart. Pointer gestures are
listed too (their commands carry coordinates, so the pointer builds them).
"""

from __future__ import annotations

from dataclasses import dataclass

from shaderlab.show.commands import (
    Command,
    CueBack,
    CueGo,
    Panic,
    Quit,
    TapTempo,
    SaveOutput,
    SortReset,
    SortStep,
    Toggle,
    ToggleFullscreen,
    TogglePanel,
    TogglePerformance,
    Trigger,
    UndoSelection,
    ViewActualSize,
    ViewFit,
)
from shaderlab.show.settings import BLACKOUT, FREEZE, SORT_AUTO, TEST_CARD


@dataclass(frozen=True)
class Binding:
    """``chords`` like ``"shift+right"`` or ``"ctrl+q"`` (lower case); ``label`` groups rows
    in the panel's list; ``held``: sent every frame the key is down, not once per press."""

    label: str
    description: str
    chords: tuple[str, ...] = ()
    command: Command | None = None
    held: bool = False


_ARROWS = ("right", "left", "up", "down")
_SORT = "sort the picture that way (shift: fully)"
_POINTER = "pointer"

TABLE: tuple[Binding, ...] = (
    *(Binding("arrows", _SORT, (d,), SortStep(d), held=True) for d in _ARROWS),
    *(Binding("arrows", _SORT, (f"shift+{d}",), SortStep(d, full=True)) for d in _ARROWS),
    Binding("space", "auto sort on / off", ("space",), Toggle(SORT_AUTO)),
    Binding("R", "reset the sort", ("r",), SortReset()),
    Binding("S", "save the image and its scene", ("s",), SaveOutput()),
    Binding("F", "fullscreen on / off", ("f",), ToggleFullscreen()),
    Binding("H", "hide / show the panel", ("h",), TogglePanel()),
    Binding("Z", "undo the last selection", ("z",), UndoSelection()),
    Binding("T", "tap the tempo", ("t",), TapTempo()),
    Binding("E", "fire the trigger (envelopes on 'hit')", ("e",), Trigger()),
    Binding("B", "blackout on / off (fades)", ("b",), Toggle(BLACKOUT)),
    Binding("X", "freeze: hold the frame on show", ("x",), Toggle(FREEZE)),
    Binding("ctrl+P", "panic: clear feedback, auto sort and modulators off", ("ctrl+p",), Panic()),
    Binding("ctrl+T", "test card on / off", ("ctrl+t",), Toggle(TEST_CARD)),
    Binding("P", "performance mode: only what the show needs", ("p",), TogglePerformance()),
    Binding("enter", "GO: the next cue", ("enter",), CueGo()),
    Binding("backspace", "the cue before", ("backspace",), CueBack()),
    Binding("drag", "select an area: zoom into it (sampler)", (_POINTER,)),
    Binding("click", "pick a network from a grid", (_POINTER,)),
    Binding("wheel", "zoom the view", (_POINTER,)),
    Binding("right drag", "pan the view", (_POINTER,)),
    Binding("0 / 1", "view: fit / 1:1", ("0", "keypad0"), ViewFit()),
    Binding("0 / 1", "view: fit / 1:1", ("1", "keypad1"), ViewActualSize()),
    Binding("ctrl+Q", "quit", ("ctrl+q",), Quit()),
)

_BY_CHORD: dict[str, Binding] = {c: b for b in TABLE if b.command is not None for c in b.chords}


def chord(key: str, ctrl: bool = False, shift: bool = False) -> str:
    return "+".join([*(["ctrl"] if ctrl else []), *(["shift"] if shift else []), key.lower()])


def lookup(key: str, ctrl: bool = False, shift: bool = False) -> Binding | None:
    """The binding for a key pressed with these modifiers: the exact chord first, then without
    ctrl, then without shift, then the bare key (``S`` saves with ctrl held too, as it always
    has; ctrl+shift+arrow is shift+arrow)."""
    for candidate in (chord(key, ctrl, shift), chord(key, shift=shift), chord(key, ctrl=ctrl), chord(key)):
        if candidate in _BY_CHORD:
            return _BY_CHORD[candidate]
    return None


def listing() -> tuple[tuple[str, str], ...]:
    """(keys, what they do) as the panel lists them, one row per label, in table order."""
    rows: dict[str, str] = {}
    for binding in TABLE:
        rows.setdefault(binding.label, binding.description)
    return tuple(rows.items())
