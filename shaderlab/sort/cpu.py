"""Pixel sort in numpy: the reference the GPU sort is tested and benchmarked against.

Vectorised: keys and interval boundaries for the whole image at once, then one stable argsort
per row of the composite (interval start, key). Directions other than right are right applied
to the mirrored or rotated image, transformed back. The random choices use the same integer
hash as the GPU, so every interval type agrees exactly.
"""

from __future__ import annotations

import numpy as np

from shaderlab.sort.keys import KEY_BITS, KEY_RANGE_BITS, keys_numpy, lightness_bounds
from shaderlab.sort.options import SortOptions

HASH_SALT_INTERVAL = 0x68E31DA4
HASH_SALT_RANDOMNESS = 0x1B56C4E9


def hash32(value: np.ndarray) -> np.ndarray:
    """lowbias32 (Chris Wellons): a fast, well-mixed 32-bit integer hash; the GLSL is the same."""
    x = np.asarray(value, np.uint32).copy()
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def hash3(seed: int, line: np.ndarray, position: np.ndarray, salt: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = hash32(np.uint32((seed ^ salt) & 0xFFFFFFFF) ^ hash32(np.asarray(line, np.uint32)))
        return hash32(h ^ np.asarray(position, np.uint32))


def to_lines(image: np.ndarray, direction: str) -> np.ndarray:
    """The image turned so that sorting `direction` is sorting each row to the right."""
    if direction == "right":
        return image
    if direction == "left":
        return image[:, ::-1]
    if direction == "down":  # position 0 at the top: columns read top to bottom
        return image.transpose(1, 0, *range(2, image.ndim))
    return image[::-1].transpose(1, 0, *range(2, image.ndim))  # up: bottom to top


def from_lines(lines: np.ndarray, direction: str) -> np.ndarray:
    if direction == "right":
        return lines
    if direction == "left":
        return lines[:, ::-1]
    turned = lines.transpose(1, 0, *range(2, lines.ndim))
    return turned if direction == "down" else turned[::-1]


def edge_strength(rgba: np.ndarray) -> np.ndarray:
    """Pillow's FIND_EDGES (3×3: 8 at the centre, −1 around, clipped to 0..255, border pixels
    kept as they are), as max+min of the result's RGB."""
    c = rgba[..., :3].astype(np.int32)
    padded = np.pad(c, ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = c.shape[:2]
    total = sum(padded[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3))
    edges = np.clip(9 * c - total, 0, 255)
    edges[0], edges[-1], edges[:, 0], edges[:, -1] = c[0], c[-1], c[:, 0], c[:, -1]
    return edges.max(axis=-1) + edges.min(axis=-1)


def boundaries(lines: np.ndarray, options: SortOptions, mask_lines: np.ndarray | None) -> np.ndarray:
    """True where a pixel starts a new interval (it is sorted with the interval it starts)."""
    count, length = lines.shape[:2]
    rows = np.arange(count)[:, None]
    xs = np.arange(length)[None, :]
    low, high = lightness_bounds(options.lower, options.upper)
    interval = options.interval
    if interval == "threshold":
        level = keys_numpy(lines, "lightness")
        return (level < low) | (level > high)
    if interval == "none":
        return np.zeros((count, length), bool)
    if interval == "edges":
        strong = edge_strength(lines) >= low
        previous = np.zeros_like(strong)
        previous[:, 1:] = strong[:, :-1]
        return strong & ~previous
    if interval == "random":
        threshold = np.uint32(min(2**32 - 1, int(2**32 / options.char_length)))
        return hash3(options.seed, rows, xs, HASH_SALT_INTERVAL) < threshold
    if interval == "waves":
        period = max(1, int(round(options.char_length)))
        phase = hash3(options.seed, rows, np.zeros_like(rows), HASH_SALT_INTERVAL) % np.uint32(period)
        return (xs + phase.astype(np.int64)) % period == 0
    assert mask_lines is not None, "mask and depth intervals need a mask"
    sortable = mask_lines
    previous = np.ones_like(sortable)
    previous[:, 1:] = sortable[:, :-1]
    return ~sortable | ~previous


def sort_numpy(
    rgba: np.ndarray, options: SortOptions, mask: np.ndarray | None = None, depth: np.ndarray | None = None
) -> np.ndarray:
    """Sorted copy of an H×W×4 uint8 image; ``mask`` is H×W bool (True = sortable); ``depth``
    (float32 H×W, near = 1) for depth intervals: sortable where lower <= depth <= upper."""
    if options.interval == "depth":
        assert depth is not None, "depth intervals need a depth map"
        depth = depth.astype(np.float32)
        mask = (depth >= np.float32(options.lower)) & (depth <= np.float32(options.upper))
    lines = to_lines(rgba, options.direction)
    mask_lines = to_lines(mask, options.direction) if mask is not None else None
    count, length = lines.shape[:2]
    xs = np.arange(length)
    starts = np.maximum.accumulate(np.where(boundaries(lines, options, mask_lines), xs, 0), axis=1)
    keys = keys_numpy(lines, options.key)
    if options.reverse:
        keys = (1 << KEY_RANGE_BITS[options.key]) - 1 - keys
    if options.randomness > 0:
        rows = np.arange(count)[:, None]
        roll = hash3(options.seed, rows, starts, HASH_SALT_RANDOMNESS) % np.uint32(10000)
        keys = np.where(roll < options.randomness * 100, 0, keys)
    composite = (starts.astype(np.int64) << KEY_BITS) | keys
    order = np.argsort(composite, axis=1, kind="stable")
    return from_lines(np.take_along_axis(lines, order[:, :, None], axis=1), options.direction).copy()
