"""Cues (issue 15): a set file of scenes with transitions — cut, crossfade, morph, an ISF
transition — launched at once or on the next beat or bar; read, checked, saved and played in
the real window."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from in_process import FPS, learn_and_press, photo, run_app, wait_for
from shaderlab.errors import ShaderlabError
from shaderlab.show import commands as c
from shaderlab.show.cues import Cue, CueList, launch_beat, load_set, save_set
from shaderlab.show.slots import chain_address
from shaderlab.show.tempo import MusicalClock

AMOUNT = chain_address("saturate", "amount")


@pytest.fixture(autouse=True)
def on_the_display(display, monkeypatch):
    monkeypatch.setenv("DISPLAY", display)


def scene(path: Path, effects: str, bpm: float = 120.0) -> Path:
    path.write_text(f"[tempo]\nbpm = {bpm}\n{effects}")
    return path


SATURATE = '[[effects]]\nname = "saturate"\nid = "saturate"\nparams = {{ amount = {} }}\n'
PIXELATE = '[[effects]]\nname = "pixelate"\nid = "pixelate"\nparams = { size = 24 }\n'


def write_set(folder: Path) -> Path:
    scenes = folder / "scenes"
    scenes.mkdir()
    scene(scenes / "a.toml", SATURATE.format(0.5))
    scene(scenes / "b.toml", SATURATE.format(3.0))
    scene(scenes / "c.toml", PIXELATE)
    (folder / "set.toml").write_text(
        '[[cue]]\nname = "grey"\nscene = "scenes/a.toml"\ntransition = "cut"\n'
        '[[cue]]\nname = "vivid"\nscene = "scenes/b.toml"\ntransition = "morph"\nseconds = 1.0\n'
        '[[cue]]\nname = "blocks"\nscene = "scenes/c.toml"\ntransition = "crossfade"\nbeats = 2\nquantise = "bar"\n')
    return folder / "set.toml"


def test_a_set_is_read_checked_and_saved_beside_its_scenes(tmp_path):
    cues = load_set(write_set(tmp_path))
    assert [cue.name for cue in cues.cues] == ["grey", "vivid", "blocks"]
    assert cues.cues[2].duration(MusicalClock(120.0)) == 1.0 and cues.cues[1].duration(None) == 1.0
    save_set(cues, tmp_path / "again.toml")
    assert [c.saved(tmp_path) for c in load_set(tmp_path / "again.toml").cues] == [c.saved(tmp_path) for c in cues.cues]
    with pytest.raises(ShaderlabError, match="exists already"):
        save_set(cues, tmp_path / "again.toml")
    for text, message in (('[[cue]]\nscene = "nope.toml"\n', "cue 1 .*nope.toml"),
                          ('[[cue]]\nscene = "scenes/a.toml"\nquantise = "soon"\n', "quantise is one of"),
                          ('[[cue]]\nscene = "scenes/a.toml"\nseconds = 1\nbeats = 2\n', "not both"),
                          ('[[cue]]\nscene = "scenes/a.toml"\nbeats = -1\n', "beats is a number"),
                          ('[[cue]]\nscene = "scenes/a.toml"\nscen = "x"\n', "unknown key 'scen'"),
                          ("[[cue]\n", "not valid TOML")):
        (tmp_path / "bad.toml").write_text(text)
        with pytest.raises(ShaderlabError, match=message):
            load_set(tmp_path / "bad.toml")


def test_quantised_launches_wait_for_the_next_beat_or_bar_and_cues_move():
    clock = MusicalClock(120.0)
    bar, beat = Cue("a", Path("a"), quantise="bar"), Cue("b", Path("b"), quantise="beat")
    assert launch_beat(bar, clock, 0.3) == 4.0 and launch_beat(beat, clock, 0.3) == 1.0
    assert launch_beat(bar, clock, 2.0) == 4.0  # on the line: now
    assert launch_beat(Cue("c", Path("c")), clock, 0.3) is None
    cues = CueList(None, [Cue(n, Path(n)) for n in "abcd"], current=1)
    assert cues.move(1, 2) == 3 and [q.name for q in cues.cues] == ["a", "c", "d", "b"] and cues.current == 3
    cues.move(0, 5)
    assert [q.name for q in cues.cues] == ["c", "d", "b", "a"] and cues.current == 2


def test_cues_cut_morph_and_crossfade_on_the_bar_in_the_window(tmp_path):
    path = write_set(tmp_path)
    seen: dict = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and len(app.cues.set.cues) == 3)
        app.inbox.put(c.CueGo())  # 1: a cut
        yield
        seen["cut"] = (app.store.get(AMOUNT), app.resolved[AMOUNT], app.cues.set.current)
        app.inbox.put(c.CueGo())  # 2: a morph over a second
        for _ in range(int(FPS / 2)):
            yield
        seen["morph"] = (app.store.get(AMOUNT), app.resolved[AMOUNT])
        for _ in range(int(FPS)):
            yield
        seen["morphed"] = app.resolved[AMOUNT]
        before = app.stage.read_shown().astype(float)
        app.inbox.put(c.CueGo())  # 3: waits for the bar line, then crossfades over two beats
        yield
        seen["waiting"] = (app.cues.pending is not None, app.store.chain.ids)
        yield from wait_for(app, lambda: app.cues.set.current == 2, frames=int(3 * FPS))
        seen["late"] = app.cues.late[-1]
        seen["beat"] = app.store.tempo.beat_at(app.now.time)
        for _ in range(int(FPS / 2)):
            yield
        seen["half"] = (app.stage.read_shown().astype(float), app.stage.read_output().astype(float), before)
        app.inbox.put(c.CueJump(7))
        yield from wait_for(app, lambda: app.cues.thumbnails_in_order()[2] is not None, frames=int(2 * FPS))
        seen["thumbnails"] = app.cues.thumbnails_in_order()

    run_app(script, str(photo()), "--size", "160x120", "--set", str(path), max_frames=600)
    assert seen["cut"] == (0.5, 0.5, 0)
    base, mid = seen["morph"]
    assert base == 3.0 and 1.5 <= mid <= 2.0  # half way from 0.5 to 3.0 (a frame either side)
    assert seen["morphed"] == 3.0
    waiting, chain = seen["waiting"]
    assert waiting and chain == ("saturate",)  # the old scene until the bar line
    assert 0 <= seen["late"] <= 1 / FPS + 1e-9  # launched on the first frame at or after the line
    assert seen["beat"] % 4 <= 2 * 120 / 60 / FPS + 1e-6
    shown, live, before = seen["half"]
    # half way through the two beats (one second): the frame on show then, and the new one
    expected = 0.5 * before + 0.5 * live
    assert np.abs(shown[..., :3] - expected[..., :3]).mean() <= 6.0
    assert all(isinstance(t, int) and t > 0 for t in seen["thumbnails"])  # each cue that played in, in the panel


def test_a_cue_through_an_isf_transition_ours_or_a_file_of_yours(tmp_path):
    """transition = "wipe" (bundled) wipes the new scene in from the left over the frame on show;
    a transition from your own file is tried off the show first, then used the same way."""
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    scene(scenes / "a.toml", SATURATE.format(0.0))
    scene(scenes / "b.toml", SATURATE.format(3.0))
    fade = Path(__file__).parent / "isf" / "fade.fs"
    (tmp_path / "set.toml").write_text(
        '[[cue]]\nscene = "scenes/a.toml"\ntransition = "cut"\n'
        '[[cue]]\nscene = "scenes/b.toml"\ntransition = "wipe"\nseconds = 1.0\n'
        f'[[cue]]\nscene = "scenes/a.toml"\ntransition = "{fade}"\nseconds = 1.0\n')
    seen: dict = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and len(app.cues.set.cues) == 3)
        app.inbox.put(c.CueGo())
        yield
        yield
        grey = app.stage.read_shown().astype(float)
        app.inbox.put(c.CueGo())
        for _ in range(int(FPS / 2)):
            yield
        seen["wipe"] = (app.stage.read_shown().astype(float), app.stage.read_output().astype(float), grey)
        yield from wait_for(app, lambda: not app.stage.finish.fading(), frames=int(2 * FPS))
        vivid = app.stage.read_shown().astype(float)
        # the file's transition: tried off the show since the first picture (waiting for its verdict)
        spec = app.stage.effects.specs[str(fade)]

        def tried() -> bool:
            time.sleep(0.01)  # the trial is a process of its own: real time
            return app.trials.passed(spec, app.stage.output_size())
        yield from wait_for(app, tried, frames=3000)
        app.inbox.put(c.CueGo())
        for _ in range(int(FPS / 2)):
            yield
        seen["fade"] = (app.stage.read_shown().astype(float), app.stage.read_output().astype(float), vivid)
        seen["notes"] = [note.text for note in app.store.session.notes]

    run_app(script, str(photo()), "--size", "160x120", "--set", str(tmp_path / "set.toml"), max_frames=1200)
    shown, live, before = seen["wipe"]
    width = shown.shape[1]
    left, right = slice(0, width // 3), slice(2 * width // 3, width)
    assert np.abs(shown[:, left, :3] - live[:, left, :3]).max() <= 2  # the new scene has come in from the left
    assert np.abs(shown[:, right, :3] - before[:, right, :3]).max() <= 2  # the old still on the right
    shown, live, before = seen["fade"]
    assert np.abs(shown[..., :3] - (before[..., :3] + live[..., :3]) / 2).mean() <= 6.0  # half way
    assert not any("crossfading instead" in text for text in seen["notes"]), seen["notes"]


def test_safety_answers_during_a_morph_and_a_waiting_cue_survives_a_capture(tmp_path):
    from shaderlab.show.settings import BLACKOUT

    scenes = tmp_path / "scenes"
    scenes.mkdir()
    scene(scenes / "a.toml", SATURATE.format(0.5))
    scene(scenes / "slow.toml", SATURATE.format(3.0), bpm=60.0)
    (tmp_path / "set.toml").write_text(
        '[[cue]]\nscene = "scenes/a.toml"\ntransition = "cut"\n'
        '[[cue]]\nscene = "scenes/slow.toml"\ntransition = "morph"\nbeats = 4\n'
        '[[cue]]\nname = "later"\nscene = "scenes/a.toml"\ntransition = "cut"\nquantise = "bar"\n')
    seen: dict = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and len(app.cues.set.cues) == 3)
        app.inbox.put(c.CueGo())
        yield
        app.inbox.put(c.CueGo())  # a morph of four beats at the scene's own 60 BPM: four seconds
        yield
        yield
        app.inbox.put(c.Toggle(BLACKOUT))  # the performer's blackout answers at once, morph or not
        yield
        seen["blackout"] = (app.resolved[BLACKOUT], app.cues.morph.seconds)
        app.inbox.put(c.Toggle(BLACKOUT))
        app.inbox.put(c.CueGo())  # cue 3 waits for its bar line …
        yield
        app.inbox.put(c.CaptureCue("captured"))  # … while a cue is captured after the current one
        yield
        seen["order"] = [cue.name for cue in app.cues.set.cues]
        yield from wait_for(app, lambda: app.cues.pending is None, frames=int(6 * FPS))
        seen["launched"] = app.cues.set.cues[app.cues.set.current].name

    run_app(script, str(photo()), "--size", "160x120", "--set", str(tmp_path / "set.toml"), max_frames=600)
    assert seen["blackout"] == (True, 4.0)
    assert seen["order"] == ["a", "slow", "captured", "later"]
    assert seen["launched"] == "later"  # the cue that was waiting, not the one now in its old place


def test_cues_go_back_and_jump_from_osc_and_a_learned_midi_pad(tmp_path, jack_server):
    """GO / BACK / jump as a performer sends them: OSC messages over UDP, and a pad on a MIDI
    controller (a real virtual port through JACK) learned for GO."""
    import mido
    from pythonosc.udp_client import SimpleUDPClient

    path = write_set(tmp_path)
    pads = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output("test-cue-pads", virtual=True)
    seen: list = []

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and len(app.cues.set.cues) == 3
                            and app.hub.midi is not None and app.hub.midi.status.inputs)
        osc = SimpleUDPClient("127.0.0.1", next(s for s in app.hub.surfaces if hasattr(s, "port")).port)
        osc.send_message("/shaderlab/cue/go", [])
        yield from wait_for(app, lambda: app.cues.set.current == 0)
        osc.send_message("/shaderlab/cue/jump", 2)
        yield from wait_for(app, lambda: app.cues.set.current == 1)
        osc.send_message("/shaderlab/cue/back", [])
        yield from wait_for(app, lambda: app.cues.set.current == 0)
        seen.append(app.store.get(AMOUNT))
        yield from learn_and_press(app, pads, "test-cue-pads", "/shaderlab/cue/go", note=36)  # GO
        yield from wait_for(app, lambda: app.cues.set.current == 1)
        seen.append(app.cues.set.current)

    try:
        run_app(script, str(photo()), "--size", "160x120", "--set", str(path), "--osc", "0",
                "--midi-in", "test-cue-pads", "--midi-api", "JACK", "--midi-profile", str(tmp_path / "pads.toml"))
    finally:
        pads.close()
    assert seen == [0.5, 1]  # back on the first cue's values, then GO from the pad
