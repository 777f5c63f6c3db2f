"""Time as effects see it (TIME, TIMEDELTA, FRAMEINDEX): from the wall clock or in fixed steps.

The window uses :class:`WallClock`; rendering to files and tests use :class:`FixedClock` so that
the same command always produces the same frames.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass


#: Uniforms an effect may declare to follow the music (show/tempo.py), in FrameTime.tempo's order.
TEMPO_UNIFORMS = ("BPM", "BEAT", "BEAT_PHASE", "BAR_PHASE")


@dataclass(frozen=True)
class FrameTime:
    time: float = 0.0
    delta: float = 0.0
    index: int = 0
    #: Shadertoy's iMouse: the pointer in render pixels (y up) while pressed, and where the
    #: press began (negative once released).
    mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    #: The music at this frame: BPM, BEAT (beats since the clock began), BEAT_PHASE and
    #: BAR_PHASE (0..1) — uniforms for effects that declare them.
    tempo: tuple[float, float, float, float] = (120.0, 0.0, 0.0, 0.0)


class FixedClock:
    """Frame ``n`` is at ``start + n / fps``, however long it took to render."""

    def __init__(self, fps: float = 60.0, start: float = 0.0):
        self.fps = fps
        self.start = start
        self.index = 0

    def tick(self) -> FrameTime:
        frame = FrameTime(self.start + self.index / self.fps, 1.0 / self.fps if self.index else 0.0, self.index)
        self.index += 1
        return frame


class WallClock:
    """Seconds since the first tick; TIME is 0 on the first frame, as ISF asks."""

    def __init__(self) -> None:
        self._start: float | None = None
        self._last = 0.0
        self.index = 0

    def tick(self) -> FrameTime:
        now = time.perf_counter()
        if self._start is None:
            self._start = now
        elapsed = now - self._start
        frame = FrameTime(elapsed, elapsed - self._last, self.index)
        self._last = elapsed
        self.index += 1
        return frame


def date_now(first_month: int = 1) -> tuple[float, float, float, float]:
    """Year, month (counted from ``first_month``: 1 for ISF's DATE, 0 for Shadertoy's iDate),
    day and seconds since midnight."""
    now = datetime.datetime.now()
    seconds = now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
    return float(now.year), float(now.month - 1 + first_month), float(now.day), seconds
