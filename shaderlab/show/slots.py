"""One slot's value rules: every write to the show is checked here against its declared input.

The declared :class:`~shaderlab.isf.header.InputSpec` is the only authority. Two surfaces, two
modes: a knob, a drag or a nudge *clamps* (an out-of-range value is pulled to the nearest
allowed one: the performer meant "as far as it goes"), while a scene file or the command line
*refuses* (a value out of range there is a mistake the user should hear about). Both modes
refuse what no surface can mean: NaN, infinity, the wrong type, an unknown menu label.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from shaderlab.errors import EffectError
from shaderlab.isf.header import InputSpec
from shaderlab.params import check_value

#: Slot ids are one path segment of an address, kept short and safe for OSC and file names.
SLOT_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,39}")
#: What a GLSL ``int`` and ``float`` uniform can hold: beyond these the shader sees garbage.
INT_LIMITS = (-(2**31), 2**31 - 1)
FLOAT_LIMIT = float(np.finfo(np.float32).max)
#: Inputs that are not numbers: a file path (image inputs) and a line of text (app settings).
TEXT = "text"
MAX_TEXT = 1024


class ShowError(EffectError):
    """A command the show cannot carry out: its one line says why; the show runs on."""


@dataclass(frozen=True)
class Slot:
    """One addressable input: ``chain/<slot-id>/<input>`` or ``settings/<group>/<name>``."""

    address: str
    spec: InputSpec
    #: The range a value is clamped to (worked out once: every write checks against it).
    limits: tuple[Any, Any] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "limits", _limits(self.spec))

    @property
    def is_menu(self) -> bool:
        return bool(self.spec.values)


def chain_address(slot_id: str, name: str) -> str:
    return f"chain/{slot_id}/{name}"


def validate(address: str, spec: InputSpec, raw: Any, clamp: bool, limits: tuple[Any, Any] | None = None) -> Any:
    """``raw`` as the value the slot stores, or :class:`ShowError` naming the address;
    ``limits``: the slot's, when known (saves working them out)."""
    if spec.is_image:
        return _path(address, raw)
    if spec.type == TEXT:
        return _text(address, raw)
    plain = _plain_number(spec, raw, clamp, limits)
    if plain is not None:
        return plain
    _check_python_type(address, spec, raw)
    if clamp and spec.values and _is_number(raw) and math.isfinite(float(raw)):
        raw = min(spec.values, key=lambda v: abs(v - float(raw)))  # a knob over a menu: nearest
    checked_spec = replace(spec, min=None, max=None) if clamp else spec
    try:
        value = check_value("\0", checked_spec, raw)
    except EffectError as exc:  # the message names "\0.input"; name the address instead
        raise ShowError(str(exc).replace(f"\0.{spec.name}", address, 1)) from None
    low, high = _limits(spec)
    if clamp:
        return _clamped(value, low, high)
    if _clamped(value, low, high) != value:
        raise ShowError(f"{address}: {raw!r} is beyond what a shader {spec.type} can hold")
    return value


def _plain_number(spec: InputSpec, raw: Any, clamp: bool, limits: tuple[Any, Any] | None) -> Any:
    """The common case, a finite float for a float input or an int for a whole-number one
    (a knob, a slider, a flood of OSC), checked without parsing — controllers send thousands a
    second. None: anything else, or out of range where that is refused; the full path decides."""
    kind = type(raw)
    if spec.values or not (kind is float and spec.type == "float" and math.isfinite(raw)
                           or kind is int and spec.type == "long"):
        return None
    low, high = limits or _limits(spec)
    if clamp:
        return min(max(raw, low), high)
    return raw if low <= raw <= high else None


