"""The shaderlab command, run for real: render, effects, and every bad input → one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import reference as ref
from conftest import IMAGES, photo, run_cli


def test_render_writes_the_chain_result(tmp_path):
    out = tmp_path / "out.png"
    result = run_cli("render", str(IMAGES / "coffee.png"), "-o", str(out), "-e", "pixelate size=10", "-e", "saturate amount=0")
    assert result.returncode == 0, result.stderr
    written = np.asarray(Image.open(out))
    expected = ref.saturate(ref.pixelate(photo("coffee.png"), 10), 0.0)
    assert np.abs(written[..., :3].astype(int) - expected).max() <= 1


def test_render_from_a_scene_with_time_and_size(tmp_path):
    scene = tmp_path / "look.toml"
    scene.write_text(
        f'[source]\nimage = "{IMAGES / "chelsea.png"}"\n\n'
        '[[effects]]\nname = "blur"\nparams = { radius = 2.0 }\n\n'
        '[[effects]]\nname = "saturate"\nenabled = false\n'
    )
    out = tmp_path / "out.png"
    result = run_cli("render", "--scene", str(scene), "-o", str(out), "--size", "225x150", "--time", "1.5")
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size == (225, 150)


def test_effects_json_lists_every_effect_with_inputs():
    result = run_cli("effects", "--json")
    assert result.returncode == 0
    effects = {e["name"]: e for e in json.loads(result.stdout)}
    assert {"blur", "colorize", "pixelate", "rgb_split", "saturate", "sharpen", "passthrough"} <= set(effects)
    radius = next(i for i in effects["blur"]["inputs"] if i["name"] == "radius")
    assert radius == {"name": "radius", "type": "float", "default": 4.0, "min": 0.0, "max": 64.0, "label": "Radius (px)"}
    palette = next(i for i in effects["colorize"]["inputs"] if i["name"] == "palette")
    assert palette["labels"][:2] == ["fire", "ocean"]


def test_effects_text_listing():
    result = run_cli("effects")
    assert "pixelate: " in result.stdout and "size (long, default 12, 1..256)" in result.stdout


def _bomb(path: Path) -> None:
    from test_images import _png_claiming

    path.write_bytes(_png_claiming(12000, 12000))


@pytest.mark.parametrize(
    "make_input, extra, message",
    [
        (lambda p: p.write_bytes(b"GIF89a not really"), [], "not an image file"),
        (lambda p: p.write_bytes((IMAGES / "coffee.png").read_bytes()[:5000]), [], "cannot decode image"),
        (_bomb, [], "megapixel limit"),
        (None, ["-e", "swirl"], "unknown effect 'swirl'"),
        (None, ["-e", "blur radius=-3"], "blur.radius: '-3' is outside 0..64"),
        (None, ["-e", "blur strength=3"], "'blur' has no parameter 'strength'"),
        (None, ["-e", "colorize palette=lava"], "colorize.palette: 'lava' is not one of fire (0)"),
        (None, ["-e", "blur radius"], "'radius' is not key=value"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, make_input, extra, message):
    source = tmp_path / "in.png"
    if make_input:
        make_input(source)
    else:
        source.write_bytes((IMAGES / "chelsea.png").read_bytes())
    out = tmp_path / "out.png"
    result = run_cli("render", str(source), "-o", str(out), *extra)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("shaderlab: error: ")
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "scene_text, message",
    [
        ("[source\nimage = 1", "not valid TOML"),
        ("[[effects]]\nparams = {}\n", 'effects[0] needs a name = "effect" string'),
        ('[[effects]]\nname = "blur"\nparams = 3\n', "effects[0].params must be a table"),
        ('[[effects]]\nname = "blur"\nenabled = "yes"\n', "effects[0].enabled must be true or false"),
        ('[[effects]]\nname = "blur"\nparams = { radius = "huge" }\n', "blur.radius: 'huge' is not a valid float"),
    ],
)
def test_malformed_scenes_are_refused(tmp_path, scene_text, message):
    scene = tmp_path / "bad.toml"
    scene.write_text(scene_text)
    out = tmp_path / "out.png"
    result = run_cli("render", str(IMAGES / "chelsea.png"), "--scene", str(scene), "-o", str(out))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_an_existing_output_is_never_overwritten(tmp_path):
    out = tmp_path / "out.png"
    out.write_bytes(b"precious")
    result = run_cli("render", str(IMAGES / "chelsea.png"), "-o", str(out), "-e", "blur")
    assert result.returncode == 2 and "exists already" in result.stderr
    assert out.read_bytes() == b"precious"
    result = run_cli("render", str(IMAGES / "chelsea.png"), "-o", str(out), "--overwrite")
    assert result.returncode == 0 and out.read_bytes() != b"precious"


def test_images_beyond_the_texture_limit_are_scaled_down(tmp_path, renderer):
    limit = renderer.max_texture_size
    wide = tmp_path / "wide.png"
    Image.new("RGB", (limit + 500, 40), (200, 30, 60)).save(wide)
    out = tmp_path / "out.png"
    result = run_cli("render", str(wide), "-o", str(out), "-e", "saturate amount=1")
    assert result.returncode == 0, result.stderr
    assert "texture limit; scaled down" in result.stderr
    written = Image.open(out)
    assert written.size == (limit, round(40 * limit / (limit + 500)))
    assert written.getpixel((5, 5))[:3] == (200, 30, 60)


def test_play_without_a_display_says_what_to_do():
    result = run_cli("play", "--frames", "1", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("shaderlab: error: no display") and "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_a_generator_needs_no_input(tmp_path, renderer):
    out = tmp_path / "networks.png"
    result = run_cli("render", "-e", "random_network seed=5 grid=3", "--size", "300x200", "-o", str(out))
    assert result.returncode == 0, result.stderr
    written = np.asarray(Image.open(out))
    expected = renderer.render(np.zeros((200, 300, 3), np.uint8), [("random_network", {"seed": 5, "grid": 3})])
    assert np.array_equal(written, expected)


def test_a_scene_with_a_sampler_selection_renders_the_zoom(tmp_path):
    scene = tmp_path / "zoom.toml"
    scene.write_text(
        f'[source]\nimage = "{IMAGES / "chelsea.png"}"\n\n'
        '[[effects]]\nname = "sampler"\nparams = { x = 0.5, y = 0.25, width = 0.25, height = 0.5 }\n'
    )
    out = tmp_path / "zoom.png"
    result = run_cli("render", "--scene", str(scene), "-o", str(out))
    assert result.returncode == 0, result.stderr
    chelsea = photo("chelsea.png")
    box = ref.selection_pixels(chelsea.shape, 0.5, 0.25, 0.25, 0.5)
    expected = ref.sample_nearest(chelsea, box, (chelsea.shape[1], chelsea.shape[0]))
    assert np.array_equal(np.asarray(Image.open(out))[..., :3], expected)
