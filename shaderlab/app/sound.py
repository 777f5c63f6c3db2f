"""What the show hears: a sound file played alongside it (``--audio``), a sound input
(``--audio-in``, or one chosen in the panel while playing), or nothing.

Listing devices and opening one run on worker threads — PortAudio can take a while to start
(longer under JACK) — and reach the GL thread as messages; the source being replaced is closed
on a worker too, so switching never holds up a frame.
"""

from __future__ import annotations

import argparse
import threading
from typing import Any, Callable

from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show import messages as m


class Sound:
    def __init__(self, post: Callable[[Any], None], report: Callable[..., None]):
        self.post, self.report = post, report
        self.source: Any = None  # a FileAudio or a DeviceAudio (shaderlab.audio), or None
        #: Sound inputs as last listed: (index, name), monitor sources first.
        self.inputs: tuple[tuple[int, str], ...] = ()
        self.listed = False

    def start(self, options: argparse.Namespace) -> None:
        """The source the command line asks for (a wrong file or device: one line, silence)."""
        try:
            if getattr(options, "audio", None) is not None:
                from shaderlab.audio.live import FileAudio

                output = getattr(options, "audio_out", None)  # default: the system's output; none: silently
                self.source = FileAudio(options.audio, self.post,
                                        output=None if str(output).lower() == "none" else output).start()
            elif getattr(options, "audio_in", None) is not None:
                from shaderlab.audio.capture import DeviceAudio

                self.source = DeviceAudio(options.audio_in, self.post).start()
                self.report(f"audio in: listening to {self.source.device.name}")
        except ShaderlabError as exc:
            self.report(str(exc), error=True)

    @property
    def playing(self) -> str:
        """What is heard, in a few words (the panel's picker shows it)."""
        device = getattr(self.source, "device", None)
        if device is not None:
            return f"{device.index}: {device.name}"
        return f"file: {self.source.path.name}" if self.source is not None else ""

    def lead(self, seconds: float) -> None:
        """The latency offset: a sound file is analysed that far ahead of what plays (a sound
        input cannot be: only the beat is read ahead for it)."""
        if hasattr(self.source, "lead"):
            self.source.lead = seconds

    def describe(self) -> tuple[str, ...]:
        return (self.source.describe(),) if self.source is not None else ()

    # -- the panel's picker ----------------------------------------------------------------
    def list_inputs(self) -> None:
        """List the sound inputs on a worker; the answer comes as an AudioInputs message."""
        def run() -> None:
            try:
                from shaderlab.audio.devices import input_devices

                devices = input_devices()
            except ShaderlabError as exc:
                self.post(c.Say(str(exc), error=True))
                return
            self.post(m.AudioInputs(tuple((d.index, d.name + (" (monitor)" if d.monitor else "")) for d in devices)))

        threading.Thread(target=run, name="shaderlab-audio-list", daemon=True).start()

    def listed_inputs(self, message: m.AudioInputs) -> None:
        self.inputs, self.listed = message.devices, True

    def choose(self, device: int | None) -> None:
        """Listen to input ``device`` (None: to nothing); opened on a worker."""
        if device is None:
            self.switched(m.AudioSwitched(None))
            return

        def run() -> None:
            try:
                from shaderlab.audio.capture import DeviceAudio

                self.post(m.AudioSwitched(DeviceAudio(device, self.post).start()))
            except ShaderlabError as exc:
                self.post(c.Say(str(exc), error=True))

        threading.Thread(target=run, name="shaderlab-audio-open", daemon=True).start()

    def switched(self, message: m.AudioSwitched) -> None:
        """The new source is open: it replaces the old one, which closes on a worker."""
        old, self.source = self.source, message.source
        if old is not None:
            threading.Thread(target=old.close, name="shaderlab-audio-close", daemon=True).start()
        self.report(f"audio in: listening to {self.source.device.name}" if self.source is not None
                    else "audio: the show hears nothing now")

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
            self.source = None
