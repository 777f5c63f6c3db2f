"""What worker threads tell the GL thread, through the one inbox drained at the start of a frame.

Every type the app's dispatch table handles is listed in :data:`Message`; commands
(show/commands.py) travel through the same inbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from shaderlab.isf.header import EffectSpec


@dataclass(frozen=True)
class ImageReady:
    job: int
    pixels: np.ndarray
    path: Path
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DepthReady:
    """A depth map for the current picture (float32 H×W, near = 1), from a file or estimated."""

    job: int
    depth: np.ndarray
    origin: str


@dataclass(frozen=True)
class ShaderChanged:
    """An effect appeared or one of its files changed: its new spec, or why it could not be read."""

    path: Path
    spec: "EffectSpec | None"
    error: str | None = None


@dataclass(frozen=True)
class ShaderTried:
    """A version of an effect was tried off the show at ``size`` (stage/trials.py): ``error`` if
    it must not run there."""

    spec: "EffectSpec"
    size: tuple[int, int]
    error: str | None
    #: No trial could be run (the helper did not start): no verdict on the code.
    unavailable: bool = False


@dataclass(frozen=True)
class ModelAnswer:
    """A model's answer: a depth map (float32, resized to the picture), or a picture
    (generated, or the frame enhanced by an image-to-image model)."""

    job: int
    kind: str  # "depth", "generate" or "enhance"
    array: np.ndarray
    model: str
    seconds: float  # from the request to the answer


@dataclass(frozen=True)
class ShelfListed:
    """A folder's effects, read on a worker: (path, spec or None, error or None) each."""

    folder: Path
    entries: tuple[tuple[Path, "EffectSpec | None", str | None], ...]


@dataclass(frozen=True)
class EffectRead:
    """One effect file read on a worker, to be added to the chain."""

    path: Path
    spec: "EffectSpec"


@dataclass(frozen=True)
class InputImageReady:
    """A file an effect's image input names, decoded on a worker."""

    key: tuple[int, str]  # (effect slot serial, input name)
    path: str
    pixels: np.ndarray


@dataclass(frozen=True)
class AudioHeard:
    """One hop of the live audio's analysis (shaderlab.audio.analysis.Features): ISF audio
    textures, followers and onsets take it on the GL thread."""

    features: Any


@dataclass(frozen=True)
class AudioInputs:
    """The sound inputs there are, listed on a worker: (index, name) each, monitors first."""

    devices: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class AudioSwitched:
    """A sound input opened on a worker (shaderlab.audio.capture.DeviceAudio), or None: the show
    hears it from now on."""

    source: Any


@dataclass(frozen=True)
class LinkBeat:
    """Where the Ableton Link session was at ``stamp`` (time.perf_counter): its tempo and beat;
    the GL thread carries the beat on to the frame's moment and places the clock there."""

    bpm: float
    beat: float
    stamp: float

    def beat_at(self, moment: float) -> float:
        """The session's beat at ``moment`` (time.perf_counter), carried on at its tempo."""
        return self.beat + (moment - self.stamp) * self.bpm / 60.0


@dataclass(frozen=True)
class FeedOpened:
    """A clip, camera or NDI source opened on a worker (shaderlab.media: a ClipPlayer or a
    LiveFeed, not started yet), for the source (``key`` None) or an effect's image input."""

    job: int
    feed: Any
    label: str
    key: tuple[int, str] | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedFrame:
    """A frame of a clip (``index``: its number) or of a live feed (its serial), as RGBA rows
    bottom row first: ready to upload, converted on the feed's thread."""

    feed: Any
    index: int
    rows: np.ndarray


@dataclass(frozen=True)
class FeedFailed:
    """A feed could not go on (a damaged file, a camera unplugged): the last frame stays."""

    feed: Any
    message: str
    #: It is back (a camera plugged in again): news rather than an error.
    recovered: bool = False


@dataclass(frozen=True)
class ShaderRemoved:
    path: Path


@dataclass(frozen=True)
class Saved:
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class JobFailed:
    job: int
    message: str


Message = (ImageReady | DepthReady | ModelAnswer | ShelfListed | EffectRead | InputImageReady | ShaderChanged
           | ShaderTried | ShaderRemoved | Saved | JobFailed | AudioHeard | LinkBeat
           | AudioInputs | AudioSwitched | FeedOpened | FeedFrame | FeedFailed)
