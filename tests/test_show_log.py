"""The show log (issue 15): a performance played in the real window — OSC messages, a MIDI
knob through a real JACK port, an LFO, a sound file's follower, cues, arrow-key sorting, a
blackout — logged as it goes and recorded,
then rendered again headless from the log: the same number of frames, each the recorded one."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import run_cli
from in_process import photo, run_app, wait_for
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.show_log import read
from shaderlab.show.slots import chain_address


@pytest.fixture(autouse=True)
def on_the_display(display, monkeypatch):
    monkeypatch.setenv("DISPLAY", display)


def frames(folder: Path) -> list[np.ndarray]:
    return [np.asarray(Image.open(p).convert("RGB")).astype(int) for p in sorted(folder.glob("*.png"))]


def test_a_logged_show_replays_frame_for_frame(tmp_path, jack_server):
    import mido
    from pythonosc.udp_client import SimpleUDPClient

    from conftest import jack_connected
    from test_audio_analysis import clicks

    knob = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output("test-show-knob", virtual=True)

    with wave.open(str(tmp_path / "beat.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes((np.clip(clicks(np.arange(0, 6, 0.5), 6.0), -1, 1) * 32767).astype("<i2").tobytes())
    (tmp_path / "drop.toml").write_text('[[effects]]\nname = "saturate"\nid = "saturate"\nparams = { amount = 3.5 }\n'
                                        '[[effects]]\nname = "pixelate"\nid = "pixelate"\nparams = { size = 8 }\n')
    (tmp_path / "set.toml").write_text('[[cue]]\nname = "drop"\nscene = "drop.toml"\ntransition = "wipe"\n'
                                       'seconds = 0.5\n')

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and app.outputs.show_log is not None)
        client = SimpleUDPClient("127.0.0.1", app.hub.surfaces[0].port)
        client.send_message("/shaderlab/chain/add", "rgb_split")
        yield from wait_for(app, lambda: "rgb_split" in app.store.chain.ids)
        client.send_message("/shaderlab/chain/rgb_split/amount", 20.0)
        # a knob on a MIDI controller (a real port through JACK) learned for the split's angle
        app.inbox.put(c.MidiLearn(chain_address("rgb_split", "angle")))
        yield
        assert jack_connected("test-show-knob"), "the knob's port was never connected to the show's"
        knob.send(mido.Message("control_change", control=74, value=0))
        yield from wait_for(app, lambda: app.hub.midi.mappings)
        for value in (1, 45):  # at the show's angle, 0 (taken over), then turned to 45/127
            knob.send(mido.Message("control_change", control=74, value=value))
        yield from wait_for(app, lambda: app.store.get(chain_address("rgb_split", "angle")) == pytest.approx(45 / 127 * 360))
        app.inbox.put(c.Modulate((("address", chain_address("rgb_split", "angle")), ("shape", "saw_up"),
                                  ("sync", "1 bar"), ("depth", 0.5))))
        app.inbox.put(c.Modulate((("address", chain_address("rgb_split", "amount")), ("follow", "level"),
                                  ("depth", 0.1))))
        for _ in range(6):
            app.inbox.put(c.SortStep("right"))
            yield
        app.inbox.put(c.SortReset())  # R: the unsorted picture again, in the replay too
        for _ in range(3):
            app.inbox.put(c.SortStep("down"))
            yield
        app.inbox.put(c.CueGo())
        for _ in range(20):
            yield
        app.inbox.put(c.Panic())  # feedback, sort and fades undone: replayed as an event
        for _ in range(3):
            yield
        app.inbox.put(c.Toggle("settings/show/blackout"))
        for _ in range(10):
            yield

    try:
        run_app(script, str(photo()), "--size", "240x160", "--osc", "0", "--audio", str(tmp_path / "beat.wav"),
                "--audio-out", "none", "--set", str(tmp_path / "set.toml"), "--record", str(tmp_path / "live"),
                "--show-log", str(tmp_path / "show.log"), "--midi-in", "test-show-knob", "--midi-api", "JACK",
                "--midi-profile", str(tmp_path / "knob.toml"), max_frames=400)
    finally:
        knob.close()
    head, states = read(tmp_path / "show.log")
    logged = [state.index for state in states]
    assert head["size"] == [600, 400] and len(logged) >= 35
    entries = [json.loads(line) for line in (tmp_path / "show.log").read_text().splitlines()[1:]]
    history = [entry.get("said", []) for entry in entries if "f" in entry]
    # a frame the recording dropped (its encoder behind on a busy machine) is marked in the log
    unrecorded = {entry["unrecorded"] for entry in entries if "unrecorded" in entry}
    kept = [n for n, index in enumerate(logged) if index not in unrecorded]
    said = [text for lines in history for text in lines]
    assert any(text.startswith("AddEffect") for text in said) and any("CueGo" in text for text in said)
    assert any("(osc:127.0.0.1:" in text for text in said)  # the surface each came from
    assert any("(midi)" in text and "rgb_split/angle" in text for text in said), [t for t in said if "midi" in t]

    done = run_cli("render", "--replay", str(tmp_path / "show.log"), "-o", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    live, again = frames(tmp_path / "live"), frames(tmp_path / "again")
    assert len(again) == len(logged) and len(live) == len(kept)
    worst = max(int(np.abs(a - again[n]).max()) for a, n in zip(live, kept))
    assert worst <= 2, f"a replayed frame differs from the live one by up to {worst}"
    assert again[-1].mean() < again[-12].mean() * 0.8  # the blackout fading in, in the replay too

    big = run_cli("render", "--replay", str(tmp_path / "show.log"), "--size", "1200x800", "-o", str(tmp_path / "big"))
    assert big.returncode == 0, big.stderr
    assert frames(tmp_path / "big")[0].shape == (800, 1200, 3) and len(frames(tmp_path / "big")) == len(logged)


def test_a_log_cut_short_replays_as_far_as_it_goes_and_bad_logs_are_one_line(tmp_path):
    (tmp_path / "not.log").write_text("hello\n")
    with pytest.raises(ShaderlabError, match="not a shaderlab show log"):
        read(tmp_path / "not.log")
    with pytest.raises(ShaderlabError, match="no such show log"):
        read(tmp_path / "missing.log")
    done = run_cli("render", "--replay", str(tmp_path / "not.log"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_the_panel_switch_starts_and_ends_a_log(tmp_path):
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.ShowLog(tmp_path / "later.log"))
        for _ in range(5):
            yield
        app.inbox.put(c.ShowLog(None))
        yield
        seen["logging"] = app.outputs.show_log

        def closed() -> bool:  # ended on a thread of its own: the show goes on meanwhile
            return any("show log:" in note.text for note in app.store.session.notes)
        yield from wait_for(app, closed, frames=200)
        app.inbox.put(c.ShowLog(None))  # nothing to end: one line
        yield
        seen["notes"] = [note.text for note in app.store.session.notes]

    run_app(script, str(photo()), "--size", "160x120", max_frames=400)
    head, states = read(tmp_path / "later.log")
    assert seen["logging"] is None and 4 <= len(list(states)) <= 6
    assert any("not being logged" in text for text in seen["notes"])


def test_a_damaged_log_is_one_line_and_a_log_never_replaces_another(tmp_path):
    from shaderlab.app.show_log import ShowLogWriter

    (tmp_path / "crashed.log.partial").write_text('{"format": "shaderlab show log", "version": 1, "size": [4, 4]}\n')
    with pytest.raises(ShaderlabError, match="cut short is there"):
        ShowLogWriter(tmp_path / "crashed.log", (4, 4), [])
    (tmp_path / "old-assets").mkdir()
    (tmp_path / "old-assets" / "0001.png").write_bytes(b"x")
    with pytest.raises(ShaderlabError, match="another log's pictures"):
        ShowLogWriter(tmp_path / "old.log", (4, 4), [])
    (tmp_path / "bad.log").write_text('{"format": "shaderlab show log", "version": 1, "size": [4, 4]}\n'
                                      '{"f": 0, "t": 0.0, "source": "gone/0001.png"}\n')
    done = run_cli("render", "--replay", str(tmp_path / "bad.log"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "gone/0001.png: no such image file" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "null.log").write_text('{"format": "shaderlab show log", "version": 1, "size": [4, 4]}\n'
                                       '{"f": 0, "t": null}\n')
    done = run_cli("render", "--replay", str(tmp_path / "null.log"), "-o", str(tmp_path / "out2"))
    assert done.returncode == 2 and "without its number or time" in done.stderr


def test_the_shadertoy_mouse_and_a_clips_frames_are_logged(tmp_path):
    """What the pointer gave Shadertoy's iMouse and which clip frame was the source, read back
    as replay reads them (no GL)."""
    from shaderlab.app.show_log import ShowLogWriter
    from shaderlab.show.show_log import read

    writer = ShowLogWriter(tmp_path / "show.log", (64, 48), [])
    still = (None, False)
    writer.frame(0, 0, 0.0, (120.0, 0.0, 0.0, 0.0), {}, [], still, clip=("/clips/a.mp4", 0), mouse=(0.0, 0.0, 0.0, 0.0))
    writer.frame(1, 1, 1 / 30, (120.0, 0.0, 0.0, 0.0), {}, [], still, clip=("/clips/a.mp4", 1), mouse=(10.0, 20.0, 10.0, 20.0))
    writer.frame(2, 2, 2 / 30, (120.0, 0.0, 0.0, 0.0), {}, [], still, mouse=(10.0, 20.0, 10.0, 20.0))
    path = writer.close()
    _, states = read(path)
    seen = [(s.mouse, s.clip, s.source_changed) for s in states]
    assert seen == [((0.0, 0.0, 0.0, 0.0), (Path("/clips/a.mp4"), 0), True),
                    ((10.0, 20.0, 10.0, 20.0), (Path("/clips/a.mp4"), 1), True),
                    ((10.0, 20.0, 10.0, 20.0), (Path("/clips/a.mp4"), 1), False)]
    assert path.read_text().count('"mouse"') == 1  # written when it changed only


def test_a_log_begun_mid_show_starts_from_the_sorted_canvas_and_the_held_frame(tmp_path):
    """Begun from the panel while the picture is sorted and frozen: the log starts from the sort
    canvas and the held frame (read back first), so its replay is the live show from its first
    frame — also after the freeze ends and the canvas shows again."""
    live = []

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("rgb_split"))
        for _ in range(5):
            app.inbox.put(c.SortStep("right"))
            yield
        app.inbox.put(c.Toggle("settings/show/freeze"))
        yield
        for _ in range(2):
            app.inbox.put(c.SortStep("down"))  # the live canvas moves on behind the freeze
            yield
        app.inbox.put(c.ShowLog(tmp_path / "mid.log"))
        yield
        for n in range(14):
            if n < 4:
                app.inbox.put(c.SortStep("left"))
            if n == 7:
                app.inbox.put(c.Toggle("settings/show/freeze"))  # thawed: the sorted canvas again
            yield
            live.append((app.frames_rendered - 1, app.stage.read_shown()[..., :3].astype(int)))
        app.inbox.put(c.ShowLog(None))
        yield from wait_for(app, lambda: any(n.text.startswith("show log: ") for n in app.store.session.notes))

    run_app(script, str(photo()), "--size", "240x160", max_frames=300)
    text = (tmp_path / "mid.log").read_text()
    assert '"canvas": ' in text and '"held": ' in text
    done = run_cli("render", "--replay", str(tmp_path / "mid.log"), "-o", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    again = frames(tmp_path / "again")
    logged = [json.loads(line)["f"] for line in text.splitlines()[1:] if '"f":' in line]
    assert len(again) == len(logged) and len(logged) >= 10
    compared = 0
    for index, pixels in live:
        if index in logged:
            assert int(np.abs(again[logged.index(index)] - pixels).max()) <= 1, index
            compared += 1
    assert compared >= 10
    frozen, thawed = live[2][1], live[-1][1]
    assert np.abs(frozen - thawed).mean() > 1  # the freeze and the canvas behind it differ: both replayed


def test_a_replay_with_the_track_feeds_isf_audio_inputs_at_each_logged_frames_time(tmp_path):
    """render --replay --audio: effects' audio/audioFFT inputs hear the track at each logged
    frame's time (the show log keeps followers and onsets, not the sound), as a render of the
    same frame at that time does; without the track they hear silence."""
    from shaderlab import Renderer
    from shaderlab.audio.files import OfflineAudio, read_audio

    isf = Path(__file__).resolve().parent / "isf"
    track = tmp_path / "beat.wav"
    with wave.open(str(track), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        # loud noise, longer than the show can last: any frame's time hears a spectrum
        noise = np.random.default_rng(5).normal(0, 0.3, 44100 * 30)
        out.writeframes((np.clip(noise, -1, 1) * 32767).astype("<i2").tobytes())

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and app.outputs.show_log is not None)
        app.inbox.put(c.AddEffect("audio"))
        yield from wait_for(app, lambda: app.stage.ran)  # after its trial (a file of the user's)
        for _ in range(10):
            yield

    run_app(script, str(photo()), "--size", "240x160", "--shaders", str(isf), "--show-log", str(tmp_path / "show.log"),
            max_frames=400)
    _, states = read(tmp_path / "show.log")
    times = [state.time for state in states][-6:]
    heard = run_cli("render", "--replay", str(tmp_path / "show.log"), "--audio", str(track), "-o", str(tmp_path / "heard"))
    quiet = run_cli("render", "--replay", str(tmp_path / "show.log"), "-o", str(tmp_path / "quiet"))
    assert heard.returncode == 0 and quiet.returncode == 0, heard.stderr + quiet.stderr
    replayed, silent = frames(tmp_path / "heard")[-6:], frames(tmp_path / "quiet")[-6:]
    assert all((frame[..., 1] == 0).all() for frame in silent)  # no spectrum without the track
    sound = OfflineAudio(*read_audio(track))
    picture = np.asarray(Image.open(photo()).convert("RGB"))
    with Renderer([isf], vet=False) as own:
        for time, frame in zip(times, replayed):
            at = sound.at(time)
            expected = own.render(picture, ["audio"], time, audio=(at.waveform, at.fft))[..., :3].astype(int)
            assert np.abs(frame - expected).max() <= 1, time
    assert min(int(frame[..., 1].max()) for frame in replayed) > 40  # the noise's spectrum, in every frame
