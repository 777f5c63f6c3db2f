"""The window: hello_imgui owns the GLFW window and the loop; this file wires the callbacks.

Frame order (all on the main thread, which alone touches GL):
drain the worker inbox → render the chain into textures → draw the output behind the panel →
imgui draws the panel on top. Loading, saving and file watching run on worker threads.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
import json
import queue
import sys
import time
from pathlib import Path
from typing import Any

# imgui_bundle first: it points the glfw package at the GLFW library its window uses.
from imgui_bundle import glfw_utils, hello_imgui  # isort: skip
import glfw  # noqa: E402
import moderngl  # noqa: E402
import numpy as np  # noqa: E402

from shaderlab.app.effects import ChainEffects
from shaderlab.app.fullscreen import Fullscreen
from shaderlab.app.image_inputs import ImageInputs, InputImageReady
from shaderlab.app.model_controls import ModelControls
from shaderlab.app.models import ModelAnswer
from shaderlab.app.recording import Recorder, recording_path
from shaderlab.app.messages import (
    DepthReady, ImageReady, JobFailed, Message, Saved, ShaderChanged, ShaderRemoved, ShaderTried,
)
from shaderlab.app.pointer import Pointer
from shaderlab.app.saving import save_frame, write_screenshot
from shaderlab.app.selections import Selections
from shaderlab.app.session import Session
from shaderlab.app.shelf import EffectRead, ShaderShelf, ShelfListed
from shaderlab.app.commands import CommandHandler
from shaderlab.app.keys import Keys
from shaderlab.app.sorting import SortController, sort_settings
from shaderlab.app.stats import FrameStats
from shaderlab.app.trials import Trials
from shaderlab.app.workers import ShaderWatcher, Workers
from shaderlab.errors import ShaderlabError
from shaderlab.gl.context import max_texture_size
from shaderlab.gl.crossfade import Crossfade
from shaderlab.gl.display import Display
from shaderlab.gl.surface import upload, upload_depth
from shaderlab.isf.header import EffectSpec
from shaderlab.library import EffectLibrary
from shaderlab.render.chain import DEPTH_IMAGE, Chain
from shaderlab.render.clock import FixedClock, FrameTime, WallClock
from shaderlab.render.programs import ProgramCache
from shaderlab.render.renderer import read_texture
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT
from shaderlab.scene import Scene, load_scene
from shaderlab.show.commands import Command
from shaderlab.show.settings import CROSSFADE, SORT_AUTO, app_settings
from shaderlab.show.store import Store
from shaderlab.ui.panel import Panel

#: Frames left out of --stats at the start, while drivers and caches warm up.
WARMUP_FRAMES = 10


class ShaderlabWindow:
    def __init__(self, scene: Scene, options: argparse.Namespace, clock: WallClock | FixedClock | None = None):
        self.options = options
        self.initial_scene = scene
        self.library = EffectLibrary(options.shaders)
        self.session = Session()
        self.inbox: queue.Queue[Message] = queue.Queue()
        self.workers = Workers(self.inbox)
        self.watcher = ShaderWatcher(self.library.dirs, self.inbox)
        self.stats = FrameStats()
        # One show clock for the chain, transitions and fades: wall time here, fixed steps where
        # a test or a render injects a FixedClock.
        self.clock = clock or WallClock()
        self.now = FrameTime()  # this frame's time, from the clock
        self.trials = Trials(self.inbox.put, getattr(options, "frame_timeout", DEFAULT_FRAME_TIMEOUT), self.library.dirs[1:])
        self.effects = ChainEffects(self)
        self.save_dir: Path = options.save_dir
        self.show_panel = not options.hide_panel
        self.frames_rendered = 0
        self.exit_code = 0
        self._source_job = 0
        self._source: moderngl.Texture | None = None
        self._depth: moderngl.Texture | None = None
        self._source_pixels: np.ndarray | None = None  # the decoded source, for models
        self._fade: tuple[moderngl.Texture, float] | None = None  # the old picture, fade start
        self._depth_job = 0
        self._output: moderngl.Texture | None = None
        self.sorter: SortController | None = None
        self.estimator = None  # an ONNX depth model, when --depth-model names one
        self.recorder: Recorder | None = None
        self.controls = ModelControls(self)
        # The show's values, so far its settings (the chain's values move here next): one
        # write path for the panel, keys and any later controller.
        self.store = Store(settings=app_settings(self._sort_spec()))
        self.commands = CommandHandler(self)
        self.keys = Keys(self.inbox.put)
        self.pointer = Pointer(self)
        self.selections = Selections(self.session, self.spec)
        self.image_inputs = ImageInputs(self)
        self.shelf = ShaderShelf(self)
        self.panel = Panel(self)

    # --- hello_imgui callbacks -------------------------------------------------------------

    def post_init(self) -> None:
        self.ctx = moderngl.create_context()
        self.screen = self.ctx.detect_framebuffer()
        self.max_side = max_texture_size(self.ctx)
        self.programs = ProgramCache(self.ctx, self.library)
        self.chain = Chain(self.ctx)
        self.display = Display(self.ctx)
        self.crossfade = Crossfade(self.ctx)
        self.window = glfw_utils.glfw_window_hello_imgui()
        self.fullscreen = Fullscreen(self.window, self.options.fullscreen, tuple(self.options.size))
        glfw.set_drop_callback(self.window, self._on_drop)
        # Before the first frame: read and compile every effect once, then watch for changes.
        self.watcher.scan()
        self._drain()
        self.watcher.start()
        try:
            self.sorter = SortController(self.programs.compile(self.spec("pixelsort")))
            self.store.set(SORT_AUTO, bool(self.options.auto_sort))
        except ShaderlabError as exc:
            self.report(f"arrow-key sorting is off: {exc}", error=True)
        try:
            self.session.apply_scene(self.initial_scene, self.spec)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
        self.controls.load(getattr(self.options, "models", None))
        if self.options.shaders:
            self.shelf.open(self.options.shaders[0])
        if getattr(self.options, "depth_model", None) is not None:
            from shaderlab.models.onnx_depth import OnnxDepth

            try:
                self.estimator = OnnxDepth(self.options.depth_model, self.options.depth_preset)
            except ShaderlabError as exc:
                self.report(f"{exc}; using the built-in depth estimate", warning=True)
        self.session.depth = self.initial_scene.depth
        self.session.depth_invert = self.initial_scene.depth_invert
        if self.initial_scene.image is not None:
            self.open_image(self.initial_scene.image)

    def frame(self) -> None:
        """custom_background: the show itself, drawn behind the panel."""
        self._drain()
        sort_request = self.commands.take_sort_request()  # this frame's, or dropped with it
        if self._source is None and getattr(self.options, "generate", None):
            kind, self.options.generate = self.options.generate, None
            self.controls.generate(kind, None, seed=0)
        if self._source is None:  # nothing decoded yet, or the image could not be used
            self.screen.use()
            self.ctx.clear(0.06, 0.06, 0.07, 1.0)
        else:
            # The show's time ticks with the frames the chain renders: TIME and FRAMEINDEX are 0
            # on the first picture's first frame, as ISF asks (effects start buffers there).
            self.now = self.clock.tick()
            values = self.store.resolve(self.now.time)
            picture = self._source
            if self.sorter is not None:
                try:
                    self.sorter.settings = sort_settings(values)
                except ShaderlabError as exc:  # a header declaring what the sorter cannot do
                    self._report_once(str(exc))
                self.sorter.frame(self._source, *sort_request, self._depth)
                picture = self.sorter.texture(self._source)
            picture = self._fading(picture)
            try:
                images = {DEPTH_IMAGE: self._depth} if self._depth is not None else {}
                steps = self.effects.steps(self.now.time)
                self.pointer.feeds_mouse = any(getattr(s.effect, "uses_mouse", bool)() for s in steps)
                frame = replace(self.now, mouse=self.pointer.shadertoy_mouse)
                self._output = self.chain.run(picture, steps, picture.size, frame, images)
            except ShaderlabError as exc:  # a value the effect cannot use: say so, show the picture
                self._report_once(str(exc))
                self._output = picture
            size = glfw.get_framebuffer_size(self.window)
            self.display.draw(self.screen, self._output, size, self.pointer.placement(self._output.size))
            if self.recorder is None and getattr(self.options, "record", None):
                self.options.record, path = None, self.options.record
                self.start_recording(path)
            if self.recorder is not None:
                try:
                    self.recorder.frame(self._output)
                except ShaderlabError:  # the writer failed: stopping it reports why
                    self.stop_recording()
            self.controls.tick()
            self.shelf.tick(self._source)
            every = getattr(self.options, "fetch_depth_every", None)
            if every and self.controls.models and self.frames_rendered % every == 0:
                self.controls.request_depth(next(iter(self.controls.models)))
        # imgui draws into whatever framebuffer is bound: leave it the window's.
        self.screen.use()
        self.stats.frame(time.perf_counter())  # real intervals, whatever clock the show runs on
        self.store.end_frame()
        self.frames_rendered += 1
        if self.options.frames and self.frames_rendered >= self.options.frames + WARMUP_FRAMES:
            hello_imgui.get_runner_params().app_shall_exit = True

    def gui(self) -> None:
        self.keys.update()
        if self.show_panel:
            self.panel.draw()
        self.pointer.update()

    def before_exit(self) -> None:
        if self.options.screenshot:
            try:
                write_screenshot(self.options.screenshot, hello_imgui.final_app_window_screenshot())
            except ShaderlabError as exc:  # one line: exists already, cannot write (why)
                self.report(str(exc), error=True)
        recording = self.stop_recording(wait=True)
        self.controls.close()
        if self.options.stats:
            summary = {"frames": self.frames_rendered, **self.stats.summary(WARMUP_FRAMES)}
            if recording is not None:
                summary["recording"] = recording
            summary["window"] = list(glfw.get_framebuffer_size(self.window))
            print(json.dumps(summary), flush=True)
        self.watcher.stop()
        self.trials.close()  # a trial under way ends now, not after its time limit
        self.workers.shutdown()
        self._drain()
        self.chain.release()
        self.shelf.release()
        self.image_inputs.release()
        if self.sorter is not None:
            self.sorter.release()
        self.programs.release()
        self.display.release()
        self.crossfade.release()
        if self._fade is not None:
            self._fade[0].release()
        for texture in (self._source, self._depth):
            if texture is not None:
                texture.release()

    # --- actions (panel and keys call these) ---------------------------------------------

    @property
    def specs(self) -> dict[str, EffectSpec]:
        return self.effects.specs

    def spec(self, name: str) -> EffectSpec:
        return self.effects.spec(name)

    def add_effect_spec(self, path: Path, spec: EffectSpec) -> None:
        self.effects.add(path, spec)

    def _report_once(self, text: str) -> None:
        """Errors that would repeat every frame are reported when they first appear."""
        notes = self.session.notes
        if not notes or notes[-1].text != text:
            self.report(text, error=True)

    def report(self, text: str, error: bool = False, warning: bool = False) -> None:
        """A line for the panel and for the terminal: an error, a warning (the show goes on as
        asked, with something to know) or a note."""
        self.session.say(text, error, warning and not error)
        prefix = "error: " if error else "warning: " if warning else ""
        print(f"shaderlab: {prefix}{text}", file=sys.stderr, flush=True)

    def _sort_spec(self) -> EffectSpec | None:
        """pixelsort.native's header, which declares the sort settings (a broken override in a
        user folder: no sort settings, said once, and the show goes on)."""
        try:
            return self.library.spec("pixelsort")
        except ShaderlabError as exc:
            self.report(f"arrow-key sorting is off: {exc}", error=True)
            return None

    def output_size(self) -> tuple[int, int]:
        """The size the chain renders at: the picture's."""
        return tuple(self._source.size) if self._source is not None else tuple(self.options.size)

    def open_image(self, path: Path) -> None:
        self._source_job = self.workers.load_image(Path(path), self.max_side)
        self.report(f"loading {path}")

    def load_scene_file(self, path: Path) -> None:
        try:
            scene = load_scene(path)
            self.session.apply_scene(scene, self.spec)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
            return
        self.selections.clear()
        self.report(f"opened scene {path}")
        self.session.depth, self.session.depth_invert = scene.depth, scene.depth_invert
        if scene.image is not None:
            self.open_image(scene.image)

    def save_scene_file(self, path: Path) -> None:
        from shaderlab.scene import save_scene

        try:
            save_scene(self.session.to_scene(), path)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
            return
        self.report(f"saved scene {path}")

    def _fading(self, picture: moderngl.Texture) -> moderngl.Texture:
        if self._fade is None:
            return picture
        before, start = self._fade
        amount = (self.now.time - start) / max(self.store.get(CROSSFADE), 1e-6)
        if amount >= 1.0:
            before.release()
            self._fade = None
            return picture
        return self.crossfade.blend(before, picture, amount)

    def _set_source(
        self, pixels: np.ndarray, label: Path, fade: bool = False, depth: tuple[Path | None, bool] = (None, False)
    ) -> None:
        """The new source: uploaded, the sort restarted, its depth asked for (``depth``: a
        file and whether it is inverted; None estimates it), the shader folder redrawn."""
        if fade and self.store.get(CROSSFADE) > 0 and self._output is not None:  # 0: a cut
            if self._fade is not None:
                self._fade[0].release()
            # What is on screen now, kept as the picture to fade from.
            self._fade = (upload(self.ctx, read_texture(self._output, self._output.size)), self.now.time)
            self._source = None  # a new texture: the old one may be the picture being faded
        self._source = upload(self.ctx, pixels, self._source)
        self._source_pixels = pixels
        self.session.source = label
        if self.sorter is not None:
            self.sorter.reset()
        self._depth_job = self.workers.load_depth(*depth, pixels, self.estimator)
        self.shelf.stale()
        self.report(f"showing {label} ({pixels.shape[1]}×{pixels.shape[0]})")

    def start_recording(self, path: Path | None = None) -> None:
        if self._output is None:
            self.report("nothing to record yet", error=True)
            return
        try:
            self.recorder = Recorder(path or recording_path(self.save_dir), self._output.size)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
            return
        self.report(f"recording to {self.recorder.path}")

    def stop_recording(self, wait: bool = False) -> dict[str, int] | None:
        """The writer finishes the file on its own thread and posts Saved or JobFailed."""
        if self.recorder is None:
            return None
        recorder, self.recorder = self.recorder, None
        self.report(recorder.stop(self.inbox.put))
        if wait:  # at exit only: the file must be complete before the process ends
            recorder.wait()
        return {"recorded": recorder.recorded, "dropped": recorder.dropped}

    def use_output_as_source(self) -> None:
        """Bake: what is on screen becomes the source, and the chain is switched off."""
        if self._output is None:
            return
        pixels = read_texture(self._output, self._output.size)
        for entry in self.session.entries:
            entry.enabled = False
        self.selections.clear()
        self._set_source(pixels, Path("baked.png"))

    def save_output(self) -> None:
        """Key S / Save: read the output on this thread, encode and write on a worker."""
        if self._output is None or self._source is None:
            self.report("nothing to save yet", error=True)
            return
        pixels = read_texture(self._output, self._output.size)
        folder, scene, source = self.save_dir, self.session.to_scene(), self._source_pixels
        self.workers.submit(lambda job: save_frame(folder, pixels, scene, source))

    # --- internals ---------------------------------------------------------------------------

    def _drain(self) -> None:
        """Take every waiting message without blocking."""
        while True:
            try:
                message = self.inbox.get_nowait()
            except queue.Empty:
                return
            self._handle(message)

    def _handle(self, message: Message | Command) -> None:
        if isinstance(message, Command):  # from the keys, the panel, the pointer, any thread
            self.commands.apply(message)
        elif isinstance(message, ImageReady):
            if message.job != self._source_job:
                return  # an older request finished after a newer one: drop it
            for warning in message.warnings:
                self.report(warning, warning=True)
            self._set_source(message.pixels, message.path, depth=(self.session.depth, self.session.depth_invert))
        elif isinstance(message, ModelAnswer):
            if message.job != self.controls.job:
                return  # stale: a newer request was made
            if message.kind == "depth":
                self._depth = upload_depth(self.ctx, message.array, self._depth)
                self.report(f"depth from {message.model} ({message.seconds * 1000:.0f} ms from request to texture)")
            else:  # a generated or an enhanced picture
                label = f"{message.model}-enhanced.png" if message.kind == "enhance" else f"{message.model}.png"
                self._set_source(message.array, Path(label), fade=True)
        elif isinstance(message, DepthReady):
            if message.job == self._depth_job:
                self._depth = upload_depth(self.ctx, message.depth, self._depth)
                self.report(f"depth: {message.origin}")
        elif isinstance(message, ShelfListed):
            self.shelf.on_listed(message)
        elif isinstance(message, EffectRead):
            self.effects.add(message.path, message.spec)
        elif isinstance(message, InputImageReady):
            self.image_inputs.on_loaded(message)
        elif isinstance(message, ShaderChanged):
            self.effects.changed(message)
        elif isinstance(message, ShaderTried):
            self.effects.tried(message)
        elif isinstance(message, ShaderRemoved):
            self.report(f"{message.path} was removed; its last version keeps running")
        elif isinstance(message, Saved):
            self.report("saved " + " and ".join(str(p) for p in message.paths))
        elif isinstance(message, JobFailed):
            self.report(message.message, error=True)

    def _on_drop(self, _window: Any, paths: list[str]) -> None:
        if paths:
            self.open_image(Path(paths[0]))

