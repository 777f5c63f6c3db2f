"""Our effects through the public API (numpy in, numpy out) against the CPU library a Python
user would otherwise call for the same work, measured alternately in the same run.

    python benchmarks/bench_peers.py [--runs 9] [--size 1920x1080]

Each row times ``Renderer.render(image, [effect])`` and its peer on the same 8-bit RGB frame;
the ratio is ours / the peer's (medians), with the issue's target beside it. The floor rows are
what any call costs: a pass-through render (upload, one draw, read-back) against two numpy
copies of the frame. The depth rows are absolute (no peer), given a depth map so the built-in
estimate is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from shaderlab import Renderer

ROOT = Path(__file__).resolve().parents[1]


def _pil(op: Callable[[Image.Image], Image.Image]) -> Callable[[np.ndarray], np.ndarray]:
    return lambda pixels: np.asarray(op(Image.fromarray(pixels)))


def _pixelate(pixels: np.ndarray, size: int = 12) -> np.ndarray:
    image = Image.fromarray(pixels)
    small = image.reduce(size)  # a box reduce, then a nearest enlarge
    return np.asarray(small.resize(image.size, Image.Resampling.NEAREST))


def _split(pixels: np.ndarray, shift: int = 8) -> np.ndarray:
    out = pixels.copy()
    out[..., 0] = np.roll(pixels[..., 0], shift, axis=1)
    out[..., 2] = np.roll(pixels[..., 2], -shift, axis=1)
    return out


#: (row, our effect and values, the peer, target ratio or None)
ROWS = [
    ("floor: pass-through", ("passthrough", {}), lambda p: p.copy().copy(), None),
    ("blur r8", ("blur", {"radius": 8.0}), _pil(lambda im: im.filter(ImageFilter.GaussianBlur(4))), 1.0),
    ("blur r32", ("blur", {"radius": 32.0}), _pil(lambda im: im.filter(ImageFilter.GaussianBlur(16))), 1.0),
    ("sharpen", ("sharpen", {"amount": 1.0, "radius": 2.0}),
     _pil(lambda im: im.filter(ImageFilter.UnsharpMask(1, 100, 0))), 1.0),
    ("saturate", ("saturate", {"amount": 1.5}), _pil(lambda im: ImageEnhance.Color(im).enhance(1.5)), 2.0),
    ("pixelate", ("pixelate", {"size": 12}), _pixelate, 2.0),
    ("rgb_split", ("rgb_split", {"amount": 8.0, "angle": 0.0}), _split, 4.0),
]
DEPTH_ROWS = [("depth_of_field", {}), ("depth_parallax", {})]


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    photo = Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size, Image.Resampling.BICUBIC)
    pixels = np.asarray(photo).copy()
    yy = np.linspace(0.0, 1.0, size[1], dtype=np.float32)[:, None]
    depth = np.broadcast_to(yy, (size[1], size[0])).copy()

    with Renderer() as renderer:
        name = renderer.ctx.info["GL_RENDERER"]
        ours: dict[str, list[float]] = {row[0]: [] for row in ROWS}
        peers: dict[str, list[float]] = {row[0]: [] for row in ROWS}
        depths: dict[str, list[float]] = {effect: [] for effect, _ in DEPTH_ROWS}
        for row, effect, peer, _ in ROWS + [(e, (e, p), None, None) for e, p in DEPTH_ROWS]:  # warm up
            renderer.render(pixels, [effect], depth=depth)
        for _ in range(args.runs):
            for row, effect, peer, _ in ROWS:  # alternately, so both see the same machine
                ours[row].append(timed(lambda: renderer.render(pixels, [effect])))
                peers[row].append(timed(lambda: peer(pixels)))
            for effect, params in DEPTH_ROWS:
                depths[effect].append(timed(lambda: renderer.render(pixels, [(effect, params)], depth=depth)))

    print(f"# {name}, {size[0]}×{size[1]} RGB, {args.runs} runs; ms per call, numpy in and numpy out")
    print(f"| {'effect':<20} | {'ours ms':>8} | {'spread':>13} | {'peer ms':>8} | {'spread':>13} | {'ratio':>6} | target |")
    print(f"|{'-' * 22}|{'-' * 10}|{'-' * 15}|{'-' * 10}|{'-' * 15}|{'-' * 8}|--------|")
    for row, _, _, target in ROWS:
        a, b = ours[row], peers[row]
        ratio = statistics.median(a) / statistics.median(b)
        goal = f"≤ {target:.1f}" if target else "  –"
        print(f"| {row:<20} | {statistics.median(a):8.1f} | {min(a):5.1f}–{max(a):6.1f} | {statistics.median(b):8.1f} "
              f"| {min(b):5.1f}–{max(b):6.1f} | {ratio:5.2f}× | {goal:>6} |")
    for effect, values in depths.items():
        print(f"| {effect:<20} | {statistics.median(values):8.1f} | {min(values):5.1f}–{max(values):6.1f} "
              f"| {'':>8} | {'':>13} | {'':>6} | ≤ 60 ms |")


if __name__ == "__main__":
    main()
