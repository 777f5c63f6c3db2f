"""ms per frame of the sampler, enhance and random-network effects, against passthrough.

    python benchmarks/bench_instruments.py [--runs 5] [--frames 5] [--size 1280x720]

GL work only, finished every frame (see bench_effects.py); the median over RUNS runs, the
spread (min–max) and the ratio to passthrough measured in the same run, which is what to
compare across machines (a CPU rasterizer's absolute times say little about a GPU's).
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from PIL import Image

from bench_effects import ROOT, time_chain
from shaderlab import Renderer
from shaderlab.gl.surface import upload

CASES = [
    ("passthrough", "passthrough", {}),
    ("sampler zoom nearest", "sampler", {}),
    ("sampler zoom smooth", "sampler", {"interpolation": 1}),
    ("sampler tile mirror", "sampler", {"mode": 1, "mirror": True}),
    ("enhance", "enhance", {}),
    ("network 4×12 tanh", "random_network", {}),
    ("network 7×16 mixed", "random_network", {"depth": 7, "width": 16, "activation": 5}),
    ("network grid 8×8", "random_network", {"grid": 8}),
    ("network weights animated", "random_network", {"animate": 2}),
    ("network grid 8×8 animated", "random_network", {"grid": 8, "animate": 2}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    photo = Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size, Image.Resampling.BICUBIC)
    rows: dict[str, list[float]] = {label: [] for label, _, _ in CASES}
    ratios: dict[str, list[float]] = {label: [] for label, _, _ in CASES}
    with Renderer() as renderer, renderer.ctx:
        source = upload(renderer.ctx, np.asarray(photo))
        for _ in range(args.runs):
            reference = None
            for label, name, params in CASES:
                seconds = time_chain(renderer, source, [(name, params)], args.frames)
                reference = reference or seconds
                rows[label].append(seconds * 1000)
                ratios[label].append(seconds / reference)
        renderer_name = renderer.ctx.info["GL_RENDERER"]
    print(f"# {renderer_name}, {size[0]}×{size[1]}, {args.runs} runs × {args.frames} frames")
    print(f"| {'effect':<26} | {'median ms':>9} | {'min–max ms':>15} | {'× passthrough':>13} |")
    print(f"|{'-' * 28}|{'-' * 11}|{'-' * 17}|{'-' * 15}|")
    for label, values in rows.items():
        spread = f"{min(values):.2f}–{max(values):.2f}"
        print(f"| {label:<26} | {statistics.median(values):9.2f} | {spread:>15} | {statistics.median(ratios[label]):13.1f} |")


if __name__ == "__main__":
    main()
