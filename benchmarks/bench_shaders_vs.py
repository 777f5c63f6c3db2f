"""Bundled effects against their own files at another git revision, alternately in one process
(the same renderer, upload and read-back, so only the shader differs), through the API at 1080p.

    python benchmarks/bench_shaders_vs.py REF EFFECT[,EFFECT...] [--runs 15]

Prints, per effect, the median and spread before (REF's file) and now, the ratio now/before,
and the largest difference between their outputs (0: the same pixels).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab import Renderer

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="a git revision, e.g. HEAD~3")
    parser.add_argument("effects", help="bundled effects, comma-separated")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    names = args.effects.split(",")
    folder = Path(tempfile.mkdtemp(prefix="shaderlab-vs-"))
    for name in names:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.ref}:shaders/{name}.fs"],
                              capture_output=True, text=True, check=True).stdout
        (folder / f"{name}_before.fs").write_text(text)
    size = (1920, 1080)
    pixels = np.asarray(Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size)).copy()
    depth = np.broadcast_to(np.linspace(0, 1, size[1], dtype=np.float32)[:, None], (size[1], size[0])).copy()
    times: dict[str, list[float]] = {}
    outputs: dict[str, np.ndarray] = {}
    with Renderer([folder], vet=False) as renderer:
        for name in names:  # warm up: compile both
            for variant in (name, f"{name}_before"):
                renderer.render(pixels, [variant], depth=depth)
        for _ in range(args.runs):
            for name in names:
                for variant in (name, f"{name}_before"):
                    start = time.perf_counter()
                    outputs[variant] = renderer.render(pixels, [variant], time=0.3, depth=depth)
                    times.setdefault(variant, []).append((time.perf_counter() - start) * 1000)
    print(f"# {args.runs} runs, 1920×1080 through the API, alternately")
    print(f"| effect | before ({args.ref}) ms | now ms | now/before | largest difference |\n|---|---|---|---|---|")
    for name in names:
        before, now = times[f"{name}_before"], times[name]
        diff = int(np.abs(outputs[name].astype(int) - outputs[f"{name}_before"]).max())
        print(f"| {name} | {statistics.median(before):.1f} ({min(before):.1f}–{max(before):.1f}) "
              f"| {statistics.median(now):.1f} ({min(now):.1f}–{max(now):.1f}) "
              f"| {statistics.median(now) / statistics.median(before):.2f}× | {diff} |")


if __name__ == "__main__":
    main()
