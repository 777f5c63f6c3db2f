"""Cue launch accuracy against the beat: cues quantised to the next beat, launched at random
moments in the real window (hidden, 1280×720, wall clock); how late the first frame that shows
each cue is after its beat line, beside the frame interval that bounds it.

    python benchmarks/bench_cues.py [--launches 60] [--bpm 128]

Starts Xvfb when no DISPLAY is set.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]


def write_set(folder: Path, bpm: float) -> Path:
    for name, amount in (("a", 0.5), ("b", 3.0)):
        (folder / f"{name}.toml").write_text(
            f'[tempo]\nbpm = {bpm}\n[[effects]]\nname = "saturate"\nid = "saturate"\nparams = {{ amount = {amount} }}\n'
            '[[effects]]\nname = "rgb_split"\nid = "rgb_split"\n')
    cues = "".join(f'[[cue]]\nname = "{n}"\nscene = "{n}.toml"\ntransition = "cut"\nquantise = "beat"\n' for n in "ab")
    (folder / "set.toml").write_text(cues)
    return folder / "set.toml"


def run(launches: int, bpm: float) -> tuple[list[float], list[float]]:
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.show.commands import CueJump

    folder = Path(tempfile.mkdtemp(prefix="bench-cues-"))
    path = write_set(folder, bpm)
    intervals: list[float] = []
    rng = random.Random(1)

    def script(app):
        while app.stage.output is None or len(app.cues.set.cues) < 2:
            yield
        for _ in range(10):
            yield
        last = time.monotonic()
        for n in range(launches):
            app.inbox.put(CueJump(1 + n % 2))
            wait_until = time.monotonic() + 60.0 / bpm * (1.2 + rng.random())  # past the line, at a random phase
            while time.monotonic() < wait_until:
                yield
                now = time.monotonic()
                intervals.append((now - last) * 1000)
                last = now
        result.extend(t * 1000 for t in app.cues.late)

    result: list[float] = []
    run_scripted(script, *play_options([str(ROOT / "assets" / "coffee.png"), "--size", "1280x720", "--set", str(path)]))
    return result, intervals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=60)
    parser.add_argument("--bpm", type=float, default=128.0)
    args = parser.parse_args()
    server = start_display(81)
    try:
        late, intervals = run(args.launches, args.bpm)
    finally:
        if server is not None:
            server.terminate()
    print(f"\n| {args.launches} launches quantised to the beat at {args.bpm:g} BPM | median ms | p99 ms | max ms |")
    print("|---|---|---|---|")
    print(f"| first frame showing the cue, after its beat line | {statistics.median(late):.1f} | "
          f"{percentile(late, 99):.1f} | {max(late):.1f} |")
    print(f"| frame interval (the bound) | {statistics.median(intervals):.1f} | {percentile(intervals, 99):.1f} | "
          f"{max(intervals):.1f} |")
    print(f"\nlaunches measured: {len(late)} (ratio p99 late / p99 frame interval: "
          f"{percentile(late, 99) / percentile(intervals, 99):.2f})")


if __name__ == "__main__":
    main()
