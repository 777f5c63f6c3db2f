"""The ISF shader format: header parsing (no GL) and GLSL source assembly."""

from shaderlab.isf.header import EffectSpec, InputSpec, PassSpec, parse_effect

__all__ = ["EffectSpec", "InputSpec", "PassSpec", "parse_effect"]
