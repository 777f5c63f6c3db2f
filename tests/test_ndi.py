"""NDI for real (issue 15): the window sends its output as an NDI source, and another process
receives it — both inside a private network namespace the test makes (loopback only, NDI told to
look at 127.0.0.1) — and the frame received is the show's, within NDI's lossy codec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from netns import namespace_command

pytest.importorskip("cyndilib", reason="NDI tests need the ndi extra (cyndilib)")

TESTS = Path(__file__).parent
MULTICAST = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo"


def test_the_output_sent_over_ndi_is_received_by_another_process(display, tmp_path, renderer):
    config = tmp_path / "ndi"
    config.mkdir()
    (config / "ndi-config.v1.json").write_text('{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}}}')
    image = ROOT / "assets" / "coffee.png"
    script = (f'timeout 80 "{sys.executable}" -m shaderlab play "{image}" -e "saturate amount=2.5" --size 320x240 --hide-panel '
              f'--ndi shaderlab-test --frames 100000 & app=$!; '
              f'"{sys.executable}" "{TESTS / "ndi_receive.py"}" shaderlab-test "{tmp_path / "got.npy"}"; status=$?; '
              'kill $app; wait $app; exit $status')
    env = {**os.environ, "DISPLAY": display, "NDI_CONFIG_DIR": str(config)}
    run = subprocess.run([*namespace_command(MULTICAST), "sh", "-c", script], capture_output=True, text=True,
                         timeout=90, env=env)
    assert run.returncode == 0, (run.stdout[-1500:], run.stderr[-1500:])
    got = np.load(tmp_path / "got.npy").astype(int)
    from shaderlab.io.images import load_image

    expected = renderer.render(load_image(image).pixels, [("saturate", {"amount": 2.5})])[..., :3].astype(int)
    assert got.shape == expected.shape
    difference = np.abs(got - expected)
    print(f"NDI frame vs the headless render: mean {difference.mean():.2f}, p99 {np.percentile(difference, 99):.0f} levels")
    assert difference.mean() <= 4.0 and np.percentile(difference, 99) <= 40, (difference.mean(), np.percentile(difference, 99))
