"""What the Python API accepts, checked before any GL: anything else is one ShaderlabError line.

The README promises that every user mistake through the API is a :class:`ShaderlabError`
subclass with one line, as on the command line — not a TypeError, a ValueError or a moderngl
traceback from deep inside a render.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Sequence

import numpy as np

from shaderlab.errors import EffectError, ShaderlabError
from shaderlab.isf.header import EffectSpec
from shaderlab.params import MAX_EFFECTS



def check_image(image: Any) -> np.ndarray:
    """A uint8 H×W, H×W×1, H×W×3 or H×W×4 array, or what ``load_image`` returns."""
    image = getattr(image, "pixels", image)  # a LoadedImage
    if not isinstance(image, np.ndarray):
        raise ShaderlabError(f"image must be a numpy array (H×W×3 uint8, say), not {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ShaderlabError(f"image must be uint8 (0..255), not {image.dtype}; convert with (a * 255).round().astype(np.uint8)")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3, 4)):
        raise ShaderlabError(f"image must be H×W grey, H×W×3 RGB or H×W×4 RGBA, not shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ShaderlabError(f"image is empty (shape {image.shape})")
    return image


def check_size(size: Any, max_side: int) -> tuple[int, int] | None:
    """An output size (width, height) of whole pixels within the GPU's texture limit."""
    if size is None:
        return None
    try:
        width, height = size
        ok = all(float(v) == int(v) for v in (width, height))
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok or isinstance(width, bool) or isinstance(height, bool):
        raise ShaderlabError(f"size must be (width, height) in whole pixels, not {size!r}")
    width, height = int(width), int(height)
    if width < 1 or height < 1:
        raise ShaderlabError(f"size {width}×{height} is empty; give at least 1×1")
    if width > max_side or height > max_side:
        raise ShaderlabError(f"size {width}×{height} is over this GPU's limit of {max_side} pixels a side")
    return width, height


def check_time(time: Any) -> float:
    """TIME in seconds: a finite number (NaN would reach every shader)."""
    if isinstance(time, bool) or not isinstance(time, (int, float, np.integer, np.floating)):
        raise ShaderlabError(f"time must be a number of seconds, not {time!r}")
    if not math.isfinite(float(time)):
        raise ShaderlabError(f"time must be a finite number of seconds, not {time!r}")
    return float(time)


def check_tempo(tempo: Any) -> tuple[float, float, float, float] | None:
    """(BPM, BEAT, BEAT_PHASE, BAR_PHASE): four finite numbers, or None."""
    return _four_numbers(tempo, "tempo", "BPM, beat, beat phase, bar phase")


def check_mouse(mouse: Any) -> tuple[float, float, float, float] | None:
    """Shadertoy's iMouse: four finite numbers, or None."""
    return _four_numbers(mouse, "mouse", "x, y, press x, press y")


def _four_numbers(value: Any, what: str, names: str) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        values = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ShaderlabError(f"{what} must be four finite numbers ({names}), not {value!r}")
    return values  # type: ignore[return-value]


def check_chain(effects: Any) -> list[tuple[Any, Mapping[str, Any]]]:
    """Each entry a name (or effect file path) or a (name, {parameter: value}) pair; an
    EffectSpec already read may stand for the name."""
    if isinstance(effects, (str, bytes)) or not isinstance(effects, Sequence):
        raise EffectError(f"effects must be a list of names or (name, parameters) pairs, not {type(effects).__name__}")
    if len(effects) > MAX_EFFECTS:
        raise EffectError(f"a chain of {len(effects)} effects is over the limit of {MAX_EFFECTS}")
    checked = []
    for index, ref in enumerate(effects):
        if isinstance(ref, (str, EffectSpec)):
            name, params = ref, {}
        elif isinstance(ref, (tuple, list)) and len(ref) == 2 and isinstance(ref[0], (str, EffectSpec)):
            name, params = ref
        else:
            raise EffectError(f"effects[{index}] must be a name or a (name, parameters) pair, not {ref!r}")
        if not isinstance(params, Mapping):
            raise EffectError(f"effect {name!r}: parameters must be a mapping, not {params!r}")
        checked.append((name, params))
    return checked


def check_depth(depth: Any) -> np.ndarray | None:
    """A depth map as float32 H×W in 0..1: from float, uint8 or uint16 arrays, grey or RGB(A)
    (what ``load_image`` returns for a depth PNG), or a LoadedImage."""
    if depth is None:
        return None
    depth = getattr(depth, "pixels", depth)
    if not isinstance(depth, np.ndarray):
        raise ShaderlabError(f"depth must be a numpy array, not {type(depth).__name__}")
    if depth.ndim == 3 and depth.shape[2] in (1, 2, 3, 4):
        depth = depth[..., 0] if depth.shape[2] <= 2 else depth[..., :3].mean(axis=2, dtype=np.float64).astype(depth.dtype)
    if depth.ndim != 2 or 0 in depth.shape:
        raise ShaderlabError(f"depth must be an H×W map (grey, or RGB whose mean is used), not shape {depth.shape}")
    if depth.dtype == np.uint8:
        return depth.astype(np.float32) / 255.0
    if depth.dtype == np.uint16:
        return depth.astype(np.float32) / 65535.0
    if np.issubdtype(depth.dtype, np.floating):
        if not np.isfinite(depth).all():
            raise ShaderlabError("depth has NaN or infinite values; give finite values in 0..1")
        return np.clip(depth.astype(np.float32), 0.0, 1.0)
    raise ShaderlabError(f"depth must be float (0..1), uint8 or uint16, not {depth.dtype}")
