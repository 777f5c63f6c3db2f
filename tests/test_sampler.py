"""The sampler effect against crop-and-resize in numpy: zoom (nearest exactly, smooth closely)
and tile (periodic with the selection's size, mirrored when asked)."""

from __future__ import annotations

import numpy as np
import pytest

import reference as ref
from conftest import photo
from test_effects import close


@pytest.fixture(scope="module")
def chelsea():
    return photo("chelsea.png")  # 451×300: odd sizes catch off-by-one rounding


SELECTIONS = [
    (0.25, 0.25, 0.5, 0.5),
    (0.1, 0.37, 0.13, 0.21),  # a small area: each source pixel spans several output pixels
    (0.0, 0.0, 1.0, 1.0),  # the whole picture: identity
    (0.9, 0.8, 0.5, 0.5),  # runs off the edge: clamped to the picture
    (0.5, 0.5, 0.0, 0.0),  # empty: one pixel
]


@pytest.mark.parametrize("x, y, w, h", SELECTIONS)
def test_nearest_zoom_is_an_exact_crop_and_resize(renderer, chelsea, x, y, w, h):
    params = {"x": x, "y": y, "width": w, "height": h, "mode": 0, "interpolation": 0}
    out = renderer.render(chelsea, [("sampler", params)])
    box = ref.selection_pixels(chelsea.shape, x, y, w, h)
    expected = ref.sample_nearest(chelsea, box, (chelsea.shape[1], chelsea.shape[0]))
    assert np.array_equal(out[..., :3], expected)


def test_zoom_into_a_selection_at_another_output_size(renderer, chelsea):
    params = {"x": 0.3, "y": 0.2, "width": 0.25, "height": 0.3}
    out = renderer.render(chelsea, [("sampler", params)], size=(320, 200))
    box = ref.selection_pixels(chelsea.shape, 0.3, 0.2, 0.25, 0.3)
    assert np.array_equal(out[..., :3], ref.sample_nearest(chelsea, box, (320, 200)))


def test_smooth_zoom_is_bilinear(renderer, chelsea):
    params = {"x": 0.2, "y": 0.3, "width": 0.3, "height": 0.25, "interpolation": 1}
    out = renderer.render(chelsea, [("sampler", params)])
    box = ref.selection_pixels(chelsea.shape, 0.2, 0.3, 0.3, 0.25)
    close(out[..., :3], ref.sample_smooth(chelsea, box, (chelsea.shape[1], chelsea.shape[0])), max_diff=3)
    nearest = renderer.render(chelsea, [("sampler", {**params, "interpolation": 0})])
    assert not np.array_equal(out, nearest)  # the two modes really differ


@pytest.mark.parametrize("mirror", [False, True])
def test_tile_repeats_the_selection_with_its_period(renderer, chelsea, mirror):
    x, y, w, h = 0.41, 0.33, 0.17, 0.23
    out = renderer.render(chelsea, [("sampler", {"x": x, "y": y, "width": w, "height": h, "mode": 1, "mirror": mirror})])
    box = ref.selection_pixels(chelsea.shape, x, y, w, h)
    assert np.array_equal(out[..., :3], ref.tile(chelsea, box, mirror))
    left, top, cols, rows = box
    # The selected area stays where it was; the picture repeats with the selection's size
    # (twice the size when mirrored).
    assert np.array_equal(out[top : top + rows, left : left + cols, :3], chelsea[top : top + rows, left : left + cols])
    period_x, period_y = (2 * cols, 2 * rows) if mirror else (cols, rows)
    assert np.array_equal(out[:, period_x:, :3], out[:, :-period_x, :3])
    assert np.array_equal(out[period_y:, :, :3], out[:-period_y, :, :3])
    if mirror:  # the neighbouring tile is the selection reflected
        assert np.array_equal(out[top : top + rows, left + cols : left + 2 * cols, :3], chelsea[top : top + rows, left : left + cols][:, ::-1])
