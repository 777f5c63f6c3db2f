"""Clips and live feeds without GL: frame-exact decoding in any order, the transport, the
player's thread, a camera-style feed (FFmpeg's lavfi test pattern), and every kind of bad
input giving one line. The clips are made here from our photographs (tests/clips.py)."""

from __future__ import annotations

import queue
import time
import wave

import numpy as np
import pytest

from clips import make_clip, make_variable_rate_clip, stamp_of, stamped
from shaderlab.media.clip import Clip, MediaError, is_clip
from shaderlab.media.player import ClipPlayer, gl_rows
from shaderlab.show.messages import FeedFailed, FeedFrame
from shaderlab.show.transport import LOOP, ONCE, PING_PONG, Transport

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def clip_path(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clips") / "stamped.mp4", frames=40, gop=12)


def test_every_frame_is_the_one_encoded_and_the_same_in_any_order(clip_path):
    with Clip(clip_path) as clip:
        assert (clip.info.frames, clip.info.fps, clip.info.size) == (40, 30.0, (160, 96))
        in_order = dict(clip.frames())
    assert sorted(in_order) == list(range(40))
    for number, pixels in in_order.items():
        assert stamp_of(pixels) == number
        assert np.abs(pixels.astype(int) - stamped(number, (160, 96))).mean() < 3.0  # the codec's loss only
    # Backwards, jumping, and with no cache at all: the same pixels for the same number.
    with Clip(clip_path, cache_bytes=0) as clip:
        for number in [39, 38, 5, 30, 0, 17, 16, 39, 1]:
            assert np.array_equal(clip.frame(number), in_order[number]), number
    with Clip(clip_path) as clip:
        for number in range(39, -1, -1):
            assert np.array_equal(clip.frame(number), in_order[number]), number


def test_gifs_and_webps_with_several_frames_are_clips(tmp_path):
    from PIL import Image

    frames = [Image.fromarray(stamped(i, (48, 32))) for i in range(6)]
    frames[0].save(tmp_path / "moving.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    frames[0].save(tmp_path / "still.gif")
    assert is_clip(tmp_path / "moving.gif") and not is_clip(tmp_path / "still.gif")
    assert is_clip(tmp_path / "clip.mp4") and not is_clip(tmp_path / "photo.png")
    with Clip(tmp_path / "moving.gif") as clip:
        assert (clip.info.frames, clip.info.fps) == (6, 10.0)
        assert [stamp_of(clip.frame(n)) for n in range(6)] == list(range(6))


def test_the_transport_loops_ping_pongs_stops_holds_and_reverses():
    transport = Transport(frames=10, fps=10.0)
    for _ in range(12):
        transport.advance(0.1, 1.0, LOOP)
    assert transport.index == 2  # 12 frames on a 10-frame loop
    transport.advance(0.3, -1.0, LOOP)
    assert transport.index == 9  # backwards past the start: the end
    transport.advance(5.0, 0.0, LOOP)
    assert transport.index == 9  # speed 0 holds
    once = Transport(frames=10, fps=10.0)
    once.advance(3.0, 2.0, ONCE)
    assert once.index == 9
    seen = []
    pong = Transport(frames=5, fps=10.0)
    for _ in range(12):
        pong.advance(0.1, 1.0, PING_PONG)
        seen.append(pong.index)
    assert seen == [1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4]
    # What is wanted next follows the mode: ahead of the head, round the loop.
    head = Transport(frames=10, fps=10.0, position=0.8)
    assert head.ahead(0.1, 1.0, LOOP, lookahead=0.3) == (8, 9, 0, 1)
    assert head.ahead(0.1, -2.0, LOOP, lookahead=0.3) == (8, 7, 6, 5, 4, 3, 2)  # every frame passed over
    assert head.ahead(0.1, 1.0, ONCE, lookahead=0.3) == (8, 9)
    fast = Transport(frames=1000, fps=30.0)  # 12 frames a show frame: only those landed on
    assert fast.ahead(0.1, 4.0, LOOP, lookahead=0.25) == (0, 12, 24, 36)


def test_scrub_cue_points_and_marks():
    transport = Transport(frames=100, fps=25.0, cue_points=[2.0])
    transport.seek(0.5)
    assert transport.index == 49  # half of the last frame's start, 3.96 s
    assert transport.jump(0) and transport.index == 50
    assert not transport.jump(3)
    transport.seek(0.1)
    assert transport.mark() == 0 and transport.cue_points[0] < 2.0
    transport.seek(float("nan"))  # refused upstream; ignored here
    assert transport.fraction == pytest.approx(0.1, abs=0.01)


def test_the_player_sends_what_is_wanted_converted_for_the_gl(clip_path):
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    with Clip(clip_path) as reference:
        expected = {n: gl_rows(reference.frame(n)) for n in (3, 4, 5, 20)}
    player = ClipPlayer(Clip(clip_path), inbox.put).start()
    try:
        player.want((3, 4, 5))
        got = {}
        while len(got) < 3:
            message = inbox.get(timeout=10)
            assert isinstance(message, FeedFrame) and message.feed is player
            got[message.index] = message.rows
        player.want((20,))  # a jump: only the new wish is decoded
        message = inbox.get(timeout=10)
        got[message.index] = message.rows
    finally:
        player.stop()
        player.join()
    assert sorted(got) == [3, 4, 5, 20]
    for number, rows in got.items():
        assert rows.shape == (96, 160, 4) and rows.flags.c_contiguous
        assert np.array_equal(rows, expected[number])
    assert stamp_of(got[20][::-1]) == 20  # bottom row first, as GL takes it


def test_a_variable_frame_rate_shows_each_frame_at_its_own_time_and_says_so(tmp_path):
    with Clip(make_variable_rate_clip(tmp_path / "vfr.mkv")) as clip:  # 60 ms, 20 ms, 60 ms …
        assert clip.info.variable_rate and clip.info.fps == 50.0  # the grid the timestamps sit on
        assert clip.warnings == ["vfr.mkv: its frames are not evenly spaced (dropped frames or a variable rate); "
                                 "each is shown at its own time, on a 50 fps grid"]
        shown = [stamp_of(clip.frame(n)) for n in range(12)]
    assert shown == [0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 4, 5]


def _wav(path, seconds=0.5):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(np.zeros(int(8000 * seconds), np.int16).tobytes())
    return path


def test_bad_clips_are_one_line_each(tmp_path, clip_path):
    cases = {}
    cases["missing"] = tmp_path / "gone.mp4"
    (tmp_path / "noise.mp4").write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, np.uint8).tobytes())
    cases["corrupt"] = tmp_path / "noise.mp4"
    (tmp_path / "half.mp4").write_bytes(clip_path.read_bytes()[: clip_path.stat().st_size // 2])
    cases["truncated mp4 (no index)"] = tmp_path / "half.mp4"
    cases["sound only"] = _wav(tmp_path / "sound.wav")
    # A codec FFmpeg does not know: a ProRes file with its codec tag spoilt.
    prores = make_clip(tmp_path / "prores.mov", frames=3, size=(64, 48), codec="prores", pix_fmt="yuv422p10le")
    data = prores.read_bytes()
    (tmp_path / "unknown.mov").write_bytes(data.replace(b"apcn", b"zzzz"))
    cases["unknown codec"] = tmp_path / "unknown.mov"
    # 10240×5760 (a 16:9 10K frame): over the 8K a live show decodes; one frame, PNG-coded, tiny on disk.
    cases["too large"] = make_clip(tmp_path / "huge.mov", frames=1, size=(10240, 5760), codec="png", pix_fmt="rgb24",
                                   blank=True)
    said = {}
    for what, path in cases.items():
        with pytest.raises(MediaError) as caught:
            Clip(path)
        said[what] = str(caught.value)
    for what, text in said.items():
        assert "\n" not in text and str(cases[what]) in text, (what, text)
    assert "no such video file" in said["missing"]
    assert "has no video stream" in said["sound only"]
    assert "codec is not one this FFmpeg can decode" in said["unknown codec"]
    assert "10240×5760 is too large to play live" in said["too large"]


def test_a_clip_cut_short_gives_its_last_good_frame(tmp_path):
    # MKV (unlike MP4) has its index up front: cut off, the frames before the cut still play.
    whole = make_clip(tmp_path / "whole.mkv", frames=30, gop=5)
    (tmp_path / "cut.mkv").write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    with Clip(tmp_path / "cut.mkv") as clip:
        frames = clip.info.frames
        last = clip.frame(frames - 1)  # past the cut: the last frame decoded stands
        assert 8 < stamp_of(last) < 29
        assert stamp_of(clip.frame(2)) == 2


def test_a_camera_style_feed_gives_frames_paced_and_bounded():
    from shaderlab.media.camera import CameraDevice
    from shaderlab.media.live import LiveFeed

    inbox: queue.SimpleQueue = queue.SimpleQueue()
    device = CameraDevice("lavfi:testsrc2=size=160x120:rate=30")
    feed = LiveFeed(device, None, inbox.put).start()
    try:
        time.sleep(1.0)  # nobody takes frames: at most two wait, the rest are dropped at the feed
        waiting = []
        while not inbox.empty():
            waiting.append(inbox.get())
        assert len(waiting) == 2 and feed.dropped >= 20
        for _ in waiting:
            feed.taken()
        begun, got = time.monotonic(), 0
        while time.monotonic() - begun < 1.0:
            try:
                message = inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            got += 1
            feed.taken()
            assert message.rows.shape == (120, 160, 4)
        assert 20 <= got <= 40  # paced at its 30 fps
    finally:
        feed.stop()
        feed.join()


def test_cameras_that_are_not_there_are_one_line():
    from shaderlab.media.camera import CameraDevice

    with pytest.raises(MediaError, match=r"^no camera at /dev/video99 \(is one plugged in"):
        CameraDevice("/dev/video99")
    with pytest.raises(MediaError, match="no camera named 'no such camera here'"):
        CameraDevice("no such camera here")
    with pytest.raises(MediaError, match="no camera named 'nonsense:x'.*FORMAT:SPEC opens an FFmpeg input device"):
        CameraDevice("nonsense:x")  # not an FFmpeg format here: a name (V4L2 names may hold a colon)


def test_a_feed_whose_device_ends_says_so_and_comes_back(tmp_path):
    """A camera unplugged and plugged in again: here an FFmpeg input that ends (a short test
    pattern) and opens again."""
    from shaderlab.media import live
    from shaderlab.media.camera import CameraDevice
    from shaderlab.media.live import LiveFeed

    inbox: queue.SimpleQueue = queue.SimpleQueue()
    spec = "lavfi:testsrc2=size=64x48:rate=30:duration=0.3"
    old, live.RETRY_SECONDS = live.RETRY_SECONDS, 0.3
    try:
        feed = LiveFeed(CameraDevice(spec), lambda: CameraDevice(spec), inbox.put).start()
        said: list[FeedFailed] = []
        frames = 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(s.recovered for s in said):
            try:
                message = inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            if isinstance(message, FeedFrame):
                frames += 1
                feed.taken()
            else:
                said.append(message)
        feed.stop()
        feed.join()
    finally:
        live.RETRY_SECONDS = old
    assert frames >= 5
    assert said[0].message.startswith(spec) and "the last frame stays, trying again" in said[0].message
    assert any(s.recovered and s.message.endswith("is back") for s in said)


def test_scenes_keep_how_a_clip_plays(tmp_path):
    from shaderlab.errors import SceneError
    from shaderlab.scene import load_scene, scene_text
    from shaderlab.show import Store, app_settings, scene_to_store
    from shaderlab.show.scenes import store_to_scene
    from shaderlab.show.settings import CLIP_MODE, CLIP_SPEED

    path = tmp_path / "clip.toml"
    path.write_text('[source]\nimage = "loop.mp4"\nspeed = -0.5\nmode = "ping-pong"\ncue_points = [4.5, 1.0]\n')
    scene = load_scene(path)
    assert scene.clip == {"speed": -0.5, "mode": "ping-pong", "cue_points": [1.0, 4.5]}
    store = Store(spec_of=lambda name: None, settings=app_settings(None))
    scene_to_store(scene, store)
    assert (store.get(CLIP_SPEED), store.get(CLIP_MODE), store.session.cue_points) == (-0.5, 1, [1.0, 4.5])
    store.session.clip = True
    again = store_to_scene(store)
    assert again.clip == scene.clip
    assert 'mode = "ping-pong"' in scene_text(again, tmp_path)
    for bad, said in [("speed = 9", "source.speed must be a number from -4 to 4"),
                      ('speed = "fast"', "source.speed must be a number"),
                      ("speed = nan", "source.speed must be a number"),
                      ('mode = "shuffle"', "source.mode must be one of loop, ping-pong, once"),
                      ("cue_points = [1, -2]", "source.cue_points must be a list of seconds")]:
        path.write_text(f'[source]\nimage = "loop.mp4"\n{bad}\n')
        with pytest.raises(SceneError, match=said):
            load_scene(path)


class CountingClip(Clip):
    """A clip that counts its own seeks (each one decodes from a keyframe again)."""

    seeks = 0

    def _seek(self, index, back=0.0):
        self.seeks += 1
        super()._seek(index, back)


def test_missing_frame_numbers_give_the_frame_before_without_seeking_again(tmp_path):
    from clips import make_clip_with_gaps

    path = make_clip_with_gaps(tmp_path / "gaps.mkv", [0, 1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15])
    with CountingClip(path) as clip:
        shown = [stamp_of(clip.frame(n)) for n in range(clip.info.frames)]
        first_pass = clip.seeks
        again = [stamp_of(clip.frame(n)) for n in range(clip.info.frames)]
    assert shown[:10] == [0, 1, 2, 2, 2, 5, 6, 7, 8, 9]  # 3 and 4: the frame on show then, 2
    assert again == shown
    assert first_pass <= 1, first_pass  # straight through: no seek storm at the gaps


def test_past_where_a_cut_file_ends_no_frame_seeks_again(tmp_path):
    whole = make_clip(tmp_path / "whole.mkv", frames=40, gop=5)
    (tmp_path / "cut.mkv").write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.5)])
    with CountingClip(tmp_path / "cut.mkv") as clip:
        for n in range(clip.info.frames):
            clip.frame(n)
        seeks = clip.seeks
        for n in range(clip.info.frames):  # the loop comes round again
            clip.frame(n)
        assert clip.seeks - seeks <= 2, clip.seeks - seeks


