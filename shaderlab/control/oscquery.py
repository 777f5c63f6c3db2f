"""The show's address space as an OSCQuery server (github.com/Vidvox/OSCQueryProposal).

One port serves both halves, as the proposal asks: plain HTTP GETs answer JSON (the tree with
TYPE, RANGE, VALUE, ACCESS, DESCRIPTION; ``?HOST_INFO``; ``?VALUE`` and the other attributes
one at a time), and a WebSocket on the same port takes ``LISTEN``/``IGNORE`` commands and
streams the listened values as binary OSC messages, once a frame, with ``PATH_ADDED`` and
``PATH_REMOVED`` when effects come and go. OSC messages a client sends over the WebSocket are
taken like UDP ones. It runs an asyncio loop on a thread of its own (websockets).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from shaderlab.control.namespace import ACTIONS, PREFIX, ControlError, Namespace, commands_for, osc_address
from shaderlab.control.osc import ErrorLimiter, osc_message
from shaderlab.errors import ShaderlabError
from shaderlab.isf.header import InputSpec
from shaderlab.show import commands as c
from shaderlab.show.slots import TEXT
from shaderlab.show.store import Changes

log = logging.getLogger(__name__)
#: websockets' own lines ("server listening on …", each connection) stay out of the panel and
#: the terminal; its warnings and errors still come through.
_SERVER_LOG = logging.getLogger(f"{__name__}.websockets")
_SERVER_LOG.setLevel(logging.WARNING)

#: OSCQuery ACCESS values.
WRITE, READ_WRITE = 2, 3
ATTRIBUTES = ("VALUE", "TYPE", "RANGE", "ACCESS", "DESCRIPTION", "CONTENTS", "FULL_PATH", "CLIPMODE")
EXTENSIONS = {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True, "TYPE": True, "CLIPMODE": True,
              "LISTEN": True, "PATH_ADDED": True, "PATH_REMOVED": True, "PATH_CHANGED": False, "TAGS": False,
              "EXTENDED_TYPE": False, "UNIT": False, "CRITICAL": False, "OVERLOADS": False, "HTML": False}


@dataclass
class QueryStatus:
    listening: str = ""
    clients: int = 0


class OscQueryServer:
    def __init__(self, post: Callable[[c.Command], None], host: str = "127.0.0.1", port: int = 9001,
                 osc_port: int | None = None, advertise: bool = False, name: str = "shaderlab"):
        self.post, self.host, self.osc_port, self.name = post, host, osc_port, name
        self.namespace = Namespace()
        self.status = QueryStatus()
        self._say = ErrorLimiter(post)
        self._advertise = advertise
        self._listening: dict[ServerConnection, set[str]] = {}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self._zeroconf: Any = None
        self.port = port
        self._thread = threading.Thread(target=self._run, name="shaderlab-oscquery", daemon=True)

    def describe(self) -> str:
        return f"OSCQuery on http://{self.status.listening}/ · {self.status.clients} connected"

    def start(self) -> "OscQueryServer":
        self._thread.start()
        self._ready.wait(timeout=10)
        if self._failure is not None:
            raise ShaderlabError(f"OSCQuery cannot listen on {self.host}:{self.port} ({self._failure}); "
                                 "choose another port with --oscquery PORT") from None
        self.status.listening = f"{self.host}:{self.port}"
        if self._advertise:
            self._register_zeroconf()
        return self

    # -- the GL thread's side --------------------------------------------------------------
    def publish(self, namespace: Namespace) -> None:
        old, self.namespace = self.namespace, namespace
        if old.slots.keys() != namespace.slots.keys() and self._listening:
            added = [a for a in namespace.slots if a not in old.slots]
            removed = [a for a in old.slots if a not in namespace.slots]
            self._loop.call_soon_threadsafe(self._paths_changed, added, removed, namespace)

    def changed(self, changes: Changes) -> None:
        if self._listening:
            self._loop.call_soon_threadsafe(self._stream, changes)

    def close(self) -> None:
        if self._zeroconf is not None:
            try:
                self._zeroconf.close()
            except Exception:  # noqa: BLE001 - closing must not fail the exit
                log.exception("zeroconf close failed")
        if self._stop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    # -- the server thread -----------------------------------------------------------------
    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        try:
            server = await serve(self._connected, self.host, self.port, process_request=self._http,
                                 max_size=2**20, ping_interval=None, logger=_SERVER_LOG)
        except OSError as exc:
            self._failure = exc.strerror or exc
            self._ready.set()
            return
        self.port = server.sockets[0].getsockname()[1] if server.sockets else self.port
        self._ready.set()
        async with server:
            await self._stop.wait()

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return None  # a LISTEN client: on to the handshake
        parts = urlsplit(request.path)
        path = unquote(parts.path).rstrip("/") or "/"
        query = parts.query
        try:
            body = self._answer(path, query)
        except KeyError:
            return _json_response(HTTPStatus.NOT_FOUND, {"error": f"no {path} in the show"})
        if body is None:
            return _json_response(HTTPStatus.NO_CONTENT, None)
        return _json_response(HTTPStatus.OK, body)

    def _answer(self, path: str, query: str) -> Any:
        if query == "HOST_INFO":
            info = {"NAME": self.name, "EXTENSIONS": EXTENSIONS, "OSC_IP": self.host, "OSC_TRANSPORT": "UDP",
                    "WS_IP": self.host, "WS_PORT": self.port}
            if self.osc_port is not None:
                info["OSC_PORT"] = self.osc_port
            return info
        node = tree(self.namespace, path)
        if not query:
            return node
        attribute = query.split("&")[0]
        if attribute not in ATTRIBUTES:
            raise KeyError(attribute)
        return {attribute: node[attribute]} if attribute in node else None

    async def _connected(self, connection: ServerConnection) -> None:
        self._listening[connection] = set()
        self.status.clients = len(self._listening)
        try:
            async for message in connection:
                if isinstance(message, bytes):
                    self._osc(message)
                else:
                    self._command(connection, message)
        except ConnectionClosed:
            pass
        finally:
            self._listening.pop(connection, None)
            self.status.clients = len(self._listening)

    def _command(self, connection: ServerConnection, text: str) -> None:
        try:
            command = json.loads(text)
            verb, path = command["COMMAND"], command.get("DATA", "")
        except (ValueError, KeyError, TypeError):
            self._say(f"OSCQuery: a client sent {text[:60]!r}, not a command like {{\"COMMAND\": \"LISTEN\", \"DATA\": \"/path\"}}")
            return
        if verb == "LISTEN":
            self._listening[connection].add(path)
        elif verb == "IGNORE":
            self._listening[connection].discard(path)

    def _osc(self, data: bytes) -> None:
        from pythonosc.osc_packet import OscPacket, ParseError

        try:
            messages = [timed.message for timed in OscPacket(data).messages]
        except ParseError as exc:
            self._say(f"OSCQuery: a client sent a binary message that is not OSC ({exc})")
            return
        for message in messages:
            try:
                for command in commands_for(self.namespace, message.address, message.params, "oscquery"):
                    self.post(command)
            except ControlError as exc:
                self._say(f"OSCQuery: {exc}")

    def _stream(self, changes: Changes) -> None:
        for connection, paths in list(self._listening.items()):
            for address, value in changes.values.items():
                full = osc_address(address)
                if full in paths and changes.origins.get(address) != "oscquery":
                    message = osc_message(full, value)
                    if message is not None:
                        asyncio.ensure_future(_send(connection, message.dgram))

    def _paths_changed(self, added: list[str], removed: list[str], namespace: Namespace) -> None:
        notes = [{"COMMAND": "PATH_ADDED", "DATA": tree(namespace, osc_address(a))} for a in added]
        notes += [{"COMMAND": "PATH_REMOVED", "DATA": osc_address(a)} for a in removed]
        for connection in list(self._listening):
            for note in notes:
                asyncio.ensure_future(_send(connection, json.dumps(note)))

    def _register_zeroconf(self) -> None:
        import socket

        try:
            from zeroconf import ServiceInfo, Zeroconf
        except ImportError:
            self.post(c.Say("OSCQuery: advertising needs zeroconf: pip install 'shaderlab[live]'; clients can still "
                            f"connect to {self.host}:{self.port}", warning=True))
            return

        address = socket.inet_aton("127.0.0.1" if self.host in ("0.0.0.0", "") else self.host)
        info = ServiceInfo("_oscjson._tcp.local.", f"{self.name}._oscjson._tcp.local.", port=self.port,
                           addresses=[address], server=f"{self.name}.local.")
        try:
            self._zeroconf = Zeroconf(interfaces=[socket.inet_ntoa(address)])
            self._zeroconf.register_service(info)
        except Exception as exc:  # noqa: BLE001 - advertising is optional: say so, serve on
            self._zeroconf = None
            self.post(c.Say(f"OSCQuery: could not advertise on the network ({exc}); clients can still connect to "
                            f"{self.host}:{self.port}", warning=True))


async def _send(connection: ServerConnection, data: bytes | str) -> None:
    try:
        await connection.send(data)
    except ConnectionClosed:
        pass


def _json_response(status: HTTPStatus, body: Any) -> Response:
    data = b"" if body is None else json.dumps(body).encode()
    headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                       ("Access-Control-Allow-Origin", "*")])
    return Response(status.value, status.phrase, headers, data)


# -- the tree ------------------------------------------------------------------------------
def tree(namespace: Namespace, path: str = "/") -> dict[str, Any]:
    """The OSCQuery node at ``path`` (KeyError if there is none)."""
    root: dict[str, Any] = {"FULL_PATH": "/", "ACCESS": 0, "CONTENTS": {}}
    for address, spec in namespace.slots.items():
        _insert(root, osc_address(address), _slot_node(spec, namespace.values.get(address)))
    for address, (_, description) in ACTIONS.items():
        _insert(root, address, {"ACCESS": WRITE, "DESCRIPTION": description})
    if path in ("", "/"):
        return root
    node = root
    for part in path.strip("/").split("/"):
        node = node["CONTENTS"][part]
    return node


def _insert(root: dict[str, Any], address: str, leaf: dict[str, Any]) -> None:
    node = root
    parts = address.strip("/").split("/")
    for depth, part in enumerate(parts):
        contents = node.setdefault("CONTENTS", {})
        if part not in contents:
            contents[part] = {"FULL_PATH": "/" + "/".join(parts[: depth + 1]), "ACCESS": 0}
        node = contents[part]
    node.update(leaf)


def _slot_node(spec: InputSpec, value: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"DESCRIPTION": spec.label or spec.name, "ACCESS": READ_WRITE}
    kind = spec.type
    if kind == "event":
        return {**node, "TYPE": "N", "ACCESS": WRITE}
    if kind == "bool":
        node["TYPE"] = "T" if value else "F"
    elif kind == "long":
        node["TYPE"] = "i"
    elif kind == "float":
        node["TYPE"] = "f"
    elif kind == "point2D":
        node["TYPE"] = "ff"
    elif kind == "color":
        node["TYPE"] = "ffff"
    elif spec.is_image or kind == TEXT:
        node["TYPE"] = "s"
    if spec.values:
        node["RANGE"] = [{"VALS": list(spec.values)}]
        node["DESCRIPTION"] += " (" + ", ".join(f"{v}: {label}" for v, label in zip(spec.values, spec.labels)) + ")"
    elif kind in ("float", "long") and spec.min is not None and spec.max is not None:
        node["RANGE"] = [{"MIN": spec.min, "MAX": spec.max}]
    elif kind == "point2D" and spec.min is not None and spec.max is not None:
        node["RANGE"] = [{"MIN": lo, "MAX": hi} for lo, hi in zip(spec.min, spec.max)]
    elif kind == "color":
        node["RANGE"] = [{"MIN": 0.0, "MAX": 1.0}] * 4
    if "RANGE" in node:
        node["CLIPMODE"] = "both"
    if value is not None:
        node["VALUE"] = list(value) if isinstance(value, tuple) else [value]
    elif spec.is_image:
        node["VALUE"] = [""]
    return node


__all__ = ["OscQueryServer", "PREFIX", "tree"]
