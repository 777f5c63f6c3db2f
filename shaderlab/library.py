"""The effects a session can use: bundled shader files, then the user's folders, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from shaderlab.errors import EffectError
from shaderlab.isf.header import EffectSpec, parse_effect
from shaderlab.paths import shaders_dir

#: ISF fragment effects, and header-only declarations of native effects (see render/native.py).
EFFECT_SUFFIXES = (".fs", ".native")


class EffectLibrary:
    """Finds effect files by name; a user folder's file overrides a bundled one of that name."""

    def __init__(self, user_dirs: Iterable[str | Path] = ()):
        self.dirs = [shaders_dir(), *(Path(d) for d in user_dirs)]
        for folder in self.dirs[1:]:
            if not folder.is_dir():
                raise EffectError(f"{folder}: no such shader folder")
        self._cache: dict[Path, tuple[float, EffectSpec]] = {}

    def paths(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in self.dirs:
            for path in sorted(folder.iterdir()):
                if path.suffix in EFFECT_SUFFIXES and path.is_file():
                    found[path.stem] = path
        return found

    def resolve(self, name: str) -> Path:
        """The file of an effect name, or of a path to an effect file."""
        known = self.paths()
        if name in known:
            return known[name]
        candidate = Path(name)
        if candidate.suffix in EFFECT_SUFFIXES and candidate.is_file():
            return candidate.resolve()
        listing = ", ".join(sorted(known))
        raise EffectError(f"unknown effect {name!r}; known effects: {listing}")

    def spec(self, name: str) -> EffectSpec:
        """The parsed header of an effect, re-read when its file changed."""
        path = self.resolve(name)
        mtime = path.stat().st_mtime
        cached = self._cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        spec = parse_effect(path)
        self._cache[path] = (mtime, spec)
        return spec

    def specs(self) -> list[EffectSpec]:
        return [self.spec(name) for name in self.paths()]

    def watched_files(self) -> list[Path]:
        return list(self.paths().values())
