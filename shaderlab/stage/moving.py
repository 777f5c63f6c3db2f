"""Moving pictures on the GL thread: a clip played by its transport, or a live feed's newest
frame, each written into its texture through a pixel-unpack buffer when a new frame is due.

Frames arrive from the feeds' threads as FeedFrame messages; nothing here waits for one. A
frame that is due but not decoded yet leaves the one before on screen and is counted as late.
"""

from __future__ import annotations

import math
from typing import Any

import moderngl
import numpy as np

from shaderlab.gl.streaming import StreamTexture
from shaderlab.show.messages import FeedFrame
from shaderlab.show.status import MovingStatus
from shaderlab.show.transport import LOOP, Transport


class MovingPicture:
    def __init__(self, ctx: moderngl.Context, feed: Any, size: tuple[int, int], label: str):
        self.feed = feed
        self.label = label
        self.stream = StreamTexture(ctx, size)
        self.rows: np.ndarray | None = None  # the frame on show (RGBA, bottom row first)
        self.frames_shown = 0
        self.late = 0  # frames that were due before they were decoded

    @property
    def texture(self) -> moderngl.Texture:
        return self.stream.texture

    @property
    def started(self) -> bool:
        """Whether a frame has been shown (before, the texture is empty)."""
        return self.rows is not None

    def pixels(self) -> np.ndarray | None:
        """The frame on show as H×W×3, row 0 = top (a view: copy before keeping it)."""
        return self.rows[::-1, :, :3] if self.rows is not None else None

    def _show(self, rows: np.ndarray) -> None:
        self.stream.write(rows)
        self.rows = rows
        self.frames_shown += 1

    def offer(self, message: FeedFrame) -> None:
        raise NotImplementedError

    def tick(self, seconds: float, values: dict[str, Any]) -> bool:
        """The show moved on by ``seconds``: True when a new frame went into the texture."""
        raise NotImplementedError

    def status(self) -> MovingStatus:
        return MovingStatus(self.label, False, self.frames_shown, dropped=getattr(self.feed, "dropped", 0),
                            waiting=not self.started)

    def release(self) -> None:
        """Let go of the feed (its thread ends on its own) and free the texture."""
        self.feed.discard()
        self.stream.release()


class ClipPicture(MovingPicture):
    """A clip: the transport says which frame is on show; the player decodes ahead of it."""

    def __init__(self, ctx: moderngl.Context, player: Any, label: str, cue_points: list[float] | None = None):
        super().__init__(ctx, player, player.info.size, label)
        self.transport = Transport(player.info.frames, player.info.fps, cue_points=list(cue_points or []))
        self._waiting: dict[int, np.ndarray] = {}
        self._wanted: tuple[int, ...] = ()
        self._late_index = -1
        self.shown_index = -1

    def offer(self, message: FeedFrame) -> None:
        if message.index in self._wanted:
            self._waiting[message.index] = message.rows

    def tick(self, seconds: float, values: dict[str, Any]) -> bool:
        speed, mode = float(values.get("speed", 1.0)), int(values.get("mode", LOOP))
        if not math.isfinite(speed):
            speed = 0.0
        if self.started:  # the head waits for the first frame, so a clip starts at its start
            self.transport.advance(seconds, speed, mode)
        previous = self._wanted
        self._wanted = self.transport.ahead(seconds if seconds > 0 else 1 / 60, speed, mode)
        self.feed.want(self._wanted)
        due = self._wanted[0]
        index = due
        if due != self.shown_index and due not in self._waiting:
            if self.started and due != self._late_index:
                self.late += 1
                self._late_index = due
            # Not decoded yet: the newest frame that came on the way to it beats holding the old
            # one (a decoder slower than the speed asked for still shows the clip moving).
            on_the_way = previous[:previous.index(due)] if due in previous else previous
            arrived = [n for n in on_the_way if n in self._waiting and n != self.shown_index]
            index = arrived[-1] if arrived else None
        rows = self._waiting.get(index) if index is not None and index != self.shown_index else None
        for number in [n for n in self._waiting if n not in self._wanted]:
            del self._waiting[number]  # passed, or no longer on the way (a scrub, a jump)
        self._waiting.pop(index, None)
        if rows is None:
            return False
        self._show(rows)
        self.shown_index = index
        return True

    def status(self) -> MovingStatus:
        t = self.transport
        return MovingStatus(self.label, True, max(self.shown_index, 0), t.frames, t.fps, t.fraction,
                            tuple(t.cue_points), self.late, waiting=not self.started)


class LivePicture(MovingPicture):
    """A camera or an NDI source: the newest frame that came."""

    def __init__(self, ctx: moderngl.Context, feed: Any, label: str):
        super().__init__(ctx, feed, feed.size, label)
        self._newest: np.ndarray | None = None

    def offer(self, message: FeedFrame) -> None:
        if self._newest is not None:
            self.feed.taken()  # replaced before it was shown
        self._newest = message.rows  # the feed's size (fitted on its thread)

    def tick(self, seconds: float, values: dict[str, Any]) -> bool:
        if self._newest is None:
            return False
        rows, self._newest = self._newest, None
        self.feed.taken()
        self._show(rows)
        return True



def moving_picture(ctx: moderngl.Context, feed: Any, label: str, cue_points: list[float] | None = None) -> MovingPicture:
    """The moving picture for a feed: a clip (it has a transport) or a live feed."""
    if hasattr(feed, "want"):
        return ClipPicture(ctx, feed, label, cue_points)
    return LivePicture(ctx, feed, label)
