"""The Python API: render numpy images through effect chains on a headless GL context.

    with shaderlab.Renderer() as r:
        out = r.render(image, [("blur", {"radius": 4}), "saturate"], time=0.0)
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

import moderngl
import numpy as np

from shaderlab.gl.context import headless_context, max_texture_size
from shaderlab.gl.surface import Staging, as_rgba, rows_top_first, upload, upload_depth
from shaderlab.io.depth import BUILTIN_ESTIMATOR, estimate_depth_builtin, resize_depth
from shaderlab.library import EffectLibrary
from shaderlab.params import check_params
from shaderlab.errors import ShaderError, ShaderlabError
from shaderlab.isf.header import EffectSpec
from shaderlab.render.arguments import (
    check_chain, check_depth, check_image, check_mouse, check_size, check_tempo, check_time,
)
from shaderlab.render.chain import DEPTH_IMAGE, Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.render.programs import Effect, ProgramCache
from shaderlab.render.vetting import Vetter
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT, FrameWatch

log = logging.getLogger(__name__)

#: An effect as the API takes it: a name (or file path), or a name with parameter values.
EffectRef = Union[str, EffectSpec, tuple[Union[str, EffectSpec], Mapping[str, Any]]]


class Renderer:
    """A headless GL context with an effect library; reuse one for many renders.

    Successive calls with the same chain continue one animation: effects with PERSISTENT
    buffers keep them, FRAMEINDEX counts up and TIMEDELTA is the step between ``time`` values.

    Effects from your own files are first tried in a child process (``vet``): one that does not
    finish a trial frame within ``frame_timeout`` seconds raises :class:`ShaderError` instead of
    blocking this process for ever. ``watch`` is the command line's watchdog (render/watchdog.py).

    ``compute`` runs ISF passes as compute shaders where the GL has them (4.3) and a file allows
    (render/compiled.py): the same pixels, much faster on GPUs with little raster hardware (the
    data-centre H100 and H200), slower on llvmpipe; ``shaderlab bench --compute`` compares.
    """

    def __init__(self, shaders: Iterable[str | Path] = (), ctx: moderngl.Context | None = None,
                 frame_timeout: float = DEFAULT_FRAME_TIMEOUT, vet: bool = True, watch: FrameWatch | None = None,
                 compute: bool = False):
        self._own_context = ctx is None
        self.ctx = ctx or headless_context()
        self.library = EffectLibrary(shaders)
        self.programs = ProgramCache(self.ctx, self.library, compute)
        self.chain = Chain(self.ctx)
        self._source: moderngl.Texture | None = None
        self._staging = Staging()  # the picture's rows on their way to GL, reused
        self._depth: moderngl.Texture | None = None
        self._told_depth = False  # "no depth map given" said once
        self._signature: tuple[str, ...] = ()
        self._frame = FrameTime()
        self._max_side: int | None = None
        self._vetter = Vetter(frame_timeout) if vet else None
        self._watch = watch

    @property
    def max_texture_size(self) -> int:
        if self._max_side is None:
            with self.ctx:  # another context may be current
                self._max_side = max_texture_size(self.ctx)
        return self._max_side

    def steps(self, effects: Sequence[EffectRef]) -> list[Step]:
        """Resolve names, compile and check parameter values; raises on any bad entry.

        Image parameters are uploaded as textures, which the caller releases after use."""
        checked = []
        for index, (name, params) in enumerate(check_chain(effects)):  # all checked before any upload
            if isinstance(name, EffectSpec):  # a spec already read (a trial runs exactly that text)
                name, compiled = name.name, self._compiled(name, lambda spec=name: self.programs.compile(spec))
            else:
                compiled = self._compiled(name, lambda name=name: self.programs.get(name))
            checked.append(((index, name), compiled, check_params(compiled.spec, params)))
        if self._watch is not None:
            self._watch.begin("preparing the frame (uploads, depth)")
        steps = []
        for key, compiled, values in checked:
            images = {k: v for k, v in values.items() if isinstance(v, np.ndarray)}
            textures = {k: upload(self.ctx, v) for k, v in images.items()}
            steps.append(Step(key, compiled, {k: v for k, v in values.items() if k not in images}, textures))
        return steps

    def render(
        self,
        image: np.ndarray,
        effects: Sequence[EffectRef] = (),
        time: float = 0.0,
        size: tuple[int, int] | None = None,
        depth: np.ndarray | None = None,
        mouse: tuple[float, float, float, float] | None = None,
        tempo: tuple[float, float, float, float] | None = None,
        audio: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """``image`` (uint8 H×W×3 or H×W×4, row 0 = top) through ``effects``: uint8 H×W×4.

        ``depth``: H×W in 0..1 (float, or uint8/uint16 scaled; grey or RGB), near = 1, resized
        to the image if need be, for effects with a ``depthImage`` input; without one they get
        the built-in estimate. Bad arguments raise :class:`ShaderlabError` with one line.
        ``mouse``: Shadertoy's iMouse (x, y, press x, press y) in output pixels, y up.
        ``tempo``: (BPM, BEAT, BEAT_PHASE, BAR_PHASE) for effects that declare them
        (``shaderlab.show.timeline`` gives them for a scene's tempo).
        ``audio``: (waveform channels × samples in -1..1, spectrum channels × bins in 0..1) for
        ISF ``audio``/``audioFFT`` inputs (``shaderlab.audio.analysis``); None keeps what they
        heard last (silence at first).
        """
        pixels = check_image(image)
        if pixels.ndim == 2 or pixels.shape[2] == 1:
            pixels = as_rgba(pixels)  # grey: as colour for the depth estimate too
        time, mouse, tempo = check_time(time), check_mouse(mouse), check_tempo(tempo)
        source_size = (pixels.shape[1], pixels.shape[0])
        limit = self.max_texture_size
        if max(source_size) > limit:
            raise ShaderlabError(f"image of {source_size[0]}×{source_size[1]} is over this GPU's limit of {limit} pixels a side")
        size = check_size(size, limit) or source_size
        # Several contexts can live in one process (two Renderers, a window): make ours current.
        with self.ctx:
            steps = self.steps(effects)
            if not steps and size == source_size:
                rgba = as_rgba(pixels)
                return rgba.copy() if rgba is pixels else rgba
            if not steps:
                steps = self.steps(["passthrough"])
            try:
                self.vet(steps, size)
                self._source = upload(self.ctx, pixels, self._source, self._staging)
                images = self._depth_images(steps, pixels, depth)
                frame = self._advance(steps, time)
                if mouse is not None:
                    frame = replace(frame, mouse=mouse)
                if tempo is not None:
                    frame = replace(frame, tempo=tempo)
                if audio is not None:
                    self.chain.hear(*audio)
                output = self.chain.run(self._source, steps, size, frame, images, self._before_step(size))
                pixels = read_texture(output, size)
                if self._watch is not None:
                    self._watch.done()
                return pixels
            finally:
                for step in steps:
                    for texture in step.images.values():
                        texture.release()

    def _compiled(self, name: str, compile: Callable[[], Effect]) -> Effect:
        """``compile()``, told to the watchdog (a huge file can take seconds in the driver)."""
        if self._watch is not None:
            self._watch.begin(f"compiling effect {name!r}")
        return compile()

    def vet(self, steps: list[Step], size: tuple[int, int]) -> None:
        """Try effects from the user's files off this process first (see render/vetting.py)."""
        if self._vetter is None:
            return
        for step in steps:
            error = self._vetter.vet(step.effect.spec, size, step.params, self.library.dirs[1:])
            if error:
                raise ShaderError(error)

    def _before_step(self, size: tuple[int, int]) -> Callable[[Step], None] | None:
        """With a watchdog: wait for each effect to finish before saying the next one started,
        so the effect that hangs is the one named."""
        if self._watch is None:
            return None

        def before(step: Step) -> None:
            self.ctx.finish()
            self._watch.begin(f"effect {step.effect.spec.name!r} at {size[0]}×{size[1]}")

        return before

    def _depth_images(self, steps: list[Step], pixels: np.ndarray, depth: np.ndarray | None) -> dict:
        if not any(needs_depth(step) for step in steps):
            return {}
        depth = check_depth(depth)
        if depth is None:
            if not self._told_depth:  # once, not for every frame of a clip
                log.info("no depth map given: using the %s estimate", BUILTIN_ESTIMATOR)
                self._told_depth = True
            depth = estimate_depth_builtin(pixels)
        if depth.shape != pixels.shape[:2]:
            depth = resize_depth(depth, (pixels.shape[1], pixels.shape[0]))
        self._depth = upload_depth(self.ctx, depth, self._depth)  # in 0..1: check_depth, the estimate and resize_depth keep it there
        return {DEPTH_IMAGE: self._depth}

    def _advance(self, steps: list[Step], time: float) -> FrameTime:
        signature = tuple(str(s.key) for s in steps)
        if signature != self._signature:
            self._signature = signature
            self._frame = FrameTime(time, 0.0, 0)
        else:
            self._frame = FrameTime(time, time - self._frame.time, self._frame.index + 1)
        return self._frame

    def close(self) -> None:
        if self._vetter is not None:
            self._vetter.close()
        with self.ctx:
            self.chain.release()
            self.programs.release()
            for texture in (self._source, self._depth):
                if texture is not None:
                    texture.release()
            self._source = self._depth = None
        if self._own_context:
            self.ctx.release()

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def needs_depth(step: Step) -> bool:
    """Does this step read the depth map? (Natives may say no for some settings.)"""
    if step.effect.spec.input(DEPTH_IMAGE) is None:
        return False
    needs = getattr(step.effect, "needs_input", None)
    return needs is None or needs(DEPTH_IMAGE, step.params)


def read_texture(texture: moderngl.Texture, size: tuple[int, int]) -> np.ndarray:
    """A texture's pixels as uint8 H×W×4, row 0 = top (float textures are clamped and rounded)."""
    if texture.dtype == "f4":
        values = np.frombuffer(texture.read(alignment=1), np.float32)
        return rows_top_first(np.clip(np.rint(values * 255.0), 0, 255).astype(np.uint8), size)
    rows = np.empty((size[1], size[0], texture.components), np.uint8)
    texture.read_into(rows, alignment=1)  # straight into an array: no bytes object to copy from
    return rows_top_first(rows, size, texture.components)
