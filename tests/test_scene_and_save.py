"""Scenes round-trip through TOML; saving never replaces a file; workers report through the queue."""

from __future__ import annotations

import queue

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES
from shaderlab.show.messages import ImageReady, JobFailed
from shaderlab.app.workers import ShaderWatcher, Workers
from shaderlab.errors import SceneError, ShaderlabError
from shaderlab.io.save import save_snapshot
from shaderlab.scene import EffectEntry, Scene, load_scene, save_scene


def test_scene_round_trip_keeps_order_values_and_a_relative_image(tmp_path):
    image = tmp_path / "pics" / "a.png"
    image.parent.mkdir()
    image.write_bytes((IMAGES / "chelsea.png").read_bytes())
    scene = Scene(
        image=image,
        effects=[
            EffectEntry("blur", {"radius": 3.5}),
            EffectEntry("colorize", {"palette": 2, "mixAmount": 0.5}, enabled=False),
            EffectEntry("tinted", {"tint": (1.0, 0.5, 0.0, 1.0)}),
        ],
    )
    path = tmp_path / "look.toml"
    save_scene(scene, path)
    assert 'image = "pics/a.png"' in path.read_text()
    loaded = load_scene(path)
    assert loaded.image == image.resolve()
    assert [(e.name, e.params, e.enabled) for e in loaded.effects] == [
        ("blur", {"radius": 3.5}, True),
        ("colorize", {"palette": 2, "mixAmount": 0.5}, False),
        ("tinted", {"tint": [1.0, 0.5, 0.0, 1.0]}, True),
    ]
    assert loaded.chain() == [("blur", {"radius": 3.5}), ("tinted", {"tint": [1.0, 0.5, 0.0, 1.0]})]


def test_saving_a_scene_never_replaces_one(tmp_path):
    path = tmp_path / "look.toml"
    path.write_text("keep me")
    with pytest.raises(SceneError, match="exists already"):
        save_scene(Scene(), path)
    assert path.read_text() == "keep me"


def test_snapshots_take_the_next_free_name_for_picture_and_scene(tmp_path):
    pixels = np.full((4, 6, 4), 200, np.uint8)
    (tmp_path / "shot.png").write_bytes(b"older")
    with_source = save_snapshot(tmp_path, pixels, lambda source: f"image = '{source.name}'", stem="made", source=pixels[::-1])
    assert [p.name for p in with_source] == ["made.png", "made.toml", "made-source.png"]
    assert with_source[1].read_text() == "image = 'made-source.png'"
    assert np.array_equal(np.asarray(Image.open(with_source[2])), pixels[::-1])
    first = save_snapshot(tmp_path, pixels, "# scene\n", stem="shot")
    second = save_snapshot(tmp_path, pixels, "# scene\n", stem="shot")
    assert [p.name for p in first] == ["shot-2.png", "shot-2.toml"]
    assert [p.name for p in second] == ["shot-3.png", "shot-3.toml"]
    assert (tmp_path / "shot.png").read_bytes() == b"older"
    assert np.array_equal(np.asarray(Image.open(first[0])), pixels)
    with pytest.raises(ShaderlabError, match="save folder does not exist"):
        save_snapshot(tmp_path / "missing", pixels, "")


def test_workers_decode_off_thread_and_report_failures():
    inbox: queue.Queue = queue.Queue()
    workers = Workers(inbox)
    good = workers.load_image(IMAGES / "coffee.png", 16384)
    bad = workers.load_image(IMAGES / "README.md", 16384)
    messages = {m.job: m for m in (inbox.get(timeout=10), inbox.get(timeout=10))}
    workers.shutdown()
    assert isinstance(messages[good], ImageReady) and messages[good].pixels.shape == (400, 600, 3)
    assert isinstance(messages[bad], JobFailed) and "not an image file" in messages[bad].message


def test_watcher_reports_new_changed_and_removed_files(tmp_path):
    """The watcher reads and parses on its own thread: the window gets a spec, or the error."""
    inbox: queue.Queue = queue.Queue()
    watcher = ShaderWatcher([tmp_path], inbox)
    effect = tmp_path / "a.fs"
    header = '/*{"INPUTS": []}*/\n'
    effect.write_text(header + "// one")
    (tmp_path / "notes.txt").write_text("not an effect")
    watcher.scan()
    assert inbox.get_nowait().spec.source.endswith("// one")
    watcher.scan()
    assert inbox.empty()  # nothing changed
    import os

    def touch(path, text):
        path.write_text(text)
        os.utime(path, ns=(0, path.stat().st_mtime_ns + 1_000_000))

    touch(effect, "no header")
    watcher.scan()
    changed = inbox.get_nowait()
    assert changed.spec is None and "a.fs:1: no ISF header" in changed.error
    touch(effect, header + "// two!")
    watcher.scan()
    assert inbox.get_nowait().spec.source.endswith("// two!")
    # A companion vertex shader is part of its effect: editing it reloads the effect.
    touch(tmp_path / "a.vs", "void main() { isf_vertShaderInit(); }")
    watcher.scan()
    assert inbox.get_nowait().spec.vertex.startswith("void main()")
    effect.unlink()
    watcher.scan()
    assert inbox.get_nowait().path == effect


def test_files_named_in_a_scene_move_with_it(tmp_path):
    """Effect files and image inputs given by path are saved relative to the scene, like its
    source, so a folder holding a scene and its files can be moved whole."""
    from shaderlab.scene import EffectEntry, Scene, load_scene, save_scene

    project = tmp_path / "show"
    (project / "effects").mkdir(parents=True)
    effect = project / "effects" / "fade.fs"
    effect.write_text("/*{}*/")
    end = project / "end.png"
    Image.fromarray(np.zeros((2, 2, 3), np.uint8)).save(end)
    scene = Scene(effects=[EffectEntry(str(effect), {"endImage": str(end), "progress": 0.5, "palette": "neon"})])
    save_scene(scene, project / "look.toml")
    text = (project / "look.toml").read_text()
    assert 'name = "effects/fade.fs"' in text and 'endImage = "end.png"' in text and 'palette = "neon"' in text
    moved = tmp_path / "moved"
    (project).rename(moved)
    loaded = load_scene(moved / "look.toml").effects[0]
    assert loaded.name == str((moved / "effects" / "fade.fs").resolve())
    assert loaded.params == {"endImage": str((moved / "end.png").resolve()), "progress": 0.5, "palette": "neon"}
