"""Sound devices through sounddevice (the optional extra ``shaderlab[audio]``, on the system's
PortAudio library): the inputs to listen to, monitor/loopback sources first — at a show the
mixer's output is wanted, not the laptop's microphone — and choosing one by index or name.

sounddevice is imported only here and only when asked for: without it the rest of shaderlab
works, and asking for a device says in one line what to install.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Iterator

from shaderlab.errors import ShaderlabError

#: Words in a device's name that say it hears what the computer plays, not a microphone.
MONITOR_WORDS = ("monitor", "loopback", "stereo mix", "what u hear", "what you hear", "wave out mix",
                 "blackhole", "soundflower", "loopbeaudio", "vb-audio", "cable output", "voicemeeter")
JACK_API = "JACK Audio Connection Kit"
#: JACK's own client: its capture ports are the sound card's inputs (everything else a JACK
#: device can be is another program's output, a monitor).
JACK_HARDWARE = "system"
MISSING = ("sound devices need the audio extra and the system's PortAudio library: "
           "pip install 'shaderlab[audio]' and install PortAudio (Debian/Ubuntu: apt install libportaudio2; macOS: brew install portaudio)")


def sounddevice() -> ModuleType:
    """The sounddevice module, or one line saying what to install."""
    try:
        import sounddevice as sd
    except ImportError:
        raise ShaderlabError(MISSING) from None
    except OSError as exc:  # sounddevice is there, the PortAudio library is not
        raise ShaderlabError(f"{MISSING} ({exc})") from None
    return sd


class _PortAudioUsers:
    """PortAudio is one per process: it runs while one of our streams or listings needs it and
    stops when the last is done. Left running, it would stop at exit, when a JACK server it is
    connected to may have gone (PortAudio 19.6 then aborts the process); stopped early, nothing
    is left to do at exit. A stream abandoned to a dead JACK server keeps it running for good."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.abandoned = False


_USERS = _PortAudioUsers()  # mirrors PortAudio's own process-wide state, hence module-level


@contextlib.contextmanager
def portaudio() -> Iterator[ModuleType]:
    """sounddevice, with PortAudio running for as long as the block lasts."""
    sd = sounddevice()
    with _USERS.lock:
        if _USERS.count == 0 and not sd._initialized:
            sd._initialize()
        _USERS.count += 1
    try:
        yield sd
    finally:
        with _USERS.lock:
            _USERS.count -= 1
            if _USERS.count == 0 and not _USERS.abandoned:
                while sd._initialized:
                    sd._terminate()


def rescan() -> None:
    """PortAudio lists its devices once, when it starts: stop it now if nothing of ours uses it,
    so that the next use lists devices (or a JACK server) that appeared since."""
    sd = sounddevice()
    with _USERS.lock:
        if _USERS.count == 0 and not _USERS.abandoned:
            while sd._initialized:
                sd._terminate()


def release(stream: Any, device: "Device", gone: bool) -> None:
    """Stop and close ``stream``. One whose JACK server went away is left as it is: PortAudio
    would wait for the server to acknowledge the stop (for minutes), here and again when it
    closes every stream at exit, so the process could not quit; the system frees it at exit."""
    sd = sounddevice()
    if gone and device.jack:
        atexit.unregister(sd._exit_handler)  # sounddevice's Pa_Terminate at exit would wait too
        _USERS.abandoned = True
        return
    try:
        stream.abort()
        stream.close()
    except sd.PortAudioError:
        pass  # a device that went away cannot be closed cleanly; it is gone either way


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    host_api: str
    inputs: int
    outputs: int
    rate: float  # the device's default sample rate (Hz)
    monitor: bool  # hears what the computer plays (a loopback, a monitor, another JACK program)

    @property
    def jack(self) -> bool:
        return self.host_api == JACK_API

    def line(self) -> str:
        flag = " (monitor)" if self.monitor else ""
        return f"{self.index:3d}  {self.name}{flag} · {self.host_api} · {self.inputs} in · {self.rate:g} Hz"


def is_monitor(name: str, host_api: str) -> bool:
    lowered = name.lower()
    if host_api == JACK_API and name != JACK_HARDWARE:
        return True  # another JACK program's outputs: a mixer, a player, a DAW
    return any(word in lowered for word in MONITOR_WORDS)


def all_devices() -> list[Device]:
    with portaudio() as sd:
        try:
            apis = [api["name"] for api in sd.query_hostapis()]
            found = sd.query_devices()
        except sd.PortAudioError as exc:
            raise ShaderlabError(f"cannot list sound devices: {exc}") from None
    return [Device(int(d["index"]), str(d["name"]), apis[d["hostapi"]], int(d["max_input_channels"]),
                   int(d["max_output_channels"]), float(d["default_samplerate"]),
                   is_monitor(str(d["name"]), apis[d["hostapi"]])) for d in found]


def input_devices() -> list[Device]:
    """Devices that record, monitor/loopback sources first, then in PortAudio's order."""
    inputs = [d for d in all_devices() if d.inputs > 0]
    return sorted(inputs, key=lambda d: (not d.monitor, d.index))


def listing() -> str:
    """What ``shaderlab audio-devices`` prints."""
    inputs = input_devices()
    if not inputs:
        hint = " (is PULSE_SERVER or JACK_DEFAULT_SERVER pointing at a server that runs?)" if (
            os.environ.get("PULSE_SERVER") or os.environ.get("JACK_DEFAULT_SERVER")) else ""
        return f"no sound input devices{hint}"
    lines = ["sound inputs (play --audio-in INDEX or a part of the name; (monitor): what the computer plays):"]
    lines += [f"  {d.line()}" for d in inputs]
    outputs = [d for d in all_devices() if d.outputs > 0]
    if outputs:
        lines.append("sound outputs (play --audio FILE --audio-out INDEX or a part of the name; default: the system's):")
        lines += [f"  {d.index:3d}  {d.name} · {d.host_api} · {d.outputs} out · {d.rate:g} Hz" for d in outputs]
    return "\n".join(lines)


def choose(choice: str | int, devices: list[Device], kind: str = "input") -> Device:
    """``choice``: an index, or a part of a name (any case) that names exactly one device."""
    text = str(choice).strip()
    if text.lstrip("-").isdigit():
        for device in devices:
            if device.index == int(text):
                return device
        found: list[Device] = []
    else:
        found = [d for d in devices if text.lower() in d.name.lower()]
        exact = [d for d in found if d.name.lower() == text.lower()]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0]
    names = ", ".join(f"{d.index}: {d.name}" for d in (found or devices)) or "none"
    what = f"{len(found)} sound {kind}s match {text!r}" if found else f"no sound {kind} {text!r}"
    raise ShaderlabError(f"{what} (there are: {names}); give its index or more of its name (shaderlab audio-devices lists them)")


def choose_input(choice: str | int) -> Device:
    return choose(choice, input_devices())


def choose_output(choice: str | int) -> Device:
    """``"default"``: the system's default output; else as :func:`choose`."""
    devices = [d for d in all_devices() if d.outputs > 0]
    if str(choice).strip().lower() == "default":
        with portaudio() as sd:
            index = sd.default.device[1]
            if index is None or index < 0:
                try:
                    index = sd.query_devices(kind="output")["index"]
                except (sd.PortAudioError, ValueError):
                    raise ShaderlabError("there is no default sound output; choose one with --audio-out "
                                         "(shaderlab audio-devices lists them) or --audio-out none") from None
        for device in devices:
            if device.index == index:
                return device
    return choose(choice, devices, kind="output")
