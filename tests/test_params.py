"""Parameter values from the command line, scenes and the API are checked the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from shaderlab.errors import EffectError
from shaderlab.isf.header import parse_effect
from shaderlab.params import check_params, clamp_value

SPEC = parse_effect(
    Path("fx.fs"),
    """/*{"INPUTS": [
    {"NAME": "inputImage", "TYPE": "image"},
    {"NAME": "radius", "TYPE": "float", "DEFAULT": 4, "MIN": 0, "MAX": 64},
    {"NAME": "size", "TYPE": "long", "DEFAULT": 8, "MIN": 1, "MAX": 256},
    {"NAME": "palette", "TYPE": "long", "VALUES": [0, 1], "LABELS": ["fire", "ocean"]},
    {"NAME": "tint", "TYPE": "color", "DEFAULT": [0, 0, 0, 1]},
    {"NAME": "centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0, 0], "MAX": [1, 1]},
    {"NAME": "flip", "TYPE": "bool"}
]}*/""",
)


def test_text_values_are_parsed_by_type():
    values = check_params(
        SPEC,
        {"radius": "2.5", "size": "3", "palette": "ocean", "tint": "#ff000080", "centre": "0.25,0.75", "flip": "true"},
    )
    assert values["radius"] == 2.5
    assert values["size"] == 3
    assert values["palette"] == 1
    assert values["tint"] == pytest.approx((1.0, 0.0, 0.0, 128 / 255))
    assert values["centre"] == (0.25, 0.75)
    assert values["flip"] is True


def test_defaults_fill_what_is_not_given():
    assert check_params(SPEC, {})["radius"] == 4.0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"radius": "100"}, "fx.radius: '100' is outside 0..64"),
        ({"radius": -1.0}, "fx.radius: -1.0 is outside 0..64"),
        ({"size": "2.5"}, "fx.size: '2.5' is not a valid whole number"),
        ({"palette": "lava"}, "fx.palette: 'lava' is not one of fire (0), ocean (1)"),
        ({"centre": "2,0"}, "fx.centre: '2,0' is outside 0,0..1,1"),
        ({"flip": "maybe"}, "fx.flip: 'maybe' is not a valid bool"),
        ({"radiuss": 1}, "effect 'fx' has no parameter 'radiuss'"),
        ({"inputImage": 1}, "effect 'fx' has no parameter 'inputImage'"),
    ],
)
def test_bad_values_are_refused_with_the_parameter_named(params, message):
    with pytest.raises(EffectError) as info:
        check_params(SPEC, params)
    assert message in str(info.value)


def test_clamp_pulls_into_range():
    radius = SPEC.input("radius")
    assert clamp_value(radius, 99.0) == 64.0
    assert clamp_value(radius, -3.0) == 0.0
