"""The show log's format: one JSON line per frame the show rendered, with what changed in it.

A header line first, then per frame ``{"f": index, "t": show time, "tempo": [...], ...}`` with
only what changed since the frame before: ``values`` (resolved values by address — whatever set
them: a knob, OSC, MIDI, an LFO, the audio, a cue's morph), ``chain`` (slot ids, effects,
bypass), ``source`` and ``depth`` (files in the log's assets folder; a clip's frames as
``clip``: its path and frame number), ``sort`` (arrow keys or auto
sort asked for), ``fade`` (a cue's crossfade began) and ``said`` (the commands carried out, for
the reader). Replaying the values, not the commands, gives what the show rendered whatever
surface or modulator moved it — and the log reads as a history of the show.

Written as the show goes (flushed every second: a crash loses at most the last one) beside its
final name, and renamed there when the show ends; a log cut short by a crash replays as far as
it goes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from shaderlab.errors import SceneError

FORMAT = "shaderlab show log"
VERSION = 1


@dataclass
class FrameState:
    """The show at one frame, as the log rebuilds it."""

    index: int = -1  # the window's frame count (what "unrecorded" entries name)
    frame_index: int = 0  # FRAMEINDEX as effects saw it (0 on the first picture's first frame)
    time: float = 0.0
    tempo: tuple[float, float, float, float] = (120.0, 0.0, 0.0, 0.0)
    values: dict[str, Any] = field(default_factory=dict)
    #: (slot id, effect, rendered, serial): ``rendered`` false for a bypassed effect or one still
    #: on trial; the serial tells a slot rebuilt under the same id (its buffers start afresh).
    chain: list[tuple[str, str, bool, int | str]] = field(default_factory=list)
    source: Path | None = None
    depth: Path | None = None
    sort: tuple[str | None, bool] = (None, False)
    fade: tuple[float, float, str | None] | None = None  # a cue's fade beginning at this frame
    reset: str | None = None  # "sort" (R) or "panic" in this frame
    #: Where a log begun mid-show starts: the sort canvas and the frame a freeze held (files).
    canvas: Path | None = None
    held: Path | None = None
    #: Shadertoy's iMouse (x, y, press x, press y in output pixels) as the pointer gave it.
    mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    #: A clip's frame as the source: (the clip, its frame number), read from the clip again.
    clip: tuple[Path, int] | None = None
    source_changed: bool = False
    depth_changed: bool = False


def encode(value: Any) -> Any:
    """A value as JSON holds it (tuples as lists; paths as text; non-finite numbers never get here)."""
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def decode(value: Any) -> Any:
    return tuple(decode(v) for v in value) if isinstance(value, list) else value


def header(size: tuple[int, int], shaders: list[str]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "size": list(size), "shaders": shaders}


def read(path: Path) -> tuple[dict[str, Any], Iterator[FrameState]]:
    """The log's header and its frames, one state after another (cheap: one line at a time)."""
    path = Path(path)
    if not path.is_file():
        partial = path.with_name(path.name + ".partial")
        if partial.is_file():
            path = partial  # a show that crashed: replay as far as it got
        else:
            raise SceneError(f"{path}: no such show log")
    handle = path.open("r", encoding="utf-8")
    first = handle.readline()
    try:
        head = json.loads(first)
    except json.JSONDecodeError:
        handle.close()
        raise SceneError(f"{path}: not a shaderlab show log (its first line is not JSON)") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        handle.close()
        raise SceneError(f"{path}: not a shaderlab show log")
    if head.get("version") != VERSION:
        handle.close()
        raise SceneError(f"{path}: a show log of version {head.get('version')}; this shaderlab reads version {VERSION}")
    return head, _frames(path, handle)


def _frames(path: Path, handle: Any) -> Iterator[FrameState]:
    state = FrameState()
    assets = path.parent
    with handle:
        for number, line in enumerate(handle, start=2):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                if not line.endswith("\n"):
                    return  # the last line of a log cut short by a crash
                raise SceneError(f"{path}:{number}: a line that is not JSON") from None
            if "f" not in entry:
                continue
            try:
                state.index, state.time = int(entry["f"]), float(entry["t"])
                state.frame_index = int(entry.get("i", state.frame_index + 1))
            except (TypeError, ValueError):
                raise SceneError(f"{path}:{number}: a frame without its number or time") from None
            if not math.isfinite(state.time):
                raise SceneError(f"{path}:{number}: a frame time that is not a number")
            state.tempo = tuple(entry.get("tempo", state.tempo))  # type: ignore[assignment]
            for address, value in entry.get("values", {}).items():
                state.values[address] = decode(value)
            for address in entry.get("gone", []):
                state.values.pop(address, None)
            if "chain" in entry:
                state.chain = [(str(slot[0]), str(slot[1]), bool(slot[2]), slot[3] if len(slot) > 3 else str(slot[0]))
                               for slot in entry["chain"]]
            state.source_changed = "source" in entry or "clip" in entry
            if "source" in entry:
                state.source, state.clip = assets / entry["source"], None
            if "clip" in entry:
                state.clip = (Path(entry["clip"][0]), int(entry["clip"][1]))
            state.depth_changed = "depth" in entry
            if state.depth_changed:
                state.depth = assets / entry["depth"] if entry["depth"] else None
            state.canvas = assets / entry["canvas"] if "canvas" in entry else None
            state.held = assets / entry["held"] if "held" in entry else None
            if "mouse" in entry:
                state.mouse = tuple(float(v) for v in entry["mouse"][:4])
            sort = entry.get("sort")
            state.sort = (sort[0], bool(sort[1])) if sort else (None, False)
            state.reset = entry.get("reset")
            fade = entry.get("fade")
            state.fade = (float(fade[0]), float(fade[1]), fade[2]) if fade else None
            yield state
