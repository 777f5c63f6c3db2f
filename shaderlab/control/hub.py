"""The GL thread's side of the control surfaces: it tells each one what the show looks like
(an immutable Namespace, rebuilt when slots come and go) and what moved in each frame."""

from __future__ import annotations

from typing import Protocol

from shaderlab.control.namespace import Namespace
from shaderlab.show.store import Changes, Store


class Surface(Protocol):
    def publish(self, namespace: Namespace) -> None: ...
    def describe(self) -> str: ...
    def changed(self, changes: Changes) -> None: ...
    def close(self) -> None: ...


class ControlHub:
    def __init__(self, store: Store):
        self.store = store
        self.surfaces: list[Surface] = []
        self.midi = None  # the MIDI surface, when one plays: learn and unmap go to it
        self.namespace = Namespace.of(store)
        self._unsubscribe = store.subscribe(self._changed)

    def add(self, surface: Surface) -> Surface:
        surface.publish(self.namespace)
        self.surfaces.append(surface)
        return surface

    def _changed(self, changes: Changes) -> None:
        """Once a frame in which something moved (the store's change notice)."""
        known = self.namespace.slots
        if changes.removed or any(a not in known for a in changes.values):
            self.namespace = Namespace.of(self.store)  # slots came or went: the tree changed
        else:
            self.namespace = self.namespace.with_values(changes.values)
        for surface in self.surfaces:
            surface.publish(self.namespace)
            surface.changed(changes)

    def describe(self) -> tuple[str, ...]:
        """A line per surface for the panel: where it listens, what it heard last."""
        return tuple(surface.describe() for surface in self.surfaces)

    def close(self) -> None:
        self._unsubscribe()
        for surface in self.surfaces:
            surface.close()
        self.surfaces.clear()
