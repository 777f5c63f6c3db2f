"""The ISF host, feature by feature, on ISF files this project wrote for the purpose
(tests/isf/): size expressions, persistent and float buffers, every input type and IMG_
spelling, imported images, companion vertex shaders, audio inputs, ISF v1 and old GLSL,
transitions. Each file's output encodes what it saw; the tests read it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import shaderlab
from conftest import photo
from shaderlab.errors import ShaderlabError

ISF = Path(__file__).parent / "isf"


def render(path: str, image: np.ndarray, frames: int = 1, **params) -> np.ndarray:
    with shaderlab.Renderer() as r:
        for index in range(frames):
            out = r.render(image, [(str(ISF / path), params)], time=index / 10)
    return out


@pytest.fixture(scope="module")
def chelsea():
    return photo("chelsea.png")


def test_pass_sizes_follow_their_expressions(chelsea):
    out = render("sizes.fs", chelsea)  # 451×300
    r, g, b, a = out[150, 200].astype(int)
    assert (r, g) == (451 // 4, 300 // 4)  # "$WIDTH / 4", whole pixels
    assert b == 451 // 3  # "max(floor($WIDTH / $divide), 1)" with divide = 3
    assert a == 255  # IMG_SIZE of the buffer is its own size
    out = render("sizes.fs", chelsea, divide=8.0)
    assert out[150, 200, 2] == 451 // 8  # a new value: the buffer is remade at its new size


def test_bad_size_expression_is_a_file_line_error(tmp_path):
    broken = tmp_path / "broken.fs"
    broken.write_text((ISF / "sizes.fs").read_text().replace('"$WIDTH / 4"', '"$WIDTH / "'))
    with pytest.raises(ShaderlabError, match=r"broken\.fs:\d+: PASSES size: "):
        render(str(broken), np.zeros((8, 8, 3), np.uint8))


def test_shaderlab_when_skips_the_passes_it_rules_out():
    """SHADERLAB_WHEN (our extension): a pass runs only where its expression is not 0. Mode 0
    runs the first two passes (the output reads the marked buffer); mode 1 only the last, which
    finds the buffer never drawn; other hosts would run all three, the last one's output."""
    image = np.zeros((8, 8, 3), np.uint8)
    assert tuple(render("when.fs", image, mode=0)[4, 4, :3]) == (64, 128, 0)
    assert tuple(render("when.fs", image, mode=1)[4, 4, :3]) == (0, 0, 191)


def test_shaderlab_when_that_leaves_the_output_undrawn_is_a_one_line_error(tmp_path):
    with pytest.raises(ShaderlabError, match=r"when\.fs: SHADERLAB_WHEN skips the last pass and no other pass draws the output"):
        render("when.fs", np.zeros((8, 8, 3), np.uint8), mode=2)
    broken = tmp_path / "broken.fs"
    broken.write_text((ISF / "when.fs").read_text().replace('"$mode == 1"', '"$mode =="'))
    with pytest.raises(ShaderlabError, match=r"broken\.fs:\d+: PASSES SHADERLAB_WHEN: "):
        render(str(broken), np.zeros((8, 8, 3), np.uint8))


def test_persistent_float_buffers_keep_state_between_frames():
    out = render("counter.fs", np.zeros((16, 16, 3), np.uint8), frames=12)
    assert out[8, 8, 0] == 12  # 12 steps of 0.001: only a float buffer holds them
    assert out[8, 8, 1] == 12  # 12 whole levels in the 8-bit buffer


def test_every_value_input_type_reaches_the_shader():
    params = {"level": 0.5, "count": 3, "flag": False, "bang": True, "where": (0.25, 1.0), "tint": (1.0, 0.5, 0.0, 1.0)}
    with shaderlab.Renderer() as r:
        first = r.render(np.zeros((10, 40, 3), np.uint8), [(str(ISF / "values.fs"), params)], time=0.0)
        second = r.render(np.zeros((10, 40, 3), np.uint8), [(str(ISF / "values.fs"), params)], time=0.1)
    assert tuple(first[5, 2]) == (128, 191, 0, 255)  # float, long, bool
    assert tuple(first[5, 12]) == (255, 64, 255, 255)  # event, point2D
    assert tuple(first[5, 22]) == (255, 128, 0, 255)  # color
    assert tuple(first[5, 32]) == (0, 0, 0, 255)  # TIME 0 on the first frame, no delta, frame 0; DATE
    assert tuple(second[5, 32]) == (26, 255, 26, 255)  # TIME 0.1, TIMEDELTA 0.1 (×10), FRAMEINDEX 1 (/10)


def test_header_slips_are_accepted_with_defaults_read_from_strings():
    spec = shaderlab.Renderer().library.spec(str(ISF / "values.fs"))  # trailing comma, "0.25"
    assert spec.input("level").default == 0.25 and spec.input("level").max == 1.0


def test_every_img_spelling_reads_the_input_unchanged(chelsea):
    out = render("spellings.fs", chelsea)
    assert np.array_equal(out[..., :3], chelsea)


def test_imported_images_load_beside_the_file(tmp_path):
    shutil.copy(ISF / "imported.fs", tmp_path)
    stamp = np.random.default_rng(3).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    Image.fromarray(stamp).save(tmp_path / "stamp.png")
    with shaderlab.Renderer() as r:
        out = r.render(np.zeros((24, 32, 3), np.uint8), [str(tmp_path / "imported.fs")])
    assert np.array_equal(out[..., :3], stamp)


def test_a_companion_vertex_shader_feeds_varyings(chelsea):
    out = render("varyings.fs", chelsea)
    assert np.abs(out[..., :3].astype(int) - chelsea[:, ::-1]).max() <= 1  # mirrored by the .vs


