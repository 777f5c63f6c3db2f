"""Build assets/palettes.png: one 256-entry gradient per row, from the colour stops below.

Run `python tools/make_palettes.py` after editing PALETTES; the row order is the order of the
LABELS of shaders/colorize.fs, so add new palettes at the end and list them there too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

PALETTES: dict[str, list[str]] = {
    "fire": ["#000000", "#5c0a00", "#c42a00", "#ff8a00", "#ffe14d", "#ffffff"],
    "ocean": ["#020b1a", "#06305c", "#0a6b8f", "#2bb3b1", "#a6f0d5", "#f2fffb"],
    "viridis": ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"],
    "neon": ["#0d0221", "#5b0e91", "#ff2a6d", "#05d9e8", "#d1f7ff"],
    "sunset": ["#1a0533", "#6b0f4f", "#c4304d", "#f5793a", "#ffd166"],
    "thermal": ["#000000", "#1f0a8c", "#a4009c", "#ff3d00", "#ffd000", "#ffffff"],
    "acid": ["#000000", "#00ff41", "#faff00", "#ff00c8", "#ffffff"],
    "grey": ["#000000", "#ffffff"],
}


def gradient(stops: list[str], entries: int = 256) -> np.ndarray:
    colours = np.array([[int(s[i : i + 2], 16) for i in (1, 3, 5)] for s in stops], float)
    positions = np.linspace(0.0, 1.0, len(stops))
    t = np.linspace(0.0, 1.0, entries)
    return np.stack([np.interp(t, positions, colours[:, c]) for c in range(3)], axis=1)


def main() -> None:
    rows = [gradient(stops) for stops in PALETTES.values()]
    image = np.rint(np.stack(rows)).astype(np.uint8)
    out = Path(__file__).resolve().parent.parent / "assets" / "palettes.png"
    Image.fromarray(image, "RGB").save(out)
    print(f"wrote {out}: {', '.join(PALETTES)}")


if __name__ == "__main__":
    main()
