"""Write rendered frames as a video (MP4 through imageio-ffmpeg's bundled ffmpeg), an animated
GIF, or a folder of PNGs — on a writer thread, so rendering never waits for encoding.

Nothing is ever overwritten: the output must not exist yet (a PNG folder may exist if empty).
The name is claimed when the writer is made, the frames go to a temporary beside it, and only a
finished output is moved to its name (io/atomic.py); a failure removes what was written.
"""

from __future__ import annotations

import math
import queue
import threading
from pathlib import Path
from typing import Callable

import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.io.atomic import Output, cannot_write, refuse_existing
from shaderlab.io.encoders import ENCODERS

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm")
#: How often a waiting side looks again whether the other has stopped (seconds).
_POLL = 0.05


class _Aborted(Exception):
    """The caller gave up on the output: remove it, report nothing."""


def export_kind(path: Path) -> str:
    """"video", "gif" or "frames" (a folder of PNGs: a path without a suffix)."""
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    if suffix == ".gif":
        return "gif"
    if suffix == "":
        return "frames"
    raise ShaderlabError(f"{path}: write .mp4 (or .mov/.mkv/.webm), .gif, or a folder name for PNG frames")


def check_new(path: Path) -> None:
    """Refuse to replace anything: files must not exist, a frames folder must be empty."""
    refuse_existing(path, folder=export_kind(path) == "frames")


def check_fps(fps: float) -> None:
    if not (math.isfinite(fps) and fps > 0):
        raise ShaderlabError(f"--fps must be a number above 0, not {fps:g}")


class FrameWriter:
    """Takes RGBA frames on the caller's thread and encodes them on its own.

    The queue is bounded, so a renderer far faster than the encoder waits rather than filling
    memory. Neither side can wait for ever on the other: a failed encoder ends its thread and
    the next ``write``/``offer`` raises its error; ``close`` waits for the last frame and the
    move into place and raises the error; ``finish`` does the same on the writer thread and
    reports to a callback; ``abort`` (or leaving the ``with`` block by an exception) removes
    the output.
    """

    def __init__(self, path: Path, size: tuple[int, int], fps: float, quality: int = 8, backlog: int = 8,
                 audio: Path | None = None):
        """``audio``: a sound file muxed into a video (GIFs and PNG folders have no sound)."""
        check_fps(fps)
        self.path = path
        self.audio = audio
        self.size = size
        self.fps = fps
        self.quality = quality
        self.kind = export_kind(path)
        self.frames_written = 0
        self.output = Output(path, folder=self.kind == "frames")  # claimed now: a second writer fails at once
        self._queue: queue.Queue = queue.Queue(maxsize=backlog)
        self._error: BaseException | None = None
        self._closing = threading.Event()
        self._aborting = threading.Event()
        self._lock = threading.Lock()
        self._ended = False
        self._on_done: Callable[[BaseException | None], None] | None = None
        self._thread = threading.Thread(target=self._run, name="shaderlab-writer", daemon=True)
        self._thread.start()

    def __enter__(self) -> "FrameWriter":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()

    def write(self, rgba: np.ndarray) -> None:
        """Queue a frame, waiting while the backlog is full (but never for a stopped writer)."""
        while True:
            self._raise_failure()
            if not self._thread.is_alive():
                raise ShaderlabError(f"{self.path}: the writer has stopped; nothing more can be written")
            try:
                self._queue.put(rgba, timeout=_POLL)
                return
            except queue.Full:
                continue

    def offer(self, rgba: np.ndarray) -> bool:
        """Queue a frame if there is room, without waiting (the window must never wait on the
        encoder); False means the frame was dropped."""
        self._raise_failure()
        try:
            self._queue.put_nowait(rgba)
        except queue.Full:
            return False
        return True

    def close(self) -> None:
        """Finish, wait for the output to be in place, and raise if it could not be written."""
        self._closing.set()
        self._thread.join()
        self._raise_failure()

    def finish(self, on_done: Callable[[BaseException | None], None]) -> None:
        """Finish without waiting: ``on_done(error or None)`` is called once the output is in
        place or has failed (on the writer thread, or here if it has stopped already)."""
        with self._lock:
            if not self._ended:
                self._on_done = on_done
                self._closing.set()
                return
        on_done(self._error)

    def abort(self) -> None:
        """Stop and remove whatever was written."""
        self._aborting.set()
        self._thread.join()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _frames(self):
        while True:
            if self._aborting.is_set():
                raise _Aborted
            try:
                frame = self._queue.get(timeout=_POLL)
            except queue.Empty:
                if self._closing.is_set() and self._queue.empty():
                    return
                continue
            yield frame

    def _run(self) -> None:
        try:
            self._encode()
        except _Aborted:
            pass
        except ShaderlabError as exc:
            self._error = exc
        except OSError as exc:
            self._error = cannot_write(self.path, exc)
        except BaseException as exc:  # a bug: the caller re-raises it with its traceback
            self._error = exc
        finally:
            if self._error is not None or self._aborting.is_set():
                self.output.discard()
            with self._lock:
                self._ended = True
                on_done = self._on_done
            if on_done is not None:
                on_done(self._error)

    def _encode(self) -> None:
        encoder = ENCODERS[self.kind](self.output.temporary, self.path, self.size, self.fps, self.quality, self.audio)
        try:
            for frame in self._frames():
                encoder.add(frame)
                self.frames_written += 1
            if self.frames_written == 0:
                raise ShaderlabError(f"{self.path}: no frames were recorded, so nothing was written")
            encoder.finish()
        except BaseException:
            encoder.abort()
            raise
        self.output.commit()
