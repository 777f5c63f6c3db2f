"""Compiled effects for one context, recompiled when their text changes, last good kept."""

from __future__ import annotations

import logging
from pathlib import Path

import moderngl

from shaderlab.errors import ShaderlabError, unforeseen
from shaderlab.isf.glsl import COMPUTE_VERSION
from shaderlab.isf.header import EffectSpec
from shaderlab.library import EffectLibrary
from shaderlab.render.compiled import CompiledEffect
from shaderlab.render.native import NativeEffect, create_native

Effect = CompiledEffect | NativeEffect
log = logging.getLogger(__name__)


class ProgramCache:
    """One compiled program per effect file.

    ``get`` reads the file and compiles what changed (the API and CLI: errors raise).
    ``update`` takes a spec already read (the window's watcher thread reads files) and, when
    the new text fails, keeps the last version that compiled and records the error, so a
    live show never loses an effect to a typo.
    """

    def __init__(self, ctx: moderngl.Context, library: EffectLibrary, compute: bool = False):
        self.ctx = ctx
        self.library = library
        self.compute = compute  # ISF passes as compute shaders where they can be (render/compiled.py)
        if compute and ctx.version_code < COMPUTE_VERSION:
            log.warning("--compute needs OpenGL %d.%d and this GL is %d.%d: effects run as fragment shaders",
                        *divmod(COMPUTE_VERSION // 10, 10), *divmod(ctx.version_code // 10, 10))
        self._compiled: dict[Path, Effect] = {}
        self.errors: dict[Path, str] = {}

    def get(self, name: str) -> Effect:
        return self.compile(self.library.spec(name))

    def compile(self, spec: EffectSpec) -> Effect:
        """The program for ``spec``; the cached one while the text is unchanged."""
        current = self._compiled.get(spec.path)
        if current is not None and (current.spec.source, current.spec.vertex) == (spec.source, spec.vertex):
            return current
        if spec.path.suffix == ".native":
            compiled = create_native(self.ctx, spec)
        elif spec.kind == "shadertoy":
            from shaderlab.shadertoy.effect import ShadertoyEffect

            compiled = ShadertoyEffect(self.ctx, spec)
        else:
            compiled = CompiledEffect(self.ctx, spec, self.compute)
        if current is not None:
            current.release()
        self._compiled[spec.path] = compiled
        return compiled

    def update(self, spec: EffectSpec) -> str | None:
        """Compile a new version; on failure keep the last good one and return the error."""
        try:
            self.compile(spec)
        except ShaderlabError as exc:
            self.errors[spec.path] = str(exc)
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - a driver's surprise is this file's error, not the show's end
            error = unforeseen(spec.path, "compile", exc)
            self.errors[spec.path] = error
            return error
        self.errors.pop(spec.path, None)
        return None

    def current(self, path: Path) -> Effect | None:
        """The last version of the file that compiled, if any."""
        return self._compiled.get(path)

    def release(self) -> None:
        for compiled in self._compiled.values():
            compiled.release()
        self._compiled.clear()
