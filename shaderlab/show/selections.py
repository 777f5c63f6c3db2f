"""What the mouse changes in the chain, through the store's one write path.

Sampler selections: each one edits a ``sampler`` effect at the head of the chain, so a
selection is saved in scenes and renders headless like any effect. Selections stack: a zoom
selected inside a zoom narrows it further. Undo (Z) steps back one selection at a time, and
removes the sampler once the first selection is undone. A click on a grid of random networks
keeps the network under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shaderlab.show.chain import ChainSlot
from shaderlab.show.slots import chain_address
from shaderlab.show.store import Store

SAMPLER = "sampler"
NETWORK = "random_network"
ZOOM, TILE = 0, 1


@dataclass
class Selections:
    store: Store
    #: What the head sampler's values were before each selection (None: there was none).
    history: list[dict[str, Any] | None] = field(default_factory=list)

    def head(self) -> ChainSlot | None:
        slots = self.store.chain.slots
        return slots[0] if slots and slots[0].name == SAMPLER else None

    def select(self, corner_a: tuple[float, float], corner_b: tuple[float, float], size: tuple[int, int]) -> dict | None:
        """Select the area between two output-image points (pixels); returns the sampler's
        new values, or None for a click (too small to be a drag)."""
        w, h = size
        x0, x1 = sorted((min(max(corner_a[0], 0.0), w), min(max(corner_b[0], 0.0), w)))
        y0, y1 = sorted((min(max(corner_a[1], 0.0), h), min(max(corner_b[1], 0.0), h)))
        # Whole output pixels, at least one.
        left, top = int(x0), int(y0)
        cols, rows = max(1, round(x1 - left)), max(1, round(y1 - top))
        if x1 - x0 < 2 and y1 - y0 < 2:
            return None  # a click, not a drag
        store = self.store
        slot = self.head()
        before = store.effect_values(slot.id) if slot is not None else None
        if slot is None:  # a full chain refuses it here, before anything changed
            whole = {"x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0, "mode": ZOOM}
            slot = store.chain.get(store.add_effect(SAMPLER, index=0, values=whole))
        self.history.append(before)
        store.bypass_effect(slot.id, False)
        values = store.effect_values(slot.id)
        for name, value in _compose(values, (left, top, cols, rows), size).items():
            store.set(chain_address(slot.id, name), value, clamp=True)
        return store.effect_values(slot.id)

    def undo(self) -> bool:
        """Step back one selection; False when there is none to undo."""
        if not self.history:
            return False
        before = self.history.pop()
        slot = self.head()
        if slot is None:
            return True
        if before is None:
            self.store.remove_effect(slot.id)
        else:
            for name, value in before.items():
                self.store.set(chain_address(slot.id, name), value, clamp=True)
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


def pick_network(store: Store, point: tuple[float, float], size: tuple[int, int]) -> int | None:
    """A click on a grid of random networks keeps the one under it: that network's seed, alone.

    Returns the seed picked, or None when no grid is shown there."""
    from shaderlab.networks.weights import tile_at, tile_seed

    for slot in reversed(store.chain.slots):  # the last grid in the chain is the one seen
        if slot.name != NETWORK or not slot.enabled:
            continue
        values = store.effect_values(slot.id)
        grid = int(values.get("grid", 1))
        if grid > 1:
            tile = tile_at(point, size, grid)
            if tile is None:
                return None
            seed = store.set(chain_address(slot.id, "seed"), tile_seed(values["seed"], tile), clamp=True)
            store.set(chain_address(slot.id, "grid"), 1, clamp=True)
            return int(seed)
    return None
