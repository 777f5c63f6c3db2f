"""The keyboard: one table that both the key handling and the panel's shortcut list read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgui_bundle import hello_imgui, imgui

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow

#: (keys, what they do), as the panel lists them.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("arrows", "sort the picture that way (shift: fully)"),
    ("space", "auto sort on / off"),
    ("R", "reset the sort"),
    ("S", "save the image and its scene"),
    ("F", "fullscreen on / off"),
    ("H", "hide / show the panel"),
    ("Z", "undo the last selection"),
    ("drag", "select an area: zoom into it (sampler)"),
    ("click", "pick a network from a grid"),
    ("wheel", "zoom the view"),
    ("right drag", "pan the view"),
    ("0 / 1", "view: fit / 1:1"),
    ("ctrl+Q", "quit"),
)

ARROWS = (
    (imgui.Key.right_arrow, "right"),
    (imgui.Key.left_arrow, "left"),
    (imgui.Key.up_arrow, "up"),
    (imgui.Key.down_arrow, "down"),
)


class Keys:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        self.held: str | None = None  # the arrow held this frame
        self.settle = False  # shift+arrow pressed: sort fully (the frame resets it)

    def update(self) -> None:
        """Once a frame, unless a text field has the keyboard."""
        self.held = None
        if imgui.get_io().want_capture_keyboard:
            return
        window = self.window
        pressed = lambda key: imgui.is_key_pressed(key, repeat=False)  # noqa: E731
        if imgui.get_io().key_ctrl and pressed(imgui.Key.q):
            hello_imgui.get_runner_params().app_shall_exit = True
            return
        if pressed(imgui.Key.s):
            window.save_output()
        if pressed(imgui.Key.h):
            window.show_panel = not window.show_panel
        if pressed(imgui.Key.f):
            window.fullscreen.toggle()
        if pressed(imgui.Key.z) and not window.selections.undo():
            window.report("no selection to undo")
        if pressed(imgui.Key._0) or pressed(imgui.Key.keypad0):
            window.pointer.view.fit()
        if (pressed(imgui.Key._1) or pressed(imgui.Key.keypad1)) and window._output is not None:
            window.pointer.view.actual_size(window._output.size)
        self._sorting()

    def _sorting(self) -> None:
        sorter = self.window.sorter
        if sorter is None:
            return
        if imgui.is_key_pressed(imgui.Key.space, repeat=False):
            sorter.settings.auto = not sorter.settings.auto
        if imgui.is_key_pressed(imgui.Key.r, repeat=False):
            sorter.reset()
        shift = imgui.get_io().key_shift
        for key, direction in ARROWS:
            if imgui.is_key_down(key):
                self.held = direction
                self.settle = shift and imgui.is_key_pressed(key, repeat=False)
                if shift and not self.settle:
                    self.held = None  # shift+arrow sorts once per press
