"""Write files without ever replacing one that exists."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab.errors import ShaderlabError


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; raises FileExistsError rather than overwrite."""
    with open(path, "xb") as handle:
        handle.write(data)


def png_bytes(pixels: np.ndarray, compress_level: int = 6) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def timestamp_stem() -> str:
    """The default name of anything the window writes: shaderlab-YYYYmmdd-HHMMSS."""
    return time.strftime("shaderlab-%Y%m%d-%H%M%S")


def save_snapshot(folder: Path, pixels: np.ndarray, scene_toml: str, stem: str | None = None) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.toml`` (the scene) into ``folder``, both new files.

    The stem defaults to the time of day; when either name is taken the next free number is
    used for both, so a picture and its scene always share a name.
    """
    if not folder.is_dir():
        raise ShaderlabError(f"{folder}: save folder does not exist")
    stem = stem or timestamp_stem()
    data = png_bytes(pixels)
    for number in range(1, 10_000):
        name = stem if number == 1 else f"{stem}-{number}"
        image, scene = folder / f"{name}.png", folder / f"{name}.toml"
        if image.exists() or scene.exists():
            continue
        try:
            write_new(image, data)
            write_new(scene, scene_toml.encode("utf-8"))
        except FileExistsError:
            continue  # taken between the check and the write
        except OSError as exc:
            raise ShaderlabError(f"{folder}: cannot save there ({exc.strerror}); choose another folder") from None
        return image, scene
    raise ShaderlabError(f"{folder}: no free file name for {stem}")
