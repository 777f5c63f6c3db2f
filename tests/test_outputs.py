"""Every output is claimed at once, written beside its name and moved there complete; a failure
to write is one line (exit 2), leaves nothing behind, and never hangs — on real file systems:
a tiny tmpfs that really fills up, a read-only mount, /proc, /sys."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, ROOT, run_cli
from shaderlab.errors import ShaderlabError
from shaderlab.io.export import FrameWriter
from shaderlab.io.save import save_snapshot
from shaderlab.scene import Scene, save_scene

CHELSEA = str(IMAGES / "chelsea.png")


def _mount(folder: Path, options: str) -> Path:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, timeout=20)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root: " + done.stderr.decode(errors="replace").strip())
    return folder


@pytest.fixture
def full_disk(tmp_path):
    """A 24 KiB file system: any picture or video fills it (ENOSPC for real, not simulated)."""
    folder = _mount(tmp_path / "full", "size=24k")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], timeout=20)


@pytest.fixture
def read_only(tmp_path):
    folder = _mount(tmp_path / "ro", "ro,size=64k")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], timeout=20)


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("shaderlab: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.mark.parametrize("name, extra", [
    ("a.png", []), ("a.mp4", ["--frames", "30"]), ("a.gif", ["--frames", "3"]), ("frames", ["--frames", "3"]),
])
def test_a_full_disk_is_one_line_and_leaves_nothing(full_disk, name, extra):
    """GIF used to deadlock here (the writer thread waited for a second end-of-frames), MP4 to
    print ffmpeg's stderr; every kind left a truncated file at its name."""
    result = run_cli("render", CHELSEA, "-o", str(full_disk / name), *extra, timeout=90)
    line = _one_error_line(result)
    assert f"{full_disk / name}: cannot write (" in line and "No space left on device" in line
    assert sorted(full_disk.iterdir()) == []  # no output, no temporary, no claim


