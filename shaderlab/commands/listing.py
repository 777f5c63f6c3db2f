"""Commands that list what there is: effects, the OSC address space, monitors, sound devices."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from shaderlab.commands.options import add_effect_options, add_shaders, build_scene
from shaderlab.errors import ShaderlabError

log = logging.getLogger("shaderlab")


def add_parser(commands) -> None:
    effects = commands.add_parser("effects", help="list the effects and their inputs")
    effects.add_argument("--json", action="store_true", help="machine-readable output")
    add_shaders(effects)
    effects.set_defaults(run=_effects)

    osc_list = commands.add_parser("osc-list", help="print the OSC address space of a scene")
    osc_list.add_argument("--scene", type=Path, help="scene file (TOML) whose effects to list")
    osc_list.add_argument("--json", action="store_true", help="the OSCQuery tree as JSON")
    add_shaders(osc_list)
    add_effect_options(osc_list)
    osc_list.set_defaults(run=_osc_list)

    monitors = commands.add_parser("monitors", help="list the monitors an output can go fullscreen on")
    monitors.set_defaults(run=_monitors)

    audio_devices = commands.add_parser("audio-devices", help="list the sound inputs (monitor sources first) and outputs")
    audio_devices.set_defaults(run=_audio_devices)

    cameras = commands.add_parser("cameras", help="list the cameras play --camera can open")
    cameras.set_defaults(run=_cameras)


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
    from shaderlab.app.preferences import Preferences

    remembered = Preferences().get("output", "monitor")
    if not found:
        print("no monitors")
    for index, name, (width, height), rate in found:
        mark = "  ← the output's (remembered)" if remembered == name else ""
        print(f"{index:3d}  {name} · {width}×{height} at {rate} Hz{mark}")
    print("play --output-monitor INDEX (or a part of the name) puts the output fullscreen there and remembers it;")
    print("play --output alone goes back to the monitor remembered" +
          (f" ({remembered})" if remembered else " (none yet: a window)"))
    return 0


def _audio_devices(options: argparse.Namespace) -> int:
    from shaderlab.audio.devices import listing

    print(listing())  # without the extra or PortAudio: one line saying what to install, exit 2
    return 0


def _cameras(options: argparse.Namespace) -> int:
    from shaderlab.media.camera import list_cameras

    found = list_cameras()
    if not found:
        print("no cameras found (Linux lists /dev/video*; on macOS and Windows pass --camera INDEX or NAME)")
    for device, name in found:
        print(f"{device}  {name}")
    print("play --camera DEVICE (or a part of the name) makes it the source")
    return 0
