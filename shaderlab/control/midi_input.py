"""A MIDI input that rtmidi queues in C++ and a thread of ours polls.

mido's rtmidi ports always give rtmidi a Python callback, which rtmidi calls on the MIDI
system's own thread (JACK's process thread): every message then waits there for the GIL, and
while the GL thread holds it through a long draw JACK moves on without that client, and the
messages of the cycles it missed are gone (a knob's last move, clock pulses); and a thread
that holds the GIL while it asks the JACK server for something (opening a port) waits for a
cycle that waits for it: a deadlock. With no callback rtmidi keeps the messages in its own
lock-free queue with the time between them, and :meth:`PolledInput.pending` reads them
without the MIDI system ever waiting for Python.
"""

from __future__ import annotations

from typing import Any

#: Messages rtmidi holds between two polls (a 2 ms poll sees a handful; a stalled one, more).
QUEUE = 4096


class PolledInput:
    """An open input port (``name``: one of rtmidi's port names for ``api``)."""

    def __init__(self, name: str, api: str | None = None, client: str = "shaderlab"):
        import rtmidi

        rtapi = getattr(rtmidi, f"API_{api}", rtmidi.API_UNSPECIFIED) if api else rtmidi.API_UNSPECIFIED
        self._rt = rtmidi.MidiIn(rtapi, client, QUEUE)
        try:
            names = self._rt.get_ports()
            if name not in names:
                raise OSError(f"no input port {name!r}")
            self._rt.open_port(names.index(name), "in")
            # Clock and song position are wanted (the tempo follows them); active sensing is not.
            self._rt.ignore_types(sysex=False, timing=False, active_sense=True)
        except Exception:
            self._rt.delete()
            raise
        self.name = name
        self.closed = False
        self._last: float | None = None  # when the last message read arrived

    def pending(self, now: float) -> list[tuple[float, Any]]:
        """The messages queued since the last call as (arrival time, mido message), oldest
        first, timed by the gaps rtmidi measured as they came in — from the last message read
        before (never later than ``now``), or for the first ones back from ``now`` — so a
        clock's pulses keep their spacing however late the poll was."""
        import mido

        queued: list[tuple[list[int], float]] = []
        while (item := self._rt.get_message()) is not None:
            queued.append(item)
        if not queued:
            return []
        if self._last is None:
            stamps, at = [0.0] * len(queued), now
            for n in range(len(queued) - 1, -1, -1):
                stamps[n], at = at, at - queued[n][1]
        else:
            stamps, at = [], self._last
            for _, gap in queued:
                at = min(at + gap, now)
                stamps.append(at)
        self._last = stamps[-1]
        stamped: list[tuple[float, Any]] = []
        for stamp, (data, _) in zip(stamps, queued):
            try:
                stamped.append((stamp, mido.Message.from_bytes(data)))
            except ValueError:
                pass  # a broken message from the device: dropped, as mido drops it
        return stamped

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        # Closed, not deleted: the surface's thread may still be polling it (a stalled MIDI
        # system), and a deleted rtmidi object crashes the process; it goes when unreferenced.
        self._rt.close_port()
