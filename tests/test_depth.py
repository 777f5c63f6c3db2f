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
