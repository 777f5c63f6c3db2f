"""The set on the GL thread: GO, BACK and jumps through the cues, each launched at once or on
the next beat or bar line, its scene reached by its transition (a cut, a crossfade — plain or
through an ISF transition — or a morph of the values). The set itself is data (show/cues.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.cues import Cue, CueList, launch_beat, load_set, save_set
from shaderlab.show.modulators import Morph
from shaderlab.show.scenes import save_store, scene_to_store

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class CuePlayer:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.set = CueList()
        self.pending: tuple[int, float | None] | None = None  # (cue, the beat it waits for)
        self.morph: Morph | None = None
        #: Seconds from each quantised launch's beat line to the frame that showed it.
        self.late: list[float] = []

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        """The cue commands, merged into the dispatch table (app/dispatch.py)."""
        return {
            c.CueGo: lambda _: self.go(),
            c.CueBack: lambda _: self.back(),
            c.CueJump: lambda cmd: self.jump(int(cmd.number) - 1),
            c.LoadSet: lambda cmd: self.load(Path(cmd.path)),
            c.SaveSet: lambda cmd: self.save(Path(cmd.path) if cmd.path else None),
            c.CaptureCue: lambda cmd: self.capture(cmd.name),
            c.MoveCue: lambda cmd: self.move(int(cmd.number) - 1, int(cmd.offset)),
            c.RemoveCue: lambda cmd: self.remove(int(cmd.number) - 1),
        }

    # -- the set ---------------------------------------------------------------------------
    def load(self, path: Path) -> None:
        self.set = load_set(path)  # one line naming the file and the cue when anything is wrong
        self.pending = None
        self._prepare(range(len(self.set.cues)))
        self.app.report(f"set {path}: {len(self.set.cues)} cues; GO (enter) plays the first")

    def save(self, path: Path | None) -> None:
        target = path or self.set.path
        if target is None:
            raise ShaderlabError("the set has no file yet: give it a name to save it under")
        save_set(self.set, target, overwrite=target == self.set.path)
        self.app.report(f"saved the set {target}")

    def capture(self, name: str) -> None:
        """The show as it is now becomes a new cue after the current one (its scene saved beside
        the set, or in the save folder)."""
        folder = self.set.path.resolve().parent if self.set.path else self.app.dispatch.save_folder()
        number = len(self.set.cues) + 1
        scene = folder / f"cue-{number:02d}.toml"
        while scene.exists():
            number += 1
            scene = folder / f"cue-{number:02d}.toml"
        save_store(self.app.store, scene)
        like = self.set.cues[self.set.current] if self.set.current is not None else None
        cue = Cue(name or scene.stem, scene.resolve()) if like is None else \
            Cue(name or scene.stem, scene.resolve(), like.transition, like.seconds, like.beats, like.quantise)
        at = (self.set.current + 1) if self.set.current is not None else len(self.set.cues)
        self.set.cues.insert(at, cue)
        self.set.scenes.pop(cue.scene, None)
        self.app.report(f"captured cue {at + 1} ({cue.name}) in {scene}")

    def move(self, index: int, offset: int) -> None:
        self._check(index)
        self.set.move(index, offset)

    def remove(self, index: int) -> None:
        self._check(index)
        cue = self.set.cues.pop(index)
        current = self.set.current
        if current is not None and index <= current:
            # The removed cue's values stay on show; GO plays the one that followed it.
            self.set.current = current - 1 if current > 0 else None
        self.pending = None
        self.app.report(f"removed cue {index + 1} ({cue.name}); its scene file stays")

    def _prepare(self, indexes) -> None:
        """ISF transitions the cues name: read and tried now, not when the cue launches."""
        for index in indexes:
            transition = self.set.cues[index].transition
            if transition not in ("cut", "crossfade", "morph") and self.app.stage.source is not None:
                self.app.stage.prepare_transition(transition)

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self.set.cues):
            raise ShaderlabError(f"no cue {index + 1} (the set has {len(self.set.cues)})")

    # -- playing ---------------------------------------------------------------------------
    def go(self) -> None:
        if not self.set.cues:
            raise ShaderlabError("no cues: load a set (play --set FILE) or capture one")
        current = self.set.current
        if current is not None and current + 1 >= len(self.set.cues):
            raise ShaderlabError(f"cue {current + 1} is the last of the set")
        self.jump(0 if current is None else current + 1)

    def back(self) -> None:
        if self.set.current is None or self.set.current == 0:
            raise ShaderlabError("no cue before this one")
        self.jump(self.set.current - 1)

    def jump(self, index: int) -> None:
        self._check(index)
        clock, now = self.app.store.tempo, self.app.now.time
        at = launch_beat(self.set.cues[index], clock, now)
        self.pending = (index, at)
        self._prepare([index])
        if at is not None:
            self.app.report(f"cue {index + 1} launches on the next {self.set.cues[index].quantise}")

    def frame(self, t: float) -> None:
        """Each frame, its time just ticked: launch a cue whose moment has come; end a morph."""
        if self.morph is not None and self.morph.finished(t):
            self.app.store.remove_modulator(self.morph)
            self.morph = None
        if self.pending is None:
            return
        index, at = self.pending
        clock = self.app.store.tempo
        if at is not None and clock.running and clock.beat_at(t) < at - 1e-9:
            return
        self.pending = None
        # The transition starts on the beat line, so the frame that shows it is where the music is.
        start = t - max(clock.beat_at(t) - at, 0.0) * 60.0 / clock.bpm if at is not None else t
        if at is not None:
            self.late.append(t - start)
        self._launch(index, start)

    def restore(self) -> None:
        """Panic: the current cue's values, at once."""
        if self.set.current is not None:
            self._launch(self.set.current, self.app.now.time, cut=True)

    def _launch(self, index: int, start: float, cut: bool = False) -> None:
        app, store = self.app, self.app.store
        cue = self.set.cues[index]
        showing = store.session.source  # the scene's picture is named once it has arrived
        try:
            scene = self.set.scene(index)
            before = store.snapshot()
            scene_to_store(scene, store)  # all or nothing: a refused scene leaves the show as it was
        except ShaderlabError as exc:
            app.report(f"cue {index + 1} ({cue.name}): {exc}", error=True)
            return
        app.dispatch.end_transitions()
        if self.morph is not None:
            store.remove_modulator(self.morph)
            self.morph = None
        seconds = 0.0 if cut else cue.duration(store.tempo)
        note = None
        if seconds > 0 and cue.transition == "morph":
            after = store.snapshot()
            if [(i, n) for i, n, _ in before.chain] == [(i, n) for i, n, _ in after.chain]:
                self.morph = Morph(before, after, start, seconds, store.blend)
                store.add_modulator(self.morph)
            else:
                note = f"cue {index + 1}: its chain differs from the one on show, so it crossfades"
                app.stage.fade_cue(start, seconds)
        elif seconds > 0:
            transition = None if cue.transition == "crossfade" else cue.transition
            note = app.stage.fade_cue(start, seconds, transition)
        store.session.source = showing
        if scene.image is not None and scene.image != showing:
            app.dispatch.open_image(scene.image)
        self.set.current = index
        app.report(f"cue {index + 1}: {cue.name}")
        if note:
            app.report(note, warning=True)
