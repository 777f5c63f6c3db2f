"""The ``shaderlab`` command: play (the window), render (headless), effects (list them).

User errors print one line, ``shaderlab: error: …``, and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import shlex
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from shaderlab import model_commands
from shaderlab.errors import EffectError, ShaderlabError
from shaderlab.io.depth import estimate_depth_builtin, load_depth
from shaderlab.io.images import LoadedImage, load_image
from shaderlab.io.save import png_bytes
from shaderlab.paths import demo_image, demo_scene
from shaderlab.render.watchdog import DEFAULT_FRAME_TIMEOUT, FrameTimeout, FrameWatch, run_supervised
from shaderlab.scene import EffectEntry, Scene, load_scene

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

    play = commands.add_parser("play", help="open the window on an image or a scene")
    play.add_argument("image", nargs="?", type=Path, help="image file (default: the bundled demo)")
    play.add_argument("--scene", type=Path, help="scene file (TOML) to open")
    play.add_argument("--set", type=Path, metavar="FILE",
                      help="a set of cues (TOML): GO (enter) plays them in order, with their transitions")
    play.add_argument("--size", type=_size, default=(1280, 720), help="window size, WxH")
    play.add_argument("--fullscreen", action="store_true", help="open fullscreen")
    play.add_argument("--output", action="store_true",
                      help="show the clean output in a second window (the panel's window keeps a preview)")
    play.add_argument("--output-monitor", metavar="NAME|INDEX",
                      help="the output window fullscreen on this monitor (shaderlab monitors lists them)")
    play.add_argument("--ndi", metavar="NAME", help="send the output as an NDI source of this name (the ndi extra)")
    play.add_argument("--virtual-camera", action="store_true",
                      help="send the output to a virtual camera (the camera extra; v4l2loopback on Linux)")
    play.add_argument("--spout", metavar="NAME", help="send the output over Spout (Windows)")
    play.add_argument("--syphon", metavar="NAME", help="send the output over Syphon (macOS)")
    play.add_argument("--output-size", type=_size, metavar="WxH",
                      help="the output's resolution, whatever the windows' sizes (recordings get it too)")
    play.add_argument("--hide-panel", action="store_true", help="start with the panel hidden (H shows it)")
    play.add_argument("--auto-sort", action="store_true", help="start with auto sort running (space toggles)")
    play.add_argument("--save-dir", type=Path, default=Path.cwd(), help="folder for Save (S)")
    play.add_argument("--frames", type=int, help="render this many frames, then exit")
    play.add_argument("--stats", action="store_true", help="print frame-time statistics as JSON at exit")
    play.add_argument("--screenshot", type=Path, help="at exit, write the window (panel included) as PNG")
    play.add_argument("--record", type=Path, help="record the output from the first frame (.mp4, .gif or a folder)")
    play.add_argument("--show-log", type=Path, metavar="FILE",
                      help="log the show as it goes (render --replay FILE renders it again, at any resolution)")
    play.add_argument("--models", type=Path, help="hosted model configuration (default: ./models.toml if present)")
    play.add_argument("--generate", choices=("clouds", "landscape", "books"), help="start on a built-in generated picture")
    play.add_argument("--fetch-depth-every", type=int, metavar="K", help=argparse.SUPPRESS)  # benchmarks
    _add_shaders(play)
    _add_frame_timeout(play)
    _add_depth_options(play)
    _add_effect_options(play)
    _add_control_options(play)
    play.set_defaults(run=_play)

    render = commands.add_parser("render", help="render an image through effects, headless")
    render.add_argument("input", nargs="?", type=Path, help="image file (or the scene's source)")
    render.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    render.add_argument("--scene", type=Path, help="scene file (TOML): source and effects")
    render.add_argument("--time", type=_finite, default=0.0, help="TIME in seconds (default 0)")
    render.add_argument("--size", type=_size, help="output size WxH (default: the input's)")
    render.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists (PNG only)")
    render.add_argument("--frames", type=int, help="render an animation of this many frames (to .mp4, .gif or a folder)")
    render.add_argument("--fps", type=_finite, default=30.0, help="frames per second of the animation (default 30)")
    render.add_argument("--audio", type=Path, metavar="FILE",
                        help="a soundtrack: effects' audio/audioFFT inputs hear it at each frame's time, "
                             "and a video gets it muxed in (WAV; FLAC/MP3 with the video extra)")
    render.add_argument("--replay", type=Path, metavar="SHOWLOG",
                        help="render a show logged with play --show-log again, frame for frame "
                             "(at the live output's size, or --size)")
    _add_shaders(render)
    _add_depth_options(render)
    _add_effect_options(render)
    _add_frame_timeout(render)
    render.set_defaults(run=_render, watched=True)

    sort = commands.add_parser("sort", help="pixel sort an image on the GPU, headless")
    sort.add_argument("input", type=Path, help="image file")
    sort.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    sort.add_argument("--key", default="lightness", help="lightness, hue, saturation, intensity or minimum")
    sort.add_argument("--reverse", action="store_true", help="sort the key descending")
    sort.add_argument("--interval", default="threshold", help="threshold, none, edges, random, waves or mask")
    sort.add_argument("--lower", type=_finite, default=0.25, help="lower threshold, 0..1 (threshold, edges)")
    sort.add_argument("--upper", type=_finite, default=0.8, help="upper threshold, 0..1 (threshold)")
    sort.add_argument("--char-length", type=_finite, default=50.0, help="interval length in px (random, waves)")
    sort.add_argument("--seed", type=int, default=0, help="seed of random, waves and randomness")
    sort.add_argument("--direction", default="right", help="right, left, up or down: the key rises that way")
    sort.add_argument("--randomness", type=_finite, default=0.0, help="percent of intervals left unsorted")
    sort.add_argument("--mask", type=Path, help="image the size of INPUT: white = sortable (with --interval mask)")
    sort.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    _add_frame_timeout(sort)
    sort.set_defaults(run=_sort, watched=True)

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
    generate.add_argument("--size", type=_size, help="WxH (default 1024x768, books 640x960)")
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

    effects = commands.add_parser("effects", help="list the effects and their inputs")
    effects.add_argument("--json", action="store_true", help="machine-readable output")
    _add_shaders(effects)
    effects.set_defaults(run=_effects)

    osc_list = commands.add_parser("osc-list", help="print the OSC address space of a scene")
    osc_list.add_argument("--scene", type=Path, help="scene file (TOML) whose effects to list")
    osc_list.add_argument("--json", action="store_true", help="the OSCQuery tree as JSON")
    _add_shaders(osc_list)
    _add_effect_options(osc_list)
    osc_list.set_defaults(run=_osc_list)

    monitors = commands.add_parser("monitors", help="list the monitors an output can go fullscreen on")
    monitors.set_defaults(run=_monitors)

    audio_devices = commands.add_parser("audio-devices", help="list the sound inputs (monitor sources first) and outputs")
    audio_devices.set_defaults(run=_audio_devices)
    return parser


def _add_control_options(parser: argparse.ArgumentParser) -> None:
    control = parser.add_argument_group("control surfaces (see README: Playing it from controllers)")
    control.add_argument("--osc", type=_port, nargs="?", const=9000, metavar="PORT",
                         help="take OSC on this UDP port (default 9000; 0: any free port)")
    control.add_argument("--osc-host", default="127.0.0.1", metavar="HOST",
                         help="where OSC and OSCQuery listen (default 127.0.0.1; 0.0.0.0 opens them to the network)")
    control.add_argument("--osc-target", type=_host_port, action="append", default=[], metavar="HOST:PORT",
                         help="also send every change there as OSC (repeatable)")
    control.add_argument("--oscquery", type=_port, nargs="?", const=9001, metavar="PORT",
                         help="serve the address space as OSCQuery (HTTP + WebSocket; default 9001)")
    control.add_argument("--oscquery-advertise", action="store_true",
                         help="advertise the OSCQuery server on the network (zeroconf _oscjson._tcp)")
    sound = control.add_mutually_exclusive_group()
    sound.add_argument("--audio", type=Path, metavar="FILE",
                       help="a sound file played alongside the show: ISF audio inputs and audio followers hear it")
    sound.add_argument("--audio-in", metavar="DEVICE",
                       help="listen to a sound input instead (an index or a part of its name; a monitor source hears "
                            "the mixer; `shaderlab audio-devices` lists them; the audio extra)")
    control.add_argument("--audio-out", default="default", metavar="DEVICE",
                         help="where the --audio file is heard (an index or a part of a name; default: the system's "
                              "output; none: silently)")
    control.add_argument("--midi-in", metavar="NAME", help="play from this MIDI input port (a part of its name is enough)")
    control.add_argument("--midi-out", metavar="NAME", help="send feedback (LEDs, motor faders) to this MIDI output port")
    control.add_argument("--midi-profile", type=Path, metavar="FILE",
                         help="controller mappings (TOML; default ~/.config/shaderlab/midi/<input>.toml)")
    control.add_argument("--midi-api", choices=("ALSA", "JACK"), help="MIDI system to use (default: rtmidi's choice)")
    control.add_argument("--link", action="store_true",
                         help="join the Ableton Link session on the local network and take the tempo from it "
                              "(the link extra: pip install 'shaderlab[link]')")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0..65535)")
    return port


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host:
        raise argparse.ArgumentTypeError(f"{text!r}: give HOST:PORT, as 127.0.0.1:9100")
    return host.strip("[]"), _port(port)


def _add_shaders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shaders", type=Path, action="append", default=[], metavar="DIR",
        help="a folder of your own effect files (repeatable; hot-reloaded in the window)",
    )


def _add_frame_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--frame-timeout", type=_finite, default=DEFAULT_FRAME_TIMEOUT, metavar="SECONDS",
        help=f"stop an effect that takes longer than this for one frame (default {DEFAULT_FRAME_TIMEOUT:g}; 0: never)",
    )


def _add_depth_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--depth", type=Path, help="depth map for the image (grey, near = bright)")
    parser.add_argument("--depth-invert", action="store_true", help="the depth map has near = dark")
    parser.add_argument("--depth-model", type=Path, help="estimate depth with this ONNX model (MiDaS, Depth Anything)")
    parser.add_argument("--depth-preset", default="depth-anything", help="depth-anything, midas or midas-small")


def _add_effect_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-e", "--effect", action="append", default=[], metavar='"NAME key=value ..."',
        help="append an effect to the chain (repeatable, in order)",
    )


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, like 1920x1080, not {text!r}") from None
    if not (0 < width <= 32768 and 0 < height <= 32768):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range")
    return width, height


def _finite(text: str) -> float:
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


def _render(options: argparse.Namespace) -> int:
    if getattr(options, "replay", None) is not None:
        return _render_replay(options)
    scene = build_scene(options.input, options.scene, options.effect, options.depth, options.depth_invert)
    if scene.image is None and options.size is None:
        raise ShaderlabError("render needs an INPUT image (or a --scene with a source image, or --size for a generator)")
    if options.frames is not None or options.output.suffix.lower() != ".png":
        return _render_animation(scene, options)
    return _render_scene(
        scene, options.output, options.overwrite, options.time, options.size, options.shaders, _estimator(options),
        options.watch, options.scene, _soundtrack(options),
    )


def _estimator(options: argparse.Namespace):
    """The ONNX depth estimator asked for, if any (loaded before anything is rendered)."""
    if getattr(options, "depth_model", None) is None:
        return None
    from shaderlab.models.onnx_depth import OnnxDepth

    return OnnxDepth(options.depth_model, options.depth_preset)


def _scene_depth(scene: Scene, loaded, estimator):
    """The depth map for a render: the scene's file, else the model's estimate, else none."""
    if scene.depth is not None:
        return load_depth(scene.depth, loaded.size, scene.depth_invert)
    if estimator is not None:
        return estimator.estimate(loaded.pixels)
    return None


def _render_animation(scene: Scene, options: argparse.Namespace) -> int:
    """Frames at a fixed step (frame n at TIME = --time + n / fps): the same command always
    writes the same frames. Encoding runs on a writer thread; the output is claimed before the
    first frame and moved to its name only when complete."""
    from tqdm import tqdm

    from shaderlab.io.export import FrameWriter, check_fps, check_new, export_kind
    from shaderlab.render.renderer import Renderer
    from shaderlab.show.timeline import SceneTimeline

    output: Path = options.output
    kind = export_kind(output)
    check_new(output)
    check_fps(options.fps)
    frames = options.frames if options.frames is not None else 1
    if frames < 1:
        raise ShaderlabError("--frames must be at least 1")
    if kind == "video":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise ShaderlabError("MP4 export needs the video extra: pip install 'shaderlab[video]'") from None
    estimator = _estimator(options)
    with Renderer(options.shaders, vet=False, watch=options.watch) as renderer:
        loaded = _source(scene, options.size, renderer.max_texture_size)
        depth = _scene_depth(scene, loaded, estimator)
        if depth is None:  # estimate once here, not again in every frame's render
            depth = estimate_depth_builtin(loaded.pixels)
        size = options.size or loaded.size
        # LFO routes and the tempo, as the show has them (a refusal names the scene file)
        timeline = SceneTimeline(scene, renderer.library.spec, options.scene)
        sound = _soundtrack(options)
        if sound is not None:
            sound.offset = timeline.lead  # the sound is analysed as far ahead as the beat is read
        with FrameWriter(output, size, options.fps, audio=options.audio if kind == "video" else None) as writer:
            for index in tqdm(range(frames), unit="frame", desc=output.name, disable=None):
                time = options.time + index / options.fps
                heard = sound.at(time) if sound is not None else None
                chain, tempo = timeline.at(time, heard)
                audio = (heard.waveform, heard.fft) if heard is not None else None
                writer.write(renderer.render(loaded.pixels, chain, time, options.size, depth=depth, tempo=tempo,
                                             audio=audio))
    log.info("wrote %s (%d frames, %d×%d, %g fps)", output, writer.frames_written, size[0], size[1], options.fps)
    return 0


def _render_replay(options: argparse.Namespace) -> int:
    """A show log rendered again, one frame per logged frame, into a video, a GIF or PNG frames."""
    from tqdm import tqdm

    from shaderlab.io.export import FrameWriter, check_fps, check_new, export_kind
    from shaderlab.render.renderer import Renderer
    from shaderlab.show.show_log import read
    from shaderlab.stage.replay import Replay, live_size

    head, states = read(options.replay)
    output: Path = options.output
    kind = export_kind(output)
    check_new(output)
    check_fps(options.fps)
    shaders = [*options.shaders, *(Path(p) for p in head.get("shaders", []) if Path(p).is_dir())]
    size = options.size or live_size(head)
    with Renderer(shaders, vet=False) as renderer:
        if max(size) > renderer.max_texture_size:
            raise ShaderlabError(f"--size {size[0]}x{size[1]} is more than this GL can draw "
                                 f"({renderer.max_texture_size} pixels a side)")
        with renderer.ctx:  # current for the replay (the size check above let it go)
            replay = Replay(renderer.ctx, renderer.programs, live_size(head), options.size)
            with FrameWriter(output, size, options.fps, audio=options.audio if kind == "video" else None) as writer:
                try:
                    for state in tqdm(states, unit="frame", desc=output.name, disable=None):
                        try:
                            pixels = replay.frame(state)
                        except ShaderlabError:
                            raise
                        except (OSError, ValueError, TypeError, KeyError) as exc:  # a log or its pictures damaged
                            raise ShaderlabError(f"{options.replay}: frame {state.index} cannot be replayed "
                                                 f"({type(exc).__name__}: {exc})") from None
                        writer.write(pixels)
                finally:
                    replay.release()
    log.info("wrote %s (%d frames replayed, %d×%d)", output, writer.frames_written, size[0], size[1])
    return 0


def _soundtrack(options: argparse.Namespace):
    """The --audio file's analysis, run as the frames go (None without one)."""
    if getattr(options, "audio", None) is None:
        return None
    from shaderlab.audio.files import OfflineAudio, read_audio

    return OfflineAudio(*read_audio(options.audio))


