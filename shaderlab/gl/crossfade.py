"""Blend from one picture to another over time (a new generated source fades in)."""

from __future__ import annotations

import moderngl

from shaderlab.gl.surface import Surface
from shaderlab.isf.glsl import GLSL_VERSION, VERTEX_SHADER

_FRAGMENT = f"""{GLSL_VERSION}
uniform sampler2D before;
uniform sampler2D after;
uniform float amount;
uniform vec2 size;
out vec4 colour;
void main() {{
    vec2 uv = gl_FragCoord.xy / size;
    colour = mix(texture(before, uv), texture(after, uv), amount);
}}
"""


class Crossfade:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=_FRAGMENT)
        self.vertex_array = ctx.vertex_array(self.program, [])
        self.surface: Surface | None = None

    def blend(self, before: moderngl.Texture, after: moderngl.Texture, amount: float) -> moderngl.Texture:
        """``before`` and ``after`` mixed by ``amount`` (0..1), at the size of ``after``."""
        if self.surface is None or self.surface.size != after.size:
            if self.surface is not None:
                self.surface.release()
            self.surface = Surface(self.ctx, after.size)
        self.surface.framebuffer.use()
        self.ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        self.ctx.scissor = None
        self.ctx.viewport = (0, 0, *after.size)
        before.use(location=0)
        after.use(location=1)
        self.program["before"].value = 0
        self.program["after"].value = 1
        self.program["amount"].value = float(min(max(amount, 0.0), 1.0))
        self.program["size"].value = tuple(float(v) for v in after.size)
        self.vertex_array.render(moderngl.TRIANGLES, vertices=3)
        return self.surface.texture

    def release(self) -> None:
        if self.surface is not None:
            self.surface.release()
        self.vertex_array.release()
        self.program.release()
