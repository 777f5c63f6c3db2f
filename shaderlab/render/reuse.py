"""When a chain's next frame is its last one again, so the window can show that instead of
rendering it: a still picture through effects that do not move by themselves, with the same
values. On a CPU rasterizer this is most of a frame; on a GPU it is power and headroom.

A frame is "the same" only when everything it reads is known unchanged: each input texture's
last upload (gl/surface.py mark_written: uploads and streamed frames mark; a texture no upload
marked is never trusted), each step's effect, instance and values, and the size. Effects that
read the clock (TIME, TIMEDELTA, FRAMEINDEX, DATE, the tempo), hear audio, keep PERSISTENT
buffers, or are native or Shadertoy programs always render.
"""

from __future__ import annotations

from typing import Any, Hashable, Mapping, Sequence

import moderngl

from shaderlab.gl.surface import written
from shaderlab.render.audio_textures import KINDS as AUDIO_KINDS
from shaderlab.render.clock import TEMPO_UNIFORMS
from shaderlab.render.compiled import CompiledEffect

#: Uniforms that move by themselves from frame to frame.
MOVING = ("TIME", "TIMEDELTA", "FRAMEINDEX", "DATE", *TEMPO_UNIFORMS)


def still(effect: Any) -> bool:
    """Whether ``effect`` renders the same frame again from the same inputs and values."""
    if not isinstance(effect, CompiledEffect):
        return False
    spec = effect.spec
    if any(render_pass.persistent for render_pass in spec.passes) or any(i.type in AUDIO_KINDS for i in spec.inputs):
        return False
    return not any(effect.uses_anywhere(name) for name in MOVING)


def _texture(texture: moderngl.Texture) -> tuple | None:
    token = written(texture)
    return None if token is None else (texture.glo, token)


def _value(value: Any) -> Hashable | None:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, (bool, int, float)) for v in value):
        return tuple(value)
    return None  # anything else (an array, say) is not compared: the frame renders


def frame_signature(source: moderngl.Texture, steps: Sequence[Any], size: tuple[int, int],
                    images: Mapping[str, moderngl.Texture]) -> tuple | None:
    """What the frame reads, comparable with ``==``; None when it cannot be known unchanged."""
    textures = [("", source), *sorted(images.items(), key=lambda item: item[0])]
    entries: list[Hashable] = [tuple(size)]
    for step in steps:
        if not still(step.effect):
            return None
        values = tuple(sorted((name, _value(v)) for name, v in step.params.items()))
        if any(v is None and step.params[name] is not None for name, v in values):
            return None
        entries.append((step.key, id(step.effect), values, tuple(sorted(step.images))))
        textures += sorted(step.images.items(), key=lambda item: item[0])
    marks = [_texture(texture) for _, texture in textures]
    if any(mark is None for mark in marks):
        return None
    return tuple(entries), tuple(marks)
