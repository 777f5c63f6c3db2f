"""Frame times of the real window (panel drawn) at 1280×720: `shaderlab play --frames N --stats`.

    python benchmarks/bench_window.py [--runs 3] [--frames 300]

Starts Xvfb when no DISPLAY is set. Each row is one chain; the numbers are medians over the
runs of each run's median/p95/p99 frame interval, with the spread of the run medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Each row: the play arguments after the image.
CHAINS = {
    "no effects": [],
    "saturate": ["-e", "saturate"],
    "rgb_split + colorize": ["-e", "rgb_split amount=12", "-e", "colorize palette=neon mixAmount=0.5"],
    "blur radius 4": ["-e", "blur radius=4"],
    "auto sort, 8 steps/frame": ["--auto-sort"],
    "pixelsort settled": ["-e", "pixelsort key=hue"],
}


def start_display() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY"):
        return None
    server = subprocess.Popen(["Xvfb", ":77", "-screen", "0", "1920x1080x24"], stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    os.environ["DISPLAY"] = ":77"
    return server


def run(arguments: list[str], frames: int, image: Path) -> dict:
    command = [sys.executable, "-m", "shaderlab", "play", str(image), "--size", "1280x720",
               "--frames", str(frames), "--stats", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--image", type=Path, default=ROOT / "assets" / "coffee.png")
    args = parser.parse_args()
    server = start_display()
    try:
        print(f"# window 1280×720, {args.image.name}, {args.runs} runs × {args.frames} frames")
        print(f"| {'chain':<22} | {'median ms':>9} | {'p95 ms':>7} | {'p99 ms':>7} | {'median spread':>13} |")
        print(f"|{'-' * 24}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 15}|")
        for name, chain in CHAINS.items():
            stats = [run(chain, args.frames, args.image) for _ in range(args.runs)]
            medians = [s["median_ms"] for s in stats]
            spread = f"{min(medians):.2f}–{max(medians):.2f}"
            print(
                f"| {name:<22} | {statistics.median(medians):9.2f} | "
                f"{statistics.median(s['p95_ms'] for s in stats):7.2f} | "
                f"{statistics.median(s['p99_ms'] for s in stats):7.2f} | {spread:>13} |"
            )
    finally:
        if server:
            server.terminate()


if __name__ == "__main__":
    main()
