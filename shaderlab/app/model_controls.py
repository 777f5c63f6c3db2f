"""The window's model actions: configured models, depth of the frame, generated pictures.

Runs on the GL thread (it reads frames back and renders generators) and hands everything slow
to the ModelWorker thread.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Callable

import numpy as np

from shaderlab.app.models import ModelWorker
from shaderlab.errors import ShaderlabError
from shaderlab.show.messages import Message
from shaderlab.stage.stage import Stage

#: The built-in generators' picture size when there is no picture yet.
GENERATED_SIZE = {"books": (640, 960)}


class ModelControls:
    def __init__(self, stage: Stage, inbox: "queue.SimpleQueue[Message] | queue.Queue[Message]", report: Callable[..., None],
                 new_source: Callable[[np.ndarray, Path], None]):
        self.stage = stage
        self.report = report
        self.new_source = new_source  # a generated picture becomes the source (with a fade)
        self.models: dict = {}  # configured hosted models by name
        self.worker = ModelWorker(inbox)
        self.job = 0  # the newest request; answers to older ones are dropped
        self.estimator = None  # a local ONNX depth model (--depth-model), used for every new picture
        self._reading = 0  # the newest frame read back for a model; older ones are dropped

    def load(self, path: Path | None, depth_model: Path | None = None, depth_preset: str | None = None) -> None:
        """Read the model configuration (default ./models.toml when present) and start the
        worker; ``depth_model``: a local ONNX depth model to estimate new pictures' depth with."""
        from shaderlab.models.config import load_models

        self.worker.start()
        if depth_model is not None:
            from shaderlab.models.onnx_depth import OnnxDepth

            try:
                self.estimator = OnnxDepth(depth_model, depth_preset)
            except ShaderlabError as exc:
                self.report(f"{exc}; using the built-in depth estimate", warning=True)
        if path is None:
            path = Path("models.toml") if Path("models.toml").is_file() else None
        if path is None:
            return
        try:
            self.models = load_models(path, warn=self.report)
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
            return
        for name in self.models:
            self.worker.status[name] = "asleep"
        self.report(f"models: {', '.join(self.models) or 'none'} from {path}")

    def status(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.worker.status.get(name, "asleep")) for name in self.models)

    def _config(self, name: str):
        config = self.models.get(name)
        if config is None:
            known = ", ".join(self.models) or "none is configured (models.toml)"
            self.report(f"no model {name!r} (models: {known})", error=True)
        return config

    def request_depth(self, name: str, of_source: bool = False) -> None:
        """Send what is on screen (shaders included), or the source picture itself (which
        `shaderlab prefetch` can cache before a show), to a model; its answer becomes the depth."""
        stage = self.stage
        if stage.output is None or stage.source is None or self._config(name) is None:
            return
        if of_source and stage.source_pixels is not None:
            self._ask("depth", name, stage.source_pixels)
            return
        self._read_frame("depth", name)

    def request_enhance(self, name: str) -> None:
        """Send what is on screen to an image-to-image model; its answer becomes the source."""
        if self.stage.output is not None and self._config(name) is not None:
            self._read_frame("enhance", name)

    def _read_frame(self, kind: str, name: str) -> None:
        """Read the frame back without waiting for it; it is sent when it arrives (the newest
        press wins here too)."""
        self._reading += 1
        reading = self._reading

        def arrived(pixels: np.ndarray) -> None:
            if reading == self._reading:
                self._ask(kind, name, pixels)

        self.stage.read_output_later(arrived)

    def _ask(self, kind: str, name: str, pixels: np.ndarray) -> None:
        config = self.models[name]
        if kind == "depth":
            self.job = self.worker.request("depth", config, pixels=pixels[..., :3], size=self.stage.source.size)
        else:
            self.job = self.worker.request("enhance", config, dict(config.params), pixels=pixels[..., :3])

    def generate(self, kind: str, name: str | None, seed: int) -> None:
        """A new source picture: from a hosted model (on the worker) or a built-in generator."""
        if name is not None:
            config = self._config(name)
            if config is not None:
                params = {"kind": kind, "seed": seed, **config.params}  # as `generate` and `prefetch` ask
                self.job = self.worker.request("generate", config, params)
            return
        stage = self.stage
        size = stage.output_size() or GENERATED_SIZE.get(kind, (1024, 768))
        try:
            spec = stage.effects.spec(f"gen_{kind}")
            pixels = stage.render_alone(spec, {**spec.defaults(), "seed": float(seed)}, size)  # every input set
        except ShaderlabError as exc:
            self.report(str(exc), error=True)
            return
        self.new_source(pixels, Path(f"{kind}-{seed}.png"))

    def close(self) -> None:
        self._reading += 1  # a frame still on its way is not sent
        self.worker.close()
