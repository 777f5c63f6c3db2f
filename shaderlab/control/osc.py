"""OSC over UDP (python-osc's packet codec): messages in become commands in the app's inbox,
changes go out to the controllers that asked for them.

The receiver thread turns each datagram into commands with the namespace the GL thread last
published (a bundle is one Batch: applied at one frame). A bad message is one line in the
panel, at most one a second (with how many more were like it), never an exception on the
thread. The sender thread sends, once a frame, every value that changed to each registered
controller and configured target, except to the surface the change came from.

Listens on 127.0.0.1 unless told otherwise: anyone who can reach the port can play the show.
"""

from __future__ import annotations

import logging
import math
import queue
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket, ParseError

from shaderlab.control.namespace import PREFIX, ControlError, Namespace, commands_for, osc_address
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.store import Changes

log = logging.getLogger(__name__)

REGISTER = f"{PREFIX}/feedback/register"
UNREGISTER = f"{PREFIX}/feedback/unregister"
#: Errors told in the panel at most this often (the rest are counted).
ERROR_INTERVAL = 1.0
#: Datagrams taken in one go (a flood is read in batches and coalesced before translating).
BATCH = 2000
#: Bytes of datagrams the system may hold for the receiver (a flood of 10,000 a second).
RECEIVE_BUFFER = 4 * 1024 * 1024
#: Keep each feedback datagram under this many bytes (one per frame unless a lot moved).
DATAGRAM = 8192

Post = Callable[[c.Command], None]


@dataclass
class OscStatus:
    listening: str = ""
    received: int = 0
    last: str = ""
    clients: tuple[str, ...] = ()


class ErrorLimiter:
    """One line a second at most; the lines held back are counted into the next."""

    def __init__(self, post: Post, interval: float = ERROR_INTERVAL):
        self.post, self.interval = post, interval
        self._last = -interval
        self._held = 0
        self._lock = threading.Lock()

    def __call__(self, text: str) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.interval:
                self._held += 1
                return
            held, self._held, self._last = self._held, 0, now
        more = f" (and {held} more bad messages since the last one told)" if held else ""
        self.post(c.Say(text + more, error=True))


class OscServer:
    def __init__(self, post: Post, host: str = "127.0.0.1", port: int = 9000,
                 targets: Iterable[tuple[str, int]] = ()):
        self.post = post
        self.namespace = Namespace()  # replaced whole by the GL thread (publish)
        self.status = OscStatus()
        self._say = ErrorLimiter(post)
        self._clients: dict[tuple[str, int], str] = {}  # feedback address → origin name
        self._targets = [(h, int(p)) for h, p in targets]
        self._out: queue.SimpleQueue[Changes | None] = queue.SimpleQueue()
        self._socket = _bind(host, port)
        self.port = self._socket.getsockname()[1]
        self.status.listening = f"{host}:{self.port}"
        self._stop = threading.Event()
        self._receiver = threading.Thread(target=self._receive, name="shaderlab-osc-in", daemon=True)
        self._sender = threading.Thread(target=self._send, name="shaderlab-osc-out", daemon=True)

    def describe(self) -> str:
        s = self.status
        line = f"OSC on {s.listening} · {s.received} received"
        if s.last:
            line += f" · last: {s.last}"
        targets = len(s.clients) + len(self._targets)
        return line + (f" · feedback to {targets}" if targets else "")

    def start(self) -> "OscServer":
        self._receiver.start()
        self._sender.start()
        return self

    # -- the GL thread's side --------------------------------------------------------------
    def publish(self, namespace: Namespace) -> None:
        self.namespace = namespace

    def changed(self, changes: Changes) -> None:
        if self._clients or self._targets:
            self._out.put(changes)

    def close(self) -> None:
        self._stop.set()
        self._out.put(None)
        try:
            self._socket.close()
        except OSError:
            pass
        for thread in (self._receiver, self._sender):
            if thread.is_alive():
                thread.join(timeout=2)

    # -- receiving -------------------------------------------------------------------------
    def _receive(self) -> None:
        self._socket.settimeout(0.2)
        while not self._stop.is_set():
            try:
                batch = [self._socket.recvfrom(65536)]
            except socket.timeout:
                continue
            except OSError:
                return  # closed
            batch += self._waiting()
            kept = _coalesced(batch)
            self.status.received += len(batch) - len(kept)  # the moves a newer one replaced
            for data, sender in kept:
                try:
                    self._datagram(data, sender)
                except Exception as exc:  # noqa: BLE001 - the receiver must outlive any message
                    log.exception("OSC message failed")
                    self._say(f"OSC from {sender[0]}:{sender[1]}: could not be handled ({type(exc).__name__}: {exc})")

    def _waiting(self, most: int = BATCH) -> list[tuple[bytes, Any]]:
        """The datagrams already queued behind the first, without waiting for more."""
        out = []
        try:
            self._socket.settimeout(0.0)  # a socket with a timeout would wait for it first
            for _ in range(most):
                out.append(self._socket.recvfrom(65536))
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            return out  # closed: the loop ends on its next receive
        try:
            self._socket.settimeout(0.2)
        except OSError:
            pass
        return out

    def _datagram(self, data: bytes, sender: tuple[str, int]) -> None:
        quick = _one_number(data)
        if quick is not None:
            messages = [quick]
        else:
            try:
                messages = [timed.message for timed in OscPacket(data).messages]
            except ParseError as exc:
                self._say(f"OSC from {sender[0]}:{sender[1]}: not an OSC packet ({exc})")
                return
        origin = f"osc:{sender[0]}:{sender[1]}"
        commands: list[c.Command] = []
        namespace = self.namespace
        for message in messages:
            self.status.received += 1
            self.status.last = f"{message.address} {' '.join(map(str, message.params))}"[:80]
            if message.address in (REGISTER, UNREGISTER):
                self._register(message.address == REGISTER, sender, message.params, origin)
                continue
            try:
                commands += commands_for(namespace, message.address, message.params, origin)
            except ControlError as exc:
                self._say(f"OSC: {exc}")
        if len(messages) > 1:
            self.post(c.Batch(tuple(commands)))  # a bundle: one frame applies all of it
        else:
            for command in commands:
                self.post(command)

    def _register(self, on: bool, sender: tuple[str, int], params: list, origin: str) -> None:
        port = int(params[0]) if params and isinstance(params[0], int) and 0 < params[0] < 65536 else sender[1]
        where = (sender[0], port)
        if on:
            self._clients[where] = origin
            self.post(c.Say(f"OSC: sending changes to {where[0]}:{where[1]}"))
        else:
            self._clients.pop(where, None)
        self.status.clients = tuple(f"{h}:{p}" for h, p in self._clients)

    # -- sending ---------------------------------------------------------------------------
    def _send(self) -> None:
        while True:
            changes = self._out.get()
            if changes is None:
                return
            try:
                self._feedback(changes)
            except Exception:  # noqa: BLE001 - a bad value must not end feedback
                log.exception("OSC feedback failed")

    def _feedback(self, changes: Changes) -> None:
        destinations = {**{t: "" for t in self._targets}, **self._clients}
        for where, origin in destinations.items():
            messages = [osc_message(osc_address(a), v) for a, v in changes.values.items()
                        if not origin or changes.origins.get(a) != origin]
            for datagram in _datagrams([m for m in messages if m is not None]):
                try:
                    self._socket.sendto(datagram, where)
                except OSError as exc:  # a controller gone away: told once a second at most
                    self._say(f"OSC feedback to {where[0]}:{where[1]} failed ({exc.strerror or exc})")
                    break


