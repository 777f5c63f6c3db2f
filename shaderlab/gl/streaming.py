"""A texture fed a new picture every frame through a pixel-unpack buffer.

The frame's rows arrive ready (RGBA, bottom row first, converted on the feed's thread), so the
GL thread only copies them into a buffer and lets the driver move them into the texture from
there: the buffer is orphaned first, so a write never waits for the GPU to finish reading the
previous frame.
"""

from __future__ import annotations

import moderngl
import numpy as np

from shaderlab.gl.surface import mark_written, set_sampling


class StreamTexture:
    def __init__(self, ctx: moderngl.Context, size: tuple[int, int]):
        self.ctx = ctx
        self.size = size
        self.texture = ctx.texture(size, 4)
        set_sampling(self.texture)
        self._buffer = ctx.buffer(reserve=size[0] * size[1] * 4, dynamic=True)
        self.uploads = 0

    def write(self, rows: np.ndarray) -> None:
        """``rows``: H×W×4 uint8, bottom row first, the texture's size."""
        if rows.shape != (self.size[1], self.size[0], 4):
            raise ValueError(f"a {rows.shape[1]}×{rows.shape[0]} frame for a {self.size[0]}×{self.size[1]} texture")
        self._buffer.orphan()
        self._buffer.write(rows)
        self.texture.write(self._buffer, alignment=1)
        mark_written(self.texture)
        self.uploads += 1

    def release(self) -> None:
        self._buffer.release()
        self.texture.release()
