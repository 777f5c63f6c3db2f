"""Parse the ISF ``/*{ JSON }*/`` header of an effect file into plain data (no GL here).

The format is the one VDMX, Resolume and the ISF Editor use (github.com/mrRay/ISF_Spec).
Files in the wild quote numbers (``"MIN": "0"``) and leave trailing commas; both are accepted
with a warning rather than refused.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shaderlab.errors import ShaderError

log = logging.getLogger(__name__)

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
    """One render pass; ``target`` names the buffer it writes, None for the effect's output."""

    target: str | None = None
    persistent: bool = False
    float: bool = False


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
    passes = tuple(_parse_pass(path, raw, first_line) for raw in _list(header, "PASSES", path))
    imported = {
        name: (path.parent / str(entry.get("PATH", ""))).resolve()
        for name, entry in _imported(header).items()
    }
    return EffectSpec(
        name=path.stem,
        path=path,
        source=source,
        description=str(header.get("DESCRIPTION", "")),
        credit=str(header.get("CREDIT", "")),
        categories=tuple(str(c) for c in header.get("CATEGORIES", ()) or ()),
        inputs=inputs,
        passes=passes or (PassSpec(),),
        imported=imported,
    )


def _load_json(path: Path, text: str, first_line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    relaxed = _TRAILING_COMMA.sub(r"\1", text)
    try:
        value = json.loads(relaxed)
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise ShaderError(f"{path}:{line}: broken ISF header: {exc.msg}") from None
    log.warning("%s: ISF header has trailing commas; accepted", path)
    return value


def _list(header: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = header.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ShaderError(f"{path}: ISF header {key} must be a list of objects")
    return value


def _imported(header: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = header.get("IMPORTED", {})
    if isinstance(raw, list):  # ISF v1 spelling: a list of {NAME, PATH}
        return {str(e.get("NAME")): e for e in raw if isinstance(e, dict)}
    return {str(k): v for k, v in raw.items() if isinstance(v, dict)}


def _parse_pass(path: Path, raw: dict[str, Any], line: int) -> PassSpec:
    if "WIDTH" in raw or "HEIGHT" in raw:
        raise ShaderError(f"{path}:{line}: PASSES WIDTH/HEIGHT expressions are not supported yet")
    target = raw.get("TARGET")
    return PassSpec(
        target=str(target) if target else None,
        persistent=_truthy(raw.get("PERSISTENT", False)),
        float=_truthy(raw.get("FLOAT", False)),
    )


def _parse_input(path: Path, raw: dict[str, Any], line: int) -> InputSpec:
    name = raw.get("NAME")
    kind = raw.get("TYPE")
    if not isinstance(name, str) or not name.isidentifier():
        raise ShaderError(f"{path}:{line}: an input has a missing or invalid NAME ({name!r})")
    if kind not in INPUT_TYPES:
        raise ShaderError(f"{path}:{line}: input {name!r} has unknown TYPE {kind!r}")

    def number(key: str) -> Any:
        if key not in raw:
            return None
        try:
            return coerce_value(kind, raw[key])
        except (TypeError, ValueError):
            raise ShaderError(
                f"{path}:{line}: input {name!r} has a {key} that is not a {kind}: {raw[key]!r}"
            ) from None

    values = tuple(int(float(v)) for v in raw.get("VALUES", ()) or ())
    labels = tuple(str(v) for v in raw.get("LABELS", ()) or ())
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
        max=number("MAX"),
        label=str(raw.get("LABEL", "")),
        values=values,
        labels=labels,
    )


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
