"""Commands applied on the GL thread: a burst of 10,000 queued commands, in the real window.

    python benchmarks/bench_commands.py [--frames 300] [--burst 10000] [--every 100] [--runs 3]

The window runs in this process (hidden, 1280×720, two effects). Before every ``--every``-th
frame a thread of its own posts ``--burst`` SetValue commands into the inbox, as a flooding
controller would, so that the frame starts with all of them queued, and drains them. Printed per run: the frame interval median and p99 of an
idle run and of a run with bursts (same process, same machine), their ratio, how long one
burst took to apply, commands per second, and whether every burst was applied within its frame.
Starts Xvfb when no DISPLAY is set.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from pathlib import Path

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]


def one_run(frames: int, burst: int, every: int) -> dict:
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.show.commands import AddEffect, SetValue

    intervals: list[float] = []
    applied: list[float] = []  # seconds each burst took to drain
    left: list[int] = []  # commands still queued after a burst's frame
    burst_frames: list[float] = []  # the intervals of the frames that applied a burst

    def script(app):
        while app.stage.output is None:
            yield
        app.inbox.put(AddEffect("saturate"))
        app.inbox.put(AddEffect("rgb_split"))
        for _ in range(10):  # warm up
            yield
        addresses = ["chain/saturate/amount", "chain/rgb_split/amount"]
        drain = app.dispatch.drain

        def timed_drain(closing: bool = False) -> None:
            start = time.perf_counter()
            drain(closing)
            if app.inbox.qsize() == 0 and pending[0]:
                applied.append(time.perf_counter() - start)
                pending[0] = False

        pending = [False]
        app.dispatch.drain = timed_drain
        last = time.perf_counter()
        for index in range(frames):
            burst_frame = burst and index % every == every - 1
            if burst_frame:
                def flood() -> None:
                    for i in range(burst):
                        app.inbox.put(SetValue(addresses[i % 2], (i % 400) / 100))

                # A controller's thread posts the whole burst between two frames (the GL thread
                # waits for it here, outside the measured interval): the next frame starts with
                # all of it queued.
                producer = threading.Thread(target=flood)
                producer.start()
                producer.join()
                pending[0] = True
                last = time.perf_counter()
            yield
            now = time.perf_counter()
            intervals.append((now - last) * 1000)
            last = now
            if burst_frame:
                left.append(app.inbox.qsize())
                burst_frames.append(intervals[-1])

    run_scripted(script, *play_options([str(ROOT / "assets" / "coffee.png"), "--size", "1280x720"]))
    return {
        "median": statistics.median(intervals),
        "p99": percentile(intervals, 0.99),
        "applied_ms": statistics.median(applied) * 1000 if applied else 0.0,
        "bursts": len(left),
        "burst_frames": statistics.median(burst_frames) if burst_frames else 0.0,
        "within_frame": all(n == 0 for n in left),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=100, help="a burst before every Nth frame")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = start_display(78)
    try:
        print(f"# window 1280×720, coffee.png, saturate + rgb_split; {args.runs} runs × {args.frames} frames;"
              f" {args.burst} commands before every {args.every}th frame")
        print("| run | idle median ms | idle p99 ms | with bursts median ms | with bursts p99 ms | p99 ratio | "
              "frames that applied a burst, median ms | one burst applied in ms | commands/s | all within their frame |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        ratios = []
        for run in range(1, args.runs + 1):
            idle = one_run(args.frames, 0, args.every)
            busy = one_run(args.frames, args.burst, args.every)
            ratio = busy["p99"] / idle["p99"]
            ratios.append(ratio)
            rate = args.burst / (busy["applied_ms"] / 1000) if busy["applied_ms"] else float("inf")
            print(f"| {run} | {idle['median']:.2f} | {idle['p99']:.2f} | {busy['median']:.2f} | {busy['p99']:.2f} | "
                  f"{ratio:.3f} | {busy['burst_frames']:.2f} | {busy['applied_ms']:.1f} | {rate:,.0f} | {busy['within_frame']} ({busy['bursts']} bursts) |")
        print(f"\np99 ratio (bursts / idle): median {statistics.median(ratios):.3f}, "
              f"spread {min(ratios):.3f}–{max(ratios):.3f}")
    finally:
        if server is not None:
            server.terminate()


if __name__ == "__main__":
    main()
