"""Show a texture in the window: scaled to fit, centred, letterboxed, aspect kept."""

from __future__ import annotations

import moderngl

from shaderlab.isf.glsl import GLSL_VERSION, VERTEX_SHADER

_FRAGMENT = f"""{GLSL_VERSION}
uniform sampler2D image;
uniform vec4 viewportRect;  // x, y, width, height of the picture in window pixels
out vec4 colour;
void main() {{
    vec2 uv = (gl_FragCoord.xy - viewportRect.xy) / viewportRect.zw;
    colour = vec4(texture(image, uv).rgb, 1.0);
}}
"""


def fit(image_size: tuple[int, int], window_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest rectangle of the image's aspect that fits the window, centred."""
    iw, ih = image_size
    ww, wh = window_size
    scale = min(ww / iw, wh / ih)
    w, h = max(1, round(iw * scale)), max(1, round(ih * scale))
    return ((ww - w) // 2, (wh - h) // 2, w, h)


class Display:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=_FRAGMENT)
        self.vertex_array = ctx.vertex_array(self.program, [])

    def draw(
        self,
        framebuffer: moderngl.Framebuffer,
        texture: moderngl.Texture,
        window_size: tuple[int, int],
        left: int = 0,
        background: tuple[float, float, float] = (0.06, 0.06, 0.07),
    ) -> None:
        ctx = self.ctx
        framebuffer.use()
        ctx.scissor = None
        ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        ctx.viewport = (0, 0, *window_size)
        ctx.clear(*background, 1.0)
        # The picture fits beside the panel (``left`` pixels wide) when the panel is shown.
        area = (max(1, window_size[0] - left), window_size[1])
        x, y, w, h = fit(texture.size, area)
        rect = (x + window_size[0] - area[0], y, w, h)
        ctx.viewport = rect
        texture.use(location=0)
        self.program["image"].value = 0
        self.program["viewportRect"].value = tuple(float(v) for v in rect)
        self.vertex_array.render(moderngl.TRIANGLES, vertices=3)

    def release(self) -> None:
        self.vertex_array.release()
        self.program.release()
