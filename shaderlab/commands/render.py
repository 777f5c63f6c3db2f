"""``shaderlab render``: effects over a picture (or a scene) headless — one PNG, an animation,
or a show log replayed."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np

from shaderlab.commands.options import (add_compute, add_depth_options, add_effect_options, add_frame_timeout, add_shaders,
                                        build_scene, finite, size)
from shaderlab.errors import ShaderlabError
from shaderlab.io.depth import estimate_depth_builtin, load_depth
from shaderlab.io.images import LoadedImage, load_image
from shaderlab.io.save import png_bytes
from shaderlab.media.clip import is_clip
from shaderlab.media.offline import frame_numbers
from shaderlab.render.watchdog import FrameWatch
from shaderlab.scene import Scene

log = logging.getLogger("shaderlab")


def add_parser(commands) -> None:
    render = commands.add_parser("render", help="render a picture or a clip through effects, headless")
    render.add_argument("input", nargs="?", type=Path,
                        help="a picture or a video clip (or the scene's source); a clip renders every frame")
    render.add_argument("-o", "--output", type=Path, required=True, help="file to write: .png, .mp4, .gif or a folder")
    render.add_argument("--scene", type=Path, help="scene file (TOML): source and effects")
    render.add_argument("--time", type=finite, default=0.0, help="TIME in seconds (default 0)")
    render.add_argument("--size", type=size, help="output size WxH (default: the input's)")
    render.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists (PNG only)")
    render.add_argument("--frames", type=int, help="render an animation of this many frames (to .mp4, .gif or a folder); "
                                                   "with a clip, resampled by time at --fps")
    render.add_argument("--fps", type=finite, help="frames per second of the animation (default 30; a clip's own rate)")
    render.add_argument("--audio", type=Path, metavar="FILE",
                        help="a soundtrack: effects' audio/audioFFT inputs hear it at each frame's time, "
                             "and a video gets it muxed in (WAV; FLAC/MP3 with the video extra)")
    render.add_argument("--replay", type=Path, metavar="SHOWLOG",
                        help="render a show logged with play --show-log again, frame for frame "
                             "(at the live output's size, or --size)")
    add_shaders(render)
    add_compute(render)
    add_depth_options(render)
    add_effect_options(render)
    add_frame_timeout(render)
    render.set_defaults(run=_render, watched=True)


def _render(options: argparse.Namespace) -> int:
    if getattr(options, "replay", None) is not None:
        return _render_replay(options)
    scene = build_scene(options.input, options.scene, options.effect, options.depth, options.depth_invert)
    if scene.image is None and options.size is None:
        raise ShaderlabError("render needs an INPUT image (or a --scene with a source image, or --size for a generator)")
    if scene.image is not None and is_clip(scene.image) and options.output.suffix.lower() != ".png":
        return render_clip(scene, options)
    if options.frames is not None or options.output.suffix.lower() != ".png":
        return _render_animation(scene, options)
    return _render_scene(
        scene, options.output, options.overwrite, options.time, options.size, options.shaders, _estimator(options),
        options.watch, options.scene, _soundtrack(options), options.compute,
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
    options.fps = options.fps or 30.0
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
    with Renderer(options.shaders, vet=False, watch=options.watch, compute=options.compute) as renderer:
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
    options.fps = options.fps or 30.0
    check_fps(options.fps)
    shaders = [*options.shaders, *(Path(p) for p in head.get("shaders", []) if Path(p).is_dir())]
    size = options.size or live_size(head)
    sound = _soundtrack(options)  # ISF audio inputs hear the track at each logged frame's time
    with Renderer(shaders, vet=False, compute=options.compute) as renderer:
        if max(size) > renderer.max_texture_size:
            raise ShaderlabError(f"--size {size[0]}x{size[1]} is more than this GL can draw "
                                 f"({renderer.max_texture_size} pixels a side)")
        with renderer.ctx:  # current for the replay (the size check above let it go)
            replay = Replay(renderer.ctx, renderer.programs, live_size(head), options.size)
            with FrameWriter(output, size, options.fps, audio=options.audio if kind == "video" else None) as writer:
                try:
                    for state in tqdm(states, unit="frame", desc=output.name, disable=None):
                        try:
                            pixels = replay.frame(state, _heard_at(sound, state))
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


def _heard_at(sound, state) -> tuple[np.ndarray, np.ndarray] | None:
    """What ISF audio inputs heard at a logged frame: the track at the frame's time, as far
    ahead as the show's latency offset read it (None without a track)."""
    if sound is None:
        return None
    from shaderlab.show.settings import LATENCY

    sound.offset = float(state.values.get(LATENCY, 0.0) or 0.0) / 1000.0
    heard = sound.at(state.time)
    return (heard.waveform, heard.fft) if heard is not None else None


