"""ISF header parsing: the spec's fields, the slips real files make, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shaderlab.errors import ShaderError
from shaderlab.isf.header import parse_effect
from shaderlab.library import EffectLibrary


def parse(text: str, name: str = "fx.fs"):
    return parse_effect(Path(name), text)


def test_inputs_passes_and_imported_are_read():
    spec = parse(
        """/*{
  "DESCRIPTION": "demo", "CATEGORIES": ["A"],
  "INPUTS": [
    {"NAME": "inputImage", "TYPE": "image"},
    {"NAME": "level", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0, "MAX": 2, "LABEL": "Level"},
    {"NAME": "mode", "TYPE": "long", "VALUES": [0, 1, 2], "LABELS": ["a", "b", "c"], "DEFAULT": 1},
    {"NAME": "tint", "TYPE": "color", "DEFAULT": [1, 0, 0, 1]},
    {"NAME": "centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5]},
    {"NAME": "on", "TYPE": "bool", "DEFAULT": true},
    {"NAME": "kick", "TYPE": "event"}
  ],
  "PASSES": [{"TARGET": "buf", "PERSISTENT": true, "FLOAT": true}, {}],
  "IMPORTED": {"lut": {"PATH": "lut.png"}}
}*/
void main() {}
"""
    )
    assert spec.description == "demo"
    assert [i.name for i in spec.inputs] == ["inputImage", "level", "mode", "tint", "centre", "on", "kick"]
    level = spec.input("level")
    assert (level.default, level.min, level.max, level.label) == (0.5, 0.0, 2.0, "Level")
    assert spec.input("mode").labels == ("a", "b", "c")
    assert spec.defaults() == {
        "level": 0.5, "mode": 1, "tint": (1.0, 0.0, 0.0, 1.0), "centre": (0.5, 0.5), "on": True, "kick": False,
    }
    assert spec.passes[0].target == "buf" and spec.passes[0].persistent and spec.passes[0].float
    assert spec.passes[1].target is None
    assert spec.imported["lut"].name == "lut.png"


def test_quoted_numbers_and_trailing_commas_are_accepted():
    spec = parse('/*{"INPUTS": [{"NAME": "x", "TYPE": "float", "MIN": "0", "MAX": "1", "DEFAULT": "0.25"},],}*/\n')
    x = spec.input("x")
    assert (x.min, x.max, x.default) == (0.0, 1.0, 0.25)


def test_broken_json_names_the_file_and_line():
    with pytest.raises(ShaderError) as info:
        parse('\n/*{\n  "INPUTS": [\n    {"NAME": "x" "TYPE": "float"}\n  ]\n}*/\n', "broken.fs")
    assert str(info.value).startswith("broken.fs:4: broken ISF header")


@pytest.mark.parametrize(
    "text, message",
    [
        ("void main() {}", "no ISF header"),
        ('/*{"INPUTS": [{"NAME": "x", "TYPE": "vec9"}]}*/', "unknown TYPE 'vec9'"),
        ('/*{"INPUTS": [{"NAME": "2x", "TYPE": "float"}]}*/', "invalid NAME"),
        ('/*{"INPUTS": [{"NAME": "x", "TYPE": "float", "MIN": "low"}]}*/', "MIN that is not a float"),
        ('/*{"INPUTS": [{"NAME": "x", "TYPE": "float"}, {"NAME": "x", "TYPE": "bool"}]}*/', "share a NAME"),
        ('/*{"INPUT_AT_RENDERSIZE": "yes"}*/', "INPUT_AT_RENDERSIZE must be true or false"),
    ],
)
def test_bad_headers_are_one_line_errors(text, message):
    with pytest.raises(ShaderError) as info:
        parse(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_every_bundled_effect_parses_and_describes_itself():
    specs = {s.name: s for s in EffectLibrary().specs()}
    assert {"passthrough", "rgb_split", "blur", "sharpen", "pixelate", "saturate", "colorize"} <= set(specs)
    for spec in specs.values():
        assert spec.description
        for declared in spec.value_inputs:
            if declared.type in ("float", "long") and not declared.values:
                assert declared.min is not None and declared.max is not None, (spec.name, declared.name)
                assert declared.min <= declared.default <= declared.max
