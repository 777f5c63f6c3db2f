"""What the performer is working with, free of GL: the source, the chain, the messages.

The panel, the keys and scene loading change a Session; the window renders whatever it holds.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from shaderlab.isf.header import EffectSpec
from shaderlab.params import check_params
from shaderlab.scene import EffectEntry, Scene

_ids = itertools.count(1)


@dataclass
class ChainEntry:
    """One effect in the window's chain; ``uid`` keeps its buffers while it moves."""

    name: str
    params: dict[str, Any]
    enabled: bool = True
    uid: int = field(default_factory=lambda: next(_ids))


@dataclass
class Note:
    text: str
    error: bool
    warning: bool = False
    when: float = field(default_factory=time.monotonic)


class Session:
    def __init__(self, source: Path | None = None):
        self.source = source
        self.depth: Path | None = None  # None: the built-in estimate
        self.depth_invert = False
        self.entries: list[ChainEntry] = []
        self.notes: deque[Note] = deque(maxlen=8)

    def say(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.notes.append(Note(text, error, warning))

    def add(self, spec: EffectSpec) -> ChainEntry:
        entry = ChainEntry(spec.name, spec.defaults())
        self.entries.append(entry)
        return entry

    def remove(self, uid: int) -> None:
        self.entries = [e for e in self.entries if e.uid != uid]

    def move(self, uid: int, offset: int) -> None:
        index = next(i for i, e in enumerate(self.entries) if e.uid == uid)
        target = index + offset
        if 0 <= target < len(self.entries):
            self.entries.insert(target, self.entries.pop(index))

    def apply_scene(self, scene: Scene, spec_of: Callable[[str], EffectSpec]) -> None:
        """Replace the chain with the scene's (the window loads its image); checks values first."""
        entries = [
            ChainEntry(e.name, check_params(spec_of(e.name), e.params, load_images=False), e.enabled)
            for e in scene.effects
        ]
        self.entries = entries

    def to_scene(self) -> Scene:
        return Scene(
            image=self.source,
            effects=[EffectEntry(e.name, dict(e.params), e.enabled) for e in self.entries],
            depth=self.depth,
            depth_invert=self.depth_invert,
        )
