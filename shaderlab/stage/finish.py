"""The last step before the audience: what the chain rendered, through a cue's crossfade, a
freeze (the frame held while the performer edits), the blackout (faded) and the test card.

The chain's own output stays the live picture (Save, the preview); this is what is shown,
recorded and shared. Every pass sets its GL state itself.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import moderngl

from shaderlab.gl.display import fit
from shaderlab.gl.surface import Surface
from shaderlab.isf.glsl import GLSL_VERSION, VERTEX_SHADER
from shaderlab.render.chain import Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.show.safety import Fader
from shaderlab.show.settings import BLACKOUT, BLACKOUT_FADE, FREEZE, TEST_CARD

Blend = Callable[[moderngl.Texture, moderngl.Texture, float], moderngl.Texture]

_FRAGMENT = f"""{GLSL_VERSION}
uniform sampler2D before;
uniform sampler2D after;
uniform float amount;  // 0: before, 1: after
uniform float dark;    // the blackout's level
uniform bool card;     // the test card instead of the picture
uniform vec2 size;
uniform vec4 pictureRect;  // where the picture lands in this pass's target (letterboxed when resized)
out vec4 colour;

vec3 test_card(vec2 pixel) {{
    vec2 uv = pixel / size;
    float cell = size.y / 12.0;
    vec2 grid = abs(fract(pixel / cell + 0.5) - 0.5) * cell;
    float line = step(min(grid.x, grid.y), 1.0);
    vec2 centre = pixel - size * 0.5;
    float radius = size.y * 0.45;
    float ring = step(abs(length(centre) - radius), 1.5) + step(abs(length(centre) - radius * 0.5), 1.5);
    float cross = step(abs(centre.x), 1.0) + step(abs(centre.y), 1.0);
    vec2 edge = min(pixel, size - pixel);
    float border = step(min(edge.x, edge.y), 2.0);
    // colour bars across the middle band: white, yellow, cyan, green, magenta, red, blue, black
    vec3 bar = vec3(0.5);
    if (abs(uv.y - 0.5) < 0.1) {{
        int i = int(uv.x * 8.0);
        bar = vec3(i == 0 || i == 1 || i == 2 || i == 3 ? 1.0 : 0.0,
                   i == 0 || i == 1 || i == 3 || i == 4 ? 1.0 : 0.0,
                   i == 0 || i == 2 || i == 4 || i == 6 ? 1.0 : 0.0) * 0.75;
        if (i == 7) bar = vec3(0.0);
    }} else {{
        bar = vec3(floor(uv.x * 11.0) / 10.0) * 0.6 + 0.2;  // a grey ramp above and below
    }}
    return clamp(bar + vec3(line + ring + cross + border), 0.0, 1.0);
}}

