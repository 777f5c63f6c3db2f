"""Show safety as data: the blackout's fade as a function of the show's time (the stage draws
it; a render of the show log would draw the same), and what a panic puts back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Fader:
    """A level (0: the show, 1: black) moving to its target over ``seconds`` from where it was."""

    target: float = 0.0
    start_level: float = 0.0
    start_time: float = 0.0
    seconds: float = 0.0

    def level(self, t: float) -> float:
        if self.seconds <= 0 or t >= self.start_time + self.seconds:
            return self.target
        progress = max(t - self.start_time, 0.0) / self.seconds
        return self.start_level + (self.target - self.start_level) * progress

    def aim(self, target: float, t: float, seconds: float) -> None:
        """Head for ``target`` from the level at ``t`` (a blackout cancelled half way fades back
        from half way)."""
        if target == self.target:
            return
        self.start_level, self.start_time = self.level(t), t
        self.target, self.seconds = float(target), max(float(seconds), 0.0)
