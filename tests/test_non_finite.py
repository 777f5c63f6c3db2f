"""NaN and infinity never pass a range check, whichever surface they come from (issue 11)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import IMAGES, run_cli
from shaderlab.errors import EffectError, ShaderlabError
from test_params import SPEC
from shaderlab.params import check_params, clamp_value

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    "params",
    [
        {"radius": NAN}, {"radius": "nan"}, {"radius": -INF}, {"radius": "inf"},
        {"size": INF}, {"size": "inf"}, {"size": NAN},
        {"centre": (NAN, 0.5)}, {"centre": "nan,nan"}, {"centre": [0.5, INF]},
        {"tint": (NAN, 0, 0, 1)}, {"tint": "1,inf,0"},
    ],
)
def test_non_finite_values_are_refused_by_name(params):
    with pytest.raises(EffectError, match=r"fx\.\w+: .* is not a finite number"):
        check_params(SPEC, params)


def test_whole_numbers_are_whole_from_every_surface():
    # The API used to truncate 2.7 to 2 where the command line refused 2.5.
    for raw in (2.7, "2.5", np.float64(3.5)):
        with pytest.raises(EffectError, match="not a valid whole number"):
            check_params(SPEC, {"size": raw})
    assert check_params(SPEC, {"size": 4.0})["size"] == 4
    assert check_params(SPEC, {"size": "6"})["size"] == 6


def test_the_panel_clamps_nan_to_the_default():
    radius = SPEC.input("radius")
    assert clamp_value(radius, NAN) == radius.default
    assert clamp_value(radius, INF) == radius.default
    assert clamp_value(radius, 100.0) == 64


def test_the_api_refuses_nan_time_and_values(renderer):
    image = np.zeros((8, 8, 3), np.uint8)
    for kwargs in ({"time": NAN}, {"time": INF}, {"mouse": (NAN, 0, 0, 0)}):
        with pytest.raises(ShaderlabError, match="finite"):
            renderer.render(image, ["passthrough"], **kwargs)
    with pytest.raises(EffectError, match="blur.radius: nan is not a finite number"):
        renderer.render(image, [("blur", {"radius": NAN})])
    with pytest.raises(EffectError, match="pixelate.size: inf is not a finite number"):
        renderer.render(image, [("pixelate", {"size": INF})])


@pytest.mark.parametrize(
    "args, message",
    [
        (["-e", "blur radius=nan"], "blur.radius: 'nan' is not a finite number"),
        (["-e", "pixelate size=inf"], "pixelate.size: 'inf' is not a finite number"),
        (["--time", "nan"], "'nan' is not a finite number"),
        (["--time", "inf"], "'inf' is not a finite number"),
        (["--frames", "2", "--fps", "nan"], "'nan' is not a finite number"),
    ],
)
def test_the_command_line_refuses_non_finite_numbers(tmp_path, args, message):
    out = tmp_path / ("out.gif" if "--frames" in args else "out.png")
    result = run_cli("render", str(IMAGES / "coffee.png"), "-o", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_scene_with_nan_is_refused(tmp_path):
    scene = tmp_path / "nan.toml"
    scene.write_text(f'[source]\nimage = "{IMAGES / "coffee.png"}"\n[[effects]]\nname = "saturate"\nparams = {{ amount = nan }}\n')
    result = run_cli("render", "--scene", str(scene), "-o", str(tmp_path / "out.png"))
    assert result.returncode == 2
    assert "saturate.amount: nan is not a finite number" in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_a_float_tiff_with_nan_loads_without_a_warning(tmp_path):
    import warnings

    from PIL import Image

    from shaderlab import load_image

    values = np.array([[0.0, NAN], [INF, 0.5]], np.float32)
    Image.fromarray(values, mode="F").save(tmp_path / "nan.tif")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from numpy fails the test
        pixels = load_image(tmp_path / "nan.tif").pixels
    assert pixels[..., 0].tolist() == [[0, 0], [255, 128]]
