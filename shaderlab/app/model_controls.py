"""The window's model actions: configured models, depth of the frame, generated pictures.

Runs on the GL thread (it reads frames back and renders generators) and hands everything slow
to the ModelWorker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import moderngl
import numpy as np

from shaderlab.app.models import ModelWorker
from shaderlab.errors import ShaderlabError
from shaderlab.gl.surface import Readback
from shaderlab.render.chain import Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.render.renderer import read_texture

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class ModelControls:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        self.models: dict = {}  # configured hosted models by name
        self.worker = ModelWorker(window.inbox)
        self.job = 0  # the newest request; answers to older ones are dropped
        # A frame on its way to a model: (kind, model name, read-back).
        self._readback: tuple[str, str, Readback] | None = None
        self._blank: moderngl.Texture | None = None

    def load(self, path: Path | None) -> None:
        """Read the model configuration (default ./models.toml when present) and start the worker."""
        from shaderlab.models.config import load_models

        self.worker.start()
        if path is None:
            path = Path("models.toml") if Path("models.toml").is_file() else None
        if path is None:
            return
        try:
            self.models = load_models(path, warn=self.window.report)
        except ShaderlabError as exc:
            self.window.report(str(exc), error=True)
            return
        for name in self.models:
            self.worker.status[name] = "asleep"
        self.window.report(f"models: {', '.join(self.models) or 'none'} from {path}")

    def request_depth(self, name: str, of_source: bool = False) -> None:
        """Send what is on screen (shaders included), or the source picture itself (which
        `shaderlab prefetch` can cache before a show), to a model; its answer becomes the depth."""
        window = self.window
        if window._output is None or window._source is None:
            return
        if of_source and window._source_pixels is not None:
            self._ask("depth", name, window._source_pixels)
            return
        self._read_frame("depth", name)

    def request_enhance(self, name: str) -> None:
        """Send what is on screen to an image-to-image model; its answer becomes the source."""
        if self.window._output is not None:
            self._read_frame("enhance", name)

    def _read_frame(self, kind: str, name: str) -> None:
        """Start reading the frame back without waiting for it (tick() sends it on)."""
        if self._readback is not None:  # the newest press wins here too
            self._readback[2].collect()
        self._readback = (kind, name, Readback(self.window.ctx, self.window._output))

    def tick(self) -> None:
        """Once a frame: send a frame whose read-back has arrived."""
        if self._readback is not None and self._readback[2].tick():
            (kind, name, readback), self._readback = self._readback, None
            self._ask(kind, name, readback.collect())

    def _ask(self, kind: str, name: str, pixels: np.ndarray) -> None:
        config = self.models[name]
        if kind == "depth":
            self.job = self.worker.request("depth", config, pixels=pixels[..., :3], size=self.window._source.size)
        else:
            self.job = self.worker.request("enhance", config, dict(config.params), pixels=pixels[..., :3])

    def generate(self, kind: str, name: str | None, seed: int) -> None:
        """A new source picture: from a hosted model (on the worker) or a built-in generator."""
        window = self.window
        if name is not None:
            config = self.models[name]
            params = {"kind": kind, "seed": seed, **config.params}  # as `generate` and `prefetch` ask
            self.job = self.worker.request("generate", config, params)
            return
        size = window._source.size if window._source is not None else ((640, 960) if kind == "books" else (1024, 768))
        try:
            effect = window.programs.compile(window.spec(f"gen_{kind}"))
        except ShaderlabError as exc:
            window.report(str(exc), error=True)
            return
        if self._blank is None:  # generators ignore their input; give them something to bind
            self._blank = window.ctx.texture((1, 1), 4, bytes(4))
        chain = Chain(window.ctx)
        try:
            params = {**effect.spec.defaults(), "seed": float(seed)}  # every input set, not only the seed
            out = chain.run(self._blank, [Step(("generate", kind), effect, params)], size, FrameTime())
            window._set_source(read_texture(out, size), Path(f"{kind}-{seed}.png"), fade=True)
        finally:
            chain.release()

    def close(self) -> None:
        self.worker.close()
        if self._readback is not None:
            self._readback[2].collect()
        if self._blank is not None:
            self._blank.release()
