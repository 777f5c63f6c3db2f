"""Run inside a private network namespace by tests/test_link.py (never on the machine's real
interfaces): another Link peer (a process of its own, as Live or a phone app would be) and the
show's Link surface, store and clock. Prints one JSON line of what each side saw."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import time

sys.path.insert(0, sys.argv[1])  # the tests folder

from show_fixtures import make_store  # noqa: E402

from shaderlab.control.hub import ControlHub  # noqa: E402
from shaderlab.control.link import LinkSurface  # noqa: E402
from shaderlab.show import commands as c  # noqa: E402
from shaderlab.show import messages as m  # noqa: E402
from shaderlab.show.settings import BPM, LINK, TEMPO_SOURCE  # noqa: E402
from shaderlab.show.tempo import follow_link  # noqa: E402

PEER = """
import asyncio, json, sys, time, aalink
link = aalink.Link(133.0, asyncio.new_event_loop())
link.quantum = 4
link.enabled = True
start = time.perf_counter()
while time.perf_counter() - start < 9.0:
    time.sleep(0.05)
    if 3.0 < time.perf_counter() - start < 3.1:
        link.tempo = 140.0
    beat, t = link.beat, time.perf_counter()
    print(json.dumps({"t": t, "beat": beat, "tempo": link.tempo, "peers": link.num_peers}), flush=True)
"""


def main() -> None:
    peer = subprocess.Popen([sys.executable, "-c", PEER], stdout=subprocess.PIPE, text=True)
    store = make_store()
    hub = ControlHub(store)
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    surface = hub.add(LinkSurface(inbox.put, 120.0, 4).start())
    store.set(TEMPO_SOURCE, LINK)
    store.end_frame()  # the hub publishes the setting: the surface follows the session
    t0 = time.perf_counter()
    placed, proposed = 0, False
    ours: list[tuple[float, float]] = []  # (perf_counter, our beat) each frame
    while time.perf_counter() - t0 < 8.0:  # frames at 60 Hz, as the window drains its inbox
        time.sleep(1 / 60)
        now = time.perf_counter() - t0
        while True:
            try:
                item = inbox.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, c.SetValue):
                c.apply(store, item)
            elif isinstance(item, m.LinkBeat):  # as the window's music.follow_link (app/music.py) does
                placed += follow_link(store.tempo, round(item.bpm, 3), item.beat_at(t0 + now), now)
        store.beat(now)  # the clock follows the BPM slot, as each frame does
        if now > 6.0 and not proposed:  # the performer taps 100 BPM here: the session takes it
            store.set(BPM, 100.0, origin="panel")
            proposed = True
        store.end_frame()
        ours.append((t0 + now, store.tempo.beat_at(now)))
    describe = surface.describe()  # while the other peer is still there
    seen = [json.loads(line) for line in peer.communicate(timeout=10)[0].splitlines()]
    hub.close()
    print(json.dumps({"ours": ours, "peer": seen, "bpm_here": store.get(BPM), "placed": placed,
                      "describe": describe}))


main()
