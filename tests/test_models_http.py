"""Hosted model providers against a real fake server on 127.0.0.1: the happy path and faults."""

from __future__ import annotations

import base64
import io
import socket
import time

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, photo, run_cli
from fake_model_server import FakeServer
from shaderlab.models.codec import to_depth
from shaderlab.models.config import ModelConfig
from shaderlab.models.http import Client, Limits, ModelError
from shaderlab.models.providers import HuggingFaceProvider, ReplicateProvider, RunwayProvider

FAST = Limits(connect_timeout=1.0, read_timeout=1.0, deadline=5.0, retries=3, max_wait=0.5, max_body=2_000_000)
TOKEN = "sk-test-secret-123"


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


GRADIENT = np.tile(np.linspace(0, 255, 64).astype(np.uint8), (48, 1))
GRADIENT_URI = "data:image/png;base64," + base64.b64encode(png(GRADIENT)).decode()


def runway(server: FakeServer, statuses: list[str] | None = None, **kwargs) -> RunwayProvider:
    states = iter(statuses or ["running"])
    last = {"status": "running"}

    def status(ex):
        last["status"] = next(states, last["status"])
        ex.json(200, {"status": last["status"]})

    server.route("GET", "/", status)
    server.route("GET", "/info", lambda ex: ex.json(200, {
        "inputs": [{"name": "seed", "type": "number"}, {"name": "image", "type": "image"}],
        "outputs": [{"name": "depth", "type": "image"}],
    }))
    seen: list[str] = []
    client = Client(kwargs.pop("token", None), kwargs.pop("limits", FAST), home=server.url)
    return RunwayProvider(server.url + "/", client, poll=0.05, on_status=seen.append, **kwargs), seen


def test_runway_wakes_reads_fields_and_returns_depth(server):
    server.route("POST", "/query", lambda ex: ex.json(200, {"depth": GRADIENT_URI}))
    provider, seen = runway(server, ["starting", "starting", "running"], token=TOKEN)
    depth = provider.depth(photo("chelsea.png"))
    assert np.allclose(depth, to_depth(GRADIENT))
    assert seen[:2] == ["waking", "waking"] and seen[-1] == "ready"
    method, path, headers, body = next(entry for entry in server.log if entry[1] == "/query")
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert b'"image": "data:image/png;base64,' in body  # the field named in /info


def test_no_authorization_header_without_a_token(server):
    server.route("POST", "/query", lambda ex: ex.json(200, {"depth": GRADIENT_URI}))
    provider, _ = runway(server)
    provider.depth(photo("chelsea.png"))
    assert all("Authorization" not in headers for _, _, headers, _ in server.log)




def _bomb_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 12000, 12000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


QUERY_FAULTS = [
    ("401", lambda ex: ex.json(401, {"error": "bad token"}), "refused (401); check the token", 1),
    ("403", lambda ex: ex.json(403, {}), "refused (403)", 1),
    ("404", lambda ex: ex.json(404, {}), "not found (404)", 1),
    ("500 with a body", lambda ex: ex.json(500, {"error": "CUDA out of memory"}), "server error 500: CUDA out of memory", 1),
    ("503 for ever", lambda ex: ex.json(503, {}, {"Retry-After": "0.05"}), "still unavailable (503) after retries", 4),
    ("not JSON", lambda ex: ex.send(200, b"<html>oops</html>", "text/html"), "not JSON", 1),
    ("no output field", lambda ex: ex.json(200, {"other": 1}), "no 'depth' field", 1),
    ("invalid base64", lambda ex: ex.json(200, {"depth": "data:image/png;base64,@@@notbase64"}), "not valid base64", 1),
    ("not an image", lambda ex: ex.json(200, {"depth": "data:image/png;base64," + base64.b64encode(b"hello").decode()}), "not an image", 1),
    ("decompression bomb", lambda ex: ex.json(200, {"depth": "data:image/png;base64," + base64.b64encode(_bomb_png()).decode()}), "megapixel limit", 1),
    ("oversized, declared", lambda ex: ex.send(200, b"{}", "application/json", declared_length=50_000_000), "over the 2 MB limit", 1),
    ("oversized, streamed", lambda ex: ex.send(200, b'{"depth": "' + b"A" * 3_000_000 + b'"}', "application/json"), "over the 2 MB limit", 1),
    ("slow headers", lambda ex: (time.sleep(2.0), ex.json(200, {})), "stopped answering", 1),
    ("slow drip", lambda ex: ex.drip(b'{"depth": "' + b"A" * 400 + b'"}', every=0.05, chunk=8), "too slowly", 1),
    ("truncated", lambda ex: ex.send(200, b'{"depth": "AA', "application/json", declared_length=5000), "request failed", 1),
]


