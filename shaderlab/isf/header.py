"""Parse the ISF ``/*{ JSON }*/`` header of an effect file into plain data (no GL here).

The format is the one VDMX, Resolume and the ISF Editor use (github.com/mrRay/ISF_Spec).
Files in the wild quote numbers (``"MIN": "0"``) and leave trailing commas; both are accepted
with a warning rather than refused. Every field is type-checked where it is read: a header
that is valid JSON but not a valid ISF header (``"CATEGORIES": 5``) is a :class:`ShaderError`
naming the file, like any other mistake in it.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shaderlab.errors import ShaderError

log = logging.getLogger(__name__)

#: The picture an ISF filter works on.
INPUT_IMAGE = "inputImage"
#: Inputs that take what the chain has so far: a filter's input, a transition's start.
CHAIN_INPUTS = (INPUT_IMAGE, "startImage")
#: The chain-wide depth map, for effects that declare an image input of this name.
DEPTH_IMAGE = "depthImage"
#: A pass key of ours: an expression; shaderlab skips the pass where it is 0 (PassSpec.when).
WHEN = "SHADERLAB_WHEN"

#: Input types whose value is a number or vector the panel can edit.
VALUE_TYPES = ("float", "long", "bool", "event", "color", "point2D")
#: Input types that are sampled as textures.
IMAGE_TYPES = ("image", "audio", "audioFFT")
INPUT_TYPES = VALUE_TYPES + IMAGE_TYPES

_TYPE_DEFAULTS: dict[str, Any] = {
    "float": 0.0,
    "long": 0,
    "bool": False,
    "event": False,
    "color": (0.0, 0.0, 0.0, 1.0),
    "point2D": (0.0, 0.0),
}
_HEADER = re.compile(r"\A\s*/\*(?P<json>.*?)\*/", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class InputSpec:
    """One declared input: its type, default and range, as the header says."""

    name: str
    type: str
    default: Any = None
    min: Any = None
    max: Any = None
    label: str = ""
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        return self.type in IMAGE_TYPES

    def to_json(self) -> dict[str, Any]:
        """The input as a JSON-ready dict (for ``shaderlab effects --json``)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        for key in ("default", "min", "max"):
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        if self.label:
            out["label"] = self.label
        if self.values:
            out["values"] = list(self.values)
            out["labels"] = list(self.labels)
        return out


@dataclass(frozen=True)
class PassSpec:
    """One render pass; ``target`` names the buffer it writes, None for the effect's output.

    ``width`` and ``height`` are the target's size as expressions (``"$WIDTH / 4.0"``);
    None is the render size. ``when`` (our ``SHADERLAB_WHEN`` extension) is an expression over
    the same variables: where it is 0 shaderlab skips the pass; other hosts run every pass, so a
    file must give the same picture either way (see ``shaders/blur.fs``)."""

    target: str | None = None
    persistent: bool = False
    float: bool = False
    width: str | None = None
    height: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class EffectSpec:
    """Everything the header of one effect file declares, plus its source text."""

    name: str
    path: Path
    source: str
    description: str = ""
    credit: str = ""
    categories: tuple[str, ...] = ()
    inputs: tuple[InputSpec, ...] = ()
    passes: tuple[PassSpec, ...] = (PassSpec(),)
    imported: dict[str, Path] = field(default_factory=dict)
    #: The companion vertex shader's text (``NAME.vs`` beside the file), if there is one.
    vertex: str | None = None
    #: "isf" (a fragment shader with this header), "native" or "shadertoy".
    kind: str = "isf"
    #: The passes of a Shadertoy program (see shadertoy/manifest.py).
    program: Any = None
    #: ``"INPUT_AT_RENDERSIZE": true`` (our extension; other hosts ignore it): inputImage is to
    #: be given at the render size, scaled first where it is not (render/fit.py), so the file may
    #: read whole pixels with texelFetch (blur, sharpen) where SHADERLAB is defined.
    input_at_render_size: bool = False

    def input(self, name: str) -> InputSpec | None:
        return next((i for i in self.inputs if i.name == name), None)

    @property
    def value_inputs(self) -> tuple[InputSpec, ...]:
        return tuple(i for i in self.inputs if not i.is_image)

    def defaults(self) -> dict[str, Any]:
        return {i.name: i.default for i in self.value_inputs}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "path": str(self.path),
            "categories": list(self.categories),
            "inputs": [i.to_json() for i in self.inputs],
        }


