"""Depth maps: load one from a file, or estimate one without a model.

A depth map here is float32 H×W in 0..1 with **near = 1** (bright), the convention of MiDaS and
Depth Anything (inverse depth) and of the bundled measured map; `invert` flips maps that use
the other one. Maps are resized to the picture they belong to.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from shaderlab.errors import ImageError
from shaderlab.io.images import MAX_PIXELS

log = logging.getLogger(__name__)

#: The name of the estimate used when no depth file or model is given.
BUILTIN_ESTIMATOR = "builtin-cues"


def load_depth(path: str | Path, size: tuple[int, int] | None = None, invert: bool = False) -> np.ndarray:
    """A depth image (8- or 16-bit grey, or any mode: its luminance) as float32 0..1."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such depth file")
    try:
        with Image.open(path) as im:
            if im.size[0] * im.size[1] > MAX_PIXELS:
                raise ImageError(f"{path}: {im.size[0]}×{im.size[1]} is too large for a depth map")
            im.load()
            depth = _as_unit_float(im)
    except ImageError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken files
        raise ImageError(f"{path}: cannot read depth map ({exc}); give an 8- or 16-bit grey image") from None
    if invert:
        depth = 1.0 - depth
    if size is not None and (depth.shape[1], depth.shape[0]) != tuple(size):
        log.info("%s: depth %d×%d resized to the picture's %d×%d", path, depth.shape[1], depth.shape[0], *size)
        depth = resize_depth(depth, size)
    return depth


def resize_depth(depth: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    resized = Image.fromarray(depth.astype(np.float32)).resize(tuple(size), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(resized, np.float32), 0.0, 1.0)


def _as_unit_float(im: Image.Image) -> np.ndarray:
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(im, np.float32) / 65535.0
    if im.mode == "I":
        values = np.asarray(im, np.float64)
        return (values / (65535.0 if values.max(initial=0) > 255 else 255.0)).astype(np.float32)
    if im.mode == "F":
        values = np.asarray(im, np.float32)
        low, high = float(values.min()), float(values.max())
        return (values - low) / (high - low) if high > low else np.zeros_like(values)
    return np.asarray(im.convert("L"), np.float32) / 255.0


def estimate_depth_builtin(pixels: np.ndarray) -> np.ndarray:
    """A depth *guess* from two monocular cues, no model: lower in the frame is nearer, and
    brighter, smoother regions are nearer. Good enough to make depth effects move; not a
    measurement — configure a model or give a depth file for real depth."""
    rgb = pixels[..., :3].astype(np.float32) / 255.0
    height, width = rgb.shape[:2]
    luma = rgb @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    grey = Image.fromarray(np.rint(luma * 255.0).astype(np.uint8))
    radius = max(2.0, min(width, height) / 40.0)
    blurred = np.asarray(grey.filter(ImageFilter.GaussianBlur(radius=radius)), np.float32) / 255.0
    position = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]  # 0 at the top
    depth = 0.65 * position + 0.35 * blurred
    low, high = float(depth.min()), float(depth.max())
    return ((depth - low) / (high - low) if high > low else depth).astype(np.float32)
