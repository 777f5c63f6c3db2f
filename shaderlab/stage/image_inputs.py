"""Image inputs set to files (a transition's endImage, a mask, an iChannel): the store keeps
the path (so scenes save it); the file is decoded on a worker and uploaded here, on the GL
thread, when it arrives. A clip, ``camera:SPEC`` or ``ndi:NAME`` plays there as it does as the
source (a clip loops at its own speed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

import moderngl

from shaderlab.gl.surface import upload
from shaderlab.io.images import load_image
from shaderlab.media.clip import is_clip
from shaderlab.media.feeds import is_live, open_feed
from shaderlab.show.chain import ChainSlot
from shaderlab.show.messages import FeedOpened, InputImageReady, Message
from shaderlab.stage.moving import MovingPicture, moving_picture

Submit = Callable[[Callable[[int], Any]], int]


#: How clips in image inputs play: forwards, looping (the source's transport is the show's).
_INPUT_CLIP = {"speed": 1.0, "mode": 0}


class ImageInputs:
    def __init__(self, ctx: moderngl.Context, submit: Submit, max_side: int, post: Callable[[Message], None]):
        self.ctx, self.submit, self.max_side, self.post = ctx, submit, max_side, post
        self._moving: dict[tuple[int, str], tuple[str, MovingPicture]] = {}
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
            loaded = self._textures.get(key) or self._moving.get(key)
            if loaded is not None and loaded[0] == path:
                texture = loaded[1] if isinstance(loaded[1], moderngl.Texture) else loaded[1].texture
                if not isinstance(loaded[1], MovingPicture) or loaded[1].started:
                    textures[declared.name] = texture
            elif self._asked.get(key) != path:
                self._asked[key] = path
                self.submit(lambda job, p=path, k=key: self._open(job, p, k))
        return textures

    def _open(self, job: int, path: str, key: tuple[int, str]) -> Message:
        """On a worker: a still is decoded; what moves is opened as a feed."""
        if is_live(path) or is_clip(Path(path).expanduser()):
            feed, _, warnings = open_feed(path, self.post, self.max_side)
            return FeedOpened(job, feed, path, key, warnings)
        return InputImageReady(key, path, load_image(Path(path).expanduser(), self.max_side).pixels)

    def on_feed(self, message: FeedOpened) -> None:
        if self._asked.get(message.key) != message.label:
            message.feed.discard()  # the input changed again meanwhile
            return
        for old in (self._moving.pop(message.key, None), self._textures.pop(message.key, None)):
            if old is not None:
                old[1].release()
        self._moving[message.key] = (message.label, moving_picture(self.ctx, message.feed, message.label))
        message.feed.start()

    def moving(self) -> list[MovingPicture]:
        return [picture for _, picture in self._moving.values()]

    def tick_moving(self, seconds: float, values: Mapping[str, Any]) -> None:
        for _, picture in self._moving.values():
            picture.tick(seconds, _INPUT_CLIP)

    def on_loaded(self, message: InputImageReady) -> None:
        if self._asked.get(message.key) != message.path:
            return  # the path changed again meanwhile
        old = self._textures.pop(message.key, None)
        moving = self._moving.pop(message.key, None)
        if moving is not None:
            moving[1].release()
        self._textures[message.key] = (message.path, upload(self.ctx, message.pixels, old[1] if old else None))

    def keep_only(self, serials: set[int]) -> None:
        """Let go of the textures of effects no longer in the chain."""
        for key in [k for k in self._asked if k[0] not in serials]:
            self._asked.pop(key, None)
            loaded = self._textures.pop(key, None)
            if loaded is not None:
                loaded[1].release()
            moving = self._moving.pop(key, None)
            if moving is not None:
                moving[1].release()

    def release(self) -> None:
        for _, texture in self._textures.values():
            texture.release()
        for _, picture in self._moving.values():
            picture.release()
        self._textures.clear()
        self._moving.clear()
