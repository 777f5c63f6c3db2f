"""Pan/zoom maths and sampler selections, without a window."""

from __future__ import annotations

import numpy as np
import pytest

from shaderlab.app.selections import Selections, pick_network
from shaderlab.app.session import ChainEntry, Session
from shaderlab.app.view import Area, View
from shaderlab.library import EffectLibrary
from shaderlab.networks.weights import tile_boxes

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
def selections():
    library = EffectLibrary()
    return Selections(Session(), library.spec)


def test_selections_stack_and_undo(selections):
    session = selections.session
    assert not selections.select((10, 10), (10.5, 11), IMAGE)  # a click, not a drag
    assert selections.select((300, 150), (100, 50), IMAGE)  # corners in any order
    head = selections.head()
    assert (head.params["x"], head.params["y"], head.params["width"], head.params["height"]) == (0.25, 0.25, 0.5, 0.5)
    # Inside the zoomed view (which shows 200×100 source pixels over 400×200), the left half.
    assert selections.select((0, 0), (200, 200), IMAGE)
    assert (head.params["x"], head.params["width"]) == (0.25, 0.25)
    assert (head.params["y"], head.params["height"]) == (0.25, 0.5)
    assert selections.undo() and head.params["width"] == 0.5
    assert selections.undo() and session.entries == []
    assert not selections.undo()


def test_a_selection_on_tiles_maps_back_to_the_source(selections):
    selections.select((100, 50), (140, 90), IMAGE)  # a 40×40 area at (100, 50)
    head = selections.head()
    head.params["mode"] = 1  # tile it
    selections.select((310, 170), (320, 180), IMAGE)  # 5 tiles right, 3 down: offset (10, 0) in the tile
    assert round(head.params["x"] * 400) == 110 and round(head.params["y"] * 200) == 50
    assert round(head.params["width"] * 400) == 10 and round(head.params["height"] * 200) == 10


def test_a_click_on_a_grid_keeps_that_network():
    session = Session()
    session.entries.append(ChainEntry("random_network", {"seed": 7, "grid": 4}))
    left, top, w, h = tile_boxes(IMAGE, 4)[6]
    assert pick_network(session, (left + 1, top + 1), IMAGE) == 13
    assert session.entries[0].params == {"seed": 13, "grid": 1}
    assert pick_network(session, (left + 1, top + 1), IMAGE) is None  # no grid any more


def test_a_transition_plays_its_progress_from_0_to_1():
    from types import SimpleNamespace

    from shaderlab.app.effects import ChainEffects
    from shaderlab.render.clock import FrameTime

    session = Session()
    entry = ChainEntry("fade", {"progress": 0.3})
    session.entries.append(entry)
    window = SimpleNamespace(session=session, programs=SimpleNamespace(current=lambda path: None), now=FrameTime(100.0))
    effects = ChainEffects(window)
    effects.play_transition(entry, seconds=2.0)  # on the show's clock, from this frame's time
    for at, expected in ((100.0, 0.0), (101.0, 0.5), (102.5, 1.0)):
        assert effects.values(entry, at)["progress"] == expected
        assert entry.params["progress"] == 0.3  # the user's value is never overwritten
    assert not effects.playing  # done: the user's value renders again
    assert effects.values(entry, 103.0)["progress"] == 0.3


def test_a_grid_near_the_last_seed_wraps_and_its_pick_saves_and_loads(tmp_path):
    """seed 999990, grid 8: the last tile used to be seed 1000053, above the declared maximum,
    and a scene saved then was refused on load. Tiles wrap past the end, as they are drawn."""
    from shaderlab.isf.header import parse_effect
    from shaderlab.networks.effect import tile_networks
    from shaderlab.networks.weights import SEEDS, pack, random_network
    from shaderlab.networks.effect import shape_of
    from shaderlab.paths import shaders_dir
    from shaderlab.params import check_params
    from shaderlab.scene import load_scene, save_scene

    spec = parse_effect(shaders_dir() / "random_network.native")
    assert SEEDS == spec.input("seed").max + 1  # the wrap is the header's range
    params = {**spec.defaults(), "seed": 999990, "grid": 8}
    networks, _ = tile_networks(params)
    assert np.array_equal(networks[63], pack(random_network(52, shape_of(params))))  # 999990 + 63 wraps to 52
    session = Session()
    session.entries.append(ChainEntry("random_network", dict(params)))
    left, top, _, _ = tile_boxes(IMAGE, 8)[63]
    assert pick_network(session, (left + 1, top + 1), IMAGE) == 52
    save_scene(session.to_scene(), tmp_path / "picked.toml")
    loaded = load_scene(tmp_path / "picked.toml")
    assert check_params(spec, loaded.effects[0].params)["seed"] == 52
