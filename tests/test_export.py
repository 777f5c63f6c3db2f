"""Animations written to real files and read back: MP4 decoded by ffmpeg, GIF, PNG frames."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, run_cli
from shaderlab import Renderer
from shaderlab.io.depth import load_depth

imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")

CHAIN = ["-e", "depth_colour palette=neon bands=3 speed=1 mixAmount=0.8"]
DEPTH = ["--depth", str(IMAGES / "motorcycle-depth.png")]


def expected_frames(count: int, fps: float, size=None) -> list[np.ndarray]:
    image = np.asarray(Image.open(IMAGES / "motorcycle.png").convert("RGB"))
    depth = load_depth(IMAGES / "motorcycle-depth.png")
    with Renderer() as r:
        chain = [("depth_colour", {"palette": "neon", "bands": 3, "speed": 1, "mixAmount": 0.8})]
        return [r.render(image, chain, time=i / fps, size=size, depth=depth) for i in range(count)]


def test_mp4_decodes_to_the_frames_asked_for(tmp_path):
    out = tmp_path / "clip.mp4"
    result = run_cli("render", str(IMAGES / "motorcycle.png"), *DEPTH, *CHAIN,
                     "--frames", "10", "--fps", "10", "--size", "640x432", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = [np.frombuffer(f, np.uint8).reshape(432, 640, 3) for f in reader]
    assert meta["size"] == (640, 432) and meta["fps"] == 10.0
    assert len(frames) == 10
    expected = expected_frames(10, 10.0, size=(640, 432))
    for decoded, rendered in zip(frames, expected):
        assert np.abs(decoded.astype(int) - rendered[..., :3]).mean() < 6  # lossy H.264
    assert np.abs(frames[0].astype(int) - frames[5]).mean() > 10  # it animates


def test_png_frames_are_exact_and_repeatable(tmp_path):
    runs = []
    for name in ("a", "b"):
        folder = tmp_path / name
        result = run_cli("render", str(IMAGES / "motorcycle.png"), *DEPTH, *CHAIN,
                         "--frames", "4", "--fps", "8", "-o", str(folder))
        assert result.returncode == 0, result.stderr
        runs.append([np.asarray(Image.open(p)) for p in sorted(folder.glob("frame_*.png"))])
    assert len(runs[0]) == 4
    for first, second, rendered in zip(runs[0], runs[1], expected_frames(4, 8.0)):
        assert np.array_equal(first, second)  # the fixed-step clock: same command, same frames
        assert np.array_equal(first, rendered)


def test_gif(tmp_path):
    out = tmp_path / "loop.gif"
    result = run_cli("render", str(IMAGES / "chelsea.png"), "-e", "depth_colour bands=2 speed=2",
                     "--frames", "5", "--fps", "10", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 5 and gif.size == (451, 300)


@pytest.mark.parametrize(
    "name, prepare, message",
    [
        ("clip.mp4", lambda p: p.write_bytes(b"keep"), "exists already"),
        ("frames", lambda p: (p.mkdir(), (p / "x.png").write_bytes(b"keep")), "is not an empty folder"),
        ("clip.avi", None, "write .mp4"),
    ],
)
def test_nothing_is_overwritten_and_formats_are_named(tmp_path, name, prepare, message):
    out = tmp_path / name
    if prepare:
        prepare(out)
    before = sorted(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    result = run_cli("render", str(IMAGES / "chelsea.png"), "--frames", "3", "-o", str(out))
    assert result.returncode == 2 and message in result.stderr
    assert sorted(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()) == before


def test_webm_is_encoded_as_vp9_and_decodes(tmp_path):
    """WebM takes VP9, not H.264: ffmpeg used to refuse it after the fact while shaderlab said
    "wrote" and left a 262-byte file; now the codec fits and ffmpeg's exit status is checked."""
    out = tmp_path / "clip.webm"
    result = run_cli("render", str(IMAGES / "chelsea.png"), "--frames", "3", "--size", "32x32", "-o", str(out))
    assert result.returncode == 0, result.stderr
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["codec"] == "vp9" and meta["size"] == (32, 32)
    assert len(list(reader)) == 3
