"""The dispatch table: what the app does with each command and each worker message, whichever
surface sent it (keys, panel, pointer; later MIDI and OSC) — one handler a type, applied on the
GL thread as the frame starts.

Commands that change values (show/commands.py's store commands) go to the show's store, the
one write path: a mistake there is one line in the panel, and the show goes on.
"""

from __future__ import annotations

import math
import queue
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from imgui_bundle import hello_imgui

from shaderlab.app.media import Media
from shaderlab.app.music import Music
from shaderlab.app.saving import save_frame
from shaderlab.errors import ShaderlabError
from shaderlab.library import prepare_code, read_effect
from shaderlab.show import commands as c
from shaderlab.show import messages as m
from shaderlab.show.modulators import Transition
from shaderlab.show.scenes import load_store, store_to_scene
from shaderlab.show.selections import Selections, pick_network
from shaderlab.show.settings import CROSSFADE, MODULATORS, SAVE_FOLDER, SORT_AUTO
from shaderlab.show.slots import chain_address
from shaderlab.stage.recording import recording_path

if TYPE_CHECKING:
    import numpy as np

    from shaderlab.app.window import ShaderlabWindow


def said(command: c.Command) -> str:
    """A command as the show log's history tells it: ``SetValue chain/blur/radius=4.0 (osc)``."""
    fields = [f"{k}={v!r}" for k, v in vars(command).items() if k != "origin" and v not in (None, "", ())]
    origin = getattr(command, "origin", "")
    return f"{type(command).__name__} {' '.join(fields)}".strip() + (f" ({origin})" if origin else "")


