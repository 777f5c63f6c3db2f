"""What ISF ``audio`` (waveform) and ``audioFFT`` (spectrum) inputs sample, laid out as the ISF
spec does: one row per channel, one column per sample or bin, as many columns as the input's
``MAX`` asks for (fewer than the analysis gives: the waveform resampled over its window, the
spectrum's bins pooled to their loudest), or all of them without one. Silence until fed: a
waveform at 0.5 (the ISF convention for 0), a spectrum at 0."""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

#: Columns of the silent textures inputs without MAX sample before any sound is heard.
SILENT_WIDTH = 512
KINDS = ("audio", "audioFFT")


class AudioTextures:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self._rows: dict[str, np.ndarray | None] = {kind: None for kind in KINDS}  # 0..1, as sampled
        self._version = 0  # counts what was heard, so each texture is written once per hop
        self._textures: dict[tuple[str, int], tuple[moderngl.Texture, int]] = {}

    def hear(self, waveform: Any, spectrum: Any) -> None:
        """The newest analysis: ``waveform`` -1..1 and ``spectrum`` 0..1, (channels, columns)
        each; None goes back to silence."""
        for kind, data in (("audio", waveform), ("audioFFT", spectrum)):
            if data is None:
                self._rows[kind] = None
                continue
            rows = np.atleast_2d(np.asarray(data, np.float32))
            self._rows[kind] = np.clip(rows * 0.5 + 0.5 if kind == "audio" else rows, 0.0, 1.0)
        self._version += 1

    def texture(self, kind: str, wanted: Any = None) -> moderngl.Texture:
        """The texture an input of ``kind`` with ``MAX`` = ``wanted`` (None: no MAX) samples now."""
        rows = self._rows[kind]
        available = rows.shape[1] if rows is not None else SILENT_WIDTH
        width = available if not isinstance(wanted, (int, float)) or wanted < 1 else min(int(wanted), available)
        height = rows.shape[0] if rows is not None else 1
        key = (kind, width)
        texture, version = self._textures.get(key, (None, -1))
        if texture is not None and version == self._version:
            return texture
        if rows is None:
            values = np.full((1, width), 0.5 if kind == "audio" else 0.0, np.float32)
        else:
            values = _fit(rows, width, pool=kind == "audioFFT")
        rgba = np.repeat(values[..., None], 4, axis=2)
        rgba[..., 3] = 1.0
        data = np.ascontiguousarray(rgba, np.float32).tobytes()
        if texture is not None and texture.size == (width, height):
            texture.write(data)
        else:
            if texture is not None:
                texture.release()
            texture = self.ctx.texture((width, height), 4, data, dtype="f4")
            texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self._textures[key] = (texture, self._version)
        return texture

    def release(self) -> None:
        for texture, _ in self._textures.values():
            texture.release()
        self._textures.clear()


def _fit(rows: np.ndarray, width: int, pool: bool) -> np.ndarray:
    """``rows`` narrowed to ``width`` columns: a spectrum's bins pooled to their loudest (a peak
    never falls between columns), a waveform resampled evenly over its window."""
    columns = rows.shape[1]
    if width >= columns:
        return rows
    if pool:
        starts = np.linspace(0, columns, width + 1).astype(np.intp)[:-1]
        return np.maximum.reduceat(rows, starts, axis=1)
    positions = np.linspace(0, columns - 1, width)
    return np.stack([np.interp(positions, np.arange(columns), row) for row in rows]).astype(np.float32)
