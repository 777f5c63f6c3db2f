"""GL-free session editing, and auto sort that keeps moving for as long as it runs."""

from __future__ import annotations

import hashlib

import pytest

from conftest import photo
from shaderlab.stage.sorting import CHECK_EVERY, SortController, SortSettings
from shaderlab.errors import ShaderlabError
from shaderlab.gl.surface import upload
from shaderlab.library import EffectLibrary
from shaderlab.render.renderer import read_texture
from shaderlab.scene import EffectEntry, Scene
from shaderlab.show.scenes import scene_to_store, store_to_scene
from shaderlab.show.store import Store
from shaderlab.sort.options import SortOptions


def test_the_chain_adds_removes_reorders_and_round_trips_a_scene():
    library = EffectLibrary()
    store = Store(spec_of=library.spec)
    blur = store.add_effect("blur")
    pixelate = store.add_effect("pixelate")
    saturate = store.add_effect("saturate")
    assert [s.name for s in store.chain.slots] == ["blur", "pixelate", "saturate"]
    assert store.effect_values(blur) == {"radius": 4.0}
    store.move_effect(saturate, -2)
    store.move_effect(blur, +1)
    assert not store.move_effect(blur, +1)  # already last: stays
    assert [s.name for s in store.chain.slots] == ["saturate", "pixelate", "blur"]
    store.remove_effect(pixelate)
    store.bypass_effect(blur, True)
    scene = store_to_scene(store)
    assert [(e.name, e.enabled) for e in scene.effects] == [("saturate", True), ("blur", False)]
    assert scene.chain() == [("saturate", {"amount": 1.5})]

    other = Store(spec_of=library.spec)
    scene_to_store(scene, other)
    assert [(s.name, other.effect_values(s.id), s.enabled) for s in other.chain.slots] == [
        ("saturate", {"amount": 1.5}, True), ("blur", {"radius": 4.0}, False),
    ]
    assert other.chain.ids == store.chain.ids  # ids travel with the scene


def test_a_bad_scene_changes_nothing():
    library = EffectLibrary()
    store = Store(spec_of=library.spec)
    store.add_effect("blur")
    bad = Scene(effects=[EffectEntry("saturate"), EffectEntry("blur", {"radius": 999})])
    with pytest.raises(ShaderlabError):
        scene_to_store(bad, store)
    assert [s.name for s in store.chain.slots] == ["blur"]


def _digest(texture) -> str:
    return hashlib.sha1(read_texture(texture, texture.size).tobytes()).hexdigest()


@pytest.mark.parametrize("motion", [0, 1], ids=["cycle directions", "drift thresholds"])
def test_auto_sort_never_freezes(renderer, motion):
    image = photo("coffee.png")[100:220, 200:360]  # 160×120: settles in a few frames
    with renderer.ctx:
        effect = renderer.programs.get("pixelsort")
        source = upload(renderer.ctx, image)
        controller = SortController(effect)
        controller.settings.auto = True
        controller.settings.motion = motion
        controller.settings.steps = 16
        controller.settings.options = SortOptions(lower=0.2, upper=0.7)
        digests = []
        for _ in range(40 * CHECK_EVERY):
            controller.frame(source, held=None, settle=False)
            digests.append(_digest(controller.texture(source)))
        controller.release()
        source.release()
    assert controller.cycles >= 5
    # It never stands still for long: the longest run of identical frames is a few checks.
    longest = run = 1
    for before, after in zip(digests, digests[1:]):
        run = run + 1 if before == after else 1
        longest = max(longest, run)
    assert longest <= 4 * CHECK_EVERY
    assert len(set(digests)) > 40
    # And it does not loop: the last cycles show pictures the first ones did not.
    assert set(digests[-4 * CHECK_EVERY :]) - set(digests[: 4 * CHECK_EVERY])


def test_the_window_sorts_by_the_settings_pixelsort_native_declares():
    """One declaration: the header's inputs are the show's sort settings, and what the window
    sorts with is made from their values (no second, hand-written settings system)."""
    from shaderlab.stage.sorting import sort_settings
    from shaderlab.isf.header import parse_effect
    from shaderlab.paths import shaders_dir
    from shaderlab.show.settings import SORT, SORT_AUTO, app_settings
    from shaderlab.show.store import Store
    from shaderlab.sort.keys import KEYS
    from shaderlab.sort.options import DIRECTIONS, INTERVALS

    spec = parse_effect(shaders_dir() / "pixelsort.native")
    for name, names in (("key", KEYS), ("interval", INTERVALS), ("direction", DIRECTIONS)):
        assert spec.input(name).labels == names  # the menus' indices mean the sorter's names
    store = Store(settings=app_settings(spec))
    assert f"{SORT}/mode" not in store.addresses() and f"{SORT}/live" not in store.addresses()
    assert sort_settings(store.resolve(0.0)) == SortSettings()  # the header's defaults are the sorter's
    store.set(f"{SORT}/key", 1)
    store.set(f"{SORT}/direction", 3)
    store.set(f"{SORT}/lower", 0.9)  # above upper: sorted into order rather than refused mid-show
    store.set(f"{SORT}/steps", 20)
    store.set(SORT_AUTO, True)
    settings = sort_settings(store.resolve(0.0))
    assert (settings.options.key, settings.options.direction) == ("hue", "down")
    assert (settings.options.lower, settings.options.upper) == (0.8, 0.9)
    assert settings.steps == 20 and settings.auto
