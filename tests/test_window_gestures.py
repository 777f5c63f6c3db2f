"""The window's gestures under Xvfb, driven by xdotool: the wheel zooms and a right drag pans
the view without changing what is saved; a drag selects an area for the sampler and Z undoes
it; a click picks a network from a grid; F toggles fullscreen; ctrl+Q quits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import reference as ref
from conftest import IMAGES, quit_window
from test_window import _Lines
from shaderlab.networks.weights import tile_boxes

pytestmark = [
    pytest.mark.window,
    pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool to press keys"),
]

SIZE = (800, 500)  # chelsea (451×300) fits at 500/300: 751.7 px wide, 24.2 px from the left
SCALE = 500 / 300
LEFT = (800 - 451 * SCALE) / 2


class App:
    """``shaderlab play`` in a subprocess, with keys and mouse from xdotool."""

    def __init__(self, display: str, tmp_path: Path, *args: str, image: Path | None = IMAGES / "chelsea.png"):
        self.saves = tmp_path / "saves"
        self.saves.mkdir(parents=True)
        self.env = {**os.environ, "DISPLAY": display}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shaderlab", "play", *([str(image)] if image else []), "--save-dir", str(self.saves),
             "--size", f"{SIZE[0]}x{SIZE[1]}", "--hide-panel", *args],
            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.env, cwd=self.saves.parent,
        )
        self.lines = _Lines(self.process.stderr)
        self.lines.wait_for("showing")
        self.window = self.xdotool("search", "--sync", "--name", "^shaderlab$").split()[0]
        time.sleep(0.5)

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(["xdotool", *args], env=self.env, timeout=30, capture_output=True, text=True)
        assert result.returncode == 0, f"xdotool {' '.join(args)}: {result.stderr}; app: " + "\n".join(self.lines.lines[-15:])
        return result.stdout

    def keys(self, *names: str) -> None:
        self.xdotool("search", "--sync", "--name", "^shaderlab$", "windowfocus", "--sync", "key", "--delay", "150", *names)
        time.sleep(0.4)

    def mouse(self, *steps: tuple) -> None:
        """Steps like ("move", x, y), ("down", 1), ("up", 1), ("click", 4): a pause after each."""
        for step in steps:
            if step[0] == "move":
                self.xdotool("mousemove", "--window", self.window, str(round(step[1])), str(round(step[2])))
            else:
                self.xdotool(f"mouse{step[0]}" if step[0] != "click" else "click", str(step[1]))
            time.sleep(0.25)

    def save(self) -> tuple[np.ndarray, dict]:
        """Press S; the picture and the scene it saved."""
        pictures = lambda: [p for p in self.saves.glob("*.png") if not p.name.endswith("-source.png")]  # noqa: E731
        before = len(pictures())
        mark = len(self.lines.lines)
        self.keys("s")
        self.lines.wait_for("saved ", timeout=10, after=mark)
        pngs = sorted(pictures(), key=lambda p: p.stat().st_mtime_ns)
        assert len(pngs) == before + 1
        newest = pngs[-1]
        return np.asarray(Image.open(newest)), tomllib.loads(newest.with_suffix(".toml").read_text())

    def geometry(self) -> tuple[int, int]:
        out = self.xdotool("getwindowgeometry", self.window)
        width, height = out.split("Geometry:")[1].split()[0].split("x")
        return int(width), int(height)

    def quit(self) -> subprocess.CompletedProcess:
        try:
            quit_window(self.process, self.env)  # a lost key is pressed again; never a wait for ever
        except AssertionError as exc:  # with where the app was (its SIGUSR1 stack dump)
            raise AssertionError(f"{exc}; the app's last lines: " + "\n".join(self.lines.lines[-60:])) from None
        stdout = self.process.stdout.read()  # the process has ended: the pipe is at its end
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, stdout, "\n".join(self.lines.lines))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def window_point(x: float, y: float) -> tuple[float, float]:
    """Where image point (x, y) of chelsea is in the window at the fit view."""
    return LEFT + x * SCALE, y * SCALE


def test_view_changes_only_the_view_and_selections_stack_and_undo(display, tmp_path):
    shot = tmp_path / "zoomed.png"
    app = App(display, tmp_path, "--screenshot", str(shot), "--stats")
    try:
        original, _ = app.save()
        chelsea = np.asarray(Image.open(IMAGES / "chelsea.png").convert("RGBA"))
        assert np.array_equal(original, chelsea)

        # Zoom in five notches about the middle, pan with the right button: the saved picture
        # stays what it was.
        app.mouse(("move", 400, 250), ("click", 4), ("click", 4), ("click", 4), ("click", 4), ("click", 4))
        app.mouse(("down", 3), ("move", 380, 240), ("move", 360, 230), ("up", 3))
        zoomed, _ = app.save()
        assert np.array_equal(zoomed, original)

        # Back to fit (0); drag a selection from image (60, 60) to (180, 150).
        app.keys("0")
        app.mouse(("move", *window_point(60, 60)), ("down", 1), ("move", *window_point(120, 100)),
                  ("move", *window_point(180, 150)), ("up", 1))
        selected, scene = app.save()
        sampler = scene["effects"][0]
        assert sampler["name"] == "sampler"
        box = ref.selection_pixels(chelsea.shape, **{k: sampler["params"][k] for k in ("x", "y", "width", "height")})
        assert all(abs(a - b) <= 2 for a, b in zip(box, (60, 60, 120, 90))), box
        assert np.array_equal(selected[..., :3], ref.sample_nearest(chelsea[..., :3], box, (451, 300)))

        # A second selection inside the first narrows it (the left half of the zoomed view).
        app.mouse(("move", *window_point(0, 0)), ("down", 1), ("move", *window_point(100, 100)),
                  ("move", *window_point(225, 299)), ("up", 1))
        _, narrower = app.save()
        inner = narrower["effects"][0]["params"]
        assert inner["x"] == pytest.approx(sampler["params"]["x"], abs=2 / 451)
        assert inner["width"] == pytest.approx(sampler["params"]["width"] / 2, abs=3 / 451)

        # Z undoes one selection at a time: first the narrower, then the sampler goes.
        app.keys("z")
        _, back = app.save()
        assert back["effects"][0]["params"] == sampler["params"]
        app.keys("z")
        undone, scene = app.save()
        assert np.array_equal(undone, original) and scene["effects"] == []

        # Zoomed in again at the end: the window shows whole pixels as blocks.
        app.mouse(("move", 400, 250), *[("click", 4)] * 8)
        result = app.quit()
    finally:
        app.close()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["frames"] > 0
    shown = np.asarray(Image.open(shot).convert("RGB")).astype(int)[100:400, 200:600]
    same_as_right = (np.abs(np.diff(shown, axis=1)).sum(axis=2) == 0).mean()
    assert same_as_right > 0.6, same_as_right  # ~4× nearest: most neighbours are the same pixel


def test_fullscreen_and_picking_a_network_from_the_grid(display, tmp_path):
    app = App(display, tmp_path, "-e", "random_network grid=3 seed=20")
    try:
        assert app.geometry() == SIZE
        app.keys("f")
        time.sleep(0.5)
        assert app.geometry() == (1920, 1080)  # the Xvfb screen
        app.keys("f")
        time.sleep(0.5)
        assert app.geometry() == SIZE

        left, top, w, h = tile_boxes((451, 300), 3)[5]  # middle row, right
        app.mouse(("move", *window_point(left + w / 2, top + h / 2)), ("click", 1))
        app.lines.wait_for("picked the network of seed 25")
        picked, scene = app.save()
    finally:
        app.close()
    params = scene["effects"][0]["params"]
    assert params["seed"] == 25 and params["grid"] == 1
    import shaderlab

    with shaderlab.Renderer() as r:
        expected = r.render(np.zeros((300, 451, 3), np.uint8), [("random_network", {"seed": 25})])
    assert np.array_equal(picked, expected)


def test_a_shadertoy_effect_gets_the_mouse_and_file_inputs_load(display, tmp_path):
    """Plain drags drive iMouse when the chain reads it (shift+drag still selects); an image
    input given as a file is decoded on a worker and used; the saved scene renders the same."""
    mouse_shader = Path(__file__).parent / "shadertoy" / "mouse.glsl"
    app = App(display, tmp_path, "-e", str(mouse_shader))
    try:
        app.mouse(("move", *window_point(100, 50)), ("down", 1), ("move", *window_point(200, 100)),
                  ("move", *window_point(300, 200)), ("up", 1))
        released, scene = app.save()
        assert [(app.saves / e["name"]).resolve() for e in scene["effects"]] == [mouse_shader.resolve()]  # no selection
        # iMouse.xy in the output's pixels with y up: (300, 300 - 200) over 512.
        expected = (round(300 / 512 * 255), round(100 / 512 * 255))
        assert all(abs(int(a) - b) <= 2 for a, b in zip(released[150, 200, :2], expected)), released[150, 200]
        assert released[150, 200, 2] == 0  # released: z is negative
        app.mouse(("move", *window_point(50, 50)))
        app.xdotool("keydown", "shift")
        app.mouse(("down", 1), ("move", *window_point(100, 100)), ("move", *window_point(150, 150)), ("up", 1))
        app.xdotool("keyup", "shift")
        _, scene = app.save()
        assert scene["effects"][0]["name"] == "sampler"  # shift+drag selected
    finally:
        app.close()

    coffee = IMAGES / "coffee.png"
    fade = Path(__file__).parent / "isf" / "fade.fs"
    app = App(display, tmp_path / "second", "-e", f"{fade} endImage={coffee} progress=1")
    try:
        app.lines.wait_for("showing")
        time.sleep(1.0)  # the end image decodes on a worker
        saved, scene = app.save()
    finally:
        app.close()
    scene_file = next((tmp_path / "second" / "saves").glob("*.toml"))
    # Files in a scene are written relative to it, as its source image is.
    assert (scene_file.parent / scene["effects"][0]["params"]["endImage"]).resolve() == coffee.resolve()
    assert (scene_file.parent / scene["effects"][0]["name"]).resolve() == fade.resolve()
    headless = tmp_path / "headless.png"
    from conftest import run_cli

    result = run_cli("render", "--scene", str(scene_file), "-o", str(headless))
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.asarray(Image.open(headless)), saved)
    assert np.abs(saved[..., :3].astype(int) - np.asarray(Image.open(IMAGES / "chelsea.png").convert("RGB"))).mean() > 20


def test_a_generated_source_is_saved_beside_its_scene(display, tmp_path):
    """A source that is no file (generated here) is written as NAME-source.png, and the scene
    points at it, so the scene opens again and renders the same picture."""
    app = App(display, tmp_path, "--generate", "clouds", "-e", "pixelate size=6", image=None)
    try:
        saved, scene = app.save()
    finally:
        app.close()
    sources = list(app.saves.glob("*-source.png"))
    assert len(sources) == 1 and scene["source"]["image"] == sources[0].name
    scene_file = next(app.saves.glob("*.toml"))
    again = tmp_path / "again.png"
    from conftest import run_cli

    result = run_cli("render", "--scene", str(scene_file), "-o", str(again))
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.asarray(Image.open(again)), saved)
