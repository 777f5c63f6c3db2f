"""Shadertoy programs on the GPU: one program per pass, float buffers kept between frames.

Each pass is compiled as: Shadertoy's uniforms, the common code, the pass's code, and a
``main`` that calls ``mainImage``. ``#line`` directives number the pass's code from 1, the
common code from COMMON_LINE + 1 and our own text from PREAMBLE_LINE (drivers do not report
source-string numbers reliably), so a compile error names the file and line it is in. Buffers are double-buffered: a pass reading
its own buffer sees the last frame, a pass reading an earlier buffer sees this frame's.

Each channel is sampled as the manifest says (filter, wrap, vflip) through a GL sampler object
bound to its unit for the pass and unbound after it: the textures' own state, which the chain's
other effects also sample with, is never changed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import moderngl
import numpy as np

from shaderlab.errors import ShaderError
from shaderlab.gl.surface import Surface, upload
from shaderlab.gl.uniforms import set_uniform
from shaderlab.io.images import load_image
from shaderlab.isf.dialect import browser_quirks
from shaderlab.isf.glsl import VERTEX_SHADER, glsl_version
from shaderlab.isf.header import EffectSpec
from shaderlab.render.clock import FrameTime, date_now
from shaderlab.shadertoy.manifest import BLACK, BUFFERS, CHAIN_INPUT, SOURCE, Pass, Program, Sampling

PREAMBLE_LINE = 100000
COMMON_LINE = 50000
# HW_PERFORMANCE: the site defines it (1 on desktops, 0 on phones) for shaders to pick quality.
_PREAMBLE = """#define HW_PERFORMANCE 1
uniform vec3 iResolution;
uniform float iTime;
#define iGlobalTime iTime
uniform float iTimeDelta;
uniform float iFrameRate;
uniform int iFrame;
uniform vec4 iMouse;
uniform vec4 iDate;
uniform float iSampleRate;
uniform float iChannelTime[4];
uniform vec3 iChannelResolution[4];
uniform sampler2D iChannel0;
uniform sampler2D iChannel1;
uniform sampler2D iChannel2;
uniform sampler2D iChannel3;
out vec4 shadertoy_FragColor;
"""
_MAIN = """
void main() {
    vec4 colour = vec4(0.0, 0.0, 0.0, 1.0);
    mainImage(colour, gl_FragCoord.xy);
    shadertoy_FragColor = %s;
}
"""
_LOG = re.compile(r"^\s*(?P<source>\d+)(?::(?P<mesa>\d+)\(\d+\)|\((?P<nvidia>\d+)\))\s*:?\s*(?P<msg>.*)$")


def pass_source(program: Program, render_pass: Pass, version: int) -> str:
    parts = [glsl_version(version), f"#line {PREAMBLE_LINE}", _PREAMBLE]
    if program.common is not None:
        parts += [f"#line {COMMON_LINE + 1}", browser_quirks(program.common[1])]
    parts += ["#line 1", browser_quirks(render_pass.code), f"#line {PREAMBLE_LINE + 100}"]
    # The Image pass is shown opaque, as on the site; buffers keep their alpha.
    parts.append(_MAIN % ("vec4(colour.rgb, 1.0)" if render_pass.name == "Image" else "colour"))
    return "\n".join(parts)


def compile_error(program: Program, render_pass: Pass, log: str) -> str:
    """The first error as ``file:line: message`` (and how many more)."""
    errors = []
    for raw in log.splitlines():
        match = _LOG.match(raw)
        if match and "error" in match.group("msg").lower():
            line = int(match.group("mesa") or match.group("nvidia"))
            message = match.group("msg").strip()
            if line >= PREAMBLE_LINE:
                errors.append(f"{render_pass.path}:1: in the Shadertoy declarations: {message}")
            elif line > COMMON_LINE and program.common is not None:
                errors.append(f"{program.common[0]}:{line - COMMON_LINE}: {message}")
            else:
                errors.append(f"{render_pass.path}:{line}: {message}")
    if not errors:
        return f"{render_pass.path}:1: shader did not compile: {' '.join(log.split())[:300]}"
    return errors[0] + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")


class ShadertoyEffect:
    """The compiled passes of one Shadertoy program, shared by its instances."""

    def __init__(self, ctx: moderngl.Context, spec: EffectSpec):
        self.ctx = ctx
        self.spec = spec
        program: Program = spec.program
        self.programs: list[moderngl.Program] = []
        self.vertex_arrays: list[moderngl.VertexArray] = []
        self.images: dict[tuple[str, bool], moderngl.Texture] = {}  # by (file, vflip)
        self.samplers: dict[tuple[str, str], moderngl.Sampler] = {}  # by (filter, wrap)
        try:
            for render_pass in program.passes:
                try:
                    compiled = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=pass_source(program, render_pass, ctx.version_code))
                except moderngl.Error as exc:
                    raise ShaderError(compile_error(program, render_pass, str(exc))) from None
                self.programs.append(compiled)
                self.vertex_arrays.append(ctx.vertex_array(compiled, []))
            for key in {(c, s.vflip) for p in program.passes for c, s in zip(p.channels, p.samplings) if _is_file(c)}:
                pixels = load_image(Path(key[0])).pixels
                # upload() puts the top row at the top (vflip on); without vflip it is at v = 0.
                self.images[key] = texture = upload(ctx, pixels if key[1] else pixels[::-1])
                texture.build_mipmaps()
            #: Buffers some pass samples with mipmaps: their mipmaps are made after each write.
            self.mipmapped = {c for p in program.passes for c, s in zip(p.channels, p.samplings) if c in BUFFERS and s.filter == "mipmap"}
            self.black = ctx.texture((1, 1), 4, bytes([0, 0, 0, 255]))
            # Asked every frame by the window: known once the programs are linked.
            self._reads_mouse = any(isinstance(p.get("iMouse", None), moderngl.Uniform) for p in self.programs)
        except Exception:
            self.release()
            raise

    def uses_mouse(self) -> bool:
        return self._reads_mouse

    def sampler(self, channel: str, sampling: Sampling) -> moderngl.Sampler:
        """The sampler for a channel (the input and source pictures have no mipmaps)."""
        filter_ = sampling.filter
        if filter_ == "mipmap" and not (_is_file(channel) or channel in BUFFERS):
            filter_ = "linear"
        key = (filter_, sampling.wrap)
        if key not in self.samplers:
            gl_filter = {"mipmap": (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR),
                         "linear": (moderngl.LINEAR, moderngl.LINEAR),
                         "nearest": (moderngl.NEAREST, moderngl.NEAREST)}[filter_]
            repeat = sampling.wrap == "repeat"
            self.samplers[key] = self.ctx.sampler(repeat_x=repeat, repeat_y=repeat, filter=gl_filter)
        return self.samplers[key]

    def instance(self, size: tuple[int, int]) -> "ShadertoyInstance":
        return ShadertoyInstance(self, size)

    def release(self) -> None:
        for item in [*self.vertex_arrays, *self.programs, *self.images.values(), *self.samplers.values()]:
            item.release()
        if hasattr(self, "black"):
            self.black.release()
        self.vertex_arrays, self.programs, self.images, self.samplers = [], [], {}, {}


class ShadertoyInstance:
    def __init__(self, effect: ShadertoyEffect, size: tuple[int, int]):
        self.effect = effect
        self.size = size
        ctx = effect.ctx
        passes = effect.spec.program.passes
        # Buffers are RGBA float, as on the site; two each so a pass can read its last frame.
        self.buffers = {p.name: [Surface(ctx, size, float_=True), Surface(ctx, size, float_=True)] for p in passes[:-1]}
        for pair in self.buffers.values():
            for surface in pair:
                surface.clear()
        self.output = Surface(ctx, size)

    def run(
        self,
        source: moderngl.Texture,
        current: moderngl.Texture,
        params: dict[str, Any],
        images: dict[str, moderngl.Texture],
        frame: FrameTime,
    ) -> moderngl.Texture:
        effect, ctx = self.effect, self.effect.ctx
        passes = effect.spec.program.passes
        for index, render_pass in enumerate(passes):
            program = effect.programs[index]
            pair = self.buffers.get(render_pass.name)
            target = pair[1] if pair else self.output
            textures = [self._channel(render_pass, k, channel, source, current, images) for k, channel in enumerate(render_pass.channels)]
            samplers = [effect.sampler(c, s) for c, s in zip(render_pass.channels, render_pass.samplings)]
            for unit, (texture, sampler) in enumerate(zip(textures, samplers)):
                texture.use(location=unit)
                sampler.use(location=unit)
                set_uniform(program, f"iChannel{unit}", unit)
            resolutions = np.array([(t.width, t.height, 1.0) for t in textures], np.float32)
            member = program.get("iChannelResolution", None)
            if isinstance(member, moderngl.Uniform):  # drivers may keep only the elements used
                member.write(resolutions[: member.array_length].tobytes())
            self._set_uniforms(program, frame)
            target.framebuffer.use()
            ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
            ctx.scissor = None
            ctx.viewport = (0, 0, *self.size)
            effect.vertex_arrays[index].render(moderngl.TRIANGLES, vertices=3)
            for unit, sampler in enumerate(samplers):  # the units' textures sample as before
                sampler.clear(location=unit)
            if pair:
                if render_pass.name in effect.mipmapped:
                    pair[1].texture.build_mipmaps()
                pair.reverse()  # the newest frame in front
        return self.output.texture

    def _channel(self, render_pass: Pass, index: int, channel: str, source, current, images) -> moderngl.Texture:
        if channel in self.buffers:
            return self.buffers[channel][0].texture
        if channel == CHAIN_INPUT:
            return images.get("inputImage" if index == 0 else f"iChannel{index}", current)
        if channel == SOURCE:
            return images.get(f"iChannel{index}", source)
        if channel == BLACK:
            return self.effect.black
        return self.effect.images[(channel, render_pass.samplings[index].vflip)]

    def _set_uniforms(self, program: moderngl.Program, frame: FrameTime) -> None:
        set_uniform(program, "iResolution", (float(self.size[0]), float(self.size[1]), 1.0))
        set_uniform(program, "iTime", frame.time)
        set_uniform(program, "iTimeDelta", frame.delta)
        set_uniform(program, "iFrameRate", 1.0 / frame.delta if frame.delta > 0 else 60.0)
        set_uniform(program, "iFrame", frame.index)
        set_uniform(program, "iMouse", tuple(float(v) for v in frame.mouse))
        set_uniform(program, "iSampleRate", 44100.0)
        if isinstance(program.get("iDate", None), moderngl.Uniform):
            program["iDate"].value = date_now(first_month=0)

    def release(self) -> None:
        for pair in self.buffers.values():
            for surface in pair:
                surface.release()
        self.output.release()


def _is_file(channel: str) -> bool:
    """Whether a channel is an image file (its resolved path) rather than a named source."""
    return channel not in (*BUFFERS, CHAIN_INPUT, SOURCE, BLACK)
