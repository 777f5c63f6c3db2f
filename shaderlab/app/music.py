"""What follows the music on the GL thread: the tempo clock's commands (tap, nudge, resync,
transport), where the tempo comes from (the audio heard, Ableton Link), modulation routes and
the commands triggers fire, and the live audio's newest analysis for the stage's textures.
One handler a command or message, merged into the dispatch table (app/dispatch.py)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable

from shaderlab.control.namespace import commands_for
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show import messages as m
from shaderlab.show.modulation import CommandTrigger, Route
from shaderlab.show.settings import AUDIO_TEMPO, BPM, LINK, TEMPO_SOURCE
from shaderlab.show.tempo import HeardTempo, TapTempo
from shaderlab.show.tempo import follow_link as follow

if TYPE_CHECKING:
    from shaderlab.app.window import ShaderlabWindow


class Music:
    def __init__(self, app: "ShaderlabWindow"):
        self.app = app
        self.taps = TapTempo()
        self.heard_tempo = HeardTempo()
        self.link_beat: m.LinkBeat | None = None  # the Link session's newest reading, for the next frame
        self.audio: Any = None  # the newest live audio features, for the stage's textures

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        app = self.app
        return {
            c.TapTempo: self._tap,
            c.NudgeBeat: lambda cmd: app.store.tempo.nudge(float(cmd.beats), app.now.time),
            c.Resync: lambda _: app.store.tempo.resync(app.now.time),
            c.Transport: self._transport,
            c.Modulate: self._modulate,
            c.Unmodulate: lambda cmd: app.store.modulation.remove(cmd.address),
            c.Trigger: lambda cmd: app.store.modulation.trigger(cmd.name, cmd.gate),
            c.RecordGesture: self._record_gesture,
            m.AudioHeard: self._heard,
            m.LinkBeat: self._link_beat,
        }

    def _transport(self, command: c.Transport) -> None:
        tempo, now = self.app.store.tempo, self.app.now.time
        if command.action == "start":
            tempo.start(now, from_beat=0.0)
        elif command.action == "continue":
            tempo.start(now)
        elif command.action == "stop":
            tempo.stop(now)
        elif command.action == "position":
            tempo.place(command.beat, now)

    def _heard(self, message: m.AudioHeard) -> None:
        """The live audio's newest hop: followers and onsets now, textures once a frame."""
        features = message.features
        self.audio = features
        onsets = {band for band, on in features.onsets.items() if on}
        store = self.app.store
        store.modulation.hear({**features.levels, "level": features.level}, onsets)
        if store.get(TEMPO_SOURCE) != AUDIO_TEMPO:
            return
        if features.tempo is not None:  # once a second: taken only when sure and steady
            bpm = self.heard_tempo.estimate(*features.tempo, current=store.tempo.bpm)
            if bpm is not None:
                store.set(BPM, bpm, clamp=True, origin="audio")
                self.app.report(f"tempo {bpm:.1f} BPM (heard, {self.heard_tempo.confidence:.0%} sure)")
        if "bass" in onsets:
            self.heard_tempo.onset(store.tempo, self.app.now.time)

    def _modulate(self, command: c.Modulate) -> None:
        route = dict(command.route)
        if not str(route.get("address", "")).startswith("/"):
            self.app.store.modulation.add(Route.loaded(route))
            return
        trigger = CommandTrigger.loaded(route)
        commands_for(self.app.hub.namespace, trigger.address, list(trigger.args))  # a wrong one: one line now
        self.app.store.modulation.add_command(trigger)

    def fire_triggered(self, t: float) -> None:
        """The commands whose trigger fired in this frame, carried out at once (after the render,
        as a key pressed now would be)."""
        for trigger in self.app.store.modulation.fired(t):
            try:
                for command in commands_for(self.app.hub.namespace, trigger.address, list(trigger.args), "trigger"):
                    self.app.dispatch.handle(command)
            except ShaderlabError as exc:
                self.app.report(str(exc), error=True)

    def _record_gesture(self, command: c.RecordGesture) -> None:
        self.app.store.modulation.record(command.address, int(command.bars), self.app.now.time)
        bars = f"{command.bars} bar{'s' if command.bars > 1 else ''}"
        self.app.report(f"{command.address}: recording {bars} of the hand from the next bar line")

    def _link_beat(self, message: m.LinkBeat) -> None:
        """The Link session's newest reading: the clock follows it once the frame's time is known."""
        self.link_beat = message

    def follow_link(self, t: float) -> None:
        """Place the clock on the Link session's beat at this frame's moment ``t`` (just ticked)."""
        message, self.link_beat = self.link_beat, None
        if message is not None and self.app.store.get(TEMPO_SOURCE) == LINK:
            follow(self.app.store.tempo, round(message.bpm, 3), message.beat_at(time.perf_counter()), t)

    def _tap(self, _: c.TapTempo) -> None:
        bpm = self.taps.tap(self.app.now.time)
        if bpm is not None:
            self.app.store.set(BPM, round(bpm, 2), clamp=True)
            self.app.report(f"tempo {bpm:.1f} BPM (tapped)")
