"""The panel's file-facing parts: add an effect from a file (typed, or chosen in the system's
file dialog), the shader folder's thumbnails, and image inputs set to files.

Dialogs come from portable-file-dialogs (bundled with imgui-bundle): they run as separate
processes and are polled each frame, so the picture keeps moving while one is open.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from imgui_bundle import imgui
from imgui_bundle import portable_file_dialogs as pfd

from shaderlab.isf.header import CHAIN_INPUTS, DEPTH_IMAGE
from shaderlab.show.status import THUMBNAIL
from shaderlab.show.commands import AddEffectFile, Command, OpenShelf, Say, SetValue
from shaderlab.show.slots import chain_address
from shaderlab.show.status import ShowStatus

if TYPE_CHECKING:
    from shaderlab.isf.header import InputSpec
    from shaderlab.show.chain import ChainSlot
    from shaderlab.show.store import Store

EFFECT_FILTERS = ["Effects (ISF, Shadertoy)", "*.fs *.glsl *.shadertoy.toml", "All files", "*"]
ERROR_COLOUR = imgui.ImVec4(1.0, 0.45, 0.4, 1.0)


class FileControls:
    def __init__(self, post: Callable[[Command], None], folder: Path | None):
        self.post = post
        self.effect_path = ""
        self.folder_text = str(folder) if folder is not None else ""
        self._file_dialog: Any = None
        self._folder_dialog: Any = None

    def add_effect_file(self) -> None:
        _, self.effect_path = imgui.input_text("##effectfile", self.effect_path)
        imgui.same_line()
        if imgui.button("Add file") and self.effect_path.strip():
            self.post(AddEffectFile(Path(self.effect_path.strip()).expanduser()))
        imgui.same_line()
        if imgui.button("Browse…") and self._file_dialog is None and self._dialogs_available():
            self._file_dialog = pfd.open_file("Add an effect", self.folder_text or str(Path.cwd()), EFFECT_FILTERS)
        if self._file_dialog is not None and self._file_dialog.ready(0):
            chosen, self._file_dialog = self._file_dialog.result(), None
            if chosen:
                self.effect_path = chosen[0]
                self.post(AddEffectFile(Path(chosen[0])))

    def _dialogs_available(self) -> bool:
        """On Linux the system dialogs come from zenity or kdialog; say so when neither is there."""
        if not sys.platform.startswith("linux") or shutil.which("zenity") or shutil.which("kdialog"):
            return True
        self.post(Say("no file dialog here (install zenity or kdialog); type the path instead", error=True))
        return False

    def shelf(self, status: ShowStatus) -> None:
        flags = imgui.TreeNodeFlags_.default_open if status.shelf_folder is not None else 0
        if not imgui.collapsing_header("Shader folder", flags):
            return
        imgui.set_next_item_width(200)
        _, self.folder_text = imgui.input_text("##folder", self.folder_text)
        imgui.same_line()
        if imgui.button("Open") and self.folder_text.strip():
            self.post(OpenShelf(Path(self.folder_text.strip())))
        imgui.same_line()
        if imgui.button("…") and self._folder_dialog is None and self._dialogs_available():
            self._folder_dialog = pfd.select_folder("A folder of effects", self.folder_text or str(Path.cwd()))
        if self._folder_dialog is not None and self._folder_dialog.ready(0):
            chosen, self._folder_dialog = self._folder_dialog.result(), None
            if chosen:
                self.folder_text = chosen
                self.post(OpenShelf(Path(chosen)))
        if status.shelf_folder is not None and not status.shelf:
            imgui.text_disabled("no effects there (yet)")
        size = imgui.ImVec2(*THUMBNAIL)
        per_row = max(1, int(imgui.get_content_region_avail().x // (THUMBNAIL[0] + 8)))
        for index, item in enumerate(status.shelf):
            imgui.push_id(str(item.path))
            imgui.begin_group()
            if item.texture_id is not None and item.error is None:
                # Textures are stored bottom row first: flip the v coordinates.
                ref = imgui.ImTextureRef(item.texture_id)
                clicked = imgui.image_button("##thumb", ref, size, imgui.ImVec2(0, 1), imgui.ImVec2(1, 0))
            else:
                clicked = imgui.button("…" if item.error is None else "error", size)
            imgui.text(item.path.name[:18])
            imgui.end_group()
            if imgui.is_item_hovered():
                imgui.set_tooltip((item.error or item.description)[:300])
            if clicked and item.spec is not None and item.error is None:
                self.post(AddEffectFile(item.path, item.spec))
            if (index + 1) % per_row:
                imgui.same_line()
            imgui.pop_id()
        imgui.new_line()

    def image_input(self, store: "Store", slot: "ChainSlot", declared: "InputSpec") -> None:
        """An image input's file (empty: the source picture)."""
        if declared.name in CHAIN_INPUTS or declared.name == DEPTH_IMAGE:
            return
        address = chain_address(slot.id, declared.name)
        value = store.get(address)
        text = value if isinstance(value, str) else ""
        changed, text = imgui.input_text(f"{declared.label or declared.name} file", text, imgui.InputTextFlags_.enter_returns_true)
        if changed:
            self.post(SetValue(address, text.strip() or None))
        imgui.set_item_tooltip("an image file (press enter); empty: the source picture")
