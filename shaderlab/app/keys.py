"""The keyboard: each frame, the chords pressed are looked up in the one key table
(show/keys.py) and their commands posted to the window's inbox, to be applied at the start of
the next frame like a command from any other surface."""

from __future__ import annotations

from typing import Callable

from imgui_bundle import imgui

from shaderlab.show import keys as table
from shaderlab.show.commands import Command

#: The table's key names as imgui knows them.
IMGUI_KEYS: dict[str, imgui.Key] = {
    "right": imgui.Key.right_arrow, "left": imgui.Key.left_arrow, "up": imgui.Key.up_arrow,
    "down": imgui.Key.down_arrow, "space": imgui.Key.space, "0": imgui.Key._0, "1": imgui.Key._1,
    "keypad0": imgui.Key.keypad0, "keypad1": imgui.Key.keypad1, "enter": imgui.Key.enter,
    "backspace": imgui.Key.backspace,
    **{letter: getattr(imgui.Key, letter) for letter in "bpefhqrstxz"},
}


class Keys:
    def __init__(self, post: Callable[[Command], None]):
        self.post = post

    def update(self) -> None:
        """Once a frame, unless a text field has the keyboard. A held binding (an arrow) sends
        its command every frame the key is down; the others once per press."""
        io = imgui.get_io()
        if io.want_capture_keyboard:
            return
        for name, key in IMGUI_KEYS.items():
            binding = table.lookup(name, ctrl=io.key_ctrl, shift=io.key_shift)
            if binding is None or binding.command is None:
                continue
            if imgui.is_key_down(key) if binding.held else imgui.is_key_pressed(key, repeat=False):
                self.post(binding.command)
