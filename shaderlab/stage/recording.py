"""Recording the window's output while the show goes on.

Each frame's output is read back through a pixel buffer (collected a couple of frames later,
so the frame never waits for the GPU) and offered to a writer thread; the frame never waits
for the encoder either. If the encoder falls behind by more than the backlog, recorded
frames are dropped (and counted) rather than the show's. Stopping never waits either: the
writer thread encodes what is left, moves the file to its name and posts the outcome.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np

from shaderlab.show.messages import JobFailed, Message, Saved
from shaderlab.errors import ShaderlabError
from shaderlab.io.export import FrameWriter, check_new
from shaderlab.io.save import timestamp_stem

#: Frames the encoder may fall behind by (at 1080p RGBA, 8 MB each).
BACKLOG = 32


class Recorder:
    def __init__(self, path: Path, size: tuple[int, int], fps: float = 60.0):
        check_new(path)
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            if path.suffix.lower() != ".gif" and path.suffix:
                raise ShaderlabError("recording MP4 needs the video extra: pip install 'shaderlab[video]'") from None
        self.path = path
        self.size = size
        self.writer = FrameWriter(path, size, fps, backlog=BACKLOG)
        self.recorded = 0
        self.dropped = 0
        self.stopping = False
        self.started = time.monotonic()

    def offer(self, pixels: np.ndarray) -> bool:
        """A frame's pixels (read back): False when dropped (the encoder behind, or a picture of
        another size); raises the writer's ShaderlabError once it has failed."""
        if (pixels.shape[1], pixels.shape[0]) != self.size:
            self.dropped += 1
            return False  # the picture changed size: this recording keeps its own
        if self.stopping:  # the last frames read back, as the recording stops: the show waits no more
            self.writer.write(pixels)
            self.recorded += 1
            return True
        if self.writer.offer(pixels):
            self.recorded += 1
            return True
        self.dropped += 1
        return False

    def stop(self, post: Callable[[Message], None]) -> str:
        """End the recording without waiting: the writer thread finishes the file and posts
        Saved, or JobFailed with the reason (a failure that stopped it early included)."""

        def done(error: BaseException | None) -> None:
            if error is None:
                post(Saved((self.path,)))
            else:
                post(JobFailed(0, str(error) if isinstance(error, ShaderlabError) else f"internal error: {error!r}"))

        self.writer.finish(done)
        return f"recording stopped: {self.recorded} frames, {self.dropped} dropped; finishing {self.path}"

    def wait(self) -> None:
        """At exit: let the writer finish the file before the process ends."""
        self.writer.join()


def recording_path(folder: Path) -> Path:
    """A new file name in ``folder`` for a recording."""
    stem = timestamp_stem()
    candidate = folder / f"{stem}.mp4"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.mp4"
        number += 1
    return candidate