def test_audio_inputs_hear_silence():
    out = render("audio.fs", np.zeros((4, 64, 3), np.uint8))
    assert (out[..., 0] == 128).all()  # a silent waveform sits at the middle
    assert (out[..., 1] == 0).all()  # an empty spectrum
    assert (out[..., 2] == 128).all()  # 512 samples


def test_isf_v1_and_old_glsl(chelsea):
    out = render("old_dialect.fs", chelsea, smooth=0.5, input=0.75)
    # memory holds the input at half brightness (v1 persistent buffer, vv_FragNormCoord,
    # texture2D, an input called "smooth"); "sample" and "input" are inputs too; the file's
    # own round() ran.
    assert np.abs(out[..., 0].astype(int) - np.rint(chelsea[..., 0] * 0.5)).max() <= 1
    assert (out[..., 1] == 191).all() and (out[..., 2] == 255).all()
    spec = shaderlab.Renderer().library.spec(str(ISF / "old_dialect.fs"))
    assert spec.passes[0].persistent and spec.input("smooth") is not None


def test_a_transition_goes_from_the_chain_input_to_the_end_image(chelsea):
    end = photo("coffee.png")[:300, :451]
    for progress, expected in ((0.0, chelsea), (1.0, end)):
        out = render("fade.fs", chelsea, endImage=end, progress=progress)
        assert np.array_equal(out[..., :3], expected)
    half = render("fade.fs", chelsea, endImage=end, progress=0.5)
    assert np.abs(half[..., :3].astype(int) - (chelsea.astype(int) + end) / 2).max() <= 1


def test_an_image_input_can_be_a_file(tmp_path, chelsea):
    end = photo("coffee.png")[:300, :451]
    Image.fromarray(end).save(tmp_path / "end.png")
    out = render("fade.fs", chelsea, endImage=str(tmp_path / "end.png"), progress=1.0)
    assert np.array_equal(out[..., :3], end)


def test_an_error_in_the_vertex_shader_names_the_vs_file(tmp_path):
    shutil.copy(ISF / "varyings.fs", tmp_path)
    (tmp_path / "varyings.vs").write_text((ISF / "varyings.vs").read_text().replace("isf_FragNormCoord.x", "oops.x"))
    with pytest.raises(ShaderlabError, match=r"varyings\.vs:5: .*oops"):
        render(str(tmp_path / "varyings.fs"), np.zeros((8, 8, 3), np.uint8))


def test_pass_sizes_are_bounded():
    from dataclasses import replace

    from shaderlab.isf.header import PassSpec
    from shaderlab.library import EffectLibrary
    from shaderlab.render.chain import pass_sizes

    spec = EffectLibrary().spec(str(ISF / "sizes.fs"))
    assert pass_sizes(spec, (451, 300), {"divide": 3.0})[:2] == ((112, 75), (150, 10))
    huge = PassSpec(target="t", width="$WIDTH * 100", height="-5")
    bounded = pass_sizes(replace(spec, passes=(huge,)), (451, 300), {})
    assert bounded == ((4 * 451, 1),)  # at most 4× the render size, at least one pixel


def test_each_pass_runs_a_program_of_its_own_with_passindex_a_constant(tmp_path):
    """A multi-pass file is compiled once per pass (the other passes' code dropped): the passes
    still run in order, each reading what the one before wrote, and a compile error is still
    the file's line."""
    from shaderlab.render.compiled import CompiledEffect

    (tmp_path / "two.fs").write_text(
        '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}], "PASSES": [{"TARGET": "first"}, {}]}*/\n'
        "void main() {\n"
        "    if (PASSINDEX == 0) gl_FragColor = vec4(1.0, 0.0, 0.0, 1.0);\n"
        "    else gl_FragColor = IMG_THIS_PIXEL(first) * 0.5 + vec4(0.0, float(PASSINDEX) * 0.25, 0.0, 0.5);\n"
        "}\n")
    with shaderlab.Renderer([tmp_path]) as renderer:
        out = renderer.render(np.zeros((4, 6, 3), np.uint8), ["two"])
        effect = renderer.programs.get("two")
        assert isinstance(effect, CompiledEffect) and len(effect._programs) == 2
    assert (np.abs(out[..., :3].astype(int) - [128, 64, 0]) <= 1).all()
    (tmp_path / "two.fs").write_text((tmp_path / "two.fs").read_text().replace("* 0.5 +", "* oops +"))
    with shaderlab.Renderer([tmp_path], vet=False) as renderer, pytest.raises(ShaderlabError, match=r"two.fs:4: .*oops"):
        renderer.render(np.zeros((4, 6, 3), np.uint8), ["two"])


def test_a_file_valid_only_with_passindex_a_uniform_still_runs(tmp_path):
    """An array indexed by PASSINDEX in a branch that pass never takes: out of range as a
    constant, so the file falls back to one program for all its passes, and runs."""
    (tmp_path / "indexed.fs").write_text(
        '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}],'
        ' "PASSES": [{"TARGET": "a"}, {"TARGET": "b"}, {}]}*/\n'
        "void main() {\n"
        "    float gains[2] = float[2](0.25, 0.5);\n"
        "    if (PASSINDEX < 2) gl_FragColor = vec4(gains[PASSINDEX], 0.0, 0.0, 1.0);\n"
        "    else gl_FragColor = IMG_THIS_PIXEL(b);\n"
        "}\n")
    with shaderlab.Renderer([tmp_path]) as renderer:
        out = renderer.render(np.zeros((4, 6, 3), np.uint8), ["indexed"])
        assert len(renderer.programs.get("indexed")._programs) == 1
    assert (np.abs(out[..., :3].astype(int) - [128, 0, 0]) <= 1).all()
