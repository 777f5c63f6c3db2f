"""A set: an ordered list of cues, each a scene and how to reach it — a cut, a crossfade (plain,
or through any ISF transition), or a morph of the values — over seconds or beats, launched at
once or on the next beat or bar. Saved and loaded as TOML beside its scenes:

    # shaderlab set
    [[cue]]
    name = "Intro"
    scene = "scenes/intro.toml"     # relative to the set file
    transition = "crossfade"        # cut, crossfade, morph, or an ISF transition (a name or a .fs)
    beats = 8                       # or seconds = 2.0
    quantise = "bar"                # none, beat or bar

Pure data and arithmetic: the app launches cues (app/cues.py), the stage draws the fades.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from shaderlab.errors import SceneError
from shaderlab.io.atomic import Output
from shaderlab.scene import Scene, load_scene, read_toml
from shaderlab.show.tempo import MusicalClock

TRANSITIONS = ("cut", "crossfade", "morph")
QUANTISE = ("none", "beat", "bar")
_KEYS = ("name", "scene", "transition", "seconds", "beats", "quantise")


@dataclass(frozen=True)
class Cue:
    name: str
    scene: Path  # absolute
    transition: str = "crossfade"  # cut, crossfade, morph, or an ISF transition's name or path
    seconds: float | None = None
    beats: float | None = None
    quantise: str = "none"

    def duration(self, clock: MusicalClock | None) -> float:
        """Seconds the transition lasts (beats at the clock's tempo; a cut: 0)."""
        if self.transition == "cut":
            return 0.0
        if self.beats is not None:
            return self.beats * 60.0 / (clock.bpm if clock is not None else 120.0)
        return self.seconds if self.seconds is not None else 1.0

    def saved(self, folder: Path) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "scene": _relative(self.scene, folder), "transition": self.transition}
        if self.beats is not None:
            out["beats"] = self.beats
        elif self.seconds is not None:
            out["seconds"] = self.seconds
        if self.quantise != "none":
            out["quantise"] = self.quantise
        return out


@dataclass
class CueList:
    path: Path | None = None  # the set file (None: not saved yet)
    cues: list[Cue] = field(default_factory=list)
    current: int | None = None  # the cue on show (0-based)
    scenes: dict[Path, Scene] = field(default_factory=dict)  # read when the set was loaded

    def scene(self, index: int) -> Scene:
        """The cue's scene (as read when the set or the cue was loaded: a file broken since
        cannot take the show down mid-set)."""
        cue = self.cues[index]
        if cue.scene not in self.scenes:
            self.scenes[cue.scene] = load_scene(cue.scene)
        return self.scenes[cue.scene]

    def move(self, index: int, offset: int) -> int:
        """Move a cue up (negative) or down the list; returns where it went."""
        target = min(max(index + offset, 0), len(self.cues) - 1)
        cue = self.cues.pop(index)
        self.cues.insert(target, cue)
        if self.current == index:
            self.current = target
        elif self.current is not None and min(index, target) <= self.current <= max(index, target):
            self.current += 1 if target < index else -1
        return target


def launch_beat(cue: Cue, clock: MusicalClock, t: float) -> float | None:
    """The beat a cue launched at ``t`` waits for: the next beat or bar line (None: now)."""
    if cue.quantise == "none" or not clock.running:
        return None
    per = 1 if cue.quantise == "beat" else clock.beats_per_bar
    beat = clock.beat_at(t)
    line = math.ceil(beat / per - 1e-6) * per
    return float(line)


def load_set(path: Path) -> CueList:
    """Read a set file and every scene it names; one line naming the file when anything is wrong."""
    path = Path(path)
    data = read_toml(path, "set")
    entries = data.get("cue", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SceneError(f"{path}: cues are [[cue]] tables (name, scene, transition, seconds or beats, quantise)")
    cues = [_cue(path, n, entry) for n, entry in enumerate(entries, start=1)]
    cue_list = CueList(path, cues)
    for index, cue in enumerate(cues):
        try:
            cue_list.scene(index)
        except SceneError as exc:
            raise SceneError(f"{path}: cue {index + 1} ({cue.name}): {exc}") from None
    return cue_list


def save_set(cue_list: CueList, path: Path, overwrite: bool = False) -> None:
    """Write the set beside its final name and rename it there (a set is never half written)."""
    path = Path(path)
    folder = path.resolve().parent
    text = "# shaderlab set\n" + tomli_w.dumps({"cue": [cue.saved(folder) for cue in cue_list.cues]})
    with Output(path, overwrite, hint=" or save it under another name") as out:
        out.temporary.write_text(text, encoding="utf-8")
    cue_list.path = path


def _cue(path: Path, number: int, entry: dict[str, Any]) -> Cue:
    where = f"{path}: cue {number}"
    unknown = sorted(set(entry) - set(_KEYS))
    if unknown:
        raise SceneError(f"{where}: unknown key {unknown[0]!r} (a cue has {', '.join(_KEYS)})")
    if not isinstance(entry.get("scene"), str) or not entry["scene"].strip():
        raise SceneError(f"{where}: needs scene = \"a scene file\"")
    scene = (path.resolve().parent / entry["scene"]).resolve()
    transition = entry.get("transition", "crossfade")
    if not isinstance(transition, str) or not transition.strip():
        raise SceneError(f"{where}: transition is one of {', '.join(TRANSITIONS)} or an ISF transition's name")
    quantise = entry.get("quantise", "none")
    if quantise not in QUANTISE:
        raise SceneError(f"{where}: quantise is one of {', '.join(QUANTISE)}, not {quantise!r}")
    if "seconds" in entry and "beats" in entry:
        raise SceneError(f"{where}: give seconds or beats, not both")
    length: dict[str, float] = {}
    for key in ("seconds", "beats"):
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not 0 <= value <= 600:
                raise SceneError(f"{where}: {key} is a number within 0..600, not {value!r}")
            length[key] = float(value)
    name = entry.get("name", scene.stem)
    return Cue(str(name), scene, transition.strip(), length.get("seconds"), length.get("beats"), quantise)


def captured(cue_list: CueList, scene_path: Path, name: str, like: Cue | None = None) -> Cue:
    """A new cue of a scene just saved, with the transition of ``like`` (the current cue)."""
    cue = Cue(name, Path(scene_path).resolve())
    return replace(like, name=name, scene=cue.scene) if like is not None else cue


def _relative(scene: Path, folder: Path) -> str:
    try:
        return scene.relative_to(folder).as_posix()
    except ValueError:
        return str(scene)
