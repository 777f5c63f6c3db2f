"""Pan/zoom maths and sampler selections, without a window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shaderlab.app.view import Area, View
from shaderlab.library import EffectLibrary
from shaderlab.networks.weights import tile_boxes
from shaderlab.show.modulators import Transition
from shaderlab.show.selections import Selections, pick_network
from shaderlab.show.slots import chain_address
from shaderlab.show.store import Store

IMAGE = (400, 200)
AREA = Area(100, 0, 800, 600)


def test_fit_centres_the_picture_beside_the_panel():
    view = View()
    assert view.placement(IMAGE, AREA) == (100, 100, 800, 400)  # 2× fits the width
    assert view.to_image((500, 300), IMAGE, AREA) == (200, 100)  # the middle is the middle


def test_zoom_keeps_the_point_under_the_cursor_and_pan_follows_the_mouse():
    view = View()
    cursor = (300, 200)
    before = view.to_image(cursor, IMAGE, AREA)
    view.zoom_at(cursor, 3.0, IMAGE, AREA)
    assert view.current_scale(IMAGE, AREA) == pytest.approx(6.0)
    assert view.to_image(cursor, IMAGE, AREA) == pytest.approx(before)
    view.pan((60, -30), IMAGE, AREA)
    assert view.to_image((cursor[0] + 60, cursor[1] - 30), IMAGE, AREA) == pytest.approx(before)
    view.actual_size(IMAGE)
    assert view.placement(IMAGE, AREA)[2:] == IMAGE
    view.fit()
    assert view.placement(IMAGE, AREA) == (100, 100, 800, 400)


def test_zoom_is_bounded():
    view = View()
    for _ in range(100):
        view.zoom_at((500, 300), 2.0, IMAGE, AREA)
    assert view.scale == 64.0


@pytest.fixture
def store():
    return Store(spec_of=EffectLibrary().spec)


@pytest.fixture
def selections(store):
    return Selections(store)


def _sampler(store):
    head = store.chain.slots[0]
    return store.effect_values(head.id)


def test_selections_stack_and_undo(selections, store):
    assert selections.select((10, 10), (10.5, 11), IMAGE) is None  # a click, not a drag
    assert selections.select((300, 150), (100, 50), IMAGE)  # corners in any order
    head = _sampler(store)
    assert (head["x"], head["y"], head["width"], head["height"]) == (0.25, 0.25, 0.5, 0.5)
    # Inside the zoomed view (which shows 200×100 source pixels over 400×200), the left half.
    assert selections.select((0, 0), (200, 200), IMAGE)
    head = _sampler(store)
    assert (head["x"], head["width"]) == (0.25, 0.25)
    assert (head["y"], head["height"]) == (0.25, 0.5)
    assert selections.undo() and _sampler(store)["width"] == 0.5
    assert selections.undo() and len(store.chain) == 0
    assert not selections.undo()


def test_a_selection_on_tiles_maps_back_to_the_source(selections, store):
    selections.select((100, 50), (140, 90), IMAGE)  # a 40×40 area at (100, 50)
    store.set(chain_address(store.chain.ids[0], "mode"), 1)  # tile it
    selections.select((310, 170), (320, 180), IMAGE)  # 5 tiles right, 3 down: offset (10, 0) in the tile
    head = _sampler(store)
    assert round(head["x"] * 400) == 110 and round(head["y"] * 200) == 50
    assert round(head["width"] * 400) == 10 and round(head["height"] * 200) == 10


def test_a_click_on_a_grid_keeps_that_network(store):
    slot_id = store.add_effect("random_network", values={"seed": 7, "grid": 4})
    left, top, w, h = tile_boxes(IMAGE, 4)[6]
    assert pick_network(store, (left + 1, top + 1), IMAGE) == 13
    values = store.effect_values(slot_id)
    assert (values["seed"], values["grid"]) == (13, 1)
    assert pick_network(store, (left + 1, top + 1), IMAGE) is None  # no grid any more


def test_a_transition_plays_its_progress_from_0_to_1(store):
    fade = Path(__file__).parent / "isf" / "fade.fs"  # an ISF transition
    slot_id = store.add_effect(str(fade), values={"progress": 0.3})
    address = chain_address(slot_id, "progress")
    transition = Transition(address, start=100.0, seconds=2.0)  # on the show's clock
    store.add_modulator(transition)
    for at, expected in ((100.0, 0.0), (101.0, 0.5), (102.5, 1.0)):
        assert store.resolve(at)[address] == expected
        assert store.get(address) == 0.3  # the user's value is never overwritten
    assert transition.finished(102.5)
    store.remove_modulator(transition)  # done: the user's value renders again
    assert store.resolve(103.0)[address] == 0.3


def test_a_grid_near_the_last_seed_wraps_and_its_pick_saves_and_loads(tmp_path, store):
    """seed 999990, grid 8: the last tile used to be seed 1000053, above the declared maximum,
    and a scene saved then was refused on load. Tiles wrap past the end, as they are drawn."""
    from shaderlab.isf.header import parse_effect
    from shaderlab.networks.effect import tile_networks
    from shaderlab.networks.weights import SEEDS, pack, random_network
    from shaderlab.networks.effect import shape_of
    from shaderlab.paths import shaders_dir
    from shaderlab.params import check_params
    from shaderlab.scene import load_scene
    from shaderlab.show.scenes import save_store

    spec = parse_effect(shaders_dir() / "random_network.native")
    assert SEEDS == spec.input("seed").max + 1  # the wrap is the header's range
    params = {**spec.defaults(), "seed": 999990, "grid": 8}
    networks, _ = tile_networks(params)
    assert np.array_equal(networks[63], pack(random_network(52, shape_of(params))))  # 999990 + 63 wraps to 52
    store.add_effect("random_network", values={"seed": 999990, "grid": 8})
    left, top, _, _ = tile_boxes(IMAGE, 8)[63]
    assert pick_network(store, (left + 1, top + 1), IMAGE) == 52
    save_store(store, tmp_path / "picked.toml")
    loaded = load_scene(tmp_path / "picked.toml")
    assert check_params(spec, loaded.effects[0].params)["seed"] == 52
