"""Frame times with the panel's window alone versus with the clean output in a second window
(the real window in this process, 1280×720, saturate + rgb_split, wall clock; the output window
at 1280×720 too). The target: the second window costs at most 10 % at p99.

    python benchmarks/bench_output.py [--frames 300]

Starts Xvfb when no DISPLAY is set (where there is no vsync: the ratio is what drawing and
swapping the second window costs).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]


def run(frames: int, output: bool) -> list[float]:
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.show.commands import AddEffect

    intervals: list[float] = []

    def script(app):
        while app.stage.output is None:
            yield
        app.inbox.put(AddEffect("saturate"))
        app.inbox.put(AddEffect("rgb_split"))
        for _ in range(15):
            yield
        last = time.monotonic()
        for _ in range(frames):
            yield
            now = time.monotonic()
            intervals.append((now - last) * 1000)
            last = now

    arguments = [str(ROOT / "assets" / "coffee.png"), "--size", "1280x720"]
    if output:
        arguments += ["--output", "--output-size", "1280x720"]
    run_scripted(script, *play_options(arguments))
    return intervals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    server = start_display(82)
    try:
        rows = [("panel window alone", run(args.frames, False)), ("with the output window", run(args.frames, True)),
                ("panel window alone, again", run(args.frames, False))]
    finally:
        if server is not None:
            server.terminate()
    print("\n| 1280×720, saturate + rgb_split | frames | p50 ms | p99 ms |\n|---|---|---|---|")
    for name, values in rows:
        print(f"| {name} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 99):.2f} |")
    alone = [v for name, values in rows if "alone" in name for v in values]
    both = rows[1][1]
    print(f"\np50 ratio with/alone: {statistics.median(both) / statistics.median(alone):.3f}; "
          f"p99 ratio: {percentile(both, 99) / percentile(alone, 99):.3f}")


if __name__ == "__main__":
    main()
