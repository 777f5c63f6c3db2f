"""Every bundled effect against a numpy implementation of the same maths, on real photos."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import reference as ref
from conftest import ROOT, photo


def close(actual: np.ndarray, expected: np.ndarray, max_diff: int = 2, mean_diff: float = 0.3) -> None:
    """Within a few levels everywhere, and nearly exact on average."""
    assert actual.shape == expected.shape
    diff = np.abs(actual.astype(int) - expected.astype(int))
    assert diff.max() <= max_diff, f"max difference {diff.max()} at {np.unravel_index(diff.argmax(), diff.shape)}"
    assert diff.mean() <= mean_diff, f"mean difference {diff.mean():.3f}"


@pytest.fixture(scope="module")
def coffee():
    return photo("coffee.png")


def test_no_effects_returns_the_input_exactly(renderer, coffee):
    out = renderer.render(coffee)
    assert out.shape == coffee.shape[:2] + (4,)
    assert np.array_equal(out[..., :3], coffee)
    assert (out[..., 3] == 255).all()


def test_passthrough_is_exact_and_keeps_orientation_and_alpha(renderer):
    image = photo("astronaut.png")[:300, :200]  # not square: a transposition would show
    rgba = np.dstack([image, np.tile(np.arange(200, dtype=np.uint8), (300, 1))])
    out = renderer.render(rgba, ["passthrough"])
    assert np.array_equal(out, rgba)


def test_rgb_and_grey_pictures_pass_through_exactly_with_opaque_alpha(renderer):
    """RGB and grey are widened to RGBA on the way up (surface.Staging): both read back as the
    same RGBA, again and again (the source texture and the staging arrays reused or remade)."""
    image = photo("astronaut.png")[:301, :199]  # odd sizes: rows of 3 bytes a pixel are not aligned
    for pixels in (image, image[..., 1], image, np.ascontiguousarray(image[::2, ::2])):
        out = renderer.render(pixels, ["passthrough"])
        widened = pixels if pixels.ndim == 3 else np.repeat(pixels[..., None], 3, axis=2)
        assert np.array_equal(out[..., :3], widened) and (out[..., 3] == 255).all()


@pytest.mark.parametrize("amount, angle", [(10.0, 0.0), (7.0, 90.0), (12.5, 33.0)])
def test_rgb_split(renderer, coffee, amount, angle):
    out = renderer.render(coffee, [("rgb_split", {"amount": amount, "angle": angle})])
    expected = ref.rgb_split(coffee, amount, angle)
    close(out[..., :3], expected)
    # The channels really moved: red differs from the input where the picture has edges.
    assert np.abs(out[..., 0].astype(int) - coffee[..., 0]).mean() > 3
    if angle == 0.0:  # a shift of whole pixels reads whole texels: exact
        assert np.array_equal(out[..., :3], expected)


@pytest.mark.parametrize("amount, angle", [(8.0, 0.0), (5.0, 90.0), (3.0, 180.0), (12.0, 270.0)])
def test_rgb_split_by_whole_pixels_reads_the_texels_the_general_pass_reads(coffee, tmp_path, amount, angle):
    """Shifts of whole pixels run a pass of three texel fetches (SHADERLAB_WHEN); the file with
    that key gone runs both passes, the general one last: the same pixels exactly."""
    from shaderlab import Renderer

    text = (ROOT / "shaders" / "rgb_split.fs").read_text()
    assert text.count('"SHADERLAB_WHEN"') == 2
    (tmp_path / "rgb_split_general.fs").write_text(text.replace('"SHADERLAB_WHEN"', '"IGNORED"'))
    values = {"amount": amount, "angle": angle}
    with Renderer([tmp_path]) as renderer:
        from shaderlab.render.chain import passes_to_run

        assert passes_to_run(renderer.library.spec("rgb_split"), (600, 400), values) == (True, False)
        assert passes_to_run(renderer.library.spec("rgb_split"), (600, 400), {**values, "amount": amount + 0.5}) == (False, True)
        fast = renderer.render(coffee, [("rgb_split", values)])
        general = renderer.render(coffee, [("rgb_split_general", values)])
    assert np.array_equal(fast, general)
    assert np.abs(fast[..., 0].astype(int) - coffee[..., 0]).mean() > 3  # red really moved


@pytest.mark.parametrize("radius", [1.0, 4.0, 9.5])
def test_blur(renderer, coffee, radius):
    out = renderer.render(coffee, [("blur", {"radius": radius})])
    close(out[..., :3], ref.blur(coffee, radius))


def test_blur_of_a_render_resized_reads_the_picture_scaled_to_its_size(renderer, coffee):
    """The chain's input is the source scaled to the render size first (render/fit.py), so the
    whole-pixel taps of the blur land on the scaled picture's pixels."""
    h, w = coffee.shape[:2]
    out = renderer.render(coffee, [("blur", {"radius": 4.0})], size=(w // 2, h // 2))
    halved = coffee[: h // 2 * 2, : w // 2 * 2].reshape(h // 2, 2, w // 2, 2, 3).mean(axis=(1, 3))
    close(out[..., :3], ref.to_uint8(ref.gaussian_blur(halved / 255.0, 4.0)), mean_diff=0.5)  # rounded twice here


@pytest.mark.parametrize("radius", [15.9, 16.0, 23.5, 32.0, 64.0])
@pytest.mark.parametrize("name", ["coffee.png", "astronaut.png"])  # the astronaut's edges are the sharpest
def test_blur_at_large_radii(renderer, name, radius):
    """From radius 16 the blur is worked out at a grid of samples and enlarged: still within the
    tolerance of the taps at every pixel, edges and all."""
    image = photo(name)
    out = renderer.render(image, [("blur", {"radius": radius})])
    close(out[..., :3], ref.blur(image, radius))


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (5, 40), (37, 1), (17, 23)])
def test_blur_sampled_at_large_radii_on_tiny_pictures(renderer, shape):
    """Pictures with fewer pixels a side than the samples' spacing: every side's last sample is
    its last pixel, so a grid of one or two samples still gives the blur."""
    image = (np.random.default_rng(7).random(shape + (3,)) * 255).astype(np.uint8)
    for radius in (16.0, 40.0):
        out = renderer.render(image, [("blur", {"radius": radius})])
        close(out[..., :3], ref.blur(image, radius))


@pytest.mark.parametrize("name, params", [("blur", {"radius": 8.0}), ("blur", {"radius": 32.0}),
                                          ("sharpen", {"amount": 2.5, "radius": 5.0}),
                                          ("rgb_split", {"amount": 12.5, "angle": 33.0}), ("pixelate", {"size": 7}),
                                          ("passthrough", {})])
def test_other_isf_hosts_get_the_same_output_through_filtered_reads(coffee, tmp_path, name, params):
    """Without SHADERLAB defined (another host), the files read their taps filtered, and every
    pass runs (SHADERLAB_WHEN is ours): same output."""
    from shaderlab import Renderer

    text = (ROOT / "shaders" / f"{name}.fs").read_text()
    assert "#ifdef SHADERLAB" in text
    elsewhere = text.replace("#ifdef SHADERLAB", "#ifdef ANOTHER_HOST").replace('"SHADERLAB_WHEN"', '"ANOTHER_HOSTS_IGNORE"')
    (tmp_path / f"{name}_elsewhere.fs").write_text(elsewhere)
    with Renderer([tmp_path]) as renderer:
        out = renderer.render(coffee, [(f"{name}_elsewhere", params)])
    expected = {"blur": lambda: ref.blur(coffee, **params), "sharpen": lambda: ref.sharpen(coffee, **params),
                "rgb_split": lambda: ref.rgb_split(coffee, **params), "pixelate": lambda: ref.pixelate(coffee, **params),
                "passthrough": lambda: coffee}[name]()
    close(out[..., :3], expected[..., :3])


def test_blur_radius_zero_is_identity(renderer, coffee):
    out = renderer.render(coffee, [("blur", {"radius": 0.0})])
    assert np.array_equal(out[..., :3], coffee)


@pytest.mark.parametrize("amount, radius", [(1.0, 2.0), (2.5, 5.0)])
def test_sharpen(renderer, coffee, amount, radius):
    out = renderer.render(coffee, [("sharpen", {"amount": amount, "radius": radius})])
    close(out[..., :3], ref.sharpen(coffee, amount, radius), max_diff=3, mean_diff=0.3)


@pytest.mark.parametrize("size", [1, 7, 16, 64])
def test_pixelate_is_exact(renderer, coffee, size):
    out = renderer.render(coffee, [("pixelate", {"size": size})])
    assert np.array_equal(out[..., :3], ref.pixelate(coffee, size))


@pytest.mark.parametrize("amount", [0.0, 1.0, 2.2])
def test_saturate(renderer, coffee, amount):
    out = renderer.render(coffee, [("saturate", {"amount": amount})])
    close(out[..., :3], ref.saturate(coffee, amount), max_diff=1)
    if amount == 0.0:  # grey: the three channels agree
        assert np.abs(out[..., 0].astype(int) - out[..., 2]).max() <= 1


@pytest.mark.parametrize("palette, repeat, offset, mix", [(0, 1.0, 0.0, 1.0), (3, 3.0, 0.4, 1.0), (2, 1.0, 0.0, 0.5)])
def test_colorize(renderer, coffee, palette, repeat, offset, mix):
    palettes = np.asarray(Image.open(ROOT / "assets" / "palettes.png").convert("RGB"))
    params = {"palette": palette, "repeat": repeat, "offset": offset, "mixAmount": mix}
    out = renderer.render(coffee, [("colorize", params)])
    close(out[..., :3], ref.colorize(coffee, palettes, palette, repeat, offset, mix))


def test_chain_of_all_six_matches_the_references_composed(renderer):
    image = photo("chelsea.png")
    chain = [
        ("saturate", {"amount": 1.8}),
        ("blur", {"radius": 3.0}),
        ("sharpen", {"amount": 1.0, "radius": 2.0}),
        ("rgb_split", {"amount": 6.0, "angle": 0.0}),
        ("pixelate", {"size": 5}),
        ("colorize", {"palette": 1, "mixAmount": 0.6}),
    ]
    out = renderer.render(image, chain)
    palettes = np.asarray(Image.open(ROOT / "assets" / "palettes.png").convert("RGB"))
    expected = ref.saturate(image, 1.8)
    expected = ref.blur(expected, 3.0)
    expected = ref.sharpen(expected, 1.0, 2.0)
    expected = ref.rgb_split(expected, 6.0, 0.0)
    expected = ref.pixelate(expected, 5)
    expected = ref.colorize(expected, palettes, 1, 1.0, 0.0, 0.6)
    # Rounding between effects (8-bit buffers) compounds a little over six steps.
    close(out[..., :3], expected, max_diff=4, mean_diff=0.5)


def test_alpha_survives_effects(renderer, coffee):
    alpha = np.linspace(0, 255, coffee.shape[1]).astype(np.uint8)
    rgba = np.dstack([coffee, np.tile(alpha, (coffee.shape[0], 1))])
    out = renderer.render(rgba, [("saturate", {"amount": 0.5}), ("pixelate", {"size": 1})])
    assert np.array_equal(out[..., 3], rgba[..., 3])


@pytest.mark.parametrize("progress, softness", [(0.0, 0.1), (0.3, 0.1), (0.7, 0.25), (1.0, 0.1), (0.5, 0.0)])
def test_wipe_transition(renderer, coffee, tmp_path, progress, softness):
    end = coffee[::-1].copy()
    Image.fromarray(end).save(tmp_path / "end.png")
    out = renderer.render(coffee, [("wipe", {"progress": progress, "softness": softness, "endImage": str(tmp_path / "end.png")})])
    close(out[..., :3], ref.wipe(coffee, end, progress, softness), max_diff=2 if softness else 255,
          mean_diff=0.5 if softness else 0.5)
