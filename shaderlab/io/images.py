"""Load any image file as uint8 RGB(A) pixels, safely.

Every Pillow mode is accepted (grey, palette, 16-bit, float, CMYK), EXIF orientation is applied,
images beyond the GL texture limit are scaled down with a warning, and decompression bombs are
refused before a single pixel is decoded.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from shaderlab.errors import ImageError

log = logging.getLogger(__name__)

#: Images with more pixels than this are refused: 100 megapixels is 400 MB of RGBA.
MAX_PIXELS = 100_000_000
#: Used when no GL context has said what it can hold.
DEFAULT_MAX_SIDE = 16384


@dataclass
class LoadedImage:
    """Decoded pixels (H×W×3 or H×W×4 uint8, row 0 = top) and what happened on the way."""

    pixels: np.ndarray
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return (self.pixels.shape[1], self.pixels.shape[0])


def load_image(path: str | Path, max_side: int = DEFAULT_MAX_SIDE) -> LoadedImage:
    """Decode ``path``; raises :class:`ImageError` with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such image file")
    pixels = _decode_checked(path, path, "an image file", "; is the file complete?")
    return fit_to_side(LoadedImage(pixels, path), max_side)


def load_image_bytes(data: bytes, name: str, max_side: int = DEFAULT_MAX_SIDE) -> LoadedImage:
    """Decode an image held in memory (a model's answer), with the same checks as files."""
    import io

    pixels = _decode_checked(io.BytesIO(data), name, "an image", "")
    return fit_to_side(LoadedImage(pixels, None), max_side)


def _decode_checked(source, name: str | Path, what: str, hint: str) -> np.ndarray:
    """_decode with every way Pillow can fail turned into a one-line ImageError about ``name``."""
    try:
        with warnings.catch_warnings():
            # Our own limit decides; Pillow's warning about large images is noise here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _decode(source, name)
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError(f"{name}: refused as a possible decompression bomb") from None
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not {what} Pillow can read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"{name}: cannot decode image ({exc}){hint}") from None


def _decode(source, name: str | Path) -> np.ndarray:
    with Image.open(source) as im:
        width, height = im.size  # read from the header: nothing decoded yet
        if width * height > MAX_PIXELS:
            raise ImageError(
                f"{name}: {width}×{height} is over the {MAX_PIXELS // 1_000_000} megapixel "
                "limit (a possible decompression bomb); scale it down first"
            )
        im.load()
        return _to_uint8(ImageOps.exif_transpose(im))


def fit_to_side(loaded: LoadedImage, max_side: int) -> LoadedImage:
    """Scale down (keeping the aspect ratio) so neither side exceeds ``max_side``."""
    width, height = loaded.size
    if max(width, height) <= max_side:
        return loaded
    scale = max_side / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(loaded.pixels).resize(new_size, Image.Resampling.LANCZOS)
    message = (
        f"{loaded.path or 'image'}: {width}×{height} is larger than the GPU's "
        f"{max_side}-pixel texture limit; scaled down to {new_size[0]}×{new_size[1]}"
    )
    log.warning(message)
    return LoadedImage(np.asarray(resized), loaded.path, [*loaded.warnings, message])


def _to_uint8(im: Image.Image) -> np.ndarray:
    """Pixels of any mode as uint8 RGB, or RGBA where the image has transparency."""
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        values = np.asarray(im, dtype=np.float64)
        peak = 65535.0 if mode != "I" or values.max(initial=0) > 255 else 255.0
        grey = np.clip(np.rint(values * (255.0 / peak)), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if mode == "F":
        # NaN (no data, in scientific TIFFs) is black and infinities clip, without a numpy
        # warning about casting them.
        values = np.nan_to_num(np.asarray(im, np.float64), nan=0.0, posinf=1.0, neginf=0.0)
        grey = np.clip(np.rint(values * 255.0), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    return np.asarray(im.convert("RGBA" if has_alpha else "RGB"))
