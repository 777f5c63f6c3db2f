"""Hot reload listens for file events (watchfiles) instead of polling every file (issue 12)."""

from __future__ import annotations

import queue
import time
from pathlib import Path

from shaderlab.show.messages import ShaderChanged, ShaderRemoved
from shaderlab.app.workers import ShaderWatcher

EFFECT = '/*{ "INPUTS": [ {"NAME": "inputImage", "TYPE": "image"} ] }*/\nvoid main() { gl_FragColor = vec4(%s); }\n'


def _next(inbox: queue.Queue, kind: type, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = inbox.get(timeout=0.05)
        except queue.Empty:
            continue
        if isinstance(message, kind):
            return message
    raise AssertionError(f"no {kind.__name__} within {timeout} s")


def test_a_saved_file_is_posted_on_its_event_and_the_thread_stops_at_once(tmp_path: Path):
    effect = tmp_path / "flat.fs"
    effect.write_text(EFFECT % "1.0")
    inbox: queue.Queue = queue.Queue()
    watcher = ShaderWatcher([tmp_path], inbox, interval=60.0)  # a poll would take a minute
    watcher.scan()
    assert _next(inbox, ShaderChanged).spec.name == "flat"
    watcher.start()
    try:
        time.sleep(0.3)  # the watch is set up
        latencies = []
        for value in ("0.5", "0.25", "0.125"):
            saved = time.monotonic()
            effect.write_text(EFFECT % value)
            message = _next(inbox, ShaderChanged)
            latencies.append(time.monotonic() - saved)
            assert message.path == effect and f"vec4({value})" in message.spec.source
        assert max(latencies) < 2.0, latencies  # an event, not the 60 s poll
        effect.unlink()
        assert _next(inbox, ShaderRemoved).path == effect
    finally:
        stopping = time.monotonic()
        watcher.stop()
        watcher.join(timeout=5)
    assert not watcher.is_alive() and time.monotonic() - stopping < 2.0
