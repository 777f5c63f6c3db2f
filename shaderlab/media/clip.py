"""Video files as frames: open and check a clip once, then read any frame by its number.

PyAV (FFmpeg) decodes; a clip is used by one thread at a time (the player's worker, or the
offline render). Frames are numbered in presentation order at the clip's average rate, so frame
``n`` is the picture on show at ``n / fps`` seconds: the same number always gives the same
pixels, which makes offline renders and replays frame-exact. Reading forward decodes on; a jump
seeks to the keyframe before it; frames decoded on the way are kept (within a memory budget),
so playing backwards costs one keyframe interval per interval, not per frame.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.media.animated import AnimatedError, is_animated_webp, read_animated

log = logging.getLogger(__name__)

#: File endings taken for clips rather than still pictures (GIF and WebP may be either: see
#: is_clip).
CLIP_SUFFIXES = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts", ".mxf", ".ogv", ".flv", ".wmv")
#: More pixels a frame than this (8K UHD) cannot be decoded live: refused, with what to do.
MAX_FRAME_PIXELS = 7680 * 4320
#: Decoded frames kept for jumps back and reverse play; more, up to the second figure, where a
#: clip's keyframe interval needs it.
CACHE_BYTES = 256 * 1024 * 1024
MAX_CACHE_BYTES = 1024 * 1024 * 1024


class MediaError(ShaderlabError):
    """A clip or camera that cannot be used (the message names it and says what to do)."""


def is_clip(path: Path | str) -> bool:
    """Whether ``path`` names a moving picture: a video file, or an animated GIF or WebP."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CLIP_SUFFIXES:
        return True
    if suffix in (".gif", ".webp"):
        try:
            from PIL import Image

            with Image.open(path) as im:
                return getattr(im, "n_frames", 1) > 1
        except Exception:  # noqa: BLE001 - unreadable: the image loader says why
            return False
    return False


@dataclass(frozen=True)
class ClipInfo:
    path: Path
    size: tuple[int, int]  # what frames are decoded to (scaled down past the GL's limit)
    fps: float
    frames: int
    codec: str
    variable_rate: bool
    has_audio: bool

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    def describe(self) -> str:
        return (f"{self.path.name} ({self.size[0]}×{self.size[1]}, {self.codec}, {self.fps:g} fps, "
                f"{self.frames} frames, {self.duration:.1f} s)")


def _av():
    try:
        import av
    except ImportError:
        raise MediaError("video clips and cameras need PyAV: pip install 'shaderlab[media]'") from None
    av.logging.set_level(av.logging.PANIC)  # FFmpeg's own chatter; what matters is raised
    return av


