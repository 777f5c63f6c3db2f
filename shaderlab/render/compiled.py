"""An effect compiled for one context: its program, its empty vertex array, imported images."""

from __future__ import annotations

import logging
import math

import moderngl

from shaderlab.errors import ShaderError
from shaderlab.gl.surface import upload
from shaderlab.gl.uniforms import set_uniform
from shaderlab.io.images import load_image
from shaderlab.isf.dialect import glsl_name
from shaderlab.isf.glsl import (
    COMPUTE_GROUP, COMPUTE_VERSION, compile_errors, compute_source, fragment_source, specialises_passes, vertex_source,
)
from shaderlab.isf.header import EffectSpec

log = logging.getLogger(__name__)


class CompiledEffect:
    """One effect's GL objects. Compile errors raise :class:`ShaderError` as ``file:line``.

    A multi-pass effect has a program per pass where it can (isf/glsl.py specialises_passes);
    ``select(pass)`` makes one current for ``set_uniform``, ``uses`` and ``draw``.

    With ``compute``, each pass also becomes a compute shader where the GL has them and the file
    allows (isf/glsl.py compute_source); ``self.compute`` says whether that worked, and then
    ``dispatch`` runs a pass instead of ``draw``. A GPU with little raster hardware (data-centre
    GPUs) runs those on all its cores instead of the few that shade fragments."""

    def __init__(self, ctx: moderngl.Context, spec: EffectSpec, compute: bool = False):
        self.spec = spec
        self._programs: list[moderngl.Program] = []
        self._vertex_arrays: list[moderngl.VertexArray] = []
        self._computes: list[moderngl.ComputeShader] = []
        self.compute = False
        self.imported: dict[str, moderngl.Texture] = {}
        try:
            try:
                for pass_index in (range(len(spec.passes)) if specialises_passes(spec) else (None,)):
                    self._add(ctx, self._compile(ctx, spec, pass_index))
            except ShaderError:
                if not specialises_passes(spec):
                    raise
                # A file valid with PASSINDEX a uniform may not be with it a constant (an array
                # index out of range in a pass that never runs): one program for all passes.
                self._release_programs()
                self._add(ctx, self._compile(ctx, spec, None))
            for name, path in spec.imported.items():
                self.imported[name] = upload(ctx, load_image(path).pixels)
            if compute and ctx.version_code >= COMPUTE_VERSION and spec.vertex is None:
                self.compute = self._compile_computes(ctx, spec)
        except Exception:
            self.release()
            raise
        self.select(0)

    def _compile_computes(self, ctx: moderngl.Context, spec: EffectSpec) -> bool:
        """A compute shader per pass; False (and none kept) where one does not compile."""
        try:
            for index, render_pass in enumerate(spec.passes):
                float_target = bool(render_pass.target) and render_pass.float
                self._computes.append(ctx.compute_shader(compute_source(spec, ctx.version_code, index, float_target)))
        except moderngl.Error as exc:
            log.debug("%s runs as a fragment shader: %s", spec.path, " ".join(str(exc).split())[:200])
            for shader in self._computes:
                shader.release()
            self._computes.clear()
            return False
        return True

    def _add(self, ctx: moderngl.Context, program: moderngl.Program) -> None:
        self._programs.append(program)
        self._vertex_arrays.append(ctx.vertex_array(program, []))

    @staticmethod
    def _compile(ctx: moderngl.Context, spec: EffectSpec, pass_index: int | None) -> moderngl.Program:
        try:
            return ctx.program(
                vertex_shader=vertex_source(spec, ctx.version_code, pass_index),
                fragment_shader=fragment_source(spec, ctx.version_code, pass_index),
            )
        except moderngl.Error as exc:
            errors = compile_errors(spec, str(exc))
            # One line: the first error is the cause; the rest usually follow from it.
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ShaderError(errors[0] + more) from None

    def select(self, pass_index: int) -> None:
        """Make pass ``pass_index``'s program current (the one program, where there is one)."""
        index = pass_index if len(self._programs) > 1 else 0
        self.program, self.vertex_array = self._programs[index], self._vertex_arrays[index]
        if self.compute:
            self.program = self._computes[pass_index]

    def set_uniform(self, name: str, value: object) -> None:
        """Set a uniform if the program uses it (drivers drop unused ones). ``name`` is the
        declared name; inputs named like GLSL keywords have another name in GLSL."""
        set_uniform(self.program, glsl_name(name), value)

    def draw(self) -> None:
        """One pass over the viewport: our triangle, or the quad that .vs files expect."""
        if self.spec.vertex is None:
            self.vertex_array.render(moderngl.TRIANGLES, vertices=3)
        else:
            self.vertex_array.render(moderngl.TRIANGLE_STRIP, vertices=4)

    def dispatch(self, target: moderngl.Texture, size: tuple[int, int]) -> None:
        """One pass as a compute shader (``self.compute``) into ``target`` over ``size``; its
        writes are made visible to every later read (textures, framebuffers, read-backs)."""
        target.bind_to_image(0, read=False, write=True)
        self.program.run(math.ceil(size[0] / COMPUTE_GROUP), math.ceil(size[1] / COMPUTE_GROUP))
        self.program.ctx.memory_barrier()

    def uses_anywhere(self, name: str) -> bool:
        """Whether any pass's program uses ``name``."""
        programs = self._computes if self.compute else self._programs
        return any(isinstance(p.get(glsl_name(name), None), moderngl.Uniform) for p in programs)

    def uses(self, name: str) -> bool:
        return isinstance(self.program.get(glsl_name(name), None), moderngl.Uniform)

    def release(self) -> None:
        for texture in self.imported.values():
            texture.release()
        self.imported.clear()
        self._release_programs()

    def _release_programs(self) -> None:
        for vertex_array in self._vertex_arrays:
            vertex_array.release()
        for program in (*self._programs, *self._computes):
            program.release()
        self._vertex_arrays.clear()
        self._programs.clear()
        self._computes.clear()
        self.compute = False
