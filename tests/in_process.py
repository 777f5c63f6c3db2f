"""The real app in the test process: a hidden window under Xvfb, driven by a script.

A test writes a generator that gets the app, posts commands into its inbox as any surface
would, and ``yield``s to let one frame run (app/runner.py's ``run_scripted``; the show's clock
is a FixedClock here, so frame n is at n / fps whatever the machine's load). When the script
ends the app quits; an exception in it is raised in the test once the window is closed. The
frame count is capped, and pytest-timeout bounds the whole run, so a lost event fails instead
of hanging.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from pathlib import Path
from typing import Callable, Generator

from shaderlab.app.runner import Script, run_scripted
from shaderlab.app.window import ShaderlabWindow
from shaderlab.cli import play_options
from shaderlab.render.clock import FixedClock
from shaderlab.show import commands as c

FPS = 30.0


def run_app(script: Script, *arguments: str, max_frames: int = 600) -> ShaderlabWindow:
    """Run ``shaderlab play ARGUMENTS`` in this process with ``script`` driving it, on a
    fixed clock."""
    assert os.environ.get("DISPLAY"), "the display fixture sets DISPLAY"
    with _no_egl_context_current():
        return run_scripted(script, *play_options(arguments), clock=FixedClock(FPS), max_frames=max_frames)


def wait_for(app: ShaderlabWindow, condition: Callable[[], bool], frames: int = 300) -> Generator[None, None, None]:
    """Let frames run until ``condition()`` holds (a worker's result arrived); fail after ``frames``."""
    for _ in range(frames):
        if condition():
            return
        yield
    raise AssertionError(f"still waiting after {frames} frames; messages: {[n.text for n in app.store.session.notes]}")


def learn_and_press(app: ShaderlabWindow, pads, port: str, address: str, note: int) -> Generator[None, None, None]:
    """Learn a pad of a MIDI controller (``pads``: a virtual output named ``port``, through
    JACK) for ``address``, then press it once: struck to learn, let go, struck again."""
    import mido

    from conftest import jack_connected

    app.inbox.put(c.MidiLearn(address))
    yield
    assert jack_connected(port), f"the {port} port was never connected to the show's"
    pads.send(mido.Message("note_on", channel=9, note=note, velocity=100))
    yield from wait_for(app, lambda: app.hub.midi.mappings)
    pads.send(mido.Message("note_off", channel=9, note=note))
    pads.send(mido.Message("note_on", channel=9, note=note, velocity=90))  # pressed


def photo() -> Path:
    return Path(__file__).resolve().parents[1] / "assets" / "coffee.png"


@contextlib.contextmanager
def _no_egl_context_current():
    """A headless Renderer (the tests' session fixture) leaves its EGL context current on this
    thread, and Mesa then refuses to make the window's GLX context current (BadAccess): release
    it for the window's run and make it current again after."""
    egl = ctypes.CDLL("libEGL.so.1")
    for name in ("eglGetCurrentDisplay", "eglGetCurrentSurface", "eglGetCurrentContext"):
        getattr(egl, name).restype = ctypes.c_void_p
    egl.eglGetCurrentSurface.argtypes = [ctypes.c_int]
    egl.eglMakeCurrent.argtypes = [ctypes.c_void_p] * 4
    display, context = egl.eglGetCurrentDisplay(), egl.eglGetCurrentContext()
    draw, read = egl.eglGetCurrentSurface(0x3059), egl.eglGetCurrentSurface(0x305A)  # EGL_DRAW, EGL_READ
    if display:
        egl.eglMakeCurrent(display, None, None, None)
    try:
        yield
    finally:
        if display:
            egl.eglMakeCurrent(display, draw, read, context)
