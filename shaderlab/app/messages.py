"""What worker threads tell the GL thread, through one queue drained at the start of a frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from shaderlab.isf.header import EffectSpec


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
    """An effect appeared or one of its files changed: its new spec, or why it could not be read."""

    path: Path
    spec: "EffectSpec | None"
    error: str | None = None


@dataclass(frozen=True)
class ShaderTried:
    """A version of an effect was tried off the show at ``size`` (app/trials.py): ``error`` if
    it must not run there."""

    spec: "EffectSpec"
    size: tuple[int, int]
    error: str | None
    #: No trial could be run (the helper did not start): no verdict on the code.
    unavailable: bool = False


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


Message = ImageReady | DepthReady | ShaderChanged | ShaderTried | ShaderRemoved | Saved | JobFailed
