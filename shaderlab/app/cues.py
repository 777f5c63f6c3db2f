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
        #: The cue waiting for its beat (the cue itself: capture and re-ordering move indexes), and the beat.
        self.pending: tuple[Cue, float | None] | None = None
        self._prepared = False  # the set's ISF transitions read and tried (once there is a picture)
        self.morph: Morph | None = None
        #: Seconds from each quantised launch's beat line to the frame that showed it.
        self.late: list[float] = []
        #: Each cue's thumbnail (a GL texture name for the panel): taken when it has played in.
        self.thumbnails: dict[int, int] = {}
        self._thumbnail_due: tuple[Cue, float] | None = None  # the cue on show, when its fade ends

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
        self._prepared = False
        self._prepare_all()
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
        self._thumbnail(cue)
        self.app.report(f"captured cue {at + 1} ({cue.name}) in {scene}")

    def move(self, index: int, offset: int) -> None:
        self._check(index)
        self.set.move(index, offset)

    def remove(self, index: int) -> None:
        self._check(index)
        cue = self.set.cues.pop(index)
        if self.thumbnails.pop(id(cue), None) is not None:
            self.app.stage.finish.forget(str(id(cue)))
        current = self.set.current
        if current is not None and index <= current:
            # The removed cue's values stay on show; GO plays the one that followed it.
            self.set.current = current - 1 if current > 0 else None
        self.pending = None
        self.app.report(f"removed cue {index + 1} ({cue.name}); its scene file stays")

    def _prepare_all(self) -> None:
        """ISF transitions the cues name: read and tried as soon as there is a picture (a trial
        runs at its size), not when the cue launches; a name that is wrong is said now."""
        if self._prepared or self.app.stage.source is None:
            return
        self._prepared = True
        for number, cue in enumerate(self.set.cues, start=1):
            if cue.transition not in ("cut", "crossfade", "morph"):
                note = self.app.stage.prepare_transition(cue.transition)
                if note is not None and "not passed its trial yet" not in note:
                    self.app.report(f"cue {number} ({cue.name}): {note}", warning=True)

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
        self.pending = (self.set.cues[index], at)
        if at is not None:
            self.app.report(f"cue {index + 1} launches on the next {self.set.cues[index].quantise}")

    def thumbnails_in_order(self) -> tuple[int | None, ...]:
        return tuple(self.thumbnails.get(id(cue)) for cue in self.set.cues)

    def _thumbnail(self, cue: Cue) -> None:
        stage = self.app.stage
        if stage.finish.picture is not None:
            self.thumbnails[id(cue)] = stage.finish.thumbnail(stage.finish.picture, str(id(cue))).glo

    def frame(self, t: float) -> None:
        """Each frame, its time just ticked: launch a cue whose moment has come; end a morph;
        take the thumbnail of a cue that has played in."""
        if self._thumbnail_due is not None and t >= self._thumbnail_due[1] and not self.app.stage.finish.fading():
            self._thumbnail(self._thumbnail_due[0])
            self._thumbnail_due = None
        if self.morph is not None and self.morph.finished(t):
            self.app.store.remove_modulator(self.morph)
            self.morph = None
        self._prepare_all()
        if self.pending is None:
            return
        cue, at = self.pending
        index = self.pending_index
        if index is None:
            self.pending = None  # removed while it waited
            return
        clock = self.app.store.tempo
        if at is not None and clock.running:
            beat = clock.beat_at(t)
            per = 1 if cue.quantise == "beat" else clock.beats_per_bar
            if at - beat > per + 1e-6:  # the music jumped back (a transport start): the next line again
                at = launch_beat(cue, clock, t)
                self.pending = (cue, at)
            if at is not None and beat < at - 1e-9:
                return
        self.pending = None
        # The transition starts on the beat line, so the frame that shows it is where the music
        # is — unless the music jumped forward past it: then it starts now.
        behind = max(clock.beat_at(t) - at, 0.0) * 60.0 / clock.bpm if at is not None else 0.0
        start = t - behind if behind <= 60.0 / clock.bpm * clock.beats_per_bar else t
        if at is not None:
            self.late.append(t - start)
        self._launch(index, start)

    @property
    def pending_index(self) -> int | None:
        """Where the waiting cue is in the list now (the same cue, whatever moved around it)."""
        if self.pending is None:
            return None
        return next((i for i, cue in enumerate(self.set.cues) if cue is self.pending[0]), None)

    def restore(self) -> None:
        """Panic: the current cue's values, at once."""
        if self.set.current is not None:
            self._launch(self.set.current, self.app.now.time, cut=True)

    def _launch(self, index: int, start: float, cut: bool = False) -> None:
        app, store = self.app, self.app.store
        cue = self.set.cues[index]
        if self._thumbnail_due is not None:  # the cue on show goes before it had its thumbnail: take it now
            self._thumbnail(self._thumbnail_due[0])
            self._thumbnail_due = None
        showing = store.session.source  # the scene's picture is named once it has arrived
        try:
            scene = self.set.scene(index)
            before = store.snapshot()
            scene_to_store(scene, store)  # all or nothing: a refused scene leaves the show as it was
        except ShaderlabError as exc:
            app.report(f"cue {index + 1} ({cue.name}): {exc}", error=True)
            return
        app.dispatch.end_transitions()
        app.stage.finish.end_fade()  # a fade under way ends where the new cue begins
        if self.morph is not None:
            store.remove_modulator(self.morph)
            self.morph = None
        store.beat(start)  # the clock takes the scene's tempo: a length in beats is at the new one
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
        cue_points = (scene.clip or {}).get("cue_points")
        if scene.image is not None and scene.image != showing:
            app.dispatch.open_image(scene.image, cue_points)
        elif cue_points is not None:
            app.dispatch.media.apply_cue_points(cue_points)  # the clip on show: the cue's own points
        self.set.current = index
        self._thumbnail_due = (cue, start + seconds + 0.1)  # a frame after it has played in
        app.report(f"cue {index + 1}: {cue.name}")
        if note:
            app.report(note, warning=True)
