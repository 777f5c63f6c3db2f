"""The dispatch table: what the app does with each command and each worker message, whichever
surface sent it (keys, panel, pointer; later MIDI and OSC) — one handler a type, applied on the
GL thread as the frame starts.

Commands that change values (show/commands.py's store commands) go to the show's store, the
one write path: a mistake there is one line in the panel, and the show goes on.
"""

from __future__ import annotations

import math
import queue
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from imgui_bundle import hello_imgui

from shaderlab.app.saving import save_frame
from shaderlab.control.namespace import commands_for
from shaderlab.errors import ShaderlabError
from shaderlab.library import prepare_code, read_effect
from shaderlab.show import commands as c
from shaderlab.show import messages as m
from shaderlab.show.modulators import Transition
from shaderlab.show.scenes import load_store, store_to_scene
from shaderlab.show.selections import Selections, pick_network
from shaderlab.show.modulation import CommandTrigger, Route
from shaderlab.show.settings import (AUDIO_TEMPO, BPM, CROSSFADE, LINK, MODULATORS, SAVE_FOLDER, SORT_AUTO,
                                     TEMPO_SOURCE)
from shaderlab.show.tempo import HeardTempo, TapTempo, follow_link
from shaderlab.show.slots import chain_address
from shaderlab.stage.recording import recording_path

if TYPE_CHECKING:
    import numpy as np

    from shaderlab.app.window import ShaderlabWindow


