"""The panel's source section: what is on show, a file to open, a camera or NDI source to take,
and a clip's transport (scrub, play, hold, reverse, speed, mode, cue points). Every control
is a command; speed and mode are slots, so MIDI learn works on them as on any value."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from imgui_bundle import imgui

from shaderlab.show import commands as c
from shaderlab.show.settings import CLIP_MODE, CLIP_SPEED
from shaderlab.show.status import MovingStatus
from shaderlab.show.store import Store
from shaderlab.ui.widgets import NOTE_COLOUR, WARNING_COLOUR, setting

Post = Callable[[c.Command], None]


class SourceSection:
    def __init__(self, store: Store, post: Post):
        self.store, self.post = store, post
        self.path = ""
        self.live = ""

    def draw(self, moving: MovingStatus | None, learn: Callable[[str], None]) -> None:
        source = self.store.session.source
        shown = moving.label if moving is not None else source.name if source else "—"
        imgui.text_wrapped(f"source: {shown}  (drop a picture or a clip on the window)")
        _, self.path = imgui.input_text("##image", self.path)
        imgui.same_line()
        if imgui.button("Open") and self.path.strip():
            self.post(c.OpenImage(Path(self.path.strip()).expanduser()))
        imgui.set_item_tooltip("a picture, or a clip (MP4, MOV, WebM, animated GIF …)")
        _, self.live = imgui.input_text("##live", self.live)
        imgui.same_line()
        if imgui.small_button("camera"):
            self.post(c.OpenCamera(self.live.strip()))
        imgui.set_item_tooltip("a camera: an index, /dev/videoN or a part of its name (empty: the first)")
        imgui.same_line()
        if imgui.small_button("NDI") and self.live.strip():
            self.post(c.OpenCamera(self.live.strip(), ndi=True))
        imgui.set_item_tooltip("an NDI source on the network: a part of its name (the ndi extra)")
        if moving is None:
            return
        if moving.waiting:
            imgui.text_colored(NOTE_COLOUR, "waiting for the first frame…")
        elif moving.clip:
            self._transport(moving, learn)
        else:
            dropped = f" · {moving.dropped} dropped" if moving.dropped else ""
            imgui.text_colored(NOTE_COLOUR, f"live · {moving.frame} frames{dropped}")

    def _transport(self, clip: MovingStatus, learn: Callable[[str], None]) -> None:
        late = f" · {clip.late} late" if clip.late else ""
        imgui.text_colored(WARNING_COLOUR if clip.late else NOTE_COLOUR,
                           f"frame {clip.frame + 1}/{clip.frames} · {clip.fps:.3g} fps{late}")
        imgui.set_next_item_width(-1)
        changed, fraction = imgui.slider_float("##scrub", clip.fraction, 0.0, 1.0, "")
        if changed:
            self.post(c.ClipSeek(fraction))
        for label, speed, tip in (("<<", -1.0, "play backwards"), ("hold", 0.0, "hold the frame (speed 0)"),
                                  (">", 1.0, "play"), (">>", 2.0, "twice as fast")):
            if imgui.small_button(label):
                self.post(c.SetValue(CLIP_SPEED, speed))
            imgui.set_item_tooltip(tip)
            imgui.same_line()
        if imgui.small_button("|<"):
            self.post(c.ClipSeek(0.0))
        imgui.set_item_tooltip("back to the first frame")
        imgui.push_item_width(-90)  # room for the labels
        for address in (CLIP_SPEED, CLIP_MODE):
            imgui.push_id(address)
            setting(self.store, self.post, address)
            if address == CLIP_SPEED:
                imgui.set_item_tooltip("negative: backwards; 0: hold the frame")
            learn(address)
            imgui.pop_id()
        imgui.pop_item_width()
        for number, seconds in enumerate(clip.cue_points, 1):
            if imgui.small_button(str(number)):
                self.post(c.ClipCue(number))
            imgui.set_item_tooltip(f"jump to cue point {number} ({seconds:.2f} s)")
            imgui.same_line()
        if imgui.small_button("mark"):
            self.post(c.ClipMark())
        imgui.set_item_tooltip("the play head becomes a cue point (/shaderlab/clip/cue N jumps to it)")
