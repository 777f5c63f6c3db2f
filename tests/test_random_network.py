"""Random networks: the shader draws what a numpy forward pass of the same weights gives,
the same seed always draws the same picture, and the grid shows distinct networks."""

from __future__ import annotations

import numpy as np
import pytest

import shaderlab
from shaderlab.networks.effect import GAP_COLOUR
from shaderlab.networks.weights import Shape, coordinates, evaluate, random_network, tile_at, tile_boxes

BLANK = np.zeros((120, 160, 3), np.uint8)  # generators ignore their input; it sets the size


def draw(renderer, params: dict, time: float = 0.0, size=(160, 120)) -> np.ndarray:
    blank = np.zeros((size[1], size[0], 3), np.uint8)
    return renderer.render(blank, [("random_network", params)], time=time)[..., :3]


def expected(seed: int, params: dict, size: tuple[int, int]) -> np.ndarray:
    shape = Shape(params.get("depth", 4), params.get("width", 12), params.get("activation", 0), params.get("gain", 4.0))
    inputs = coordinates(size, params.get("scale", 1.0), params.get("radius", True))
    colours = evaluate(random_network(seed, shape), inputs)
    return np.rint(colours * 255).astype(np.uint8)


def agree(actual: np.ndarray, wanted: np.ndarray) -> None:
    """float32 on the GPU against float64 here: a level or two, on nearly every pixel."""
    diff = np.abs(actual.astype(int) - wanted.astype(int))
    assert diff.mean() < 0.3, f"mean difference {diff.mean():.3f}"
    assert np.percentile(diff, 99.9) <= 3, f"99.9th percentile {np.percentile(diff, 99.9)}"


@pytest.mark.parametrize(
    "params",
    [
        {"seed": 1},
        {"seed": 2, "activation": 3, "depth": 7, "width": 16},
        {"seed": 3, "activation": 5, "depth": 5, "width": 5, "radius": False},
        {"seed": 4, "activation": 2, "depth": 1, "width": 3, "scale": 3.0},
        {"seed": 5, "activation": 4, "gain": 2.0},
        {"seed": 6, "activation": 1, "gain": 2.0},
    ],
)
def test_the_shader_draws_the_network(renderer, params):
    agree(draw(renderer, params), expected(params["seed"], params, (160, 120)))


def test_same_seed_same_picture_other_seed_other_picture():
    with shaderlab.Renderer() as a, shaderlab.Renderer() as b:
        first, again = draw(a, {"seed": 42}), draw(b, {"seed": 42})
        other = draw(b, {"seed": 43})
    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other).mean() > 10
    assert first.std() > 10  # a picture, not a flat colour


def test_grid_tiles_are_distinct_networks(renderer):
    size, grid = (400, 300), 3
    out = draw(renderer, {"seed": 10, "grid": grid}, size=size)
    boxes = tile_boxes(size, grid)
    assert len(boxes) == 9
    tiles = []
    for k, (left, top, w, h) in enumerate(boxes):
        tile = out[top : top + h, left : left + w]
        agree(tile, expected(10 + k, {}, (w, h)))  # tile k is the network of seed + k
        tiles.append(tile[:96, :128].astype(int))  # tiles differ by a pixel in size
    for i in range(len(tiles)):
        for j in range(i + 1, len(tiles)):
            assert np.abs(tiles[i] - tiles[j]).mean() > 8, f"tiles {i} and {j} look alike"
    # The gaps between tiles are the gap colour, and a click in a gap chooses nothing.
    left, top, w, h = boxes[0]
    gap = np.rint(np.array(GAP_COLOUR[:3]) * 255)
    assert (out[top : top + h, left + w] == gap).all()
    assert tile_at((left + w + 0.5, top + 1), size, grid) is None
    assert tile_at((boxes[4][0] + 1, boxes[4][1] + 1), size, grid) == 4
    assert tile_at((size[0] - 1, size[1] - 1), size, grid) == 8


def test_animation_moves_and_starts_where_still_is(renderer):
    still = draw(renderer, {"seed": 8})
    for mode in (1, 2):  # time input, weights
        with shaderlab.Renderer() as r:
            frames = [draw(r, {"seed": 8, "animate": mode, "speed": 0.5}, time=t) for t in (0.0, 0.2, 2.0)]
        if mode == 2:
            assert np.array_equal(frames[0], still)  # weights at angle 0 are the seed's own
        small = np.abs(frames[1].astype(int) - frames[0]).mean()
        large = np.abs(frames[2].astype(int) - frames[0]).mean()
        assert 0 < small < large, (mode, small, large)  # slow: a little change, then more


def test_weights_are_deterministic_and_padded():
    shape = Shape(depth=3, width=5, activation=5)
    a, b = random_network(9, shape), random_network(9, shape)
    assert np.array_equal(a.hidden_weights, b.hidden_weights) and a.activations == b.activations
    assert not a.input_weights[5:].any() and not a.hidden_weights[:, 5:].any() and not a.hidden_weights[2:].any()
    assert len(a.activations) == 3
