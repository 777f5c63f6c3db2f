"""The shader shelf without a window: a folder is listed (headers read, broken files kept with
their reason) and thumbnails are rendered one a tick, on the GL thread, from the picture."""

from __future__ import annotations

import queue
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from conftest import photo
from shaderlab.stage.shelf import THUMBNAIL, ShaderShelf, list_folder
from shaderlab.stage.trials import Trials
from shaderlab.gl.display import Display
from shaderlab.gl.surface import rows_top_first, upload

ISF = Path(__file__).parent / "isf"



def _no_worker(work):
    raise AssertionError("the shelf is given its listing directly here")

def test_a_folder_is_listed_with_specs_and_reasons(tmp_path):
    (tmp_path / "good.fs").write_text((ISF / "spellings.fs").read_text())
    (tmp_path / "broken.fs").write_text("/*{ nope */ void main() {}")
    (tmp_path / "notes.txt").write_text("not an effect")
    listed = list_folder(tmp_path)
    entries = {path.name: (spec, error) for path, spec, error in listed.entries}
    assert set(entries) == {"good.fs", "broken.fs"}
    assert entries["good.fs"][0].name == "good" and entries["good.fs"][1] is None
    assert entries["broken.fs"][0] is None and "broken.fs:1: broken ISF header" in entries["broken.fs"][1]


def test_thumbnails_render_one_a_tick_from_the_picture(renderer):
    ctx = renderer.ctx
    with ctx:
        # No trials (a timeout of 0): these files are the tests' own; see the test below.
        window = SimpleNamespace(ctx=ctx, library=renderer.library, display=Display(ctx), trials=Trials(None, timeout=0))
        shelf = ShaderShelf(window.ctx, window.library, window.trials, window.display, _no_worker, folder=ISF)
        shelf.on_listed(list_folder(ISF))
        picture = upload(ctx, photo("chelsea.png"))
        try:
            ticks = 0
            while any(i.spec is not None and not i.fresh and i.error is None for i in shelf.items):
                shelf.tick(picture)
                ticks += 1
            assert ticks == sum(1 for i in shelf.items if i.spec is not None)  # one thumbnail a tick
            items = {item.path.name: item for item in shelf.items}
            small = rows_top_first(shelf._small.texture.read(), THUMBNAIL)
            read = lambda name: rows_top_first(items[name].thumbnail.texture.read(), THUMBNAIL)  # noqa: E731
            assert np.array_equal(read("spellings.fs"), small)  # an identity effect shows the picture
            assert (read("audio.fs")[..., :3] == (128, 0, 128)).all()  # silence, as the host feeds it
            assert "stamp.png" in items["imported.fs"].error  # its imported image is not beside it
            # A new picture (the window says so: it reuses textures) makes every thumbnail stale.
            other = upload(ctx, photo("coffee.png"))
            shelf.stale()
            shelf.tick(other)
            assert not np.array_equal(rows_top_first(shelf._small.texture.read(), THUMBNAIL), small)
            assert sum(i.fresh for i in shelf.items) == 1  # the first one is redone; the rest wait
            other.release()
        finally:
            picture.release()
            shelf.release()
            window.display.release()


def test_a_shadertoy_folder_lists_manifests_not_their_passes():
    names = {path.name for path, _, _ in list_folder(Path(__file__).parent / "shadertoy").entries}
    assert names == {"counter.shadertoy.toml", "mouse.glsl", "uniforms.glsl"}


def test_a_thumbnail_is_drawn_only_after_its_trial(renderer, tmp_path):
    """Browsing a folder with an endless effect never runs it here: its trial (a child process)
    refuses it, the others draw."""
    from test_watchdog import ENDLESS_FS

    (tmp_path / "good.fs").write_text((ISF / "spellings.fs").read_text())
    (tmp_path / "endless.fs").write_text(ENDLESS_FS)
    verdicts: queue.Queue = queue.Queue()  # the window's inbox, as far as trials go
    trials = Trials(verdicts.put, timeout=2)
    ctx = renderer.ctx
    with ctx:
        window = SimpleNamespace(ctx=ctx, library=renderer.library, display=Display(ctx), trials=trials)
        shelf = ShaderShelf(window.ctx, window.library, window.trials, window.display, _no_worker, folder=tmp_path)
        shelf.on_listed(list_folder(tmp_path))
        picture = upload(ctx, photo("chelsea.png"))
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(i.error is None and not i.fresh for i in shelf.items):
                shelf.tick(picture)  # a frame: the thumbnails whose trial passed are drawn
                try:
                    trials.tried(verdicts.get(timeout=0.1))  # the window drains its inbox
                except queue.Empty:
                    pass
            items = {item.path.name: item for item in shelf.items}
            assert items["good.fs"].fresh and items["good.fs"].error is None
            small = rows_top_first(shelf._small.texture.read(), THUMBNAIL)
            assert np.array_equal(rows_top_first(items["good.fs"].thumbnail.texture.read(), THUMBNAIL), small)
            assert items["endless.fs"].thumbnail is None
            assert "did not finish within 2 s in a trial run" in items["endless.fs"].error
        finally:
            picture.release()
            shelf.release()
            trials.close()
            window.display.release()
