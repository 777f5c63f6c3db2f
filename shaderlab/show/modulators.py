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
