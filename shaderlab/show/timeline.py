"""A scene as the headless renderer takes it at any moment: its chain with the values the
modulation gives at that time, and the music's clock — computed as the window does (the same
store, the same modulators), so a render of a scene with LFO routes is the show, frame for
frame, and the same command writes the same frames."""

from __future__ import annotations

from typing import Any, Callable

from shaderlab.errors import SceneError, ShaderlabError
from shaderlab.isf.header import EffectSpec
from shaderlab.scene import Scene
from shaderlab.show.scenes import TEMPO_KEYS, scene_to_store
from shaderlab.show.settings import app_settings
from shaderlab.show.slots import chain_address
from shaderlab.show.store import Store

Chain = list[tuple[str, dict[str, Any]]]


class SceneTimeline:
    def __init__(self, scene: Scene, spec_of: Callable[[str], EffectSpec], where: object = None):
        """``where``: the scene file, named in a refusal (a route or tempo it cannot take)."""
        self.scene = scene
        self.modulated = bool(scene.modulation)
        self._store: Store | None = None
        if self.modulated:  # the store checks the scene's values and routes as loading it in the window does
            self._store = Store(spec_of=spec_of, settings=app_settings(None))
            try:
                scene_to_store(scene, self._store)
            except SceneError:
                raise
            except ShaderlabError as exc:
                raise SceneError(f"{where}: {exc}" if where is not None else str(exc)) from None
            self._clock = self._store.tempo
        else:
            tempo = scene.tempo or {}
            try:  # the tempo settings checked as the window checks them, one line if wrong
                settings = Store(spec_of=spec_of, settings=app_settings(None))
                for key, address in TEMPO_KEYS.items():
                    if key in tempo:
                        settings.set(address, tempo[key])
                settings.beat(0.0)
                self._clock = settings.tempo
            except ShaderlabError as exc:
                raise SceneError(f"{where}: {exc}" if where is not None else str(exc)) from None

    @property
    def lead(self) -> float:
        """Seconds the beat and the sound's analysis run ahead (the scene's latency offset)."""
        if self._store is not None:
            self._store.beat(0.0)  # the clock takes the settings
        return self._clock.lead

    def at(self, time: float, heard: Any = None) -> tuple[Chain, tuple[float, float, float, float]]:
        """The enabled effects with their values at ``time``, and (BPM, BEAT, BEAT_PHASE,
        BAR_PHASE); ``heard``: the audio analysis's features at that time, for followers."""
        if self._store is None:
            beat = self._clock.at(time)
            return self.scene.chain(), (beat.bpm, beat.beat, beat.beat_phase, beat.bar_phase)
        store = self._store
        if heard is not None:
            store.modulation.hear({**heard.levels, "level": heard.level}, {b for b, on in heard.onsets.items() if on})
        beat = store.beat(time)
        resolved = store.resolve(time)
        chain = []
        for slot in store.chain.slots:
            if slot.enabled:
                values = {i.name: resolved[chain_address(slot.id, i.name)] for i in slot.spec.inputs
                          if i.name != "inputImage"}
                chain.append((slot.name, {k: v for k, v in values.items() if v is not None}))
        store.end_frame()
        return chain, (beat.bpm, beat.beat, beat.beat_phase, beat.bar_phase)
