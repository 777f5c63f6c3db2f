"""Moving sources: what decoding a 1080p H.264 clip costs, what it costs the show, and whether it
holds up over time. The clip is made here from our photographs (10 s, 1920×1080, 30 fps).

    python benchmarks/bench_clip.py throughput [--frames 300]
        decode → RGBA rows on the player's thread (frames/s), and the GL thread's share of each
        frame: the upload through the pixel-unpack buffer, against a plain texture write
    python benchmarks/bench_clip.py window [--frames 300]
        the real window (1280×720, saturate + rgb_split, wall clock): frame p50/p99 with a 1080p
        still picture vs the 1080p clip playing, in one run, and the clip frames that came late
    python benchmarks/bench_clip.py drops [--minutes 5]
        the window playing the clip for that long: frames shown, clip frames late
    python benchmarks/bench_clip.py soak [--minutes 30]
        that much show time of the clip looping on a fixed clock (headless: the player, the
        transport, uploads), as fast as it decodes: the process's memory along the way
"""

from __future__ import annotations

import argparse
import queue
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "images"


def make_clip(folder: Path, seconds: float = 10.0, size: tuple[int, int] = (1920, 1080), fps: int = 30) -> Path:
    import av
    from PIL import Image

    path = folder / f"clip_{size[0]}x{size[1]}.mp4"
    photos = [np.asarray(Image.open(SHARED / name).convert("RGB").resize(size)) for name in ("coffee.png", "motorcycle.png")]
    out = av.open(str(path), "w")
    stream = out.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
    stream.options = {"preset": "veryfast", "g": str(2 * fps), "crf": "20"}  # a camera-like GOP of 2 s
    frames = int(seconds * fps)
    for index in range(frames):
        picture = photos[index // (frames // 2) % 2]
        frame = np.roll(picture, index * 6, axis=1)
        for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    return path


def throughput(clip_path: Path, frames: int) -> None:
    from shaderlab import Renderer
    from shaderlab.gl.streaming import StreamTexture
    from shaderlab.gl.surface import upload
    from shaderlab.media.clip import Clip
    from shaderlab.media.player import ClipPlayer

    inbox: queue.SimpleQueue = queue.SimpleQueue()
    player = ClipPlayer(Clip(clip_path, pixel_format="rgba"), inbox.put).start()  # as the show opens clips
    rows, begun, wanted = [], time.perf_counter(), 0
    player.want(tuple(range(8)))
    while len(rows) < frames:
        message = inbox.get(timeout=30)
        rows.append(message.rows)
        wanted = min(len(rows) + 8, frames)
        player.want(tuple(range(len(rows), wanted)))
    decode_seconds = time.perf_counter() - begun
    player.stop()
    player.join()
    with Renderer() as renderer, renderer.ctx:
        ctx = renderer.ctx
        stream = StreamTexture(ctx, (rows[0].shape[1], rows[0].shape[0]))
        plain = None
        pbo, direct = [], []
        for frame in rows[:120]:
            start = time.perf_counter()
            stream.write(frame)
            ctx.finish()
            pbo.append((time.perf_counter() - start) * 1000)
            top_first = frame[::-1, :, :3]
            start = time.perf_counter()
            plain = upload(ctx, top_first, plain)  # what a still takes: RGB top row first, converted here
            ctx.finish()
            direct.append((time.perf_counter() - start) * 1000)
        stream.release()
        plain.release()
    print(f"\n| 1080p H.264 ({clip_path.name}) | value |\n|---|---|")
    print(f"| decoded and converted on the player's thread | {frames / decode_seconds:.1f} frames/s "
          f"({decode_seconds / frames * 1000:.2f} ms a frame) |")
    print(f"| GL thread per frame: rows into the pixel-unpack buffer and the texture (finished) | median "
          f"{statistics.median(pbo):.2f} ms, p90 {percentile(pbo, 90):.2f} |")
    print(f"| the same frame as a still is uploaded (RGB, flipped and widened on the GL thread) | median "
          f"{statistics.median(direct):.2f} ms, p90 {percentile(direct, 90):.2f} |")
    print(f"\nGL thread share: {statistics.median(pbo) / statistics.median(direct):.2f}× the still upload; "
          f"{statistics.median(pbo) / (1000 / 30) * 100:.1f} % of a 30 fps frame")


def window(source: Path, frames: int, warm: int = 20, rerender: bool = False) -> tuple[list[float], int, int]:
    """``rerender``: the still's chain renders every frame (its texture marked as written each
    frame), as a clip's does; without it the window shows a still's last frame again."""
    return _played(source, lambda count, now: count < frames, warm, rerender)


def _played(source: Path, going: Callable[[int, float], bool], warm: int = 0,
            rerender: bool = False) -> tuple[list[float], int, int]:
    """The real window (1280×720, saturate + rgb_split) showing ``source`` while ``going(frames
    timed, now)``: the frame intervals (ms, wall clock), and of a clip the frames that came
    late and the frames shown meanwhile."""
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.gl.surface import mark_written
    from shaderlab.show.commands import AddEffect

    intervals: list[float] = []
    late = [0, 0]

    def script(app):
        while app.stage.output is None:
            yield
        app.inbox.put(AddEffect("saturate"))
        app.inbox.put(AddEffect("rgb_split"))
        for _ in range(warm):
            yield
        moving = app.stage.moving
        late[0] = moving.late if moving else 0
        shown = moving.frames_shown if moving else 0
        last = time.monotonic()
        while going(len(intervals), last):
            if rerender:
                mark_written(app.stage.source)
            yield
            now = time.monotonic()
            intervals.append((now - last) * 1000)
            last = now
        if moving:
            late[0], late[1] = moving.late - late[0], moving.frames_shown - shown

    run_scripted(script, *play_options([str(source), "--size", "1280x720", "--hide-panel"]), max_frames=10**7)
    return intervals, late[0], late[1]


def window_table(clip_path: Path, frames: int) -> None:
    from PIL import Image

    from shaderlab.media.clip import Clip

    still = clip_path.with_suffix(".png")
    with Clip(clip_path) as clip:
        Image.fromarray(clip.frame(0)).save(still)
    server = start_display(83)
    try:
        rows = [("1080p still, its chain rendered every frame", window(still, frames, rerender=True)),
                ("1080p clip playing", window(clip_path, frames)),
                ("1080p still, again, rendered every frame", window(still, frames, rerender=True)),
                ("1080p still, shown again (the window's reuse)", window(still, frames))]
    finally:
        if server is not None:
            server.terminate()
    print("\n| window 1280×720, saturate + rgb_split | frames | p50 ms | p99 ms | clip frames shown | late |\n|---|---|---|---|---|---|")
    for name, (values, late, shown) in rows:
        extra = f"{shown} | {late}" if "clip" in name else "– | –"
        print(f"| {name} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 99):.2f} | {extra} |")
    still_values = rows[0][1][0] + rows[2][1][0]
    clip_values = rows[1][1][0]
    print(f"\nclip/still (both rendering every frame): p50 {statistics.median(clip_values) / statistics.median(still_values):.3f}×, "
          f"p99 {percentile(clip_values, 99) / percentile(still_values, 99):.3f}×")


def drops(clip_path: Path, minutes: float) -> None:
    server = start_display(84)
    try:
        values, late, shown = _timed(clip_path, minutes)
    finally:
        if server is not None:
            server.terminate()
    print(f"\n| {minutes:g} minutes of a 1080p clip in the window | value |\n|---|---|")
    print(f"| window frames | {len(values)} (p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 99):.1f} ms) |")
    print(f"| clip frames shown | {shown} |")
    print(f"| clip frames late (due before they were decoded) | {late} ({late / max(shown, 1) * 100:.2f} % of those shown) |")


def _timed(clip_path: Path, minutes: float) -> tuple[list[float], int, int]:
    end = time.monotonic() + minutes * 60
    return _played(clip_path, lambda count, now: now < end)


def soak(clip_path: Path, minutes: float) -> None:
    from shaderlab import Renderer
    from shaderlab.media.clip import Clip
    from shaderlab.media.player import ClipPlayer
    from shaderlab.stage.moving import ClipPicture

    fps = 30.0
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    player = ClipPlayer(Clip(clip_path, pixel_format="rgba"), inbox.put)
    samples: list[tuple[int, float, float]] = []
    frames = int(minutes * 60 * fps)
    with Renderer() as renderer, renderer.ctx:
        picture = ClipPicture(renderer.ctx, player, clip_path.name)
        player.start()
        begun = time.perf_counter()
        values = {"speed": 1.0, "mode": 0}
        for index in range(frames):
            # As the GL thread does each frame: take what arrived, move the head, upload. Here
            # the show then waits for a frame that is not decoded yet, so every frame is shown.
            while True:
                try:
                    picture.offer(inbox.get_nowait())
                except queue.Empty:
                    break
            picture.tick(1 / fps if index else 0.0, values)
            while picture.shown_index != picture.transport.index:
                picture.offer(inbox.get(timeout=30))
                picture.tick(0.0, values)
            if index % 1800 == 0:
                rss = _rss_mb()
                samples.append((index, (time.perf_counter() - begun) / 60, rss))
                print(f"  show minute {index / 1800:5.1f}: {rss:7.1f} MB (wall {samples[-1][1]:.1f} min)", file=sys.stderr)
        picture.release()
    samples.append((frames, (time.perf_counter() - begun) / 60, _rss_mb()))
    print(f"\n| {minutes:g} minutes of show time, the clip looping ({frames} frames) | resident memory MB |\n|---|---|")
    for index, wall, rss in samples[:: max(1, len(samples) // 10)] + [samples[-1]]:
        print(f"| show minute {index / 1800:.0f} (wall {wall:.1f} min) | {rss:.1f} |")
    after_warm = [rss for index, _, rss in samples if index >= 1800]
    print(f"\nfrom minute 1 on: min {min(after_warm):.1f} MB, max {max(after_warm):.1f} MB, "
          f"growth {after_warm[-1] - after_warm[0]:+.1f} MB")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("throughput", "window", "drops", "soak"))
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--minutes", type=float)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clip_path = make_clip(Path(folder))
        if args.what == "throughput":
            throughput(clip_path, args.frames)
        elif args.what == "window":
            window_table(clip_path, args.frames)
        elif args.what == "drops":
            drops(clip_path, args.minutes or 5.0)
        else:
            soak(clip_path, args.minutes or 30.0)


if __name__ == "__main__":
    main()
