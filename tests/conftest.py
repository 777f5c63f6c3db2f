"""Shared fixtures: real photographs, one headless renderer, an X display for window tests."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import moderngl
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IMAGES = SHARED / "images"


def photo(name: str) -> np.ndarray:
    """A real photograph from ../shared/images as uint8 RGB."""
    return np.asarray(Image.open(IMAGES / name).convert("RGB"))


@pytest.fixture(scope="session")
def renderer():
    from shaderlab import Renderer

    with Renderer() as r:
        yield r


@pytest.fixture(autouse=True, scope="session")
def _own_config_folder(tmp_path_factory):
    """No test reads or writes the user's own settings (~/.config/shaderlab: the remembered
    output monitor, MIDI profiles): the run has a config folder of its own."""
    folder = tmp_path_factory.mktemp("config")
    saved = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = saved


@pytest.fixture(autouse=True)
def _no_gl_errors(request):
    """Like moderngl's own suite: no GL error is left behind by any test that used GL."""
    yield
    if "renderer" in request.fixturenames:
        r = request.getfixturevalue("renderer")
        with r.ctx:
            assert r.ctx.error == "GL_NO_ERROR"


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 that the test scripts (tests/fake_model_server.py)."""
    from fake_model_server import FakeServer

    fake = FakeServer()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def display():
    """An X display: the one set, or an Xvfb the tests start themselves."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if shutil.which("Xvfb") is None:
        pytest.skip("window tests need Xvfb (apt-get install xvfb) or a DISPLAY")
    number = 90 + os.getpid() % 100
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """Run the real ``shaderlab`` command in a subprocess (with a cache folder of its own, so
    no test reads another's cached model answers or writes the user's)."""
    import tempfile

    cache = tempfile.mkdtemp(prefix="shaderlab-cache-")
    return subprocess.run(
        [sys.executable, "-m", "shaderlab", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "XDG_CACHE_HOME": cache, **(env or {})},
        timeout=timeout,
    )


def live_gl_objects() -> int:
    gc.collect()
    kinds = (moderngl.Texture, moderngl.Framebuffer, moderngl.Program, moderngl.VertexArray)
    return sum(isinstance(o, kinds) and not isinstance(o.mglo, moderngl.InvalidObject) for o in gc.get_objects())


def quit_window(process: subprocess.Popen, env: dict, attempts: int = 3, wait: float = 10.0) -> None:
    """Press ctrl+Q in the shaderlab window until its process ends: under load a key press can
    be lost (focus not yet given), and a test must then press again, not wait for ever."""
    for _ in range(attempts):
        # The window may be gone before xdotool sends the key's release: not an error here.
        subprocess.run(["xdotool", "search", "--sync", "--name", "^shaderlab$", "windowfocus", "--sync", "key", "ctrl+q"],
                       env=env, timeout=30, capture_output=True)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
    windows = subprocess.run(["xdotool", "search", "--name", "^shaderlab$"], env=env, timeout=30,
                             capture_output=True, text=True).stdout.split()
    process.send_signal(signal.SIGUSR1)  # the app prints every thread's stack (app/runner.py)
    time.sleep(1.0)
    raise AssertionError(f"the window did not quit after {attempts} ctrl+Q presses ({len(windows)} shaderlab windows on the display)")


@pytest.fixture(scope="module")
def jack_server():
    """A JACK server with its dummy driver, in user space, for real virtual MIDI ports (ALSA's
    sequencer is missing in containers). Its name is the tests' own; libjack is told not to
    start one by itself. One per test module: a module's clients never meet another's.
    Yields the server's name (set as JACK_DEFAULT_SERVER)."""
    if shutil.which("jackd") is None:
        pytest.skip("MIDI tests need a JACK server (apt-get install jackd2)")
    pytest.importorskip("rtmidi")
    name = f"shaderlab-tests-{os.getpid()}-{time.monotonic_ns() % 100000}"
    saved = {k: os.environ.get(k) for k in ("JACK_DEFAULT_SERVER", "JACK_NO_START_SERVER", "JACK_NO_AUDIO_RESERVATION")}
    os.environ.update(JACK_DEFAULT_SERVER=name, JACK_NO_START_SERVER="1", JACK_NO_AUDIO_RESERVATION="1")
    server = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "256"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Waited for by JACK's own jack_wait in a process of its own: a probe port opened and
        # closed here, in the test process, while the server was still starting, once crashed
        # it inside libjack (a segmentation fault ends the whole test run).
        waited = subprocess.run(["jack_wait", "-s", name, "-w", "-t", "15"], capture_output=True, text=True, timeout=30)
        if waited.returncode != 0 or server.poll() is not None:
            problem = server.stderr.read(2000) if server.poll() is not None else waited.stdout + waited.stderr
            pytest.fail(f"the JACK server did not start: {problem}")
        yield name
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def jack_connected(port: str, timeout: float = 10.0) -> bool:
    """Whether a JACK port whose name holds ``port`` is connected to another, asked of the
    server (JACK_DEFAULT_SERVER) by jack_lsp every 50 ms until ``timeout``: a port is connected
    a cycle or two after the surface says it opened it, and a message sent before is lost."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = subprocess.run(["jack_lsp", "-c"], capture_output=True, text=True, timeout=10).stdout.splitlines()
        for line, following in zip(listing, listing[1:] + [""]):
            if not line.startswith(" ") and port in line and following.startswith(" "):
                return True
        time.sleep(0.05)
    return False
