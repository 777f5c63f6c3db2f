"""Key S: what the saving worker does with a frame read back on the GL thread."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shaderlab.show.messages import Saved
from shaderlab.io.save import png_bytes, save_snapshot, write_new
from shaderlab.scene import Scene, scene_text


def save_frame(folder: Path, pixels: np.ndarray, scene: Scene, source: np.ndarray | None) -> Saved:
    """Write the picture and its scene (runs on a worker). A source that is not a file — a
    generated, enhanced or baked picture — is written beside them so the scene opens again."""
    unsaved = source if scene.image is None or not Path(scene.image).is_file() else None

    def text(source_path: Path | None) -> str:
        if source_path is not None:
            scene.image = source_path
        return scene_text(scene, folder)

    return Saved(save_snapshot(folder, pixels, text, source=unsaved))


def write_screenshot(path: Path, shot: np.ndarray) -> None:
    """``--screenshot``: the whole window, panel included, as a new PNG."""
    write_new(path, png_bytes(np.ascontiguousarray(shot)))
