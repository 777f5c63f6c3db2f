"""Images on the wire: PNG bytes, data URIs and base64, decoded with the same caps as files."""

from __future__ import annotations

import base64
import binascii
import re

import numpy as np

from shaderlab.errors import ImageError
from shaderlab.io.images import load_image_bytes
from shaderlab.io.save import png_bytes
from shaderlab.models.http import ModelError

_DATA_URI = re.compile(r"^data:(?P<type>[\w/+.-]+)?(?:;[\w=.-]+)*;base64,(?P<data>.*)$", re.DOTALL)


def to_data_uri(pixels: np.ndarray) -> str:
    # Fast PNG compression: the encoding runs beside the show on a 2-core laptop too.
    return "data:image/png;base64," + base64.b64encode(png_bytes(pixels, compress_level=1)).decode("ascii")


def from_base64(text: str, where: str) -> bytes:
    """The bytes of a data URI or a bare base64 string."""
    if not isinstance(text, str):
        raise ModelError(f"{where}: expected an image as a data URI or base64 text, got {type(text).__name__}")
    match = _DATA_URI.match(text.strip())
    payload = match.group("data") if match else text.strip()
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ModelError(f"{where}: the image is not valid base64") from None


def decode_image(data: bytes, where: str) -> np.ndarray:
    """uint8 pixels from image bytes; a model sending a non-image or a bomb is a ModelError."""
    try:
        return load_image_bytes(data, where).pixels
    except ImageError as exc:
        raise ModelError(str(exc)) from None


def to_depth(pixels: np.ndarray) -> np.ndarray:
    """A depth image from a model (grey or RGB) as float32 0..1, near = 1."""
    grey = pixels[..., :3].astype(np.float32).mean(axis=-1) if pixels.ndim == 3 else pixels.astype(np.float32)
    low, high = float(grey.min()), float(grey.max())
    return ((grey - low) / (high - low) if high > low else np.zeros_like(grey)).astype(np.float32)
