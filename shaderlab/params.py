"""Parameter values: checked against an effect's declared inputs, whoever sets them.

The command line, scene files, the Python API and the panel all go through :func:`check_value`
(strict: out of range is an error naming the parameter) or :func:`clamp_value` (the panel's
sliders), so no effect ever sees a value its header does not allow.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from shaderlab.errors import EffectError
from shaderlab.io.images import load_image
from shaderlab.isf.header import EffectSpec, InputSpec, coerce_value


#: The most effects one chain may hold, from any surface (API, scenes, the show): each owns
#: buffers at the render size (64 at 4K is about 2 GB of GPU memory already); a longer chain is
#: a mistake, not a look.
MAX_EFFECTS = 64


def check_params(spec: EffectSpec, params: Mapping[str, Any], load_images: bool = True) -> dict[str, Any]:
    """All of an effect's value inputs: defaults overridden by ``params``, each one checked.

    Image inputs given as file paths are decoded here, unless ``load_images`` is false (the
    window loads them on a worker): then the path is kept as a string."""
    values = spec.defaults()
    for name, raw in params.items():
        declared = spec.input(name)
        if declared is None or declared.name == "inputImage":
            known = ", ".join(i.name for i in spec.inputs if i.name != "inputImage") or "none"
            raise EffectError(f"effect {spec.name!r} has no parameter {name!r} (it has: {known})")
        if declared.is_image and not load_images and isinstance(raw, (str, Path)):
            values[name] = str(raw)
        elif declared.is_image:
            values[name] = check_image(spec.name, declared, raw)
        else:
            values[name] = check_value(spec.name, declared, raw)
    return values


def check_image(effect: str, spec: InputSpec, raw: Any) -> np.ndarray:
    """An image input's value: a uint8 array, or the path of an image file (decoded here)."""
    if isinstance(raw, (str, Path)):
        return load_image(raw).pixels
    if isinstance(raw, np.ndarray) and raw.dtype == np.uint8 and raw.ndim in (2, 3):
        return raw
    raise EffectError(f"{effect}.{spec.name}: give an image file path or a uint8 array, not {type(raw).__name__}")


def check_value(effect: str, spec: InputSpec, raw: Any) -> Any:
    """``raw`` (a Python value or a command-line string) as the input's type, range-checked."""
    where = f"{effect}.{spec.name}"
    choices = ", ".join(f"{label} ({v})" for v, label in zip(spec.values, spec.labels))
    try:
        _check_number(spec, raw)
        value = _from_text(spec, raw) if isinstance(raw, str) else coerce_value(spec.type, raw)
    except NonFinite:
        raise EffectError(f"{where}: {raw!r} is not a finite number") from None
    except (TypeError, ValueError, OverflowError):
        if spec.values:
            raise EffectError(f"{where}: {raw!r} is not one of {choices}") from None
        kind = "whole number" if spec.type == "long" else spec.type
        raise EffectError(f"{where}: {raw!r} is not a valid {kind}") from None
    if spec.values and value not in spec.values:
        raise EffectError(f"{where}: {raw!r} is not one of {choices}")
    if not spec.values and _outside(spec, value):
        raise EffectError(f"{where}: {raw!r} is outside {_format(spec.min)}..{_format(spec.max)}")
    return value


def clamp_value(spec: InputSpec, value: Any) -> Any:
    """``value`` pulled into the declared range (for sliders and drags); a value that is not a
    finite number becomes the default (NaN passes every comparison)."""
    if not _finite(value):
        return spec.default
    if spec.type in ("float", "long") and not spec.values:
        if spec.min is not None:
            value = max(spec.min, value)
        if spec.max is not None:
            value = min(spec.max, value)
    return value


class NonFinite(ValueError):
    """NaN or infinity where a number is needed: every range check lets NaN through."""


def _finite(value: Any) -> bool:
    items = value if isinstance(value, (tuple, list)) else (value,)
    return all(not isinstance(v, float) or math.isfinite(v) for v in items)


def _check_number(spec: InputSpec, raw: Any) -> None:
    """Refuse NaN and infinity before any conversion (``int(inf)`` overflows, NaN slips past
    ranges), and a fraction for a whole-number input (2.7 is not silently 2, from any surface)."""
    if spec.type not in ("float", "long", "color", "point2D"):
        return
    if isinstance(raw, str):
        if raw.strip().startswith("#"):
            return  # a hex colour
        items = raw.split(",")
    elif isinstance(raw, (tuple, list, np.ndarray)):
        items = list(raw)
    else:
        items = [raw]
    numbers = []
    for item in items:
        try:
            numbers.append(float(item))
        except (TypeError, ValueError):
            return  # not a number at all: the conversion says so
    if not all(math.isfinite(n) for n in numbers):
        raise NonFinite(raw)
    if spec.type == "long" and any(n != int(n) for n in numbers):
        raise ValueError(raw)


def _outside(spec: InputSpec, value: Any) -> bool:
    if spec.type not in ("float", "long", "point2D"):
        return False
    items = value if isinstance(value, tuple) else (value,)
    lows = _expand(spec.min, len(items))
    highs = _expand(spec.max, len(items))
    for v, lo, hi in zip(items, lows, highs):
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            return True
    return False


def _expand(bound: Any, size: int) -> tuple[Any, ...]:
    return bound if isinstance(bound, tuple) else (bound,) * size


def _format(bound: Any) -> str:
    if bound is None:
        return "?"
    return ",".join(f"{b:g}" for b in bound) if isinstance(bound, tuple) else f"{bound:g}"


def _from_text(spec: InputSpec, text: str) -> Any:
    text = text.strip()
    if spec.type == "long" and spec.labels:
        for value, label in zip(spec.values, spec.labels):
            if label.lower() == text.lower():
                return value
    if spec.type == "color" and text.startswith("#"):
        digits = text[1:]
        if len(digits) not in (6, 8):
            raise ValueError("colour must be #rrggbb or #rrggbbaa")
        channels = [int(digits[i : i + 2], 16) / 255.0 for i in range(0, len(digits), 2)]
        return coerce_value("color", channels)
    if spec.type in ("bool", "event"):
        lowered = text.lower()
        if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ValueError(text)
        return lowered in ("1", "true", "yes", "on")
    if spec.type in ("color", "point2D"):
        return coerce_value(spec.type, text.split(","))
    return coerce_value(spec.type, text)
