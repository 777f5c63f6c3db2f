"""Effect declarations for the show/ tests: the shipped headers (no GL) and one that declares
every input type, so each write path meets every type."""

from __future__ import annotations

from pathlib import Path

from shaderlab.isf.header import EffectSpec, parse_effect
from shaderlab.show import ShowError, Store, app_settings

SHADERS = Path(__file__).resolve().parent.parent / "shaders"

KIT = """/*{ "INPUTS": [
  {"NAME": "inputImage", "TYPE": "image"},
  {"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0, "MAX": 1},
  {"NAME": "count", "TYPE": "long", "DEFAULT": 3, "MIN": 1, "MAX": 10},
  {"NAME": "shape", "TYPE": "long", "DEFAULT": 0, "VALUES": [0, 1, 2], "LABELS": ["dot", "line", "ring"]},
  {"NAME": "flip", "TYPE": "bool", "DEFAULT": false},
  {"NAME": "hit", "TYPE": "event"},
  {"NAME": "tint", "TYPE": "color", "DEFAULT": [1, 0.5, 0, 1]},
  {"NAME": "centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0, 0], "MAX": [1, 1]},
  {"NAME": "progress", "TYPE": "float", "DEFAULT": 0, "MIN": 0, "MAX": 1},
  {"NAME": "mask", "TYPE": "image"}
]}*/
void main() { gl_FragColor = vec4(0.0); }
"""


def kit_spec(source: str = KIT) -> EffectSpec:
    return parse_effect(Path("kit.fs"), source)


def library() -> dict[str, EffectSpec]:
    specs = {p.stem: parse_effect(p) for p in sorted(SHADERS.iterdir()) if p.suffix in (".fs", ".native")}
    specs["kit"] = kit_spec()
    return specs


def make_store(specs: dict[str, EffectSpec] | None = None) -> Store:
    specs = library() if specs is None else specs

    def spec_of(name: str) -> EffectSpec:
        if name not in specs:
            raise ShowError(f"no effect called {name!r}")
        return specs[name]

    return Store(spec_of=spec_of, settings=app_settings(specs.get("pixelsort")))
