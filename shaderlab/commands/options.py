"""What several commands share: argument types (sizes, finite numbers, ports), the option
groups (effects, shaders, depth, frame timeout) and the scene built from them."""

from __future__ import annotations

import argparse
import math
import shlex
from pathlib import Path

from shaderlab.errors import EffectError
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT
from shaderlab.scene import EffectEntry, Scene, load_scene


def port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0..65535)")
    return port


def host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        raise argparse.ArgumentTypeError(f"{text!r}: give HOST:PORT, as 127.0.0.1:9100")
    return host.strip("[]"), port(port)


def add_shaders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shaders", type=Path, action="append", default=[], metavar="DIR",
        help="a folder of your own effect files (repeatable; hot-reloaded in the window)",
    )


def add_compute(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--compute", action="store_true",
        help="run effects as compute shaders where they can be: the same pixels, many times faster on GPUs "
             "with little raster hardware (data-centre GPUs such as the H100), slower on others; "
             "shaderlab bench --compute compares",
    )


def add_frame_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--frame-timeout", type=finite, default=DEFAULT_FRAME_TIMEOUT, metavar="SECONDS",
        help=f"stop an effect that takes longer than this for one frame (default {DEFAULT_FRAME_TIMEOUT:g}; 0: never)",
    )


def add_depth_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--depth", type=Path, help="depth map for the image (grey, near = bright)")
    parser.add_argument("--depth-invert", action="store_true", help="the depth map has near = dark")
    parser.add_argument("--depth-model", type=Path, help="estimate depth with this ONNX model (MiDaS, Depth Anything)")
    parser.add_argument("--depth-preset", default="depth-anything", help="depth-anything, midas or midas-small")


def add_effect_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-e", "--effect", action="append", default=[], metavar='"NAME key=value ..."',
        help="append an effect to the chain (repeatable, in order)",
    )


def size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, like 1920x1080, not {text!r}") from None
    if not (0 < width <= 32768 and 0 < height <= 32768):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range")
    return width, height


def finite(text: str) -> float:
    """A number that is not NaN or infinite (NaN passes every range check after it)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def parse_effect_option(text: str) -> tuple[str, dict[str, str]]:
    """``"blur radius=4"`` as ``("blur", {"radius": "4"})``; values are checked later."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise EffectError(f"-e {text!r}: {exc}") from None
    if not words:
        raise EffectError("-e needs an effect name")
    params: dict[str, str] = {}
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise EffectError(f"-e {text!r}: {word!r} is not key=value")
        params[key] = value
    return words[0], params


def build_scene(
    image: Path | None, scene_path: Path | None, effect_options: list[str], depth: Path | None = None, depth_invert: bool = False
) -> Scene:
    """A scene from a scene file and/or an image and -e options (these come after the file's)."""
    scene = load_scene(scene_path) if scene_path else Scene()
    if image is not None:
        scene.image = image
    if depth is not None:
        scene.depth, scene.depth_invert = depth, depth_invert
    scene.effects += [EffectEntry(*parse_effect_option(text)) for text in effect_options]
    return scene
