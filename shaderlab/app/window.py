"""The window: hello_imgui owns the GLFW window and the loop; this file wires its callbacks.

Each frame, on the main thread (the only one that touches GL): drain the inbox and carry out
its commands and messages (app/dispatch.py) → resolve the store at the show's time → render
the stage → draw the panel over it. The show's state is the store (show/), its GL the stage
(stage/); the panel (ui/) reads both and only sends commands.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

# imgui_bundle first: it points the glfw package at the GLFW library its window uses.
from imgui_bundle import glfw_utils, hello_imgui  # isort: skip
import glfw  # noqa: E402
import moderngl  # noqa: E402

from shaderlab.app.cues import CuePlayer
from shaderlab.app.dispatch import Dispatch
from shaderlab.app.fullscreen import Fullscreen
from shaderlab.app.keys import Keys
from shaderlab.app.model_controls import ModelControls
from shaderlab.app.pointer import Pointer, framebuffer_size
from shaderlab.app.saving import write_screenshot
from shaderlab.app.output import monitor_names
from shaderlab.app.outputs import Outputs
from shaderlab.app.sound import Sound
from shaderlab.app.stats import FrameStats
from shaderlab.app.workers import ShaderWatcher, Workers
from shaderlab.control.surfaces import start_surfaces
from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import EffectSpec
from shaderlab.library import EffectLibrary
from shaderlab.render.clock import FixedClock, FrameTime, WallClock
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT
from shaderlab.scene import Scene
from shaderlab.show.commands import Command, LoadSet, OpenShelf
from shaderlab.show.messages import Message
from shaderlab.show.scenes import scene_to_store
from shaderlab.show.settings import SAVE_FOLDER, SORT_AUTO, app_settings
from shaderlab.show.status import ShowStatus
from shaderlab.show.store import Store
from shaderlab.stage.stage import Stage
from shaderlab.stage.trials import Trials
from shaderlab.ui.panel import Panel

#: Frames left out of --stats at the start, while drivers and caches warm up.
WARMUP_FRAMES = 10


class ShaderlabWindow:
    def __init__(self, scene: Scene, options: argparse.Namespace, clock: WallClock | FixedClock | None = None):
        self.options = options
        self.initial_scene = scene
        self.library = EffectLibrary(options.shaders)
        # One inbox for every thread's messages and every surface's commands (a lock-free
        # SimpleQueue: a controller may post thousands a second).
        self.inbox: queue.SimpleQueue[Message | Command] = queue.SimpleQueue()
        self.workers = Workers(self.inbox)
        self.watcher = ShaderWatcher(self.library.dirs, self.inbox)
        self.trials = Trials(self.inbox.put, getattr(options, "frame_timeout", DEFAULT_FRAME_TIMEOUT), self.library.dirs[1:])
        # The show's state: one write path for the panel, keys, pointer and any controller.
        # pixelsort.native declares the sort settings; a broken override in a user folder means
        # no sort settings, said once (the show goes on).
        try:
            sort_spec, sort_error = self.library.spec("pixelsort"), None
        except ShaderlabError as exc:
            sort_spec, sort_error = None, exc
        self.store = Store(spec_of=self._spec, settings=app_settings(sort_spec))
        if sort_error is not None:
            self.report(f"arrow-key sorting is off: {sort_error}", error=True)
        try:
            self.store.set(SAVE_FOLDER, str(options.save_dir))
        except ShaderlabError as exc:  # a name the setting cannot hold: said, and the current folder
            self.report(f"--save-dir: {exc}", error=True)
        # One show clock for the chain, transitions and fades: wall time here, fixed steps where
        # a test or a render injects a FixedClock.
        self.clock = clock or WallClock()
        self.now = FrameTime()  # this frame's time, from the clock
        self.resolved: dict = {}  # what this frame rendered, by address
        self.stats = FrameStats()
        self.keys = Keys(self.inbox.put)
        self.panel = Panel(self.store, self.inbox.put, options.shaders[0] if options.shaders else None)
        self.cues = CuePlayer(self)  # the set (its commands join the dispatch table)
        self.dispatch = Dispatch(self)
        self.show_panel = not options.hide_panel
        self.performance = False  # performance mode: the panel shows only what a show needs
        self.outputs = Outputs(self)  # the output window, sharing, the show log (app/outputs.py)
        self.frames_rendered = 0
        self.exit_code = 0

    # --- hello_imgui callbacks -------------------------------------------------------------

    def post_init(self) -> None:
        self.ctx = moderngl.create_context()
        self.screen = self.ctx.detect_framebuffer()
        self.stage = Stage(self.ctx, self.library, self.store, self.trials, self.workers.submit, self.inbox.put, self.report,
                           compute=self.options.compute)
        self.controls = ModelControls(self.stage, self.inbox, self.report,
                                      lambda pixels, label: self.dispatch.new_source(pixels, label, fade=True))
        self.window = glfw_utils.glfw_window_hello_imgui()
        self.fullscreen = Fullscreen(self.window, self.options.fullscreen, tuple(self.options.size))
        self.pointer = Pointer(self.inbox.put, lambda: self.panel.width if self.show_panel else 0.0)
        glfw.set_drop_callback(self.window, self._on_drop)
        self.outputs.start(self.window)  # the output window, its resolution
        # Before the first frame: read and compile every effect once, then watch for changes.
        self.watcher.scan()
        self.dispatch.drain()
        self.watcher.start()
        try:
            self.stage.start_sorting(self.library.spec("pixelsort"))
            self.store.set(SORT_AUTO, bool(self.options.auto_sort))
        except ShaderlabError as exc:
            self.report(f"arrow-key sorting is off: {exc}", error=True)
        try:
            scene_to_store(self.initial_scene, self.store)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
        self.controls.load(getattr(self.options, "models", None), getattr(self.options, "depth_model", None),
                           getattr(self.options, "depth_preset", None))
        if self.options.shaders:
            self.inbox.put(OpenShelf(self.options.shaders[0]))
        if getattr(self.options, "camera", None) is not None:
            self.dispatch.media.open_live("camera:" + self.options.camera)
        elif getattr(self.options, "ndi_in", None):
            self.dispatch.media.open_live("ndi:" + self.options.ndi_in)
        elif self.initial_scene.image is not None:
            self.dispatch.open_image(self.initial_scene.image, self.store.session.cue_points)
        # OSC, OSCQuery, MIDI: threads that send commands and hear what changed.
        self.hub = start_surfaces(self.store, self.inbox.put, self.options, self.report)
        self.sound = Sound(self.inbox.put, self.report)  # a file, a sound input, or nothing
        self.sound.start(self.options)
        if getattr(self.options, "set", None) is not None:
            self.inbox.put(LoadSet(self.options.set))
    def frame(self) -> None:
        """custom_background: the show itself, drawn behind the panel."""
        self.dispatch.drain()
        sort_request = self.dispatch.take_sort_request()  # this frame's, or dropped with it
        stage, options = self.stage, self.options
        music = self.dispatch.music
        if music.audio is not None:  # ISF audio inputs hear the newest hop
            stage.chain.hear(music.audio.waveform, music.audio.fft)
            music.audio = None
        if stage.source is None and stage.arriving is not None:
            stage.tick_moving(0.0, {})  # a clip or camera opened first: waiting for its first frame
        if stage.source is None and getattr(options, "generate", None):
            kind, options.generate = options.generate, None
            self.controls.generate(kind, None, seed=0)
        if stage.source is not None:
            # The show's time ticks with the frames the chain renders: TIME and FRAMEINDEX are 0
            # on the first picture's first frame, as ISF asks (effects start buffers there).
            now = self.clock.tick()
            music.follow_link(now.time)  # the Link session's beat at this very moment
            self.cues.frame(now.time)  # a cue whose beat has come launches on this frame
            beat = self.store.beat(now.time)
            self.sound.lead(self.store.tempo.lead)  # the latency offset, as the render reads it
            self.now = replace(now, tempo=(beat.bpm, beat.beat, beat.beat_phase, beat.bar_phase))
            self.resolved = self.store.resolve(self.now.time)
            stage.render(self.resolved, self.now, sort_request, self.pointer.shadertoy_mouse)
            self.dispatch.media.frame_shown()  # a moving picture's depth, estimated again
            self.dispatch.end_transitions(self.now.time)  # after their last frame rendered 1.0
            music.fire_triggered(self.now.time)  # commands a kick or a bar line fires
            self.pointer.feeds_mouse = stage.feeds_mouse
            if stage.recorder is None and getattr(options, "record", None):
                options.record, path = None, options.record
                self.dispatch.start_recording(path)
            stage.record_frame(self.frames_rendered)
            self.outputs.frame(sort_request)
            every = getattr(options, "fetch_depth_every", None)
            if every and self.controls.models and self.frames_rendered % every == 0:
                self.controls.request_depth(next(iter(self.controls.models)))
        output = stage.output_size()
        preview = self.outputs.window is not None  # with its own output window this one previews the live picture
        drawn = (stage.output if preview else stage.shown) if output else None
        stage.draw(self.screen, framebuffer_size(), self.pointer.placement(drawn.size) if drawn is not None else None,
                   preview=preview)
        self.outputs.show()
        self.screen.use()  # imgui draws into whatever framebuffer is bound: leave it the window's
        self.stats.frame(time.perf_counter())  # real intervals, whatever clock the show runs on
        self.store.end_frame()
        self.frames_rendered += 1
        if options.frames and self.frames_rendered >= options.frames + WARMUP_FRAMES:
            hello_imgui.get_runner_params().app_shall_exit = True

    def gui(self) -> None:
        self.keys.update()
        if self.show_panel:
            self.panel.draw(self.status())
        self.pointer.update(self.stage.output.size if self.stage.output is not None else None)

    def before_exit(self) -> None:
        if self.options.screenshot:
            try:
                write_screenshot(self.options.screenshot, hello_imgui.final_app_window_screenshot())
            except ShaderlabError as exc:  # one line: exists already, cannot write (why)
                self.report(str(exc), error=True)
        recording = self.dispatch.stop_recording(wait=True)  # its last frames read back go in first
        self.stage.collect_readbacks(all_now=True)  # a save asked for in the last frames
        self.controls.close()
        if self.options.stats:
            summary = {"frames": self.frames_rendered, **self.stats.summary(WARMUP_FRAMES)}
            if recording is not None:
                summary["recording"] = recording
            summary["window"] = list(glfw.get_framebuffer_size(self.window))
            print(json.dumps(summary), flush=True)
        self.hub.close()
        self.outputs.close()
        self.sound.close()
        self.watcher.stop()
        self.trials.close()  # a trial under way ends now, not after its time limit
        self.workers.shutdown()
        self.dispatch.drain(closing=True)
        self.stage.release()

    # --- what the rest of the app asks ---------------------------------------------------------

    def status(self) -> ShowStatus:
        """What the panel shows besides the store, as plain values."""
        stage = self.stage
        output = stage.output.size if stage.output is not None else None
        return ShowStatus(
            output_size=output,
            view_zoom=self.pointer.view.current_scale(output, self.pointer.area()) if output else 1.0,
            sorting=stage.sorter is not None,
            recording=stage.recording(),
            shader_errors=tuple(stage.programs.errors.values()),
            effect_names=tuple(sorted(stage.effects.specs)),
            shelf_folder=stage.shelf.folder,
            shelf=stage.shelf.status(),
            models=self.controls.status(),
            frame_times=self.stats.recent(),
            surfaces=self.hub.describe() + self.sound.describe() + self.outputs.describe(),
            monitors=monitor_names(),
            output_open=self.outputs.window is not None,
            audio_inputs=self.sound.inputs if self.sound.listed else None,
            audio_playing=self.sound.playing,
            tempo=self.now.tempo,
            modulated={r.address: self.resolved.get(r.address) for r in self.store.modulation.routes},
            routes={a: tuple(r.saved() for r in self.store.modulation.on(a)) for a in
                    {r.address for r in self.store.modulation.routes}},
            performance=self.performance,
            moving=(stage.arriving or stage.moving).status() if (stage.arriving or stage.moving) else None,
            show_log=self.outputs.show_log.path if self.outputs.show_log else None,
            cues=tuple(cue.name for cue in self.cues.set.cues),
            cue_current=self.cues.set.current,
            cue_pending=self.cues.pending_index,
            cue_thumbnails=self.cues.thumbnails_in_order(),
            set_path=self.cues.set.path,
            gesture_recording=self.store.modulation.recording.address if self.store.modulation.recording else None,
            midi_learning=self.hub.midi.status.learning if self.hub.midi else None,
            midi_mappings=self.hub.midi.status.mappings if self.hub.midi else None,
            midi_options=self.hub.midi.status.options if self.hub.midi else (),
            midi_ports=self.hub.midi.status.available if self.hub.midi else ((), ()),
            midi_playing=(self.hub.midi.status.inputs, self.hub.midi.status.output) if self.hub.midi else ("", ""),
        )

    def report(self, text: str, error: bool = False, warning: bool = False) -> None:
        """A line for the panel and for the terminal: an error, a warning (the show goes on as
        asked, with something to know) or a note."""
        self.store.session.say(text, error, warning and not error)
        prefix = "error: " if error else "warning: " if warning else ""
        print(f"shaderlab: {prefix}{text}", file=sys.stderr, flush=True)

    def _spec(self, name: str) -> EffectSpec:
        return self.stage.effects.spec(name)

    def _on_drop(self, _window: Any, paths: list[str]) -> None:
        if paths:
            self.dispatch.open_image(Path(paths[0]))
