"""Replay throughput: a show logged in the real window (hidden, window 1280×720, the 600×400 demo picture, an LFO
on rgb_split, saturate, blur, pixelate, arrow-key sorting, a blackout) rendered again headless
at 1920×1080 — frames per second rendered and read back, and with MP4 encoding.

    python benchmarks/bench_replay.py [--frames 120]

Starts Xvfb when no DISPLAY is set (for the live part).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from display import start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]


def record(folder: Path, frames: int) -> Path:
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.render.clock import FixedClock
    from shaderlab.show import commands as c

    def script(app):
        while app.stage.output is None or app.outputs.show_log is None:
            yield
        for name in ("saturate", "rgb_split", "blur", "pixelate"):
            app.inbox.put(c.AddEffect(name))
        app.inbox.put(c.Modulate((("address", "chain/rgb_split/amount"), ("shape", "sine"), ("sync", "1 bar"),
                                  ("depth", 0.2))))
        for n in range(frames):
            if n % 10 == 0:
                app.inbox.put(c.SortStep("right"))
            if n == frames - 20:
                app.inbox.put(c.Toggle("settings/show/blackout"))
            yield

    log = folder / "show.log"
    run_scripted(script, *play_options([str(ROOT / "assets" / "coffee.png"), "--size", "1280x720",
                                        "--show-log", str(log)]), clock=FixedClock(30.0))
    return log


def replay(log: Path, size: tuple[int, int] | None, encode: Path | None) -> tuple[int, float]:
    from shaderlab.io.export import FrameWriter
    from shaderlab.render.renderer import Renderer
    from shaderlab.show.show_log import read
    from shaderlab.stage.replay import Replay, live_size

    head, states = read(log)
    with Renderer(vet=False) as renderer:
        player = Replay(renderer.ctx, renderer.programs, live_size(head), size)
        count, start = 0, time.perf_counter()
        writer = FrameWriter(encode, size, 30.0) if encode else None
        try:
            for pixels in player.frames(states):
                if writer is not None:
                    writer.write(pixels)
                count += 1
            if writer is not None:
                writer.close()
        finally:
            player.release()
        return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-replay-"))
    server = start_display(83)
    try:
        log = record(folder, args.frames)
    finally:
        if server is not None:
            server.terminate()
    print("\n| replay of a logged show (4 effects, LFO, sorting, blackout) | frames | seconds | frames/s |")
    print("|---|---|---|---|")
    for label, size, encode in (("at the live output's size (600×400), rendered + read back", None, None),
                                ("1920×1080, rendered + read back", (1920, 1080), None),
                                ("1920×1080, rendered + MP4 encoded", (1920, 1080), folder / "set.mp4")):
        count, seconds = replay(log, size, encode)
        print(f"| {label} | {count} | {seconds:.2f} | {count / seconds:.1f} |")


if __name__ == "__main__":
    main()