@pytest.mark.parametrize("name, answer, message, calls", QUERY_FAULTS, ids=[f[0] for f in QUERY_FAULTS])
def test_runway_faults_are_clear_and_bounded(server, name, answer, message, calls):
    server.route("POST", "/query", answer)
    limits = FAST if name != "slow drip" else Limits(connect_timeout=1, read_timeout=1, deadline=1.0, max_body=2_000_000)
    provider, _ = runway(server, token=TOKEN, limits=limits)
    start = time.monotonic()
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert message in str(info.value)
    assert TOKEN not in str(info.value) and "\n" not in str(info.value)
    assert server.count("POST", "/query") == calls  # 4xx are not retried; 503 a bounded number of times
    assert time.monotonic() - start < 8


def test_retry_after_is_honoured_then_succeeds(server):
    answers = iter([lambda ex: ex.json(429, {}, {"Retry-After": "0.2"}), lambda ex: ex.json(200, {"depth": GRADIENT_URI})])
    server.route("POST", "/query", lambda ex: next(answers)(ex))
    provider, _ = runway(server)
    start = time.monotonic()
    provider.depth(photo("chelsea.png"))
    assert 0.2 <= time.monotonic() - start and server.count("POST", "/query") == 2


def test_a_model_that_keeps_starting_gives_up(server):
    provider, seen = runway(server, ["starting"] * 1000)
    provider.wake_timeout = 0.4
    with pytest.raises(ModelError, match="still starting after 0.4 s"):
        provider.depth(photo("chelsea.png"))
    assert "waking" in seen


def test_unreachable_servers_and_plain_http_elsewhere():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = RunwayProvider(f"http://127.0.0.1:{port}", Client(None, FAST))
    with pytest.raises(ModelError, match="cannot reach the server"):
        provider.depth(photo("chelsea.png"))
    with pytest.raises(ModelError, match="plain HTTP is only allowed to this machine"):
        ModelConfig("m", "runway", "http://example.com/model")


def hugging(server: FakeServer) -> tuple[HuggingFaceProvider, list[str]]:
    seen: list[str] = []
    return HuggingFaceProvider(server.url + "/depth", Client(TOKEN, FAST, home=server.url), on_status=seen.append), seen


def test_huggingface_waits_out_loading_then_takes_image_bytes(server):
    answers = iter([
        lambda ex: ex.json(503, {"error": "Model is currently loading", "estimated_time": 0.2}),
        lambda ex: ex.send(200, png(GRADIENT), "image/png"),
    ])
    server.route("POST", "/depth", lambda ex: next(answers)(ex))
    provider, seen = hugging(server)
    depth = provider.depth(photo("chelsea.png"))
    assert np.allclose(depth, to_depth(GRADIENT))
    assert any(s.startswith("warming, about 0 s") for s in seen)
    _, _, headers, body = server.log[0]
    assert headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")


def test_huggingface_json_depth_and_wrong_content_types(server):
    server.route("POST", "/depth", lambda ex: ex.json(200, {"depth": base64.b64encode(png(GRADIENT)).decode()}))
    provider, _ = hugging(server)
    assert np.allclose(provider.depth(photo("chelsea.png")), to_depth(GRADIENT))
    server.route("POST", "/depth", lambda ex: ex.send(200, b"<html/>", "text/html"))
    with pytest.raises(ModelError, match="answered text/html, not an image or JSON"):
        provider.depth(photo("chelsea.png"))