@dataclass(frozen=True)
class _Message:
    address: str
    params: list


def _one_number(data: bytes) -> _Message | None:
    """The common knob move — one message with one float or int — read without the general
    parser (a controller may send thousands a second); None: anything else."""
    end = data.find(b"\0")
    if end <= 0 or data[0] != 0x2F:  # "/"
        return None
    tags = (end + 4) & ~3
    if len(data) != tags + 8:
        return None
    kind = data[tags:tags + 4]
    if kind == b",f\0\0":
        value: float | int = struct.unpack_from(">f", data, tags + 4)[0]
    elif kind == b",i\0\0":
        value = struct.unpack_from(">i", data, tags + 4)[0]
    else:
        return None
    try:
        return _Message(data[:end].decode("ascii"), [value])
    except UnicodeDecodeError:
        return None


def _coalesced(batch: list[tuple[bytes, Any]]) -> list[tuple[bytes, Any]]:
    """Of a batch of datagrams, every one but the knob moves (one finite number) that a newer
    one to the same address from the same sender replaces — no other kind of message between
    them — in their order. A flood of moves is then one translation per slot, not thousands."""
    out: list[tuple[bytes, Any]] = []
    moves: dict[tuple[str, Any], int] = {}  # (address, sender) → index in out, since the last other message
    for data, sender in batch:
        quick = _one_number(data)
        if quick is None or not math.isfinite(quick.params[0]):
            moves.clear()
            out.append((data, sender))
            continue
        key = (quick.address, sender)
        if key in moves:
            out[moves[key]] = (data, sender)  # the newest value, where the first one stood
        else:
            moves[key] = len(out)
            out.append((data, sender))
    return out


def osc_message(address: str, value: Any) -> Any:
    """An OSC message for a slot's value (None: a cleared image input, nothing to send)."""
    if value is None:
        return None
    builder = OscMessageBuilder(address)
    for item in value if isinstance(value, tuple) else (value,):
        if isinstance(item, bool):
            builder.add_arg(item, OscMessageBuilder.ARG_TYPE_TRUE if item else OscMessageBuilder.ARG_TYPE_FALSE)
        elif isinstance(item, int):
            builder.add_arg(item, OscMessageBuilder.ARG_TYPE_INT)
        elif isinstance(item, float):
            builder.add_arg(item, OscMessageBuilder.ARG_TYPE_FLOAT)
        else:
            builder.add_arg(str(item), OscMessageBuilder.ARG_TYPE_STRING)
    return builder.build()


def _datagrams(messages: list) -> list[bytes]:
    """One message alone, or bundles of several, each under DATAGRAM bytes."""
    if len(messages) == 1:
        return [messages[0].dgram]
    out, bundle, size = [], OscBundleBuilder(IMMEDIATELY), 16
    for message in messages:
        if size + message.size + 4 > DATAGRAM and size > 16:
            out.append(bundle.build().dgram)
            bundle, size = OscBundleBuilder(IMMEDIATELY), 16
        bundle.add_content(message)
        size += message.size + 4
    if size > 16:
        out.append(bundle.build().dgram)
    return out


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    # Room for a burst while the receiver waits for the GIL (the system may grant less).
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ShaderlabError(f"OSC cannot listen on {host}:{port} ({exc.strerror or exc}); "
                             "choose another port with --osc PORT") from None
    return sock
