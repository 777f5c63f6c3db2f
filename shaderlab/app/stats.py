"""Frame-time statistics: what the panel shows and what ``--stats`` prints."""

from __future__ import annotations

from collections import deque

import numpy as np


class FrameStats:
    """Intervals between frames (ms), the last ``keep`` of them."""

    def __init__(self, keep: int = 100_000):
        self.intervals: deque[float] = deque(maxlen=keep)
        self._last: float | None = None

    def frame(self, now: float) -> None:
        if self._last is not None:
            self.intervals.append((now - self._last) * 1000.0)
        self._last = now

    def recent(self, count: int = 240) -> np.ndarray:
        values = list(self.intervals)[-count:]
        return np.asarray(values, np.float32)

    def summary(self, skip: int = 0) -> dict[str, float]:
        """median/p95/p99/max in ms, leaving out the first ``skip`` intervals (warm-up)."""
        values = np.asarray(list(self.intervals)[skip:] or [0.0])
        return {
            "median_ms": round(float(np.median(values)), 3),
            "p95_ms": round(float(np.percentile(values, 95)), 3),
            "p99_ms": round(float(np.percentile(values, 99)), 3),
            "max_ms": round(float(values.max()), 3),
            "intervals": int(len(values)),
        }
