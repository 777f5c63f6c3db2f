"""What the mouse changes in the chain. Sampler selections: each one edits a ``sampler`` effect at the head of
the chain, so a selection is saved in scenes and renders headless like any effect.

Selections stack: a zoom selected inside a zoom narrows it further. Undo (Z) steps back one
selection at a time, and removes the sampler once the first selection is undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from shaderlab.app.session import ChainEntry, Session
from shaderlab.isf.header import EffectSpec

SAMPLER = "sampler"
NETWORK = "random_network"
ZOOM, TILE = 0, 1


@dataclass
class Selections:
    session: Session
    spec_of: Callable[[str], EffectSpec]
    #: What the head sampler's values were before each selection (None: there was none).
    history: list[dict[str, Any] | None] = field(default_factory=list)

    def head(self) -> ChainEntry | None:
        entries = self.session.entries
        return entries[0] if entries and entries[0].name == SAMPLER else None

    def select(self, corner_a: tuple[float, float], corner_b: tuple[float, float], size: tuple[int, int]) -> bool:
        """Select the area between two output-image points (pixels); False if it is too small."""
        w, h = size
        x0, x1 = sorted((min(max(corner_a[0], 0.0), w), min(max(corner_b[0], 0.0), w)))
        y0, y1 = sorted((min(max(corner_a[1], 0.0), h), min(max(corner_b[1], 0.0), h)))
        # Whole output pixels, at least one.
        left, top = int(x0), int(y0)
        cols, rows = max(1, round(x1 - left)), max(1, round(y1 - top))
        if x1 - x0 < 2 and y1 - y0 < 2:
            return False  # a click, not a drag
        entry = self.head()
        self.history.append(dict(entry.params) if entry is not None else None)
        if entry is None:
            entry = ChainEntry(SAMPLER, self.spec_of(SAMPLER).defaults())
            entry.params.update(x=0.0, y=0.0, width=1.0, height=1.0, mode=ZOOM)
            self.session.entries.insert(0, entry)
        entry.enabled = True
        entry.params.update(_compose(entry.params, (left, top, cols, rows), size))
        return True

    def undo(self) -> bool:
        """Step back one selection; False when there is none to undo."""
        if not self.history:
            return False
        before = self.history.pop()
        entry = self.head()
        if before is None:
            if entry is not None:
                self.session.remove(entry.uid)
        elif entry is not None:
            entry.params = before
        return True

    def clear(self) -> None:
        """Forget the history (a scene was loaded: its sampler is not ours to undo)."""
        self.history.clear()


def _compose(params: dict[str, Any], box: tuple[int, int, int, int], size: tuple[int, int]) -> dict[str, float]:
    """The selection ``box`` (output pixels) in the coordinates of the sampler's input.

    The sampler's output has its input's size, so output pixels are input pixels. Zoomed,
    the box lies inside the zoomed area; tiled, its corner is mapped back through the tiling.
    """
    w, h = size
    left, top, cols, rows = box
    ox, oy = round(params["x"] * w), round(params["y"] * h)
    ow, oh = max(1, round(params["width"] * w)), max(1, round(params["height"] * h))
    if params.get("mode", ZOOM) == ZOOM:
        x0, x1 = ox + left * ow // w, ox + (left + cols) * ow // w
        y0, y1 = oy + top * oh // h, oy + (top + rows) * oh // h
        cols, rows = max(1, x1 - x0), max(1, y1 - y0)
        left, top = x0, y0
    else:
        left = ox + (left - ox) % ow
        top = oy + (top - oy) % oh
    cols, rows = min(cols, w - left), min(rows, h - top)
    return {"x": left / w, "y": top / h, "width": cols / w, "height": rows / h}


def pick_network(session: Session, point: tuple[float, float], size: tuple[int, int]) -> int | None:
    """A click on a grid of random networks keeps the one under it: that network's seed, alone.

    Returns the seed picked, or None when no grid is shown there."""
    from shaderlab.networks.weights import tile_at, tile_seed

    for entry in reversed(session.entries):  # the last grid in the chain is the one seen
        grid = int(entry.params.get("grid", 1))
        if entry.name == NETWORK and entry.enabled and grid > 1:
            tile = tile_at(point, size, grid)
            if tile is None:
                return None
            entry.params["seed"] = tile_seed(entry.params["seed"], tile)
            entry.params["grid"] = 1
            return entry.params["seed"]
    return None
