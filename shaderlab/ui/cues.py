"""The panel's Cues section: the set's cues in order (the one on show, the one waiting for its
beat, the next), GO and BACK, a click to jump, captured cues, order, and the set's file."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from imgui_bundle import imgui

from shaderlab.show import commands as c
from shaderlab.show.status import ShowStatus
from shaderlab.ui.widgets import NOTE_COLOUR, WARNING_COLOUR

ON_SHOW = imgui.ImVec4(0.35, 0.85, 0.45, 1.0)


class CueControls:
    def __init__(self, post: Callable[[c.Command], None]):
        self.post = post
        self.set_path = "set.toml"
        self.cue_name = ""

    def draw(self, status: ShowStatus, compact: bool = False) -> None:
        imgui.separator_text("Cues")
        if imgui.button("GO (enter)"):
            self.post(c.CueGo())
        imgui.same_line()
        if imgui.button("back"):
            self.post(c.CueBack())
        current, pending = status.cue_current, status.cue_pending
        following = 0 if current is None else current + 1
        for index, name in enumerate(status.cues):
            imgui.push_id(index)
            if index == current:
                colour, mark = ON_SHOW, ">"  # the panel's font has no arrow glyphs
            elif index == pending:
                colour, mark = WARNING_COLOUR, "~"
            else:
                colour, mark = (NOTE_COLOUR, ".") if index == following else (imgui.ImVec4(0.8, 0.8, 0.8, 1.0), " ")
            imgui.text_colored(colour, mark)
            imgui.same_line()
            thumbnail = status.cue_thumbnails[index] if index < len(status.cue_thumbnails) else None
            if thumbnail is not None:  # textures are stored bottom row first: the v coordinates flipped
                imgui.image(imgui.ImTextureRef(thumbnail), imgui.ImVec2(48, 27), imgui.ImVec2(0, 1), imgui.ImVec2(1, 0))
                imgui.same_line()
            if imgui.selectable(f"{index + 1}. {name}", index == current, size=imgui.ImVec2(190, 0))[0]:
                self.post(c.CueJump(index + 1))
            if not compact:
                for label, command in (("^", c.MoveCue(index + 1, -1)), ("v", c.MoveCue(index + 1, 1)),
                                       ("x", c.RemoveCue(index + 1))):
                    imgui.same_line()
                    if imgui.small_button(label):
                        self.post(command)
            imgui.pop_id()
        if pending is not None:
            imgui.text_colored(WARNING_COLOUR, f"cue {pending + 1} waits for its beat")
        if compact:
            return
        imgui.set_next_item_width(150)
        _, self.cue_name = imgui.input_text("##cue name", self.cue_name)
        imgui.same_line()
        if imgui.small_button("capture as a cue"):
            self.post(c.CaptureCue(self.cue_name.strip()))
            self.cue_name = ""
        imgui.set_item_tooltip("the show as it is now becomes a cue after the current one (its scene saved beside the set)")
        if status.set_path is not None and self.set_path == "set.toml":
            self.set_path = str(status.set_path)
        imgui.set_next_item_width(150)
        _, self.set_path = imgui.input_text("##set", self.set_path)
        imgui.same_line()
        if imgui.small_button("load set") and self.set_path.strip():
            self.post(c.LoadSet(Path(self.set_path.strip()).expanduser()))
        imgui.same_line()
        if imgui.small_button("save set") and self.set_path.strip():
            self.post(c.SaveSet(Path(self.set_path.strip()).expanduser()))
