"""The pixel sort: exact against the public pixelsort package's outputs, every direction and
interval against the numpy sorter, auto mode converging to settled, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, SHARED, run_cli
from shaderlab.errors import EffectError
from shaderlab.sort.cpu import sort_numpy
from shaderlab.sort.keys import KEYS, keys_numpy, pixelsort_hue, pixelsort_saturation
from shaderlab.sort.options import DIRECTIONS, SortOptions

REFERENCE = SHARED / "pixelsort-reference"
MANIFEST = json.loads((REFERENCE / "manifest.json").read_text())


def rgba(name: str) -> np.ndarray:
    return np.asarray(Image.open(IMAGES / name).convert("RGBA"))


@pytest.fixture(params=["counting", "bitonic", "fragment"])
def algorithm(request, renderer):
    """Run a test with each GPU algorithm (llvmpipe picks counting, GPUs bitonic, GL 3.3 fragment)."""
    with renderer.ctx:
        effect = renderer.programs.get("pixelsort")
    chosen = effect.algorithm
    effect.algorithm = request.param
    yield request.param
    effect.algorithm = chosen


@pytest.mark.parametrize("case", MANIFEST, ids=[c["output"] for c in MANIFEST])
def test_gpu_matches_the_pixelsort_package_exactly(renderer, algorithm, case):
    expected = np.asarray(Image.open(REFERENCE / case["output"]).convert("RGBA"))
    params = {"key": case["key"], "interval": case["interval"], "lower": case["lower"], "upper": case["upper"]}
    out = renderer.render(rgba(case["input"]), [("pixelsort", params)])
    assert np.array_equal(out, expected)


@pytest.mark.parametrize("case", MANIFEST, ids=[c["output"] for c in MANIFEST])
def test_numpy_sorter_matches_the_pixelsort_package_exactly(case):
    expected = np.asarray(Image.open(REFERENCE / case["output"]).convert("RGBA"))
    options = SortOptions(key=case["key"], interval=case["interval"], lower=case["lower"], upper=case["upper"])
    assert np.array_equal(sort_numpy(rgba(case["input"]), options), expected)


def test_integer_keys_order_like_pixelsorts_floats():
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (40000, 3))
    pixels[:5000] = pixels[:5000] // 32 * 32  # many exact ties
    hue = np.array([pixelsort_hue(*map(int, p)) for p in pixels])
    saturation = np.array([pixelsort_saturation(*map(int, p)) for p in pixels])
    as_uint8 = pixels.astype(np.uint8)
    for floats, key in ((hue, "hue"), (saturation, "saturation")):
        ints = keys_numpy(as_uint8, key)
        assert np.array_equal(np.argsort(floats, kind="stable"), np.argsort(ints, kind="stable"))
        # Same ties too: equal floats exactly where equal integers.
        order = np.argsort(ints, kind="stable")
        assert np.array_equal(np.diff(floats[order]) == 0, np.diff(ints[order]) == 0)


MIXED = [
    dict(key="lightness", interval="threshold"),
    dict(key="hue", interval="random", char_length=30, seed=5),
    dict(key="intensity", interval="waves", char_length=40, randomness=30, reverse=True, seed=2),
    dict(key="saturation", interval="mask"),
    dict(key="minimum", interval="edges", randomness=10, lower=0.3),
    dict(key="hue", interval="none", reverse=True),
]


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("settings", MIXED, ids=[f"{m['key']}-{m['interval']}" for m in MIXED])
def test_every_direction_and_interval_matches_the_numpy_sorter(renderer, algorithm, direction, settings):
    image = rgba("chelsea.png")
    mask = np.zeros(image.shape[:2], np.uint8)
    mask[40:220, 60:330] = 255
    params = dict(settings, direction=direction)
    if settings["interval"] == "mask":
        params["mask"] = mask
    out = renderer.render(image, [("pixelsort", params)])
    expected = sort_numpy(image, SortOptions(**settings, direction=direction), mask=mask >= 128)
    assert np.array_equal(out, expected)
    assert (expected != image).any(axis=-1).mean() > 0.05  # the case really sorts something


def test_directions_are_right_on_the_turned_image(renderer):
    image = rgba("astronaut.png")[:200, :300]
    right = sort_numpy(image, SortOptions(direction="right"))
    assert np.array_equal(sort_numpy(image[:, ::-1], SortOptions())[:, ::-1], sort_numpy(image, SortOptions(direction="left")))
    up = renderer.render(image, [("pixelsort", {"direction": "up"})])
    turned = np.rot90(image, -1)  # bottom edge becomes the left edge
    assert np.array_equal(np.rot90(sort_numpy(turned, SortOptions()), 1), up)
    assert not np.array_equal(up, right)


@pytest.mark.parametrize("key", KEYS)
def test_auto_mode_run_to_convergence_equals_settled(renderer, algorithm, key):
    image = rgba("coffee.png")[100:180, 200:320]  # lines of 120 pixels: converged in 120 steps
    settled = renderer.render(image, [("pixelsort", {"key": key, "interval": "none"})])
    partly = renderer.render(image, [("pixelsort", {"key": key, "interval": "none", "mode": "auto", "steps": 10})])
    assert not np.array_equal(partly, settled) and not np.array_equal(partly, image)
    for frame in range(11):  # the same chain again: the animation continues, 10 steps a frame
        animated = renderer.render(image, [("pixelsort", {"key": key, "interval": "none", "mode": "auto", "steps": 10})])
    assert np.array_equal(animated, settled)


def test_auto_steps_move_pixels_only_within_lines(renderer):
    image = rgba("chelsea.png")
    out = renderer.render(image, [("pixelsort", {"mode": "auto", "steps": 3, "direction": "down"})])
    for column in range(0, image.shape[1], 37):
        before = sorted(map(tuple, image[:, column]))
        after = sorted(map(tuple, out[:, column]))
        assert before == after


def test_lines_longer_than_a_work_group_and_4k_images_sort_correctly(renderer, algorithm):
    rng = np.random.default_rng(3)
    wide = rng.integers(0, 256, (6, 5000, 4), dtype=np.uint8)
    out = renderer.render(wide, [("pixelsort", {"interval": "none"})])
    assert np.array_equal(out, sort_numpy(wide, SortOptions(interval="none")))
    if algorithm == "counting":  # one 4K frame is enough: both share the line code
        big = np.asarray(Image.open(IMAGES / "motorcycle.png").convert("RGBA").resize((3840, 2160)))
        out = renderer.render(big, [("pixelsort", {"direction": "up", "key": "hue"})])
        assert np.array_equal(out, sort_numpy(big, SortOptions(direction="up", key="hue")))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"lower": 0.9, "upper": 0.2}, "lower (0.9) is above upper (0.2)"),
        ({"key": "brightness"}, "pixelsort.key: 'brightness' is not one of lightness (0)"),
        ({"direction": "sideways"}, "pixelsort.direction: 'sideways' is not one of right (0)"),
        ({"interval": "mask"}, "interval=mask needs a mask image"),
        ({"interval": "mask", "mask": np.zeros((10, 10), np.uint8)}, "the mask is 10×10 but the image is 451×300"),
    ],
)
def test_bad_settings_are_clear_errors(renderer, params, message):
    with pytest.raises(EffectError) as info:
        renderer.render(rgba("chelsea.png"), [("pixelsort", params)])
    assert message in str(info.value)


def test_sort_command_writes_the_sorted_image(tmp_path):
    out = tmp_path / "sorted.png"
    result = run_cli("sort", str(IMAGES / "coffee.png"), "-o", str(out), "--key", "hue", "--lower", "0.4", "--upper", "0.95")
    assert result.returncode == 0, result.stderr
    expected = np.asarray(Image.open(REFERENCE / "coffee__threshold_hue_0.4_0.95.png").convert("RGBA"))
    assert np.array_equal(np.asarray(Image.open(out).convert("RGBA")), expected)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--lower", "0.8", "--upper", "0.3"], "is above upper"),
        (["--key", "loudness"], "is not one of lightness"),
        (["--direction", "north"], "is not one of right"),
        (["--interval", "mask", "--mask", str(IMAGES / "chelsea.png")], "the mask is 451×300 but the image is 600×400"),
    ],
)
def test_sort_command_bad_input_writes_nothing(tmp_path, extra, message):
    out = tmp_path / "sorted.png"
    result = run_cli("sort", str(IMAGES / "coffee.png"), "-o", str(out), *extra)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_mask_from_a_file_in_the_api(renderer, tmp_path):
    image = rgba("coffee.png")
    mask = np.zeros(image.shape[:2], np.uint8)
    mask[:, :300] = 255
    path = tmp_path / "mask.png"
    Image.fromarray(mask).save(path)
    out = renderer.render(image, [("pixelsort", {"interval": "mask", "mask": str(path)})])
    assert np.array_equal(out[:, 300:], image[:, 300:])  # black: untouched
    assert np.array_equal(out, sort_numpy(image, SortOptions(interval="mask"), mask=mask >= 128))


@pytest.mark.parametrize("direction", ["right", "down"])
def test_depth_intervals_sort_only_the_chosen_depths(renderer, algorithm, direction):
    from shaderlab.io.depth import load_depth

    image = rgba("motorcycle.png")
    depth = load_depth(IMAGES / "motorcycle-depth.png")
    params = {"interval": "depth", "lower": 0.6, "upper": 1.0, "direction": direction}
    out = renderer.render(image, [("pixelsort", params)], depth=depth)
    expected = sort_numpy(image, SortOptions(interval="depth", lower=0.6, upper=1.0, direction=direction), depth=depth)
    assert np.array_equal(out, expected)
    far = depth < 0.6
    assert np.array_equal(out[far], image[far])  # the far part is untouched
    assert (out[~far] != image[~far]).any(axis=-1).mean() > 0.3  # the near part is sorted
