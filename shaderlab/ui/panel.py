"""The control panel, generated from the store's declared slots (nothing per effect here).

It reads the store and a status snapshot of the show (plain values: sizes, texture ids) and
only sends commands; it never touches GL and never writes a value itself.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from imgui_bundle import imgui

from shaderlab.show import commands as c
from shaderlab.show import keys as key_table
from shaderlab.show.chain import ChainSlot
from shaderlab.show.settings import CROSSFADE, SAVE_FOLDER, SORT, SORT_AUTO, SORT_MOTION
from shaderlab.show.slots import chain_address
from shaderlab.show.status import ShowStatus
from shaderlab.show.store import Store
from shaderlab.ui.files import FileControls
from shaderlab.ui.cues import CueControls
from shaderlab.ui.live import LiveControls
from shaderlab.ui.source import SourceSection
from shaderlab.ui.widgets import ERROR_COLOUR, NOTE_COLOUR, WARNING_COLOUR, setting
from shaderlab.params import clamp_value

PANEL_WIDTH = 360.0
#: Commands a MIDI pad can be learned for (their OSC addresses).
ACTION_SAVE = "/shaderlab/save"
GENERATED_KINDS = ("clouds", "landscape", "books")


class Panel:
    def __init__(self, store: Store, post: Callable[[c.Command], None], shader_folder: Path | None = None):
        self.store = store
        self.post = post
        self.status = ShowStatus()
        self.add_choice = 0
        self.scene_path = "scene.toml"
        self.source = SourceSection(store, post)
        self.width = PANEL_WIDTH + 20.0  # what the picture leaves free on the left
        self.seed = 0  # generate buttons: a new seed each press
        self.reseed = random.Random()  # "new" beside seed inputs
        self.files = FileControls(post, shader_folder)
        self.live = LiveControls(store, post)
        self.cues = CueControls(post)

    def draw(self, status: ShowStatus) -> None:
        self.status = self.live.status = status
        imgui.set_next_window_pos(imgui.ImVec2(10, 10), imgui.Cond_.first_use_ever)
        height = imgui.get_io().display_size.y - 20
        imgui.set_next_window_size(imgui.ImVec2(PANEL_WIDTH, height), imgui.Cond_.first_use_ever)
        imgui.set_next_window_bg_alpha(0.85)
        if imgui.begin("shaderlab"):
            self._frame_time()
            self.live.safety()
            if status.performance:  # only what a show needs: the safety above, the cues, the tempo, the news
                self.cues.draw(status, compact=True)
                self.live.tempo()
                self._notes()
                self._shader_errors()
                self.width = imgui.get_window_pos().x + imgui.get_window_width()
                imgui.end()
                return
            self.cues.draw(status)
            self._source()
            self._view()
            imgui.separator_text("Effects")
            self._chain()
            self._add_effect()
            self.files.add_effect_file()
            self.files.shelf(status)
            self.live.tempo()
            self._sorting()
            self._models()
            self.live.surfaces()
            imgui.separator_text("Save")
            self._save()
            self._shortcuts()
            self._notes()
            self._shader_errors()
        self.width = imgui.get_window_pos().x + imgui.get_window_width()
        imgui.end()

    def _frame_time(self) -> None:
        recent = self.status.frame_times
        if len(recent) == 0:
            imgui.text("waiting for the first frame…")
            return
        median = float(sorted(recent)[len(recent) // 2])
        imgui.text(f"frame {median:5.2f} ms  ({1000.0 / max(median, 1e-3):4.0f} fps)")
        imgui.plot_lines("##frametimes", recent, graph_size=imgui.ImVec2(-1, 40), scale_min=0.0)

    def _source(self) -> None:
        self.source.draw(self.status.moving, self.live.learn)

    def _view(self) -> None:
        if self.status.output_size is None:
            return
        imgui.text(f"view {self.status.view_zoom * 100:.0f}%")
        imgui.same_line()
        if imgui.small_button("fit"):
            self.post(c.ViewFit())
        imgui.same_line()
        if imgui.small_button("1:1"):
            self.post(c.ViewActualSize())
        imgui.same_line()
        if imgui.small_button("undo selection (Z)"):
            self.post(c.UndoSelection())
        imgui.same_line()
        if imgui.small_button("use as source"):
            self.post(c.UseOutputAsSource())
        imgui.set_item_tooltip("what is on screen becomes the source; the effects are switched off")

    def _shortcuts(self) -> None:
        if imgui.collapsing_header("Shortcuts"):
            for keys, action in key_table.listing():
                imgui.text_colored(NOTE_COLOUR, f"{keys:>10}")
                imgui.same_line()
                imgui.text(action)

    def _chain(self) -> None:
        for slot in self.store.chain.slots:
            imgui.push_id(slot.id)
            changed, on = imgui.checkbox("##on", slot.enabled)
            if changed:
                self.post(c.BypassEffect(slot.id, not on))
            imgui.set_item_tooltip(f"bypass (its id in the show: {slot.id})")
            imgui.same_line()
            open_ = imgui.collapsing_header(f"{slot.name}###header", imgui.TreeNodeFlags_.default_open)
            imgui.same_line(imgui.get_window_width() - 84)
            if imgui.small_button("^"):
                self.post(c.MoveEffect(slot.id, -1))
            imgui.same_line()
            if imgui.small_button("v"):
                self.post(c.MoveEffect(slot.id, +1))
            imgui.same_line()
            if imgui.small_button("x"):
                self.post(c.RemoveEffect(slot.id))
            if open_:
                self._inputs(slot)
            imgui.pop_id()

    def _inputs(self, slot: ChainSlot) -> None:
        spec = slot.spec
        for declared in spec.inputs:
            if declared.is_image:
                imgui.push_id(declared.name)
                self.files.image_input(self.store, slot, declared)
                imgui.pop_id()
        if spec.input("progress") is not None and spec.input("startImage") is not None:
            if imgui.small_button("play transition"):  # progress 0 → 1, as ISF hosts run it
                self.post(c.PlayTransition(slot.id))
        for declared in spec.value_inputs:
            imgui.push_id(declared.name)
            address = chain_address(slot.id, declared.name)
            setting(self.store, self.post, address)
            imgui.same_line()
            if imgui.small_button("r"):
                self.post(c.Reset(address))
            imgui.set_item_tooltip("reset to default")
            self.live.learn(address)
            self.live.modulation(address, declared)
            if declared.name == "seed" and declared.type in ("long", "float"):
                imgui.same_line()
                if imgui.small_button("new"):  # reseed: another picture, network, pattern
                    high = int(declared.max) if declared.max is not None else 1_000_000
                    self.post(c.SetValue(address, clamp_value(declared, self.reseed.randint(0, high))))
            imgui.pop_id()

    def _add_effect(self) -> None:
        names = self.status.effect_names
        if not names:
            return
        self.add_choice = min(self.add_choice, len(names) - 1)
        imgui.set_next_item_width(PANEL_WIDTH - 120)
        _, self.add_choice = imgui.combo("##add", self.add_choice, list(names))
        imgui.same_line()
        if imgui.button("Add effect"):
            self.post(c.AddEffect(names[self.add_choice]))

    def _sorting(self) -> None:
        """Generated from the show's sort settings (pixelsort.native's header, plus auto and
        motion); every change is a command, applied as the next frame starts."""
        if not self.status.sorting:
            return
        store = self.store
        imgui.separator_text("Sort the picture")
        imgui.text_disabled("arrows: sort that way (shift: fully) · space: auto · R: reset")
        first = [SORT_AUTO, SORT_MOTION]
        imgui.push_item_width(-175)  # room for the header's labels beside the widgets
        for address in first + [a for a in store.addresses(SORT + "/") if a not in first]:
            imgui.push_id(address)
            setting(self.store, self.post, address)
            self.live.learn(address)
            imgui.pop_id()
        imgui.pop_item_width()
        if imgui.small_button("reset the sort (R)"):
            self.post(c.SortReset())

    def _models(self) -> None:
        imgui.separator_text("Models")
        models = self.status.models
        for name, status in [(None, "offline"), *models]:
            imgui.push_id(name or "builtin")
            imgui.text(f"{name or 'built-in'}: ")
            imgui.same_line()
            imgui.text_colored(ERROR_COLOUR if status.startswith("failed") else NOTE_COLOUR, status)
            if name is not None:
                if imgui.small_button("depth of current frame"):
                    self.post(c.RequestDepth(name))
                imgui.same_line()
                if imgui.small_button("of source"):
                    self.post(c.RequestDepth(name, of_source=True))
                imgui.same_line()
                if imgui.small_button("enhance"):
                    self.post(c.RequestEnhance(name))
                imgui.set_item_tooltip("send the frame through this model (image to image); the answer becomes the source")
            for kind in GENERATED_KINDS:
                if name is not None:
                    imgui.same_line()
                if imgui.small_button(kind):
                    self.seed += 1
                    self.post(c.Generate(kind, name, self.seed))
                if name is None:
                    imgui.same_line()
            imgui.new_line() if name is None else None
            imgui.pop_id()
        if models and imgui.small_button("cancel"):
            self.post(c.CancelModels())
        imgui.set_next_item_width(150)
        setting(self.store, self.post, CROSSFADE)

    def _save(self) -> None:
        if imgui.button("Save image + scene (S)"):
            self.post(c.SaveOutput())
        self.live.learn(ACTION_SAVE)
        imgui.same_line()
        recording = self.status.recording
        if recording is None:
            if imgui.button("Record"):
                self.post(c.RecordStart())
        else:
            if imgui.button("Stop"):
                self.post(c.RecordStop())
            else:
                imgui.same_line()
                imgui.text_colored(ERROR_COLOUR, f"REC {recording.recorded} ({recording.dropped} dropped)")
        folder = self.store.get(SAVE_FOLDER)
        entered, typed = imgui.input_text("folder", folder, imgui.InputTextFlags_.enter_returns_true)
        # Taken on enter, and when the field is left after an edit (a click on Save).
        if (entered or imgui.is_item_deactivated_after_edit()) and typed.strip() != folder:
            self.post(c.SetValue(SAVE_FOLDER, typed.strip()))
        imgui.set_item_tooltip("where Save and Record write")
        _, self.scene_path = imgui.input_text("scene", self.scene_path)
        if imgui.button("Load scene"):
            self.post(c.LoadScene(Path(self.scene_path).expanduser()))
        imgui.same_line()
        if imgui.button("Save scene"):
            self.post(c.SaveScene(Path(self.scene_path).expanduser()))

    def _notes(self) -> None:
        notes = self.store.session.notes
        if notes:
            imgui.separator_text("Messages")
        for note in notes:
            imgui.push_text_wrap_pos(0.0)
            colour = ERROR_COLOUR if note.error else WARNING_COLOUR if note.warning else NOTE_COLOUR
            imgui.text_colored(colour, note.text)
            imgui.pop_text_wrap_pos()

    def _shader_errors(self) -> None:
        errors = self.status.shader_errors
        if not errors:
            return
        imgui.separator_text("Shader errors (last good version keeps running)")
        for message in errors:
            imgui.push_text_wrap_pos(0.0)
            imgui.text_colored(ERROR_COLOUR, message)
            imgui.pop_text_wrap_pos()
