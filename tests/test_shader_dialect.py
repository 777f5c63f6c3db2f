"""Shaders people already have: what browsers and other ISF hosts give them that a desktop
driver does not (zero-initialised variables, #elseif, HW_PERFORMANCE, ISF's hidden per-image
uniforms, Shadertoy's channel sampler settings), each rendered from a small file for the purpose."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from shaderlab.errors import ShaderError
from shaderlab.isf.zero_init import zero_initialise
from shaderlab.library import read_effect


def render(renderer, path, image, params=None):
    return renderer.render(image, [(str(path), params or {})])


def flat(width: int, height: int) -> np.ndarray:
    return np.zeros((height, width, 3), np.uint8)


def test_uninitialised_variables_start_at_zero_as_in_browsers(renderer, tmp_path):
    toy = tmp_path / "grey.glsl"
    toy.write_text("void mainImage(out vec4 fragColor, in vec2 fragCoord) {\n"
                   "    vec3 col;\n    col += vec3(0.5);\n    fragColor = vec4(col, 1.0);\n}\n")
    loop = tmp_path / "loop.glsl"
    loop.write_text("float total;\nvoid mainImage(out vec4 fragColor, in vec2 fragCoord) {\n"
                    "    float a, b;\n    int i; mat2 m;\n    for (i = 0; i < 4; i++) a += 0.125;\n"
                    "    b += m[0][0];\n    total += 0.25;\n    fragColor = vec4(a + b, total, 0.0, 1.0);\n}\n")
    isf = tmp_path / "grey.fs"
    isf.write_text('/*{"INPUTS": []}*/\nvoid main() {\n    vec3 col;\n    col += vec3(0.5);\n'
                   "    gl_FragColor = vec4(col, 1.0);\n}\n")
    assert (render(renderer, toy, flat(8, 8))[4, 4] == (128, 128, 128, 255)).all()
    assert (render(renderer, loop, flat(8, 8))[4, 4] == (128, 64, 0, 255)).all()
    assert (render(renderer, isf, flat(8, 8))[4, 4] == (128, 128, 128, 255)).all()


def test_zero_initialising_touches_only_plain_declarations_and_keeps_lines():
    text = """/* vec3 inComment; */
uniform float u;
const float k = 1.0;
in vec2 uv;
struct Ray { vec3 origin; float length; };
float helper(float x, out vec3 result);
#define DECLARE vec3 inMacro;
vec3 trace(in vec3 p, inout float d) {
    vec3 col;
    float a = max(1.0, 2.0), b;
    highp vec2 q; bool hit; uvec2 bits; float weights[3]; float many[N];
    Ray ray;
    for (int i = 0; i < 2; i++) { vec4 inside; }
    return col;
}
"""
    out = zero_initialise(text)
    assert out.count("\n") == text.count("\n")
    for expected in ("vec3 col = vec3(0.0);", "float a = max(1.0, 2.0), b = 0.0;", "highp vec2 q = vec2(0.0);",
                     "bool hit = false;", "uvec2 bits = uvec2(0u);", "float weights[3] = float[3](0.0, 0.0, 0.0);",
                     "vec4 inside = vec4(0.0);"):
        assert expected in out, expected
    for untouched in ("/* vec3 inComment; */", "uniform float u;", "in vec2 uv;", "{ vec3 origin; float length; }",
                      "float helper(float x, out vec3 result);", "#define DECLARE vec3 inMacro;",
                      "float many[N];", "Ray ray;"):
        assert untouched in out, untouched


def test_hw_performance_is_defined_as_on_shadertoy(renderer, tmp_path):
    toy = tmp_path / "quality.glsl"
    toy.write_text("void mainImage(out vec4 c, in vec2 p) {\n#if HW_PERFORMANCE == 1\n    c = vec4(0.0, 1.0, 0.0, 1.0);\n"
                   "#else\n    c = vec4(1.0, 0.0, 0.0, 1.0);\n#endif\n}\n")
    assert (render(renderer, toy, flat(4, 4))[2, 2] == (0, 255, 0, 255)).all()


def test_old_shadertoy_code_reading_iglobaltime_runs(renderer, tmp_path):
    """iGlobalTime was iTime's name until 2017; code from then still uses it."""
    toy = tmp_path / "old.glsl"
    toy.write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(vec3(iGlobalTime), 1.0); }\n")
    assert abs(int(renderer.render(flat(4, 4), [str(toy)], time=0.5)[2, 2, 0]) - 128) <= 1


