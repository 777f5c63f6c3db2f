"""The text side of the ISF host, without GL: size expressions and the GLSL dialect rewrites."""

from __future__ import annotations

import pytest

from shaderlab.isf.dialect import glsl_name, translate
from shaderlab.isf.expressions import ExpressionError, evaluate

VARIABLES = {"WIDTH": 640.0, "HEIGHT": 480.0, "scale": 0.5}


@pytest.mark.parametrize(
    "text, value",
    [
        ("$WIDTH", 640.0),
        ("$WIDTH / 2.0", 320.0),
        ("max($HEIGHT * $scale, 1.0)", 240.0),
        ("floor($WIDTH*min((0.2),1.0))", 128.0),
        ("-2^2", -4.0),
        ("2^3^2", 512.0),
        ("2 ** 3", 8.0),
        ("1 + 2 * 3 - 4 / 2", 5.0),
        ("($WIDTH + $HEIGHT) * 0.25", 280.0),
        ("$WIDTH > 500 ? 1 : 2", 1.0),
        ("$WIDTH < 500 && $HEIGHT > 100 || 0", 0.0),
        ("clamp(1000, 0, $WIDTH)", 640.0),
        ("pi", 3.141592653589793),
        ("512", 512.0),
        (64, 64.0),
        ("scale * 2", 1.0),  # a variable written without its $
    ],
)
def test_expressions(text, value):
    assert evaluate(text, VARIABLES) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("$DEPTH", "unknown variable"),
        ("__import__('os')", "cannot read"),
        ("open(1)", "unknown name"),
        ("1 / 0", "division by zero"),
        ("$WIDTH +", "expected more"),
        ("(1 + 2", r"expected \)"),
        ("1 2", "unexpected"),
        ("sqrt(-1)", "math domain"),
    ],
)
def test_bad_expressions_say_why(text, reason):
    with pytest.raises(ExpressionError, match=reason):
        evaluate(text, VARIABLES)


def test_keyword_inputs_are_renamed_in_the_shader_only():
    assert glsl_name("smooth") == "isf_smooth" and glsl_name("level") == "level"
    body = "float a = smooth * sample.x + mix(smooth, 1.0, 0.5); float b = obj.smooth; texture(img, uv);"
    out = translate(body, ["smooth", "sample", "texture"], "fragment")
    assert "isf_smooth * isf_sample.x" in out and "mix(isf_smooth" in out
    assert "obj.smooth" in out and "texture(img, uv)" in out  # members and calls are left alone


def test_old_glsl_is_rewritten_line_for_line():
    body = "#version 120\nvarying vec2 uv;\nfloat round(float x) { return floor(x + 0.5); }\nvec3 c = 1.0;\nint n = 2.0;\nint m = 3;\n"
    fragment = translate(body, [], "fragment")
    assert fragment.count("\n") == body.count("\n")  # errors keep pointing at the file's lines
    assert "#version" not in fragment and "in vec2 uv;" in fragment
    assert "float isf_fn_round(float x)" in fragment
    assert "vec3 c = vec3(1.0);" in fragment and "int n = int(2.0);" in fragment and "int m = 3;" in fragment
    vertex = translate("attribute vec2 p;\nvarying vec2 uv;\nvoid main() { vv_vertShaderInit(); }", [], "vertex")
    assert "in vec2 p;" in vertex and "out vec2 uv;" in vertex and "isf_vertShaderInit()" in vertex
