"""Animated WebP through Pillow, for the FFmpeg builds (before 8.0) that cannot decode it.

Image generators and chat apps hand out animated WebP more than any other moving picture, and
PyAV's FFmpeg reads its container but not its frames. These files are short and small, so the
frames are decoded once, whole, and held; frame ``n`` is the one on show at ``n / fps``, on a
grid of the frames' durations' common divisor, so each frame is shown for its own time.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

#: At most this many bytes of decoded frames are held; longer files are to be converted.
MAX_HELD_BYTES = 1024 * 1024 * 1024


class AnimatedError(Exception):
    """One line saying why the file cannot be played (the clip adds its name)."""


def is_animated_webp(path: Path) -> bool:
    """Whether ``path`` is a WebP with more than one frame (its header says so: no decoding)."""
    try:
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError:
        return False
    return (len(head) > 20 and head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] == b"VP8X"
            and bool(head[20] & 0x02))


def read_animated(path: Path, max_side: int, pixel_format: str) -> tuple[list[np.ndarray], float, bool, list[str]]:
    """Every frame of an animated image, scaled to ``max_side``, on an even grid.

    Returns (frames, fps, whether the durations varied, warnings)."""
    from PIL import Image, ImageSequence

    mode = "RGBA" if pixel_format == "rgba" else "RGB"
    warnings: list[str] = []
    try:
        with Image.open(path) as image:
            width, height = image.size
            scale = min(1.0, max_side / max(width, height))
            size = (max(2, round(width * scale)), max(2, round(height * scale)))
            if scale < 1.0:
                warnings.append(f"{path.name}: {width}×{height} is larger than the GPU's {max_side}-pixel texture "
                                f"limit; played at {size[0]}×{size[1]}")
            pictures: list[np.ndarray] = []
            durations: list[int] = []
            held = 0
            for frame in ImageSequence.Iterator(image):
                picture = frame.convert(mode)
                if picture.size != size:
                    picture = picture.resize(size, Image.Resampling.LANCZOS)
                pictures.append(np.asarray(picture))
                durations.append(max(10, int(frame.info.get("duration") or 100)))  # ms; 0 means "as fast as can be"
                held += pictures[-1].nbytes
                if held > MAX_HELD_BYTES:
                    raise AnimatedError(f"more than {MAX_HELD_BYTES >> 20} MB of frames decoded; too long to hold: "
                                        "convert it (ffmpeg -i IN -c:v libx264 OUT.mp4)")
    except (OSError, ValueError, SyntaxError) as exc:
        raise AnimatedError(f"not an animated image Pillow can read ({' '.join(str(exc).split())[:160]})") from None
    if not pictures:
        raise AnimatedError("no frames in the file; is it complete?")
    # A grid as fine as the durations' common divisor (at least 10 ms): each frame holds the
    # grid's slots from its start to the next frame's, so the clip keeps its length. Repeated
    # slots are the same array, not copies.
    step = max(10, math.gcd(*durations))
    frames: list[np.ndarray] = []
    start = 0
    for picture, duration in zip(pictures, durations):
        end = start + duration
        frames += [picture] * max(1, round(end / step) - round(start / step))
        start = end
    return frames, 1000.0 / step, len(set(durations)) > 1, warnings
