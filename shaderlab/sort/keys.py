"""Sort keys and interval thresholds as exact integers, matching the public `pixelsort` package.

pixelsort (satyarth/pixelsort 1.0.2) computes its keys in Python floats from 0..255 integers.
The GPU cannot repeat float64 arithmetic cheaply, so every key here is an integer with exactly
the same order *and the same ties* as pixelsort's float: ties matter, because the sort is
stable and tied pixels keep their order.

- lightness (max+min)/2  → max + min                           (0..510)
- intensity r+g+b        → r + g + b                           (0..765)
- minimum                → min(r, g, b)                        (0..255)
- saturation             → a rank of pixelsort's value, which depends on max−min only
- hue                    → the rank of pixelsort's float among every value it can produce,
                           looked up in a table indexed by (max−min, which channel is max,
                           which is min, the third channel's distance from max)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

KEYS = ("lightness", "hue", "saturation", "intensity", "minimum")
#: Bits the composite sort word leaves for a key; every key's range fits.
KEY_BITS = 19
#: Bits each key's range needs; `reverse` flips a key within its range.
KEY_RANGE_BITS = {"lightness": 9, "hue": 17, "saturation": 8, "intensity": 10, "minimum": 8}


def pixelsort_hue(r: int, g: int, b: int) -> float:
    """pixelsort's hue, operation for operation (it is colorsys.rgb_to_hls on 0..255)."""
    maxc = max(r, g, b)
    minc = min(r, g, b)
    if minc == maxc:
        return 0.0
    span = maxc - minc
    rc = (maxc - r) / span
    gc = (maxc - g) / span
    bc = (maxc - b) / span
    if r == maxc:
        h = bc - gc
    elif g == maxc:
        h = 2.0 + rc - bc
    else:
        h = 4.0 + gc - rc
    return (h / 6.0) % 1.0


def pixelsort_saturation(r: int, g: int, b: int) -> float:
    """pixelsort's saturation: HLS maths applied to 0..255 integers, so it behaves like chroma."""
    maxc = max(r, g, b)
    minc = min(r, g, b)
    sumc = minc + maxc
    diffc = maxc - minc
    sdiv = 2.0 - diffc
    if minc == maxc or sumc == 0 or sdiv == 0:
        return 0.0
    if sumc / 2.0 <= 0.5:
        return diffc / sumc
    return diffc / sdiv


@lru_cache(maxsize=1)
def hue_rank_table() -> np.ndarray:
    """uint32 [256, 1536]: the rank of pixelsort's hue, by [span, column].

    Row = span (max−min, 1..255; row 0 is grey, hue 0). Column = channel * 512 +
    first_is_min * 256 + distance. Ranks are dense: equal hue floats share a rank.
    """
    span, column = np.meshgrid(np.arange(256), np.arange(1536), indexing="ij")
    channel, first_is_min, distance = column // 512, (column // 256) % 2, column % 256
    valid = (span > 0) & (distance <= span)
    r, g, b = _representatives(span, channel, first_is_min, np.minimum(distance, span))
    values = np.where(valid, _hue_numpy(r, g, b), 0.0)
    unique = np.unique(values)
    return np.searchsorted(unique, values).astype(np.uint32)


def _representatives(span, channel, first_is_min, distance):
    """Some (r, g, b) with max = span and min = 0 in each case (hue needs only differences)."""
    rgb = np.zeros((3,) + span.shape, np.int64)
    other_a = np.choose(channel, [1, 0, 0])  # the first of the two other channels
    other_b = np.choose(channel, [2, 2, 1])
    not_min = np.where(first_is_min == 0, other_b, other_a)
    for c in range(3):
        rgb[c] = np.where(channel == c, span, np.where(not_min == c, span - distance, 0))
    return rgb[0], rgb[1], rgb[2]


def _hue_numpy(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    """pixelsort_hue vectorised, with the same float64 operations in the same order."""
    maxc = np.maximum(np.maximum(r, g), b)
    minc = np.minimum(np.minimum(r, g), b)
    span = np.where(maxc == minc, 1, maxc - minc).astype(np.float64)
    rc = (maxc - r) / span
    gc = (maxc - g) / span
    bc = (maxc - b) / span
    h = np.where(r == maxc, bc - gc, np.where(g == maxc, 2.0 + rc - bc, 4.0 + gc - rc))
    return np.where(maxc == minc, 0.0, np.mod(h / 6.0, 1.0))


def saturation_rank(span: np.ndarray) -> np.ndarray:
    """Rank of pixelsort's saturation from max−min: −span/(span−2) rising for span ≥ 3, then 0
    (span 0 or 2), then 1 (span 1)."""
    span = np.asarray(span, np.int64)
    return np.where(span >= 3, span - 3, np.where(span == 1, 254, 253))


def lightness_bounds(lower: float, upper: float) -> tuple[int, int]:
    """Integer bounds on max+min equivalent to pixelsort's float test.

    pixelsort makes a pixel an interval boundary when (max+min)/2 < lower*255 or
    > upper*255. Returns (low, high): a pixel is inside when low <= max+min <= high.
    """
    sums = np.arange(511)
    levels = sums / 2.0
    inside_low = levels >= lower * 255
    inside_high = levels <= upper * 255
    low = int(sums[inside_low][0]) if inside_low.any() else 511
    high = int(sums[inside_high][-1]) if inside_high.any() else -1
    return low, high


def keys_numpy(rgb: np.ndarray, key: str) -> np.ndarray:
    """The integer key of every pixel of an (..., 3+) uint8 array."""
    if key not in KEYS:
        raise ValueError(f"unknown key {key!r}")
    c = rgb[..., :3].astype(np.int64)
    r, g, b = c[..., 0], c[..., 1], c[..., 2]
    maxc = c.max(axis=-1)
    minc = c.min(axis=-1)
    if key == "lightness":
        return maxc + minc
    if key == "intensity":
        return r + g + b
    if key == "minimum":
        return minc
    span = maxc - minc
    if key == "saturation":
        return saturation_rank(span)
    channel = np.where(r == maxc, 0, np.where(g == maxc, 1, 2))
    first = np.choose(channel, [g, r, r])
    second = np.choose(channel, [b, b, g])
    first_is_min = (first != minc).astype(np.int64)
    other = np.where(first_is_min == 0, second, first)
    column = channel * 512 + first_is_min * 256 + (maxc - other)
    return hue_rank_table()[span, column].astype(np.int64)
