"""OSCQuery (issue 13): the real server on 127.0.0.1, asked by independent clients — plain HTTP
(urllib), the python-oscquery package's client, and a WebSocket client for LISTEN."""

from __future__ import annotations

import asyncio
import json
import queue
import socket
import urllib.error
import urllib.request

import pytest
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from show_fixtures import library, make_store
from shaderlab.control.hub import ControlHub
from shaderlab.control.oscquery import OscQueryServer
from shaderlab.show import commands as c


@pytest.fixture
def show():
    store = make_store(library())
    store.add_effect("kit")
    store.add_effect("blur")
    inbox: queue.Queue = queue.Queue()
    hub = ControlHub(store)
    server = hub.add(OscQueryServer(inbox.put, "127.0.0.1", 0, osc_port=9000).start())
    yield store, hub, server, inbox
    hub.close()


def get(server, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
        return response.status, json.loads(response.read() or b"null")


def test_the_tree_over_plain_http(show):
    store, hub, server, _ = show
    status, info = get(server, "/?HOST_INFO")
    assert status == 200 and info["NAME"] == "shaderlab" and info["OSC_PORT"] == 9000
    assert info["OSC_TRANSPORT"] == "UDP" and info["EXTENSIONS"]["LISTEN"] is True
    _, root = get(server, "/")
    amount = root["CONTENTS"]["shaderlab"]["CONTENTS"]["chain"]["CONTENTS"]["kit"]["CONTENTS"]["amount"]
    assert amount["FULL_PATH"] == "/shaderlab/chain/kit/amount"
    assert amount["TYPE"] == "f" and amount["RANGE"] == [{"MIN": 0.0, "MAX": 1.0}] and amount["VALUE"] == [0.5]
    assert amount["ACCESS"] == 3
    _, shape = get(server, "/shaderlab/chain/kit/shape")
    assert shape["TYPE"] == "i" and shape["RANGE"] == [{"VALS": [0, 1, 2]}] and "ring" in shape["DESCRIPTION"]
    _, hit = get(server, "/shaderlab/chain/kit/hit")
    assert hit["ACCESS"] == 2 and hit["TYPE"] == "N"
    assert get(server, "/shaderlab/chain/kit/amount?VALUE") == (200, {"VALUE": [0.5]})
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(server, "/shaderlab/chain/nope")
    assert missing.value.code == 404

    # The tree follows the show: a value set, an effect added.
    store.set("chain/kit/amount", 0.25)
    store.add_effect("saturate")
    store.end_frame()
    assert get(server, "/shaderlab/chain/kit/amount?VALUE")[1] == {"VALUE": [0.25]}
    assert get(server, "/shaderlab/chain/saturate/amount")[1]["VALUE"] == [1.5]


def test_the_python_oscquery_client_reads_it(show):
    from pythonoscquery.osc_query_client import OSCQueryClient
    from zeroconf import ServiceInfo

    _, _, server, _ = show
    info = ServiceInfo("_oscjson._tcp.local.", "shaderlab._oscjson._tcp.local.",
                       addresses=[socket.inet_aton("127.0.0.1")], port=server.port)
    client = OSCQueryClient(info)
    host = client.get_host_info()
    assert host.name == "shaderlab" and host.osc_port == 9000
    node = client.query_node("/shaderlab/chain/blur/radius")
    assert node.full_path == "/shaderlab/chain/blur/radius" and node.value == [4.0]


def test_listen_streams_values_and_paths_over_the_websocket(show):
    from websockets.asyncio.client import connect

    store, hub, server, inbox = show

    async def session():
        async with connect(f"ws://127.0.0.1:{server.port}/", open_timeout=5) as ws:
            await ws.send(json.dumps({"COMMAND": "LISTEN", "DATA": "/shaderlab/chain/blur/radius"}))
            await asyncio.sleep(0.2)
            store.set("chain/blur/radius", 12.0)
            store.set("chain/kit/amount", 0.9)  # not listened to
            store.end_frame()
            packet = OscPacket(await asyncio.wait_for(ws.recv(), 5))
            heard = [(m.message.address, m.message.params) for m in packet.messages]
            store.add_effect("saturate")
            store.end_frame()
            added = json.loads(await asyncio.wait_for(ws.recv(), 5))
            # OSC sent over the WebSocket is taken like UDP.
            message = OscMessageBuilder("/shaderlab/chain/blur/radius")
            message.add_arg(2.0)
            await ws.send(message.build().dgram)
            await asyncio.sleep(0.3)
            return heard, added

    heard, added = asyncio.run(session())
    assert heard == [("/shaderlab/chain/blur/radius", [12.0])]
    assert added["COMMAND"] == "PATH_ADDED" and added["DATA"]["FULL_PATH"].startswith("/shaderlab/chain/saturate/")
    command = inbox.get(timeout=5)
    assert isinstance(command, c.SetValue) and command.address == "chain/blur/radius" and command.value == 2.0


PROBE = """
import json, socket, sys, time
sys.path.insert(0, {tests!r})
from zeroconf import ServiceBrowser, Zeroconf
from shaderlab.control.oscquery import OscQueryServer

said = []
server = OscQueryServer(said.append, "127.0.0.1", 0, osc_port=9000, advertise=True).start()
found = {{}}

class Listener:
    def add_service(self, zc, kind, name):
        info = zc.get_service_info(kind, name, timeout=3000)
        if info is not None:
            found[name] = (socket.inet_ntoa(info.addresses[0]), info.port)
    def update_service(self, zc, kind, name):
        pass
    def remove_service(self, zc, kind, name):
        pass

browser_zc = Zeroconf(interfaces=["127.0.0.1"])
ServiceBrowser(browser_zc, "_oscjson._tcp.local.", Listener())
deadline = time.monotonic() + 10
while not found and time.monotonic() < deadline:
    time.sleep(0.1)
print(json.dumps({{"port": server.port, "found": found, "said": [s.text for s in said]}}))
browser_zc.close()
server.close()
"""


def test_advertised_with_zeroconf_inside_a_private_network(tmp_path):
    """mDNS only inside a network namespace this test makes (loopback only), never on the
    machine's real interfaces."""
    import subprocess
    import sys

    setup = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo"
    check = subprocess.run(["unshare", "-rn", "sh", "-c", setup], capture_output=True, timeout=30)
    if check.returncode != 0:
        pytest.skip(f"no private network namespace here (unshare -rn: {check.stderr.decode()[:100]})")
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE.format(tests=str(tmp_path)))
    result = subprocess.run(["unshare", "-rn", "sh", "-c", f"{setup} && {sys.executable} {probe}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["said"] == []
    assert report["found"] == {"shaderlab._oscjson._tcp.local.": ["127.0.0.1", report["port"]]}
