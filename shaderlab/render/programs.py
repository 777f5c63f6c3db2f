"""Compiled effects for one context, recompiled when their file changes, last good kept."""

from __future__ import annotations

from pathlib import Path

import moderngl

from shaderlab.errors import ShaderlabError
from shaderlab.library import EffectLibrary
from shaderlab.render.compiled import CompiledEffect


class ProgramCache:
    """``get`` compiles on first use and after every change of the file's text.

    When a new version fails, the error is kept in ``errors`` and ``latest`` goes on returning
    the last version that compiled, so a live show never loses an effect to a typo.
    """

    def __init__(self, ctx: moderngl.Context, library: EffectLibrary):
        self.ctx = ctx
        self.library = library
        self._compiled: dict[Path, CompiledEffect] = {}
        self.errors: dict[Path, str] = {}

    def get(self, name: str) -> CompiledEffect:
        """The current version of an effect; raises if that version does not compile."""
        spec = self.library.spec(name)
        current = self._compiled.get(spec.path)
        if current is not None and current.spec.source == spec.source:
            return current
        try:
            compiled = CompiledEffect(self.ctx, spec)
        except ShaderlabError as exc:
            self.errors[spec.path] = str(exc)
            raise
        self.errors.pop(spec.path, None)
        if current is not None:
            current.release()
        self._compiled[spec.path] = compiled
        return compiled

    def latest(self, name: str) -> CompiledEffect:
        """The current version if it compiles, else the last good one (errors recorded)."""
        try:
            return self.get(name)
        except ShaderlabError:
            path = self.library.resolve(name)
            if path in self._compiled:
                return self._compiled[path]
            raise

    def release(self) -> None:
        for compiled in self._compiled.values():
            compiled.release()
        self._compiled.clear()
