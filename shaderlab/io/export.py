"""Write rendered frames as a video (MP4 through imageio-ffmpeg's bundled ffmpeg), an animated
GIF, or a folder of PNGs — on a writer thread, so rendering never waits for encoding.

Nothing is ever overwritten: the output must not exist yet (a PNG folder may exist if empty).
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab.errors import ShaderlabError

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm")
_DONE = None


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
    if export_kind(path) == "frames":
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ShaderlabError(f"{path}: exists and is not an empty folder; choose another name")
    elif path.exists():
        raise ShaderlabError(f"{path}: exists already; choose another name")
    if not path.parent.is_dir():
        raise ShaderlabError(f"{path.parent}: no such folder")


class FrameWriter:
    """Takes RGBA frames on the caller's thread and encodes them on its own.

    The queue is bounded, so a renderer far faster than the encoder waits rather than
    filling memory; ``close`` waits for the last frame and re-raises an encoding error.
    """

    def __init__(self, path: Path, size: tuple[int, int], fps: float, quality: int = 8, backlog: int = 8):
        self.path = path
        self.size = size
        self.fps = fps
        self.quality = quality
        self.kind = export_kind(path)
        self.frames_written = 0
        self._queue: queue.Queue = queue.Queue(maxsize=backlog)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="shaderlab-writer", daemon=True)
        self._thread.start()

    def write(self, rgba: np.ndarray) -> None:
        if self._error is not None:
            raise ShaderlabError(f"{self.path}: encoding failed: {self._error}")
        self._queue.put(rgba)

    def offer(self, rgba: np.ndarray) -> bool:
        """Queue a frame if there is room, without waiting (the window must never wait on the
        encoder); False means the frame was dropped."""
        if self._error is not None:
            raise ShaderlabError(f"{self.path}: encoding failed: {self._error}")
        try:
            self._queue.put_nowait(rgba)
        except queue.Full:
            return False
        return True

    def close(self) -> None:
        self._queue.put(_DONE)
        self._thread.join()
        if self._error is not None:
            raise ShaderlabError(f"{self.path}: encoding failed: {self._error}")

    def _frames(self):
        while True:
            frame = self._queue.get()
            if frame is _DONE:
                return
            yield frame

    def _run(self) -> None:
        try:
            {"video": self._video, "gif": self._gif, "frames": self._pngs}[self.kind]()
        except BaseException as exc:  # reported by write/close on the caller's thread
            self._error = exc
            for _ in self._frames():  # keep taking frames so the caller never blocks
                pass

    def _video(self) -> None:
        import imageio_ffmpeg

        width, height = self.size
        even = (width + width % 2, height + height % 2)  # H.264 in yuv420p needs even sizes
        writer = imageio_ffmpeg.write_frames(
            str(self.path), even, fps=self.fps, codec="libx264", pix_fmt_in="rgb24",
            quality=self.quality, macro_block_size=2, ffmpeg_log_level="error",
            output_params=["-preset", "veryfast"],  # 2-3x faster than x264's default, same quality target
        )
        writer.send(None)
        try:
            for frame in self._frames():
                rgb = frame[..., :3]
                if even != (width, height):
                    rgb = np.pad(rgb, ((0, even[1] - height), (0, even[0] - width), (0, 0)), mode="edge")
                writer.send(np.ascontiguousarray(rgb))
                self.frames_written += 1
        finally:
            writer.close()

    def _gif(self) -> None:
        frames = [Image.fromarray(frame[..., :3]) for frame in self._frames()]
        if not frames:
            return
        frames[0].save(self.path, save_all=True, append_images=frames[1:],
                       duration=round(1000 / self.fps), loop=0, optimize=False)
        self.frames_written = len(frames)

    def _pngs(self) -> None:
        self.path.mkdir(exist_ok=True)
        for index, frame in enumerate(self._frames()):
            with open(self.path / f"frame_{index:05d}.png", "xb") as handle:
                Image.fromarray(frame).save(handle, format="PNG")
            self.frames_written += 1
