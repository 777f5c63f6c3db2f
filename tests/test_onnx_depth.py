"""The ONNX depth path end to end on tiny models the test builds itself (no weights downloaded)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, photo, run_cli
from shaderlab.errors import ShaderlabError

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper  # noqa: E402

from shaderlab.models.onnx_depth import PRESETS, OnnxDepth  # noqa: E402


def brightness_model(path, height="H", width="W", output_rank=3) -> None:
    """A 'depth model' whose inverse depth is the mean of the normalised channels."""
    image = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, [1, 3, height, width])
    dims = [1, height, width] if output_rank == 3 else [1, 1, height, width]
    depth = helper.make_tensor_value_info("predicted_depth", TensorProto.FLOAT, dims)
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [1])
    mean = helper.make_node("ReduceMean", ["pixel_values", "axes"], ["predicted_depth"], keepdims=0 if output_rank == 3 else 1)
    graph = helper.make_graph([mean], "brightness", [image], [depth], initializer=[axes])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    onnx.save(model, str(path))


def expected(pixels: np.ndarray, size: tuple[int, int], preset: str) -> np.ndarray:
    p = PRESETS[preset]
    rgb = Image.fromarray(pixels[..., :3]).resize(size, Image.Resampling.BICUBIC)
    x = (np.asarray(rgb, np.float32) / 255.0 - np.float32(p.mean)) / np.float32(p.std)
    inverse = x.mean(axis=-1)
    back = np.asarray(Image.fromarray(inverse).resize(pixels.shape[1::-1], Image.Resampling.BILINEAR), np.float32)
    return (back - back.min()) / (back.max() - back.min())


@pytest.mark.parametrize("preset", ["depth-anything", "midas"])
def test_dynamic_size_model_runs_with_the_presets_processing(tmp_path, preset):
    path = tmp_path / "tiny.onnx"
    brightness_model(path)
    estimator = OnnxDepth(path, preset)
    pixels = photo("motorcycle.png")
    size = estimator.input_size((741, 500))
    assert size[0] % PRESETS[preset].multiple == 0 and max(size) == PRESETS[preset].size
    depth = estimator.estimate(pixels)
    assert depth.shape == (500, 741) and depth.min() == 0.0 and depth.max() == 1.0
    assert np.abs(depth - expected(pixels, size, preset)).max() < 1e-4


def test_fixed_size_model_with_nchw_output(tmp_path):
    path = tmp_path / "fixed.onnx"
    brightness_model(path, 64, 96, output_rank=4)
    estimator = OnnxDepth(path)
    assert estimator.input_size((741, 500)) == (96, 64)
    depth = estimator.estimate(photo("chelsea.png"))
    assert depth.shape == (300, 451)
    assert np.abs(depth - expected(photo("chelsea.png"), (96, 64), "depth-anything")).max() < 1e-4


def test_render_with_a_depth_model(tmp_path):
    model = tmp_path / "tiny.onnx"
    brightness_model(model)
    out = tmp_path / "depth.png"
    result = run_cli("render", str(IMAGES / "chelsea.png"), "--depth-model", str(model), "-e", "depthmap", "-o", str(out))
    assert result.returncode == 0, result.stderr
    shown = np.asarray(Image.open(out))[..., 0] / 255.0
    want = OnnxDepth(model).estimate(photo("chelsea.png"))
    assert np.abs(shown - want).max() <= 1 / 255 + 1e-6


def test_broken_model_files_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(ShaderlabError, match="not a usable ONNX model"):
        OnnxDepth(bad)
    with pytest.raises(ShaderlabError, match="no such model file"):
        OnnxDepth(tmp_path / "missing.onnx")
    with pytest.raises(ShaderlabError, match="unknown depth preset"):
        OnnxDepth(bad, "zoedepth")
    result = run_cli("render", str(IMAGES / "chelsea.png"), "--depth-model", str(bad), "-e", "depthmap", "-o", str(tmp_path / "o.png"))
    assert result.returncode == 2 and "not a usable ONNX model" in result.stderr and not (tmp_path / "o.png").exists()