def _render_scene(
    scene: Scene, output: Path, overwrite: bool, time: float, size, shaders: list[Path], estimator=None,
    watch: FrameWatch | None = None, scene_path: Path | None = None, sound=None,
) -> int:
    """Render a scene's chain over its image into a new PNG (or a replaced one with overwrite);
    ``sound``: a soundtrack's analysis (OfflineAudio), heard as at ``time``."""
    from shaderlab.io.atomic import Output
    from shaderlab.render.renderer import Renderer
    from shaderlab.show.timeline import SceneTimeline

    if output.suffix.lower() != ".png":
        raise ShaderlabError(f"{output}: only .png output is supported")
    claim = Output(output, overwrite, hint=" or pass --overwrite")  # before rendering: a second render of this name fails at once
    try:
        with Renderer(shaders, vet=False, watch=watch) as renderer:  # the supervisor watches
            loaded = _source(scene, size, renderer.max_texture_size)
            depth = _scene_depth(scene, loaded, estimator)
            timeline = SceneTimeline(scene, renderer.library.spec, scene_path)
            heard = None
            if sound is not None:
                sound.offset = timeline.lead
                heard = sound.at(time)
            chain, tempo = timeline.at(time, heard)
            audio = (heard.waveform, heard.fft) if heard is not None else None
            pixels = renderer.render(loaded.pixels, chain, time, size, depth=depth, tempo=tempo, audio=audio)
    except BaseException:
        claim.discard()
        raise
    with claim:
        claim.temporary.write_bytes(png_bytes(pixels))
    log.info("wrote %s (%d×%d)", output, pixels.shape[1], pixels.shape[0])
    return 0


