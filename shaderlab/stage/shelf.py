"""The shader shelf: a folder of effects (ISF, Shadertoy) shown as thumbnails of the current
picture through each one; click one to add it to the chain.

Listing and parsing the folder happens on a worker; compiling and rendering must happen on the
GL thread, so thumbnails are made one a frame after the show's own frame (a browse never
stalls the picture for more than one small render).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import moderngl

from shaderlab.errors import ShaderlabError
from shaderlab.gl.surface import Surface
from shaderlab.library import effect_files, read_effect
from shaderlab.gl.display import Display
from shaderlab.render.chain import Chain, Step
from shaderlab.render.clock import FrameTime
from shaderlab.render.programs import ProgramCache
from shaderlab.show.messages import ShelfListed
from shaderlab.show.status import THUMBNAIL, ShelfThumbnail
from shaderlab.stage.trials import PASSED, PENDING, Trials

if TYPE_CHECKING:
    from shaderlab.isf.header import EffectSpec
    from shaderlab.library import EffectLibrary



@dataclass
class ShelfItem:
    path: Path
    spec: "EffectSpec | None"
    error: str | None = None
    thumbnail: Surface | None = None
    fresh: bool = False  # drawn from the current picture


def list_folder(folder: Path) -> ShelfListed:
    """Every effect file of ``folder`` with its spec (runs on a worker)."""
    if not folder.is_dir():
        raise ShaderlabError(f"{folder}: no such folder")
    entries = []
    for path in effect_files(sorted(folder.iterdir())):
        try:
            entries.append((path, read_effect(path), None))
        except ShaderlabError as exc:
            entries.append((path, None, str(exc)))
    return ShelfListed(folder, tuple(entries))


@dataclass
class ShaderShelf:
    ctx: moderngl.Context
    library: "EffectLibrary"
    trials: Trials
    display: Display
    submit: Callable[[Callable[[int], Any]], int]
    folder: Path | None = None
    items: list[ShelfItem] = field(default_factory=list)
    _chain: Chain | None = None
    _programs: ProgramCache | None = None
    _small: Surface | None = None  # the picture at thumbnail size
    _stale: bool = True  # the picture changed: every thumbnail is to be redone

    def open(self, folder: Path) -> None:
        folder = Path(folder).expanduser()
        self.folder = folder
        self.submit(lambda job: list_folder(folder))

    def on_listed(self, message: ShelfListed) -> None:
        if message.folder != self.folder:
            return  # another folder was opened since
        self.release_thumbnails()
        self.items = [ShelfItem(path, spec, error) for path, spec, error in message.entries]

    def stale(self) -> None:
        """The picture changed (textures are reused, so the shelf cannot tell by itself)."""
        self._stale = True

    def tick(self, picture) -> None:
        """After the frame: bring one thumbnail up to date with ``picture``."""
        if not self.items or picture is None:
            return
        if self._chain is None:
            self._chain = Chain(self.ctx)
            # Programs of its own: a thumbnail never swaps the version the show is running.
            self._programs = ProgramCache(self.ctx, self.library)
            self._small = Surface(self.ctx, THUMBNAIL)
        if self._stale:
            self._stale = False
            self.display.draw(self._small.framebuffer, picture, THUMBNAIL)
            for item in self.items:
                item.fresh = False
        item = self._next_ready()
        if item is None:
            return
        item.fresh = True
        if item.thumbnail is None:
            item.thumbnail = Surface(self.ctx, THUMBNAIL)
        try:
            effect = self._programs.compile(item.spec)
            step = Step(("shelf", item.path), effect, item.spec.defaults())
            out = self._chain.run(self._small.texture, [step], THUMBNAIL, FrameTime())
            self.display.draw(item.thumbnail.framebuffer, out, THUMBNAIL)
        except ShaderlabError as exc:
            item.error = str(exc)
        finally:
            self._chain.release_instances()  # a thumbnail keeps its pixels, not the buffers

    def _next_ready(self) -> ShelfItem | None:
        """The next thumbnail to draw whose effect may run: one from the user's files only
        after its trial at thumbnail size (stage/trials.py); a refused one shows why."""
        for item in self.items:
            if item.spec is None or item.fresh or item.error is not None:
                continue
            verdict = self.trials.verdict(item.spec, THUMBNAIL, item.spec.defaults())
            if verdict == PASSED:
                return item
            if verdict == PENDING:
                return None  # one trial at a time: the next thumbnails wait for this verdict
            item.error = verdict
        return None

    def status(self) -> tuple[ShelfThumbnail, ...]:
        """What the panel shows of each item: a texture id (no GL object), or why not."""
        return tuple(
            ShelfThumbnail(item.path, item.thumbnail.texture.glo if item.thumbnail is not None else None,
                           item.error, (item.spec.description if item.spec else "") or item.path.name, item.spec)
            for item in self.items
        )

    def release_thumbnails(self) -> None:
        for item in self.items:
            if item.thumbnail is not None:
                item.thumbnail.release()
                item.thumbnail = None

    def release(self) -> None:
        self.release_thumbnails()
        if self._chain is not None:
            self._chain.release()
            self._programs.release()
            self._small.release()
