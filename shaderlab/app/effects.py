"""The effects the window's chain can use: their specs by name (or by path, for effects added
from files and scenes), their programs and, each frame, the steps the chain runs. Hot reload
lands here too.

Code from the user's files runs on the show only after a trial off it (app/trials.py): a new
effect passes the picture through until its trial is done; a changed effect in use keeps its
running version until the new one has passed, and for good if it is refused. Bundled effects
are ours and compile at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shaderlab.app.messages import ShaderChanged, ShaderTried
from shaderlab.app.session import ChainEntry
from shaderlab.app.shelf import THUMBNAIL
from shaderlab.app.trials import PASSED
from shaderlab.isf.header import EffectSpec
from shaderlab.render.chain import Step
from shaderlab.render.programs import Effect
from shaderlab.render.vetting import needs_trial, version

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class ChainEffects:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        #: The newest version read of each effect in use or known, by name (or path).
        self.specs: dict[str, EffectSpec] = {}
        #: Transitions playing: entry uid → (start time, seconds), as ISF hosts run them.
        self.playing: dict[int, tuple[float, float]] = {}
        #: Versions whose compile failed on the show after their trial passed: not tried again.
        self._failed: set[tuple] = set()

    def play_transition(self, entry: ChainEntry, seconds: float = 2.0) -> None:
        """Run ``progress`` from 0 to 1 over ``seconds`` of the show's clock, from now."""
        self.playing[entry.uid] = (self.window.now.time, max(seconds, 0.01))

    def spec(self, name: str) -> EffectSpec:
        """The effect of a name, or of a path (a scene's, a file added): read once."""
        if name not in self.specs:
            spec = self.specs[name] = self.window.library.spec(name)
            if not needs_trial(spec):
                self._swap_in(spec, reloaded=False)
        return self.specs[name]

    def add(self, path: Path, spec: EffectSpec) -> None:
        """Append an effect read from a file; the chain names it by its path."""
        key = str(path)
        self.specs[key] = spec
        if not needs_trial(spec) and not self._swap_in(spec, reloaded=False):
            return
        self.window.session.entries.append(ChainEntry(key, spec.defaults()))
        self.window.report(f"added {path}")

    def steps(self, now: float) -> list[Step]:
        """This frame's steps, at show time ``now``."""
        steps = []
        for entry in self.window.session.entries:
            values = self.values(entry, now)
            spec = self.specs.get(entry.name)
            compiled = self._runnable(spec, entry) if entry.enabled and spec is not None else None
            if compiled is not None:
                steps.append(Step(entry.uid, compiled, values, self.window.image_inputs.textures_for(entry, spec)))
        return steps

    def values(self, entry: ChainEntry, now: float) -> dict:
        """What the effect renders with this frame: the user's values (image inputs, which hold
        file paths, apart), a playing transition's ``progress`` over the user's own (which it
        never overwrites: the slider and a saved scene keep what the user set)."""
        values = {k: v for k, v in entry.params.items() if not isinstance(v, str)}
        if entry.uid in self.playing:
            start, seconds = self.playing[entry.uid]
            values["progress"] = min(max(now - start, 0.0) / seconds, 1.0)
            if values["progress"] >= 1.0:
                del self.playing[entry.uid]
        return values

    def _runnable(self, spec: EffectSpec, entry: ChainEntry) -> Effect | None:
        """The version of ``spec``'s effect allowed on the show now: the newest once it passed
        its trial at this size, meanwhile the last one that did, else none (pass through)."""
        programs = self.window.programs
        running = programs.current(spec.path)
        if not needs_trial(spec):
            return running
        size = self.window.output_size()
        trials = self.window.trials
        if trials.verdict(spec, size, entry.params) == PASSED and version(spec, size) not in self._failed:
            if running is None or running.spec is not spec and version(running.spec, size) != version(spec, size):
                self._swap_in(spec, reloaded=running is not None)
                running = programs.current(spec.path)
        if running is None or trials.refused(running.spec, size):
            return None
        # Passed here; or passed at another size and being tried at this one (a new picture):
        # it keeps running meanwhile.
        return running if trials.passed(running.spec, size) or trials.passed(running.spec, None) else None

    def _swap_in(self, spec: EffectSpec, reloaded: bool) -> bool:
        """Compile a version for the show (bundled, or passed its trial); values are kept."""
        error = self.window.programs.update(spec)
        if error:
            self._failed.add(version(spec, self.window.output_size()))
            self.window.report(error, error=True)
            return False
        self._refresh_params(spec)
        if reloaded:
            self.window.report(f"reloaded {spec.path}")
        return True

    def tried(self, message: ShaderTried) -> None:
        """A trial's verdict: a refusal is told once (a pass shows in the next frame's steps);
        a thumbnail's refusal shows on the shader shelf only, not as the chain's error."""
        if message.unavailable:
            self.window.report(message.error, warning=True)
        if self.window.trials.tried(message) and message.size != THUMBNAIL:
            self.window.programs.errors[message.spec.path] = message.error
            self.window.report(message.error, error=True)

    def changed(self, message: ShaderChanged) -> None:
        """A file changed: its new version is known at once; a bundled one is compiled now, a
        user's is tried and swapped in by ``steps`` when the chain uses it."""
        if message.spec is None:
            self.window.programs.errors[message.path] = message.error
            self.window.report(message.error, error=True)
            return
        spec = message.spec
        known = any(s.path == spec.path for s in self.specs.values())
        for key, known_spec in list(self.specs.items()):  # effects added by their path, too
            if known_spec.path == spec.path:
                self.specs[key] = spec
        self.specs[spec.name] = spec
        self.window.programs.errors.pop(spec.path, None)
        if not needs_trial(spec):
            self._swap_in(spec, reloaded=known)

    def _refresh_params(self, spec: EffectSpec) -> None:
        """After a header edit: keep values of inputs that still exist, add new ones."""
        for entry in self.window.session.entries:
            if entry.name == spec.name or self.specs.get(entry.name) is spec:
                images = {k: v for k, v in entry.params.items() if spec.input(k) is not None and spec.input(k).is_image}
                entry.params = {**{k: entry.params.get(k, v) for k, v in spec.defaults().items()}, **images}