class Dispatch:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.selections = Selections(app.store)
        #: This frame's sorting asked for: (direction, fully), taken by the frame.
        self.sort_request: tuple[str, bool] | None = None
        self.transitions: list[Transition] = []
        self.music = Music(app)
        self.media = Media(app)
        self.depth_job = 0
        self._handlers: dict[type, Callable[[Any], None]] = {
            # commands
            c.Quit: lambda _: setattr(hello_imgui.get_runner_params(), "app_shall_exit", True),
            c.SaveOutput: lambda _: self.save_output(),
            c.TogglePanel: lambda _: setattr(app, "show_panel", not app.show_panel),
            c.ToggleFullscreen: lambda _: app.fullscreen.toggle(),
            c.ViewFit: lambda _: app.pointer.view.fit(),
            c.ViewActualSize: lambda _: app.stage.output_size() and app.pointer.view.actual_size(app.stage.output_size()),
            c.SortStep: lambda cmd: setattr(self, "sort_request", (cmd.direction, cmd.full)),
            c.SortReset: lambda _: app.stage.reset_sort(),
            c.Select: self._select,
            c.PickNetwork: self._pick,
            c.UndoSelection: lambda _: self.selections.undo() or app.report("no selection to undo"),
            c.LoadScene: self._load_scene,
            c.SaveScene: self._save_scene,
            c.OpenImage: lambda cmd: self.open_image(Path(cmd.path)),
            c.UseOutputAsSource: lambda _: self.use_output_as_source(),
            c.AddEffectFile: self._add_effect_file,
            c.OpenShelf: lambda cmd: app.stage.shelf.open(Path(cmd.folder)),
            c.PlayTransition: self._play_transition,
            c.Generate: lambda cmd: app.controls.generate(cmd.kind, cmd.name, cmd.seed),
            c.RequestDepth: lambda cmd: app.controls.request_depth(cmd.name, cmd.of_source),
            c.RequestEnhance: lambda cmd: app.controls.request_enhance(cmd.name),
            c.CancelModels: lambda _: app.controls.worker.cancel(),
            c.RecordStart: lambda cmd: self.start_recording(cmd.path),
            c.RecordStop: lambda _: self.stop_recording(),
            c.Say: lambda cmd: app.report(cmd.text, error=cmd.error, warning=cmd.warning),
            c.Panic: self._panic,
            c.ShowLog: lambda cmd: app.outputs.log_to(Path(cmd.path) if cmd.path else None),
            c.TogglePerformance: lambda _: setattr(app, "performance", not app.performance),
            c.Batch: lambda batch: [self.handle(command) for command in batch.commands],
            c.MidiLearn: lambda cmd: self._midi().learn(cmd.address),
            c.MidiUnmap: lambda cmd: self._midi().unmap(cmd.address),
            c.MidiConfigure: lambda cmd: self._midi().configure(cmd.address, dict(cmd.options)),
            c.MidiPorts: self._midi_ports,
            c.ListAudioInputs: lambda _: app.sound.list_inputs(),
            c.AudioInput: lambda cmd: app.sound.choose(cmd.device),
            c.MidiSaveProfile: lambda cmd: app.report(f"MIDI mappings saved in {self._midi().save_profile(cmd.path)}"),
            # worker messages
            m.ImageReady: self._image_ready,
            m.ModelAnswer: self._model_answer,
            m.DepthReady: self._depth_ready,
            m.ShelfListed: lambda msg: app.stage.shelf.on_listed(msg),
            m.EffectRead: lambda msg: self.add_effect_file(msg.path, msg.spec),
            m.InputImageReady: lambda msg: app.stage.images.on_loaded(msg),
            m.ShaderChanged: lambda msg: app.stage.effects.changed(msg),
            m.ShaderTried: lambda msg: app.stage.effects.tried(msg),
            m.ShaderRemoved: lambda msg: app.report(f"{msg.path} was removed; its last version keeps running"),
            m.Saved: lambda msg: app.report("saved " + " and ".join(str(p) for p in msg.paths)),
            m.JobFailed: self._job_failed,
            m.AudioInputs: lambda msg: app.sound.listed_inputs(msg),
            m.AudioSwitched: lambda msg: app.sound.switched(msg),
            **self.music.handlers(),  # tempo, modulation, audio, Link (app/music.py)
            **app.cues.handlers(),  # the set's cues (app/cues.py)
            **self.media.handlers(),  # clips, cameras, NDI sources (app/media.py)
        }

    def drain(self, closing: bool = False) -> None:
        """Carry out what waits in the inbox, without blocking: as much as was there when the
        frame began (a thread that keeps posting cannot hold the frame up). A flood of values
        is coalesced: of successive knob moves (a finite number, clamped, to a number slot), the
        last for each slot is applied — a controller's 10,000 moves in a frame are one write each.
        Anything else in between (a structural command, a message, a value that may be
        refused and must be told) applies what came before it first, in order. ``closing``: the workers have
        stopped; only outcomes are told (a recording saved or failed), nothing that would
        start new work is carried out."""
        inbox = self.app.inbox
        values: dict[str, c.SetValue] = {}  # coalesced knob moves waiting, by slot
        for _ in range(inbox.qsize()):
            try:
                item = inbox.get_nowait()
            except queue.Empty:
                break
            if closing and not isinstance(item, (m.Saved, m.JobFailed)):
                if isinstance(item, m.FeedOpened):
                    item.feed.discard()  # opened as the show ended: its file or camera closed
                continue
            if self._coalescible(item):
                values.pop(item.address, None)  # the newest decides, and its place in the order
                values[item.address] = item
                continue
            self._apply_values(values)
            self.handle(item)
        self._apply_values(values)

    def _coalescible(self, item: object) -> bool:
        """A knob move whose only outcome is a clamped write to a number slot: safe to replace
        by a newer one (anything that may be refused is applied, and told, in order)."""
        if type(item) is not c.SetValue or not item.clamp:
            return False
        value = item.value
        if not ((type(value) is float and math.isfinite(value)) or type(value) is int):
            return False
        try:
            return self.app.store.slot(item.address).spec.type in ("float", "long")
        except ShaderlabError:
            return False

    def _apply_values(self, values: dict[str, c.SetValue]) -> None:
        for command in values.values():
            self.handle(command)
        values.clear()

    def handle(self, item: c.Command | m.Message) -> None:
        log = self.app.outputs.show_log if hasattr(self.app, "outputs") else None
        if log is not None and isinstance(item, (c.StoreCommand, c.AppCommand)) and not isinstance(item, c.Batch):
            log.said(said(item))  # the show's history (replay reads the values each frame)
        if isinstance(item, c.StoreCommand) and type(item) not in self._handlers:
            error = c.apply(self.app.store, item)
            if error:
                self.app.report(error, error=True)
            return
        handler = self._handlers.get(type(item))
        if handler is None:
            self.app.report(f"{type(item).__name__}: not available in the window yet", warning=True)
            return
        try:
            handler(item)
        except ShaderlabError as exc:  # what a command asked for cannot be done: one line, show on
            self.app.report(str(exc), error=True)

    def _panic(self, _: c.Panic) -> None:
        """Back to a known state at once; blackout, freeze and the test card stay as they are
        (they are the performer's safety, not the show's trouble)."""
        app, store = self.app, self.app.store
        app.stage.calm()  # feedback buffers start again from nothing, the sort and fades undone
        for address, value in ((SORT_AUTO, False), (MODULATORS, False)):
            if store.addresses(address):
                store.set(address, value)
        store.modulation.recording = None
        self.end_transitions()
        app.cues.pending = None
        app.cues.restore()  # back to the current cue's values
        app.report("panic: feedback cleared, auto sort and modulators off (Modulators on brings them back)",
                   warning=True)

    def _midi_ports(self, command: c.MidiPorts) -> None:
        app = self.app
        if app.hub.midi is None:
            from shaderlab.control.surfaces import start_midi

            start_midi(app.hub, app.inbox.put, command.input, command.output, app.report,
                       getattr(app.options, "midi_profile", None), getattr(app.options, "midi_api", None))
        else:
            app.hub.midi.choose(command.input, command.output)

    def _midi(self):
        if self.app.hub.midi is None:
            raise ShaderlabError("no MIDI controller is playing: start with --midi-in NAME")
        return self.app.hub.midi

    def take_sort_request(self) -> tuple[str | None, bool]:
        """(held direction, sort fully) for this frame's sort; asked once a frame."""
        request, self.sort_request = self.sort_request, None
        return request if request is not None else (None, False)

    def end_transitions(self, now: float | None = None) -> None:
        """Stop transitions that have played to their end by ``now`` (None: all of them), or
        whose effect has left the chain."""
        if not self.transitions:
            return  # the usual frame: nothing to look up
        store = self.app.store
        known = set(store.addresses("chain/"))
        for transition in [t for t in self.transitions
                           if now is None or t.finished(now) or t.address not in known]:
            self.transitions.remove(transition)
            store.remove_modulator(transition)

    # -- sources ---------------------------------------------------------------------------
    def open_image(self, path: Path, cue_points: list[float] | None = None) -> None:
        """A picture or a clip becomes the source (decoded or opened on a worker); a clip's
        transport gets ``cue_points`` (a scene's)."""
        self.media.open_source(Path(path), cue_points)
        self.app.report(f"loading {path}")

    def new_source(self, pixels: "np.ndarray", label: Path, fade: bool = False,
                   depth: tuple[Path | None, bool] = (None, False)) -> None:
        """The new source: shown (faded into when asked and the crossfade is on), its depth
        asked for (``depth``: a file and whether it is inverted; None estimates it)."""
        app = self.app
        app.stage.set_source(pixels, app.store.get(CROSSFADE) if fade else 0.0)
        app.store.session.source, app.store.session.clip = label, False
        self.depth_job = app.workers.load_depth(*depth, pixels, app.controls.estimator)
        app.report(f"showing {label} ({pixels.shape[1]}×{pixels.shape[0]})")

    def use_output_as_source(self) -> None:
        """Bake: what is on screen becomes the source, and the chain is switched off."""
        pixels = self.app.stage.read_output()
        if pixels is None:
            return
        for slot_id in self.app.store.chain.ids:
            self.app.store.bypass_effect(slot_id, True)
        self.selections.clear()
        self.new_source(pixels, Path("baked.png"))

    def _image_ready(self, message: m.ImageReady) -> None:
        if message.job != self.media.job:
            return  # an older request finished after a newer one: drop it
        for warning in message.warnings:
            self.app.report(warning, warning=True)
        session = self.app.store.session
        self.new_source(message.pixels, message.path, depth=(session.depth, session.depth_invert))

    def _model_answer(self, message: m.ModelAnswer) -> None:
        if message.job != self.app.controls.job:
            return  # stale: a newer request was made
        if message.kind == "depth":
            self.app.stage.set_depth(message.array)
            self.app.report(f"depth from {message.model} ({message.seconds * 1000:.0f} ms from request to texture)")
        else:  # a generated or an enhanced picture
            label = f"{message.model}-enhanced.png" if message.kind == "enhance" else f"{message.model}.png"
            self.new_source(message.array, Path(label), fade=True)

    def _depth_ready(self, message: m.DepthReady) -> None:
        if message.job == self.depth_job:
            self.media.depth_done()
            self.app.stage.set_depth(message.depth)
            if self.app.stage.moving is None:  # a moving picture's come every frame or two: not news
                self.app.report(f"depth: {message.origin}")

    def _job_failed(self, message: m.JobFailed) -> None:
        if message.job == self.depth_job:
            self.media.depth_done()
        self.app.report(message.message, error=True)

    # -- the chain -------------------------------------------------------------------------
    def _add_effect_file(self, command: c.AddEffectFile) -> None:
        if command.spec is not None:
            self.add_effect_file(Path(command.path), command.spec)
            return
        path = Path(command.path).expanduser()
        self.app.workers.submit(lambda job: m.EffectRead(path, prepare_code(read_effect(path))))

    def add_effect_file(self, path: Path, spec: Any) -> None:
        """Append an effect read from a file; the chain names it by its path."""
        app = self.app
        if not app.stage.effects.register(str(path), spec):
            return
        try:
            app.store.add_effect(str(path))
        except ShaderlabError as exc:
            app.report(str(exc), error=True)
            return
        app.report(f"added {path}")

    def _play_transition(self, command: c.PlayTransition) -> None:
        address = chain_address(command.slot_id, "progress")
        try:
            self.app.store.slot(address)
        except ShaderlabError as exc:
            self.app.report(str(exc), error=True)
            return
        transition = Transition(address, self.app.now.time, max(float(command.seconds), 0.01))
        self.transitions.append(transition)
        self.app.store.add_modulator(transition)

    def _select(self, command: c.Select) -> None:
        size = self.app.stage.output_size()
        chosen = self.selections.select(command.corner_a, command.corner_b, size) if size else None
        if chosen is not None:
            self.app.report(f"selected x {chosen['x']:.3f}, y {chosen['y']:.3f}, "
                            f"{chosen['width']:.3f} × {chosen['height']:.3f}")

    def _pick(self, command: c.PickNetwork) -> None:
        size = self.app.stage.output_size()
        picked = pick_network(self.app.store, command.point, size) if size else None
        if picked is not None:
            self.app.report(f"picked the network of seed {picked}")

    # -- files -----------------------------------------------------------------------------
    def _load_scene(self, command: c.LoadScene) -> None:
        app = self.app
        shown = app.store.session.source
        try:
            scene = load_store(Path(command.path), app.store)
        except ShaderlabError as exc:
            app.report(str(exc), error=True)
            return
        self.selections.clear()
        self.end_transitions()
        app.report(f"opened scene {command.path}")
        if scene.image is not None:
            app.store.session.source = shown  # the scene's picture is named once it arrives
            self.open_image(scene.image, (scene.clip or {}).get("cue_points"))

    def _save_scene(self, command: c.SaveScene) -> None:
        error = c.apply(self.app.store, command)
        self.app.report(error or f"saved scene {command.path}", error=bool(error))

    def save_folder(self) -> Path:
        return Path(self.app.store.get(SAVE_FOLDER) or ".").expanduser()

    def save_output(self) -> None:
        """Key S / Save: the output as it is now, with its scene, written on a worker."""
        app = self.app
        folder, scene, source = self.save_folder(), store_to_scene(app.store), app.stage.source_pixels
        # The frame is read back through a pixel buffer (the frame goes on) and written on a worker.
        saving = lambda pixels: app.workers.submit(lambda job: save_frame(folder, pixels, scene, source))  # noqa: E731
        if not app.stage.read_output_later(saving):
            app.report("nothing to save yet", error=True)

    def start_recording(self, path: Path | None = None) -> None:
        try:
            path = self.app.stage.start_recording(path or recording_path(self.save_folder()))
        except ShaderlabError as exc:
            self.app.report(str(exc), error=True)
            return
        self.app.report(f"recording to {path}")

    def stop_recording(self, wait: bool = False) -> dict[str, int] | None:
        stopped = self.app.stage.stop_recording(wait)
        if stopped is None:
            return None
        self.app.report(stopped[0])
        return stopped[1]

