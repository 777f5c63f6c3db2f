"""NDI for real (issue 15): the window sends its output as an NDI source, and another process
receives it — both inside a private network namespace the test makes (loopback only, NDI told to
look at 127.0.0.1) — and the frame received is the show's, within NDI's lossy codec."""

from __future__ import annotations

import json
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


def test_an_ndi_source_on_the_network_is_a_source(tmp_path):
    """NDI in: one process sends a photo, another opens it as shaderlab opens a source (ndi:NAME),
    both inside the private namespace; the frames taken are the photo within NDI's codec."""
    config = tmp_path / "ndi"
    config.mkdir()
    (config / "ndi-config.v1.json").write_text('{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}}}')
    image = ROOT / "assets" / "coffee.png"
    script = (f'"{sys.executable}" "{TESTS / "ndi_send.py"}" shaderlab-in "{image}" & sender=$!; '
              f'timeout 60 "{sys.executable}" "{TESTS / "ndi_feed.py"}" shaderlab-in "{tmp_path / "got.npy"}"; status=$?; '
              'kill $sender; wait $sender; exit $status')
    env = {**os.environ, "NDI_CONFIG_DIR": str(config), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([*namespace_command(MULTICAST), "sh", "-c", script], capture_output=True, text=True,
                         timeout=90, env=env)
    assert run.returncode == 0, (run.stdout[-1500:], run.stderr[-1500:])
    said = json.loads(run.stdout.strip().splitlines()[-1])
    assert said["label"].startswith("NDI ") and said["label"].endswith("(shaderlab-in)")
    from shaderlab.io.images import load_image

    expected = load_image(image).pixels[..., :3].astype(int)
    got = np.load(tmp_path / "got.npy").astype(int)
    assert got.shape == expected.shape and tuple(said["size"]) == (expected.shape[1], expected.shape[0])
    difference = np.abs(got - expected)
    print(f"NDI in vs the photo: mean {difference.mean():.2f}, p99 {np.percentile(difference, 99):.0f} levels")
    assert difference.mean() <= 4.0 and np.percentile(difference, 99) <= 40


def test_an_ndi_source_that_is_not_there_is_one_line(tmp_path):
    config = tmp_path / "ndi"
    config.mkdir()
    (config / "ndi-config.v1.json").write_text('{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}}}')
    code = ("from shaderlab.media.ndi_in import NdiDevice\n"
            "try:\n    NdiDevice('nobody-sends-this', find_seconds=1.5)\n"
            "except Exception as exc:\n    print(type(exc).__name__, exc)\n")
    env = {**os.environ, "NDI_CONFIG_DIR": str(config), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([*namespace_command(MULTICAST), sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=env)
    assert run.stdout.strip() == "MediaError no NDI source named 'nobody-sends-this' on the network (seen: none)", run