def _source(scene: Scene, size: tuple[int, int] | None, max_side: int) -> LoadedImage:
    """The scene's image, or with none a black canvas of ``size`` for generators to draw on."""
    if scene.image is not None:
        return load_image(scene.image, max_side)
    width, height = size
    return LoadedImage(np.zeros((height, width, 3), np.uint8), Path(f"blank {width}x{height}"))


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
    return _render_scene(scene, options.output, options.overwrite, time=0.0, size=None, shaders=[], watch=options.watch)


def _effects(options: argparse.Namespace) -> int:
    from shaderlab.library import EffectLibrary

    found = EffectLibrary(options.shaders).read_all()
    for _, _, spec, error in found:
        if error:
            log.warning("%s", error)  # listed with its reason; the rest are still listed
    if options.json:
        listing = [spec.to_json() if spec else {"name": name, "path": str(path), "error": error} for name, path, spec, error in found]
        print(json.dumps(listing, indent=2))
        return 0
    for name, _, spec, error in found:
        if spec is None:
            print(f"{name}: cannot be read: {error}")
            continue
        print(f"{spec.name}: {spec.description}")
        for declared in spec.value_inputs:
            if declared.values:
                extent = "one of " + ", ".join(declared.labels)
            else:
                extent = f"{declared.min}..{declared.max}"
            print(f"    {declared.name} ({declared.type}, default {declared.default}, {extent})")
    return 0


