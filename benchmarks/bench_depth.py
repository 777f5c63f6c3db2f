"""Depth effects at 1920×1080 headless, and MP4 encoding throughput.

    python benchmarks/bench_depth.py [--runs 5] [--frames 10] [--encode 120]

Effects: ms per frame (GL work, each frame finished), median and min–max over RUNS, on the
motorcycle photo and its measured depth map scaled to 1080p. Encoding: frames per second the
writer thread takes for a 1080p MP4 on its own, and for render + encode together (as
`shaderlab render --frames` does), each against the time to render the same frames alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_effects import time_chain  # noqa: E402

from shaderlab import Renderer  # noqa: E402
from shaderlab.gl.surface import upload, upload_depth  # noqa: E402
from shaderlab.io.depth import load_depth  # noqa: E402
from shaderlab.io.export import FrameWriter  # noqa: E402
from shaderlab.render.chain import DEPTH_IMAGE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EFFECTS = [
    ("depthmap", {}),
    ("depth_colour", {"bands": 3.0, "speed": 0.5}),
    ("depth_parallax", {"orbit": 20.0}),
    ("depth_of_field", {"maxRadius": 10.0}),
    ("depth_slices", {}),
    ("depth_waves", {}),
    ("depth_split", {}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--encode", type=int, default=120, help="frames in the encoding test")
    args = parser.parse_args()
    size = (1920, 1080)
    photo = np.asarray(Image.open(ROOT / "assets" / "motorcycle.png").convert("RGB").resize(size, Image.Resampling.BICUBIC))
    depth = load_depth(ROOT / "assets" / "motorcycle-depth.png", size)

    with Renderer() as renderer, renderer.ctx:
        source = upload(renderer.ctx, photo)
        depth_texture = upload_depth(renderer.ctx, depth)
        print(f"# {renderer.ctx.info['GL_RENDERER']}, {size[0]}×{size[1]}, {args.runs} runs × {args.frames} frames")
        print("| depth effect | median ms | min–max ms |")
        print("|---|---|---|")
        for name, params in EFFECTS:
            values = [
                time_chain(renderer, source, [(name, params)], args.frames, {DEPTH_IMAGE: depth_texture}) * 1000
                for _ in range(args.runs)
            ]
            print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f}–{max(values):.2f} |")

    chain = [("depth_colour", {"bands": 3.0, "speed": 0.5})]
    with Renderer() as renderer, tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        frames = [renderer.render(photo, chain, time=i / 30, depth=depth) for i in range(args.encode)]
        render_only = time.perf_counter() - start

        start = time.perf_counter()
        writer = FrameWriter(Path(folder) / "alone.mp4", size, 30.0)
        for frame in frames:
            writer.write(frame)
        writer.close()
        encode_only = time.perf_counter() - start

        start = time.perf_counter()
        writer = FrameWriter(Path(folder) / "both.mp4", size, 30.0)
        for i in range(args.encode):
            writer.write(renderer.render(photo, chain, time=i / 30, depth=depth))
        writer.close()
        both = time.perf_counter() - start

    n = args.encode
    print(f"\n| 1080p MP4, {n} frames | s | frames/s |")
    print("|---|---|---|")
    print(f"| render + read back only | {render_only:.2f} | {n / render_only:.1f} |")
    print(f"| encode only (writer thread, libx264) | {encode_only:.2f} | {n / encode_only:.1f} |")
    print(f"| render + encode (as `render --frames`) | {both:.2f} | {n / both:.1f} |")
    print(f"\nrender+encode / max(render, encode): {both / max(render_only, encode_only):.2f} (1.0 = fully overlapped)")


if __name__ == "__main__":
    main()
