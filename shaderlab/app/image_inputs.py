"""Image inputs set to files in the window (a transition's endImage, a mask, an iChannel):
the entry keeps the path (so scenes save it); the file is decoded on a worker and uploaded
here, on the GL thread, when it arrives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import moderngl
import numpy as np

from shaderlab.gl.surface import upload
from shaderlab.io.images import load_image

if TYPE_CHECKING:
    from shaderlab.app.session import ChainEntry
    from shaderlab.app.window import ShaderlabWindow
    from shaderlab.isf.header import EffectSpec


@dataclass(frozen=True)
class InputImageReady:
    key: tuple[int, str]  # (entry uid, input name)
    path: str
    pixels: np.ndarray


class ImageInputs:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        self._textures: dict[tuple[int, str], tuple[str, moderngl.Texture]] = {}
        # What was asked for each input; a path that failed is not asked again until it changes.
        self._asked: dict[tuple[int, str], str] = {}

    def textures_for(self, entry: "ChainEntry", spec: "EffectSpec") -> dict[str, moderngl.Texture]:
        """The textures of ``entry``'s image inputs that name files; asks for any not loaded."""
        textures = {}
        for declared in spec.inputs:
            path = entry.params.get(declared.name)
            if not declared.is_image or not isinstance(path, str) or not path:
                continue
            key = (entry.uid, declared.name)
            loaded = self._textures.get(key)
            if loaded is not None and loaded[0] == path:
                textures[declared.name] = loaded[1]
            elif self._asked.get(key) != path:
                self._asked[key] = path
                side = self.window.max_side
                self.window.workers.submit(lambda job, p=path, k=key: InputImageReady(k, p, load_image(Path(p).expanduser(), side).pixels))
        return textures

    def on_loaded(self, message: InputImageReady) -> None:
        if self._asked.get(message.key) != message.path:
            return  # the path changed again meanwhile
        old = self._textures.pop(message.key, None)
        self._textures[message.key] = (message.path, upload(self.window.ctx, message.pixels, old[1] if old else None))

    def release(self) -> None:
        for _, texture in self._textures.values():
            texture.release()
        self._textures.clear()
