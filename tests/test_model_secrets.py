"""Secrets stay home: the token goes only to the configured host, and no message — exception,
panel status or the CLI's stderr — carries a token, a URL's query values or its credentials,
even when a hostile server reflects them back. Real servers on 127.0.0.1 (two ports are two
hosts)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, photo, run_cli
from fake_model_server import FakeServer
from shaderlab.models.codec import to_depth
from shaderlab.models.config import ModelConfig, make_provider
from shaderlab.models.http import Client, Limits, ModelError
from shaderlab.models.providers import HuggingFaceProvider, ReplicateProvider

FAST = Limits(connect_timeout=1.0, read_timeout=1.0, deadline=5.0, retries=1, max_wait=0.2, max_body=2_000_000)
TOKEN = "sk-live-8f3a9c0d1e2b4f6a7c9e"
QUERY_SECRET = "qs-5e7d9b1a3c"
ENV = {"SHADERLAB_TEST_TOKEN": TOKEN}

GRADIENT = np.tile(np.linspace(0, 255, 64).astype(np.uint8), (48, 1))


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def home():
    fake = FakeServer()
    yield fake
    fake.close()


@pytest.fixture
def elsewhere():
    fake = FakeServer()
    yield fake
    fake.close()


def reflect(ex) -> str:
    """Everything the client sent, as a hostile server would echo it."""
    return json.dumps({"path": ex.path, "headers": dict(ex.headers), "body": ex.body[:200].decode("utf-8", "replace")})


def test_the_token_goes_only_to_the_configured_host(home, elsewhere):
    """A Cog/Replicate output URL on another host is fetched without the token (or cookies);
    one on the configured host still gets it."""
    where = {"output": elsewhere.url + "/out.png"}
    home.route("POST", "/predictions", lambda ex: ex.json(200, {"status": "succeeded", "output": where["output"]},
                                                          {"Set-Cookie": "session=home-only; Path=/"}))
    for server in (home, elsewhere):
        server.route("GET", "/out.png", lambda ex: ex.send(200, png(GRADIENT), "image/png"))
    config = ModelConfig("depth", "cog", home.url, token_env="SHADERLAB_TEST_TOKEN")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SHADERLAB_TEST_TOKEN", TOKEN)
        provider = make_provider(config, limits=FAST)  # as the worker and the CLI make one
    assert np.allclose(provider.depth(photo("chelsea.png")), to_depth(GRADIENT))
    where["output"] = home.url + "/out.png"
    provider.depth(photo("chelsea.png"))
    provider.client.close()
    sent_home = [headers for _, _, headers, _ in home.log]
    assert len(sent_home) == 3 and all(h.get("Authorization") == f"Bearer {TOKEN}" for h in sent_home)
    (_, path, headers, _), = elsewhere.log
    assert path == "/out.png" and "Authorization" not in headers and "Cookie" not in headers


def test_the_cli_never_sends_the_token_to_an_output_host(home, elsewhere, tmp_path):
    home.route("POST", "/predictions", lambda ex: ex.json(200, {"status": "succeeded", "output": elsewhere.url + "/o.png"}))
    elsewhere.route("GET", "/o.png", lambda ex: ex.send(200, png(GRADIENT), "image/png"))
    out = tmp_path / "depth.png"
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "-o", str(out), "--provider", "cog", "--url", home.url,
                     "--token-env", "SHADERLAB_TEST_TOKEN", "--no-cache", env=ENV)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and home.log[0][2]["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in elsewhere.log[0][2]


LONG = "x" * 190  # puts the token across the 200-character cut of the server's text
REFLECTIONS = [
    ("500 text", lambda ex: ex.send(500, ("you sent " + reflect(ex)).encode(), "text/plain"), "server error 500: you sent"),
    ("500 json error", lambda ex: ex.json(500, {"error": reflect(ex)}), 'server error 500: {"path": "/depth'),
    ("500 header line", lambda ex: ex.send(500, f"Authorization: {ex.headers['Authorization']}".encode(), "text/plain"),
     "server error 500: Authorization: ***"),
    ("token cut by the excerpt", lambda ex: ex.json(500, {"detail": LONG + ex.headers["Authorization"].split()[1]}),
     "server error 500: " + LONG[:10]),
    ("bare token", lambda ex: ex.json(500, {"message": ex.headers["Authorization"].split()[1]}), "server error 500: ***"),
    ("200 not json", lambda ex: ex.send(200, ex.headers["Authorization"].encode(), "application/json"), "is not JSON ('Bearer ***')"),
    ("401 reflected", lambda ex: ex.json(401, {"error": reflect(ex)}), "refused (401)"),
]


@pytest.mark.parametrize("name, answer, message", REFLECTIONS, ids=[r[0] for r in REFLECTIONS])
def test_a_server_reflecting_the_request_gets_no_secret_printed(home, name, answer, message):
    home.route("POST", "/depth", answer)
    # A query value in the configured URL is a secret too (some endpoints take ?api_key=).
    url = home.url + f"/depth?api_key={QUERY_SECRET}"
    provider = HuggingFaceProvider(url, Client(TOKEN, FAST, home=url))  # as make_provider wires them
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    text = str(info.value)
    assert TOKEN not in text and TOKEN[:10] not in text and QUERY_SECRET not in text, text
    assert "\n" not in text and text.startswith(f"{home.url}/depth: ") and message in text, text
    assert home.log[0][1] == f"/depth?api_key={QUERY_SECRET}"  # it was sent, only not shown


def test_replicate_statuses_and_failures_carry_no_secret(home):
    """Server text reaches the panel as a status and the user as a failure reason."""
    polls = iter([{"id": "p", "status": f"waiting for {TOKEN}"}, {"id": "p", "status": "failed", "error": f"bad {TOKEN}"}])
    home.route("POST", "/v1/models/acme/depth/predictions", lambda ex: ex.json(201, {"id": "p", "status": "starting"}))
    home.route("GET", "/v1/predictions/p", lambda ex: ex.json(200, next(polls)))
    seen: list[str] = []
    provider = ReplicateProvider(home.url, Client(TOKEN, FAST, home=home.url), model="acme/depth", poll=0.05,
                                 on_status=seen.append)
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert "the prediction failed: bad ***" in str(info.value)
    assert "waiting for ***" in seen and not any(TOKEN in s for s in seen)


def test_the_cli_prints_no_reflected_token(home, tmp_path):
    home.route("POST", "/depth", lambda ex: ex.send(500, ("echo: " + reflect(ex)).encode(), "text/plain"))
    result = run_cli("depth", str(IMAGES / "chelsea.png"), "-o", str(tmp_path / "d.png"), "--provider", "huggingface",
                     "--url", f"{home.url}/depth?api_key={QUERY_SECRET}", "--token-env", "SHADERLAB_TEST_TOKEN",
                     "--no-cache", env=ENV)
    assert result.returncode == 2 and "server error 500" in result.stderr, result.stderr
    assert TOKEN not in result.stderr and QUERY_SECRET not in result.stderr and "Traceback" not in result.stderr
    assert home.log[0][2]["Authorization"] == f"Bearer {TOKEN}"


BAD_URLS = [
    ("htp://127.0.0.1/x?api_key=SECRETVALUE", "is not an http(s) URL"),
    ("https://user:SECRETVALUE@models.example/x", "credentials in a URL (user:password@) are refused"),
    ("http://127.0.0.1:port/x?token=SECRETVALUE", "is not a valid URL"),
    ("http://[::1/x?key=SECRETVALUE", "is not a valid URL"),
    ("127.0.0.1:5000/x?key=SECRETVALUE", "is not an http(s) URL"),
]


@pytest.mark.parametrize("url, message", BAD_URLS, ids=[u[1] for u in BAD_URLS])
def test_bad_urls_are_refused_without_their_secrets(url, message):
    with pytest.raises(ModelError) as info:
        ModelConfig("m", "huggingface", url)
    assert message in str(info.value) and "SECRETVALUE" not in str(info.value)


def test_the_cli_refuses_a_malformed_url_without_printing_its_query(tmp_path):
    for url in ("htp://127.0.0.1/x?api_key=SECRETVALUE", "https://me:SECRETVALUE@127.0.0.1/x"):
        out = tmp_path / "out.png"
        result = run_cli("depth", str(IMAGES / "chelsea.png"), "-o", str(out), "--provider", "huggingface", "--url", url)
        assert result.returncode == 2 and result.stderr.startswith("shaderlab: error: "), result.stderr
        assert "SECRETVALUE" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not out.exists()


def test_a_redirect_is_reported_not_followed(home, elsewhere):
    home.route("POST", "/depth", lambda ex: ex.send(302, b"", "text/plain", {"Location": f"{elsewhere.url}/new?sig=SECRETVALUE"}))
    provider = HuggingFaceProvider(home.url + "/depth", Client(TOKEN, FAST, home=home.url))
    with pytest.raises(ModelError) as info:
        provider.depth(photo("chelsea.png"))
    assert str(info.value) == (f"{home.url}/depth: the server redirected to {elsewhere.url}/new (status 302); "
                               "configure the final URL")
    assert elsewhere.log == []  # not followed: the token stays home
    home.route("POST", "/depth", lambda ex: ex.send(308, b"", "text/plain", {"Location": "/v2/depth"}))
    with pytest.raises(ModelError, match=rf"redirected to {home.url}/v2/depth \(status 308\)"):
        provider.depth(photo("chelsea.png"))
    home.route("POST", "/depth", lambda ex: ex.send(301, b"", "text/plain", {"Location": "http://[::1/p"}))
    with pytest.raises(ModelError, match=r"redirected to an address that is no URL"):
        provider.depth(photo("chelsea.png"))


def test_a_token_without_its_home_is_a_programming_error():
    with pytest.raises(ValueError, match="home URL"):
        Client(TOKEN)
