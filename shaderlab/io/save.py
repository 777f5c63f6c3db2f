"""Write files without ever replacing one that exists (through io/atomic.py, like every output)."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from shaderlab.errors import ShaderlabError
from shaderlab.io.atomic import OutputExists, write_new

__all__ = ["OutputExists", "png_bytes", "save_snapshot", "timestamp_stem", "write_new"]


def png_bytes(pixels: np.ndarray, compress_level: int = 6) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def timestamp_stem() -> str:
    """The default name of anything the window writes: shaderlab-YYYYmmdd-HHMMSS."""
    return time.strftime("shaderlab-%Y%m%d-%H%M%S")


def save_snapshot(
    folder: Path,
    pixels: np.ndarray,
    scene_toml: str | Callable[[Path | None], str],
    stem: str | None = None,
    source: np.ndarray | None = None,
) -> tuple[Path, ...]:
    """Write ``stem.png`` and ``stem.toml`` (the scene) into ``folder``, all new files.

    The stem defaults to the time of day; when a name is taken the next free number is used for
    all, so a picture and its scene always share a name. ``source``: a source picture that is
    not a file (generated, enhanced by a model, baked), written as ``stem-source.png`` so that
    the scene can open it again; ``scene_toml`` may then be a function of that file's path.
    """
    if not folder.is_dir():
        raise ShaderlabError(f"{folder}: save folder does not exist")
    stem = stem or timestamp_stem()
    data = png_bytes(pixels)
    source_data = png_bytes(source) if source is not None else None
    for number in range(1, 10_000):
        name = stem if number == 1 else f"{stem}-{number}"
        image, scene = folder / f"{name}.png", folder / f"{name}.toml"
        source_path = folder / f"{name}-source.png" if source_data is not None else None
        if any(p is not None and p.exists() for p in (image, scene, source_path)):
            continue
        text = scene_toml(source_path) if callable(scene_toml) else scene_toml
        written: list[Path] = []
        try:
            for path, content in ((image, data), (source_path, source_data), (scene, text.encode("utf-8"))):
                if path is not None:
                    write_new(path, content)
                    written.append(path)
        except BaseException as exc:
            for path in written:  # a picture without its scene (or the other way) is no save
                path.unlink(missing_ok=True)
            if isinstance(exc, FileExistsError):
                continue  # taken between the check and the write
            raise
        return (image, scene) if source_path is None else (image, scene, source_path)
    raise ShaderlabError(f"{folder}: no free file name for {stem}")
