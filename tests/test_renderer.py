"""The Python API: built-in uniforms, persistent buffers, errors, sizes, no leaked GL objects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import live_gl_objects, photo
from shaderlab import Renderer
from shaderlab.errors import EffectError, ShaderError, ShaderlabError

# Writes TIME/10, TIMEDELTA*10, FRAMEINDEX/10 and RENDERSIZE.x/1000 into r, g, b, a.
BUILTINS_FS = """/*{"DESCRIPTION": "built-ins as colour", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/
void main() {
    gl_FragColor = vec4(TIME / 10.0, TIMEDELTA * 10.0, float(FRAMEINDEX) / 10.0, RENDERSIZE.x / 1000.0);
}
"""

# Adds 1/16 per frame to a persistent float buffer and shows it.
ACCUMULATE_FS = """/*{
    "DESCRIPTION": "counts frames in a persistent buffer",
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}],
    "PASSES": [{"TARGET": "total", "PERSISTENT": true, "FLOAT": true}, {}]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = IMG_THIS_PIXEL(total) + vec4(0.0625);
    } else {
        gl_FragColor = IMG_THIS_PIXEL(total);
    }
}
"""

BROKEN_FS = """/*{
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]
}*/
void main() {
    vec4 colour = IMG_THIS_PIXEL(inputImage);
    gl_FragColor = colour * undefinedThing;
}
"""


@pytest.fixture(scope="module")
def user_shaders(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shaders")
    (folder / "builtins.fs").write_text(BUILTINS_FS)
    (folder / "accumulate.fs").write_text(ACCUMULATE_FS)
    (folder / "broken.fs").write_text(BROKEN_FS)
    return folder


@pytest.fixture(scope="module")
def user_renderer(user_shaders):
    with Renderer([user_shaders]) as r:
        yield r


def test_builtins_reach_the_shader(user_renderer):
    image = np.zeros((10, 250, 3), np.uint8)
    first = user_renderer.render(image, ["builtins"], time=2.0)
    assert tuple(first[0, 0]) == (51, 0, 0, 64)  # TIME 2 → 0.2; first frame: no delta, index 0
    second = user_renderer.render(image, ["builtins"], time=2.5)
    assert tuple(second[5, 5]) == (64, 255, 26, 64)  # delta 0.5 → 5 clamps to 1; index 1 → 0.1


def test_persistent_buffers_carry_state_between_calls(user_renderer):
    image = np.zeros((8, 8, 3), np.uint8)
    user_renderer.render(image, ["passthrough"])  # a different chain resets the state
    values = [user_renderer.render(image, ["accumulate"], time=i / 60)[0, 0, 0] for i in range(4)]
    assert values == [16, 32, 48, 64]


def test_compile_errors_name_the_file_and_line(user_renderer, user_shaders):
    with pytest.raises(ShaderError) as info:
        user_renderer.render(np.zeros((4, 4, 3), np.uint8), ["broken"])
    message = str(info.value)
    assert message.startswith(f"{user_shaders / 'broken.fs'}:6: ")
    assert "undefinedThing" in message


def test_an_effect_can_be_named_by_its_path(user_shaders):
    with Renderer() as r:
        out = r.render(np.zeros((4, 4, 3), np.uint8), [str(user_shaders / "builtins.fs")], time=1.0)
    assert out[0, 0, 0] == 26


def test_unknown_effects_and_parameters_are_clear_errors(renderer):
    image = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(EffectError, match="unknown effect 'blurr'; known effects: blur, colorize"):
        renderer.render(image, ["blurr"])
    with pytest.raises(EffectError, match="'blur' has no parameter 'sigma'"):
        renderer.render(image, [("blur", {"sigma": 2})])
    with pytest.raises(EffectError, match=r"blur.radius: 500 is outside 0..64"):
        renderer.render(image, [("blur", {"radius": 500})])


def test_render_size_scales_the_output(renderer):
    image = photo("coffee.png")
    out = renderer.render(image, [], size=(300, 200))
    assert out.shape == (200, 300, 4)
    # A half-size linear resample of the photo: block means are close to it.
    means = image.reshape(200, 2, 300, 2, 3).mean(axis=(1, 3))
    assert np.abs(out[..., :3].astype(float) - means).mean() < 2.0


def test_grey_and_rgba_inputs(renderer):
    grey = photo("chelsea.png")[..., 0]
    out = renderer.render(grey, ["passthrough"])
    assert np.array_equal(out[..., 0], grey) and np.array_equal(out[..., 2], grey)
    with pytest.raises(ShaderlabError, match="image must be uint8"):  # one line, as every API mistake
        renderer.render(grey.astype(np.float32), [])


def test_renders_do_not_leak_gl_objects(renderer):
    image = photo("coffee.png")
    chains = [["blur"], [("pixelate", {"size": 4}), "saturate"], ["sharpen", "colorize"]]
    for chain in chains:
        renderer.render(image, chain)
    before = live_gl_objects()
    for _ in range(5):
        for chain in chains:
            renderer.render(image, chain)
    assert live_gl_objects() == before


def test_the_finish_fades_a_cue_freezes_blacks_out_and_shows_a_test_card(renderer):
    """What the audience sees (stage/finish.py) against numpy: a cue's crossfade from the frame
    on show, a frozen frame that ignores the live one, a blackout faded over its time."""
    from shaderlab.gl.surface import upload
    from shaderlab.render.renderer import read_texture
    from shaderlab.show.settings import BLACKOUT, BLACKOUT_FADE, FREEZE, TEST_CARD
    from shaderlab.stage.finish import Finish

    a, b = photo("coffee.png"), photo("coffee.png")[::-1].copy()
    settings = {BLACKOUT: False, BLACKOUT_FADE: 2.0, FREEZE: False, TEST_CARD: False}
    with renderer.ctx:
        finish = Finish(renderer.ctx)
        ta, tb = upload(renderer.ctx, a), upload(renderer.ctx, b)
        read = lambda texture: read_texture(texture, texture.size)[..., :3].astype(float)  # noqa: E731
        assert finish.frame(ta, 0.0, settings) is ta  # nothing to do: the live picture itself
        finish.fade_from(ta, 1.0, 2.0)
        faded = read(finish.frame(tb, 1.5, settings))  # a quarter of the way to b
        frozen = read(finish.frame(tb, 2.0, {**settings, FREEZE: True}))  # held: half way
        still = read(finish.frame(ta, 9.0, {**settings, FREEZE: True}))  # the live one changed; held
        dark = read(finish.frame(tb, 10.0, {**settings, BLACKOUT: True}))  # the fade starts
        half = read(finish.frame(tb, 11.0, {**settings, BLACKOUT: True}))  # 1 s of 2
        finish.frame(tb, 20.0, settings)  # the blackout off: it fades back over 2 s
        card = read(finish.frame(tb, 23.0, {**settings, TEST_CARD: True}))
        finish.release()
        ta.release()
        tb.release()
    assert np.abs(faded - (a * 0.75 + b * 0.25)).max() <= 1.0
    assert np.abs(frozen - (a * 0.5 + b * 0.5)).max() <= 1.0 and np.array_equal(frozen, still)
    assert np.abs(dark - b).max() <= 1.0 and np.abs(half - b * 0.5).max() <= 1.0
    assert card.std() > 50 and not np.array_equal(card, half)  # bars and lines, not the picture


def test_a_still_frame_is_shown_again_not_rendered_again(renderer):
    """Chain.run(reuse=True), as the window runs it: the same still picture through effects that
    do not move, with the same values, is the last output again; a new upload, a new value, an
    effect that reads the clock, or no reuse asked for renders."""
    from shaderlab.gl.surface import upload
    from shaderlab.render.clock import FrameTime
    from shaderlab.render.renderer import read_texture

    image = photo("coffee.png")
    chain, size = renderer.chain, (image.shape[1], image.shape[0])
    with renderer.ctx:
        source = upload(renderer.ctx, image)
        steps = renderer.steps([("saturate", {"amount": 0.0})])
        first = chain.run(source, steps, size, FrameTime(0.0), reuse=True)
        grey = read_texture(first, size)
        again = chain.run(source, steps, size, FrameTime(1.0), reuse=True)
        assert again is first and chain.reused == 1
        upload(renderer.ctx, image[::-1].copy(), source)  # a new picture in the same texture
        flipped = read_texture(chain.run(source, steps, size, FrameTime(2.0), reuse=True), size)
        assert chain.reused == 1 and np.array_equal(flipped, grey[::-1])
        chain.run(source, renderer.steps([("saturate", {"amount": 2.0})]), size, FrameTime(3.0), reuse=True)
        assert chain.reused == 1  # another value
        chain.run(source, steps, size, FrameTime(4.0), reuse=True)
        chain.run(source, steps, size, FrameTime(5.0))  # no reuse asked for
        assert chain.reused == 1
        moving = renderer.steps(["depth_waves"])  # reads TIME
        waves = {"depthImage": upload(renderer.ctx, image[..., :1].copy())}
        for t in (6.0, 7.0):
            chain.run(source, moving, size, FrameTime(t), waves, reuse=True)
        assert chain.reused == 1
        chain.release_instances()
        source.release()
        waves["depthImage"].release()


def test_the_crossing_to_gl_widens_and_flips_every_layout_numpy_gives():
    """surface.as_rgba and Staging against numpy: RGB, grey (2-D and one channel), RGBA, and
    views that are not C-ordered (a flip, a column slice, a transposition); the staging's
    arrays are reused while the shape stays and remade when it changes."""
    from shaderlab.gl.surface import Staging, as_rgba

    rgb = photo("coffee.png")[:61, :97]
    expected = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    grey = rgb[..., 1]
    for image, want in [(rgb, expected), (rgb[::-1], expected[::-1]), (rgb[:, 3:50], expected[:, 3:50]),
                        (rgb.transpose(1, 0, 2), expected.transpose(1, 0, 2)),
                        (grey, np.dstack([grey, grey, grey, np.full(grey.shape, 255, np.uint8)])),
                        (grey[:, :, None], np.dstack([grey, grey, grey, np.full(grey.shape, 255, np.uint8)])),
                        (expected, expected), (expected[::-1], expected[::-1])]:
        assert np.array_equal(as_rgba(image), want)
        out = np.zeros(want.shape, np.uint8)
        assert as_rgba(image, out) is out and np.array_equal(out, want)
    staging = Staging()
    first = staging.rows_for_gl(rgb)
    assert np.array_equal(first, expected[::-1]) and first.flags.c_contiguous
    assert staging.rows_for_gl(rgb[::-1]) is first and np.array_equal(first, expected)
    smaller = staging.rows_for_gl(rgb[:10])
    assert smaller is not first and np.array_equal(smaller, expected[:10][::-1])
    assert np.array_equal(staging.rows_for_gl(expected), expected[::-1])
    with pytest.raises(TypeError):
        as_rgba(rgb.astype(np.float32))
