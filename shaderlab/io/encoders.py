"""Encoders that take RGBA frames one at a time and keep none of them: a video through ffmpeg,
an animated GIF streamed frame by frame, a folder of PNGs.

Each writes to a temporary path it is given (see io/atomic.py) and names the final path in its
messages. ``add`` per frame, then ``finish`` (raises on failure) or ``abort``.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

from shaderlab.errors import ShaderlabError
from shaderlab.io.atomic import advice

#: Codec options per container: H.264 where it may go, VP9 where WebM demands it.
_CODECS = {
    ".webm": ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "{crf}", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1"],
}
_H264 = ["-c:v", "libx264", "-crf", "{crf}", "-preset", "veryfast"]  # veryfast: 2-3x x264's default, same quality target
#: Seconds ffmpeg may take to encode what it still holds once the last frame is in.
FINISH_TIMEOUT = 300


class VideoEncoder:
    """Raw RGB frames piped into ffmpeg (imageio-ffmpeg's bundled binary); ffmpeg's exit status
    decides success, and its own first error line is the message."""

    def __init__(self, temporary: Path, final: Path, size: tuple[int, int], fps: float, quality: int,
                 audio: Path | None = None):
        """``audio``: a sound file muxed in beside the frames (cut to the video's length)."""
        import imageio_ffmpeg

        self.temporary, self.final, self.size = temporary, final, size
        width, height = size
        self.even = (width + width % 2, height + height % 2)  # yuv420p needs even sizes
        crf = str(int((1 - quality / 10) * 51))
        codec = [c.replace("{crf}", crf) for c in _CODECS.get(final.suffix.lower(), _H264)]
        rate = str(Fraction(fps).limit_denominator(1001))
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
             "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.even[0]}x{self.even[1]}", "-r", rate, "-i", "pipe:0",
             *_audio_arguments(audio, final), *codec, "-pix_fmt", "yuv420p", str(temporary)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
            start_new_session=True,  # Ctrl-C reaches shaderlab, which stops ffmpeg itself
        )

    def add(self, frame: np.ndarray) -> None:
        rgb = frame[..., :3]
        width, height = self.size
        if self.even != (width, height):
            rgb = np.pad(rgb, ((0, self.even[1] - height), (0, self.even[0] - width), (0, 0)), mode="edge")
        try:
            self._process.stdin.write(np.ascontiguousarray(rgb).data)
        except (BrokenPipeError, ValueError, OSError):  # ffmpeg has stopped: say why
            self._process.wait(timeout=FINISH_TIMEOUT)
            raise self._failure() from None

    def finish(self) -> None:
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            status = self._process.wait(timeout=FINISH_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.abort()
            raise ShaderlabError(f"{self.final}: ffmpeg did not finish within {FINISH_TIMEOUT} s") from None
        if status != 0:
            raise self._failure()
        self._log.close()

    def abort(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        try:
            self._process.stdin.close()
        except OSError:
            pass
        self._log.close()

    def _failure(self) -> ShaderlabError:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").replace(str(self.temporary), str(self.final))
        self._log.close()
        gist = ffmpeg_gist(text) or f"exited with status {self._process.returncode}"
        code = next((c for c, m in _STRERRORS.items() if m in gist), None)
        return ShaderlabError(f"{self.final}: cannot write (ffmpeg: {gist}); {advice(code)}")


def ffmpeg_gist(text: str) -> str:
    """ffmpeg's first error line without its ``[muxer @ 0x…]`` prefix, cut to one short line."""
    lines = [re.sub(r"^\[[^\]]*@ 0x[0-9a-f]+\]\s*", "", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    return lines[0][:300] if lines else ""


#: The system's words for the failures ffmpeg reports, so its message gets our advice.
_STRERRORS = {code: os.strerror(code) for code in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS)}


class GifEncoder:
    """An animated GIF written frame by frame: each frame gets its own palette and goes to the
    file at once, so a long recording holds one frame in memory, not all of them."""

    def __init__(self, temporary: Path, final: Path, size: tuple[int, int], fps: float, quality: int,
                 audio: Path | None = None):
        self.duration = max(round(1000 / fps), 10)  # GIF counts hundredths of a second
        self._file: BinaryIO = open(temporary, "wb")
        self._started = False

    def add(self, frame: np.ndarray) -> None:
        # Fast octree: ~5 ms a 600×400 frame where median cut takes ~250 (a little less exact).
        image = Image.fromarray(np.ascontiguousarray(frame[..., :3])).quantize(256, method=Image.Quantize.FASTOCTREE)
        if not self._started:
            header, _ = GifImagePlugin.getheader(image, info={"loop": 0, "duration": self.duration})
            self._file.writelines(header)
            self._started = True
        self._file.writelines(GifImagePlugin.getdata(image, duration=self.duration, include_color_table=True))

    def finish(self) -> None:
        self._file.write(b";")  # the GIF trailer
        self._file.close()

    def abort(self) -> None:
        self._file.close()


class PngEncoder:
    """frame_00000.png, frame_00001.png … in the (temporary) folder."""

    def __init__(self, temporary: Path, final: Path, size: tuple[int, int], fps: float, quality: int,
                 audio: Path | None = None):
        self.folder = temporary
        self.count = 0

    def add(self, frame: np.ndarray) -> None:
        Image.fromarray(frame).save(self.folder / f"frame_{self.count:05d}.png", format="PNG")
        self.count += 1

    def finish(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _audio_arguments(audio: Path | None, final: Path) -> list[str]:
    """ffmpeg's arguments for the soundtrack: none (``-an``), or the file mapped in beside the
    piped frames, encoded for the container, and cut where the frames end."""
    if audio is None:
        return ["-an"]
    codec = "libopus" if final.suffix.lower() == ".webm" else "aac"
    return ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0", "-c:a", codec, "-b:a", "192k", "-shortest"]


ENCODERS = {"video": VideoEncoder, "gif": GifEncoder, "frames": PngEncoder}
