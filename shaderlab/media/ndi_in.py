"""An NDI source on the network as a live feed (the ``ndi`` extra: cyndilib, which ships the NDI
runtime). Found by a part of its name; each new frame (by its timestamp) is handed on."""

from __future__ import annotations

import time
from typing import Iterator

import numpy as np

from shaderlab.media.clip import MAX_FRAME_PIXELS, MediaError

#: Seconds to look for the source when it is opened.
FIND_SECONDS = 5.0
#: A connected source that sends nothing for this long has gone.
SILENT_SECONDS = 5.0


def _cyndilib():
    try:
        from cyndilib.finder import Finder
        from cyndilib.receiver import Receiver
        from cyndilib.video_frame import VideoFrameSync
        from cyndilib.wrapper.ndi_recv import RecvBandwidth, RecvColorFormat
    except ImportError:
        raise MediaError("NDI needs the ndi extra: pip install 'shaderlab[ndi]' (cyndilib, with the NDI runtime)") from None
    return Finder, Receiver, VideoFrameSync, RecvBandwidth, RecvColorFormat


class NdiDevice:
    def __init__(self, name: str, max_side: int = 16384, find_seconds: float = FIND_SECONDS):
        Finder, Receiver, VideoFrameSync, RecvBandwidth, RecvColorFormat = _cyndilib()
        self._finder = Finder()
        self._finder.open()
        deadline, found = time.monotonic() + find_seconds, []
        while not found and time.monotonic() < deadline:
            self._finder.wait_for_sources(0.5)
            found = [n for n in self._finder.get_source_names() if name.lower() in n.lower()]
        if not found:
            seen = ", ".join(self._finder.get_source_names()) or "none"
            self._finder.close()
            raise MediaError(f"no NDI source named {name!r} on the network (seen: {seen})")
        self.label = f"NDI {found[0]}"
        self._receiver = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest)
        self._frame = VideoFrameSync()
        self._receiver.frame_sync.set_video_frame(self._frame)
        self._receiver.set_source(self._finder.get_source(found[0]))
        self._max_side = max_side
        try:
            first = self._next_frame(deadline=time.monotonic() + find_seconds)
        except BaseException:
            self.close()  # a frame too large: the receiver and finder go with it
            raise
        if first is None:
            self.close()
            raise MediaError(f"{self.label} sends no video")
        self.size = (first.shape[1], first.shape[0])
        self._first: np.ndarray | None = first

    def _next_frame(self, deadline: float, after: float | None = None) -> np.ndarray | None:
        """The next frame with a new timestamp, polled at about twice the common frame rates."""
        while time.monotonic() < deadline:
            if self._receiver.is_connected():
                self._receiver.frame_sync.capture_video()
                frame = self._frame
                if frame.xres > 0 and frame.get_timestamp_posix() != after:
                    if frame.xres * frame.yres > MAX_FRAME_PIXELS or max(frame.xres, frame.yres) > self._max_side:
                        raise MediaError(f"{self.label}: {frame.xres}×{frame.yres} is too large to play here")
                    self._stamp = frame.get_timestamp_posix()
                    pixels = np.array(frame.get_array().reshape(frame.yres, frame.xres, -1))
                    pixels[..., 3] = 255  # RGBX: the fourth byte is not alpha
                    return pixels
            time.sleep(0.008)
        return None

    def frames(self) -> Iterator[np.ndarray]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        while True:
            pixels = self._next_frame(time.monotonic() + SILENT_SECONDS, self._stamp)
            if pixels is None:
                raise MediaError("sends nothing; has the sender stopped?")
            yield pixels

    def close(self) -> None:
        try:
            self._receiver.disconnect()
        except Exception:  # noqa: BLE001 - never connected
            pass
        self._finder.close()
