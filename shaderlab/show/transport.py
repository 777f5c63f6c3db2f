"""Where a clip is: its play head, moved by the show clock at the speed and in the mode the
store says (loop, ping-pong, once), scrubbed and jumped to cue points by commands.

Plain data on the GL thread, no decoding: the same clock and the same commands give the same
frame numbers live, headless and in a replay. The frames needed next are predicted here too,
so the decoder can have them ready before they are due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

LOOP, PING_PONG, ONCE = 0, 1, 2
MODES = ("loop", "ping-pong", "once")
#: How far ahead the decoder is asked for frames (seconds of show time).
LOOKAHEAD = 0.25
#: Up to this many clip frames ahead, every one is asked for (past it: those the head lands on).
MAX_PASSED = 16


@dataclass
class Transport:
    frames: int
    fps: float
    #: Seconds into the clip: frame n is on show from n / fps until (n + 1) / fps.
    position: float = 0.0
    #: Ping-pong's unfolded position, 0 .. twice the clip (past the end it is on its way back).
    phase: float = 0.0
    #: Seconds into the clip to jump to (the scene's cue points, or set live).
    cue_points: list[float] = field(default_factory=list)

    @property
    def last(self) -> float:
        """The position at which the last frame starts."""
        return (self.frames - 1) / self.fps

    @property
    def index(self) -> int:
        return min(max(int(math.floor(self.position * self.fps + 1e-6)), 0), self.frames - 1)

    def advance(self, seconds: float, speed: float, mode: int) -> None:
        """Move the head by ``seconds`` of show time at ``speed`` (negative: backwards; 0 holds)."""
        if not math.isfinite(seconds) or not math.isfinite(speed) or seconds <= 0 or speed == 0:
            return
        if self.frames <= 1:
            self.position = 0.0
            return
        step = seconds * speed
        if mode == PING_PONG:  # there and back: the unfolded phase runs over twice the clip
            span = self.last
            self.phase = (self.phase + step) % (2 * span)
            self.position = self.phase if self.phase <= span else 2 * span - self.phase
            return
        if mode == ONCE:
            self.position = min(max(self.position + step, 0.0), self.last)
        else:  # loop: the whole clip, the last frame held for its full length
            self.position = (self.position + step) % (self.frames / self.fps)
        self.phase = self.position

    def ahead(self, frame_seconds: float, speed: float, mode: int, lookahead: float = LOOKAHEAD) -> tuple[int, ...]:
        """The frame numbers the next frames of the show may want, in the order they come (the
        frame on show first), assuming frames of ``frame_seconds`` at ``speed``. Every frame the
        head passes over is listed while there are few (the frame interval jitters: whichever
        one is due is ready); when the head skips many, the ones it lands on."""
        wanted = [self.index]
        if speed == 0 or frame_seconds <= 0 or not math.isfinite(frame_seconds):
            return tuple(wanted)
        steps = min(64, max(1, math.ceil(lookahead / frame_seconds)))
        passed = abs(speed) * self.fps * frame_seconds  # clip frames a show frame moves over
        substeps = max(1, math.ceil(passed)) if passed * steps <= MAX_PASSED else 1
        probe = replace(self, cue_points=[])
        for _ in range(steps * substeps):
            probe.advance(frame_seconds / substeps, speed, mode)
            if probe.index != wanted[-1]:
                wanted.append(probe.index)
        return tuple(dict.fromkeys(wanted))

    # -- commands --------------------------------------------------------------------------
    def seek(self, fraction: float) -> None:
        """Scrub: 0 is the first frame, 1 the last."""
        if math.isfinite(fraction):
            self.position = self.phase = min(max(fraction, 0.0), 1.0) * self.last

    def jump(self, cue: int) -> bool:
        """To cue point ``cue`` (0 is the first); False when there is no such cue point."""
        if not 0 <= cue < len(self.cue_points):
            return False
        self.position = self.phase = min(max(self.cue_points[cue], 0.0), self.last)
        return True

    def mark(self) -> int:
        """The head's position becomes a cue point (kept in order); its number."""
        here = round(self.position, 4)
        if here not in self.cue_points:
            self.cue_points.append(here)
            self.cue_points.sort()
        return self.cue_points.index(here)

    @property
    def fraction(self) -> float:
        return self.position / self.last if self.frames > 1 else 0.0
