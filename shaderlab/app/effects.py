"""The effects the window's chain can use: their specs by name (or by path, for effects added
from files and scenes), their programs (the last version that compiled) and, each frame, the
steps the chain runs. Hot reload lands here too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from shaderlab.app.messages import ShaderChanged
from shaderlab.app.session import ChainEntry
from shaderlab.isf.header import EffectSpec
from shaderlab.render.chain import Step

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class ChainEffects:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        self.specs: dict[str, EffectSpec] = {}
        #: Transitions playing: entry uid → (start time, seconds), as ISF hosts run them.
        self.playing: dict[int, tuple[float, float]] = {}

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
            if entry.enabled and compiled is not None:
                # Image inputs hold file paths (loaded on a worker); the rest are uniforms.
                values = {k: v for k, v in entry.params.items() if not isinstance(v, str)}
                steps.append(Step(entry.uid, compiled, values, self.window.image_inputs.textures_for(entry, spec)))
        return steps

    def changed(self, message: ShaderChanged) -> None:
        known = message.path in self.window.programs.errors or any(
            s.path == message.path for s in self.specs.values()
        )
        spec = message.spec
        error = message.error if spec is None else self.window.programs.update(spec)
        if error:
            self.window.programs.errors[message.path] = error
            self.window.report(error, error=True)
            return
        self.specs[spec.name] = spec
        for key, known_spec in list(self.specs.items()):  # effects added by their path
            if known_spec.path == message.path:
                self.specs[key] = spec
        self._refresh_params(spec)
        if known:
            self.window.report(f"reloaded {message.path}")

    def _refresh_params(self, spec: EffectSpec) -> None:
        """After a header edit: keep values of inputs that still exist, add new ones."""
        for entry in self.window.session.entries:
            if entry.name == spec.name or self.specs.get(entry.name) is spec:
                images = {k: v for k, v in entry.params.items() if spec.input(k) is not None and spec.input(k).is_image}
                entry.params = {**{k: entry.params.get(k, v) for k, v in spec.defaults().items()}, **images}

