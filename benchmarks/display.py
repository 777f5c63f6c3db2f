"""What the window benchmarks share: a screen (the DISPLAY set, or an Xvfb of their own) and
the percentile their tables print."""

from __future__ import annotations

import os
import subprocess
import time


def start_display(number: int) -> subprocess.Popen | None:
    """Start Xvfb on ``:number`` when no DISPLAY is set (the caller terminates what is returned)."""
    if os.environ.get("DISPLAY"):
        return None
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24"], stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    os.environ["DISPLAY"] = f":{number}"
    return server


def percentile(values: list[float], q: float) -> float:
    """The value below which a share ``q`` of ``values`` lies (the nearest rank, no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
