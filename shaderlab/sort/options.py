"""Pixel sort settings, checked once, shared by the GPU effect and the numpy sorter (no GL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from shaderlab.errors import EffectError
from shaderlab.sort.keys import KEYS

INTERVALS = ("threshold", "none", "edges", "random", "waves", "mask", "depth")
DIRECTIONS = ("right", "left", "up", "down")
MODES = ("settled", "auto")


def line_geometry(size: tuple[int, int], direction: str) -> tuple[int, int]:
    """(line length, line count) for sorting an image of ``size`` toward ``direction``."""
    width, height = size
    return (width, height) if direction in ("right", "left") else (height, width)


@dataclass(frozen=True)
class SortOptions:
    key: str = "lightness"
    interval: str = "threshold"
    lower: float = 0.25
    upper: float = 0.8
    direction: str = "right"
    reverse: bool = False
    randomness: float = 0.0
    char_length: float = 50.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, value, choices in (
            ("key", self.key, KEYS),
            ("interval", self.interval, INTERVALS),
            ("direction", self.direction, DIRECTIONS),
        ):
            if value not in choices:
                raise EffectError(f"pixelsort.{name}: {value!r} is not one of {', '.join(choices)}")
        if not (0.0 <= self.lower <= 1.0 and 0.0 <= self.upper <= 1.0):
            raise EffectError("pixelsort: lower and upper must be within 0..1")
        if self.lower > self.upper:
            raise EffectError(
                f"pixelsort: lower ({self.lower:g}) is above upper ({self.upper:g}); "
                "nothing would be sorted — swap them"
            )
        if not 0.0 <= self.randomness <= 100.0:
            raise EffectError("pixelsort.randomness: must be a percentage, 0..100")
        if self.char_length < 1.0:
            raise EffectError("pixelsort.char_length: must be at least 1 pixel")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "SortOptions":
        """From the effect's checked parameter values (menus arrive as their index)."""
        def label(name: str, choices: tuple[str, ...]) -> str:
            value = params[name]
            return choices[value] if isinstance(value, int) else str(value)

        return cls(
            key=label("key", KEYS),
            interval=label("interval", INTERVALS),
            lower=float(params["lower"]),
            upper=float(params["upper"]),
            direction=label("direction", DIRECTIONS),
            reverse=bool(params["reverse"]),
            randomness=float(params["randomness"]),
            char_length=float(params["char_length"]),
            seed=int(params["seed"]),
        )
