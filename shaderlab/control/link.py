"""Ableton Link: the show joins a Link session on the local network, a peer among Live, Traktor,
Bitwig or a phone app. While the tempo source is Link, the session's tempo and beat drive the
musical clock; a tempo set here (tap, panel, OSC, MIDI) is proposed to the whole session.

aalink (GPL-3.0, the ``link`` extra) runs Link's own threads; this surface reads the session
every 10 ms on a thread of its own and posts the tempo and the beat to the GL thread's inbox,
stamped with the moment they were read.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any, Callable

from shaderlab.control.namespace import Namespace
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.messages import LinkBeat
from shaderlab.show.settings import BEATS_PER_BAR, BPM, LINK, TEMPO_SOURCE
from shaderlab.show.store import Changes

log = logging.getLogger(__name__)

ORIGIN = "link"
#: How often the session is read, and how often its beat is posted (the clock is placed only
#: when it has drifted, so posting more often buys nothing).
POLL_SECONDS, POST_SECONDS = 0.01, 0.05


class LinkSurface:
    def __init__(self, post: Callable[[Any], None], bpm: float = 120.0, quantum: int = 4):
        try:
            import aalink
        except ImportError:
            raise ShaderlabError("Ableton Link needs the link extra: pip install 'shaderlab[link]' "
                                 "(aalink, GPL-3.0)") from None
        self.post = post
        # aalink wants an event loop for its async sync(); the surface only reads and writes
        # the session state, so the loop is never run.
        self._loop = asyncio.new_event_loop()
        self._link = aalink.Link(float(bpm), self._loop)
        self._link.quantum = float(quantum)
        self._link.start_stop_sync_enabled = True
        self._namespace: Namespace | None = None
        self._wanted_bpm: float | None = None  # a tempo set here, to propose to the session
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shaderlab-link", daemon=True)
        self.peers = 0
        self.bpm = float(bpm)

    def start(self) -> "LinkSurface":
        self._link.enabled = True
        self._thread.start()
        return self

    # -- the GL thread's side (ControlHub) ---------------------------------------------------
    def publish(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def changed(self, changes: Changes) -> None:
        if BPM in changes.values and changes.origins.get(BPM) != ORIGIN and self._following():
            self._wanted_bpm = float(changes.values[BPM])

    def describe(self) -> str:
        following = " · the show's tempo follows it" if self._following() else ""
        peers = f"{self.peers} peer{'s' if self.peers != 1 else ''}"
        return f"Ableton Link: {peers}, {self.bpm:.1f} BPM{following}"

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._link.enabled = False
        self._loop.close()

    # -- the surface's thread --------------------------------------------------------------
    def _following(self) -> bool:
        return self._namespace is not None and self._namespace.values.get(TEMPO_SOURCE) == LINK

    def _run(self) -> None:
        link, last_post, playing = self._link, 0.0, None
        posted_bpm: float | None = None
        while not self._stop.wait(POLL_SECONDS):
            try:
                if self._wanted_bpm is not None:
                    link.tempo, self._wanted_bpm = self._wanted_bpm, None
                if self._namespace is not None:
                    quantum = float(self._namespace.values.get(BEATS_PER_BAR, 4))
                    if link.quantum != quantum:
                        link.quantum = quantum
                bpm, beat, stamp = link.tempo, link.beat, time.perf_counter()
                self.peers = link.num_peers
                if not self._following():
                    playing, posted_bpm = None, None
                    self.bpm = bpm
                    continue
                self.bpm = bpm
                # Against the tempo last posted, so that a slow ramp arrives too.
                moved = posted_bpm is None or abs(bpm - posted_bpm) >= 0.005
                if moved or stamp - last_post >= POST_SECONDS:
                    if moved:
                        self.post(c.SetValue(BPM, round(bpm, 3), clamp=True, origin=ORIGIN))
                        posted_bpm = bpm
                    self.post(LinkBeat(bpm, beat, stamp))
                    last_post = stamp
                now_playing = link.playing
                if playing is not None and now_playing != playing:
                    self.post(c.Transport("continue" if now_playing else "stop"))
                playing = now_playing
            except Exception as exc:  # Link's own failure: said once, the show's clock goes on
                log.warning("Ableton Link stopped: %s", exc)
                self.post(c.Say(f"Ableton Link stopped ({exc}); the tempo stays where it was", error=True))
                return
