"""Depth maps in, pixels that follow depth out: the measured map of the motorcycle photo."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, photo, run_cli
from shaderlab.errors import ImageError
from shaderlab.io.depth import estimate_depth_builtin, load_depth


@pytest.fixture(scope="module")
def motorcycle():
    return photo("motorcycle.png")


@pytest.fixture(scope="module")
def measured():
    return load_depth(IMAGES / "motorcycle-depth.png")


def ranks(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="stable")
    out = np.empty(len(values))
    out[order] = np.arange(len(values))
    return out


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(ranks(a.ravel()), ranks(b.ravel()))[0, 1])


def test_16_bit_depth_loads_as_unit_floats(measured):
    raw = np.asarray(Image.open(IMAGES / "motorcycle-depth.png")).astype(np.float64)
    assert measured.dtype == np.float32 and measured.shape == (500, 741)
    assert np.abs(measured - raw / 65535.0).max() < 1e-6


def test_8_bit_inverted_and_resized(tmp_path, measured):
    path = tmp_path / "far-is-white.png"
    Image.fromarray(np.rint((1.0 - measured) * 255).astype(np.uint8)).resize((370, 250)).save(path)
    depth = load_depth(path, size=(741, 500), invert=True)
    assert depth.shape == (500, 741)
    assert np.abs(depth - measured).mean() < 0.03  # an 8-bit half-size copy of the same map


@pytest.mark.parametrize("content, message", [(b"not an image", "cannot read depth map"), (None, "no such depth file")])
def test_unreadable_depth_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "depth.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageError, match=message):
        load_depth(path)


def test_depthmap_shows_the_depth_itself(renderer, motorcycle, measured):
    out = renderer.render(motorcycle, ["depthmap"], depth=measured)
    assert np.abs(out[..., 0] / 255.0 - measured).max() <= 1 / 255
    assert np.array_equal(out[..., 0], out[..., 2])


def test_depth_colour_follows_depth(renderer, motorcycle, measured):
    known = measured > 0  # 7% of the map has no measurement
    grey = renderer.render(motorcycle, [("depth_colour", {"palette": "grey"})], depth=measured)
    assert spearman(grey[..., 0][known], measured[known]) > 0.99
    viridis = renderer.render(motorcycle, [("depth_colour", {"palette": "viridis"})], depth=measured)
    luma = viridis[..., :3].astype(float) @ [0.2126, 0.7152, 0.0722]
    assert spearman(luma[known], measured[known]) > 0.95  # viridis brightens monotonically


def test_depth_colour_bands_travel_with_time(renderer, motorcycle, measured):
    params = {"palette": "grey", "bands": 4.0, "speed": 1.0}
    first = renderer.render(motorcycle, [("depth_colour", params)], depth=measured, time=0.0)
    later = renderer.render(motorcycle, [("depth_colour", params)], depth=measured, time=0.25)
    assert np.abs(first.astype(int) - later.astype(int)).mean() > 20


def test_builtin_estimate_is_used_without_a_depth_map(renderer, motorcycle):
    guess = estimate_depth_builtin(motorcycle)
    assert guess.shape == (500, 741) and guess.min() == 0.0 and guess.max() == 1.0
    assert guess[-50:].mean() > guess[:50].mean()  # lower in the frame is nearer
    out = renderer.render(motorcycle, ["depthmap"])
    assert np.abs(out[..., 0] / 255.0 - guess).max() <= 1 / 255


def test_render_command_takes_a_depth_file(tmp_path, measured):
    out = tmp_path / "depth.png"
    result = run_cli("render", str(IMAGES / "motorcycle.png"), "--depth", str(IMAGES / "motorcycle-depth.png"),
                     "-e", "depthmap", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert np.abs(np.asarray(Image.open(out))[..., 0] / 255.0 - measured).max() <= 1 / 255
    bad = run_cli("render", str(IMAGES / "motorcycle.png"), "--depth", str(tmp_path / "none.png"),
                  "-e", "depthmap", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "no such depth file" in bad.stderr and not (tmp_path / "x.png").exists()


def _shift_of(before: np.ndarray, after: np.ndarray, box: tuple[slice, slice], reach: int = 40) -> float:
    """How far the patch ``box`` of ``before`` moved in ``after`` (best match by brute force)."""
    patch = before[box].astype(float)
    best, best_shift = np.inf, 0.0
    for dy in range(-4, 5, 2):
        for dx in range(-reach, reach + 1):
            moved = after[box[0].start + dy : box[0].stop + dy, box[1].start + dx : box[1].stop + dx].astype(float)
            error = np.abs(moved - patch).mean()
            if error < best:
                best, best_shift = error, float(np.hypot(dx, dy))
    return best_shift


def test_parallax_moves_near_pixels_more_than_far_ones(renderer, motorcycle, measured):
    params = {"orbit": 20.0, "orbitSpeed": 0.25}
    start = renderer.render(motorcycle, [("depth_parallax", params)], depth=measured, time=0.0)
    assert np.array_equal(start[..., :3], motorcycle)  # the camera starts where the photo was taken
    later = renderer.render(motorcycle, [("depth_parallax", params)], depth=measured, time=1.0)
    near = (slice(330, 370), slice(560, 620))  # the front tyre
    far = (slice(30, 70), slice(600, 660))  # the shelves at the back
    assert measured[near].mean() > measured[far].mean() + 0.3
    near_shift = _shift_of(start[..., :3], later[..., :3], near)
    far_shift = _shift_of(start[..., :3], later[..., :3], far)
    assert near_shift > far_shift + 5


def _sharpness(image: np.ndarray) -> float:
    grey = image[..., :3].astype(float).mean(axis=-1)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def test_depth_of_field_keeps_the_focal_plane_sharp(renderer, motorcycle, measured):
    focus = float(np.median(measured[330:370, 560:620]))
    out = renderer.render(motorcycle, [("depth_of_field", {"focus": focus, "maxRadius": 10.0})], depth=measured)
    in_focus = np.abs(measured - focus) < 0.03
    far = (measured < focus - 0.4) & (measured > 0)
    ys, xs = np.nonzero(in_focus)
    assert in_focus.sum() > 2000 and far.sum() > 2000
    assert np.abs(out[..., :3].astype(int) - motorcycle)[in_focus].mean() < 3  # untouched
    assert _sharpness(out[40:120, 600:700]) < 0.6 * _sharpness(motorcycle[40:120, 600:700])  # far shelves blurred


def test_depth_slices_and_waves_move_pixels_and_animate(renderer, motorcycle, measured):
    still = renderer.render(motorcycle, [("depth_waves", {"amplitude": 0.0})], depth=measured, time=3.0)
    assert np.array_equal(still[..., :3], motorcycle)
    a = renderer.render(motorcycle, [("depth_waves", {"amplitude": 8.0})], depth=measured, time=0.0)
    b = renderer.render(motorcycle, [("depth_waves", {"amplitude": 8.0})], depth=measured, time=0.5)
    assert np.abs(a.astype(int) - b).mean() > 2
    c = renderer.render(motorcycle, [("depth_slices", {"rate": 2.0})], depth=measured, time=0.0)
    d = renderer.render(motorcycle, [("depth_slices", {"rate": 2.0})], depth=measured, time=0.6)
    assert np.abs(c.astype(int) - d).mean() > 2 and np.abs(c[..., :3].astype(int) - motorcycle).mean() > 2


def test_depth_split_follows_depth(renderer, motorcycle, measured):
    out = renderer.render(motorcycle, [("depth_split", {"amount": 20.0})], depth=measured)
    moved = np.abs(out[..., 0].astype(int) - motorcycle[..., 0])
    near, far = measured > 0.8, (measured < 0.2) & (measured > 0)
    assert moved[near].mean() > 2 * moved[far].mean()
    assert np.array_equal(out[..., 1], motorcycle[..., 1])  # green stays
