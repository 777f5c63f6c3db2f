"""The effects a session can use: bundled shader files, then the user's folders, by name."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from shaderlab.errors import EffectError, ShaderError, ShaderlabError, unforeseen
from shaderlab.isf.header import EffectSpec, parse_effect
from shaderlab.paths import shaders_dir
from shaderlab.shadertoy.manifest import MANIFEST_SUFFIX, effect_name, is_shadertoy, manifest_files, parse_shadertoy

#: ISF fragment effects, header-only declarations of native effects (see render/native.py),
#: Shadertoy code (``.glsl`` with a mainImage) and Shadertoy manifests (``.shadertoy.toml``).
EFFECT_SUFFIXES = (".fs", ".native", ".glsl", ".toml")

log = logging.getLogger(__name__)


def is_effect_file(path: Path) -> bool:
    if path.suffix in (".glsl", ".toml"):
        return is_shadertoy(path)
    return path.suffix in EFFECT_SUFFIXES


def effect_files(files: Iterable[Path]) -> list[Path]:
    """The effects among ``files``: not the passes a Shadertoy manifest is made of, nor
    includes or other files."""
    files = [p for p in files if _is_file(p)]
    parts = {part for p in files if p.name.endswith(MANIFEST_SUFFIX) for part in manifest_files(p)}
    return [p for p in files if p not in parts and is_effect_file(p)]


def prepare_code(spec: EffectSpec) -> EffectSpec:
    """Do the Python half of compiling ``spec`` now (the dialect rewrites are remembered), so
    that a worker thread pays for it rather than the GL thread's compile."""
    from shaderlab.isf.dialect import browser_quirks
    from shaderlab.isf.glsl import fragment_source, vertex_source

    if spec.kind == "isf":
        fragment_source(spec)
        if spec.vertex is not None:
            vertex_source(spec)
    elif spec.kind == "shadertoy":
        program = spec.program
        for text in [p.code for p in program.passes] + ([program.common[1]] if program.common else []):
            browser_quirks(text)
    return spec


def read_effect(path: Path) -> EffectSpec:
    """The spec of any effect file, by its kind. Every way a file can be wrong is a
    :class:`ShaderError` naming it: the parsers say what is wrong where they can, and this is
    the net for what they missed (one bad file must not end a listing or the watcher)."""
    try:
        return parse_shadertoy(path) if is_shadertoy(path) else parse_effect(path)
    except ShaderlabError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser's gap, reported as the file's error
        log.debug("%s: unexpected error reading the effect", path, exc_info=True)
        raise ShaderError(unforeseen(path, "read this effect", exc)) from None


class EffectLibrary:
    """Finds effect files by name; a user folder's file overrides a bundled one of that name."""

    def __init__(self, user_dirs: Iterable[str | Path] = ()):
        self.dirs = [shaders_dir(), *(Path(d) for d in user_dirs)]
        for folder in self.dirs[1:]:
            if not folder.is_dir():
                raise EffectError(f"{folder}: no such shader folder")
        self._cache: dict[Path, tuple[tuple[float, ...], EffectSpec]] = {}
        self._listings: dict[Path, tuple[tuple, list[Path]]] = {}

    def paths(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in self.dirs:
            for path in self._effects_in(folder):
                found[effect_name(path) if is_shadertoy(path) else path.stem] = path
        return found

    def _effects_in(self, folder: Path) -> list[Path]:
        """A folder's effects, re-read only when its files change: telling a Shadertoy file
        from an include reads it, and every render resolves names through here."""
        try:
            files = sorted(folder.iterdir())
        except OSError as exc:  # the folder went away or cannot be read: nothing in it
            log.warning("%s: cannot list shader folder (%s)", folder, exc)
            return []
        signature = tuple((p.name, _mtime(p) if p.suffix in (".glsl", ".toml") else 0) for p in files)
        listed = self._listings.get(folder)
        if listed is None or listed[0] != signature:
            listed = self._listings[folder] = (signature, effect_files(files))
        return listed[1]

    def resolve(self, name: str) -> Path:
        """The file of an effect name, or of a path to an effect file."""
        known = self.paths()
        if name in known:
            return known[name]
        candidate = Path(name).expanduser()
        if candidate.is_file() and is_effect_file(candidate):
            return candidate.resolve()
        listing = ", ".join(sorted(known))
        raise EffectError(f"unknown effect {name!r}; known effects: {listing}")

    def spec(self, name: str) -> EffectSpec:
        """The parsed header of an effect, re-read when its file changed."""
        path = self.resolve(name)
        try:
            mtime = path.stat().st_mtime
        except OSError as exc:
            raise ShaderError(f"{path}: cannot read shader file ({exc})") from None
        mtime = (mtime, *(_mtime(part) for part in _parts(path)))
        cached = self._cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        spec = read_effect(path)
        self._cache[path] = (mtime, spec)
        return spec

    def specs(self) -> list[EffectSpec]:
        return [self.spec(name) for name in self.paths()]

    def read_all(self) -> list[tuple[str, Path, EffectSpec | None, str | None]]:
        """Every effect with its spec, or with why it cannot be read (one bad file in a folder
        of hundreds must not hide the rest)."""
        found = []
        for name, path in self.paths().items():
            try:
                found.append((name, path, self.spec(name), None))
            except ShaderlabError as exc:
                found.append((name, path, None, str(exc)))
        return found

    def watched_files(self) -> list[Path]:
        return list(self.paths().values())


def _mtime(path: Path) -> int:
    """A file's modification time, or 0 for one that vanished or is a dangling link."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder we may not look into: not an effect we can use
        return False


def _parts(path: Path) -> list[Path]:
    """The other files an effect is made of: a manifest's code, an ISF file's vertex shader."""
    if path.name.endswith(MANIFEST_SUFFIX):
        return sorted(manifest_files(path))
    return [path.with_suffix(".vs")] if path.suffix == ".fs" else []
