"""The window's model worker: newest request wins, stale answers are dropped, nothing blocks."""

from __future__ import annotations

import queue
import time

import numpy as np
import pytest

from conftest import IMAGES, run_cli
from fake_model_server import FakeServer
from test_models_http import GRADIENT_URI
from shaderlab.show.messages import JobFailed
from shaderlab.app.models import ModelAnswer, ModelWorker
from shaderlab.models.cache import ModelCache
from shaderlab.models.config import ModelConfig


@pytest.fixture
def server():
    fake = FakeServer()
    fake.route("GET", "/", lambda ex: ex.json(200, {"status": "running"}))
    fake.route("GET", "/info", lambda ex: ex.json(200, {"inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "depth", "type": "image"}]}))
    yield fake
    fake.close()


def messages(inbox: queue.Queue, wait: float) -> list:
    end, out = time.monotonic() + wait, []
    while time.monotonic() < end:
        try:
            out.append(inbox.get(timeout=0.05))
        except queue.Empty:
            pass
    return out


def test_newest_request_wins_and_stale_answers_are_dropped(server, tmp_path):
    server.route("POST", "/query", lambda ex: (time.sleep(0.3), ex.json(200, {"depth": GRADIENT_URI})))
    inbox: queue.Queue = queue.Queue()
    worker = ModelWorker(inbox, ModelCache(tmp_path))
    worker.start()
    config = ModelConfig("depth", "runway", server.url)
    pixels = np.zeros((30, 40, 3), np.uint8)
    start = time.monotonic()
    jobs = [worker.request("depth", config, pixels=pixels + i, size=(40, 30)) for i in range(5)]
    assert time.monotonic() - start < 0.05  # asking never waits
    answers = messages(inbox, 1.5)
    worker.close()
    assert [a.job for a in answers] == [jobs[-1]]  # only the newest is answered
    assert isinstance(answers[0], ModelAnswer) and answers[0].array.shape == (30, 40)
    assert server.count("POST", "/query") <= 2  # the first (already in flight) and the last
    assert worker.status["depth"] == "ready"


def test_cancel_drops_the_answer_and_failures_are_reported(server, tmp_path):
    server.route("POST", "/query", lambda ex: (time.sleep(0.3), ex.json(200, {"depth": GRADIENT_URI})))
    inbox: queue.Queue = queue.Queue()
    worker = ModelWorker(inbox, ModelCache(tmp_path))
    worker.start()
    config = ModelConfig("depth", "runway", server.url)
    worker.request("depth", config, pixels=np.zeros((30, 40, 3), np.uint8))
    time.sleep(0.05)
    worker.cancel()
    assert messages(inbox, 0.8) == []
    server.route("POST", "/query", lambda ex: ex.json(401, {}))
    job = worker.request("depth", config, pixels=np.ones((30, 40, 3), np.uint8))
    failed = messages(inbox, 1.0)
    worker.close()
    assert len(failed) == 1 and isinstance(failed[0], JobFailed) and failed[0].job == job
    assert "refused (401)" in failed[0].message and worker.status["depth"].startswith("failed: ")


@pytest.mark.window
def test_the_window_fetches_depth_without_stalling(server, display, tmp_path):
    server.route("POST", "/query", lambda ex: ex.json(200, {"depth": GRADIENT_URI}))
    models = tmp_path / "models.toml"
    models.write_text(f'[models.depth]\nprovider = "runway"\nurl = "{server.url}"\n')
    result = run_cli("play", str(IMAGES / "coffee.png"), "--models", str(models), "--fetch-depth-every", "5",
                     "--frames", "30", "-e", "depthmap", env={"DISPLAY": display}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "models: depth from" in result.stderr
    assert "depth from depth (" in result.stderr and "ms from request to texture" in result.stderr


def test_enhance_sends_the_frame_and_answers_a_picture(server, tmp_path):
    """Image to image: the worker sends the frame with the model's params and the picture the
    model made comes back (here the fake model inverts it)."""
    import json

    from shaderlab.models.codec import decode_image, from_base64, to_data_uri

    def invert(ex) -> None:
        body = json.loads(ex.body)
        picture = decode_image(from_base64(body["image"], "request"), "request")
        ex.json(200, {"depth": to_data_uri(255 - picture), "strength": body["strength"]})

    server.route("POST", "/query", invert)
    inbox: queue.Queue = queue.Queue()
    worker = ModelWorker(inbox, ModelCache(tmp_path))
    worker.start()
    config = ModelConfig("dreamer", "runway", server.url, params={"strength": 0.5})
    frame = np.random.default_rng(1).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    job = worker.request("enhance", config, dict(config.params), pixels=frame)
    answers = messages(inbox, 1.0)
    worker.close()
    assert len(answers) == 1 and answers[0].job == job and answers[0].kind == "enhance"
    assert np.array_equal(answers[0].array[..., :3], 255 - frame)
    sent = json.loads(next(entry for entry in server.log if entry[1] == "/query")[3])
    assert sent["strength"] == 0.5


def test_local_depth_models_refuse_to_enhance(tmp_path):
    inbox: queue.Queue = queue.Queue()
    worker = ModelWorker(inbox, ModelCache(tmp_path))
    worker.start()
    worker.request("enhance", ModelConfig("mine", "builtin", ""), pixels=np.zeros((8, 8, 3), np.uint8))
    failed = messages(inbox, 0.5)
    worker.close()
    assert len(failed) == 1 and isinstance(failed[0], JobFailed)
    assert "makes depth only" in failed[0].message
