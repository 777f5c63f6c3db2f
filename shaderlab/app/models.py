"""The model worker: one thread that talks to model servers for the window.

Requests coalesce — a new request replaces one still waiting, and makes the one in flight
stale (it is cancelled at its next chance and its answer dropped) — so a performer hammering
a button never builds a queue. Answers cross to the GL thread as messages; nothing here
touches GL. Each model's status (asleep, waking, warming with an ETA, ready, busy, failed:
reason) is a plain string the panel reads.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from shaderlab.show.messages import JobFailed, Message, ModelAnswer
from shaderlab.errors import ShaderlabError
from shaderlab.io.depth import resize_depth
from shaderlab.models.cache import ModelCache, cache_key
from shaderlab.models.config import ModelConfig, make_provider


@dataclass
class _Request:
    job: int
    kind: str
    config: ModelConfig
    params: dict[str, Any]
    pixels: np.ndarray | None
    size: tuple[int, int] | None
    asked: float


class ModelWorker(threading.Thread):
    def __init__(self, inbox: "queue.SimpleQueue[Message] | queue.Queue[Message]", cache: ModelCache | None = None):
        super().__init__(name="shaderlab-models", daemon=True)
        self.inbox = inbox
        self.cache = cache or ModelCache()
        self.status: dict[str, str] = {}
        self._condition = threading.Condition()
        self._waiting: _Request | None = None
        self._latest = 0
        self._serving = 0  # the job being answered now
        self._closing = False
        # One provider per model, kept: its HTTP connections, or its loaded ONNX model.
        self._providers: dict[str, Any] = {}

    def request(self, kind: str, config: ModelConfig, params: dict[str, Any] | None = None,
                pixels: np.ndarray | None = None, size: tuple[int, int] | None = None) -> int:
        """Ask for a depth map of ``pixels`` (resized to ``size``), a generated picture, or
        ``pixels`` enhanced (image to image)."""
        with self._condition:
            self._latest += 1
            self._waiting = _Request(self._latest, kind, config, dict(params or {}), pixels, size, time.monotonic())
            self._condition.notify()
            return self._latest

    def cancel(self) -> None:
        """Drop what waits and make what is in flight stale."""
        with self._condition:
            self._latest += 1
            self._waiting = None

    def close(self) -> None:
        with self._condition:
            self._closing = True
            self._latest += 1
            self._condition.notify()
        self.join(timeout=5)
        for provider in self._providers.values():
            provider.client.close()

    def run(self) -> None:
        while True:
            with self._condition:
                while self._waiting is None and not self._closing:
                    self._condition.wait()
                if self._closing:
                    return
                request, self._waiting = self._waiting, None
            self._serve(request)

    def _stale(self, job: int) -> bool:
        return self._closing or job != self._latest

    def _provider(self, config: ModelConfig):
        provider = self._providers.get(config.name)
        if provider is None:
            provider = make_provider(
                config,
                on_status=lambda status: self.status.__setitem__(config.name, status),
                cancelled=lambda: self._stale(self._serving),  # whichever job is being served
            )
            self._providers[config.name] = provider
        return provider

    def _serve(self, request: _Request) -> None:
        name = request.config.name
        try:
            array = self._answer(request)
        except ShaderlabError as exc:
            if self._stale(request.job):
                self.status[name] = "ready"
                return
            self.status[name] = f"failed: {exc}"
            self.inbox.put(JobFailed(request.job, f"{name}: {exc}"))
            return
        if self._stale(request.job):
            return  # a newer request replaced this one: its answer is dropped
        self.inbox.put(ModelAnswer(request.job, request.kind, array, name, time.monotonic() - request.asked))

    def _answer(self, request: _Request) -> np.ndarray:
        config = request.config
        key = cache_key(config, request.kind, request.params, request.pixels)
        array = self.cache.get(key)
        if array is None:
            self._serving = request.job
            provider = self._provider(config)
            if request.kind == "depth":
                array = provider.depth(request.pixels)
            elif request.kind == "enhance":
                array = provider.transform(request.pixels, request.params)
            else:
                array = provider.generate(request.params)
            self.cache.put(key, array)
        self.status[config.name] = "ready"
        if request.kind == "depth" and request.size and array.shape != (request.size[1], request.size[0]):
            array = resize_depth(array, request.size)
        return array
