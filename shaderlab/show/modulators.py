"""Modulators: what changes a value between the base and the frame, without writing it.

A modulator is any callable ``(address, base_value, frame_time) -> value`` (see
:class:`~shaderlab.show.store.Modulator`). A playing transition is the first; LFOs and morphs
follow the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Transition:
    """Run one input (a transition's ``progress``) from 0 to 1 over ``seconds`` from ``start``.

    The user's own ``progress`` stays the base: when the owner removes the modulator, the
    slider shows and renders what the user left there."""

    address: str
    start: float
    seconds: float = 2.0

    def __call__(self, address: str, base_value: Any, frame_time: float) -> Any:
        if address != self.address:
            return base_value
        return min(max((frame_time - self.start) / max(self.seconds, 1e-3), 0.0), 1.0)

    def finished(self, frame_time: float) -> bool:
        return frame_time - self.start >= self.seconds


@dataclass
class Morph:
    """A cue's morph: every value both snapshots have goes from ``a`` to ``b`` over ``seconds``
    from ``start`` (the store's own blend: numbers, points and colours glide, switches and menus
    change half way); what only the new scene has is already its own."""

    a: Any  # show.store.Snapshot
    b: Any
    start: float
    seconds: float
    blend: Any  # Store.blend
    #: The blend at one frame's time: made once a frame, read for every value it holds.
    _blended: tuple[float, Any] | None = None

    def __call__(self, address: str, base_value: Any, frame_time: float) -> Any:
        # The effects' values only: settings (blackout, freeze, tempo …) answer the performer at once.
        if not address.startswith("chain/") or address not in self.a.values or address not in self.b.values:
            return base_value
        progress = min(max((frame_time - self.start) / max(self.seconds, 1e-3), 0.0), 1.0)
        if progress >= 1.0:
            return base_value
        if self._blended is None or self._blended[0] != frame_time:
            self._blended = (frame_time, self.blend(self.a, self.b, progress).values)
        return self._blended[1][address]

    def finished(self, frame_time: float) -> bool:
        return frame_time - self.start >= self.seconds