def parse_effect(path: Path, source: str | None = None) -> EffectSpec:
    """Read an effect file's header. Raises :class:`ShaderError` as ``file:line: message``."""
    path = Path(path)
    if source is None:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ShaderError(f"{path}: cannot read shader file ({exc})") from None
    match = _HEADER.match(source)
    if not match:
        raise ShaderError(f"{path}:1: no ISF header: the file must start with /*{{ JSON }}*/")
    header_text = match.group("json")
    first_line = source[: match.start("json")].count("\n") + 1
    header = _load_json(path, header_text, first_line)
    if not isinstance(header, dict):
        raise ShaderError(f"{path}:{first_line}: the ISF header must be a JSON object")

    inputs = tuple(_parse_input(path, raw, first_line) for raw in _list(header, "INPUTS", path))
    names = [i.name for i in inputs]
    if len(set(names)) != len(names):
        raise ShaderError(f"{path}:{first_line}: two INPUTS share a NAME")
    persistent = _persistent_buffers(header, path)
    passes = tuple(_parse_pass(path, raw, first_line, persistent) for raw in _list(header, "PASSES", path))
    for render_pass in passes:
        _check_size(path, first_line, render_pass, inputs)
    imported = {name: (path.parent / entry).resolve() for name, entry in _imported(header, path, first_line).items()}
    return EffectSpec(
        name=path.stem,
        path=path,
        source=source,
        description=str(header.get("DESCRIPTION") or ""),  # null in some files
        credit=str(header.get("CREDIT") or ""),
        categories=_strings(header, "CATEGORIES", path, first_line),
        inputs=inputs,
        passes=passes or (PassSpec(),),
        imported=imported,
        vertex=_companion_vertex_shader(path),
        input_at_render_size=_flag(header, "INPUT_AT_RENDERSIZE", path, first_line),
    )


def _flag(header: dict[str, Any], key: str, path: Path, line: int) -> bool:
    value = header.get(key, False)
    if not isinstance(value, bool):
        raise ShaderError(f"{path}:{line}: ISF header {key} must be true or false, not {_shown(value)}")
    return value


