"""Bundled effects against their own files at another git revision, alternately in one process
(the same renderer, upload and read-back, so only the shader differs), through the API at 1080p.

    python benchmarks/bench_shaders_vs.py REF EFFECT[,EFFECT...] [--runs 15] [--values radius=8,16,32]

Prints, per effect (and per value of ``--values``: one input at each of several values), the
median and spread before (REF's file) and now, the ratio now/before, and the largest
difference between their outputs (0: the same pixels).
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
    parser.add_argument("--values", help="NAME=V1,V2,...: each effect at each of these values of one input")
    args = parser.parse_args()
    names = args.effects.split(",")
    rows: list[tuple[str, dict]] = [(name, {}) for name in names]
    if args.values:
        key, _, listed = args.values.partition("=")
        rows = [(name, {key: float(v)}) for name in names for v in listed.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="shaderlab-vs-"))
    for name in names:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.ref}:shaders/{name}.fs"],
                              capture_output=True, text=True, check=True).stdout
        (folder / f"{name}_before.fs").write_text(text)
    size = (1920, 1080)
    pixels = np.asarray(Image.open(ROOT / "assets" / "coffee.png").convert("RGB").resize(size)).copy()
    depth = np.broadcast_to(np.linspace(0, 1, size[1], dtype=np.float32)[:, None], (size[1], size[0])).copy()
    times: dict[tuple, list[float]] = {}
    outputs: dict[tuple, np.ndarray] = {}
    label = lambda name, values: name + "".join(f" {k}={v:g}" for k, v in values.items())  # noqa: E731
    with Renderer([folder], vet=False) as renderer:
        for name, values in rows:  # warm up: compile both, make the buffers
            for variant in (name, f"{name}_before"):
                renderer.render(pixels, [(variant, values)], depth=depth)
        for _ in range(args.runs):
            for name, values in rows:
                for variant in (name, f"{name}_before"):
                    key = (variant, label(name, values))
                    start = time.perf_counter()
                    outputs[key] = renderer.render(pixels, [(variant, values)], time=0.3, depth=depth)
                    times.setdefault(key, []).append((time.perf_counter() - start) * 1000)
    print(f"# {args.runs} runs, 1920×1080 through the API, alternately")
    print(f"| effect | before ({args.ref}) ms | now ms | now/before | largest difference |\n|---|---|---|---|---|")
    for name, values in rows:
        row = label(name, values)
        before, now = times[(f"{name}_before", row)], times[(name, row)]
        diff = int(np.abs(outputs[(name, row)].astype(int) - outputs[(f"{name}_before", row)]).max())
        print(f"| {row} | {statistics.median(before):.1f} ({min(before):.1f}–{max(before):.1f}) "
              f"| {statistics.median(now):.1f} ({min(now):.1f}–{max(now):.1f}) "
              f"| {statistics.median(now) / statistics.median(before):.2f}× | {diff} |")

if __name__ == "__main__":
    main()
