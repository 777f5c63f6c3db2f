"""A store to a scene file and back: the chain (with slot ids), its base values, the source.

Scenes refuse rather than clamp: a value out of range in a file is reported and the scene is
not loaded, and the show keeps what it had. Only base values are saved; modulation is not.
"""

from __future__ import annotations

from pathlib import Path

from shaderlab.errors import SceneError, ShaderlabError
from shaderlab.scene import EffectEntry, Scene, load_scene, save_scene
from shaderlab.show.modulation import CommandTrigger, Route
from shaderlab.scene import CLIP_MODES
from shaderlab.show.settings import BEATS_PER_BAR, BPM, CLIP_MODE, CLIP_SPEED, LATENCY
from shaderlab.show.slots import validate
from shaderlab.show.store import Store


#: A scene's [tempo] keys and the settings they set.
TEMPO_KEYS = {"bpm": BPM, "beats_per_bar": BEATS_PER_BAR, "latency_ms": LATENCY}


def store_to_scene(store: Store) -> Scene:
    effects = []
    for slot in store.chain.slots:
        values = store.effect_values(slot.id)
        params = {k: v for k, v in values.items() if v is not None}  # an image input left empty
        effects.append(EffectEntry(slot.name, params, slot.enabled, slot.id))
    session = store.session
    has_tempo = bool(store.addresses(BPM))  # a store made without the app's settings has none
    tempo = {key: store.get(address) for key, address in TEMPO_KEYS.items()} if has_tempo else None
    if tempo is not None and not tempo["latency_ms"]:
        del tempo["latency_ms"]
    clip = None
    if session.clip and store.addresses(CLIP_SPEED):
        clip = {"speed": store.get(CLIP_SPEED), "mode": CLIP_MODES[store.get(CLIP_MODE)],
                "cue_points": list(session.cue_points)}
    return Scene(image=session.source, effects=effects, depth=session.depth, depth_invert=session.depth_invert, clip=clip,
                 tempo=tempo, modulation=[route.saved() for route in store.modulation.routes]
                 + [command.saved() for command in store.modulation.commands])


def scene_to_store(scene: Scene, store: Store) -> None:
    """Replace the store's chain, tempo, modulation and source with the scene's; all or
    nothing (a route the new chain cannot take puts the old chain back)."""
    # Their own values, before anything changes: routes on inputs, and commands fired by triggers.
    routes = [Route.loaded(r) for r in scene.modulation if not str(r.get("address", "")).startswith("/")]
    commands = [CommandTrigger.loaded(r) for r in scene.modulation if str(r.get("address", "")).startswith("/")]
    tempo = (scene.tempo or {}) if store.addresses(BPM) else {}
    checked_tempo = [(address, tempo[key]) for key, address in TEMPO_KEYS.items() if key in tempo]
    for address, value in checked_tempo:
        validate(address, store.slot(address).spec, value, clamp=False)
    old_chain = [(s.name, s.id, s.enabled, store.effect_values(s.id)) for s in store.chain.slots]
    old_routes, old_commands = list(store.modulation.routes), list(store.modulation.commands)
    store.replace_chain([(e.name, e.id, e.enabled, e.params) for e in scene.effects])
    try:
        store.modulation.replace(routes, commands)
    except ShaderlabError:
        store.replace_chain(old_chain)
        store.modulation.replace(old_routes, old_commands)
        raise
    for address, value in checked_tempo:
        store.set(address, value)
    session = store.session
    if scene.clip is not None and store.addresses(CLIP_SPEED):
        store.set(CLIP_SPEED, scene.clip["speed"])
        store.set(CLIP_MODE, CLIP_MODES.index(scene.clip["mode"]))
        session.cue_points = list(scene.clip["cue_points"])
    if scene.image is not None:  # a scene of effects only keeps the picture on show
        session.source = scene.image
    session.depth, session.depth_invert = scene.depth, scene.depth_invert


def save_store(store: Store, path: Path) -> None:
    save_scene(store_to_scene(store), Path(path))


def load_store(path: Path, store: Store) -> Scene:
    """Load a scene file into the store (the scene is returned: its picture is the app's to
    open); a value it refuses is named with the file."""
    scene = load_scene(path)
    try:
        scene_to_store(scene, store)
    except SceneError:
        raise
    except ShaderlabError as exc:
        raise SceneError(f"{path}: {exc}") from None
    return scene
