"""Clips on the command line, run for real: ``render clip`` gives every input frame through the
chain, the same command the same frames, ``--frames/--fps`` resample by time, ``sort clip``
sorts every frame exactly as the picture sort does — and bad clips are one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from clips import decoded_frames, make_clip
from conftest import run_cli

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def clip_path(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clips") / "stamped.mp4", frames=24, gop=8)


@pytest.fixture(scope="module")
def decoded(clip_path):
    return decoded_frames(clip_path)


def _frames(folder: Path) -> list[np.ndarray]:
    return [np.asarray(Image.open(p))[..., :3] for p in sorted(folder.glob("frame_*.png"))]


def test_every_input_frame_through_the_chain_the_same_every_time(tmp_path, clip_path, decoded, renderer):
    chain = ["-e", "rgb_split amount=6", "-e", "saturate amount=1.6"]
    for name in ("first", "second"):
        result = run_cli("render", str(clip_path), *chain, "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    first, second = _frames(tmp_path / "first"), _frames(tmp_path / "second")
    assert len(first) == 24
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    effects = [("rgb_split", {"amount": 6}), ("saturate", {"amount": 1.6})]
    for n in (0, 7, 23):
        expected = renderer.render(decoded[n], effects, time=n / 30)[..., :3]
        assert np.array_equal(first[n], expected), n


def test_frames_and_fps_resample_the_clip_by_time(tmp_path, clip_path, decoded, renderer):
    out = tmp_path / "resampled"
    result = run_cli("render", str(clip_path), "-e", "pixelate size=4", "--frames", "16", "--fps", "15", "-o", str(out))
    assert result.returncode == 0, result.stderr
    frames = _frames(out)
    assert len(frames) == 16
    for n in (0, 5, 11, 15):  # at 15 fps, frame n is at n/15 s: clip frame 2n, round the loop
        expected = renderer.render(decoded[(2 * n) % 24], [("pixelate", {"size": 4})], time=n / 15)[..., :3]
        assert np.array_equal(frames[n], expected), n


def test_one_frame_of_a_clip_to_a_png_at_a_time(tmp_path, clip_path, decoded, renderer):
    out = tmp_path / "at.png"
    result = run_cli("render", str(clip_path), "-e", "saturate amount=0", "--time", "0.5", "-o", str(out))
    assert result.returncode == 0, result.stderr
    expected = renderer.render(decoded[15], [("saturate", {"amount": 0})], time=0.5)[..., :3]
    assert np.array_equal(np.asarray(Image.open(out))[..., :3], expected)


def test_sort_a_clip_sorts_every_frame_as_the_picture_sort_does(tmp_path, clip_path, decoded, renderer):
    out = tmp_path / "sorted"
    result = run_cli("sort", str(clip_path), "-o", str(out), "--key", "hue", "--interval", "none")
    assert result.returncode == 0, result.stderr
    frames = _frames(out)
    assert len(frames) == 24
    for n in (0, 12, 23):
        picture = tmp_path / f"frame{n}.png"
        Image.fromarray(decoded[n]).save(picture)
        alone = tmp_path / f"sorted{n}.png"
        assert run_cli("sort", str(picture), "-o", str(alone), "--key", "hue", "--interval", "none").returncode == 0
        assert np.array_equal(frames[n], np.asarray(Image.open(alone))[..., :3]), n
    # Into a video too: as many frames, at the clip's rate.
    video = tmp_path / "sorted.mp4"
    assert run_cli("sort", str(clip_path), "-o", str(video)).returncode == 0
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert sum(1 for _ in container.decode(stream)) == 24 and stream.average_rate == 30


@pytest.mark.parametrize("make, extra, message", [
    (lambda p, clip: p.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(3000)), [], "not a video file FFmpeg can read"),
    (lambda p, clip: p.write_bytes(clip.read_bytes()[:4000]), [], "not a video file FFmpeg can read"),
    (lambda p, clip: p.write_bytes(clip.read_bytes()), ["-o-txt"], "write .mp4 (or .mov/.mkv/.webm), .gif, or a folder"),
    (lambda p, clip: p.write_bytes(clip.read_bytes()), ["--depth", "x.png"], "a clip's depth is estimated for each frame"),
])
def test_bad_clips_are_one_line_and_write_nothing(tmp_path, clip_path, make, extra, message):
    source = tmp_path / "in.mp4"
    make(source, clip_path)
    out = tmp_path / ("out.txt" if "-o-txt" in extra else "out.mp4")
    extra = [e for e in extra if e != "-o-txt"]
    result = run_cli("render", str(source), "-o", str(out), *extra)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("shaderlab: error: ")
    assert not out.exists()
