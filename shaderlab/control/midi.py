"""MIDI controllers (mido + python-rtmidi, the optional extra ``live``): learn, play, feedback.

Input is queued by rtmidi (in C++, no Python on the MIDI system's threads: see
:mod:`shaderlab.control.midi_input`) and polled every 2 ms by a thread of this surface: each
mapped control becomes a command in the app's inbox (origin "midi", so its own moves are not
echoed back). Values that moved elsewhere go back out to the mapped controls, once a frame.
Ports are found by name (a part of it is enough); one that goes away is looked for again every
second, and the show is told. Mappings live in a controller profile (TOML).
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from shaderlab.control.midi_mapping import (
    Control, Decoder, Mapping, MappingError, Slew, feedback_messages, learned, relative_ticks, shaped, span,
    takes_over, to_position, to_value,
)
from shaderlab.control.midi_input import PolledInput
from shaderlab.control.namespace import ACTIONS, PREFIX, ControlError, Namespace, commands_for
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.settings import BPM, MIDI_CLOCK, TEMPO_SOURCE
from shaderlab.show.tempo import ClockFollower
from shaderlab.show.store import Changes

log = logging.getLogger(__name__)

ORIGIN = "midi"
#: MIDI's real-time and song position messages: the tempo clock's, not mappings'.
TRANSPORT = ("clock", "start", "stop", "continue", "songpos")
#: How long a learn waits for the LSB of a 14-bit pair after its MSB.
PAIR_WINDOW = 0.03
#: Seconds between looks for a port that went away.
RECONNECT = 1.0
TICK = 0.005  # slew steps and port checks
#: How often the input is polled (the latency it adds is half this on average).
POLL = 0.002

Post = Callable[[c.Command], None]


@dataclass
class MidiStatus:
    inputs: str = ""
    output: str = ""
    learning: str | None = None
    last: str = ""
    #: The ports there are (looked at every second): inputs, outputs.
    available: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    mappings: tuple[tuple[str, str], ...] = ()  # (address, control)
    options: tuple[dict, ...] = ()  # each mapping's saved form, in the same order


def mido_backend(name: str | None = None) -> Any:
    """mido's rtmidi backend (``name``: an API such as ``UNIX_JACK``; default: mido's choice)."""
    try:
        import mido
        import rtmidi  # noqa: F401
    except ImportError:
        raise ShaderlabError("MIDI needs mido and python-rtmidi: pip install 'shaderlab[live]'") from None
    return mido.Backend(f"mido.backends.rtmidi/{name}" if name else "mido.backends.rtmidi", load=True)


class MidiSurface:
    def __init__(self, post: Post, input_name: str | None, output_name: str | None = None,
                 profile: Path | None = None, api: str | None = None):
        self.post = post
        self.backend = mido_backend(api)
        self.api = api
        self._listers: tuple[Any, Any] | None = None  # made on the surface's thread
        self.input_name, self.output_name = input_name, output_name
        self.profile = profile
        self.namespace = Namespace()
        self.status = MidiStatus()
        self.mappings: dict[tuple[str, int, int], Mapping] = {}
        self._decoder = Decoder()
        self._follower = ClockFollower()
        self._sent_bpm: float | None = None
        self._slews: dict[str, Slew] = {}
        self._feedback: queue.SimpleQueue[Changes] = queue.SimpleQueue()
        self._learning: str | None = None
        self._pending_pair: tuple[Control, float, float] | None = None  # an MSB heard while learning
        self._input: Any = None
        self._output: Any = None
        self._stop = threading.Event()
        self._next_look = 0.0
        self._wanted: tuple[str | None, str | None] | None = None
        self._thread = threading.Thread(target=self._run, name="shaderlab-midi", daemon=True)
        if profile is not None and Path(profile).is_file():
            self.load_profile(Path(profile))

    def start(self) -> "MidiSurface":
        """Start the surface's thread, which opens the ports (making a MIDI client can take
        tens of milliseconds with the GIL held: never on the GL thread)."""
        self._thread.start()
        return self

    def describe(self) -> str:
        s = self.status
        line = f"MIDI in: {s.inputs or '—'}"
        if self.output_name:
            line += f" · out: {s.output or '—'}"
        line += f" · {len(self.mappings)} mapped"
        if s.learning:
            line += f" · learning {s.learning}: move a control"
        return line + (f" · last: {s.last}" if s.last else "")

    # -- the GL thread's side --------------------------------------------------------------
    def publish(self, namespace: Namespace) -> None:
        self.namespace = namespace

    def changed(self, changes: Changes) -> None:
        if any(m.address in changes.values for m in self.mappings.values()):
            self._feedback.put(changes)

    def learn(self, address: str | None) -> None:
        """Map the next control moved to ``address`` (None: stop learning)."""
        self._learning = address
        self._pending_pair = None
        self.status.learning = address

    def choose(self, input_name: str | None, output_name: str | None) -> None:
        """Play from other ports (the panel's picker): the surface's thread reconnects."""
        self._wanted = (input_name, output_name)
        self._next_look = 0.0

    def configure(self, address: str, options: dict[str, Any]) -> None:
        """Change a mapping's options (from the panel): checked as a profile's would be."""
        for key, mapping in list(self.mappings.items()):
            if mapping.address != address:
                continue
            saved = mapping.saved()
            relative = options.pop("relative", None)
            if relative is not None and mapping.control.kind in ("cc", "relative"):
                saved["kind"] = "relative" if relative else "cc"
            try:
                self.mappings[key] = Mapping.loaded({**saved, **options})
            except MappingError as exc:
                raise ShaderlabError(f"MIDI: {exc}") from None
        self._refresh_status()

    def unmap(self, address: str) -> None:
        for key in [k for k, m in self.mappings.items() if m.address == address]:
            del self.mappings[key]
        self._refresh_status()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for port in (self._input, self._output, *(self._listers or ())):
            if port is not None:
                try:
                    port.close() if hasattr(port, "closed") else port.delete()
                except Exception:  # noqa: BLE001 - a port gone already
                    pass

    # -- profiles --------------------------------------------------------------------------
    def load_profile(self, path: Path) -> None:
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib

        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            mappings = [Mapping.loaded(item) for item in data.get("mapping", [])]
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ShaderlabError(f"{path}: cannot read the MIDI profile ({exc})") from None
        except MappingError as exc:
            raise ShaderlabError(f"{path}: {exc}") from None
        self.mappings = {m.control.key(): m for m in mappings}
        self._refresh_status()

    def save_profile(self, path: Path | None = None) -> Path:
        import tomli_w

        from shaderlab.io.atomic import write_new

        target = Path(path or self.profile or default_profile(self.input_name or "controller"))
        data = {"device": self.input_name or "", "mapping": [m.saved() for m in self.mappings.values()]}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ShaderlabError(f"{target.parent}: cannot make the folder for MIDI profiles ({exc.strerror or exc})") from None
        write_new(target, tomli_w.dumps(data).encode(), overwrite=True)  # written beside, then moved
        return target

    # -- the surface's thread --------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._connect(first=True)
        except Exception as exc:  # noqa: BLE001 - said, and the show goes on without MIDI
            self.post(c.Say(f"MIDI: cannot start ({exc}); is the MIDI system running? (--midi-api chooses ALSA or JACK)",
                            error=True))
            return
        last = time.monotonic()
        while not self._stop.is_set():
            self._stop.wait(POLL)
            now = time.monotonic()
            try:
                for stamped in self._pending(now):
                    self._message(stamped, now)
                self._finish_pair(now)
                self._step_slews(now - last)
                self._send_feedback()
                if now >= self._next_look:
                    self._connect()
            except Exception as exc:  # noqa: BLE001 - the surface must outlive any message
                log.exception("MIDI handling failed")
                self.post(c.Say(f"MIDI: {type(exc).__name__}: {exc}", error=True))
            last = now

    def _pending(self, now: float) -> list[tuple[float, Any]]:
        """The messages the input has queued, stamped with their arrival (none without an
        input; a port gone says so)."""
        port = self._input
        if port is None:
            return []
        try:
            return port.pending(now)
        except Exception as exc:  # noqa: BLE001 - the device went away mid-read
            self._lost("input", exc)
            return []

    def _message(self, stamped: tuple[float, Any], now: float) -> None:
        stamp, message = stamped
        raw = message.dict()
        if raw["type"] in TRANSPORT:
            self._clock(raw, stamp)
            return
        self.status.last = str(message)[:60]
        wide = {(m.control.channel, m.control.number) for m in self.mappings.values() if m.control.kind == "cc14"}
        if self._learning is not None:
            wide |= {(ch, n) for ch in range(16) for n in range(32)}  # a pair may be coming
        for control, position in self._decoder.decode(raw, wide):
            if self._learning is not None:
                self._learn(control, position, raw, now)
                continue
            mapping = self.mappings.get(control.key())
            if mapping is not None and (mapping.control.kind == control.kind or mapping.control.kind == "relative"):
                self._play(mapping, position, raw)

    def _clock(self, raw: dict, stamp: float) -> None:
        """MIDI clock in, when the show's tempo is set to follow it: the tempo from the pulses
        (stamped as they arrived), and start / stop / continue / song position."""
        if self.namespace.values.get(TEMPO_SOURCE) != MIDI_CLOCK:
            return
        kind = raw["type"]
        if kind == "clock":
            bpm = self._follower.pulse(stamp)
            if bpm is not None and (self._sent_bpm is None or abs(bpm - self._sent_bpm) >= 0.05):
                self._sent_bpm = bpm
                self.post(c.SetValue(BPM, round(bpm, 2), origin=ORIGIN))
        elif kind == "start":
            self._follower.start()
            self.post(c.Transport("start"))
        elif kind in ("stop", "continue"):
            self.post(c.Transport(kind))
        else:  # songpos: sixteenths
            self._follower.song_position(raw["pos"])
            self.post(c.Transport("position", self._follower.beat))

    def _learn(self, control: Control, position: float, raw: dict, now: float) -> None:
        if control.kind == "cc14":
            return  # decided by _finish_pair once the LSB comes (or not)
        if control.kind == "cc" and control.number < 32:
            self._pending_pair = (control, position, now)
            return
        if control.kind == "cc" and 32 <= control.number < 64 and self._pending_pair is not None:
            msb = self._pending_pair[0]
            if msb.channel == control.channel and msb.number == control.number - 32:
                self._pending_pair = None
                self._map(Control("cc14", control.channel, msb.number))
                return
        if control.kind == "note" and position == 0:
            return  # the release of the pad that was learned
        self._map(control)

    def _finish_pair(self, now: float) -> None:
        if self._pending_pair is not None and now - self._pending_pair[2] > PAIR_WINDOW:
            control, _, _ = self._pending_pair
            self._pending_pair = None
            self._map(control)

    def _map(self, control: Control) -> None:
        address = self._learning
        if address is None:
            return
        spec = self.namespace.slots.get(address)
        mapping = learned(control, address, spec)
        self.mappings = {k: m for k, m in self.mappings.items() if m.address != address}
        self.mappings[control.key()] = mapping
        self.learn(None)
        self._refresh_status()
        self.post(c.Say(f"MIDI: {control.describe()} plays {address}"))

    def _play(self, mapping: Mapping, position: float, raw: dict) -> None:
        address = mapping.address
        if address == f"{PREFIX}/trigger":  # a pad held opens envelopes, let go closes them
            self.post(c.Trigger("hit", position > 0))
            return
        if address in ACTIONS:  # a pad or key that fires a command of the app
            if position > 0:
                for command in commands_for(self.namespace, address, [], ORIGIN):
                    self.post(command)
            return
        spec = self.namespace.slots.get(address)
        if spec is None:
            return  # mapped to an effect not in this chain
        if mapping.control.kind == "relative":
            ticks = relative_ticks(raw.get("value", 64), mapping.encoding)
            low, high = span(mapping, spec)
            self.post(c.Nudge(address, ticks * mapping.step * (high - low) * (-1 if mapping.invert else 1)))
            return
        if mapping.control.kind == "note":
            self._note(mapping, spec, position > 0)
            return
        current = to_position(self.namespace.values.get(address), mapping, spec)
        if not takes_over(mapping, position, current):
            return
        value_position = shaped(position, mapping)
        if mapping.slew > 0 and spec.type in ("float", "long"):
            slew = self._slews.get(address)
            if slew is None:
                start = current if current is not None else value_position
                slew = self._slews[address] = Slew(mapping.slew, shaped(start, mapping) if current is not None else start)
            slew.toward(value_position)
            return
        self.post(c.SetValue(address, to_value(value_position, mapping, spec), origin=ORIGIN))

    def _note(self, mapping: Mapping, spec: Any, pressed: bool) -> None:
        address = mapping.address
        if spec.type == "event":
            if pressed:
                self.post(c.Pulse(address))
        elif mapping.note_mode == "toggle" or spec.type == "bool" and mapping.note_mode != "momentary":
            if pressed:
                self.post(c.Toggle(address))
        elif mapping.note_mode == "trigger":
            if pressed:
                self.post(c.Reset(address))
        else:  # momentary: the value while held, the range's start when let go
            self.post(c.SetValue(address, to_value(1.0 if pressed else 0.0, mapping, spec), origin=ORIGIN))

    def _step_slews(self, dt: float) -> None:
        for address, slew in list(self._slews.items()):
            mapping = next((m for m in self.mappings.values() if m.address == address), None)
            spec = self.namespace.slots.get(address)
            if mapping is None or spec is None:
                del self._slews[address]
                continue
            self.post(c.SetValue(address, to_value(slew.step(dt), mapping, spec), origin=ORIGIN))
            if slew.settled:
                del self._slews[address]

    def _send_feedback(self) -> None:
        merged: dict[str, Any] = {}
        origins: dict[str, str] = {}
        while True:
            try:
                changes = self._feedback.get_nowait()
            except queue.Empty:
                break
            merged.update(changes.values)
            origins.update(changes.origins)
        if not merged:
            return
        import mido

        for mapping in self.mappings.values():
            address = mapping.address
            if address not in merged or origins.get(address) == ORIGIN:
                continue
            mapping.picked_up = False  # moved elsewhere: the control picks it up again
            spec = self.namespace.slots.get(address)
            position = to_position(merged[address], mapping, spec) if spec is not None else None
            if position is None or self._output is None or mapping.control.kind == "relative":
                continue
            for raw in feedback_messages(mapping, position):
                try:
                    self._output.send(mido.Message(**raw))
                except Exception as exc:  # noqa: BLE001 - the device went away
                    self._lost("output", exc)
                    return

    # -- ports -----------------------------------------------------------------------------
    def _connect(self, first: bool = False) -> None:
        self._next_look = time.monotonic() + RECONNECT
        self.status.available = (self._names(True), self._names(False))
        if self._wanted is not None:
            (self.input_name, self.output_name), self._wanted = self._wanted, None
            for port in (self._input, self._output):
                if port is not None:
                    port.close()
            self._input = self._output = None
            self.status.inputs = self.status.output = ""
            first = True  # say it once if the chosen port is not there
        if self.input_name and (self._input is None or self._input.closed or not self._present(self._input.name, True)):
            self._input = self._open(self.input_name, True, first)
        if self.output_name and (self._output is None or self._output.closed or not self._present(self._output.name, False)):
            self._output = self._open(self.output_name, False, first)

    def _names(self, inputs: bool) -> tuple[str, ...]:
        """The ports there are, through two clients kept open for it: mido's listing makes a
        new client each time, which under JACK holds the GIL for ~50 ms (a visible hiccup
        every second); asking a client that exists takes well under a millisecond."""
        if self._listers is None:
            import rtmidi

            api = getattr(rtmidi, f"API_{self.api}", rtmidi.API_UNSPECIFIED) if self.api else rtmidi.API_UNSPECIFIED
            self._listers = (rtmidi.MidiIn(api, "shaderlab-ports"), rtmidi.MidiOut(api, "shaderlab-ports"))
        return tuple(self._listers[0 if inputs else 1].get_ports())

    def _present(self, name: str, is_input: bool) -> bool:
        names = self._names(is_input)
        if name in names:
            return True
        self._lost("input" if is_input else "output", None)
        return False

    def _open(self, wanted: str, is_input: bool, first: bool) -> Any:
        names = self._names(is_input)
        found = [n for n in names if wanted == n] or [n for n in names if wanted.lower() in n.lower()]
        kind = "input" if is_input else "output"
        if not found:
            if first:
                listed = ", ".join(names) or "none"
                self.post(c.Say(f"MIDI: no {kind} port like {wanted!r} (there are: {listed}); "
                                "it is looked for again every second", warning=True))
            return None
        if self._stop.is_set():
            return None  # closing: never open a port nobody will close
        try:
            # Input: no Python callback on the MIDI system's thread (see PolledInput).
            port = PolledInput(found[0], self.api) if is_input else self.backend.open_output(found[0])
        except Exception as exc:  # noqa: BLE001 - rtmidi raises its own errors
            self.post(c.Say(f"MIDI: cannot open {kind} {found[0]!r} ({exc})", error=True))
            return None
        if self._stop.is_set():  # close() ran while the port was opening
            port.close()
            return None
        if is_input:
            self.status.inputs = found[0]
        else:
            self.status.output = found[0]
        if not first:
            self.post(c.Say(f"MIDI: {kind} {found[0]!r} is back"))
        return port

    def _lost(self, kind: str, error: BaseException | None) -> None:
        port = self._input if kind == "input" else self._output
        if port is None:
            return
        try:
            port.close()
        except Exception:  # noqa: BLE001
            pass
        if kind == "input":
            self._input, self.status.inputs = None, ""
        else:
            self._output, self.status.output = None, ""
        self.post(c.Say(f"MIDI: the {kind} port {port.name!r} went away; waiting for it to come back", warning=True))

    def _refresh_status(self) -> None:
        self.status.mappings = tuple((m.address, m.control.describe()) for m in self.mappings.values())
        self.status.options = tuple(m.saved() for m in self.mappings.values())


def default_profile(device: str) -> Path:
    """~/.config/shaderlab/midi/<device>.toml (a name safe as a file name)."""
    import os

    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", device).strip("_") or "controller"
    return base / "shaderlab" / "midi" / f"{name}.toml"


__all__ = ["ControlError", "MidiSurface", "default_profile", "mido_backend"]
