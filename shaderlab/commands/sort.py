"""``shaderlab sort``: the exact GPU pixel sort of a picture, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from shaderlab.commands.options import add_frame_timeout, finite
from shaderlab.commands.render import _render_scene, render_clip
from shaderlab.media.clip import is_clip
from shaderlab.scene import EffectEntry, Scene


def add_parser(commands) -> None:
    sort = commands.add_parser("sort", help="pixel sort a picture or a clip on the GPU, headless")
    sort.add_argument("input", type=Path, help="a picture, or a video clip (every frame is sorted)")
    sort.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write (a clip: .mp4, .gif or a folder)")
    sort.add_argument("--key", default="lightness", help="lightness, hue, saturation, intensity or minimum")
    sort.add_argument("--reverse", action="store_true", help="sort the key descending")
    sort.add_argument("--interval", default="threshold", help="threshold, none, edges, random, waves or mask")
    sort.add_argument("--lower", type=finite, default=0.25, help="lower threshold, 0..1 (threshold, edges)")
    sort.add_argument("--upper", type=finite, default=0.8, help="upper threshold, 0..1 (threshold)")
    sort.add_argument("--char-length", type=finite, default=50.0, help="interval length in px (random, waves)")
    sort.add_argument("--seed", type=int, default=0, help="seed of random, waves and randomness")
    sort.add_argument("--direction", default="right", help="right, left, up or down: the key rises that way")
    sort.add_argument("--randomness", type=finite, default=0.0, help="percent of intervals left unsorted")
    sort.add_argument("--mask", type=Path, help="image the size of INPUT: white = sortable (with --interval mask)")
    sort.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    add_frame_timeout(sort)
    sort.set_defaults(run=_sort, watched=True)


def _sort(options: argparse.Namespace) -> int:
    params: dict[str, object] = {
        "key": options.key,
        "reverse": options.reverse,
        "interval": options.interval,
        "lower": options.lower,
        "upper": options.upper,
        "char_length": options.char_length,
        "seed": options.seed,
        "direction": options.direction,
        "randomness": options.randomness,
    }
    if options.mask is not None:
        params["mask"] = str(options.mask)
    scene = Scene(image=options.input, effects=[EffectEntry("pixelsort", params)])
    if is_clip(options.input) and options.output.suffix.lower() != ".png":  # every frame, into a video, a GIF or a folder
        clip_options = argparse.Namespace(output=options.output, fps=None, frames=None, size=None, time=0.0, shaders=[],
                                          audio=None, scene=None, depth_model=None, watch=options.watch,
                                          compute=False)
        return render_clip(scene, clip_options)
    return _render_scene(scene, options.output, options.overwrite, time=0.0, size=None, shaders=[], watch=options.watch)

