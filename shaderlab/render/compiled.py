"""An effect compiled for one context: its program, its empty vertex array, imported images."""

from __future__ import annotations

import moderngl

from shaderlab.errors import ShaderError
from shaderlab.gl.surface import upload
from shaderlab.gl.uniforms import set_uniform
from shaderlab.io.images import load_image
from shaderlab.isf.dialect import glsl_name
from shaderlab.isf.glsl import compile_errors, fragment_source, vertex_source
from shaderlab.isf.header import EffectSpec


class CompiledEffect:
    """One effect's GL objects. Compile errors raise :class:`ShaderError` as ``file:line``."""

    def __init__(self, ctx: moderngl.Context, spec: EffectSpec):
        self.spec = spec
        try:
            self.program = ctx.program(
                vertex_shader=vertex_source(spec, ctx.version_code),
                fragment_shader=fragment_source(spec, ctx.version_code),
            )
        except moderngl.Error as exc:
            errors = compile_errors(spec, str(exc))
            # One line: the first error is the cause; the rest usually follow from it.
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ShaderError(errors[0] + more) from None
        self.vertex_array = ctx.vertex_array(self.program, [])
        self.imported: dict[str, moderngl.Texture] = {}
        try:
            for name, path in spec.imported.items():
                self.imported[name] = upload(ctx, load_image(path).pixels)
        except Exception:
            self.release()
            raise

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

    def uses(self, name: str) -> bool:
        return isinstance(self.program.get(glsl_name(name), None), moderngl.Uniform)

    def release(self) -> None:
        for texture in self.imported.values():
            texture.release()
        self.imported.clear()
        if hasattr(self, "vertex_array"):
            self.vertex_array.release()
        self.program.release()