class Dispatch:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.selections = Selections(app.store)
        #: This frame's sorting asked for: (direction, fully), taken by the frame.
        self.sort_request: tuple[str, bool] | None = None
        self.transitions: list[Transition] = []
        self.taps = TapTempo()
        self.heard_tempo = HeardTempo()
        self.link_beat: m.LinkBeat | None = None  # the Link session's newest reading, for the next frame
        self.audio = None  # the newest live audio features, for the stage's textures
        self._source_job = 0
        self._depth_job = 0
        self._handlers: dict[type, Callable[[Any], None]] = {
            # commands
            c.Quit: lambda _: setattr(hello_imgui.get_runner_params(), "app_shall_exit", True),
            c.SaveOutput: lambda _: self.save_output(),
            c.TogglePanel: lambda _: setattr(app, "show_panel", not app.show_panel),
            c.ToggleFullscreen: lambda _: app.fullscreen.toggle(),
            c.ViewFit: lambda _: app.pointer.view.fit(),
            c.ViewActualSize: lambda _: app.stage.output_size() and app.pointer.view.actual_size(app.stage.output_size()),
            c.SortStep: lambda cmd: setattr(self, "sort_request", (cmd.direction, cmd.full)),
            c.SortReset: lambda _: app.stage.sorter is not None and app.stage.sorter.reset(),
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
            c.TapTempo: self._tap,
            c.NudgeBeat: lambda cmd: app.store.tempo.nudge(float(cmd.beats), app.now.time),
            c.Resync: lambda _: app.store.tempo.resync(app.now.time),
            c.Transport: self._transport,
            c.Modulate: self._modulate,
            c.Unmodulate: lambda cmd: app.store.modulation.remove(cmd.address),
            c.Trigger: lambda cmd: app.store.modulation.trigger(cmd.name, cmd.gate),
            c.Panic: self._panic,
            c.CueGo: lambda _: app.cues.go(),
            c.CueBack: lambda _: app.cues.back(),
            c.CueJump: lambda cmd: app.cues.jump(int(cmd.number) - 1),
            c.LoadSet: lambda cmd: app.cues.load(Path(cmd.path)),
            c.SaveSet: lambda cmd: app.cues.save(Path(cmd.path) if cmd.path else None),
            c.CaptureCue: lambda cmd: app.cues.capture(cmd.name),
            c.MoveCue: lambda cmd: app.cues.move(int(cmd.number) - 1, int(cmd.offset)),
            c.RemoveCue: lambda cmd: app.cues.remove(int(cmd.number) - 1),
            c.TogglePerformance: lambda _: setattr(app, "performance", not app.performance),
            c.RecordGesture: self._record_gesture,
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
            m.JobFailed: lambda msg: app.report(msg.message, error=True),
            m.AudioHeard: self._heard,
            m.LinkBeat: self._link_beat,
            m.AudioInputs: lambda msg: app.sound.listed_inputs(msg),
            m.AudioSwitched: lambda msg: app.sound.switched(msg),
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

    def _transport(self, command: c.Transport) -> None:
        tempo, now = self.app.store.tempo, self.app.now.time
        if command.action == "start":
            tempo.start(now, from_beat=0.0)
        elif command.action == "continue":
            tempo.start(now)
        elif command.action == "stop":
            tempo.stop(now)
        elif command.action == "position":
            tempo.place(command.beat, now)

    def _heard(self, message: m.AudioHeard) -> None:
        """The live audio's newest hop: followers and onsets now, textures once a frame."""
        features = message.features
        self.audio = features
        onsets = {band for band, on in features.onsets.items() if on}
        store = self.app.store
        store.modulation.hear({**features.levels, "level": features.level}, onsets)
        if store.get(TEMPO_SOURCE) != AUDIO_TEMPO:
            return
        if features.tempo is not None:  # once a second: taken only when sure and steady
            bpm = self.heard_tempo.estimate(*features.tempo, current=store.tempo.bpm)
            if bpm is not None:
                store.set(BPM, bpm, clamp=True, origin="audio")
                self.app.report(f"tempo {bpm:.1f} BPM (heard, {self.heard_tempo.confidence:.0%} sure)")
        if "bass" in onsets:
            self.heard_tempo.onset(store.tempo, self.app.now.time)

    def _modulate(self, command: c.Modulate) -> None:
        route = dict(command.route)
        if not str(route.get("address", "")).startswith("/"):
            self.app.store.modulation.add(Route.loaded(route))
            return
        trigger = CommandTrigger.loaded(route)
        commands_for(self.app.hub.namespace, trigger.address, list(trigger.args))  # a wrong one: one line now
        self.app.store.modulation.add_command(trigger)

    def fire_triggered(self, t: float) -> None:
        """The commands whose trigger fired in this frame, carried out at once (after the render,
        as a key pressed now would be)."""
        for trigger in self.app.store.modulation.fired(t):
            try:
                for command in commands_for(self.app.hub.namespace, trigger.address, list(trigger.args), "trigger"):
                    self.handle(command)
            except ShaderlabError as exc:
                self.app.report(str(exc), error=True)

    def _panic(self, _: c.Panic) -> None:
        """Back to a known state at once; blackout, freeze and the test card stay as they are
        (they are the performer's safety, not the show's trouble)."""
        app, store = self.app, self.app.store
        app.stage.chain.release_instances()  # feedback buffers start again from nothing
        app.stage.finish.panic()
        if app.stage.sorter is not None:
            app.stage.sorter.reset()
        for address, value in ((SORT_AUTO, False), (MODULATORS, False)):
            if store.addresses(address):
                store.set(address, value)
        store.modulation.recording = None
        self.end_transitions()
        app.cues.pending = None
        app.cues.restore()  # back to the current cue's values
        app.report("panic: feedback cleared, auto sort and modulators off (Modulators on brings them back)",
                   warning=True)

    def _record_gesture(self, command: c.RecordGesture) -> None:
        self.app.store.modulation.record(command.address, int(command.bars), self.app.now.time)
        bars = f"{command.bars} bar{'s' if command.bars > 1 else ''}"
        self.app.report(f"{command.address}: recording {bars} of the hand from the next bar line")

    def _link_beat(self, message: m.LinkBeat) -> None:
        """The Link session's newest reading: the clock follows it once the frame's time is known."""
        self.link_beat = message

    def follow_link(self, t: float) -> None:
        """Place the clock on the Link session's beat at this frame's moment ``t`` (just ticked)."""
        message, self.link_beat = self.link_beat, None
        if message is not None and self.app.store.get(TEMPO_SOURCE) == LINK:
            follow_link(self.app.store.tempo, round(message.bpm, 3), message.beat_at(time.perf_counter()), t)

    def _tap(self, _: c.TapTempo) -> None:
        bpm = self.taps.tap(self.app.now.time)
        if bpm is not None:
            self.app.store.set(BPM, round(bpm, 2), clamp=True)
            self.app.report(f"tempo {bpm:.1f} BPM (tapped)")

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
    def open_image(self, path: Path) -> None:
        self._source_job = self.app.workers.load_image(Path(path), self.app.stage.max_side)
        self.app.report(f"loading {path}")

    def new_source(self, pixels: "np.ndarray", label: Path, fade: bool = False,
                   depth: tuple[Path | None, bool] = (None, False)) -> None:
        """The new source: shown (faded into when asked and the crossfade is on), its depth
        asked for (``depth``: a file and whether it is inverted; None estimates it)."""
        app = self.app
        app.stage.set_source(pixels, app.store.get(CROSSFADE) if fade else 0.0)
        app.store.session.source = label
        self._depth_job = app.workers.load_depth(*depth, pixels, app.controls.estimator)
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
        if message.job != self._source_job:
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
        if message.job == self._depth_job:
            self.app.stage.set_depth(message.depth)
            self.app.report(f"depth: {message.origin}")

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
            self.open_image(scene.image)

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

