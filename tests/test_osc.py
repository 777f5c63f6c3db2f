"""OSC (issue 13): addresses and arguments turned into commands (no GL), and the real UDP server
on 127.0.0.1 with python-osc's own client sending and a plain socket hearing the feedback."""

from __future__ import annotations

import queue
import socket
import time

import pytest
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket
from pythonosc.udp_client import SimpleUDPClient

from show_fixtures import library, make_store
from shaderlab.control.namespace import ControlError, Namespace, commands_for
from shaderlab.control.osc import OscServer
from shaderlab.show import commands as c
from shaderlab.show.settings import SAVE_FOLDER, SORT_AUTO
from shaderlab.show.store import Changes


@pytest.fixture
def namespace():
    store = make_store(library())
    store.add_effect("kit")
    store.add_effect("blur")
    return Namespace.of(store)


def one(namespace, address, *args):
    commands = commands_for(namespace, address, list(args), origin="osc:test")
    assert len(commands) == 1, commands
    return commands[0]


def refused(namespace, address, *args, words=()):
    with pytest.raises(ControlError) as info:
        commands_for(namespace, address, list(args))
    text = str(info.value)
    assert "\n" not in text and address.split("/")[-1] in text or address in text
    for word in words:
        assert word in text, text
    return text


def test_values_in_their_own_units(namespace):
    assert one(namespace, "/shaderlab/chain/kit/amount", 0.25) == c.SetValue("chain/kit/amount", 0.25, origin="osc:test")
    assert one(namespace, "/shaderlab/chain/kit/count", 4).value == 4
    assert one(namespace, "/shaderlab/chain/kit/count", 4.0).value == 4  # many senders send floats
    assert one(namespace, "/shaderlab/chain/kit/flip", True).value is True
    assert one(namespace, "/shaderlab/chain/kit/flip", 0).value is False
    assert one(namespace, "/shaderlab/chain/kit/flip") == c.Toggle("chain/kit/flip")
    assert one(namespace, "/shaderlab/chain/kit/centre", 0.1, 0.9).value == (0.1, 0.9)
    assert one(namespace, "/shaderlab/chain/kit/tint", 1.0, 0.0, 0.5).value == (1.0, 0.0, 0.5, 1.0)
    assert one(namespace, f"/shaderlab/{SAVE_FOLDER}", "/tmp/show").value == "/tmp/show"
    assert one(namespace, f"/shaderlab/{SORT_AUTO}", 1).value is True


def test_norm_menus_and_events(namespace):
    assert one(namespace, "/shaderlab/chain/kit/amount/norm", 0.5).value == 0.5  # 0..1 declared
    assert one(namespace, "/shaderlab/chain/kit/count/norm", 1.0).value == 10  # MIN 1 .. MAX 10
    assert one(namespace, "/shaderlab/chain/kit/count/norm", 7.0).value == 10  # clamped to 1
    assert one(namespace, "/shaderlab/chain/kit/shape", "ring").value == 2
    assert one(namespace, "/shaderlab/chain/kit/shape", 1).value == 1
    assert one(namespace, "/shaderlab/chain/kit/shape/norm", 0.5).value == 1
    assert one(namespace, "/shaderlab/chain/kit/hit") == c.Pulse("chain/kit/hit")
    assert one(namespace, "/shaderlab/chain/kit/hit", 1.0) == c.Pulse("chain/kit/hit")
    assert commands_for(namespace, "/shaderlab/chain/kit/hit", [0.0]) == []  # a button's release


def test_commands_of_the_app_and_of_an_effect(namespace, tmp_path):
    assert one(namespace, "/shaderlab/save") == c.SaveOutput()
    assert one(namespace, "/shaderlab/scene/load", str(tmp_path / "a.toml")) == c.LoadScene(tmp_path / "a.toml")
    assert one(namespace, "/shaderlab/sort/step", "up") == c.SortStep("up", False)
    assert one(namespace, "/shaderlab/sort/full", "left") == c.SortStep("left", True)
    assert one(namespace, "/shaderlab/sort/auto") == c.Toggle(SORT_AUTO)
    assert one(namespace, "/shaderlab/chain/add", "saturate", 0) == c.AddEffect("saturate", 0)
    assert one(namespace, "/shaderlab/chain/blur/bypass") == c.BypassEffect("blur", None)
    assert one(namespace, "/shaderlab/chain/blur/bypass", 1) == c.BypassEffect("blur", True)
    assert one(namespace, "/shaderlab/chain/blur/move", -1) == c.MoveEffect("blur", -1)
    assert one(namespace, "/shaderlab/chain/blur/remove") == c.RemoveEffect("blur")
    assert one(namespace, "/shaderlab/select", 0, 0, 100, 50) == c.Select((0.0, 0.0), (100.0, 50.0))


def test_bad_messages_are_one_line_each(namespace):
    refused(namespace, "/shaderlab/chain/kit/amout", 0.5, words=["did you mean /shaderlab/chain/kit/amount"])
    refused(namespace, "/shaderlab/chain/kit/amount", "loud", words=["a number"])
    refused(namespace, "/shaderlab/chain/kit/amount", 0.1, 0.2, words=["a number"])
    refused(namespace, "/shaderlab/chain/kit/amount", float("nan"), words=["not a finite number"])
    refused(namespace, "/shaderlab/chain/kit/count", 2.5, words=["whole number"])
    refused(namespace, "/shaderlab/chain/kit/shape", "square", words=["dot, line, ring"])
    refused(namespace, "/shaderlab/chain/kit/shape", 7, words=["outside 0..2"])
    refused(namespace, "/shaderlab/chain/kit/centre", 0.5, words=["2 numbers"])
    refused(namespace, "/shaderlab/chain/kit/tint", 1, 2, words=["3 or 4 numbers"])
    refused(namespace, "/shaderlab/sort/step", "sideways", words=["right, left, up or down"])
    refused(namespace, "/shaderlab/chain/nope/bypass", words=["no effect 'nope'"])
    refused(namespace, "/elsewhere/x", 1, words=["no such address"])


