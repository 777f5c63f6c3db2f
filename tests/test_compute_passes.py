"""ISF passes as compute shaders (Renderer(compute=True), --compute): the same pixels as the
fragment shaders they come from, for every bundled effect and the ISF host's features; files
that need a fragment shader (derivatives, discard) stay one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, photo
from shaderlab import Renderer
from shaderlab.render.compiled import CompiledEffect

ISF = Path(__file__).parent / "isf"
BUNDLED = sorted(p.stem for p in (ROOT / "shaders").glob("*.fs"))
#: Values that take the effects down their other paths (the sampled blur, say).
OTHER_VALUES = {"blur": {"radius": 32.0}, "sharpen": {"amount": 2.0, "radius": 12.0}, "pixelate": {"size": 5}}


@pytest.fixture(scope="module")
def renderers():
    with Renderer(vet=False) as fragment, Renderer(vet=False, compute=True) as compute:
        yield fragment, compute


@pytest.fixture(scope="module")
def picture():
    image = photo("motorcycle.png")[:301, :457]  # odd sizes: a work group overhangs both edges
    depth = np.broadcast_to(np.linspace(0.0, 1.0, image.shape[0], dtype=np.float32)[:, None], image.shape[:2]).copy()
    return image, depth


def compiled(renderer: Renderer, name: str):
    with renderer.ctx:  # two contexts here: compile in the renderer's own
        return renderer.programs.get(name)


def same(a: np.ndarray, b: np.ndarray) -> None:
    diff = np.abs(a.astype(int) - b.astype(int))
    assert diff.max() <= 1 and diff.mean() < 0.01, f"max {diff.max()}, mean {diff.mean():.4f}"


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_effect_gives_the_same_pixels_as_a_compute_shader(renderers, picture, name):
    fragment, compute = renderers
    image, depth = picture
    effect = compiled(compute, name)
    assert isinstance(effect, CompiledEffect) and effect.compute, f"{name} did not compile as a compute shader"
    assert not compiled(fragment, name).compute
    for values in ({}, OTHER_VALUES.get(name)):
        if values is None:
            continue
        for frame in range(3):  # persistent buffers (enhance's dream) carry from frame to frame alike
            expected = fragment.render(image, [(name, values)], time=frame / 10, depth=depth)
            same(compute.render(image, [(name, values)], time=frame / 10, depth=depth), expected)


def test_a_chain_of_compute_passes_at_another_size_matches(renderers, picture):
    """Steps feeding each other, an input scaled to the render size first (INPUT_AT_RENDERSIZE),
    a size that is not a multiple of the work group."""
    fragment, compute = renderers
    image, depth = picture
    chain = [("rgb_split", {"amount": 6.0}), ("blur", {"radius": 20.0}), "sharpen", ("pixelate", {"size": 7}), "colorize"]
    same(compute.render(image, chain, size=(333, 207), depth=depth), fragment.render(image, chain, size=(333, 207), depth=depth))


@pytest.mark.parametrize("path, values, frames", [("sizes.fs", {"divide": 5.0}, 1), ("counter.fs", {}, 12),
                                                  ("when.fs", {"mode": 1}, 1), ("spellings.fs", {}, 1)])
def test_the_isf_hosts_features_work_in_compute_passes(renderers, path, values, frames):
    """Pass sizes from expressions, persistent float buffers, SHADERLAB_WHEN, every IMG_ spelling."""
    fragment, compute = renderers
    image = photo("chelsea.png")
    assert compiled(compute, str(ISF / path)).compute
    for index in range(frames):
        expected = fragment.render(image, [(str(ISF / path), values)], time=index / 10)
        out = compute.render(image, [(str(ISF / path), values)], time=index / 10)
    same(out, expected)


NEEDS_A_FRAGMENT_SHADER = {
    "derivatives": "gl_FragColor = vec4(vec3(fwidth(IMG_THIS_PIXEL(inputImage).r) * 4.0), 1.0);",
    "discard": "if (IMG_THIS_PIXEL(inputImage).r < 0.5) discard; gl_FragColor = vec4(1.0);",
}


@pytest.mark.parametrize("kind", sorted(NEEDS_A_FRAGMENT_SHADER))
def test_a_file_that_needs_a_fragment_shader_runs_as_one(renderers, tmp_path, kind):
    fragment, compute = renderers
    path = tmp_path / f"{kind}.fs"
    path.write_text('/*{"ISFVSN": "2", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                    f"void main() {{ {NEEDS_A_FRAGMENT_SHADER[kind]} }}\n")
    image = photo("chelsea.png")
    assert not compiled(compute, str(path)).compute
    assert np.array_equal(compute.render(image, [str(path)]), fragment.render(image, [str(path)]))


def test_bench_compute_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "shaderlab", "bench", "--compute", "--sizes", "160x90", "--effects",
                             "saturate", "--chains", "", "--runs", "1", "--frames", "1", "--json"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["renderer"].endswith("(effects as compute shaders where they compile)")
    assert report["effects"]["saturate"]["160×90"]["median"] > 0


def test_a_file_with_its_own_vertex_shader_runs_as_a_fragment_shader(renderers):
    fragment, compute = renderers
    image = photo("chelsea.png")
    path = str(ISF / "varyings.fs")
    assert not compiled(compute, path).compute
    assert np.array_equal(compute.render(image, [path]), fragment.render(image, [path]))
