"""The stage's textures read back through pixel buffers: shared between consumers, buffers reused.

Several consumers often want the same frame — the recording and NDI both want what the
audience sees — and each used to get a read-back of its own into a new 8 MB buffer (1080p),
made and freed every frame. Here one read-back serves every request for the same contents (the
first consumer gets the pixels, the others copies, so none can change another's), and the
buffers go back to a pool for the next frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import moderngl
import numpy as np

from shaderlab.gl.surface import Readback, written

Then = Callable[[np.ndarray], None]
#: Free buffers kept per byte size (a couple of frames in flight for a few consumers).
POOLED = 6


@dataclass
class _Pending:
    readback: Readback
    then: list[Then] = field(default_factory=list)


class Readbacks:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self._pending: list[_Pending] = []
        self._issued: dict[tuple, _Pending] = {}  # this frame's read-backs, by what they read
        self._free: dict[int, list[moderngl.Buffer]] = {}
        self.made = 0  # buffers made (for tests and benchmarks: the pool keeps this low)

    def request(self, texture: moderngl.Texture, then: Then, generation: int) -> None:
        """``then`` gets ``texture``'s pixels (RGBA, top row first) a couple of frames later.
        ``generation``: the owner's count of the moments its textures may change on the GPU
        (each frame rendered); uploads have a written token of their own. Requests with the
        same texture, generation and token share one read-back."""
        key = (texture.glo, generation, written(texture))  # the token itself: alive while keyed
        pending = self._issued.get(key)
        if pending is None:
            size = texture.size[0] * texture.size[1] * texture.components
            free = self._free.get(size)
            buffer = free.pop() if free else None
            if buffer is None:
                self.made += 1
            pending = _Pending(Readback(self.ctx, texture, buffer=buffer))
            self._issued[key] = pending
            self._pending.append(pending)
        pending.then.append(then)

    def collect(self, all_now: bool = False) -> None:
        """Once a frame, before it renders (``all_now`` at exit): hand over what has arrived."""
        self._issued = {}  # what is asked for from now on may have changed: read again
        # Taken first: a consumer may collect again (a recording stopping flushes its frames).
        pending, self._pending = self._pending, []
        for item in pending:
            if not (item.readback.tick() or all_now):
                self._pending.append(item)
                continue
            pixels = item.readback.collect()
            self._give_back(item.readback.buffer)
            for index, then in enumerate(item.then):
                then(pixels if index == 0 else pixels.copy())

    def release(self) -> None:
        for item in self._pending:
            item.readback.buffer.release()
        self._pending, self._issued = [], {}
        for buffers in self._free.values():
            for buffer in buffers:
                buffer.release()
        self._free = {}

    def _give_back(self, buffer: moderngl.Buffer) -> None:
        free = self._free.setdefault(buffer.size, [])
        if len(free) < POOLED:
            free.append(buffer)
        else:
            buffer.release()
