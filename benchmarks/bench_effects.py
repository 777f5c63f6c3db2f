"""ms per frame for each effect alone and for a chain of all six, headless, at 1920×1080.

    python benchmarks/bench_effects.py [--runs 7] [--frames 10] [--size 1920x1080]

Each run renders FRAMES frames on the GL side only (no read-back), waiting for the GPU to
finish each one; the table gives the median over RUNS runs and the spread (min–max). The last line is
the chain's time against the sum of the single effects measured in the same run: near 1.0
means no hidden copies or read-backs between effects.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab import Renderer
from shaderlab.gl.surface import upload
from shaderlab.render.clock import FixedClock

ROOT = Path(__file__).resolve().parents[1]
EFFECTS = [
    ("rgb_split", {"amount": 8.0, "angle": 30.0}),
    ("blur", {"radius": 8.0}),
    ("sharpen", {"amount": 1.0, "radius": 2.0}),
    ("pixelate", {"size": 12}),
    ("saturate", {"amount": 1.5}),
    ("colorize", {"palette": 3, "mixAmount": 0.7}),
]


def time_chain(renderer: Renderer, source, chain, frames: int, images=None) -> float:
    """Seconds per frame for ``chain`` over ``source``, GL work only."""
    steps = renderer.steps(chain)
    clock = FixedClock(60.0)
    renderer.chain.run(source, steps, source.size, clock.tick(), images)  # allocate, warm up
    renderer.ctx.finish()
    start = time.perf_counter()
    for _ in range(frames):
        renderer.chain.run(source, steps, source.size, clock.tick(), images)
        # Finish every frame, as a displayed frame must be: without it llvmpipe drops the
        # draws that the next frame's full-screen draw overwrites, and times look too good.
        renderer.ctx.finish()
    return (time.perf_counter() - start) / frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    photo = Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size, Image.Resampling.BICUBIC)

    with Renderer() as renderer:
        with renderer.ctx:
            source = upload(renderer.ctx, np.asarray(photo))
            rows = {name: [] for name, _ in EFFECTS}
            rows["chain of all six"] = []
            ratios = []
            for _ in range(args.runs):
                singles = 0.0
                for name, params in EFFECTS:
                    seconds = time_chain(renderer, source, [(name, params)], args.frames)
                    rows[name].append(seconds * 1000)
                    singles += seconds
                chain = time_chain(renderer, source, EFFECTS, args.frames)
                rows["chain of all six"].append(chain * 1000)
                ratios.append(chain / singles)
            renderer_name = renderer.ctx.info["GL_RENDERER"]

    print(f"# {renderer_name}, {size[0]}×{size[1]}, {args.runs} runs × {args.frames} frames")
    print(f"| {'effect':<18} | {'median ms':>9} | {'min–max ms':>15} |")
    print(f"|{'-' * 20}|{'-' * 11}|{'-' * 17}|")
    for name, values in rows.items():
        spread = f"{min(values):.2f}–{max(values):.2f}"
        print(f"| {name:<18} | {statistics.median(values):9.2f} | {spread:>15} |")
    print(
        f"\nchain / sum of singles: median {statistics.median(ratios):.3f} "
        f"(min {min(ratios):.3f}, max {max(ratios):.3f}); target ≤ 1.2"
    )


if __name__ == "__main__":
    main()