def nudged(address: str, spec: InputSpec, base: Any, delta: Any) -> Any:
    """The value ``delta`` away from ``base`` (not yet validated): numbers add, vectors add
    per component (a single number moves every component), a menu steps through its entries."""
    if spec.type not in ("float", "long", "point2D", "color"):
        raise ShowError(f"{address}: a {spec.type} cannot be nudged; set it instead")
    if not _is_number(delta) and not (isinstance(delta, (tuple, list)) and all(_is_number(d) for d in delta)):
        raise ShowError(f"{address}: nudge by a number, not {delta!r}")
    if not all(math.isfinite(d) for d in (delta if isinstance(delta, (tuple, list)) else (delta,))):
        raise ShowError(f"{address}: nudge by a finite number, not {delta!r}")
    if spec.values:
        if not _is_number(delta) or float(delta) != int(delta):
            raise ShowError(f"{address}: a menu moves by whole steps, not {delta!r}")
        index = spec.values.index(base) + int(delta) if base in spec.values else 0
        return spec.values[min(max(index, 0), len(spec.values) - 1)]
    if isinstance(base, tuple):
        steps = tuple(delta) if isinstance(delta, (tuple, list)) else (delta,) * len(base)
        if len(steps) != len(base):
            raise ShowError(f"{address}: nudge a {spec.type} by {len(base)} numbers, not {len(steps)}")
        return tuple(b + d for b, d in zip(base, steps))
    if isinstance(delta, (tuple, list)):
        raise ShowError(f"{address}: nudge a {spec.type} by one number")
    return base + delta


def interpolated(spec: InputSpec, a: Any, b: Any, t: float) -> Any:
    """Between two stored values: floats, points and colours glide; whole numbers, menus,
    switches and paths jump at the midpoint (half a seed is no seed)."""
    if spec.type == "float" and not spec.values:
        return a + (b - a) * t
    if spec.type in ("point2D", "color") and isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(x + (y - x) * t for x, y in zip(a, b))
    return b if t >= 0.5 else a


def _check_python_type(address: str, spec: InputSpec, raw: Any) -> None:
    """Refuse values of the wrong kind before any conversion would accept them quietly
    (``float(True)`` is 1.0, ``bool(5.0)`` is True, a colour's string splits by commas)."""
    if isinstance(raw, str):
        return  # text from the CLI or a scene: check_value parses it and says what is wrong
    kind = spec.type
    if kind in ("float", "long") and _is_number(raw):
        return
    if kind in ("bool", "event") and (isinstance(raw, (bool, np.bool_)) or (_is_number(raw) and raw in (0, 1))):
        return
    if kind in ("color", "point2D") and isinstance(raw, (tuple, list, np.ndarray)) and all(_is_number(v) for v in raw):
        return
    wanted = {"bool": "true or false", "event": "true or false", "color": "a list of 3 or 4 numbers",
              "point2D": "a list of 2 numbers"}.get(kind, f"a number ({kind})")
    raise ShowError(f"{address}: {_shown(raw)} is not {wanted}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _limits(spec: InputSpec) -> tuple[Any, Any]:
    """The declared range, narrowed to what the shader's uniform type can hold."""
    if spec.type == "long":
        low, high = INT_LIMITS
    elif spec.type in ("float", "point2D", "color"):
        low, high = -FLOAT_LIMIT, FLOAT_LIMIT
    else:
        return None, None
    if spec.type in ("float", "long", "point2D") and not spec.values:
        low = _tighter(spec.min, low, max)
        high = _tighter(spec.max, high, min)
    return low, high


def _tighter(bound: Any, limit: float, pick: Any) -> Any:
    if bound is None:
        return limit
    if isinstance(bound, tuple):
        return tuple(pick(b, limit) for b in bound)
    return pick(bound, limit)


def _clamped(value: Any, low: Any, high: Any) -> Any:
    if low is None or isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        lows = low if isinstance(low, tuple) else (low,) * len(value)
        highs = high if isinstance(high, tuple) else (high,) * len(value)
        return tuple(type(v)(min(max(v, lo), hi)) for v, lo, hi in zip(value, lows, highs))
    return type(value)(min(max(value, low), high))


def _path(address: str, raw: Any) -> str | None:
    """An image input holds a file path (loaded by a worker) or None; a file that exists is
    kept as its absolute path, so a scene written anywhere names the same file."""
    if raw is None:
        return None
    if isinstance(raw, Path):
        raw = str(raw)
    text = _text(address, raw)
    if not text.strip():
        return None  # cleared: the source picture (the panel once saved "" for that)
    path = Path(text).expanduser()
    return str(path.resolve()) if path.is_file() else text


def _text(address: str, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ShowError(f"{address}: {_shown(raw)} is not text")
    if len(raw) > MAX_TEXT or any(c in raw for c in "\0\n\r"):
        raise ShowError(f"{address}: text must be one line of at most {MAX_TEXT} characters")
    return raw


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def is_finite_value(value: Any) -> bool:
    """Whether a modulator's output is usable at all (NaN passes every range comparison)."""
    items = value if isinstance(value, tuple) else (value,)
    return all(not isinstance(v, float) or math.isfinite(v) for v in items)