def play_options(arguments: Sequence[str]) -> tuple[Scene, argparse.Namespace]:
    """The scene and options of ``shaderlab play ARGUMENTS`` (to run the window from Python:
    app/runner.py's run_scripted)."""
    options = _parser().parse_args(["play", *arguments])
    return build_scene(options.image, options.scene, options.effect, options.depth, options.depth_invert), options


def _osc_list(options: argparse.Namespace) -> int:
    from shaderlab.control.listing import address_listing
    from shaderlab.library import EffectLibrary
    from shaderlab.control.namespace import Namespace
    from shaderlab.show import Store, app_settings, scene_to_store

    library = EffectLibrary(options.shaders)
    try:
        sort_spec = library.spec("pixelsort")
    except ShaderlabError:
        sort_spec = None  # no sort settings to list
    store = Store(spec_of=library.spec, settings=app_settings(sort_spec))
    scene_to_store(build_scene(None, options.scene, options.effect), store)
    print(address_listing(Namespace.of(store), as_json=options.json))
    return 0


def _monitors(options: argparse.Namespace) -> int:
    import glfw

    from shaderlab.app.output import monitors

    glfw.ERROR_REPORTING = "ignore"  # no display: the one line below says so
    if not glfw.init():
        raise ShaderlabError("no display to list monitors on (is DISPLAY set, or a desktop session running?)")
    try:
        found = monitors()
    finally:
        glfw.terminate()
    if not found:
        print("no monitors")
    for index, name, (width, height), rate in found:
        print(f"{index:3d}  {name} · {width}×{height} at {rate} Hz")
    print("play --output-monitor INDEX (or a part of the name) puts the output fullscreen there")
    return 0


def _audio_devices(options: argparse.Namespace) -> int:
    from shaderlab.audio.devices import listing

    print(listing())  # without the extra or PortAudio: one line saying what to install, exit 2
    return 0


def _play(options: argparse.Namespace) -> int:
    from shaderlab.app.runner import run_window

    scene_path = options.scene
    if options.image is None and scene_path is None and not options.generate:
        scene_path = demo_scene()
    scene = build_scene(options.image, scene_path, options.effect, options.depth, options.depth_invert)
    if scene.image is None and not options.generate:
        scene.image = demo_image()
    return run_window(scene, options)


if __name__ == "__main__":
    sys.exit(main())
