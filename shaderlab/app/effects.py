"""The effects the window's chain can use: their specs by name (or by path, for effects added
from files and scenes), their programs (the last version that compiled) and, each frame, the
steps the chain runs. Hot reload lands here too.

Code from the user's files runs on the show only after a trial off it (render/vetting.py, on a
worker thread): a new effect passes the picture through until its trial is done; a changed
effect in use keeps its running version until the new one has passed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from shaderlab.app.messages import ShaderChanged, ShaderTried
from shaderlab.app.session import ChainEntry
from shaderlab.isf.header import EffectSpec
from shaderlab.render.chain import Step
from shaderlab.render.vetting import Vetter, is_bundled
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class ChainEffects:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        self.specs: dict[str, EffectSpec] = {}
        #: Transitions playing: entry uid → (start time, seconds), as ISF hosts run them.
        self.playing: dict[int, tuple[float, float]] = {}
        self._vetter: Vetter | None = None
        #: Versions of user effects (path, text) that passed their trial, or are being tried.
        self._passed: set[tuple] = set()
        self._trying: set[tuple] = set()

    def play_transition(self, entry: ChainEntry, seconds: float = 2.0) -> None:
        """Run ``progress`` from 0 to 1 over ``seconds``."""
        self.playing[entry.uid] = (time.monotonic(), max(seconds, 0.01))

    def spec(self, name: str) -> EffectSpec:
        """The effect of a name, or of a path (a scene's, a file added): read and compiled once."""
        if name in self.specs:
            return self.specs[name]
        spec = self.window.library.spec(name)
        error = self.window.programs.update(spec)
        if error:
            self.window.report(error, error=True)
        self.specs[name] = spec
        return spec

    def add(self, path: Path, spec: EffectSpec) -> None:
        """Append an effect read from a file; the chain names it by its path."""
        key = str(path)
        self.specs[key] = spec
        error = self.window.programs.update(spec)
        if error:
            self.window.report(error, error=True)
            return
        self.window.session.entries.append(ChainEntry(key, spec.defaults()))
        self.window.report(f"added {path}")

    def steps(self) -> list[Step]:
        steps = []
        now = time.monotonic()
        for entry in self.window.session.entries:
            if entry.uid in self.playing:
                start, seconds = self.playing[entry.uid]
                entry.params["progress"] = min((now - start) / seconds, 1.0)
                if entry.params["progress"] >= 1.0:
                    del self.playing[entry.uid]
            spec = self.specs.get(entry.name)
            compiled = self.window.programs.current(spec.path) if spec else None
            if entry.enabled and compiled is not None and self._may_run(compiled.spec, entry):
                # Image inputs hold file paths (loaded on a worker); the rest are uniforms.
                values = {k: v for k, v in entry.params.items() if not isinstance(v, str)}
                steps.append(Step(entry.uid, compiled, values, self.window.image_inputs.textures_for(entry, spec)))
        return steps

    @property
    def vetter(self) -> Vetter:
        """Started the first time a user effect needs a trial."""
        if self._vetter is None:
            self._vetter = Vetter(getattr(self.window.options, "frame_timeout", DEFAULT_FRAME_TIMEOUT))
        return self._vetter

    def close(self) -> None:
        """End a trial under way now, not after its time limit."""
        if self._vetter is not None:
            self._vetter.close()

    def _may_run(self, spec: EffectSpec, entry: ChainEntry) -> bool:
        """Bundled effects run; a user effect's version runs once it passed its trial (asked
        for here the first time it would run, at the size and values it would run with)."""
        if not self._needs_trial(spec):
            return True
        self._try(spec, entry.params)
        return False

    def _needs_trial(self, spec: EffectSpec) -> bool:
        return not (spec.path.suffix == ".native" or is_bundled(spec.path) or _version(spec) in self._passed)

    def _try(self, spec: EffectSpec, params: dict, reload: bool = False) -> None:
        key = _version(spec)
        if key in self._trying:
            return
        self._trying.add(key)
        size = self.window.output_size()
        folders = self.window.library.dirs[1:]
        values = {k: v for k, v in params.items() if not isinstance(v, str)}
        self.window.workers.submit(
            lambda job: ShaderTried(spec, self.vetter.vet(spec.path, key[1], size, values, folders), reload)
        )

    def tried(self, message: ShaderTried) -> None:
        """A trial's verdict: run it (or, for a reload, let it replace the running version)."""
        key = _version(message.spec)
        self._trying.discard(key)
        if message.error:
            self.window.programs.errors[message.spec.path] = message.error
            self.window.report(message.error, error=True)
            return
        self._passed.add(key)
        if message.reload:
            self._apply(message.spec, known=True)

    def changed(self, message: ShaderChanged) -> None:
        known = message.path in self.window.programs.errors or any(
            s.path == message.path for s in self.specs.values()
        )
        spec = message.spec
        if spec is not None and self._in_use(spec) and self._needs_trial(spec):
            self._try(spec, self._values_of(spec), reload=True)  # the running version stays meanwhile
            return
        self._apply(spec, known, message.error)

    def _in_use(self, spec: EffectSpec) -> bool:
        used = {entry.name for entry in self.window.session.entries}
        return any(s.path == spec.path and name in used for name, s in self.specs.items())

    def _values_of(self, spec: EffectSpec) -> dict:
        for entry in self.window.session.entries:
            known = self.specs.get(entry.name)
            if known is not None and known.path == spec.path:
                return entry.params
        return spec.defaults()

    def _apply(self, spec: EffectSpec | None, known: bool, error: str | None = None) -> None:
        """A new version (or why there is none) takes its place: compiled, values kept."""
        path = spec.path if spec is not None else None
        error = error if spec is None else self.window.programs.update(spec)
        if error:
            if path is not None:
                self.window.programs.errors[path] = error
            self.window.report(error, error=True)
            return
        self.specs[spec.name] = spec
        for key, known_spec in list(self.specs.items()):  # effects added by their path
            if known_spec.path == path:
                self.specs[key] = spec
        self._refresh_params(spec)
        if known:
            self.window.report(f"reloaded {path}")

    def _refresh_params(self, spec: EffectSpec) -> None:
        """After a header edit: keep values of inputs that still exist, add new ones."""
        for entry in self.window.session.entries:
            if entry.name == spec.name or self.specs.get(entry.name) is spec:
                images = {k: v for k, v in entry.params.items() if spec.input(k) is not None and spec.input(k).is_image}
                entry.params = {**{k: entry.params.get(k, v) for k, v in spec.defaults().items()}, **images}



def _version(spec: EffectSpec) -> tuple:
    return (spec.path, spec.source + (spec.vertex or ""))