void main() {{
    vec2 uv = (gl_FragCoord.xy - pictureRect.xy) / pictureRect.zw;
    bool inside = all(greaterThanEqual(uv, vec2(0.0))) && all(lessThan(uv, vec2(1.0)));
    vec3 picture = card ? test_card(gl_FragCoord.xy)
                        : inside ? mix(texture(before, uv), texture(after, uv), amount).rgb : vec3(0.0);
    colour = vec4(picture * (1.0 - dark), 1.0);
}}
"""


class Finish:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=_FRAGMENT)
        self.vertex_array = ctx.vertex_array(self.program, [])
        self.blackout = Fader()
        #: The picture before the last pass (blackout, test card, letterbox): what a fade starts from.
        self.picture: moderngl.Texture | None = None
        #: The output's resolution (None: the chain's); the picture is letterboxed into it.
        self.size: tuple[int, int] | None = None
        self._surfaces: dict[str, Surface] = {}
        self._held: moderngl.Texture | None = None  # the frame a freeze holds
        #: A cue's fade: the frame it fades from, start, seconds, and the ISF transition's blend (None: a mix).
        self._cue: tuple[moderngl.Texture, float, float, Blend | None] | None = None

    def frame(self, live: moderngl.Texture, t: float, settings: Mapping[str, Any]) -> moderngl.Texture:
        """What the audience sees at show time ``t`` of ``live`` (the chain's output)."""
        shown = live
        if self._cue is not None:
            before, start, seconds, blend = self._cue
            amount = (t - start) / max(seconds, 1e-6)
            if amount >= 1.0:
                self._cue = None
            elif blend is not None:
                shown = blend(before, live, max(amount, 0.0))
            else:
                shown = self._pass("cue", before, live, amount).texture
        frozen = bool(settings.get(FREEZE, False))
        if frozen and self._held is None:  # held as it was shown when the freeze began
            self._held = self._pass("held", shown, shown, 1.0).texture
        elif not frozen:
            self._held = None
        if self._held is not None:
            shown = self._held
        self.picture = shown
        self.blackout.aim(1.0 if settings.get(BLACKOUT, False) else 0.0, t, float(settings.get(BLACKOUT_FADE, 1.0)))
        dark, card = self.blackout.level(t), bool(settings.get(TEST_CARD, False))
        target = tuple(self.size) if self.size else tuple(shown.size)
        if dark > 0.0 or card or target != tuple(shown.size):
            shown = self._pass("last", shown, shown, 1.0, dark, card, target).texture
        return shown

    @property
    def held(self) -> moderngl.Texture | None:
        """The frame a freeze holds, if one does."""
        return self._held

    def hold(self, picture: moderngl.Texture) -> None:
        """Hold ``picture`` (copied) as a freeze begun earlier would have (a replay's log begun
        mid-freeze); the freeze setting decides, as live, how long it stays."""
        self._held = self._pass("held", picture, picture, 1.0).texture

    def fade_from(self, shown: moderngl.Texture, t: float, seconds: float, blend: Blend | None = None) -> None:
        """A cue's crossfade: from ``shown`` (what the audience sees now, copied here: it is never
        this copy itself) to the live picture, over ``seconds`` from ``t``; ``blend`` (before,
        after, progress) draws an ISF transition instead of a mix."""
        if seconds <= 0:
            self._cue = None
            return
        self._cue = (self._pass("from", shown, shown, 1.0).texture, t, seconds, blend)

    def mix(self, before: moderngl.Texture, after: moderngl.Texture, amount: float) -> moderngl.Texture:
        """A plain crossfade (what an ISF transition falls back to)."""
        return self._pass("cue", before, after, amount).texture

    def thumbnail(self, picture: moderngl.Texture, key: str, width: int = 96) -> moderngl.Texture:
        """A small copy of ``picture`` kept under ``key`` (a cue's thumbnail in the panel)."""
        height = max(1, round(width * picture.size[1] / max(picture.size[0], 1)))
        return self._pass(f"thumbnail {key}", picture, picture, 1.0, size=(width, height)).texture

    def forget(self, key: str) -> None:
        surface = self._surfaces.pop(f"thumbnail {key}", None)
        if surface is not None:
            surface.release()

    def end_fade(self) -> None:
        """A cut or a morph launched during a fade: the old fade ends there."""
        self._cue = None

    def fading(self) -> bool:
        return self._cue is not None

    def panic(self) -> None:
        """Nothing the finish holds survives a panic but the blackout (the frozen frame and a cue's
        fade go; the safety settings say what stays)."""
        self._cue = None

    def _pass(self, name: str, before: moderngl.Texture, after: moderngl.Texture, amount: float,
              dark: float = 0.0, card: bool = False, size: tuple[int, int] | None = None) -> Surface:
        size = tuple(size or after.size)
        left, top, width, height = fit(after.size, size) if size != tuple(after.size) else (0, 0, *size)
        rect = (float(left), float(size[1] - top - height), float(width), float(height))
        surface = self._surfaces.get(name)
        if surface is None or surface.size != size:
            if surface is not None:
                surface.release()
            surface = self._surfaces[name] = Surface(self.ctx, size)
        surface.framebuffer.use()
        self.ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        self.ctx.scissor = None
        self.ctx.viewport = (0, 0, *size)
        before.use(location=0)
        after.use(location=1)
        for uniform, value in (("before", 0), ("after", 1), ("amount", float(min(max(amount, 0.0), 1.0))),
                               ("dark", float(dark)), ("card", bool(card)), ("size", tuple(float(v) for v in size)),
                               ("pictureRect", rect)):
            if uniform in self.program:
                self.program[uniform].value = value
        self.vertex_array.render(moderngl.TRIANGLES, vertices=3)
        return surface

    def release(self) -> None:
        for surface in self._surfaces.values():
            surface.release()
        self._surfaces.clear()
        self.vertex_array.release()
        self.program.release()


def transition_frame(chain: Chain, effect: Any, before: moderngl.Texture, after: moderngl.Texture,
                     progress: float, time: float) -> moderngl.Texture:
    """A cue's ISF transition (``effect``: startImage, endImage, progress) between the frame
    faded from and the live one, drawn in ``chain`` — as the show draws it and its replay."""
    step = Step("cue", effect, {"progress": progress}, {"endImage": after})
    return chain.run(before, [step], after.size, FrameTime(time))
