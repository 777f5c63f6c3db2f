"""Clips and cameras as the source in the real window (in this process, on a fixed clock): the
frame on show is the decoded frame the transport points at, pixel for pixel; the transport
follows commands; an effect's image input plays a clip; a test-pattern camera feeds the show;
a bad clip leaves the picture on show."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clips import decoded_frames, make_clip, stamp_of
from in_process import photo, run_app, wait_for
from shaderlab.control.namespace import Namespace, commands_for
from shaderlab.show import commands as c
from shaderlab.show.settings import CLIP_MODE, CLIP_SPEED
from shaderlab.show.slots import chain_address
from shaderlab.stage.moving import ClipPicture, LivePicture

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def on_the_display(display, monkeypatch):
    monkeypatch.setenv("DISPLAY", display)


@pytest.fixture(scope="module")
def clip_path(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clips") / "stamped.mp4", frames=40, gop=12)


@pytest.fixture(scope="module")
def decoded(clip_path):
    return decoded_frames(clip_path)


def _shown(app) -> np.ndarray:
    return app.stage.read_output()[..., :3]


def test_the_frame_on_show_is_the_decoded_frame_the_transport_points_at(clip_path, decoded):
    seen: list[tuple[int, int, bool]] = []

    def script(app):
        yield from wait_for(app, lambda: isinstance(app.stage.moving, ClipPicture))
        for _ in range(50):  # 30 fps on a 30 fps clip: one clip frame a show frame, round the loop
            yield
            picture = app.stage.moving
            index = picture.shown_index
            seen.append((picture.transport.index, index, np.array_equal(_shown(app), decoded[index])))
        seen.append(picture.late)

    run_app(script, str(clip_path), "--size", "480x320")
    late = seen.pop()
    assert all(exact for _, _, exact in seen)  # no effects: the texture is the decoded frame exactly
    on_time = [head == shown for head, shown, _ in seen]
    assert sum(on_time) >= 45 and late <= 5, (seen, late)
    heads = [head for head, _, _ in seen]
    assert heads[:3] == [1, 2, 3] and 0 in heads  # it advanced a frame a frame, and looped


def test_the_transport_follows_commands_from_any_surface(clip_path):
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: isinstance(app.stage.moving, ClipPicture))
        transport = app.stage.moving.transport
        namespace = Namespace.of(app.store)
        post = lambda address, *args: [app.inbox.put(cmd) for cmd in commands_for(namespace, address, list(args), "osc")]
        post("/shaderlab/clip/seek", 0.5)
        yield
        seen["seek"] = transport.index
        post("/shaderlab/settings/clip/speed", -1.0)
        yield
        before = transport.index
        for _ in range(5):
            yield
        seen["reverse"] = (before, transport.index)
        app.inbox.put(c.SetValue(CLIP_SPEED, 0.0))
        yield
        held = transport.index
        for _ in range(5):
            yield
        seen["hold"] = (held, transport.index)
        post("/shaderlab/clip/mark")
        post("/shaderlab/clip/seek", 0.0)
        yield
        post("/shaderlab/clip/cue", 1)
        yield
        seen["cue"] = (held, transport.index)
        post("/shaderlab/clip/cue", 4)
        yield
        seen["missing cue"] = app.store.session.notes[-1].text
        app.inbox.put(c.SetValue(CLIP_SPEED, 2.0))
        app.inbox.put(c.SetValue(CLIP_MODE, 2))  # once
        for _ in range(30):
            yield
        seen["once"] = transport.index
        yield from wait_for(app, lambda: app.stage.moving.shown_index == transport.index)
        seen["shown"] = stamp_of(app.stage.read_output())

    run_app(script, str(clip_path), "--size", "480x320")
    assert seen["seek"] in (19, 20)
    before, after = seen["reverse"]
    assert after == before - 5
    assert seen["hold"][0] == seen["hold"][1]
    assert seen["cue"][0] == seen["cue"][1]
    assert seen["missing cue"] == "the clip has no cue point 4 (1 marked)"
    assert seen["once"] == 39 and seen["shown"] == 39  # once: the last frame stays


def test_an_effect_image_input_plays_a_clip(clip_path, decoded):
    seen = []

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("wipe"))
        app.inbox.put(c.SetValue(chain_address("wipe", "progress"), 1.0))  # all endImage
        app.inbox.put(c.SetValue(chain_address("wipe", "softness"), 0.0))
        app.inbox.put(c.SetValue(chain_address("wipe", "endImage"), str(clip_path)))
        yield from wait_for(app, lambda: any(p.started for p in app.stage.images.moving()))
        for _ in range(6):
            yield
            seen.append(_shown(app))

    run_app(script, str(clip_path), "--size", "480x320")
    stamps = [stamp_of(pixels) for pixels in seen]
    for pixels, stamp in zip(seen, stamps):
        assert np.array_equal(pixels, decoded[stamp])  # the input's own player: exactly its frame
    assert len(set(stamps)) >= 4  # it moves


def test_a_camera_feeds_the_show():
    seen = []

    def script(app):
        yield from wait_for(app, lambda: isinstance(app.stage.moving, LivePicture))
        for _ in range(20):
            yield
        seen.append(app.stage.moving.frames_shown)
        seen.append(app.stage.output.size)

    run_app(script, "--camera", "lavfi:testsrc2=size=200x120:rate=30", "--size", "480x320")
    assert seen[0] >= 5 and seen[1] == (200, 120)


def test_a_camera_that_is_not_there_is_one_line_and_the_show_goes_on():
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: any("/dev/video99" in n.text and n.error for n in app.store.session.notes))
        seen["notes"] = [n.text for n in app.store.session.notes if n.error]
        app.inbox.put(c.OpenImage(photo()))
        yield from wait_for(app, lambda: app.stage.output is not None)

    run_app(script, "--camera", "/dev/video99", "--size", "480x320")
    assert seen["notes"] == ["no camera at /dev/video99 (is one plugged in? `shaderlab cameras` lists them)"]


def test_a_bad_clip_keeps_the_picture_and_a_deleted_one_plays_on(tmp_path, clip_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(5000))
    doomed = tmp_path / "doomed.mp4"
    doomed.write_bytes(clip_path.read_bytes())
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        still = app.stage.source
        app.inbox.put(c.OpenImage(broken))
        yield from wait_for(app, lambda: any(n.error for n in app.store.session.notes))
        seen["error"] = [n.text for n in app.store.session.notes if n.error]
        seen["still kept"] = app.stage.source is still and app.stage.moving is None
        app.inbox.put(c.OpenImage(doomed))
        yield from wait_for(app, lambda: isinstance(app.stage.moving, ClipPicture))
        doomed.unlink()  # the open file plays on
        before = app.stage.moving.frames_shown
        for _ in range(45):
            yield
        seen["played on"] = app.stage.moving.frames_shown - before
        seen["errors after"] = [n.text for n in app.store.session.notes if n.error]

    run_app(script, str(photo()), "--size", "480x320")
    assert len(seen["error"]) == 1 and seen["error"][0].startswith(f"{broken}: ") and "\n" not in seen["error"][0]
    assert seen["still kept"]
    assert seen["played on"] >= 40 and seen["errors after"] == seen["error"]


def test_a_clip_show_logged_replays_frame_for_frame(tmp_path, clip_path):
    from conftest import run_cli
    from PIL import Image

    log = tmp_path / "show.log"
    live = []

    def script(app):
        yield from wait_for(app, lambda: app.stage.moving is not None and app.outputs.show_log is not None)
        app.inbox.put(c.AddEffect("rgb_split"))
        for n in range(24):
            if n == 8:
                app.inbox.put(c.SetValue(CLIP_SPEED, -2.0))
            if n == 16:
                app.inbox.put(c.ClipSeek(0.25))
            yield
            live.append((app.frames_rendered - 1, app.stage.read_shown()[..., :3]))

    run_app(script, str(clip_path), "--size", "480x320", "--show-log", str(log))
    out = tmp_path / "replayed"
    result = run_cli("render", "--replay", str(log), "-o", str(out))
    assert result.returncode == 0, result.stderr
    replayed = [np.asarray(Image.open(p))[..., :3] for p in sorted(out.glob("frame_*.png"))]
    logged = [json.loads(line)["f"] for line in log.read_text().splitlines()[1:] if '"f":' in line]
    assert len(replayed) == len(logged)
    for index, pixels in live:  # each frame the show rendered, as the replay renders it
        assert np.array_equal(replayed[logged.index(index)], pixels), index
    assert '"clip": [' in log.read_text()


def test_a_moving_source_gets_its_depth_estimated_again_as_it_plays(clip_path, decoded):
    """With an effect that reads depth, new frames get the built-in estimate on a worker as often
    as it can; each depth map is the estimate of a frame the clip showed."""
    from shaderlab.io.depth import estimate_depth_builtin

    maps = []

    def script(app):
        yield from wait_for(app, lambda: isinstance(app.stage.moving, ClipPicture))
        app.inbox.put(c.AddEffect("depth_colour"))
        for _ in range(40):
            yield
            if app.stage.depth_pixels is not None and all(app.stage.depth_pixels is not m for m in maps):
                maps.append(app.stage.depth_pixels)

    run_app(script, str(clip_path), "--size", "480x320")
    assert len(maps) >= 3, len(maps)
    estimates = {n: estimate_depth_builtin(pixels) for n, pixels in decoded.items()}
    for depth in maps[1:]:
        assert any(np.allclose(depth, estimate, atol=1e-6) for estimate in estimates.values())


def test_hosted_depth_for_chosen_frames_of_a_playing_clip(clip_path, decoded, server, tmp_path):
    """--fetch-depth-every N with a hosted depth model while a clip plays: the model is sent the
    frame on screen (with no effect: a frame the clip showed), and its answer becomes the depth
    map on show."""
    from shaderlab.models.codec import decode_image, from_base64
    from test_models_http import GRADIENT_URI

    sent = []

    def answer(exchange) -> None:
        sent.append(decode_image(from_base64(json.loads(exchange.body)["image"], "request"), "request"))
        exchange.json(200, {"depth": GRADIENT_URI})

    server.route("GET", "/", lambda exchange: exchange.json(200, {"status": "running"}))
    server.route("GET", "/info", lambda exchange: exchange.json(200, {
        "inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "depth", "type": "image"}]}))
    server.route("POST", "/query", answer)
    models = tmp_path / "models.toml"
    models.write_text(f'[models.depth]\nprovider = "runway"\nurl = "{server.url}"\n')
    seen = {}

    def hosted(app) -> bool:
        depth = app.stage.depth_pixels
        # the model's answer: a left-to-right ramp, the same on every row (the estimate is not)
        return depth is not None and np.allclose(depth[0], depth[-1]) and depth[0, -1] > depth[0, 0] + 0.5

    def script(app):
        yield from wait_for(app, lambda: isinstance(app.stage.moving, ClipPicture))
        yield from wait_for(app, lambda: hosted(app))  # what is on screen is sent: here the clip's frame
        seen["notes"] = [note.text for note in app.store.session.notes]

    run_app(script, str(clip_path), "--size", "480x320", "--models", str(models), "--fetch-depth-every", "10")
    assert sent and any("depth from depth (" in text for text in seen["notes"]), seen["notes"]
    frame = sent[0][..., :3].astype(int)
    assert min(np.abs(frame - pixels[..., :3]).mean() for pixels in decoded.values()) < 2  # a frame of the clip