def test_an_elseif_in_a_skipped_group_is_ignored_as_browsers_do(renderer, tmp_path):
    body = ("#if 0\n    c = vec4(1.0, 0.0, 0.0, 1.0);\n#elseif 1\n    c = vec4(0.0, 1.0, 0.0, 1.0);\n"
            "#else\n    c = vec4(0.0, 0.0, 1.0, 1.0);\n#endif\n")
    toy = tmp_path / "branches.glsl"
    toy.write_text("void mainImage(out vec4 c, in vec2 p) {\n" + body + "}\n")
    isf = tmp_path / "branches.fs"
    isf.write_text('/*{}*/\nvoid main() {\n    vec4 c;\n' + body + "    gl_FragColor = c;\n}\n")
    for path in (toy, isf):  # WebGL (ANGLE) skips the unknown directive with its group
        assert (render(renderer, path, flat(4, 4))[2, 2] == (0, 0, 255, 255)).all(), path


def test_isf_hidden_image_uniforms_describe_each_image(renderer, tmp_path):
    isf = tmp_path / "sizes.fs"
    isf.write_text("""/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}],
  "PASSES": [{"TARGET": "half", "WIDTH": "$WIDTH / 2", "HEIGHT": "$HEIGHT / 2"}, {}]}*/
void main() {
    if (PASSINDEX == 0) { gl_FragColor = vec4(1.0); return; }
    vec4 picture = IMG_THIS_PIXEL(inputImage);
    vec4 small = IMG_THIS_PIXEL(half);
    gl_FragColor = vec4(_inputImage_imgSize.x / 255.0, _inputImage_imgRect.w / 255.0 * picture.a,
                        (_half_imgSize.x + _half_imgRect.x) / 255.0 * small.a, _inputImage_flip ? 0.0 : 1.0);
}
""")
    out = render(renderer, isf, flat(40, 24))
    assert (out[5, 5] == (40, 24, 20, 255)).all()


def _texture(path, rows):
    Image.fromarray(np.array(rows, np.uint8)).save(path)


def _toy(folder, image_code, channel):
    (folder / "image.glsl").write_text(image_code)
    (folder / "toy.shadertoy.toml").write_text(f'[[passes]]\nname = "Image"\ncode = "image.glsl"\nchannels = [{channel}]\n')
    return folder / "toy.shadertoy.toml"


# Left half samples the texture at u = 1.25, right half at u = 0.25 (v = 0.5).
WRAP = ("void mainImage(out vec4 c, in vec2 p) {\n"
        "    c = texture(iChannel0, vec2(p.x < iResolution.x / 2.0 ? 1.25 : 0.25, 0.5));\n}\n")
ROW = [[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]]  # red, green, blue, white


def test_channels_wrap_as_the_manifest_says(renderer, tmp_path):
    _texture(tmp_path / "row.png", ROW)
    repeat = render(renderer, _toy(tmp_path, WRAP, '{ from = "row.png", filter = "nearest" }'), flat(8, 2))
    assert (repeat[1, 1] == repeat[1, 6]).all() and (repeat[1, 6] == (0, 255, 0, 255)).all()  # the default: repeat
    clamp = render(renderer, _toy(tmp_path, WRAP, '{ from = "row.png", filter = "nearest", wrap = "clamp" }'), flat(8, 2))
    assert (clamp[1, 1] == (255, 255, 255, 255)).all() and (clamp[1, 6] == (0, 255, 0, 255)).all()