def _server(post):
    return OscServer(post, "127.0.0.1", 0).start()


def _take(inbox: queue.Queue, count: int = 1, timeout: float = 5.0) -> list:
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < count:
        out.append(inbox.get(timeout=max(0.01, deadline - time.monotonic())))
    return out


def test_the_udp_server_posts_commands_and_a_bundle_as_one_batch(namespace):
    inbox: queue.Queue = queue.Queue()
    server = _server(inbox.put)
    try:
        server.publish(namespace)
        client = SimpleUDPClient("127.0.0.1", server.port)
        client.send_message("/shaderlab/chain/kit/amount", 0.75)
        (command,) = _take(inbox)
        assert command.address == "chain/kit/amount" and command.value == 0.75
        assert command.origin.startswith("osc:127.0.0.1:")

        bundle = OscBundleBuilder(IMMEDIATELY)
        for address, value in (("/shaderlab/chain/kit/amount", 0.1), ("/shaderlab/chain/blur/radius", 9.0)):
            message = OscMessageBuilder(address)
            message.add_arg(value)
            bundle.add_content(message.build())
        client.send(bundle.build())
        (batch,) = _take(inbox)
        assert isinstance(batch, c.Batch) and [x.address for x in batch.commands] == ["chain/kit/amount", "chain/blur/radius"]

        # A wrong address, then a flood of them: one line, then silence for a second.
        for _ in range(20):
            client.send_message("/shaderlab/chain/kit/amout", 0.5)
        (said,) = _take(inbox)
        assert isinstance(said, c.Say) and said.error and "did you mean" in said.text
        with pytest.raises(queue.Empty):
            inbox.get(timeout=0.3)
        # Not OSC at all: the receiver goes on.
        raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        raw.sendto(b"hello", ("127.0.0.1", server.port))
        raw.close()
        client.send_message("/shaderlab/save", [])
        assert any(isinstance(x, c.SaveOutput) for x in _take(inbox, 1, 5.0) + _drain(inbox, 2.0))
    finally:
        server.close()


def _drain(inbox: queue.Queue, wait: float) -> list:
    out = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            out.append(inbox.get(timeout=0.05))
        except queue.Empty:
            pass
    return out


def test_feedback_reaches_registered_controllers_but_never_the_sender():
    inbox: queue.Queue = queue.Queue()
    server = _server(inbox.put)
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    try:
        # The controller registers from its own socket (replies come back to that port).
        register = OscMessageBuilder("/shaderlab/feedback/register").build()
        listener.sendto(register.dgram, ("127.0.0.1", server.port))
        _take(inbox)  # "sending changes to …"
        port = listener.getsockname()[1]
        origin = f"osc:127.0.0.1:{port}"
        server.changed(Changes({"chain/kit/amount": 0.5, "chain/blur/radius": 3.0},
                               origins={"chain/kit/amount": origin}))
        packet = OscPacket(listener.recvfrom(65536)[0])
        heard = {m.message.address: m.message.params for m in packet.messages}
        assert heard == {"/shaderlab/chain/blur/radius": [3.0]}  # its own move is not echoed
        server.changed(Changes({"chain/kit/tint": (1.0, 0.5, 0.0, 1.0), "chain/kit/flip": True,
                                "chain/kit/count": 3}))
        packet = OscPacket(listener.recvfrom(65536)[0])
        heard = {m.message.address: m.message.params for m in packet.messages}
        assert heard == {"/shaderlab/chain/kit/tint": [1.0, 0.5, 0.0, 1.0], "/shaderlab/chain/kit/flip": [True],
                         "/shaderlab/chain/kit/count": [3]}
    finally:
        listener.close()
        server.close()


def test_a_port_in_use_is_one_line():
    taken = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    taken.bind(("127.0.0.1", 0))
    try:
        with pytest.raises(Exception) as info:
            OscServer(lambda command: None, "127.0.0.1", taken.getsockname()[1])
        assert "choose another port" in str(info.value) and "\n" not in str(info.value)
    finally:
        taken.close()


def test_a_batch_of_knob_moves_is_coalesced_in_order():
    from shaderlab.control.osc import _coalesced

    def move(address, value):
        builder = OscMessageBuilder(address)
        builder.add_arg(value)
        return builder.build().dgram

    a, b = ("127.0.0.1", 1), ("127.0.0.1", 2)
    save = OscMessageBuilder("/shaderlab/save").build().dgram
    batch = [(move("/x", 0.1), a), (move("/y", 1.0), a), (move("/x", 0.2), a), (move("/x", 0.3), b),
             (move("/x", float("nan")), a), (move("/x", 0.4), a), (save, a), (move("/x", 0.5), a), (move("/x", 0.6), a)]
    kept = _coalesced(batch)
    assert kept == [(move("/x", 0.2), a), (move("/y", 1.0), a), (move("/x", 0.3), b),  # each sender its own
                    (move("/x", float("nan")), a),  # told, not dropped: it may be refused
                    (move("/x", 0.4), a), (save, a), (move("/x", 0.6), a)]