def test_places_that_cannot_be_written_are_one_line(tmp_path, read_only):
    (tmp_path / "dir.png").mkdir()
    cases = [
        (["-o", "/proc/x.png"], "/proc/x.png: cannot write (No such file or directory)"),
        (["-o", "/sys/out.gif", "--frames", "2"], "/sys/out.gif: cannot write ("),
        (["-o", str(read_only / "a.mp4"), "--frames", "2"], "cannot write (Read-only file system)"),
        (["-o", str(tmp_path / ("x" * 300 + ".png"))], "cannot write (File name too long); choose a shorter name"),
        (["-o", str(tmp_path / "dir.png"), "--overwrite"], "dir.png: is a folder; choose a file name"),
    ]
    for args, message in cases:
        line = _one_error_line(run_cli("render", CHELSEA, *args, timeout=60))
        assert message in line, (args, line)
    long_name = str(tmp_path / ("x" * 300 + ".png"))
    for command in (["generate", "clouds"], ["depth", CHELSEA, "--provider", "builtin", "--url", "-"]):
        line = _one_error_line(run_cli(*command, "-o", long_name, timeout=60))
        assert "cannot write (File name too long)" in line, (command, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.png", "ro"]
    assert list((tmp_path / "dir.png").iterdir()) == []


def test_an_unwritable_model_cache_is_a_warning_and_the_answer_is_kept(tmp_path):
    out = tmp_path / "depth.png"
    result = run_cli("depth", CHELSEA, "-o", str(out), "--provider", "builtin", "--url", "-", "--cache", "/proc/nocache")
    assert result.returncode == 0, result.stderr
    assert "/proc/nocache: cannot write the model cache" in result.stderr and "Traceback" not in result.stderr
    assert out.stat().st_size > 1000


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_second_render_of_a_name_fails_at_once_and_a_killed_one_leaves_nothing(tmp_path):
    out = tmp_path / "clip.mp4"
    args = [sys.executable, "-m", "shaderlab", "render", CHELSEA, "--size", "64x48", "-o", str(out)]
    first = subprocess.Popen([*args, "--frames", "1000000"], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        partial = tmp_path / ".clip.partial.mp4"
        deadline = time.monotonic() + 60
        while not (partial.exists() and partial.stat().st_size > 0) and time.monotonic() < deadline:
            assert first.poll() is None, "the long render stopped early"
            time.sleep(0.1)
        assert partial.stat().st_size > 0  # frames are being written, beside the final name
        assert not out.exists()
        second = run_cli("render", CHELSEA, "--size", "64x48", "--frames", "3", "-o", str(out), timeout=60)
        assert "exists already" in _one_error_line(second)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the command and the process it renders in
        first.wait(timeout=20)
    assert not out.exists()  # killed mid-write: nothing at the final name
    again = run_cli("render", CHELSEA, "--size", "64x48", "--frames", "3", "-o", str(out), timeout=60)
    assert again.returncode == 0, again.stderr  # not blocked by what the killed one left
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(out))
    next(reader)
    assert len(list(reader)) == 3
    assert _hidden(tmp_path) == []  # the killed render's leftovers were cleared


def test_saves_from_the_window_and_scenes_fail_whole(full_disk, read_only):
    pixels = np.asarray(Image.open(IMAGES / "chelsea.png").convert("RGBA"))
    with pytest.raises(ShaderlabError, match="cannot write \\(No space left on device\\); free some space"):
        save_snapshot(full_disk, pixels, "# scene\n", stem="shot", source=pixels)
    assert sorted(full_disk.iterdir()) == []  # not a picture without its scene, nor half a picture
    with pytest.raises(ShaderlabError, match="look.toml: cannot write \\(Read-only file system\\)"):
        save_scene(Scene(), read_only / "look.toml")
    small = pixels[:8, :8]
    saved = save_snapshot(full_disk, small, "# scene\n", stem="small")  # room for these: they land whole
    assert [p.name for p in sorted(full_disk.iterdir())] == ["small.png", "small.toml"] == sorted(p.name for p in saved)


def _frames(count: int, size=(320, 240)):
    x = np.linspace(0, 255, size[0], dtype=np.float32)
    y = np.linspace(0, 255, size[1], dtype=np.float32)[:, None]
    for index in range(count):
        frame = np.empty((size[1], size[0], 4), np.uint8)
        frame[..., 0] = (x + index * 3) % 256
        frame[..., 1] = (y + index * 5) % 256
        frame[..., 2] = (x * 0.5 + y * 0.5 + index) % 256
        frame[..., 3] = 255
        yield frame


GIF_MEMORY = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_outputs import _frames
from shaderlab.io.export import FrameWriter

def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

frames = _frames(160)
with FrameWriter(Path({out!r}), (320, 240), 25) as writer:
    for _ in range(10):
        writer.write(next(frames))
    warm = peak_kib()
    for frame in frames:
        writer.write(frame)
print(peak_kib() - warm)
"""


def test_gif_recording_memory_is_bounded(tmp_path):
    """150 more frames of 320×240 after warming up: kept in memory they would be 34 MB."""
    out = tmp_path / "long.gif"
    script = GIF_MEMORY.format(tests=str(ROOT / "tests"), out=str(out))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    growth_kib = int(done.stdout.strip().splitlines()[-1])
    assert growth_kib < 12_000, growth_kib
    with Image.open(out) as gif:
        assert gif.n_frames == 160 and gif.size == (320, 240)
        gif.seek(100)
        expected = list(_frames(101))[100][..., :3].astype(int)
        assert np.abs(np.asarray(gif.convert("RGB")).astype(int) - expected).mean() < 8


@pytest.mark.parametrize("name", ["show.gif", "show.mp4"])
def test_stopping_a_recording_returns_at_once_and_reports_later(tmp_path, name):
    """The window's stop: the writer thread encodes the backlog and moves the file into place;
    the caller (the GL thread) only hands over a callback."""
    pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / name
    writer = FrameWriter(out, (320, 240), 30, backlog=32)
    accepted = sum(writer.offer(frame) for frame in _frames(32))
    assert accepted >= 8
    outcome: list = []
    finished = threading.Event()
    start = time.perf_counter()
    writer.finish(lambda error: (outcome.append(error), finished.set()))
    assert time.perf_counter() - start < 0.05
    assert finished.wait(timeout=60) and outcome == [None]
    if name.endswith(".gif"):
        with Image.open(out) as gif:
            assert gif.n_frames == accepted
    else:
        import imageio_ffmpeg

        reader = imageio_ffmpeg.read_frames(str(out))
        next(reader)
        assert len(list(reader)) == accepted
    assert _hidden(tmp_path) == []


def test_recording_into_a_place_it_cannot_write_reports_and_the_show_goes_on(display, full_disk):
    for target, message in ((full_disk / "show.gif", "No space left on device"), (Path("/sys/show.gif"), "cannot write (")):
        result = run_cli("play", CHELSEA, "--frames", "20", "--record", str(target), env={"DISPLAY": display}, timeout=120)
        assert result.returncode == 0, result.stderr  # the window ran its frames and closed
        errors = [line for line in result.stderr.splitlines() if "cannot write" in line]
        assert len(errors) == 1 and message in errors[0] and str(target) in errors[0], result.stderr
    assert sorted(full_disk.iterdir()) == []
