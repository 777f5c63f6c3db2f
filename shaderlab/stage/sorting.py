"""Pixel sorting the window's picture itself: arrow keys and continuous auto sort.

As in the original tool, the sort works on a canvas that replaces the source: each arrow press
or held frame runs a few odd-even steps toward that side, shift+arrow sorts fully, and what it
leaves is the starting point of the next press — sorting right then up accumulates. The effect
chain renders on top of the canvas.

Auto sort never freezes on a screen left running for hours: when the canvas stops moving it
starts the next cycle — the next direction (returning to the original picture after a full
turn), or the original picture again with thresholds drifted a little further.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Mapping

import moderngl

from shaderlab.sort.gpu import PixelSortEffect, PixelSortInstance
from shaderlab.show.settings import SORT
from shaderlab.sort.keys import KEYS
from shaderlab.sort.options import DIRECTIONS, INTERVALS, SortOptions

#: Frames between checks of whether the canvas still moves (each check reads 4 bytes back);
#: the first check comes sooner, as a cycle can have nothing to move at all.
CHECK_EVERY = 8
FIRST_CHECK = 2


@dataclass
class SortSettings:
    """How the window's picture is sorted this frame: made from the show's ``settings/sort``
    slots (declared by pixelsort.native's header), which the panel and keys change."""

    options: SortOptions = SortOptions()
    steps: int = 8
    auto: bool = False
    motion: int = 0


def sort_settings(values: Mapping[str, Any]) -> SortSettings:
    """The settings from the slots' values (``settings/sort/<input>``); menus hold the index
    the header declares, SortOptions their names."""
    get = lambda name, default: values.get(f"{SORT}/{name}", default)  # noqa: E731
    defaults = SortOptions()
    lower, upper = sorted((float(get("lower", defaults.lower)), float(get("upper", defaults.upper))))
    options = SortOptions(
        key=_named(KEYS, get("key", 0)), interval=_named(INTERVALS, get("interval", 0)),
        direction=_named(DIRECTIONS, get("direction", 0)), lower=lower, upper=upper,
        reverse=bool(get("reverse", False)), randomness=float(get("randomness", 0.0)),
        char_length=float(get("char_length", defaults.char_length)), seed=int(get("seed", 0)),
    )
    return SortSettings(options, int(get("steps", 8)), bool(get("auto", False)), int(get("motion", 0)))


def _named(names: tuple[str, ...], index: Any) -> str:
    return names[int(index)] if 0 <= int(index) < len(names) else names[0]


class SortController:
    def __init__(self, effect: PixelSortEffect):
        self.effect = effect
        self.settings = SortSettings()
        self._instance: PixelSortInstance | None = None
        self._options: SortOptions | None = None  # what the canvas is flowing under now
        self._canvas: moderngl.Texture | None = None
        self._frames = 0  # since the current cycle began
        self._depth: moderngl.Texture | None = None
        self.cycles = 0

    def texture(self, source: moderngl.Texture) -> moderngl.Texture:
        """The picture the chain should render: the canvas once sorting began, else the source."""
        return self._canvas if self._canvas is not None else source

    @property
    def canvas(self) -> moderngl.Texture | None:
        """The sorted picture once sorting began (None: the source as it is)."""
        return self._canvas

    def seed(self, canvas: moderngl.Texture) -> None:
        """Go on from ``canvas`` (a replay's log begun mid-sort; the caller keeps the texture)."""
        self._instance_for(canvas)  # made now: a new instance would start from the source
        self._canvas, self._options = canvas, None

    def reset(self) -> None:
        """Back to the original picture (the R key, or a new source)."""
        self._canvas = None
        self._options = None
        self.cycles = 0

    def frame(
        self, source: moderngl.Texture, held: str | None, settle: bool, depth: moderngl.Texture | None = None
    ) -> None:
        """Run this frame's sorting: ``held`` is the arrow held down, if any; ``depth`` serves
        depth intervals (sort only the near or far part)."""
        self._depth = depth
        if held is not None:
            self._step(source, replace(self.settings.options, direction=held), settle)
        elif self.settings.auto:
            self._auto(source)

    def _step(self, source: moderngl.Texture, options: SortOptions, settle: bool) -> None:
        instance = self._instance_for(source)
        current = self.texture(source)
        use_depth = options.interval == "depth" and self._depth is not None
        mask = self._depth if use_depth else self.effect.all_sortable
        if settle:
            self._canvas = instance.settle(current, options, mask)
            self._options = None  # the next press takes new intervals from this result
            return
        if options != self._options:
            instance.restart(current, options, mask)
            self._options = options
        self._canvas = instance.advance(current, options, self.settings.steps)

    def _auto(self, source: moderngl.Texture) -> None:
        options = self._cycle_options()
        if self._options is None or self._options != options:
            full_turn = self.cycles % len(DIRECTIONS) == 0
            if self.cycles > 0 and (self.settings.motion == 1 or full_turn):
                self._canvas = None  # drift, or a full turn done: flow from the original again
            self._frames = 0
        self._step(source, options, settle=False)
        self._frames += 1
        due = self._frames == FIRST_CHECK or self._frames % CHECK_EVERY == 0
        if due and not self._instance.moved_since_last_check():
            self.cycles += 1  # settled: the next frame starts the next cycle

    def _cycle_options(self) -> SortOptions:
        """This cycle's settings: the next direction, or thresholds drifted a little further.

        Cycling directions also drifts the thresholds after every full turn, so the show never
        repeats itself exactly however long it runs.
        """
        base = self.settings.options
        if self.settings.motion == 1:
            return _drifted(base, self.cycles)
        start = DIRECTIONS.index(base.direction)
        turned = replace(base, direction=DIRECTIONS[(start + self.cycles) % len(DIRECTIONS)])
        return _drifted(turned, self.cycles // len(DIRECTIONS))

    def _instance_for(self, source: moderngl.Texture) -> PixelSortInstance:
        if self._instance is None or self._instance.size != source.size:
            if self._instance is not None:
                self._instance.release()
            self._instance = self.effect.instance(source.size)
            self._canvas = None
            self._options = None
        return self._instance

    def release(self) -> None:
        if self._instance is not None:
            self._instance.release()
            self._instance = None


def _drifted(options: SortOptions, step: int) -> SortOptions:
    """Thresholds moved along a slow sine by ``step`` (0: unchanged), their gap kept."""
    if step == 0:
        return options
    width = options.upper - options.lower
    lower = min(1.0 - width, max(0.0, options.lower + 0.2 * math.sin(step * 0.7)))
    return replace(options, lower=round(lower, 4), upper=round(lower + width, 4))
