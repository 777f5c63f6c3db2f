"""The effects the show's chain can use: their specs by name (or by path, for effects added
from files and scenes), their programs and, each frame, the steps the chain runs. Hot reload
lands here too.

Code from the user's files runs on the show only after a trial off it (stage/trials.py): a new
effect passes the picture through until its trial is done; a changed effect in use keeps its
running version until the new one has passed, and for good if it is refused. Bundled effects
are ours and compile at once. When a version is swapped in, the store re-declares its inputs
(values of inputs that still exist are kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from shaderlab.isf.header import INPUT_IMAGE, EffectSpec
from shaderlab.library import EffectLibrary
from shaderlab.render.chain import Step
from shaderlab.render.programs import Effect, ProgramCache
from shaderlab.render.vetting import needs_trial, version
from shaderlab.show.chain import ChainSlot
from shaderlab.show.messages import ShaderChanged, ShaderTried
from shaderlab.show.slots import chain_address
from shaderlab.show.status import THUMBNAIL
from shaderlab.show.store import Store
from shaderlab.stage.trials import PASSED, Trials

Report = Callable[..., None]


class ChainEffects:
    def __init__(self, library: EffectLibrary, programs: ProgramCache, trials: Trials, store: Store,
                 report: Report, size: Callable[[], tuple[int, int]]):
        self.library, self.programs, self.trials, self.store = library, programs, trials, store
        self.report = report
        self.size = size  # the size the chain renders at now
        #: The newest version read of each effect in use or known, by name (or path).
        self.specs: dict[str, EffectSpec] = {}
        #: Versions whose compile failed on the show after their trial passed: not tried again.
        self._failed: set[tuple] = set()
        #: Effects whose file changed while playing: their next version on is said ("reloaded"),
        #: also when none ran before it (the first was still on trial, or refused).
        self._edited: set[Path] = set()

    def spec(self, name: str) -> EffectSpec:
        """The effect of a name, or of a path (a scene's, a file added): read once."""
        if name not in self.specs:
            spec = self.specs[name] = self.library.spec(name)
            if not needs_trial(spec):
                self._swap_in(spec, reloaded=False)
        return self.specs[name]

    def register(self, key: str, spec: EffectSpec) -> bool:
        """An effect read from a file (the chain names it by its path): known from now on;
        False when a bundled one does not compile (said already)."""
        self.specs[key] = spec
        return needs_trial(spec) or self._swap_in(spec, reloaded=False)

    def steps(self, resolved: Mapping[str, Any], images: Callable[[ChainSlot, Mapping[str, Any]], dict]) -> list[Step]:
        """This frame's steps from the store's chain and its resolved values; ``images`` gives
        a slot's textures for image inputs that name files."""
        steps = []
        # Each slot's declaration as the values were resolved: a version swapped in below
        # re-declares the slots of its effect, which the next frame's values follow.
        for slot, declared in [(s, s.spec) for s in self.store.chain.slots if s.enabled]:
            spec = self.specs.get(slot.name, declared)
            values = {i.name: resolved.get(chain_address(slot.id, i.name), i.default) for i in declared.inputs
                      if i.name != INPUT_IMAGE}
            compiled = self._runnable(spec, values)
            if compiled is not None:
                numbers = {k: v for k, v in values.items() if not isinstance(v, str) and v is not None}
                steps.append(Step(slot.serial, compiled, numbers, images(slot, values)))
        return steps

    def runnable(self, spec: EffectSpec, values: dict[str, Any]) -> Effect | None:
        """The version of ``spec`` allowed on the show now (None: none yet)."""
        return self._runnable(spec, values)

    def _runnable(self, spec: EffectSpec, values: dict[str, Any]) -> Effect | None:
        """The version of ``spec``'s effect allowed on the show now: the newest once it passed
        its trial at this size, meanwhile the last one that did, else none (pass through)."""
        running = self.programs.current(spec.path)
        if not needs_trial(spec):
            return running
        size = self.size()
        trials = self.trials
        if trials.verdict(spec, size, values) == PASSED and version(spec, size) not in self._failed:
            if running is None or running.spec is not spec and version(running.spec, size) != version(spec, size):
                self._swap_in(spec, reloaded=running is not None or spec.path in self._edited)
                running = self.programs.current(spec.path)
        if running is None or trials.refused(running.spec, size):
            return None
        # Passed here; or passed at another size and being tried at this one (a new picture):
        # it keeps running meanwhile.
        return running if trials.passed(running.spec, size) or trials.passed(running.spec, None) else None

    def _swap_in(self, spec: EffectSpec, reloaded: bool) -> bool:
        """Compile a version for the show (bundled, or passed its trial); values are kept."""
        error = self.programs.update(spec)
        if error:
            self._failed.add(version(spec, self.size()))
            self.report(error, error=True)
            return False
        for key, known in self.specs.items():  # by name, and by path for effects added by it
            if known is spec:
                self.store.redeclare(key, spec)
        if reloaded:
            self.report(f"reloaded {spec.path}")
        return True

    def tried(self, message: ShaderTried) -> None:
        """A trial's verdict: a refusal is told once (a pass shows in the next frame's steps);
        a thumbnail's refusal shows on the shader shelf only, not as the chain's error."""
        if message.unavailable:
            self.report(message.error, warning=True)
        if self.trials.tried(message) and message.size != THUMBNAIL:
            self.programs.errors[message.spec.path] = message.error
            self.report(message.error, error=True)

    def changed(self, message: ShaderChanged) -> None:
        """A file changed: its new version is known at once; a bundled one is compiled now, a
        user's is tried and swapped in by ``steps`` when the chain uses it."""
        if message.spec is None:
            self.programs.errors[message.path] = message.error
            self.report(message.error, error=True)
            return
        spec = message.spec
        known = any(s.path == spec.path for s in self.specs.values())
        if any(s.path == spec.path and s != spec for s in self.specs.values()):  # not the first scan's read
            self._edited.add(spec.path)
        for key, known_spec in list(self.specs.items()):  # effects added by their path, too
            if known_spec.path == spec.path:
                self.specs[key] = spec
        self.specs[spec.name] = spec
        self.programs.errors.pop(spec.path, None)
        if not needs_trial(spec):
            self._swap_in(spec, reloaded=known)
