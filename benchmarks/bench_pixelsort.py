"""Pixel sort speed at 1920×1080: GPU settled sort vs the numpy reference, auto steps, and
whole-process `shaderlab sort` vs the `pixelsort` command.

    python benchmarks/bench_pixelsort.py [--runs 7] [--size 1920x1080] [--pixelsort PATH]

settled: ms for one full sort (GL work only, finished), median and min–max over RUNS, and its
ratio to a vectorised numpy sort of the same semantics (one stable argsort per row) timed in
the same run. auto: ms per odd-even step, and the steps it takes to converge. The last table
times whole processes; give --pixelsort-python the Python of a venv that has the package (its
1.0.2 release needs Pillow < 10.4: `python -m venv /tmp/ps && /tmp/ps/bin/pip install
pixelsort==1.0.2 "Pillow<10.4"`, then `--pixelsort-python /tmp/ps/bin/python`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab import Renderer
from shaderlab.gl.surface import Surface, upload
from shaderlab.sort.cpu import sort_numpy
from shaderlab.sort.options import SortOptions

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    SortOptions(key="lightness", interval="threshold"),
    SortOptions(key="hue", interval="threshold"),
    SortOptions(key="lightness", interval="none"),
    SortOptions(key="intensity", interval="edges"),
    SortOptions(key="lightness", interval="threshold", direction="up"),
]


def describe(options: SortOptions) -> str:
    return f"{options.key}/{options.interval}/{options.direction}"


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} | {min(values):7.2f}–{max(values):<7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--pixelsort-python", help="a Python that has pixelsort 1.0.2, for the process table")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    photo = Image.open(ROOT / "assets" / "motorcycle.png").convert("RGBA").resize(size, Image.Resampling.BICUBIC)
    pixels = np.asarray(photo)

    with Renderer() as renderer, renderer.ctx:
        ctx = renderer.ctx
        effect = renderer.programs.get("pixelsort")
        instance = effect.instance(size)
        source = upload(ctx, pixels)
        target = Surface(ctx, size)
        print(f"# {ctx.info['GL_RENDERER']}, {size[0]}×{size[1]}, {args.runs} runs")
        print("| settled sort | GPU ms median | GPU min–max | numpy ms median | numpy min–max | GPU / numpy |")
        print("|---|---|---|---|---|---|")
        for options in CASES:
            mask = effect.all_sortable
            instance.sort(source, options, mask, target)  # warm up, allocate
            ctx.finish()
            gpu, cpu, ratios = [], [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                instance.sort(source, options, mask, target)
                ctx.finish()
                gpu.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                sort_numpy(pixels, options)
                cpu.append((time.perf_counter() - start) * 1000)
                ratios.append(gpu[-1] / cpu[-1])
            print(f"| {describe(options)} | {spread(gpu)} | {spread(cpu)} | {statistics.median(ratios):.3f} |")
        chosen = effect.algorithm
        effect.algorithm = "fragment"  # the OpenGL 3.3 path, for comparison
        options = CASES[0]
        instance.sort(source, options, effect.all_sortable, target)
        ctx.finish()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            instance.sort(source, options, effect.all_sortable, target)
            ctx.finish()
            times.append((time.perf_counter() - start) * 1000)
        effect.algorithm = chosen
        print(f"| {describe(options)}, fragment passes (GL 3.3 path) | {spread(times)} | | | |")
        print(f"\n(algorithm picked for this device: {chosen})")

        print("\n| auto (odd-even) | steps/frame | ms per frame median | min–max | ms per step | steps to converge |")
        print("|---|---|---|---|---|---|")
        for options in CASES[:3]:
            converged = converge(instance, source, options, ctx, target)
            for steps in (1, 8, 16):
                instance.restart(source, options, effect.all_sortable)
                instance.advance(source, options, steps)
                ctx.finish()
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    instance.advance(source, options, steps)
                    ctx.finish()
                    times.append((time.perf_counter() - start) * 1000)
                per_step = statistics.median(times) / steps
                print(f"| {describe(options)} | {steps} | {spread(times)} | {per_step:.2f} | {converged} |")
        instance.release()
        target.release()

    if args.pixelsort_python:
        processes(args, photo)


def converge(instance, source, options, ctx, target) -> int:
    """Steps until the canvas equals the settled sort (checked every 16 steps)."""
    from shaderlab.render.renderer import read_texture

    instance.sort(source, options, instance.effect.all_sortable, target)
    settled = read_texture(target.texture, target.size)
    instance.restart(source, options, instance.effect.all_sortable)
    while True:
        canvas = instance.advance(source, options, 16)
        if np.array_equal(read_texture(canvas, target.size), settled):
            return instance.steps_done


def processes(args, photo: Image.Image) -> None:
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "in.png"
        photo.convert("RGB").save(image)
        commands = {
            "shaderlab sort": lambda i: [sys.executable, "-m", "shaderlab", "sort", str(image), "-o", f"{folder}/a{i}.png"],
            "pixelsort": lambda i: [args.pixelsort_python, "-m", "pixelsort", str(image), "-o", f"{folder}/b{i}.png"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(3):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command(i), check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
        print("\n| whole process (lightness/threshold, 1920×1080) | s median | min–max |")
        print("|---|---|---|")
        for name, values in times.items():
            print(f"| {name} | {spread(values)} |")
        ratio = statistics.median(times["shaderlab sort"]) / statistics.median(times["pixelsort"])
        same = np.array_equal(np.asarray(Image.open(f"{folder}/a0.png").convert("RGBA")),
                              np.asarray(Image.open(f"{folder}/b0.png").convert("RGBA")))
        print(f"\nshaderlab sort / pixelsort: {ratio:.4f}; identical outputs: {same}")


if __name__ == "__main__":
    main()