@pytest.mark.parametrize("codec, suffix, extra", [
    ("libx264", ".mp4", ["-pix_fmt", "yuv420p"]),
    ("libx265", ".mp4", ["-pix_fmt", "yuv420p", "-x265-params", "log-level=error"]),
    ("libvpx-vp9", ".webm", ["-pix_fmt", "yuv420p"]),
    ("prores", ".mov", []),
    ("hap", ".mov", []),
    ("gif", ".gif", []),
    ("libwebp_anim", ".webp", ["-loop", "0"]),
])
def test_the_codecs_a_vj_meets_play_frame_for_frame(tmp_path, codec, suffix, extra):
    """Clips in each codec, made by the ffmpeg the video extra bundles: every frame, in order.

    25 frames a second because a GIF keeps its delays in hundredths: 30 would come back as 33.3."""
    import subprocess

    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    from PIL import Image

    for n in range(10):
        Image.fromarray(stamped(n, (64, 48))).save(tmp_path / f"in_{n:03d}.png")
    out = tmp_path / f"clip{suffix}"
    made = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-framerate", "25",
                           "-i", str(tmp_path / "in_%03d.png"), "-c:v", codec, *extra, str(out)],
                          capture_output=True, text=True, timeout=60)
    if made.returncode != 0:
        pytest.skip(f"this ffmpeg cannot encode {codec}: {made.stderr.strip()[-200:]}")
    with Clip(out) as clip:  # animated WebP through Pillow where FFmpeg (before 8.0) cannot decode it
        assert clip.info.frames == 10 and clip.info.fps == pytest.approx(25, abs=0.1), clip.info
        assert [stamp_of(clip.frame(n)) for n in range(10)] == list(range(10))
        assert [stamp_of(clip.frame(n)) for n in (9, 3, 0)] == [9, 3, 0]


