"""Image inputs set to files (a transition's endImage, a mask, an iChannel): the store keeps
the path (so scenes save it); the file is decoded on a worker and uploaded here, on the GL
thread, when it arrives."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

import moderngl

from shaderlab.gl.surface import upload
from shaderlab.io.images import load_image
from shaderlab.show.chain import ChainSlot
from shaderlab.show.messages import InputImageReady

Submit = Callable[[Callable[[int], Any]], int]


class ImageInputs:
    def __init__(self, ctx: moderngl.Context, submit: Submit, max_side: int):
        self.ctx, self.submit, self.max_side = ctx, submit, max_side
        # By (slot serial, input name): an effect removed and added again asks afresh.
        self._textures: dict[tuple[int, str], tuple[str, moderngl.Texture]] = {}
        # What was asked for each input; a path that failed is not asked again until it changes.
        self._asked: dict[tuple[int, str], str] = {}

    def textures_for(self, slot: ChainSlot, values: Mapping[str, Any]) -> dict[str, moderngl.Texture]:
        """The textures of ``slot``'s image inputs that name files; asks for any not loaded."""
        textures = {}
        for declared in slot.spec.inputs:
            path = values.get(declared.name)
            if not declared.is_image or not isinstance(path, str) or not path:
                continue
            key = (slot.serial, declared.name)
            loaded = self._textures.get(key)
            if loaded is not None and loaded[0] == path:
                textures[declared.name] = loaded[1]
            elif self._asked.get(key) != path:
                self._asked[key] = path
                side = self.max_side
                self.submit(lambda job, p=path, k=key: InputImageReady(k, p, load_image(Path(p).expanduser(), side).pixels))
        return textures

    def on_loaded(self, message: InputImageReady) -> None:
        if self._asked.get(message.key) != message.path:
            return  # the path changed again meanwhile
        old = self._textures.pop(message.key, None)
        self._textures[message.key] = (message.path, upload(self.ctx, message.pixels, old[1] if old else None))

    def keep_only(self, serials: set[int]) -> None:
        """Let go of the textures of effects no longer in the chain."""
        for key in [k for k in self._asked if k[0] not in serials]:
            self._asked.pop(key, None)
            loaded = self._textures.pop(key, None)
            if loaded is not None:
                loaded[1].release()

    def release(self) -> None:
        for _, texture in self._textures.values():
            texture.release()
        self._textures.clear()
