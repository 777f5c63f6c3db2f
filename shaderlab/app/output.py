"""The clean output on a window of its own — fullscreen on a chosen monitor, the cursor hidden,
no panel — while the panel's window keeps its preview. It shares the panel window's GL objects
(textures are shared between the two contexts; its program and vertex array are its own), and
only one of the two waits for vsync, so two windows do not halve the frame rate.

Monitors that come and go while playing: the output falls back to a window and says so, and
goes back fullscreen when its monitor returns.
"""

from __future__ import annotations

from typing import Any, Callable

import glfw
import moderngl

from shaderlab.errors import ShaderlabError
from shaderlab.gl.display import Display


def monitors() -> list[tuple[int, str, tuple[int, int], int]]:
    """(index, name, size, refresh rate) of each monitor GLFW sees (glfw must be initialised)."""
    out = []
    for index, monitor in enumerate(glfw.get_monitors() or []):
        try:
            mode = glfw.get_video_mode(monitor)
        except ValueError:  # a monitor going away as it is asked (X has no mode for it any more)
            continue
        out.append((index, monitor_name(monitor), (mode.size.width, mode.size.height), mode.refresh_rate))
    return out


def monitor_names() -> tuple[str, ...]:
    """The names of the monitors there are (asked every frame for the panel: names only)."""
    return tuple(monitor_name(monitor) for monitor in glfw.get_monitors() or [])


def monitor_name(monitor: Any) -> str:
    name = glfw.get_monitor_name(monitor)
    return name.decode(errors="replace") if isinstance(name, bytes) else str(name)


def find_monitor(choice: str | int | None) -> Any:
    """The monitor ``choice`` names (an index, its name, or a part of its name), None if none
    is there."""
    text = str(choice).strip() if choice is not None else ""
    if not text:
        return None
    found = glfw.get_monitors() or []
    if text.isdigit():
        return found[int(text)] if int(text) < len(found) else None
    # The name itself first: "DP-1" must not be taken for the laptop's "eDP-1", listed before it.
    names = [monitor_name(monitor) for monitor in found]
    for matches in (lambda name: name.lower() == text.lower(), lambda name: text.lower() in name.lower()):
        for monitor, name in zip(found, names):
            if matches(name):
                return monitor
    return None


class OutputWindow:
    def __init__(self, share: Any, monitor: str | int | None, size: tuple[int, int],
                 report: Callable[..., None]):
        self.share, self.choice, self.report = share, monitor, report
        self.windowed = (60, 60, *size)
        glfw.window_hint(glfw.VISIBLE, glfw.TRUE)
        glfw.window_hint(glfw.FOCUSED, glfw.FALSE)
        self.window = glfw.create_window(size[0], size[1], "shaderlab output", None, share)
        if not self.window:
            raise ShaderlabError("the output window could not be opened (the GL driver refused a second window)")
        glfw.make_context_current(self.window)
        try:
            self.ctx = moderngl.create_context()
            self.display = Display(self.ctx)
            glfw.swap_interval(1)  # this window waits for vsync: the projector sets the pace
        except Exception as exc:  # the driver's own words, in one line; no window left behind
            glfw.make_context_current(share)
            glfw.destroy_window(self.window)
            raise ShaderlabError(f"the output window has no GL context ({exc}); the show goes on in this window") from None
        finally:
            glfw.make_context_current(share)
        glfw.swap_interval(0)  # and the panel's window does not wait a second time
        glfw.set_input_mode(self.window, glfw.CURSOR, glfw.CURSOR_HIDDEN)
        self.fullscreen_on: str | None = None  # the monitor's name while fullscreen there
        self._told_missing = False  # that the chosen monitor is not there (once, until it comes)
        self._monitors_changed = True
        self._texture: moderngl.Texture | None = None  # what it showed last
        # Chained to the callback already there (imgui's backend keeps its monitor list with it).
        self._previous_callback = glfw.set_monitor_callback(self._monitor_event)

    def show(self, texture: moderngl.Texture | None) -> None:
        """Draw what the audience sees and swap (once a frame, after the stage rendered)."""
        if self._monitors_changed:
            self._monitors_changed = False
            self._place()
        self._texture = texture
        glfw.make_context_current(self.window)
        try:
            self._draw(texture)
            glfw.swap_buffers(self.window)
        finally:
            glfw.make_context_current(self.share)

    def read(self) -> bytes:
        """What the window shows, drawn again and read before a swap (after one, the back
        buffer's contents are undefined): RGB, bottom row first — for tests."""
        glfw.make_context_current(self.window)
        try:
            screen = self._draw(self._texture)
            width, height = glfw.get_framebuffer_size(self.window)
            return screen.read((0, 0, width, height), components=3)
        finally:
            glfw.make_context_current(self.share)

    def _draw(self, texture: moderngl.Texture | None) -> moderngl.Framebuffer:
        width, height = glfw.get_framebuffer_size(self.window)
        screen = self.ctx.detect_framebuffer()
        if texture is None or width == 0 or height == 0:
            screen.use()
            self.ctx.clear(0.0, 0.0, 0.0, 1.0)
        else:
            self.display.draw(screen, texture, (width, height), background=(0.0, 0.0, 0.0))
        return screen

    def choose(self, choice: str | None) -> None:
        """Another monitor (a part of its name or an index; None: a window), placed on the
        next frame."""
        self.choice = choice or None
        self._monitors_changed, self._told_missing = True, False

    def _monitor_event(self, monitor: Any, event: int) -> None:
        self._monitors_changed = True
        if self._previous_callback is not None:
            self._previous_callback(monitor, event)

    def describe(self) -> str:
        if self.fullscreen_on:
            return f"output: fullscreen on {self.fullscreen_on}"
        return "output: in a window" + (f" (monitor {self.choice!r} is not there)" if self.choice is not None else "")

    def close(self) -> None:
        glfw.set_monitor_callback(self._previous_callback)
        glfw.make_context_current(self.window)
        self.display.release()
        self.ctx.release()
        glfw.make_context_current(self.share)
        glfw.destroy_window(self.window)

    def _place(self) -> None:
        """Fullscreen on the chosen monitor when it is there, else a window (said once each way)."""
        monitor = find_monitor(self.choice)
        try:
            mode = glfw.get_video_mode(monitor) if monitor is not None else None
        except ValueError:  # going away as it is asked
            monitor = mode = None
        if monitor is not None:
            name = monitor_name(monitor)
            if self.fullscreen_on != name:
                glfw.set_window_monitor(self.window, monitor, 0, 0, mode.size.width, mode.size.height, mode.refresh_rate)
                self.fullscreen_on, self._told_missing = name, False
                self.report(f"output: fullscreen on {name} ({mode.size.width}×{mode.size.height})")
        elif self.choice is None:
            if self.fullscreen_on is not None:  # chosen: a window
                glfw.set_window_monitor(self.window, None, *self.windowed, 0)
                self.fullscreen_on = None
                self.report("output: in a window")
        elif self.fullscreen_on is not None or not self._told_missing:
            if self.fullscreen_on is not None:
                glfw.set_window_monitor(self.window, None, *self.windowed, 0)
            self.fullscreen_on = None
            self._told_missing = True
            self.report(f"output: monitor {self.choice!r} is not there; showing the output in a window until it is",
                        warning=True)
