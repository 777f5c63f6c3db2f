"""Ableton Link for real (issue 14): two peers — another process, as Live or a phone app would
be, and the show's Link surface — in a private network namespace the test makes (loopback
only, never the machine's real interfaces) agree on tempo and phase, and a tempo set in the
show reaches the session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netns import namespace_command

pytest.importorskip("aalink", reason="Ableton Link tests need the link extra (aalink)")

TESTS = Path(__file__).parent


def test_two_link_peers_agree_on_tempo_and_phase():
    run = subprocess.run([*namespace_command(), sys.executable, str(TESTS / "link_session.py"), str(TESTS)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    peer, ours = result["peer"], np.array(result["ours"])
    assert max(p["peers"] for p in peer) == 1, "the two peers never found each other"
    # Tempo: the other peer's change (133 → 140 at 3 s) is the show's; the show's 100 at 6 s is
    # the session's.
    during = [p for p in peer if 4.5 < p["t"] - peer[0]["t"] < 5.5]
    assert all(p["tempo"] == pytest.approx(140.0) for p in during)
    assert peer[-1]["tempo"] == pytest.approx(100.0), peer[-1]
    assert result["bpm_here"] == pytest.approx(100.0)
    # Phase: the show's beat at the peer's moments, between 4 and 6 s (after the change settled).
    errors = []
    for p in during:
        ours_then = np.interp(p["t"], ours[:, 0], ours[:, 1])
        errors.append(ours_then - p["beat"])
    print(f"phase error vs the other peer: max {max(abs(e) for e in errors) * 60000 / 140:.1f} ms")
    assert max(abs(e) for e in errors) < 0.05, errors  # a twentieth of a beat: 21 ms at 140 BPM
    assert "1 peer" in result["describe"]
