"""Start the window: hello_imgui's runner, its parameters, and a clear error without a display."""

from __future__ import annotations

import argparse
import faulthandler
import os
import signal
import sys

from imgui_bundle import hello_imgui

from shaderlab.app.window import ShaderlabWindow
from shaderlab.errors import ShaderlabError
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
    params = hello_imgui.RunnerParams()
    params.app_window_params.window_title = "shaderlab"
    params.app_window_params.window_geometry.size = tuple(options.size)
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
    if sys.platform != "darwin":  # macOS stops at 4.1; elsewhere ask for compute shaders
        gl = params.renderer_backend_options.open_gl_options
        gl.major_version, gl.minor_version = 4, 3
    params.ini_disable = True
    params.callbacks.post_init = window.post_init
    params.callbacks.custom_background = window.frame
    params.callbacks.show_gui = window.gui
    params.callbacks.before_exit = window.before_exit
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


def _quit_cleanly(params: hello_imgui.RunnerParams) -> None:
    """ctrl+C in the terminal quits as ctrl+Q does (a recording is finished, --stats printed);
    a second ctrl+C ends the process at once."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    params.app_shall_exit = True