class Clip:
    """An open video file; ``frame(n)`` gives frame ``n`` as H×W×3 uint8 RGB (row 0 = top), or
    H×W×4 RGBA with ``pixel_format="rgba"`` (converted by FFmpeg, cheaper than widening later).

    Raises :class:`MediaError` with one line for a missing, corrupt, truncated or unsupported
    file, a file with no video, or a frame too large to play."""

    def __init__(self, path: Path | str, max_side: int = 16384, cache_bytes: int = CACHE_BYTES,
                 pixel_format: str = "rgb24"):
        self.path = Path(path)
        self.pixel_format = pixel_format
        self.warnings: list[str] = []
        self.keyframe_interval = 1
        if not self.path.is_file():
            raise MediaError(f"{self.path}: no such video file")
        self._held: list[np.ndarray] | None = None  # an animated WebP's frames, decoded by Pillow
        self._container = None
        if is_animated_webp(self.path):  # FFmpeg (before 8.0) reads its container but not its frames
            self.info = self._hold_animated(max_side)
            return
        av = _av()
        try:
            self._container = av.open(str(self.path), metadata_errors="ignore")
        except av.FFmpegError as exc:
            raise MediaError(f"{self.path}: not a video file FFmpeg can read ({_why(exc)})") from None
        try:
            self.info = self._probe(max_side)
        except BaseException:
            self._container.close()
            raise
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._backwards_budget = self._cache_budget(cache_bytes)  # taken once it plays backwards
        self._decoded = None  # the decoder's frames, from where it stands
        self._next = -1  # the number of the frame the decoder gives next (-1: unknown)
        self._last: tuple[int, np.ndarray] | None = None  # the last frame decoded since a seek
        self._last_good: np.ndarray | None = None
        self._end = self.info.frames  # where the frames really end (less in a truncated file)
        self._gaps: dict[int, int] = {}  # numbers with no frame of their own: the number before

    def _hold_animated(self, max_side: int) -> ClipInfo:
        try:
            self._held, fps, varied, warnings = read_animated(self.path, max_side, self.pixel_format)
        except AnimatedError as exc:
            raise MediaError(f"{self.path}: {exc}") from None
        self.warnings += warnings
        if varied:
            self.warnings.append(f"{self.path.name}: its frames are held for different times; each is shown for "
                                 f"its own, on a {fps:.3g} fps grid")
        height, width = self._held[0].shape[:2]
        self._end = len(self._held)
        return ClipInfo(self.path, (width, height), fps, len(self._held), "webp (Pillow)", varied, False)

    def _probe(self, max_side: int) -> ClipInfo:
        container = self._container
        if not container.streams.video:
            raise MediaError(f"{self.path}: has no video stream (sound only?); choose a video file")
        stream = self._stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frame and slice threads: FFmpeg's own, off the GL thread
        context = stream.codec_context
        if context is None or not context.name or context.name == "none" or getattr(context, "codec", None) is None:
            raise MediaError(f"{self.path}: its video codec is not one this FFmpeg can decode; "
                             "convert it (ffmpeg -i IN -c:v libx264 OUT.mp4)")
        width, height = context.width, context.height
        if width <= 0 or height <= 0:
            raise MediaError(f"{self.path}: the video stream has no picture size; is the file complete?")
        if width * height > MAX_FRAME_PIXELS:
            raise MediaError(f"{self.path}: {width}×{height} is too large to play live (at most 8K, 7680×4320); "
                             f"scale it down first (ffmpeg -i IN -vf scale=3840:-2 OUT.mp4)")
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        if not math.isfinite(fps) or fps <= 0 or fps > 1000:
            fps = 30.0
            self.warnings.append(f"{self.path.name}: no frame rate in the file; played at 30 fps")
        self._time_base: Fraction = stream.time_base or Fraction(1, 90000)
        self._start = stream.start_time or 0
        timing, measured = self._measured_rate(stream)
        frames = 0
        if timing == "grid":  # dropped frames or a rate that changes in steps: each at its own time
            fps = fps if abs(measured - fps) < 0.02 * fps else measured  # the declared rate, rounded by the container
            seconds = float(stream.duration * self._time_base) if stream.duration else (container.duration or 0) / 1e6
            frames = math.ceil(seconds * fps - 1e-6)
            self.warnings.append(f"{self.path.name}: its frames are not evenly spaced (dropped frames or a variable "
                                 f"rate); each is shown at its own time, on a {fps:.3g} fps grid")
        elif timing == "irregular":
            fps = measured
            self.warnings.append(f"{self.path.name}: variable frame rate; played at its average, {fps:.3g} fps")
        variable = timing != "even"
        frames = frames or stream.frames or self._count_frames(stream)
        if frames <= 0 and stream.duration:
            frames = int(round(float(stream.duration * self._time_base) * fps))
        if frames <= 0:
            raise MediaError(f"{self.path}: no video frames in the file; is it complete?")
        scale = min(1.0, max_side / max(width, height))
        size = (max(2, round(width * scale)), max(2, round(height * scale)))
        if scale < 1.0:
            self.warnings.append(f"{self.path.name}: {width}×{height} is larger than the GPU's {max_side}-pixel "
                                 f"texture limit; played at {size[0]}×{size[1]}")
        has_audio = bool(container.streams.audio)
        return ClipInfo(self.path, size, fps, int(frames), context.name, variable, has_audio)

    def _measured_rate(self, stream) -> tuple[str, float | None]:
        """How the first packets' timestamps step (read without decoding): "even"; "grid", in
        whole multiples of the shortest step (frames dropped, or a rate changing in steps), with
        the rate of that step; or "irregular", with their average rate. The keyframe interval
        is noted on the way (reverse play needs a whole one in memory)."""
        stamps, keyframes = [], []
        try:
            for packet in self._container.demux(stream):
                if packet.pts is not None:
                    stamps.append(packet.pts)
                    if packet.is_keyframe:
                        keyframes.append(len(stamps))
                if len(stamps) >= 300 or len(stamps) >= 120 and len(keyframes) >= 2:
                    break
        except Exception:  # noqa: BLE001 - a damaged start: the decoder will say so
            return "even", None
        finally:
            self._container.seek(self._start, stream=stream)
        self.keyframe_interval = keyframes[1] - keyframes[0] if len(keyframes) >= 2 else max(len(stamps), 1)
        ordered = np.sort(np.asarray(stamps, np.float64))
        steps = np.diff(ordered)
        steps = steps[steps > 0]
        if len(steps) < 4 or float(steps.max()) <= 1.5 * float(steps.min()):
            return "even", None
        shortest = float(steps.min())
        multiples = steps / shortest
        grid_rate = 1.0 / (shortest * float(self._time_base))
        if np.all(np.abs(multiples - np.rint(multiples)) < 0.1) and grid_rate <= 240:
            return "grid", grid_rate
        return "irregular", len(steps) / float((ordered[-1] - ordered[0]) * self._time_base)

    def _cache_budget(self, asked: int) -> int:
        """Room for a whole keyframe interval where it fits in MAX_CACHE_BYTES, for playing
        backwards: each interval is then decoded once. Longer intervals are said once."""
        if asked <= 0:
            return 0
        width, height = self.info.size
        frame = width * height * (4 if self.pixel_format == "rgba" else 3)
        interval = min(self.keyframe_interval, self.info.frames)
        needed = (interval + 2) * frame
        if needed > MAX_CACHE_BYTES:
            self.warnings.append(f"{self.path.name}: a keyframe only every {interval} frames; playing it backwards "
                                 "or ping-pong will stutter (re-encode with keyframes more often: ffmpeg -g 30)")
        return max(asked, min(needed, MAX_CACHE_BYTES))

    def _count_frames(self, stream) -> int:
        """The number of frames where the container does not say (WebM, GIF): its packets,
        read without decoding."""
        count = 0
        try:
            for packet in self._container.demux(stream):
                if packet.size:
                    count += 1
        except Exception:  # noqa: BLE001 - a damaged tail: the frames before it
            pass
        if count:
            self._container.seek(self._start, stream=stream)
        return count

    # -- reading ---------------------------------------------------------------------------
    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` (clamped to the clip): the picture on show at ``index / fps``. Where
        the file has no frame of that number (a variable frame rate, a dropped frame) that is
        the frame before it; past where a damaged or truncated file really ends, its last."""
        index = min(max(int(index), 0), self.info.frames - 1, self._end - 1)
        if self._held is not None:
            return self._held[index]
        index = self._gaps.get(index, index)  # a number the file has no frame for: the one before
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        if not (0 <= self._next <= index <= self._next + 2 * max(1, round(self.info.fps))):
            if index < self._next:  # backwards: a whole keyframe interval is worth keeping now
                self._cache_bytes = self._backwards_budget
            self._seek(index)
        back = 0.0  # a seek that lands past the frame is tried again from further back
        while True:
            before = self._last if self._last is not None and self._last[0] < index else None
            for number, pixels in self._decode_on():
                if number == index:
                    return pixels
                if number > index:
                    if before is not None:
                        # A gap in the numbers (decoded straight through it): the frame on show
                        # then is the one before; the numbers in the gap are remembered as such.
                        self._gaps.update(dict.fromkeys(range(before[0] + 1, number), before[0]))
                        return before[1]
                    if index == 0 or back > 4.0:
                        return pixels
                    back = back * 2 or 0.5
                    self._seek(index, back)
                    break
                before = (number, pixels)
            else:
                # The file ended before its frame count: it really ends here; the last frame
                # decoded stands for the rest, without seeking for them again.
                if before is not None:
                    self._end = min(self._end, before[0] + 1)
                return self._nearest_before(index)

    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        """Every frame in order from the first, as (number, pixels)."""
        if self._held is not None:
            yield from enumerate(self._held)
            return
        self._seek(0)
        yield from self._decode_on()

    def _seek(self, index: int, back: float = 0.0) -> None:
        target = self._start + int((index / self.info.fps - back) / self._time_base)
        try:
            self._container.seek(max(target, self._start), stream=self._stream, backward=True, any_frame=False)
        except Exception as exc:  # noqa: BLE001 - FFmpeg's errors and a vanished file alike
            raise MediaError(f"{self.path}: cannot seek in the file ({_why(exc)}); is it complete?") from None
        self._decoded = None
        self._next = -1
        self._last = None

    def _decode_on(self) -> Iterator[tuple[int, np.ndarray]]:
        """Decode from where the decoder stands, caching each frame, as (number, pixels)."""
        if self._decoded is None:
            self._decoded = self._container.decode(self._stream)
        while True:
            try:
                frame = next(self._decoded)
            except StopIteration:
                self._decoded, self._next = None, -1
                return
            except Exception as exc:  # noqa: BLE001 - corrupt data, a vanished file: say so once
                self._decoded, self._next = None, -1
                if isinstance(exc, OSError) or not self._cache:
                    raise MediaError(f"{self.path}: cannot decode the video ({_why(exc)})") from None
                log.debug("%s: decoding stopped: %s", self.path, exc)
                return
            number = self._number(frame)
            if number is None:
                continue
            pixels = self._convert(frame)
            self._keep(number, pixels)
            self._next, self._last = number + 1, (number, pixels)
            yield number, pixels

    def _number(self, frame: Any) -> int | None:
        if frame.pts is None:
            return self._next if self._next >= 0 else None
        return round(float((frame.pts - self._start) * self._time_base) * self.info.fps)

    def _convert(self, frame: Any) -> np.ndarray:
        width, height = self.info.size
        if (frame.width, frame.height) != (width, height) or frame.format.name != self.pixel_format:
            frame = frame.reformat(width=width, height=height, format=self.pixel_format)
        pixels = frame.to_ndarray()
        if pixels.shape[:2] != (height, width):  # a stream whose size changed mid-file
            pixels = np.ascontiguousarray(pixels[:height, :width])
        return pixels

    def _keep(self, number: int, pixels: np.ndarray) -> None:
        self._cache[number] = pixels
        self._cache.move_to_end(number)
        self._last_good = pixels
        budget = max(self._cache_bytes, 3 * pixels.nbytes)
        while len(self._cache) > 2 and len(self._cache) * pixels.nbytes > budget:
            self._cache.popitem(last=False)

    def _nearest_before(self, index: int) -> np.ndarray:
        before = [n for n in self._cache if n <= index]
        if before:
            return self._cache[max(before)]
        if self._last_good is not None:
            return self._last_good
        raise MediaError(f"{self.path}: frame {index} cannot be decoded; is the file complete?")

    def close(self) -> None:
        self._decoded = None
        if self._held is not None:
            self._held = []
            return
        self._cache.clear()
        self._container.close()

    def __enter__(self) -> "Clip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _why(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())[:160] or type(exc).__name__
