"""Enhance: a bounded feedback loop. It changes the picture frame after frame, keeps its
average, never saturates to black or white, and is the identity when switched off."""

from __future__ import annotations

import numpy as np
import pytest

import shaderlab
from conftest import photo


@pytest.fixture(scope="module")
def coffee():
    return photo("coffee.png")[::2, ::2].copy()  # 300×200: enough for patterns, quick


def run(image: np.ndarray, params: dict, frames: int) -> list[np.ndarray]:
    with shaderlab.Renderer() as r:  # a fresh renderer: the feedback starts from the input
        return [r.render(image, [("enhance", params)], time=i / 60)[..., :3] for i in range(frames)]


def test_enhance_grows_patterns_and_stays_in_range(coffee):
    frames = run(coffee, {"strength": 0.4, "speed": 1.0}, 240)
    start = coffee.astype(float)
    for index, frame in enumerate(frames):
        # Bounded: the average holds and the picture never blows out to black or white.
        assert abs(frame.mean() - start.mean()) < 6, f"frame {index} drifted to {frame.mean():.1f}"
        assert (frame == 0).all(axis=2).mean() < 0.05 and (frame == 255).all(axis=2).mean() < 0.05
    # It keeps changing: new detail grows far from the input, and still moves late on.
    diff = lambda a, b: np.abs(a.astype(int) - b.astype(int)).mean()  # noqa: E731
    assert diff(frames[1], coffee) < diff(frames[60], coffee) < diff(frames[239], coffee) + 1
    assert diff(frames[239], coffee) > 12
    assert diff(frames[200], frames[239]) > 3
    # What grows is structure at the pattern size: far more detail between a 3-pixel and a
    # 9-pixel average than the input had.
    def band(f: np.ndarray) -> float:
        f = f.astype(float)
        box = lambda n: sum(np.roll(np.roll(f, dy, 0), dx, 1) for dy in range(-n, n + 1) for dx in range(-n, n + 1)) / (2 * n + 1) ** 2  # noqa: E731
        return float(np.abs(box(1) - box(4))[8:-8, 8:-8].mean())

    assert band(frames[239]) > 2 * band(coffee)


def test_enhance_switched_off_is_the_input(coffee):
    mixed_out = run(coffee, {"amount": 0.0, "strength": 1.0, "speed": 4.0}, 30)
    assert all(np.array_equal(frame, coffee) for frame in mixed_out)
    still = run(coffee, {"strength": 0.0, "speed": 0.0}, 30)
    # Only the local averaging remains, pulled back by the anchor: close to the input.
    assert np.abs(still[-1].astype(int) - coffee).mean() < 4


def test_enhance_is_deterministic(coffee):
    a = run(coffee, {}, 40)[-1]
    b = run(coffee, {}, 40)[-1]
    assert np.array_equal(a, b)
