"""Audio for the live show, on a thread of its own: a sound file played alongside the show
(analysed at the pace it plays; heard through the speakers with the sounddevice extra), each
hop's features posted to the app's inbox. The GL thread only uploads the newest."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from shaderlab.audio.analysis import Analyzer
from shaderlab.audio.files import read_audio
from shaderlab.show.messages import AudioHeard

log = logging.getLogger(__name__)


class FileAudio:
    """Play ``path`` alongside the show, looping, and post what it hears each hop."""

    def __init__(self, path: Path, post: Callable[[Any], None], loop: bool = True):
        self.samples, self.rate = read_audio(path)  # a one-line error for a bad file, before any thread
        self.path, self.post, self.loop = Path(path), post, loop
        self.analyzer = Analyzer(self.rate, self.samples.shape[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shaderlab-audio", daemon=True)
        self.playing = False
        self.started: float | None = None

    def start(self) -> "FileAudio":
        self._thread.start()
        return self

    def describe(self) -> str:
        tempo = self.analyzer.tempo()
        heard = f" · tempo heard {tempo[0]:.1f} BPM ({tempo[1]:.0%} sure)" if tempo else ""
        return f"audio: {self.path.name} at {self.rate} Hz{' (playing)' if self.playing else ''}{heard}"

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        hop, rate = self.analyzer.hop, self.rate
        start, position = time.monotonic(), 0
        self.started = start  # when the file's first sample played (time.monotonic)
        self.playing = True
        while not self._stop.is_set():
            if position >= len(self.samples):
                if not self.loop:
                    break
                start, position = time.monotonic(), 0
            # Analyse what has played by now, a hop at a time, at the pace of the sound.
            due = int((time.monotonic() - start) * rate)
            while position + hop <= min(due, len(self.samples)):
                for features in self.analyzer.feed(self.samples[position:position + hop]):
                    self.post(AudioHeard(features))
                position += hop
            self._stop.wait(hop / rate / 2)
        self.playing = False
