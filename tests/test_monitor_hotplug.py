"""A projector unplugged and plugged in again mid-show (issue 15): an X server whose monitors
come and go (Xorg's dummy driver: its outputs switched on and off with xrandr, as a cable does),
the output fullscreen on the second monitor — it falls back to a window and says so, and goes
back fullscreen when the monitor returns."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from in_process import photo, run_app, wait_for

pytestmark = pytest.mark.timeout(120)

XORG_CONF = """
Section "Device"
    Identifier "dummy"
    Driver "dummy"
    VideoRam 64000
EndSection
Section "Monitor"
    Identifier "monitor"
    HorizSync 5.0 - 1000.0
    VertRefresh 5.0 - 200.0
EndSection
Section "Screen"
    Identifier "screen"
    Device "dummy"
    Monitor "monitor"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Virtual 2560 1024
    EndSubSection
EndSection
"""
MODE = ["1280x720_60", "74.25", "1280", "1390", "1430", "1650", "720", "725", "730", "750", "+hsync", "+vsync"]


@pytest.fixture
def two_monitors(tmp_path, monkeypatch):
    """An Xorg server with the dummy driver, its second output (DUMMY1) on at 1280×720."""
    driver = Path("/usr/lib/xorg/modules/drivers/dummy_drv.so")
    if shutil.which("Xorg") is None or shutil.which("xrandr") is None or not driver.exists():
        pytest.skip("needs Xorg with the dummy driver and xrandr (xserver-xorg-video-dummy, x11-xserver-utils)")
    (tmp_path / "xorg.conf").write_text(XORG_CONF)
    number = 150 + os.getpid() % 100
    server = subprocess.Popen(["Xorg", f":{number}", "-config", str(tmp_path / "xorg.conf"), "-logfile",
                               str(tmp_path / "xorg.log"), "-noreset", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    display = f":{number}"
    env = {**os.environ, "DISPLAY": display}
    deadline = time.monotonic() + 15
    while subprocess.run(["xrandr"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.skip(f"Xorg with the dummy driver did not start here: {(tmp_path / 'xorg.log').read_text()[-300:]}")
        time.sleep(0.1)

    def xrandr(*args: str) -> None:
        subprocess.run(["xrandr", *args], env=env, check=True, capture_output=True, timeout=10)

    def plug() -> None:
        xrandr("--output", "DUMMY1", "--mode", MODE[0], "--right-of", "DUMMY0")
        xrandr()  # a query probes the outputs, as a cable plugged in makes the driver do

    def unplug() -> None:
        xrandr("--output", "DUMMY1", "--off")
        xrandr()

    xrandr("--newmode", *MODE)
    xrandr("--addmode", "DUMMY1", MODE[0])
    plug()
    monkeypatch.setenv("DISPLAY", display)
    try:
        yield plug, unplug
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_output_falls_back_to_a_window_and_returns_with_its_monitor(two_monitors):
    plug, unplug = two_monitors
    said = []

    def lines(app):
        return [note.text for note in app.store.session.notes if note.text.startswith("output:")]

    def script(app):
        yield from wait_for(app, lambda: "output: fullscreen on DUMMY1 (1280×720)" in lines(app))
        said.append(lines(app)[-1])
        frames = app.frames_rendered
        unplug()
        yield from wait_for(app, lambda: any("is not there" in line for line in lines(app)))
        said.append(lines(app)[-1])
        said.append(app.outputs.window.fullscreen_on)
        for _ in range(5):  # the show goes on in the window meanwhile
            yield
        plug()
        yield from wait_for(app, lambda: lines(app).count("output: fullscreen on DUMMY1 (1280×720)") == 2)
        said.append(app.outputs.window.fullscreen_on)
        said.append(app.frames_rendered - frames)

    run_app(script, str(photo()), "--size", "480x320", "--output-monitor", "DUMMY1")
    assert said[0] == "output: fullscreen on DUMMY1 (1280×720)"
    assert said[1] == "output: monitor 'DUMMY1' is not there; showing the output in a window until it is"
    assert said[2] is None and said[3] == "DUMMY1"
    assert said[4] >= 6  # the show went on throughout
