"""The README's promises: its test command is what CI runs, its example effect and API work."""

from __future__ import annotations

import re

import numpy as np

from conftest import ROOT, photo
from shaderlab import Renderer

README = (ROOT / "README.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_ci_runs_exactly_the_readme_test_command():
    command = next(line for block in _blocks("sh") for line in block.splitlines() if "pytest" in line)
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command in ci_lines


def test_the_readme_example_effect_renders(tmp_path):
    (tmp_path / "posterize.fs").write_text(_blocks("glsl")[0])
    image = photo("coffee.png")
    with Renderer([tmp_path]) as r:
        out = r.render(image, [("posterize", {"levels": 2})])
    # Two levels: every channel is 0 or 255.
    assert set(np.unique(out[..., :3])) <= {0, 255}
    assert np.array_equal(out[..., :3], np.where(image >= 128, 255, 0).astype(np.uint8))
