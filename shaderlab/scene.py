"""Scene files (TOML): the source image and the ordered effects with their values.

    [source]
    image = "coffee.png"          # relative to the scene file
    depth = "coffee-depth.png"    # optional: near = bright (depth_invert = true for near = dark)

    [[effects]]
    name = "blur"
    enabled = true
    params = { radius = 4.0 }

Loading checks the structure and names the field that is wrong; parameter values are checked
against the effects' headers when the chain is built, like values from anywhere else.
"""

from __future__ import annotations

import difflib
import math
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from shaderlab.errors import SceneError
from shaderlab.io.save import write_new
from shaderlab.params import MAX_EFFECTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)


@dataclass
class EffectEntry:
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    #: The effect's slot id in the show (``chain/<id>/<input>``), kept so controllers stay mapped.
    id: str | None = None


@dataclass
class Scene:
    image: Path | None = None
    effects: list[EffectEntry] = field(default_factory=list)
    #: A depth map for the image (near = bright; `depth_invert` for the other convention).
    depth: Path | None = None
    depth_invert: bool = False
    #: The musical tempo ({"bpm": 128, "beats_per_bar": 4}); None: as the show has it.
    tempo: dict[str, Any] | None = None
    #: LFO routes ([[modulation]] tables: address, shape, hz or sync, depth …), checked by the show.
    modulation: list[dict[str, Any]] = field(default_factory=list)
    #: How a clip source plays ({"speed": 1.0, "mode": "loop", "cue_points": [seconds …]}), kept
    #: under [source]; None: as the show has it.
    clip: dict[str, Any] | None = None

    def chain(self) -> list[tuple[str, dict[str, Any]]]:
        """The enabled effects as the Renderer takes them."""
        return [(e.name, dict(e.params)) for e in self.effects if e.enabled]


def load_scene(path: str | Path) -> Scene:
    path = Path(path)
    return _scene_from(path, read_toml(path, "scene"))


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file (a scene, a set), or one line saying why it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SceneError(f"{path}: no such {what} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path}: cannot read {what} ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SceneError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise SceneError(f"{path}: tables or arrays nested too deeply to be a {what}") from None


#: How a clip plays, under [source]: speed (negative: backwards), mode, cue points in seconds.
CLIP_KEYS = ("speed", "mode", "cue_points")
CLIP_MODES = ("loop", "ping-pong", "once")

#: The keys a scene has at each level; anything else is warned about (a typo like ``imgae``
#: must not silently drop the picture).
SCENE_KEYS = {"": ("source", "effects", "tempo", "modulation"), "source": ("image", "depth", "depth_invert", *CLIP_KEYS),
              "effects": ("name", "enabled", "params", "id"), "tempo": ("bpm", "beats_per_bar", "latency_ms"),
              "modulation": ("address", "shape", "hz", "sync", "phase", "width", "seed", "depth", "offset",
                             "unipolar", "curve", "follow", "attack", "release", "trigger", "decay", "sustain",
                             "steps", "gesture", "bars", "start", "args")}


def _warn_unknown(path: Path, table: dict[str, Any], level: str) -> None:
    for key in table:
        if key not in SCENE_KEYS[level]:
            close = difflib.get_close_matches(key, SCENE_KEYS[level], n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(SCENE_KEYS[level])}"
            where = f"[{level}]" if level else "the top level"
            log.warning("%s: unknown key %r in %s, ignored; %s", path, key, where, hint)


def _scene_from(path: Path, data: dict[str, Any]) -> Scene:
    _warn_unknown(path, data, "")
    source = data.get("source", {})
    if not isinstance(source, dict):
        raise SceneError(f"{path}: [source] must be a table")
    _warn_unknown(path, source, "source")
    image = source.get("image")
    depth = source.get("depth")
    for key, value in (("image", image), ("depth", depth)):
        if value is not None and not isinstance(value, str):
            raise SceneError(f"{path}: source.{key} must be a file path string")
    depth_invert = source.get("depth_invert", False)
    if not isinstance(depth_invert, bool):
        raise SceneError(f"{path}: source.depth_invert must be true or false")
    effects_raw = data.get("effects", [])
    if not isinstance(effects_raw, list):
        raise SceneError(f"{path}: effects must be an array of tables ([[effects]])")
    if len(effects_raw) > MAX_EFFECTS:
        raise SceneError(f"{path}: {len(effects_raw)} effects is over the limit of {MAX_EFFECTS} in one chain")
    effects = []
    for index, raw in enumerate(effects_raw):
        where = f"{path}: effects[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise SceneError(f"{where} needs a name = \"effect\" string")
        _warn_unknown(path, raw, "effects")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise SceneError(f"{where}.params must be a table of values")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise SceneError(f"{where}.enabled must be true or false")
        slot_id = raw.get("id")
        if slot_id is not None and not isinstance(slot_id, str):
            raise SceneError(f"{where}.id must be a string")
        params = {k: _file_from_scene(v, path.parent) for k, v in params.items()}
        effects.append(EffectEntry(_file_from_scene(raw["name"], path.parent), params, enabled, slot_id))
    tempo = data.get("tempo")
    if tempo is not None:
        if not isinstance(tempo, dict):
            raise SceneError(f"{path}: [tempo] must be a table (bpm = 128)")
        _warn_unknown(path, tempo, "tempo")
    modulation = data.get("modulation", [])
    if not isinstance(modulation, list) or not all(isinstance(m, dict) for m in modulation):
        raise SceneError(f"{path}: modulation must be an array of tables ([[modulation]])")
    for route in modulation:
        _warn_unknown(path, route, "modulation")
    clip = _clip_from(path, source)
    return Scene(
        clip=clip,
        image=(path.parent / image).resolve() if image else None,
        effects=effects,
        depth=(path.parent / depth).resolve() if depth else None,
        depth_invert=depth_invert,
        tempo=tempo,
        modulation=modulation,
    )


