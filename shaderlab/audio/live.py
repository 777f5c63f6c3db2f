"""Audio for the live show, on a thread of its own: a sound file played alongside the show,
heard through a sound device (the sounddevice extra) or silently, analysed at the pace it plays;
each hop's features posted to the app's inbox. The GL thread only uploads the newest.

Heard, the file is written to the device in PortAudio's blocking mode (no Python callback on the
audio system's thread, see audio/capture.py), only as much as the device has room for, so the
thread never waits inside PortAudio; what has been written minus the output's latency is what
the room hears, and that is what gets analysed. Silent, the monotonic clock paces it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from shaderlab.audio.analysis import Analyzer, tempo_text
from shaderlab.audio.files import read_audio
from shaderlab.errors import ShaderlabError
from shaderlab.show.commands import Say
from shaderlab.show.messages import AudioHeard

log = logging.getLogger(__name__)

#: The device took nothing for this long: it is taken to be gone, and the clock paces instead.
STALL_SECONDS = 1.0


class FileAudio:
    """Play ``path`` alongside the show, looping, and post what it hears each hop. ``output``: a
    sound device to hear it through (an index, a part of its name, or "default"); None plays it
    silently, paced by the clock."""

    def __init__(self, path: Path, post: Callable[[Any], None], loop: bool = True, output: str | int | None = None):
        self.samples, self.rate = read_audio(path)  # a one-line error for a bad file, before any thread
        self.path, self.post, self.loop, self.output = Path(path), post, loop, output
        self.analyzer = Analyzer(self.rate, self.samples.shape[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shaderlab-audio", daemon=True)
        self.playing = False
        self.started: float | None = None
        self.heard_on: str | None = None  # the output device's name while it plays there
        #: Seconds the analysis runs ahead of what plays (the show's latency offset: the file is
        #: known, so its sound can be analysed before it is heard).
        self.lead = 0.0

    def start(self) -> "FileAudio":
        self._thread.start()
        return self

    def describe(self) -> str:
        heard = tempo_text(self.analyzer)
        where = f" on {self.heard_on}" if self.heard_on else ""
        return f"audio: {self.path.name} at {self.rate} Hz{' (playing' + where + ')' if self.playing else ''}{heard}"

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _say(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.post(Say(f"audio: {text}", error=error, warning=warning))

    def _analyse_until(self, position: int, due: int) -> int:
        """Feed whole hops from ``position`` up to ``due`` (frames of the file played so far,
        counting loops); returns the new position."""
        hop, length = self.analyzer.hop, len(self.samples)
        while position + hop <= due:
            indices = np.arange(position, position + hop) % length
            for features in self.analyzer.feed(self.samples[indices]):
                self.post(AudioHeard(features))
            position += hop
        return position

    def _run(self) -> None:
        self.started = time.monotonic()  # when the file's first sample played (time.monotonic)
        self.playing = True
        position = 0
        try:
            if self.output is not None:
                position = self._play_heard()
            if position is not None:
                self._pace_by_clock(position)
        finally:
            self.playing = False

    def _pace_by_clock(self, position: int) -> None:
        """Analyse what has played by now, a hop at a time, at the pace of the sound; looping on
        without a seam (a file's length is seldom a whole number of hops)."""
        hop, rate, length = self.analyzer.hop, self.rate, len(self.samples)
        start = time.monotonic() - position / rate
        if position == 0:  # silently from the start (no output, or it could not open): the sound starts now
            self.started = start
        while not self._stop.is_set():
            due = int((time.monotonic() - start + self.lead) * rate)
            position = self._analyse_until(position, due if self.loop else min(due, length))
            if not self.loop and position + hop > length:
                break
            self._stop.wait(hop / rate / 2)

    def _play_heard(self) -> int | None:
        """Play through the output device; the position reached when it must fall back to the
        clock (could not open, failed, stalled), or None when done."""
        from shaderlab.audio.devices import portaudio

        try:
            with portaudio():  # PortAudio runs while the stream does
                return self._play_on_device()
        except ShaderlabError as exc:  # no sounddevice or PortAudio at all
            self._say(f"not heard ({exc}); playing silently alongside the show", warning=True)
            return 0

    def _play_on_device(self) -> int | None:
        from shaderlab.audio.devices import choose_output, release, sounddevice

        try:
            sd = sounddevice()
            device = choose_output(self.output)
            stream, sound, out_rate = _open_output(sd, device, self.samples, self.rate)
        except ShaderlabError as exc:
            self._say(f"not heard ({exc}); playing silently alongside the show", warning=True)
            return 0
        self.heard_on = device.name
        fell_back: int | None = 0
        try:
            fell_back = self._write(stream, sound, out_rate, sd.PortAudioError)
            return fell_back
        finally:
            self.heard_on = None
            release(stream, device, gone=fell_back is not None)

    def _write(self, stream: Any, sound: np.ndarray, out_rate: int, device_error: type[Exception]) -> int | None:
        block, length, rate = 1024, len(sound), self.rate
        latency = float(stream.latency)
        written = 0  # frames given to the device, counting loops
        position = 0  # frames of the file analysed, counting loops
        took_at = time.monotonic()  # when the device last took samples
        while not self._stop.is_set():
            finished = not self.loop and written >= length
            try:
                room = 0 if finished else stream.write_available
                start = written % length
                count = min(room, length - start, 4 * block, length - written if not self.loop else length)
                if count >= min(block, length - start):  # whole blocks, and the file's last few frames
                    stream.write(sound[start:start + count])
                    written += count
                    took_at = time.monotonic()
            except device_error as exc:
                self._say(f"the sound output stopped ({exc}); playing silently alongside the show", error=True)
                return position
            now = time.monotonic()
            if not finished and now - took_at > STALL_SECONDS:
                self._say(f"the sound output took nothing for {STALL_SECONDS:g} s; playing silently alongside the show",
                          warning=True)
                return position
            played = written / out_rate - latency + (now - took_at if finished else 0.0)
            due = int((min(played, written / out_rate) + self.lead) * rate)
            if not self.loop:
                due = min(due, len(self.samples))
            position = self._analyse_until(position, due)
            if finished and position + self.analyzer.hop > len(self.samples):
                return None
            self._stop.wait(block / out_rate / 4)
        return None


def _open_output(sd: Any, device: Any, samples: np.ndarray, rate: int) -> tuple[Any, np.ndarray, int]:
    """An output stream on ``device`` and the file's samples as it takes them (its channels, its
    rate: the file's where it can, else the device's own, resampled)."""
    # PortAudio 19.6's JACK blocking streams take two float channels a frame whatever is asked
    # (see audio/capture.py): on JACK always stereo.
    channels = 2 if device.jack else max(1, min(samples.shape[1], device.outputs))
    sound = samples if samples.shape[1] == channels else np.repeat(samples.mean(axis=1, keepdims=True), channels, axis=1)
    sound = np.ascontiguousarray(sound, np.float32)
    errors: list[str] = []
    for out_rate in dict.fromkeys((rate, int(round(device.rate)))):
        resampled = sound if out_rate == rate else _resample(sound, rate, out_rate)
        try:
            stream = sd.OutputStream(device=device.index, samplerate=out_rate, channels=channels, dtype="float32")
            stream.start()
            return stream, resampled, out_rate
        except (sd.PortAudioError, ValueError) as exc:
            errors.append(f"{out_rate} Hz: {exc}")
    raise ShaderlabError(f"cannot open {device.name!r}: {'; '.join(errors)}")


def _resample(sound: np.ndarray, rate: int, out_rate: int) -> np.ndarray:
    """Linear resampling: enough to hear the show's music on a device at another rate (the
    analysis runs on the file's own samples)."""
    count = int(round(len(sound) * out_rate / rate))
    source = np.arange(len(sound)) / rate
    target = np.arange(count) / out_rate
    return np.stack([np.interp(target, source, sound[:, c]) for c in range(sound.shape[1])], axis=1).astype(np.float32)
