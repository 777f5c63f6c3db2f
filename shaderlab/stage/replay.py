"""A show log rendered again, headless, frame for frame: the same chain with the same resolved
values at the same show times, the same pixel sorting, the same finish (cue fades — through
their ISF transitions — freeze, blackout, test card) — at the live output's size, or at any
other (the chain rendered at the picture's aspect within it, letterboxed as the live output is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import moderngl
import numpy as np

from shaderlab.gl.display import fit
from shaderlab.gl.surface import upload, upload_depth
from shaderlab.media.clip import Clip
from shaderlab.io.images import load_image
from shaderlab.isf.header import DEPTH_IMAGE, INPUT_IMAGE
from shaderlab.render.chain import Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.render.programs import ProgramCache
from shaderlab.render.renderer import read_texture
from shaderlab.show.show_log import FrameState
from shaderlab.show.slots import chain_address
from shaderlab.stage.finish import Finish, transition_frame
from shaderlab.stage.sorting import SortController, sort_settings


class Replay:
    def __init__(self, ctx: moderngl.Context, programs: ProgramCache, live_size: tuple[int, int],
                 size: tuple[int, int] | None = None):
        self.ctx, self.programs = ctx, programs
        self.library = programs.library
        self.live_size, self.size = tuple(live_size), tuple(size) if size else None
        self.chain = Chain(ctx)
        self.cue_chain = Chain(ctx)  # a cue's ISF transition, apart from the show's chain
        self.finish = Finish(ctx)
        self.sorter: SortController | None = None
        self.source: moderngl.Texture | None = None
        self.depth: moderngl.Texture | None = None
        self.shown: moderngl.Texture | None = None
        self._images: dict[str, moderngl.Texture] = {}  # files image inputs name
        self._last_time: float | None = None
        self._clip: Clip | None = None
        self._seeded: list[moderngl.Texture] = []  # sort canvases a log begun mid-show started from

    def frames(self, states: Iterator[FrameState]) -> Iterator[np.ndarray]:
        """Each logged frame as the audience saw it (RGBA, top row first)."""
        for state in states:
            yield self.frame(state)

    def frame(self, state: FrameState, audio: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """The logged frame as the audience saw it; ``audio`` (waveform, spectrum): what ISF
        audio inputs hear in it (None: what they heard last)."""
        if state.source_changed and (state.clip is not None or state.source is not None):
            pixels = self._clip_frame(*state.clip) if state.clip is not None else load_image(state.source).pixels
            self.source = upload(self.ctx, pixels, self.source)
            if self.sorter is not None:
                self.sorter.reset()
        if state.canvas is not None or state.held is not None:
            self._seed(state)
        if state.depth_changed:
            self.depth = upload_depth(self.ctx, np.load(state.depth), self.depth) if state.depth else None
        if self.source is None:
            raise ValueError("the show log has no picture before its first frame")
        if state.reset is not None:  # as live: before this frame's chain ran
            if self.sorter is not None:
                self.sorter.reset()
            if state.reset == "panic":
                self.chain.release_instances()
                self.finish.panic()
        picture = self._sorted(state)
        live = tuple(picture.size)
        target = self.size or self.live_size
        render_size = live if self.size is None else tuple(fit(live, target)[2:])
        self.finish.size = target  # a chain with nothing in it hands on the picture at its own size
        delta = state.time - self._last_time if self._last_time is not None else 0.0
        self._last_time = state.time
        frame = FrameTime(state.time, delta, state.frame_index, tempo=tuple(state.tempo), mouse=tuple(state.mouse))
        if state.fade is not None and self.finish.picture is not None:
            # As live: the fade copies the frame on show before this frame's chain runs (the old
            # chain's textures go when the new one runs), through the cue's ISF transition if any.
            start, seconds, transition = state.fade
            self.finish.fade_from(self.finish.picture, start, seconds, self._transition(transition, state))
        images = {DEPTH_IMAGE: self.depth} if self.depth is not None else {}
        if audio is not None:
            self.chain.hear(*audio)
        output = self.chain.run(picture, self._steps(state), render_size, frame, images)
        self.shown = self.finish.frame(output, state.time, state.values)
        return read_texture(self.shown, self.shown.size)

    def _transition(self, name: str | None, state: FrameState) -> Callable | None:
        """The ISF transition a cue faded through, drawn as the stage draws it (None: a mix)."""
        if name is None:
            return None
        effect = self.programs.compile(self.library.spec(name))

        def blend(before: moderngl.Texture, after: moderngl.Texture, progress: float) -> moderngl.Texture:
            return transition_frame(self.cue_chain, effect, before, after, progress, self._last_time or 0.0)
        return blend

    def _sorted(self, state: FrameState) -> moderngl.Texture:
        """The source through the window's pixel sort, when the show sorted (arrows, auto sort)."""
        wanted = state.sort[0] is not None or bool(state.values.get("settings/sort/auto", False))
        if self.sorter is None and not wanted:
            return self.source
        if self.sorter is None:
            self.sorter = SortController(self.programs.compile(self.library.spec("pixelsort")))
        self.sorter.settings = sort_settings(state.values)
        self.sorter.frame(self.source, state.sort[0], state.sort[1], self.depth)
        return self.sorter.texture(self.source)

    def _steps(self, state: FrameState) -> list[Step]:
        steps = []
        for slot_id, name, enabled, serial in state.chain:
            if not enabled:
                continue
            spec = self.library.spec(name)
            effect = self.programs.current(spec.path) or self.programs.compile(spec)
            values = {i.name: state.values.get(chain_address(slot_id, i.name), i.default) for i in spec.inputs
                      if i.name != INPUT_IMAGE}
            numbers = {k: v for k, v in values.items() if not isinstance(v, str) and v is not None}
            images = {k: self._image(v) for k, v in values.items() if isinstance(v, str) and v}
            steps.append(Step(serial, effect, numbers, {k: t for k, t in images.items() if t is not None}))
        return steps

    def _image(self, path: str) -> moderngl.Texture | None:
        if path not in self._images:
            try:
                self._images[path] = upload(self.ctx, load_image(Path(path)).pixels)
            except Exception:  # an image input whose file is gone: the source, as live
                return None
        return self._images[path]

    def _seed(self, state: FrameState) -> None:
        """A log begun mid-show: the sort canvas and the held frame it starts from."""
        if state.canvas is not None:
            if self.sorter is None:
                self.sorter = SortController(self.programs.compile(self.library.spec("pixelsort")))
            canvas = upload(self.ctx, load_image(state.canvas).pixels)
            self._seeded.append(canvas)
            self.sorter.seed(canvas)
        if state.held is not None:
            held = upload(self.ctx, load_image(state.held).pixels)
            self.finish.hold(held)
            held.release()

    def _clip_frame(self, path: Path, index: int) -> np.ndarray:
        """Frame ``index`` of a clip the show played (the clip kept open for the frames after)."""
        if self._clip is None or self._clip.path != path:
            if self._clip is not None:
                self._clip.close()
            self._clip = Clip(path)
        return self._clip.frame(index)

    def release(self) -> None:
        if self._clip is not None:
            self._clip.close()
        self.chain.release()
        self.cue_chain.release()
        self.finish.release()
        for texture in (self.source, self.depth, *self._images.values(), *self._seeded):
            if texture is not None:
                texture.release()
        if self.sorter is not None:
            self.sorter.release()


def live_size(head: dict[str, Any]) -> tuple[int, int]:
    width, height = head.get("size", (0, 0))
    return int(width), int(height)
