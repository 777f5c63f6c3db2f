"""Every user mistake through the Python API is a ShaderlabError with one line (issue 11)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import IMAGES, run_cli
from shaderlab import ShaderlabError, load_image

IMAGE = np.zeros((8, 8, 3), np.uint8)


@pytest.mark.parametrize(
    "image, effects, kwargs, message",
    [
        (np.zeros((4, 4, 5), np.uint8), [], {}, "not shape (4, 4, 5)"),
        (np.zeros((0, 0, 3), np.uint8), [], {}, "image is empty"),
        (np.zeros((4, 4, 3)), [], {}, "must be uint8"),
        ([[1, 2]], [], {}, "must be a numpy array"),
        (IMAGE, ["blur"], {"size": (0, 0)}, "size 0×0 is empty"),
        (IMAGE, ["blur"], {"size": (16385, 2)}, "over this GPU's limit"),
        (IMAGE, ["blur"], {"size": (2.5, 3)}, "whole pixels"),
        (IMAGE, ["blur"], {"size": "big"}, "whole pixels"),
        (IMAGE, [None], {}, "effects[0] must be a name"),
        (IMAGE, [("blur", {"radius": 2}, 3)], {}, "effects[0] must be a name"),
        (IMAGE, "blur", {}, "effects must be a list"),
        (IMAGE, [("blur", [1])], {}, "parameters must be a mapping"),
        (IMAGE, ["blur"] * 65, {}, "over the limit of 64"),
        (IMAGE, ["blur"], {"time": "1"}, "time must be a number"),
        (IMAGE, ["depthmap"], {"depth": np.zeros((4, 4, 7), np.float32)}, "depth must be an H×W map"),
        (IMAGE, ["depthmap"], {"depth": np.full((4, 4), np.nan, np.float32)}, "NaN"),
        (IMAGE, ["depthmap"], {"depth": "depth.png"}, "depth must be a numpy array"),
    ],
)
def test_bad_arguments_are_one_line(renderer, image, effects, kwargs, message):
    with pytest.raises(ShaderlabError) as caught:
        renderer.render(image, effects, **kwargs)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_depth_as_load_image_returns_it(renderer, tmp_path):
    """uint8, uint16 and float depth, grey or RGB, and a LoadedImage all mean the same."""
    from PIL import Image

    ramp = np.tile(np.linspace(0, 1, 32, dtype=np.float32), (24, 1))
    Image.fromarray(np.rint(ramp * 255).astype(np.uint8)).save(tmp_path / "d.png")
    loaded = load_image(tmp_path / "d.png")  # RGB uint8, as the README tells users to load
    image = np.full((24, 32, 3), 128, np.uint8)
    reference = renderer.render(image, ["depthmap"], depth=ramp)
    for depth in (loaded, loaded.pixels, loaded.pixels[..., 0], np.rint(ramp * 65535).astype(np.uint16), ramp[..., None]):
        out = renderer.render(image, ["depthmap"], depth=depth)
        assert np.abs(out.astype(int) - reference).max() <= 1


def test_output_size_past_the_gpu_limit_is_one_line_on_the_command_line(tmp_path):
    result = run_cli("render", str(IMAGES / "coffee.png"), "-o", str(tmp_path / "o.png"), "--size", "16385x2")
    assert result.returncode == 2
    assert "over this GPU's limit" in result.stderr and "Traceback" not in result.stderr


def test_scene_mistakes(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    many = tmp_path / "many.toml"
    many.write_text('[[effects]]\nname = "blur"\n' * 10_000)
    typo = tmp_path / "typo.toml"
    typo.write_text(f'[source]\nimgae = "x.png"\n[[effects]]\nname = "pixelate"\nparmas = {{ size = 4 }}\n')
    out = tmp_path / "out.png"
    result = run_cli("render", "--scene", str(deep), "-o", str(out))
    assert result.returncode == 2 and "nested too deeply" in result.stderr
    result = run_cli("render", "--scene", str(many), "-o", str(out))
    assert result.returncode == 2 and "10000 effects is over the limit of 64" in result.stderr
    result = run_cli("render", str(IMAGES / "coffee.png"), "--scene", str(typo), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "unknown key 'imgae' in [source], ignored; did you mean 'image'?" in result.stderr
    assert "unknown key 'parmas' in [effects], ignored; did you mean 'params'?" in result.stderr
