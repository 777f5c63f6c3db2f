"""Monocular depth from a local ONNX model (MiDaS or Depth Anything), no network.

The model file is the user's (`--depth-model model.onnx`); onnxruntime is the optional extra
`onnx`. Pre- and post-processing follow the models' reference code: RGB scaled to the model's
input size, normalised per channel, NCHW float32 in; relative inverse depth out (bigger =
nearer), resized back to the picture and stretched to 0..1 so near = 1 like every depth map here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from shaderlab.errors import ShaderlabError


@dataclass(frozen=True)
class Preset:
    size: int  # the side used when the model's input size is not fixed
    multiple: int  # input sides are rounded to a multiple of this
    mean: tuple[float, float, float]
    std: tuple[float, float, float]


IMAGENET = ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
PRESETS = {
    # Depth Anything (v1/v2): 518 px, multiples of 14 (ViT patches), ImageNet statistics.
    "depth-anything": Preset(518, 14, *IMAGENET),
    # MiDaS v3 DPT models: 384 px, multiples of 32, mean = std = 0.5.
    "midas": Preset(384, 32, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    # MiDaS v2.1 small: 256 px, ImageNet statistics.
    "midas-small": Preset(256, 32, *IMAGENET),
}


class OnnxDepth:
    """A depth estimator around one ONNX model file; ``estimate`` is safe on a worker thread."""

    def __init__(self, path: str | Path, preset: str = "depth-anything"):
        self.path = Path(path)
        if preset not in PRESETS:
            raise ShaderlabError(f"unknown depth preset {preset!r}; choose one of {', '.join(PRESETS)}")
        self.preset = PRESETS[preset]
        try:
            import onnxruntime
        except ImportError:
            raise ShaderlabError("ONNX depth models need onnxruntime: pip install 'shaderlab[onnx]'") from None
        if not self.path.is_file():
            raise ShaderlabError(f"{self.path}: no such model file")
        try:
            self.session = onnxruntime.InferenceSession(str(self.path), providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own types for broken files
            raise ShaderlabError(f"{self.path}: not a usable ONNX model ({str(exc).splitlines()[0]})") from None
        inputs = self.session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 4:
            raise ShaderlabError(f"{self.path}: expected one NCHW image input, found {[i.shape for i in inputs]}")
        self.input_name = inputs[0].name
        height, width = inputs[0].shape[2:]
        self.fixed = (width, height) if isinstance(width, int) and isinstance(height, int) else None

    def input_size(self, image_size: tuple[int, int]) -> tuple[int, int]:
        """The model's fixed size, or the preset's side for the longer edge, aspect kept."""
        if self.fixed:
            return self.fixed
        width, height = image_size
        scale = self.preset.size / max(width, height)
        m = self.preset.multiple
        return (max(m, round(width * scale / m) * m), max(m, round(height * scale / m) * m))

    def estimate(self, pixels: np.ndarray) -> np.ndarray:
        """float32 H×W depth in 0..1, near = 1, for uint8 H×W×3(4) ``pixels``."""
        height, width = pixels.shape[:2]
        size = self.input_size((width, height))
        rgb = Image.fromarray(np.ascontiguousarray(pixels[..., :3])).resize(size, Image.Resampling.BICUBIC)
        x = (np.asarray(rgb, np.float32) / 255.0 - np.float32(self.preset.mean)) / np.float32(self.preset.std)
        batch = np.ascontiguousarray(x.transpose(2, 0, 1)[None])
        try:
            output = self.session.run(None, {self.input_name: batch})[0]
        except Exception as exc:
            raise ShaderlabError(f"{self.path}: the model failed on this image ({str(exc).splitlines()[0]})") from None
        inverse = np.squeeze(np.asarray(output, np.float32))
        if inverse.ndim != 2:
            raise ShaderlabError(f"{self.path}: expected a single-channel depth output, got {output.shape}")
        resized = np.asarray(Image.fromarray(inverse).resize((width, height), Image.Resampling.BILINEAR), np.float32)
        low, high = float(resized.min()), float(resized.max())
        return (resized - low) / (high - low) if high > low else np.zeros_like(resized)
