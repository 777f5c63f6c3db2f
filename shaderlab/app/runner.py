"""Start the window: hello_imgui's runner, its parameters, and a clear error without a display."""

from __future__ import annotations

import argparse
import faulthandler
import os
import signal
import sys
from typing import Callable, Generator

from imgui_bundle import hello_imgui

from shaderlab.app.window import ShaderlabWindow
from shaderlab.errors import ShaderlabError
from shaderlab.render.clock import FixedClock, WallClock
from shaderlab.scene import Scene


NO_DISPLAY = (
    "no display to open a window on (DISPLAY is not set); render headless with "
    "`shaderlab render`, or give it a virtual screen: xvfb-run shaderlab"
)


def run_window(scene: Scene, options: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ShaderlabError(NO_DISPLAY)
    if hasattr(signal, "SIGUSR1"):
        # `kill -USR1 PID` prints where every thread is, even one stuck in a driver call.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    window = ShaderlabWindow(scene, options)
    params = runner_params(window, options)
    previous = signal.signal(signal.SIGINT, lambda *_: _quit_cleanly(params))
    try:
        hello_imgui.run(params)
    except RuntimeError as exc:
        if "glfwInit" in str(exc) or "window" in str(exc).lower():
            raise ShaderlabError(f"the window could not be opened ({exc}); {NO_DISPLAY}") from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    return window.exit_code


def wants_output(options: argparse.Namespace) -> bool:
    """Whether the clean output gets a window of its own."""
    return bool(getattr(options, "output", False) or getattr(options, "output_monitor", None))


def runner_params(window: ShaderlabWindow, options: argparse.Namespace, hidden: bool = False) -> hello_imgui.RunnerParams:
    """hello_imgui's parameters for ``window`` (``hidden``: no window on screen, for tests)."""
    params = hello_imgui.RunnerParams()
    params.app_window_params.window_title = "shaderlab"
    params.app_window_params.window_geometry.size = tuple(options.size)
    params.app_window_params.hidden = hidden
    if options.fullscreen:
        params.app_window_params.window_geometry.full_screen_mode = (
            hello_imgui.FullScreenMode.full_monitor_work_area
        )
    params.app_window_params.restore_previous_geometry = False
    params.imgui_window_params.default_imgui_window_type = (
        hello_imgui.DefaultImGuiWindowType.no_default_window
    )
    # A show must never slow down when the mouse rests; vsync paces the frames on a real screen.
    params.fps_idling.enable_idling = False
    if wants_output(options):  # the output window waits for vsync; this one must not wait too
        params.fps_idling.vsync_to_monitor = False
    if sys.platform != "darwin":  # macOS stops at 4.1; elsewhere ask for compute shaders
        gl = params.renderer_backend_options.open_gl_options
        gl.major_version, gl.minor_version = 4, 3
    params.ini_disable = True
    params.callbacks.post_init = window.post_init
    params.callbacks.custom_background = window.frame
    params.callbacks.show_gui = window.gui
    params.callbacks.before_exit = window.before_exit
    return params


#: A script drives the app: it gets the window, posts commands, and yields to let a frame run.
Script = Callable[[ShaderlabWindow], Generator[None, None, None]]


def run_scripted(script: Script, scene: Scene, options: argparse.Namespace, clock: FixedClock | WallClock | None = None,
                 hidden: bool = True, max_frames: int = 3000) -> ShaderlabWindow:
    """Run the window in this process, driven by ``script`` (tests and benchmarks; the scene
    and options as ``cli.play_options`` makes them): each ``yield`` lets one frame run; the app
    quits when the script ends, and an exception in it is raised here once the window has
    closed. ``max_frames`` bounds a script that waits for something that never comes."""
    window = ShaderlabWindow(scene, options, clock=clock)
    params = runner_params(window, options, hidden=hidden)
    steps = script(window)
    failure: list[BaseException] = []

    def frame() -> None:
        window.frame()
        if failure or params.app_shall_exit:
            return
        try:
            next(steps)
            if window.frames_rendered >= max_frames:
                raise RuntimeError(f"the script did not end within {max_frames} frames")
        except StopIteration:
            params.app_shall_exit = True
        except BaseException as exc:  # noqa: BLE001 - raised below, once the window is closed
            failure.append(exc)
            params.app_shall_exit = True

    params.callbacks.custom_background = frame
    hello_imgui.run(params)
    if failure:
        raise failure[0]
    return window


def _quit_cleanly(params: hello_imgui.RunnerParams) -> None:
    """ctrl+C in the terminal quits as ctrl+Q does (a recording is finished, --stats printed);
    a second ctrl+C ends the process at once."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    params.app_shall_exit = True