def test_an_animated_webp_holds_each_frame_for_its_own_time(tmp_path):
    """Frames held longer in the file are shown longer: a grid as fine as the shortest frame."""
    from PIL import Image

    pictures = [Image.fromarray(stamped(n, (64, 48))) for n in range(3)]
    path = tmp_path / "held.webp"
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=[40, 80, 40], loop=0, lossless=True)
    with Clip(path, pixel_format="rgba") as clip:
        assert clip.info.fps == pytest.approx(25) and clip.info.frames == 4 and clip.info.variable_rate
        assert clip.frame(0).shape == (48, 64, 4)
        assert [stamp_of(clip.frame(n)[..., :3]) for n in range(5)] == [0, 1, 1, 2, 2]
        assert any("different times" in warning for warning in clip.warnings)
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=[40, 100, 60], loop=0, lossless=True)
    with Clip(path) as clip:  # a grid of their common divisor, 20 ms: each frame for its own time
        assert clip.info.fps == pytest.approx(50) and clip.info.frames == 10
        assert [stamp_of(clip.frame(n)) for n in range(10)] == [0, 0, 1, 1, 1, 1, 1, 2, 2, 2]
    (tmp_path / "short.webp").write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8X")  # cut short: an error, not a crash
    with pytest.raises(MediaError):
        Clip(tmp_path / "short.webp")
