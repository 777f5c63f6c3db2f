"""A clip decoded on a thread of its own, a little ahead of the show.

The GL thread owns the play head (show/transport.py). Each frame it tells the player which
frame numbers it will want next (``want``); the player decodes the ones it has not sent, in the
order they are due, and posts each as a FeedFrame into the show's inbox, converted to what the
GL uploads as is (RGBA, bottom row first). Only the latest wish counts: a scrub or a jump
abandons the frames of the old one. Nothing here touches GL, and nothing the GL thread calls
here waits for decoding.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.media.clip import Clip, ClipInfo
from shaderlab.show.messages import FeedFailed, FeedFrame, Message

log = logging.getLogger(__name__)


def gl_rows(pixels: np.ndarray) -> np.ndarray:
    """H×W×4 (or ×3) uint8, row 0 = top, as contiguous RGBA with the bottom row first. RGBA is
    one copy (1 ms at 1080p); RGB must be widened as well (about 15 ms): feeds decode to RGBA."""
    if pixels.shape[2] == 4:
        return np.ascontiguousarray(pixels[::-1])
    height, width = pixels.shape[:2]
    rows = np.empty((height, width, 4), np.uint8)
    rows[:, :, :3] = pixels[::-1, :, :3]
    rows[:, :, 3] = 255
    return rows


class ClipPlayer:
    """Decodes ``clip`` on its own thread; frames go to ``post`` as FeedFrame(self, n, rows)."""

    def __init__(self, clip: Clip, post: Callable[[Message], None]):
        self.clip = clip
        self.info: ClipInfo = clip.info
        self.post = post
        self._wake = threading.Condition()
        self._wanted: tuple[int, ...] = ()
        self._sent: set[int] = set()
        self._stopping = False
        self._failed = False
        self.decoded = 0  # frames posted, for the panel and the benchmarks
        self._thread = threading.Thread(target=self._run, name=f"shaderlab-clip-{clip.path.name}", daemon=True)

    def start(self) -> "ClipPlayer":
        self._thread.start()
        return self

    def want(self, frames: tuple[int, ...]) -> None:
        """The frame numbers the show wants next, the one due first first (never blocks). The
        GL thread lets go of the frames it no longer wants: those are sent again if wanted again."""
        with self._wake:
            if frames != self._wanted:
                self._wanted = frames
                self._sent &= set(frames)
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopping and not self._missing():
                    self._wake.wait()
                if self._stopping:
                    break
                wanted = self._wanted
                index = next(n for n in wanted if n not in self._sent)
            try:
                rows = gl_rows(self.clip.frame(index))
            except ShaderlabError as exc:
                self._fail(str(exc), wanted)
                continue
            except Exception as exc:  # noqa: BLE001 - whatever FFmpeg raises is this clip's error
                log.debug("clip decoding failed", exc_info=True)
                self._fail(f"{self.clip.path}: cannot decode the video ({type(exc).__name__}: {exc})", wanted)
                continue
            with self._wake:
                if index in self._wanted:  # else let go of while it was decoded
                    self._sent.add(index)
                self._failed = False
            self.decoded += 1
            self.post(FeedFrame(self, index, rows))
        self.clip.close()

    def _missing(self) -> bool:
        return not self._failed and any(n not in self._sent for n in self._wanted)

    def _fail(self, message: str, failed_on: tuple[int, ...]) -> None:
        """Say so; try again when the show wants other frames than those it failed on (the
        head moved, a jump, the loop)."""
        with self._wake:
            self._failed = True
        self.post(FeedFailed(self, message))
        with self._wake:
            while not self._stopping and self._wanted == failed_on:
                self._wake.wait()
            self._failed = False

    def discard(self) -> None:
        """Let go of a player: its thread ends and closes the file; never started, the file is
        closed here."""
        if self._thread.is_alive() or self._thread.ident is not None:
            self.stop()
        else:
            self.clip.close()

    def stop(self) -> None:
        """Let the thread finish and close the file (returns at once)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()

    def join(self, timeout: float = 2.0) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)
