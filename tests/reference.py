"""numpy implementations of each effect's maths, written from the effect descriptions.

Images are float64 in 0..1, row 0 = top; sampling clamps to the edge like the GL textures.
"""

from __future__ import annotations

import numpy as np

LUMA = np.array([0.2126, 0.7152, 0.0722])


def to_float(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) / 255.0


def to_uint8(image: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)


def bilinear(image: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Sample at pixel coordinates (pixel centres at integers), clamped to the edge."""
    h, w = image.shape[:2]
    x = np.clip(x, 0, w - 1)
    y = np.clip(y, 0, h - 1)
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    top = image[y0, x0] * (1 - fx) + image[y0, x1] * fx
    bottom = image[y1, x0] * (1 - fx) + image[y1, x1] * fx
    return top * (1 - fy) + bottom * fy


def rgb_split(image: np.ndarray, amount: float, angle: float) -> np.ndarray:
    f = to_float(image)
    h, w = f.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    dx = amount * np.cos(np.radians(angle))
    dy = -amount * np.sin(np.radians(angle))  # angle 90 points up: rows decrease
    out = f.copy()
    out[..., 0] = bilinear(f, xs - dx, ys - dy)[..., 0]
    out[..., 2] = bilinear(f, xs + dx, ys + dy)[..., 2]
    return to_uint8(out)


def gaussian_kernel(radius: float) -> np.ndarray:
    sigma = max(radius * 0.5, 1e-3)
    taps = int(np.ceil(radius))
    offsets = np.arange(-taps, taps + 1)
    weights = np.exp(-(offsets**2) / (2 * sigma**2))
    return weights / weights.sum()


def _convolve_axis(f: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    taps = len(kernel) // 2
    pad = [(0, 0)] * f.ndim
    pad[axis] = (taps, taps)
    padded = np.pad(f, pad, mode="edge")
    out = np.zeros_like(f)
    size = f.shape[axis]
    for i, weight in enumerate(kernel):
        out += weight * np.take(padded, np.arange(i, i + size), axis=axis)
    return out


def gaussian_blur(f: np.ndarray, radius: float) -> np.ndarray:
    kernel = gaussian_kernel(radius)
    return _convolve_axis(_convolve_axis(f, kernel, axis=1), kernel, axis=0)


def blur(image: np.ndarray, radius: float) -> np.ndarray:
    return to_uint8(gaussian_blur(to_float(image), radius))


def sharpen(image: np.ndarray, amount: float, radius: float) -> np.ndarray:
    f = to_float(image)
    blurred = gaussian_blur(f, radius)
    out = f.copy()
    out[..., :3] = f[..., :3] + amount * (f[..., :3] - blurred[..., :3])
    return to_uint8(out)


def pixelate(image: np.ndarray, size: int) -> np.ndarray:
    h, w = image.shape[:2]
    xs = np.minimum((np.arange(w) // size) * size + size // 2, w - 1)
    ys = np.minimum((np.arange(h) // size) * size + size // 2, h - 1)
    return image[ys][:, xs]


def saturate(image: np.ndarray, amount: float) -> np.ndarray:
    f = to_float(image)
    luma = f[..., :3] @ LUMA
    out = f.copy()
    out[..., :3] = luma[..., None] + amount * (f[..., :3] - luma[..., None])
    return to_uint8(out)


def colorize(image: np.ndarray, palettes: np.ndarray, palette: int, repeat: float, offset: float, mix: float) -> np.ndarray:
    f = to_float(image)
    luma = f[..., :3] @ LUMA
    t = 1.0 - np.abs(np.mod(luma * repeat + offset, 2.0) - 1.0)
    row = to_float(palettes[palette])
    position = t * 255.0
    mapped = np.stack([np.interp(position, np.arange(256), row[:, c]) for c in range(3)], axis=-1)
    out = f.copy()
    out[..., :3] = f[..., :3] * (1 - mix) + mapped * mix
    return to_uint8(out)


def selection_pixels(shape: tuple[int, ...], x: float, y: float, width: float, height: float) -> tuple[int, int, int, int]:
    """The sampler's selection snapped to whole pixels: (left, top, width, height)."""
    h, w = shape[:2]
    f = np.float32
    left = min(max(int(np.floor(f(x) * f(w) + f(0.5))), 0), w - 1)
    top = min(max(int(np.floor(f(y) * f(h) + f(0.5))), 0), h - 1)
    cols = min(max(int(np.floor(f(width) * f(w) + f(0.5))), 1), w - left)
    rows = min(max(int(np.floor(f(height) * f(h) + f(0.5))), 1), h - top)
    return left, top, cols, rows


def sample_nearest(image: np.ndarray, box: tuple[int, int, int, int], size: tuple[int, int]) -> np.ndarray:
    """Crop ``box`` and resize it to ``size`` (W, H) by nearest neighbour (pixel centres)."""
    left, top, cols, rows = box
    crop = image[top : top + rows, left : left + cols]
    xs = ((2 * np.arange(size[0]) + 1) * cols) // (2 * size[0])
    ys = ((2 * np.arange(size[1]) + 1) * rows) // (2 * size[1])
    return crop[ys][:, xs]


def sample_smooth(image: np.ndarray, box: tuple[int, int, int, int], size: tuple[int, int]) -> np.ndarray:
    """Crop ``box`` and resize it to ``size`` bilinearly (pixel centres mapped to pixel centres)."""
    left, top, cols, rows = box
    xs = left + (np.arange(size[0]) + 0.5) * cols / size[0] - 0.5
    ys = top + (np.arange(size[1]) + 0.5) * rows / size[1] - 0.5
    gx, gy = np.meshgrid(xs, ys)
    return to_uint8(bilinear(to_float(image), gx, gy))


def tile(image: np.ndarray, box: tuple[int, int, int, int], mirror: bool) -> np.ndarray:
    """Repeat ``box`` at 1:1 over the image's frame, anchored where it is."""
    left, top, cols, rows = box
    h, w = image.shape[:2]

    def index(n: int, start: int, extent: int) -> np.ndarray:
        offset = np.arange(n) - start
        period, within = np.divmod(offset, extent)
        if mirror:
            within = np.where(period % 2 == 1, extent - 1 - within, within)
        return start + within

    return image[index(h, top, rows)][:, index(w, left, cols)]


def wipe(start: np.ndarray, end: np.ndarray, progress: float, softness: float) -> np.ndarray:
    """shaders/wipe.fs: end comes in from the left over a linear edge 2·softness wide."""
    x = (np.arange(start.shape[1]) + 0.5) / start.shape[1]
    edge = -softness + (1.0 + 2.0 * softness) * progress
    amount = np.clip((edge - x) / (2.0 * softness) + 0.5, 0.0, 1.0) if softness > 0 else (x <= edge).astype(float)
    return to_uint8(to_float(start) * (1.0 - amount[None, :, None]) + to_float(end) * amount[None, :, None])
