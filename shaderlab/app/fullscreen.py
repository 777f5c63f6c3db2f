"""F: fullscreen on the window's monitor and back to the window it was."""

from __future__ import annotations

from typing import Any

import glfw


class Fullscreen:
    def __init__(self, handle: Any, on: bool, windowed_size: tuple[int, int]):
        self.handle = handle
        self.on = on
        # Where to return to; a window that starts fullscreen returns to its requested size.
        self._windowed = (100, 100, *windowed_size)

    def toggle(self) -> None:
        if self.on:
            x, y, w, h = self._windowed
            glfw.set_window_monitor(self.handle, None, x, y, w, h, 0)
        else:
            self._windowed = (*glfw.get_window_pos(self.handle), *glfw.get_window_size(self.handle))
            monitor = glfw.get_primary_monitor()
            mode = glfw.get_video_mode(monitor)
            glfw.set_window_monitor(self.handle, monitor, 0, 0, mode.size.width, mode.size.height, mode.refresh_rate)
        self.on = not self.on
