"""The effect chain as data: ordered effect slots whose ids survive moves, bypass and saving.

A slot id is the middle of every address of that effect's inputs (``chain/<id>/<input>``): a
controller mapped to ``chain/blur/radius`` keeps working when the blur moves down the chain,
and a scene saves the id so the mapping survives a reload too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from shaderlab.isf.header import EffectSpec
from shaderlab.params import MAX_EFFECTS
from shaderlab.show.slots import SLOT_ID, ShowError


#: Every slot ever made gets its own serial: the stage keys an effect's buffers and image
#: textures by it, so an effect removed and added again (same id) starts afresh.
_serials = itertools.count(1)


@dataclass
class ChainSlot:
    """One effect in the chain. ``name`` is what the library knows it by (a name or a file
    path); ``spec`` its newest declaration."""

    id: str
    name: str
    spec: EffectSpec
    enabled: bool = True
    serial: int = field(default_factory=lambda: next(_serials), compare=False)


class Chain:
    def __init__(self) -> None:
        self._slots: list[ChainSlot] = []

    @property
    def slots(self) -> tuple[ChainSlot, ...]:
        return tuple(self._slots)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self._slots)

    def __len__(self) -> int:
        return len(self._slots)

    def get(self, slot_id: str) -> ChainSlot:
        for slot in self._slots:
            if slot.id == slot_id:
                return slot
        known = ", ".join(self.ids) or "the chain is empty"
        raise ShowError(f"no effect {slot_id!r} in the chain ({known})")

    def new_id(self, name: str) -> str:
        """A readable id from the effect's name (``blur``, then ``blur-2``), never reused
        while the chain holds it."""
        stem = re.sub(r"[^A-Za-z0-9_]+", "_", Path(name).stem).strip("_")[:32] or "effect"
        taken = set(self.ids)
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def check_id(self, slot_id: str) -> None:
        if not isinstance(slot_id, str) or not SLOT_ID.fullmatch(slot_id):
            raise ShowError(f"{slot_id!r} is not a usable effect id (letters, digits, _ . -; at most 40)")
        if slot_id in self.ids:
            raise ShowError(f"the chain has an effect {slot_id!r} already")

    def insert(self, slot: ChainSlot, index: int | None = None) -> None:
        if len(self._slots) >= MAX_EFFECTS:
            raise ShowError(f"the chain holds at most {MAX_EFFECTS} effects; remove one first")
        self.check_id(slot.id)
        self._slots.insert(len(self._slots) if index is None else max(0, min(index, len(self._slots))), slot)

    def remove(self, slot_id: str) -> ChainSlot:
        slot = self.get(slot_id)
        self._slots.remove(slot)
        return slot

    def move(self, slot_id: str, offset: int) -> bool:
        """Move by ``offset`` places; False (nothing moved) at either end."""
        slot = self.get(slot_id)
        index = self._slots.index(slot)
        target = index + offset
        if not 0 <= target < len(self._slots) or offset == 0:
            return False
        self._slots.insert(target, self._slots.pop(index))
        return True

    def order(self, slot_ids: list[str]) -> None:
        """Put the named slots first, in that order; others keep their order after them."""
        first = [self.get(i) for i in slot_ids if i in self.ids]
        self._slots = first + [s for s in self._slots if s not in first]

    def replace_all(self, slots: list[ChainSlot]) -> None:
        """A whole new chain (a scene): checked first, so a refused one changes nothing."""
        fresh = Chain()
        for slot in slots:
            fresh.insert(slot)
        self._slots = fresh._slots
