"""Clips the media tests make themselves, from our photographs, with PyAV: each frame is the
photo moved along and stamped with its number in a corner block, so a frame read back can be
told from its neighbours even through a lossy codec."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from conftest import IMAGES


def stamped(index: int, size: tuple[int, int], photo: str = "coffee.png") -> np.ndarray:
    """Frame ``index``: the photo rolled 4 px a frame, its top-left 32×32 block grey at 6 × index (up to 42 frames)."""
    width, height = size
    picture = np.asarray(Image.open(IMAGES / photo).convert("RGB").resize((width, height)))
    frame = np.roll(picture, index * 4, axis=1).copy()
    frame[:32, :32] = (index * 6) % 256
    return frame


def stamp_of(pixels: np.ndarray) -> int:
    """The number stamped in a frame (as read back: rounded to the nearest step of 6)."""
    return int(round(float(pixels[8:24, 8:24, :3].mean()) / 6))


def make_clip(path: Path, frames: int = 30, size: tuple[int, int] = (160, 96), fps: int = 30,
              codec: str = "libx264", gop: int = 10, pix_fmt: str = "yuv420p", blank: bool = False) -> Path:
    """A clip of stamped frames (``blank``: black ones, quick to make at any size)."""
    out = av.open(str(path), "w")
    stream = out.add_stream(codec, rate=fps)
    stream.width, stream.height, stream.pix_fmt = size[0], size[1], pix_fmt
    if codec == "libx264":
        stream.options = {"preset": "ultrafast", "g": str(gop), "qp": "4"}
    for index in range(frames):
        pixels = np.zeros((size[1], size[0], 3), np.uint8) if blank else stamped(index, size)
        for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    return path


def make_variable_rate_clip(path: Path, frames: int = 30) -> Path:
    """An MKV whose frames alternate 60 ms and 20 ms apart (25 fps on average)."""
    stamps, moment = [], 0
    for index in range(frames):
        stamps.append((index, moment))
        moment += 20 if index % 2 else 60
    return _timed_clip(path, stamps, Fraction(1, 1000), rate=30)


def make_clip_with_gaps(path: Path, numbers: list[int], fps: int = 30) -> Path:
    """An MKV whose frames carry the given numbers (timestamps n / fps): the missing ones are
    gaps, as a dropped frame or a variable rate leaves them."""
    return _timed_clip(path, [(number, number) for number in numbers], Fraction(1, fps), rate=fps)


def _timed_clip(path: Path, stamps: list[tuple[int, int]], time_base: Fraction, rate: int) -> Path:
    """A 64×48 H.264 clip of stamped frames, each (number, pts in ``time_base``) as given."""
    out = av.open(str(path), "w")
    stream = out.add_stream("libx264", rate=rate)
    stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
    stream.options = {"preset": "ultrafast", "g": "4", "qp": "4"}
    stream.codec_context.time_base = time_base
    for number, pts in stamps:
        frame = av.VideoFrame.from_ndarray(stamped(number, (64, 48)), format="rgb24")
        frame.pts, frame.time_base = pts, time_base
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    return path


def decoded_frames(path: Path) -> dict[int, np.ndarray]:
    """Every frame of a clip as shaderlab decodes it, by number."""
    from shaderlab.media.clip import Clip

    with Clip(path) as clip:
        return dict(clip.frames())