def test_channels_filter_nearest_linear_and_mipmap(renderer, tmp_path):
    _texture(tmp_path / "row.png", ROW)
    at = "void mainImage(out vec4 c, in vec2 p) { c = texture(iChannel0, vec2(0.3, 0.5)); }\n"
    nearest = render(renderer, _toy(tmp_path, at, '{ from = "row.png", filter = "nearest" }'), flat(2, 2))
    linear = render(renderer, _toy(tmp_path, at, '{ from = "row.png", filter = "linear" }'), flat(2, 2))
    assert (nearest[0, 0] == (0, 255, 0, 255)).all()
    # u = 0.3 lies 70% of the way from the red texel's centre (0.125) to the green one's (0.375).
    assert np.abs(linear[0, 0].astype(int) - (76, 178, 0, 255)).max() <= 2
    # A 64x64 one-pixel checker drawn 8x smaller: mipmaps average it to grey; without them each
    # pixel hits one texel's centre and is black or white.
    checker = (np.indices((64, 64)).sum(axis=0) % 2 * 255).astype(np.uint8)
    _texture(tmp_path / "checker.png", np.stack([checker] * 3, axis=-1))
    centres = "void mainImage(out vec4 c, in vec2 p) { c = texture(iChannel0, (floor(p) * 8.0 + 0.5) / 64.0); }\n"
    mipmapped = render(renderer, _toy(tmp_path, centres, '"checker.png"'), flat(8, 8))  # the default: mipmap
    assert np.abs(mipmapped[..., :3].astype(int) - 128).max() <= 3
    plain = render(renderer, _toy(tmp_path, centres, '{ from = "checker.png", filter = "linear" }'), flat(8, 8))
    assert set(np.unique(plain[..., :3])) <= {0, 255}


def test_image_channels_are_upright_unless_vflip_is_off(renderer, tmp_path):
    _texture(tmp_path / "column.png", [[[255, 0, 0]], [[0, 0, 255]]])  # red on top of blue
    top = "void mainImage(out vec4 c, in vec2 p) { c = texture(iChannel0, vec2(0.5, 0.9)); }\n"
    upright = render(renderer, _toy(tmp_path, top, '{ from = "column.png", filter = "nearest" }'), flat(2, 2))
    flipped = render(renderer, _toy(tmp_path, top, '{ from = "column.png", filter = "nearest", vflip = false }'), flat(2, 2))
    assert (upright[0, 0] == (255, 0, 0, 255)).all() and (flipped[0, 0] == (0, 0, 255, 255)).all()


def test_a_channels_sampler_does_not_leak_into_the_next_effect(renderer, tmp_path):
    picture = np.array([ROW[0] * 2] * 2, np.uint8)  # 8x2: red green blue white, twice
    toy = _toy(tmp_path, WRAP, '{ from = "input", filter = "nearest", wrap = "repeat" }')
    assert (render(renderer, toy, picture)[1, 1] == render(renderer, toy, picture)[1, 6]).all()
    isf = tmp_path / "edge.fs"
    isf.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                   "void main() { gl_FragColor = IMG_NORM_PIXEL(inputImage, vec2(1.25, 0.5)); }\n")
    assert (render(renderer, isf, picture)[1, 1] == (255, 255, 255, 255)).all()  # clamped, as before


@pytest.mark.parametrize(
    "channel, message",
    [('{ from = "row.png", filter = "cubic" }', "filter must be one of"),
     ('{ from = "row.png", wrap = "mirror" }', "wrap one of"),
     ('{ from = "row.png", vflip = "yes" }', "vflip true or false"),
     ('{ from = "input", vflip = false }', "vflip applies to image files only"),
     ('{ from = "row.png", speed = 2 }', "unknown settings"),
     ('{ filter = "nearest" }', "from must be")],
)
def test_bad_channel_settings_are_the_manifests_error(tmp_path, channel, message):
    _texture(tmp_path / "row.png", ROW)
    with pytest.raises(ShaderError, match=message):
        read_effect(_toy(tmp_path, WRAP, channel))


def test_editing_a_manifests_pass_file_alone_is_seen_by_the_next_render(renderer, tmp_path):
    toy = _toy(tmp_path, "void mainImage(out vec4 c, in vec2 p) { c = vec4(1.0, 0.0, 0.0, 1.0); }\n", '"input"')
    assert (render(renderer, toy, flat(2, 2))[0, 0] == (255, 0, 0, 255)).all()
    code = tmp_path / "image.glsl"
    code.write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(0.0, 0.0, 1.0, 1.0); }\n")
    import os

    os.utime(code, ns=(0, code.stat().st_mtime_ns + 1_000_000_000))  # the manifest is untouched
    assert (render(renderer, toy, flat(2, 2))[0, 0] == (0, 0, 255, 255)).all()