def _load_json(path: Path, text: str, first_line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    except RecursionError:
        raise ShaderError(f"{path}:{first_line}: broken ISF header: nested too deeply") from None
    relaxed = _TRAILING_COMMA.sub(r"\1", text)
    try:
        value = json.loads(relaxed)
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise ShaderError(f"{path}:{line}: broken ISF header: {exc.msg}") from None
    except RecursionError:
        raise ShaderError(f"{path}:{first_line}: broken ISF header: nested too deeply") from None
    log.warning("%s: ISF header has trailing commas; accepted", path)
    return value


def _list(header: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = header.get(key) or []  # null in some files
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ShaderError(f"{path}: ISF header {key} must be a list of objects")
    return value


def _strings(header: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    """A list of names (CATEGORIES); one name alone is accepted as a list of one."""
    raw = header.get(key) or []
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(v, (str, int, float)) for v in raw):
        raise ShaderError(f"{path}:{line}: ISF header {key} must be a list of names, not {_shown(raw)}")
    return tuple(str(v) for v in raw)


def _imported(header: dict[str, Any], path: Path, line: int) -> dict[str, str]:
    """IMPORTED images by name: their PATH relative to the file."""
    raw = header.get("IMPORTED") or {}
    if isinstance(raw, list):  # ISF v1 spelling: a list of {NAME, PATH}
        entries = [(e.get("NAME"), e) for e in raw if isinstance(e, dict)]
    elif isinstance(raw, dict):
        entries = list(raw.items())
    else:
        raise ShaderError(f"{path}:{line}: ISF header IMPORTED must be an object of {{\"PATH\": ...}} entries, not {_shown(raw)}")
    imported = {}
    for name, entry in entries:
        file = entry.get("PATH") if isinstance(entry, dict) else None
        if isinstance(entry, dict) and (entry.get("TYPE") == "cube" or isinstance(file, list)):
            raise ShaderError(f"{path}:{line}: IMPORTED {_shown(name)} is a cube map (six images); "
                              "shaderlab imports single 2D images only")
        if not isinstance(name, str) or not name.isidentifier() or not isinstance(file, str) or not file or "\0" in file:
            raise ShaderError(f"{path}:{line}: IMPORTED {_shown(name)} needs a NAME and a PATH to an image file")
        imported[name] = file
    return imported


def _shown(value: Any) -> str:
    """A header value quoted for a one-line message, cut short if long."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _persistent_buffers(header: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """ISF v1's PERSISTENT_BUFFERS: a list of names, or names with WIDTH/HEIGHT/FLOAT."""
    raw = header.get("PERSISTENT_BUFFERS", [])
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        return {str(name): {} for name in raw}
    if isinstance(raw, dict):
        return {str(k): (v if isinstance(v, dict) else {}) for k, v in raw.items()}
    raise ShaderError(f"{path}: PERSISTENT_BUFFERS must be a list or an object")


def _parse_pass(path: Path, raw: dict[str, Any], line: int, persistent: dict[str, dict[str, Any]]) -> PassSpec:
    target = raw.get("TARGET") or None
    if target is not None and (not isinstance(target, str) or not target.isidentifier()):
        raise ShaderError(f"{path}:{line}: PASSES TARGET must be a name, not {_shown(target)}")
    v1 = persistent.get(target, {}) if target else {}
    for key in raw:
        if key.rstrip(":") != key and key.rstrip(":") in ("WIDTH", "HEIGHT", "TARGET", "FLOAT", "PERSISTENT", WHEN):
            log.warning("%s: PASSES key %r has a stray colon; ignored", path, key)
    size = {k: raw.get(k, v1.get(k)) for k in ("WIDTH", "HEIGHT")}
    for key, value in size.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
            raise ShaderError(f"{path}:{line}: PASSES {key} must be a number or an expression, not {_shown(value)}")
    when = raw.get(WHEN)
    if when is not None and not isinstance(when, (str, int, float)):  # bools are ints: true/false
        raise ShaderError(f"{path}:{line}: PASSES {WHEN} must be an expression, not {_shown(when)}")
    return PassSpec(
        target=target,
        persistent=_truthy(raw.get("PERSISTENT", False)) or (target in persistent),
        float=_truthy(raw.get("FLOAT", v1.get("FLOAT", False))),
        width=None if size["WIDTH"] is None else str(size["WIDTH"]),
        height=None if size["HEIGHT"] is None else str(size["HEIGHT"]),
        when=None if when is None else str(float(when) if isinstance(when, bool) else when),
    )


def _check_size(path: Path, line: int, render_pass: PassSpec, inputs: tuple[InputSpec, ...]) -> None:
    """A size or SHADERLAB_WHEN expression that cannot be read is the file's error now, not a
    render's later."""
    from shaderlab.isf.expressions import ExpressionError, evaluate

    # The inputs at their defaults: the values the file is first rendered with.
    numbers = {i.name: i.default for i in inputs if isinstance(i.default, (bool, int, float))}
    variables = {"WIDTH": 640.0, "HEIGHT": 480.0, **{i.name: 1.0 for i in inputs if not i.is_image}, **numbers}
    for what, expression in (("size", render_pass.width), ("size", render_pass.height), (WHEN, render_pass.when)):
        if expression is not None:
            try:
                evaluate(expression, variables)
            except ExpressionError as exc:
                raise ShaderError(f"{path}:{line}: PASSES {what}: {exc}") from None


def _companion_vertex_shader(path: Path) -> str | None:
    vertex = path.with_suffix(".vs")
    if path.suffix != ".fs" or not vertex.is_file():
        return None
    try:
        return vertex.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ShaderError(f"{vertex}: cannot read vertex shader ({exc})") from None


def _parse_input(path: Path, raw: dict[str, Any], line: int) -> InputSpec:
    name = raw.get("NAME")
    kind = raw.get("TYPE")
    if not isinstance(name, str) or not name.isidentifier():
        raise ShaderError(f"{path}:{line}: an input has a missing or invalid NAME ({_shown(name)})")
    if kind not in INPUT_TYPES:
        raise ShaderError(f"{path}:{line}: input {name!r} has unknown TYPE {_shown(kind)}")

    def number(key: str) -> Any:
        if key not in raw:
            return None
        try:
            value = coerce_value(kind, raw[key])
        except (TypeError, ValueError, OverflowError):
            value = math.nan
        if value is None:  # image inputs have no value
            return None
        if not all(math.isfinite(v) for v in (value if isinstance(value, tuple) else (value,))):
            raise ShaderError(f"{path}:{line}: input {name!r} has a {key} that is not a {kind}: {_shown(raw[key])}")
        return value

    try:
        values = tuple(int(float(v)) for v in _sequence(raw, "VALUES"))
    except (TypeError, ValueError, OverflowError):
        raise ShaderError(f"{path}:{line}: input {name!r}: VALUES must be a list of whole numbers, not {_shown(raw['VALUES'])}") from None
    try:
        labels = tuple(str(v) for v in _sequence(raw, "LABELS"))
    except TypeError:
        raise ShaderError(f"{path}:{line}: input {name!r}: LABELS must be a list of names, not {_shown(raw['LABELS'])}") from None
    if values and len(labels) != len(values):
        labels = tuple(str(v) for v in values)
    default = number("DEFAULT")
    if default is None and kind in _TYPE_DEFAULTS:
        default = values[0] if values else _TYPE_DEFAULTS[kind]
    return InputSpec(
        name=name,
        type=kind,
        default=default,
        min=number("MIN"),
        max=_columns(raw, path, line, name) if kind in ("audio", "audioFFT") else number("MAX"),
        label=str(raw.get("LABEL", "")),
        values=values,
        labels=labels,
    )


def _sequence(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
        raise TypeError(key)
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def coerce_value(kind: str, value: Any) -> Any:
    """A header value as the Python type of its input type; strings are parsed (ISF slips)."""
    if kind == "float":
        return float(value)
    if kind == "long":
        return int(float(value))
    if kind in ("bool", "event"):
        return _truthy(value)
    if kind == "color":
        return _vector(value, 4)
    if kind == "point2D":
        return _vector(value, 2)
    return None


def _vector(value: Any, size: int) -> tuple[float, ...]:
    items = [float(v) for v in value]
    if size == 4 and len(items) == 3:
        items.append(1.0)
    if len(items) != size:
        raise ValueError(f"expected {size} numbers")
    return tuple(items)


def _columns(raw: dict, path: Any, line: int, name: str) -> int | None:
    """An audio input's MAX: how many samples or bins it wants (a whole number, 1 or more)."""
    if "MAX" not in raw:
        return None
    value = raw["MAX"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 1:
        raise ShaderError(f"{path}:{line}: audio input {name!r}: MAX is a number of samples (1 or more), not {_shown(value)}")
    return int(value)
