"""Live feeds — cameras (and any FFmpeg input device) and NDI sources — read on a thread of
their own; the newest frame goes to the show.

A feed posts FeedFrame(self, serial, rows) into the show's inbox and may have at most two
frames in it at once: when the show has not taken them (a slow frame), newer frames are
dropped at the feed and counted, so a camera never fills memory. A feed that fails (a camera
unplugged, a sender gone) says so in one line, the last frame stays on screen, and the feed
tries again every couple of seconds, saying so when it is back.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, Iterator, Protocol

import numpy as np

from shaderlab.media.player import gl_rows
from shaderlab.show.messages import FeedFailed, FeedFrame, Message

log = logging.getLogger(__name__)

#: Seconds between attempts to open a feed again after it failed.
RETRY_SECONDS = 2.0


class Device(Protocol):
    """What a feed reads: ``frames()`` yields pictures (H×W×3 or ×4 uint8, row 0 = top) until
    the device fails (raising MediaError) or is closed."""

    label: str
    size: tuple[int, int]

    def frames(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


class LiveFeed:
    def __init__(self, device: Device, reopen: Callable[[], Device] | None, post: Callable[[Message], None]):
        self.device = device
        self.label = device.label
        self.size = device.size
        self._reopen = reopen
        self.post = post
        self._credits = threading.Semaphore(2)
        self._stopping = threading.Event()
        self.serial = 0
        self.dropped = 0  # frames the show had no room for
        self._thread = threading.Thread(target=self._run, name=f"shaderlab-feed-{self.label}", daemon=True)

    def start(self) -> "LiveFeed":
        self._thread.start()
        return self

    def taken(self) -> None:
        """The GL thread took (or let go of) one of this feed's frames."""
        self._credits.release()

    def _run(self) -> None:
        device: Device | None = self.device
        while not self._stopping.is_set():
            if device is None:
                device = self._open_again()
                if device is None:
                    continue
            try:
                for pixels in device.frames():
                    if self._stopping.is_set():
                        break
                    self._offer(pixels)
                else:
                    if not self._stopping.is_set():
                        raise EOFError("the feed ended")
            except Exception as exc:  # noqa: BLE001 - a device's failure is one line, never the show's
                if self._stopping.is_set():
                    break
                log.debug("feed failed", exc_info=True)
                text = str(exc) if str(exc) else type(exc).__name__
                self.post(FeedFailed(self, f"{self.label}: {text}; the last frame stays, trying again"))
                self._close(device)
                device = None
                continue
        self._close(device)

    def _offer(self, pixels: np.ndarray) -> None:
        if not self._credits.acquire(blocking=False):
            self.dropped += 1
            return
        if pixels.shape[:2] != (self.size[1], self.size[0]):
            pixels = fit(pixels, self.size)  # a sender that changed its size: the show's keeps
        self.serial += 1
        self.post(FeedFrame(self, self.serial, gl_rows(pixels)))

    def _open_again(self) -> Device | None:
        if self._reopen is None or self._stopping.wait(RETRY_SECONDS):
            if self._reopen is None:
                self._stopping.wait(RETRY_SECONDS)
            return None
        try:
            device = self._reopen()
        except Exception:  # noqa: BLE001 - still gone: try again later, quietly
            return None
        self.post(FeedFailed(self, f"{self.label} is back", recovered=True))
        return device

    @staticmethod
    def _close(device: Device | None) -> None:
        if device is not None:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - closing a broken device
                log.debug("closing a feed failed", exc_info=True)

    def discard(self) -> None:
        """Let go of a feed: its thread ends and closes the device; never started, it is
        closed here (a camera must not stay busy for the next attempt)."""
        self._stopping.set()
        if self._thread.ident is None:
            self._close(self.device)

    def stop(self) -> None:
        self._stopping.set()

    def join(self, timeout: float = 2.0) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)


def fit(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour resize to ``size`` (rare: a sender changed its picture size mid-show)."""
    height, width = pixels.shape[:2]
    rows = np.arange(size[1]) * height // size[1]
    columns = np.arange(size[0]) * width // size[0]
    return np.ascontiguousarray(pixels[rows][:, columns])
