"""An effect's input at the render size, for effects that ask for it (INPUT_AT_RENDERSIZE).

Whole-pixel effects (blur, sharpen) then read ``inputImage`` with plain texel fetches instead of
filtered reads. Only they pay for the scaling pass, and only where the sizes differ (a render
at another size): effects that resample their input themselves (a zoom) keep the source's own
pixels. A filtered read of the scaled copy at a texel centre equals one of the source there.
"""

from __future__ import annotations

import moderngl

from shaderlab.gl.surface import Surface
from shaderlab.isf.glsl import VERTEX_SHADER, glsl_version, GLSL_VERSION

_SCALE = """
uniform sampler2D source;
uniform vec2 size;
out vec4 colour;
void main() {
    colour = texture(source, gl_FragCoord.xy / size);
}
"""


class Fit:
    """Scales a texture to a size into a surface of its own (kept while the size stays)."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        version = glsl_version(ctx.version_code)
        self._program = ctx.program(vertex_shader=VERTEX_SHADER.replace(GLSL_VERSION, version, 1),
                                    fragment_shader=version + "\n" + _SCALE)
        self._vertex_array = ctx.vertex_array(self._program, [])
        self._surface: Surface | None = None

    def __call__(self, source: moderngl.Texture, size: tuple[int, int]) -> moderngl.Texture:
        if self._surface is None or self._surface.size != tuple(size):
            self.release_surface()
            self._surface = Surface(self.ctx, tuple(size))
        source.use(location=0)
        self._program["source"].value = 0
        self._program["size"].value = (float(size[0]), float(size[1]))
        self._surface.framebuffer.use()
        self.ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        self.ctx.scissor = None
        self.ctx.viewport = (0, 0, *size)
        self._vertex_array.render(moderngl.TRIANGLES, vertices=3)
        return self._surface.texture

    def release_surface(self) -> None:
        if self._surface is not None:
            self._surface.release()
            self._surface = None

    def release(self) -> None:
        self.release_surface()
        self._vertex_array.release()
        self._program.release()
