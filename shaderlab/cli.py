"""The ``shaderlab`` command: play (the window), render and sort (headless), and the commands
that list and fetch (shaderlab/commands/ has each).

User errors print one line, ``shaderlab: error: …``, and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from shaderlab import model_commands
from shaderlab.commands import bench, listing, play, render, sort
from shaderlab.commands.options import size
from shaderlab.commands.options import build_scene
from shaderlab.errors import ShaderlabError
from shaderlab.render.watchdog import FrameTimeout, FrameWatch, run_supervised
from shaderlab.scene import Scene

log = logging.getLogger("shaderlab")


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="shaderlab: %(message)s", stream=sys.stderr)
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0].startswith("-") and args[0] not in ("-h", "--help"):
        args = ["play", *args]  # `shaderlab` alone opens the window on the demo
    parser = _parser()
    options = parser.parse_args(args)
    options.watch = None
    if not getattr(options, "watched", False):
        return _run(options)
    try:
        return run_supervised(lambda watch: _run(options, watch), options.frame_timeout)
    except FrameTimeout as exc:
        from shaderlab.io.atomic import clear_leftovers

        clear_leftovers(options.output)  # the killed renderer's temporary file and claim
        print(f"shaderlab: error: {exc.what} did not finish within {exc.seconds:g} s (a loop that never ends, "
              "or far too much work per pixel); fix the shader, or allow more with --frame-timeout SECONDS", file=sys.stderr)
        return 2


def _run(options: argparse.Namespace, watch: FrameWatch | None = None) -> int:
    """The command, with user errors as one line; ``watch`` tells the supervising process what
    is being rendered (see render/watchdog.py)."""
    options.watch = watch
    try:
        return options.run(options)
    except ShaderlabError as exc:
        print(f"shaderlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `shaderlab effects | head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shaderlab", description="A real-time GPU shader playground for live visuals."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    play.add_parser(commands)
    render.add_parser(commands)
    sort.add_parser(commands)
    bench.add_parser(commands)
    depth = commands.add_parser("depth", help="a depth map of an image from a hosted model")
    depth.add_argument("input", type=Path, help="image file")
    depth.add_argument("-o", "--output", type=Path, required=True, help="16-bit grey PNG to write (near = bright)")
    depth.add_argument("--model", help="a model named in --models")
    depth.add_argument("--models", type=Path, default=Path("models.toml"), help="model configuration (TOML)")
    depth.add_argument("--provider", help="runway, replicate, cog, huggingface (with --url), onnx (--url model.onnx) or builtin")
    depth.add_argument("--url", help="the model's URL (with --provider)")
    depth.add_argument("--token-env", help="environment variable holding the token (with --provider)")
    depth.add_argument("--cache", type=Path, help="cache folder (default ~/.cache/shaderlab/models)")
    depth.add_argument("--no-cache", action="store_true", help="always ask the model")
    depth.set_defaults(run=model_commands.depth)

    generate = commands.add_parser("generate", help="generate clouds, a landscape or a book cover")
    generate.add_argument("kind", choices=("clouds", "landscape", "books"))
    generate.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    generate.add_argument("--seed", type=int, default=0, help="the same seed gives the same picture")
    generate.add_argument("--size", type=size, help="WxH (default 1024x768, books 640x960)")
    generate.add_argument("--model", help="a hosted model named in --models (default: built-in, offline)")
    generate.add_argument("--models", type=Path, default=Path("models.toml"), help="model configuration (TOML)")
    generate.add_argument("--cache", type=Path, help="cache folder (default ~/.cache/shaderlab/models)")
    generate.set_defaults(run=model_commands.generate)

    prefetch = commands.add_parser("prefetch", help="fill the model cache before a show, to play offline")
    prefetch.add_argument("--scene", type=Path, required=True, help="scene whose source image gets depth maps")
    prefetch.add_argument("--model", action="append", default=[], help="depth model(s) to ask (repeatable)")
    prefetch.add_argument("--generate", action="append", default=[], metavar="MODEL:KIND:SEEDS",
                          help="e.g. runway-clouds:clouds:1-20 (repeatable)")
    prefetch.add_argument("--models", type=Path, default=Path("models.toml"), help="model configuration (TOML)")
    prefetch.add_argument("--cache", type=Path, help="cache folder (default ~/.cache/shaderlab/models)")
    prefetch.set_defaults(run=model_commands.prefetch)
    listing.add_parser(commands)
    return parser


def play_options(arguments: Sequence[str]) -> tuple[Scene, argparse.Namespace]:
    """The scene and options of ``shaderlab play ARGUMENTS`` (to run the window from Python:
    app/runner.py's run_scripted)."""
    options = _parser().parse_args(["play", *arguments])
    return build_scene(options.image, options.scene, options.effect, options.depth, options.depth_invert), options


if __name__ == "__main__":
    sys.exit(main())