def test_depth_command_against_the_fake_server(server, tmp_path):
    server.route("GET", "/", lambda ex: ex.json(200, {"status": "running"}))
    server.route("POST", "/query", lambda ex: ex.json(200, {"depth": GRADIENT_URI}))
    server.route("GET", "/info", lambda ex: ex.json(200, {"inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "depth", "type": "image"}]}))
    out = tmp_path / "depth.png"
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "-o", str(out), "--provider", "runway", "--url", server.url,
                     "--token-env", "SHADERLAB_TEST_TOKEN", "--cache", str(tmp_path / "cache"), env={"SHADERLAB_TEST_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    written = np.asarray(Image.open(out))
    assert written.dtype == np.uint16 and written.shape == (300, 451)  # resized to the picture
    assert written[:, 0].mean() < 2000 and written[:, -1].mean() > 63000  # the gradient, dark to bright
    assert TOKEN not in result.stderr
    server.route("POST", "/query", lambda ex: ex.json(401, {}))
    bad = tmp_path / "bad.png"
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "-o", str(bad), "--provider", "runway", "--url", server.url, "--no-cache")
    assert result.returncode == 2 and "refused (401)" in result.stderr and not bad.exists()


def replicate(server: FakeServer, **kwargs) -> tuple[ReplicateProvider, list[str]]:
    seen: list[str] = []
    return ReplicateProvider(server.url, Client(TOKEN, FAST, home=server.url), poll=0.05, on_status=seen.append, **kwargs), seen


def test_replicate_polls_a_prediction_and_fetches_its_output_url(server):
    polls = iter(["starting", "processing", "succeeded"])

    def poll(ex):
        status = next(polls)
        output = [server.url + "/files/out.png"] if status == "succeeded" else None
        ex.json(200, {"id": "p1", "status": status, "output": output})

    server.route("POST", "/v1/models/acme/depth/predictions", lambda ex: ex.json(201, {"id": "p1", "status": "starting"}))
    server.route("GET", "/v1/predictions/p1", poll)
    server.route("GET", "/files/out.png", lambda ex: ex.send(200, png(GRADIENT), "image/png"))
    provider, seen = replicate(server, model="acme/depth")
    assert np.allclose(provider.depth(photo("chelsea.png")), to_depth(GRADIENT))
    assert "processing" in seen and seen[-1] == "ready"
    create = next(entry for entry in server.log if entry[0] == "POST")
    assert create[2]["Prefer"] == "wait" and b'"input": {"image": "data:image/png;base64,' in create[3]


@pytest.mark.parametrize(
    "final, message",
    [
        ({"id": "p1", "status": "failed", "error": "NSFW content detected"}, "the prediction failed: NSFW content detected"),
        ({"id": "p1", "status": "canceled"}, "the prediction canceled"),
        ({"id": "p1", "status": "succeeded", "output": None}, "has no image output"),
        ({"id": "p1", "status": "succeeded", "output": "http://example.com/out.png"}, "plain HTTP is only allowed"),
    ],
)
def test_replicate_faults(server, final, message):
    server.route("POST", "/v1/predictions", lambda ex: ex.json(201, final))
    provider, _ = replicate(server, version="abc123")
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert message in str(info.value) and TOKEN not in str(info.value)
    assert b'"version": "abc123"' in server.log[0][3]


def test_cog_container_answers_at_once(server):
    server.route("POST", "/predictions", lambda ex: ex.json(200, {"status": "succeeded", "output": GRADIENT_URI}))
    provider, _ = replicate(server, cog=True)
    assert np.allclose(provider.depth(photo("chelsea.png")), to_depth(GRADIENT))


def test_builtin_generators_are_deterministic_per_seed(tmp_path):
    pictures = {}
    for kind in ("clouds", "landscape", "books"):
        for seed in (1, 1, 2):
            out = tmp_path / f"{kind}-{seed}-{len(pictures)}.png"
            result = run_cli("generate", kind, "-o", str(out), "--seed", str(seed), "--size", "160x120")
            assert result.returncode == 0, result.stderr
            pictures[(kind, seed, len(pictures))] = np.asarray(Image.open(out))
    for kind in ("clouds", "landscape", "books"):
        same = [v for (k, s, _), v in pictures.items() if k == kind and s == 1]
        other = next(v for (k, s, _), v in pictures.items() if k == kind and s == 2)
        assert np.array_equal(same[0], same[1])
        assert np.abs(same[0].astype(int) - other).mean() > 3
        assert same[0][..., :3].std() > 10  # a picture, not a flat colour


def test_hosted_generate_and_depth_are_cached(server, tmp_path):
    server.route("GET", "/", lambda ex: ex.json(200, {"status": "running"}))
    server.route("GET", "/info", lambda ex: ex.json(200, {"inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "image", "type": "image"}]}))
    server.route("POST", "/query", lambda ex: ex.json(200, {"image": GRADIENT_URI}))
    models = tmp_path / "models.toml"
    models.write_text(f'[models.clouds]\nprovider = "runway"\nurl = "{server.url}"\ntoken_env = "SHADERLAB_TEST_TOKEN"\n')
    cache = tmp_path / "cache"
    env = {"SHADERLAB_TEST_TOKEN": TOKEN}
    for attempt in range(2):
        out = tmp_path / f"gen{attempt}.png"
        result = run_cli("generate", "clouds", "--model", "clouds", "--models", str(models), "--seed", "7",
                         "--cache", str(cache), "-o", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert np.array_equal(np.asarray(Image.open(out))[..., 0], GRADIENT)
        depth_out = tmp_path / f"depth{attempt}.png"
        result = run_cli("depth", str(IMAGES / "chelsea.png"), "--model", "clouds", "--models", str(models),
                         "--cache", str(cache), "-o", str(depth_out), env=env)
        assert result.returncode == 0, result.stderr
    assert server.count("POST", "/query") == 2  # the second round came from the cache
    body = next(b for m, p, h, b in server.log if m == "POST")
    assert b'"seed": 7' in body
    assert not any(TOKEN.encode() in f.read_bytes() for f in cache.iterdir())


def test_the_example_configuration_loads(tmp_path):
    from conftest import ROOT
    from shaderlab.models.config import load_models

    models = load_models(ROOT / "models.example.toml")
    assert {m.provider for m in models.values()} == {"runway", "replicate", "cog", "huggingface"}
    assert models["replicate-depth"].model == "owner/depth-anything"
    assert all("token" not in m.params for m in models.values())


def test_prefetch_fills_the_cache_the_cli_then_uses_offline(server, tmp_path):
    server.route("GET", "/", lambda ex: ex.json(200, {"status": "running"}))
    server.route("GET", "/info", lambda ex: ex.json(200, {"inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "image", "type": "image"}]}))
    server.route("POST", "/query", lambda ex: ex.json(200, {"image": GRADIENT_URI}))
    models = tmp_path / "models.toml"
    models.write_text(f'[models.m]\nprovider = "runway"\nurl = "{server.url}"\n')
    scene = tmp_path / "show.toml"
    scene.write_text(f'[source]\nimage = "{IMAGES / "chelsea.png"}"\n')
    cache = tmp_path / "cache"
    result = run_cli("prefetch", "--scene", str(scene), "--model", "m", "--generate", "m:clouds:1-3",
                     "--models", str(models), "--cache", str(cache))
    assert result.returncode == 0, result.stderr
    assert server.count("POST", "/query") == 4 and len(list(cache.glob("*.npy"))) == 4
    server.close()  # offline from here on
    out = tmp_path / "gen.png"
    result = run_cli("generate", "clouds", "--model", "m", "--models", str(models), "--seed", "2", "--cache", str(cache), "-o", str(out))
    assert result.returncode == 0, result.stderr
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "--model", "m", "--models", str(models), "--cache", str(cache), "-o", str(tmp_path / "d.png"))
    assert result.returncode == 0, result.stderr


TRANSPORT_FAULTS = [f for f in QUERY_FAULTS if f[0] in (
    "401", "404", "500 with a body", "503 for ever", "not JSON", "oversized, declared", "oversized, streamed",
    "slow headers", "truncated", "decompression bomb")]


def _provider_for(protocol: str, server: FakeServer, answer, limits: Limits):
    """Each protocol's depth call, with ``answer`` where its model's result comes from."""
    client = Client(TOKEN, limits, home=server.url)
    if protocol == "huggingface":
        server.route("POST", "/depth", answer)
        return HuggingFaceProvider(server.url + "/depth", client), ("POST", "/depth")
    server.route("POST", "/v1/models/acme/depth/predictions", answer)
    return ReplicateProvider(server.url, client, model="acme/depth", poll=0.05), ("POST", "/v1/models/acme/depth/predictions")


@pytest.mark.parametrize("protocol", ["huggingface", "replicate"])
@pytest.mark.parametrize("name, answer, message, calls", TRANSPORT_FAULTS, ids=[f[0] for f in TRANSPORT_FAULTS])
def test_every_protocol_meets_the_same_faults_the_same_way(server, protocol, name, answer, message, calls):
    if name == "decompression bomb":  # as each protocol carries images
        bomb = _bomb_png()
        answer = (lambda ex: ex.send(200, bomb, "image/png")) if protocol == "huggingface" else \
                 (lambda ex: ex.json(201, {"id": "p", "status": "succeeded", "output": "data:image/png;base64," + base64.b64encode(bomb).decode()}))
    if name == "not JSON" and protocol == "huggingface":
        message = "not an image or JSON"
    provider, route = _provider_for(protocol, server, answer, FAST)
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert message in str(info.value)
    assert TOKEN not in str(info.value) and "\n" not in str(info.value)
    assert server.count(*route) == calls


def test_local_providers_by_name(tmp_path):
    from test_onnx_depth import brightness_model

    out = tmp_path / "builtin.png"
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "--provider", "builtin", "-o", str(out))
    assert result.returncode == 0, result.stderr
    from shaderlab.io.depth import estimate_depth_builtin

    written = np.asarray(Image.open(out)).astype(float) / 65535
    assert np.abs(written - estimate_depth_builtin(photo("chelsea.png"))).max() < 1e-4
    model = tmp_path / "tiny.onnx"
    brightness_model(model)
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "--provider", "onnx", "--url", str(model), "-o", str(tmp_path / "onnx.png"))
    assert result.returncode == 0, result.stderr


def test_a_name_that_does_not_resolve():
    provider = RunwayProvider("https://shaderlab-model.invalid/v1", Client(None, FAST))  # .invalid never resolves
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert "cannot reach the server" in str(info.value) and "check the URL" in str(info.value)
