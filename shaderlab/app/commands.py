"""What the window does with each command, whichever surface sent it (keys, panel, pointer;
later MIDI and OSC): one handler a command type, applied on the GL thread as the frame starts.

Commands that change values (show/commands.py's store commands) go to the show's store, the
one write path: a mistake there is one line in the panel, and the show goes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from imgui_bundle import hello_imgui

from shaderlab.show import commands as c

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class CommandHandler:
    def __init__(self, window: "ShaderlabWindow"):
        self.window = window
        #: This frame's sorting asked for: (direction, fully), taken by the frame.
        self.sort_request: tuple[str, bool] | None = None
        self._handlers: dict[type, Callable] = {
            c.Quit: lambda _: setattr(hello_imgui.get_runner_params(), "app_shall_exit", True),
            c.SaveOutput: lambda _: window.save_output(),
            c.TogglePanel: lambda _: setattr(window, "show_panel", not window.show_panel),
            c.ToggleFullscreen: lambda _: window.fullscreen.toggle(),
            c.UndoSelection: self._undo,
            c.ViewFit: lambda _: window.pointer.view.fit(),
            c.ViewActualSize: lambda _: window.pointer.view.actual_size(window.output_size()),
            c.SortStep: self._sort_step,
            c.SortReset: self._sort_reset,
        }

    def apply(self, command: c.Command) -> None:
        if isinstance(command, c.StoreCommand):
            error = c.apply(self.window.store, command)
            if error:
                self.window.report(error, error=True)
            return
        handler = self._handlers.get(type(command))
        if handler is None:
            self.window.report(f"{type(command).__name__}: not available in the window yet", warning=True)
            return
        handler(command)

    def take_sort_request(self) -> tuple[str | None, bool]:
        """(held direction, sort fully) for this frame's sort; asked once a frame."""
        request, self.sort_request = self.sort_request, None
        return request if request is not None else (None, False)

    def _sort_step(self, command: c.SortStep) -> None:
        self.sort_request = (command.direction, command.full)

    def _sort_reset(self, _: c.SortReset) -> None:
        if self.window.sorter is not None:
            self.window.sorter.reset()

    def _undo(self, _: c.UndoSelection) -> None:
        if not self.window.selections.undo():
            self.window.report("no selection to undo")

