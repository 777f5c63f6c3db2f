"""Live audio from a sound device (sounddevice, the ``shaderlab[audio]`` extra), read on a
thread of its own and analysed hop by hop; each hop's features go to the app's inbox.

The stream runs in PortAudio's blocking mode, with no Python callback: a callback runs on the
audio system's own thread (JACK's process thread) and must wait there for the GIL, which has hung
shows (see control/midi.py). Our thread reads only what is already there, so it never waits
inside PortAudio either and ``close()`` always returns. When the device fails or goes quiet
mid-show (unplugged, the server gone) the panel says so once and the analysis hears silence at
the pace of the clock until the samples come back.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import numpy as np

from shaderlab.audio.analysis import Analyzer, tempo_text
from shaderlab.audio.devices import Device, choose_input, portaudio, release, sounddevice
from shaderlab.errors import ShaderlabError
from shaderlab.show.commands import Say
from shaderlab.show.messages import AudioHeard

#: No samples for this long: the device is taken to be gone, and silence is heard instead.
STALL_SECONDS = 1.0
#: Lost samples are told at most this often (a busy machine loses some every block).
OVERFLOW_NOTE_SECONDS = 10.0


class DeviceAudio:
    """Listen to ``device`` (an index or a part of its name) and post what it hears each hop."""

    def __init__(self, device: str | int, post: Callable[[Any], None], hop: int = 512):
        self.device: Device = choose_input(device)  # a one-line error for a wrong name, before any thread
        self.post = post
        self.rate = int(round(self.device.rate))
        self.channels = stream_channels(self.device)
        self.analyzer = Analyzer(self.rate, self.channels, hop=hop)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shaderlab-audio-in", daemon=True)
        self.playing = False  # samples are coming in
        self.started: float | None = None  # time.monotonic() when the stream started
        self.latency: float | None = None  # what PortAudio reports for the input (s)

    def start(self) -> "DeviceAudio":
        self._thread.start()
        return self

    def describe(self) -> str:
        heard = tempo_text(self.analyzer)
        state = " (listening)" if self.playing else " (silent)"
        return f"audio in: {self.device.name} · {self.device.host_api} at {self.rate} Hz{state}{heard}"

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _say(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.post(Say(f"audio in: {self.device.name}: {text}", error=error, warning=warning))

    def _feed(self, samples: np.ndarray) -> None:
        for features in self.analyzer.feed(samples):
            self.post(AudioHeard(features))

    def _run(self) -> None:
        with portaudio():  # PortAudio runs while the stream does
            self._capture()

    def _capture(self) -> None:
        sd = sounddevice()
        hop = self.analyzer.hop
        try:
            stream = sd.InputStream(device=self.device.index, samplerate=self.rate, channels=self.channels,
                                    dtype="float32", blocksize=hop)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._say(f"cannot open it ({exc}); the show goes on in silence", error=True)
            return
        self.latency, self.started = float(stream.latency), time.monotonic()
        gone = True
        try:
            gone = self._listen(stream, sd.PortAudioError)
        finally:
            self.playing = False
            release(stream, self.device, gone)

    def _listen(self, stream: Any, device_error: type[Exception]) -> bool:
        """Read until closed; True when the device had failed or gone quiet by then."""
        hop, rate = self.analyzer.hop, self.rate
        heard_at = time.monotonic()  # when samples last came in
        silent_since: float | None = None  # hearing silence in their place since (monotonic)
        silence_fed = 0
        failed = False
        lost_said = -OVERFLOW_NOTE_SECONDS  # when the panel last heard of lost samples
        while not self._stop.is_set():
            available = 0
            if not failed:
                try:
                    available = stream.read_available
                    if available >= hop:
                        data, overflowed = stream.read(available - available % hop)
                        if overflowed and time.monotonic() - lost_said > OVERFLOW_NOTE_SECONDS:
                            lost_said = time.monotonic()
                            self._say("some samples were lost (the computer was too busy)", warning=True)
                except device_error as exc:
                    failed = True
                    self._say(f"stopped ({exc}); the show goes on in silence", error=True)
            now = time.monotonic()
            if available >= hop and not failed:
                if silent_since is not None:
                    self._say("is back")
                    silent_since = None
                heard_at, self.playing = now, True
                self._feed(data)
                continue
            if silent_since is None and now - heard_at > STALL_SECONDS:
                if not failed:
                    self._say(f"nothing heard for {STALL_SECONDS:g} s (unplugged?); silence until it comes back",
                              warning=True)
                silent_since, silence_fed, self.playing = heard_at, 0, False
            if silent_since is not None:  # followers and onsets fall quiet, at the pace of the clock
                due = int((now - silent_since) * rate) - silence_fed
                if due >= hop:
                    due -= due % hop
                    self._feed(np.zeros((due, self.channels), np.float32))
                    silence_fed += due
            self._stop.wait(hop / rate / 4)
        return failed or silent_since is not None


def stream_channels(device: Device) -> int:
    """How many channels to open: stereo where there is, mono otherwise. PortAudio 19.6's JACK
    blocking streams copy two float channels a frame whatever was asked (a FIXME in pa_jack.c),
    so fewer overruns the buffer and corrupts memory: on JACK it is two or nothing."""
    if device.jack:
        if device.inputs < 2:
            raise ShaderlabError(f"the JACK source {device.name!r} has one channel, and PortAudio's JACK streams need two; "
                                 "connect it to a stereo client (jack_connect) and choose that")
        return 2
    return min(device.inputs, 2)
