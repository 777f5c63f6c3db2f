"""The pixel sort as fragment passes, for OpenGL 3.3 contexts (no compute shaders, e.g. macOS).

settled: boundaries, a Hillis–Steele max-scan for interval starts (log2 n passes), the sort
words, a bitonic network (one pass per stage) and a gather — all in "line space" textures.
auto: the same interval starts, then one full-screen pass per odd-even step. Same maths and
same results as the compute programs (shaderlab/sort/gpu.py), only slower.
"""

from __future__ import annotations

import moderngl

from shaderlab.gl.surface import Surface
from shaderlab.gl.uniforms import set_uniform
from shaderlab.isf.glsl import VERTEX_SHADER
from shaderlab.sort.options import SortOptions, line_geometry

STAGES = ("BOUNDARY", "SCAN", "WORDS", "BITONIC", "GATHER", "STEP")


def compile_stages(ctx: moderngl.Context, common: str, source: str, compile_error) -> dict[str, moderngl.Program]:
    programs = {}
    for stage in STAGES:
        fragment = f"#version 330\n#define STAGE_{stage}\n{common}\n{source}"
        try:
            programs[stage] = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=fragment)
        except moderngl.Error as exc:
            raise compile_error(stage, exc) from None
    return programs


class FragmentPasses:
    """Runs the stages for one pixelsort instance; owns its line-space textures."""

    def __init__(self, effect, size: tuple[int, int]):
        self.effect = effect
        self.ctx: moderngl.Context = effect.ctx
        self.size = size
        self.programs: dict[str, moderngl.Program] = effect.fragment_programs
        self.arrays = {name: self.ctx.vertex_array(p, []) for name, p in self.programs.items()}
        self._lines: list[Surface] = []
        self.starts: Surface | None = None

    def _targets(self, width: int, count: int) -> list[Surface]:
        if not self._lines or self._lines[0].size != (width, count):
            for target in self._lines:
                target.release()
            self._lines = [Surface(self.ctx, (width, count), dtype="u4"), Surface(self.ctx, (width, count), dtype="u4")]
        return self._lines

    def _draw(self, stage: str, options: SortOptions, into: moderngl.Framebuffer, viewport, textures: dict[str, moderngl.Texture], **uniforms) -> None:
        program = self.programs[stage]
        self.effect.configure(program, options, self.size)
        for unit, (name, texture) in enumerate(textures.items()):
            texture.use(location=unit)
            set_uniform(program, name, unit)
        for name, value in uniforms.items():
            set_uniform(program, name, value)
        into.use()
        self.ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        self.ctx.scissor = None
        self.ctx.viewport = viewport
        self.arrays[stage].render(moderngl.TRIANGLES, vertices=3)

    def interval_starts(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture, width: int) -> Surface:
        """Line-space texture whose red is 1 + the start of each position's interval."""
        length, count = line_geometry(self.size, options.direction)
        lines = self._targets(width, count)
        base = {"image": image, "hueRanks": self.effect.key_table(options), "maskImage": mask}
        self._draw("BOUNDARY", options, lines[0].framebuffer, (0, 0, width, count), base)
        stride = 1
        while stride < length:
            self._draw("SCAN", options, lines[1].framebuffer, (0, 0, width, count), {"lineData": lines[0].texture}, stride=stride)
            lines.reverse()
            stride <<= 1
        return lines[0]

    def sort(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture, into: Surface) -> None:
        length, count = line_geometry(self.size, options.direction)
        padded = 1 << max(1, (length - 1).bit_length())
        self.interval_starts(image, options, mask, padded)
        lines = self._lines
        base = {"image": image, "hueRanks": self.effect.key_table(options)}
        self._draw("WORDS", options, lines[1].framebuffer, (0, 0, padded, count), {**base, "lineData": lines[0].texture})
        lines.reverse()
        block = 2
        while block <= padded:
            stride = block >> 1
            while stride > 0:
                self._draw("BITONIC", options, lines[1].framebuffer, (0, 0, padded, count),
                           {"lineData": lines[0].texture}, stride=stride, block=block)
                lines.reverse()
                stride >>= 1
            block <<= 1
        self._draw("GATHER", options, into.framebuffer, (0, 0, *self.size), {"image": image, "lineData": lines[0].texture})

    def remember_starts(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture) -> None:
        length, _ = line_geometry(self.size, options.direction)
        starts = self.interval_starts(image, options, mask, length)
        # Keep the starts; the scratch pair is made afresh when next needed.
        self._lines.remove(starts)
        for target in self._lines:
            target.release()
        self._lines = []
        if self.starts is not None:
            self.starts.release()
        self.starts = starts

    def step(self, image: moderngl.Texture, options: SortOptions, parity: int, into: Surface) -> None:
        textures = {"image": image, "hueRanks": self.effect.key_table(options), "lineData": self.starts.texture}
        self._draw("STEP", options, into.framebuffer, (0, 0, *self.size), textures, parity=parity)

    def release(self) -> None:
        for target in self._lines:
            target.release()
        if self.starts is not None:
            self.starts.release()
        for array in self.arrays.values():
            array.release()
