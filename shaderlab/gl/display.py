"""Show a texture in the window at a placement given by the view (fit, or panned and zoomed).

The whole window is drawn and the shader finds each pixel's image point, so any zoom works
(a viewport the size of a 64× zoomed picture would exceed the driver's limits). Zoomed in,
pixels are drawn as crisp squares: the point is to see them.
"""

from __future__ import annotations

import moderngl

from shaderlab.isf.glsl import GLSL_VERSION, VERTEX_SHADER

_FRAGMENT = f"""{GLSL_VERSION}
uniform sampler2D image;
uniform vec4 pictureRect;  // left, bottom, width, height of the picture in window pixels
uniform vec3 background;
out vec4 colour;
void main() {{
    vec2 uv = (gl_FragCoord.xy - pictureRect.xy) / pictureRect.zw;
    bool inside = all(greaterThanEqual(uv, vec2(0.0))) && all(lessThan(uv, vec2(1.0)));
    colour = vec4(inside ? texture(image, uv).rgb : background, 1.0);
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
        # Samplers override the texture's own filter without touching it (the chain reads it).
        self.smooth = ctx.sampler(filter=(moderngl.LINEAR, moderngl.LINEAR), repeat_x=False, repeat_y=False)
        self.crisp = ctx.sampler(filter=(moderngl.NEAREST, moderngl.NEAREST), repeat_x=False, repeat_y=False)

    def draw(
        self,
        framebuffer: moderngl.Framebuffer,
        texture: moderngl.Texture,
        window_size: tuple[int, int],
        placement: tuple[float, float, float, float] | None = None,
        background: tuple[float, float, float] = (0.06, 0.06, 0.07),
    ) -> None:
        """``placement``: (left, top, width, height) from the window's top-left; None: fit."""
        ctx = self.ctx
        framebuffer.use()
        ctx.scissor = None
        ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        ctx.viewport = (0, 0, *window_size)
        left, top, width, height = placement or fit(texture.size, window_size)
        bottom = window_size[1] - (top + height)
        sampler = self.crisp if width >= texture.size[0] * 1.5 else self.smooth
        sampler.use(location=0)
        texture.use(location=0)
        self.program["image"].value = 0
        self.program["pictureRect"].value = (float(left), float(bottom), float(width), float(height))
        self.program["background"].value = background
        self.vertex_array.render(moderngl.TRIANGLES, vertices=3)
        sampler.clear(location=0)

    def release(self) -> None:
        self.vertex_array.release()
        self.program.release()
        self.smooth.release()
        self.crisp.release()
