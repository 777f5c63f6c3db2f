"""What worker threads tell the GL thread, through one queue drained at the start of a frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ImageReady:
    job: int
    pixels: np.ndarray
    path: Path
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DepthReady:
    """A depth map for the current picture (float32 H×W, near = 1), from a file or estimated."""

    job: int
    depth: np.ndarray
    origin: str


@dataclass(frozen=True)
class ShaderChanged:
    """An effect file appeared or its text changed; ``source`` is its new text."""

    path: Path
    source: str


@dataclass(frozen=True)
class ShaderRemoved:
    path: Path


@dataclass(frozen=True)
class Saved:
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class JobFailed:
    job: int
    message: str


Message = ImageReady | DepthReady | ShaderChanged | ShaderRemoved | Saved | JobFailed
