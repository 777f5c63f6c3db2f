"""Write files without ever replacing one that exists."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix``, ``stem-3``… the first name not taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; raises FileExistsError rather than overwrite."""
    with open(path, "xb") as handle:
        handle.write(data)


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()