def _soundtrack(options: argparse.Namespace):
    """The --audio file's analysis, run as the frames go (None without one)."""
    if getattr(options, "audio", None) is None:
        return None
    from shaderlab.audio.files import OfflineAudio, read_audio

    return OfflineAudio(*read_audio(options.audio))


def _render_scene(
    scene: Scene, output: Path, overwrite: bool, time: float, size, shaders: list[Path], estimator=None,
    watch: FrameWatch | None = None, scene_path: Path | None = None, sound=None, compute: bool = False,
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
        with Renderer(shaders, vet=False, watch=watch, compute=compute) as renderer:  # the supervisor watches
            loaded = _source(scene, size, renderer.max_texture_size, time)
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


def _source(scene: Scene, size: tuple[int, int] | None, max_side: int, time: float = 0.0) -> LoadedImage:
    """The scene's image (a clip's frame at ``time``), or with none a black canvas of ``size``
    for generators to draw on."""
    if scene.image is not None and is_clip(scene.image):
        from shaderlab.media.clip import Clip

        with Clip(scene.image, max_side) as clip:
            return LoadedImage(clip.frame(frame_numbers(clip.info.frames, clip.info.fps, 1, None, time)[0]), scene.image)
    if scene.image is not None:
        return load_image(scene.image, max_side)
    width, height = size
    return LoadedImage(np.zeros((height, width, 3), np.uint8), Path(f"blank {width}x{height}"))


def render_clip(scene: Scene, options: argparse.Namespace) -> int:
    """A clip through the chain, frame for frame: every input frame at the clip's rate (TIME =
    n / fps), or ``--frames N --fps F`` resampled by time; the same command writes the same
    frames. Decoding runs ahead on a thread, encoding on the writer's; depth, where an effect
    reads it, is estimated for each frame (or taken from --depth-model)."""
    from tqdm import tqdm

    from shaderlab.io.export import FrameWriter, check_fps, check_new, export_kind
    from shaderlab.media.clip import Clip
    from shaderlab.media.offline import decoded
    from shaderlab.render.renderer import Renderer
    from shaderlab.show.timeline import SceneTimeline

    output: Path = options.output
    kind = export_kind(output)
    check_new(output)
    if options.fps is not None:
        check_fps(options.fps)
    if options.frames is not None and options.frames < 1:
        raise ShaderlabError("--frames must be at least 1")
    if scene.depth is not None:
        raise ShaderlabError("--depth is one picture's depth map; a clip's depth is estimated for each frame "
                             "(or give --depth-model)")
    estimator = _estimator(options)
    with Renderer(options.shaders, vet=False, watch=options.watch, compute=options.compute) as renderer, \
            Clip(scene.image, renderer.max_texture_size, pixel_format="rgba") as clip:
        for warning in clip.warnings:
            log.warning("%s", warning)
        info = clip.info
        fps = options.fps or info.fps
        numbers = frame_numbers(info.frames, info.fps, options.frames, options.fps, options.time)
        size = options.size or info.size
        timeline = SceneTimeline(scene, renderer.library.spec, options.scene)
        sound = _soundtrack(options)
        if sound is not None:
            sound.offset = timeline.lead
        with FrameWriter(output, size, fps, audio=options.audio if kind == "video" else None) as writer:
            progress = tqdm(total=len(numbers), unit="frame", desc=output.name, disable=None)
            for n, pixels in enumerate(decoded(clip, numbers)):
                time = options.time + n / fps
                heard = sound.at(time) if sound is not None else None
                chain, tempo = timeline.at(time, heard)
                depth = estimator.estimate(pixels[..., :3]) if estimator is not None else None
                audio = (heard.waveform, heard.fft) if heard is not None else None
                writer.write(renderer.render(pixels, chain, time, options.size, depth=depth, tempo=tempo, audio=audio))
                progress.update()
            progress.close()
    log.info("wrote %s (%d frames of %s, %d×%d, %g fps)", output, writer.frames_written, info.path.name, size[0], size[1], fps)
    return 0
