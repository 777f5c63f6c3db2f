"""``shaderlab play``: the window, with its control surfaces, outputs and sources."""

from __future__ import annotations

import argparse
from pathlib import Path

from shaderlab.commands.options import (add_compute, add_depth_options, add_effect_options, add_frame_timeout, add_shaders,
                                        build_scene, finite, host_port, port, size)
from shaderlab.paths import demo_image, demo_scene


def add_parser(commands) -> None:
    play = commands.add_parser("play", help="open the window on an image or a scene")
    play.add_argument("image", nargs="?", type=Path,
                      help="a picture or a video clip (MP4, MOV, WebM, animated GIF …; default: the bundled demo)")
    sources = play.add_mutually_exclusive_group()
    sources.add_argument("--camera", nargs="?", const="", metavar="INDEX|/dev/videoN|NAME",
                         help="a camera as the source (default: the first; `shaderlab cameras` lists them; "
                              "FORMAT:SPEC opens any FFmpeg input device, e.g. lavfi:testsrc2)")
    sources.add_argument("--ndi-in", metavar="NAME", help="an NDI source on the network as the source (a part of its name)")
    play.add_argument("--camera-size", type=size, metavar="WxH", help="ask the camera for this picture size")
    play.add_argument("--camera-fps", type=finite, metavar="FPS", help="ask the camera for this frame rate")
    play.add_argument("--scene", type=Path, help="scene file (TOML) to open")
    play.add_argument("--set", type=Path, metavar="FILE",
                      help="a set of cues (TOML): GO (enter) plays them in order, with their transitions")
    play.add_argument("--size", type=size, default=(1280, 720), help="window size, WxH")
    play.add_argument("--fullscreen", action="store_true", help="open fullscreen")
    play.add_argument("--output", action="store_true",
                      help="show the clean output in a second window, fullscreen on the monitor chosen last time if "
                           "there was one (the panel's window keeps a preview)")
    play.add_argument("--output-monitor", metavar="NAME|INDEX",
                      help="the output window fullscreen on this monitor (shaderlab monitors lists them)")
    play.add_argument("--ndi", metavar="NAME", help="send the output as an NDI source of this name (the ndi extra)")
    play.add_argument("--virtual-camera", action="store_true",
                      help="send the output to a virtual camera (the camera extra; v4l2loopback on Linux)")
    play.add_argument("--spout", metavar="NAME", help="send the output over Spout (Windows)")
    play.add_argument("--syphon", metavar="NAME", help="send the output over Syphon (macOS)")
    play.add_argument("--output-size", type=size, metavar="WxH",
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
    add_shaders(play)
    add_compute(play)
    add_frame_timeout(play)
    add_depth_options(play)
    add_effect_options(play)
    add_control_options(play)
    play.set_defaults(run=run)


def add_control_options(parser: argparse.ArgumentParser) -> None:
    control = parser.add_argument_group("control surfaces (see README: Playing it from controllers)")
    control.add_argument("--osc", type=port, nargs="?", const=9000, metavar="PORT",
                         help="take OSC on this UDP port (default 9000; 0: any free port)")
    control.add_argument("--osc-host", default="127.0.0.1", metavar="HOST",
                         help="where OSC and OSCQuery listen (default 127.0.0.1; 0.0.0.0 opens them to the network)")
    control.add_argument("--osc-target", type=host_port, action="append", default=[], metavar="HOST:PORT",
                         help="also send every change there as OSC (repeatable)")
    control.add_argument("--oscquery", type=port, nargs="?", const=9001, metavar="PORT",
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


def run(options: argparse.Namespace) -> int:
    from shaderlab.app.runner import run_window

    scene_path = options.scene
    live = options.camera is not None or options.ndi_in is not None
    if options.image is None and scene_path is None and not options.generate and not live:
        scene_path = demo_scene()
    scene = build_scene(options.image, scene_path, options.effect, options.depth, options.depth_invert)
    if scene.image is None and not options.generate and not live:
        scene.image = demo_image()
    return run_window(scene, options)

