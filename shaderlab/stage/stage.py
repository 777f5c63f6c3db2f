"""The stage: all the GL of the live show behind one object, on the GL thread only.

It holds the source and depth textures, the fade from the last picture, the sort canvas, the
chain's output, image inputs, shelf thumbnails and the recorder's frames. Each frame the app
hands it the store's resolved values and the show's time; it renders, draws the output into a
framebuffer, and tells the rest of the app what it holds as plain values (sizes, texture ids).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping

import moderngl
import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.gl.context import max_texture_size
from shaderlab.gl.display import Display
from shaderlab.gl.surface import upload, upload_depth
from shaderlab.isf.header import EffectSpec
from shaderlab.library import EffectLibrary
from shaderlab.render.chain import DEPTH_IMAGE, Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.render.programs import ProgramCache
from shaderlab.render.renderer import needs_depth, read_texture
from shaderlab.show.messages import FeedFrame, Message
from shaderlab.show.settings import CLIP_MODE, CLIP_SPEED
from shaderlab.show.status import Recording
from shaderlab.show.store import Store
from shaderlab.stage.effects import ChainEffects
from shaderlab.stage.finish import Finish, transition_frame
from shaderlab.stage.image_inputs import ImageInputs
from shaderlab.stage.moving import MovingPicture
from shaderlab.stage.readbacks import Readbacks
from shaderlab.stage.recording import Recorder
from shaderlab.stage.shelf import ShaderShelf
from shaderlab.stage.sorting import SortController, sort_settings
from shaderlab.stage.trials import Trials

Report = Callable[..., None]


class Stage:
    def __init__(self, ctx: moderngl.Context, library: EffectLibrary, store: Store, trials: Trials,
                 submit: Callable[[Callable[[int], Any]], int], post: Callable[[Message], None], report: Report,
                 compute: bool = False):
        self.ctx = ctx
        self.post = post
        self.store = store
        self.report = report
        self.max_side = max_texture_size(ctx)
        self.programs = ProgramCache(ctx, library, compute)  # compute: effects as compute shaders (--compute)
        self.chain = Chain(ctx)
        self.cue_chain = Chain(ctx)  # a cue's ISF transition, apart from the show's chain
        self.display = Display(ctx)
        self.finish = Finish(ctx)  # cue fades, freeze, blackout, test card: what the audience sees
        # (0, 0) before there is a picture: effects read then are tried once it has a size.
        self.effects = ChainEffects(library, self.programs, trials, store, report, lambda: self.output_size() or (0, 0))
        self.images = ImageInputs(ctx, submit, self.max_side, post)
        self.shelf = ShaderShelf(ctx, library, trials, self.display, submit)
        self.sorter: SortController | None = None
        self.recorder: Recorder | None = None
        self.source: moderngl.Texture | None = None  # a still's texture, or the moving picture's
        self.source_pixels: np.ndarray | None = None  # the decoded source, for models
        #: A clip or live feed on show as the source, and one opened but waiting for its first
        #: frame (the picture before stays until then).
        self.moving: MovingPicture | None = None
        self.arriving: MovingPicture | None = None
        #: A moving source showed a new frame this frame (its depth may be estimated again).
        self.new_frame = False
        self.wants_depth = False  # an effect in the chain reads the depth map
        self.ran: set[Any] = set()  # the slot serials whose effects rendered the last frame
        self._fade_arriving = 0.0
        self.depth_pixels: np.ndarray | None = None
        self.depth: moderngl.Texture | None = None
        self.output: moderngl.Texture | None = None  # the chain's live picture (Save, the preview)
        self.shown: moderngl.Texture | None = None  # what the audience sees (the window, recordings)
        #: What changed since the show log last looked: a new source, a new depth map (its array),
        #: a fade begun (start, seconds, transition).
        self.changes: dict[str, Any] = {}
        self.unrecorded: list[int] = []  # frames a recording dropped, for the show log
        self.readbacks = Readbacks(ctx)  # shared between consumers, their buffers pooled
        #: Counts the moments the stage's textures may change: each frame's render and each
        #: reset of the sort's canvas between frames (uploads have tokens of their own).
        self.generation = 0
        self._time = 0.0  # the show time of the last frame rendered
        self._time_set = False
        #: The chain reads Shadertoy's iMouse: the pointer's left button is its mouse.
        self.feeds_mouse = False

    # -- what the show is made of ----------------------------------------------------------
    def start_sorting(self, spec: EffectSpec) -> None:
        """Arrow-key and auto sorting with ``pixelsort.native`` (raises if it cannot compile)."""
        self.sorter = SortController(self.programs.compile(spec))

    def output_size(self) -> tuple[int, int] | None:
        """The size the chain renders at: the picture's (None before there is one)."""
        return tuple(self.source.size) if self.source is not None else None

    def set_source(self, pixels: np.ndarray, fade_seconds: float = 0.0) -> None:
        """A new source picture; with ``fade_seconds`` what is on screen fades into it (copied on
        the GPU: no frame waits for a read-back)."""
        self._fade_from_shown(fade_seconds)
        self._stop_moving()
        if self.arriving is not None:  # a clip or camera still opening: the still was chosen after it
            self.arriving.release()
            self.arriving = None
        self.source = upload(self.ctx, pixels, self.source)
        self.source_pixels = pixels
        self.changes["source"] = pixels
        self._new_picture()

    def set_moving(self, picture: MovingPicture, fade_seconds: float = 0.0) -> None:
        """A clip or live feed becomes the source once its first frame is here (faded into
        over ``fade_seconds``); until then the picture on show stays."""
        if self.arriving is not None:
            self.arriving.release()
        self.arriving, self._fade_arriving = picture, fade_seconds

    def feed_frame(self, message: FeedFrame) -> None:
        """A frame from a feed: to the moving picture it belongs to (a stopped feed's: dropped)."""
        for picture in (self.moving, self.arriving, *self.images.moving()):
            if picture is not None and picture.feed is message.feed:
                picture.offer(message)
                return
        if hasattr(message.feed, "taken"):
            message.feed.taken()

    def tick_moving(self, seconds: float, resolved: Mapping[str, Any]) -> None:
        values = {"speed": resolved.get(CLIP_SPEED, 1.0), "mode": resolved.get(CLIP_MODE, 0)}
        self.new_frame = False
        if self.arriving is not None and self.arriving.tick(seconds, values):
            picture, self.arriving = self.arriving, None
            self._fade_from_shown(self._fade_arriving)
            self._stop_moving()
            if self.source is not None:
                self.source.release()  # the still's texture; the moving picture has its own
            self.moving, self.source = picture, picture.texture
            self._new_picture()
            self.new_frame = True
        elif self.moving is not None and self.moving.tick(seconds, values):
            self.new_frame = True
            if self.sorter is not None:
                self.sorter.reset()  # the canvas sorts each new frame afresh
        if self.new_frame:
            self.source_pixels = self.moving.pixels()
            self.changes["moving"] = self.moving
        self.images.tick_moving(seconds, values)

    def _stop_moving(self) -> None:
        """A still replaces the moving source: its feed stops; the texture goes with it."""
        if self.moving is not None:
            if self.source is self.moving.texture:
                self.source = None
            self.moving.release()
            self.moving = None

    def _fade_from_shown(self, fade_seconds: float) -> None:
        if fade_seconds > 0 and self.finish.picture is not None:
            self.finish.fade_from(self.finish.picture, self._time, fade_seconds)
            self.changes["fade"] = (self._time, fade_seconds, None)

    def _new_picture(self) -> None:
        self._reset_canvas()
        self.shelf.stale()

    def _reset_canvas(self) -> None:
        """The sort's canvas back to the picture, between frames: a read-back asked for after
        this reads it again (generation)."""
        if self.sorter is not None:
            self.sorter.reset()
            self.generation += 1

    def fade_cue(self, start: float, seconds: float, transition: str | None = None) -> str | None:
        """A cue's fade from what is shown now to the live picture, from show time ``start``;
        through the ISF transition ``transition`` (a name or path) when given. A line to say
        when it must be a plain crossfade instead."""
        if self.finish.picture is None:
            return None
        blend, note = None, None
        if transition is not None:
            blend, note = self._transition(transition)
        # From the picture before blackout, test card and letterbox: those are applied again on top.
        self.finish.fade_from(self.finish.picture, start, seconds, blend)
        self.changes["fade"] = (start, seconds, transition if blend is not None else None)
        return note

    def prepare_transition(self, name: str) -> str | None:
        """Read an ISF transition a cue names and start its trial (a file of yours is tried off
        the show before it runs), so that it is ready when the cue launches; a line if it cannot be."""
        return self._transition(name)[1]

    def _transition(self, name: str) -> tuple[Callable | None, str | None]:
        try:
            spec = self.effects.spec(name)
        except ShaderlabError as exc:
            return None, f"{exc}; crossfading instead"
        if not {"startImage", "endImage", "progress"} <= {i.name for i in spec.inputs}:
            return None, f"{name} is not an ISF transition (startImage, endImage, progress); crossfading instead"
        if self.effects.runnable(spec, {"progress": 0.0}) is None:
            return None, f"{name} has not passed its trial yet; crossfading instead"

        def blend(before: moderngl.Texture, after: moderngl.Texture, progress: float) -> moderngl.Texture:
            # Looked up each frame: the file saved mid-fade replaces (and releases) the old program.
            effect = self.effects.runnable(spec, {"progress": progress})
            if effect is None:
                return self.finish.mix(before, after, progress)
            return transition_frame(self.cue_chain, effect, before, after, progress, self._time)
        return blend, None

    def set_depth(self, depth: np.ndarray) -> None:
        self.depth = upload_depth(self.ctx, depth, self.depth)
        self.depth_pixels = depth  # kept for a show log started later
        self.changes["depth"] = depth

    def reset_sort(self) -> None:
        """Back to the unsorted picture (R)."""
        if self.sorter is not None:
            self._reset_canvas()
            self.changes["reset"] = "sort"

    def calm(self) -> None:
        """A panic's part on the stage: feedback buffers from nothing, the sort and fades undone."""
        self.chain.release_instances()
        self.finish.panic()
        self._reset_canvas()
        self.changes["reset"] = "panic"

    # -- a frame ---------------------------------------------------------------------------
    def render(self, resolved: Mapping[str, Any], frame: FrameTime, sort: tuple[str | None, bool],
               mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)) -> None:
        """Sort, fade and run the chain over the source with this frame's resolved values."""
        self.collect_readbacks()
        self.generation += 1
        seconds = frame.time - self._time if self._time_set else 0.0
        self._time, self._time_set = frame.time, True
        self.tick_moving(max(0.0, seconds), resolved)
        if self.source is None:
            return
        picture = self.source
        if self.sorter is not None:
            try:
                self.sorter.settings = sort_settings(resolved)
            except ShaderlabError as exc:  # a header declaring what the sorter cannot do
                self.report_once(str(exc))
            self.sorter.frame(self.source, *sort, self.depth)
            picture = self.sorter.texture(self.source)
        try:
            images = {DEPTH_IMAGE: self.depth} if self.depth is not None else {}
            steps = self.effects.steps(resolved, self.images.textures_for)
            self.ran = {step.key for step in steps}  # the show log's chain: what really rendered
            self.feeds_mouse = any(getattr(s.effect, "uses_mouse", bool)() for s in steps)
            self.wants_depth = any(needs_depth(s) for s in steps)
            # A still picture (not the sort's canvas, which sorting writes on the GPU) through
            # effects that do not move by themselves: the last frame again, not rendered again.
            self.output = self.chain.run(picture, steps, picture.size, replace(frame, mouse=mouse), images,
                                         reuse=picture is self.source)
        except ShaderlabError as exc:  # a value the effect cannot use: say so, show the picture
            self.report_once(str(exc))
            self.output = picture
        self.shown = self.finish.frame(self.output, frame.time, resolved)
        self.images.keep_only({s.serial for s in self.store.chain.slots})
        self.shelf.tick(self.source)

    def record_frame(self, index: int) -> None:
        """Offer frame ``index`` (what the audience saw) to the recorder, if one is running:
        read back through a pixel buffer and handed over a couple of frames later."""
        if self.recorder is None or self.shown is None:
            return
        recorder = self.recorder

        def offer(pixels: np.ndarray) -> None:
            if recorder is not self.recorder and not recorder.stopping:
                return  # a recording stopped since
            try:
                if not recorder.offer(pixels):
                    self.unrecorded.append(index)  # the show log says which frames the recording lacks
            except ShaderlabError:  # the writer failed: stopping it posts why
                if recorder is self.recorder:
                    self.report(self.stop_recording()[0])

        self.read_output_later(offer, shown=True)

    def draw(self, framebuffer: moderngl.Framebuffer, size: tuple[int, int],
             placement: tuple[float, float, float, float] | None, preview: bool = False) -> None:
        """Show what the audience sees in ``framebuffer`` (the window's) — or with ``preview`` the
        live picture, as the panel's window does while the output has its own window (a freeze
        holds the output, not the preview of your edits) — or a dark screen before there is one."""
        framebuffer.use()
        picture = self.output if preview else self.shown
        if picture is None or self.source is None:
            self.ctx.clear(0.06, 0.06, 0.07, 1.0)
            return
        self.display.draw(framebuffer, picture, size, placement)

    def report_once(self, text: str) -> None:
        """Errors that would repeat every frame are reported when they first appear."""
        notes = self.store.session.notes
        if not notes or notes[-1].text != text:
            self.report(text, error=True)

    # -- reading the output back -----------------------------------------------------------
    def read_output(self) -> np.ndarray | None:
        """The output's pixels (RGBA, top row first), or None before there is an output."""
        return read_texture(self.output, self.output.size) if self.output is not None else None

    def read_shown(self) -> np.ndarray | None:
        """What the audience sees (after cue fades, freeze, blackout and the test card)."""
        return read_texture(self.shown, self.shown.size) if self.shown is not None else None

    def seeds(self) -> dict[str, moderngl.Texture]:
        """What a show log begun now must start from besides the source: the sort canvas and
        the frame a freeze holds, where there are."""
        found = {"canvas": self.sorter.canvas if self.sorter is not None else None, "held": self.finish.held}
        return {key: texture for key, texture in found.items() if texture is not None}

    def read_later(self, texture: moderngl.Texture, then: Callable[[np.ndarray], None]) -> None:
        """Any texture of the stage read back through a pixel buffer (``then`` a couple of
        frames later, on this thread; one read-back for every consumer of the same frame)."""
        self.readbacks.request(texture, then, self.generation)

    def read_output_later(self, then: Callable[[np.ndarray], None], shown: bool = False) -> bool:
        """Read the output (``shown``: what the audience sees) back through a pixel buffer
        without stalling the frame: ``then`` gets the pixels (RGBA, top row first) on this
        thread a couple of frames later. False: there is no output yet."""
        texture = self.shown if shown else self.output
        if texture is None:
            return False
        self.read_later(texture, then)
        return True

    def collect_readbacks(self, all_now: bool = False) -> None:
        """Once a frame (``all_now`` at exit): hand over the read-backs that have arrived."""
        self.readbacks.collect(all_now)

    def render_alone(self, spec: EffectSpec, values: dict[str, Any], size: tuple[int, int]) -> np.ndarray:
        """One frame of a generator effect (it ignores its input) at ``size``, as pixels."""
        effect = self.programs.compile(spec)
        blank = self.ctx.texture((1, 1), 4, bytes(4))
        chain = Chain(self.ctx)
        try:
            out = chain.run(blank, [Step(("alone", spec.name), effect, values)], size, FrameTime())
            return read_texture(out, size)
        finally:
            chain.release()
            blank.release()

    # -- recording -------------------------------------------------------------------------
    def start_recording(self, path: Path) -> Path:
        """Record the output to ``path`` from the next frame (raises a ShaderlabError)."""
        if self.output is None:
            raise ShaderlabError("nothing to record yet")
        if self.recorder is not None:
            raise ShaderlabError(f"already recording to {self.recorder.path}; stop that recording first")
        self.recorder = Recorder(path, (self.shown or self.output).size)  # what the audience sees, at its size
        return self.recorder.path

    def stop_recording(self, wait: bool = False) -> tuple[str, dict[str, int]] | None:
        """Stop: the writer finishes the file on its own thread and posts Saved or JobFailed.
        Returns what to tell the performer and the frame counts (None: nothing was recording)."""
        if self.recorder is None:
            return None
        recorder, self.recorder = self.recorder, None
        recorder.stopping = True
        self.collect_readbacks(all_now=True)  # the last frames read back go in too
        said = recorder.stop(self.post)
        if wait:  # at exit only: the file must be complete before the process ends
            recorder.wait()
        return said, {"recorded": recorder.recorded, "dropped": recorder.dropped}

    def recording(self) -> Recording | None:
        r = self.recorder
        return Recording(r.path, r.recorded, r.dropped) if r is not None else None

    # -- the end ---------------------------------------------------------------------------
    def release(self) -> None:
        self.readbacks.release()
        self.chain.release()
        self.cue_chain.release()
        self.shelf.release()
        self.images.release()
        if self.sorter is not None:
            self.sorter.release()
        self.programs.release()
        self.display.release()
        self.finish.release()
        self._stop_moving()
        if self.arriving is not None:
            self.arriving.release()
        for texture in (self.source, self.depth):
            if texture is not None:
                texture.release()