def _clip_from(path: Path, source: dict[str, Any]) -> dict[str, Any] | None:
    clip = {key: source[key] for key in CLIP_KEYS if key in source}
    if not clip:
        return None
    speed = clip.get("speed", 1.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not math.isfinite(speed) or abs(speed) > 4:
        raise SceneError(f"{path}: source.speed must be a number from -4 to 4 (negative: backwards, 0: hold)")
    if clip.get("mode", "loop") not in CLIP_MODES:
        raise SceneError(f"{path}: source.mode must be one of {', '.join(CLIP_MODES)}")
    points = clip.get("cue_points", [])
    if not isinstance(points, list) or not all(
            isinstance(p, (int, float)) and not isinstance(p, bool) and math.isfinite(p) and p >= 0 for p in points):
        raise SceneError(f"{path}: source.cue_points must be a list of seconds into the clip, as [0.0, 4.5]")
    return {"speed": float(speed), "mode": clip.get("mode", "loop"), "cue_points": sorted(float(p) for p in points)}


def scene_text(scene: Scene, folder: Path) -> str:
    """The scene as TOML, with file paths (source, depth, effect files, image inputs) relative
    to ``folder`` where they can be."""
    data: dict[str, Any] = {}
    source: dict[str, Any] = {}
    if scene.image is not None:
        source["image"] = _relative(scene.image, folder)
    if scene.depth is not None:
        source["depth"] = _relative(scene.depth, folder)
        source["depth_invert"] = scene.depth_invert
    if scene.clip:
        source.update(scene.clip)
    if source:
        data["source"] = source
    data["effects"] = [
        {"name": _file_in_scene(e.name, folder), "enabled": e.enabled, "params": _plain(e.params, folder)}
        | ({"id": e.id} if e.id is not None else {})
        for e in scene.effects
    ]
    if scene.tempo:
        data["tempo"] = dict(scene.tempo)
    if scene.modulation:
        data["modulation"] = [dict(route) for route in scene.modulation]
    return "# shaderlab scene\n" + tomli_w.dumps(data)


def save_scene(scene: Scene, path: Path) -> None:
    """Write a new scene file; an existing file is never replaced."""
    try:
        write_new(path, scene_text(scene, path.parent).encode("utf-8"))
    except FileExistsError:
        raise SceneError(f"{path}: exists already; choose another name") from None
    except OSError as exc:
        raise SceneError(f"{path}: cannot write scene ({exc})") from None


def _relative(image: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(image, folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return image.as_posix()


def _file_in_scene(value: Any, folder: Path) -> Any:
    """Effect files and image inputs named by path are written relative to the scene, like
    its source image, so a folder of scene and files can move as one."""
    if isinstance(value, str) and Path(value).expanduser().is_file():
        return _relative(Path(value).expanduser().resolve(), folder)
    return value


def _file_from_scene(value: Any, folder: Path) -> Any:
    """A relative path that names a file beside the scene, made absolute; other values as is."""
    if isinstance(value, str) and not Path(value).is_absolute() and (folder / value).is_file():
        return str((folder / value).resolve())
    return value


def _plain(params: dict[str, Any], folder: Path) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else _file_in_scene(v, folder) for k, v in params.items()}
