"""The mouse over the picture: the wheel zooms the view, a right (or middle) drag pans it,
a left drag selects an area for the sampler, and a click picks a network from a grid. When
the chain holds Shadertoy code that reads iMouse, the left button is its mouse (shift+drag
still selects).

The view only changes what the window shows; selections and picks change the chain (and so
what is saved): the pointer sends them as commands.
"""

from __future__ import annotations

from typing import Callable

from imgui_bundle import imgui

from shaderlab.app.view import Area, View
from shaderlab.show.commands import Command, PickNetwork, Select

#: Zoom per wheel notch.
ZOOM_STEP = 1.2
SELECTION_COLOUR = imgui.IM_COL32(255, 210, 60, 255)


class Pointer:
    def __init__(self, post: Callable[[Command], None], panel_width: Callable[[], float]):
        self.post = post
        self.panel_width = panel_width  # what the panel covers on the left (0: hidden)
        self.view = View()
        self._press: tuple[float, float] | None = None  # image point where the left drag began
        #: Shadertoy's iMouse, in output pixels with y up: where the pointer is while pressed,
        #: and where the press began (z, w negative once released).
        self.shadertoy_mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self.feeds_mouse = False  # the chain reads iMouse: plain drags are for it, not selections

    def area(self) -> Area:
        """The window beside the panel, in framebuffer pixels."""
        width, height = framebuffer_size()
        scale = imgui.get_io().display_framebuffer_scale.x
        left = self.panel_width() * scale
        left = min(left, width - 1.0)
        return Area(left, 0.0, max(1.0, width - left), max(1.0, float(height)))

    def placement(self, image: tuple[int, int]) -> tuple[float, float, float, float]:
        return self.view.placement(image, self.area())

    def update(self, image: tuple[int, int] | None) -> None:
        """Once a frame, after the panel has taken the clicks that were its own; ``image`` is
        the output's size (None: nothing shown yet)."""
        if image is None:
            self._press = None
            return
        io = imgui.get_io()
        if self._press is None and io.want_capture_mouse:
            return  # over the panel
        scale = io.display_framebuffer_scale.x
        mouse = (io.mouse_pos.x * scale, io.mouse_pos.y * scale)
        area = self.area()
        if io.mouse_wheel:
            self.view.zoom_at(mouse, ZOOM_STEP**io.mouse_wheel, image, area)
        if imgui.is_mouse_down(imgui.MouseButton_.right) or imgui.is_mouse_down(imgui.MouseButton_.middle):
            if io.mouse_delta.x or io.mouse_delta.y:
                self.view.pan((io.mouse_delta.x * scale, io.mouse_delta.y * scale), image, area)
        here = self.view.to_image(mouse, image, area)
        if self.feeds_mouse and not io.key_shift:
            self._shadertoy(here, image[1])
            return
        if imgui.is_mouse_clicked(imgui.MouseButton_.left):
            self._press = here
        elif self._press is not None and imgui.is_mouse_down(imgui.MouseButton_.left):
            self._outline(self._press, here, image, area, scale)
        elif self._press is not None:  # released
            start, self._press = self._press, None
            dragged = abs(here[0] - start[0]) >= 2 or abs(here[1] - start[1]) >= 2
            self.post(Select(start, here) if dragged else PickNetwork(here))

    def _shadertoy(self, here: tuple[float, float], height: int) -> None:
        """Left button as Shadertoy's iMouse (y up, in the output's pixels)."""
        x, y = here[0], height - here[1]
        if imgui.is_mouse_clicked(imgui.MouseButton_.left):
            self.shadertoy_mouse = (x, y, x, y)
        elif imgui.is_mouse_down(imgui.MouseButton_.left):
            self.shadertoy_mouse = (x, y, *self.shadertoy_mouse[2:])
        elif self.shadertoy_mouse[2] > 0:
            mx, my, cx, cy = self.shadertoy_mouse
            self.shadertoy_mouse = (mx, my, -abs(cx), -abs(cy))

    def _outline(self, a: tuple[float, float], b: tuple[float, float], image, area: Area, scale: float) -> None:
        left, top, width, _ = self.view.placement(image, area)
        zoom = width / image[0]
        corner = lambda p: imgui.ImVec2((left + p[0] * zoom) / scale, (top + p[1] * zoom) / scale)  # noqa: E731
        imgui.get_foreground_draw_list().add_rect(corner(a), corner(b), SELECTION_COLOUR, rounding=0.0, thickness=2.0)



def framebuffer_size() -> tuple[int, int]:
    """The window's framebuffer in pixels, from imgui's state for this frame: asking GLFW is a
    round trip to the X server (about 0.5 ms a call, measured under Xvfb)."""
    io = imgui.get_io()
    scale = io.display_framebuffer_scale
    return round(io.display_size.x * scale.x), round(io.display_size.y * scale.y)
