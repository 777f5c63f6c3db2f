"""What the show works from besides effect values: the source, its depth map, the messages.

Plain data on the GL thread; the stage reads it and loads files on workers.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Note:
    """One line for the performer: an error, a warning or news."""

    text: str
    error: bool = False
    warning: bool = False
    when: float = field(default_factory=time.monotonic)


@dataclass
class Session:
    source: Path | None = None
    #: A depth map for the source; None: the built-in estimate.
    depth: Path | None = None
    depth_invert: bool = False
    #: The source is a clip: its cue points (seconds), saved in scenes with its speed and mode.
    clip: bool = False
    cue_points: list[float] = field(default_factory=list)
    #: The latest lines, oldest first: a long show must not grow this without bound.
    notes: deque[Note] = field(default_factory=lambda: deque(maxlen=8))

    def say(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.notes.append(Note(text, error, warning))
