"""A clip's frames for an offline render: decoded on a thread of their own a few frames ahead
of the renderer, in the order asked, so decoding and rendering overlap."""

from __future__ import annotations

import math
import queue
import threading
from typing import Iterable, Iterator

import numpy as np

from shaderlab.media.clip import Clip

_DONE = object()


def frame_numbers(clip_frames: int, clip_fps: float, frames: int | None, fps: float | None,
                  start: float = 0.0) -> list[int]:
    """Which clip frame each output frame shows: every input frame by default, or ``frames``
    output frames at ``fps`` resampled by time from ``start`` (looping past the clip's end)."""
    if frames is None and fps is None and start == 0.0:
        return list(range(clip_frames))
    rate = fps or clip_fps
    count = frames if frames is not None else max(1, math.floor((clip_frames / clip_fps - start) * rate + 1e-9))
    return [math.floor((start + n / rate) * clip_fps + 1e-6) % clip_frames for n in range(count)]


def decoded(clip: Clip, numbers: Iterable[int], ahead: int = 4) -> Iterator[np.ndarray]:
    """``clip.frame(n)`` for each of ``numbers``, decoded ``ahead`` frames early on a thread."""
    frames: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def decode() -> None:
        try:
            for number in numbers:
                if stop.is_set():
                    return
                frames.put(clip.frame(number))
            frames.put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed over, raised on the renderer's thread
            frames.put(exc)

    thread = threading.Thread(target=decode, name="shaderlab-clip-decoder", daemon=True)
    thread.start()
    try:
        while (item := frames.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a decoder blocked on a full queue see the stop
            try:
                frames.get_nowait()
            except queue.Empty:
                thread.join(0.05)
