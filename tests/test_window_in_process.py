"""The window in the test process (issue 12): commands in, frames stepped on a fixed clock,
the output texture read back and compared with a headless render of the same chain."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import jack_connected
from in_process import FPS, learn_and_press, photo, run_app, wait_for
from shaderlab.io.images import load_image
from shaderlab.show import commands as c
from shaderlab.show.scenes import store_to_scene
from shaderlab.show.slots import chain_address



@pytest.fixture(autouse=True)
def on_the_display(display, monkeypatch):
    monkeypatch.setenv("DISPLAY", display)


def _close(actual: np.ndarray, expected: np.ndarray, tolerance: int = 1) -> None:
    assert actual.shape == expected.shape
    worst = int(np.abs(actual.astype(int) - expected.astype(int)).max())
    assert worst <= tolerance, f"pixels differ by up to {worst}"


def test_commands_build_the_chain_the_headless_renderer_draws(renderer):
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        post = app.inbox.put
        post(c.AddEffect("saturate"))
        post(c.AddEffect("rgb_split"))
        post(c.SetValue(chain_address("saturate", "amount"), 0.4))
        post(c.Nudge(chain_address("rgb_split", "amount"), 3.0))
        post(c.MoveEffect("saturate", +1))  # rgb_split first, then saturate
        post(c.AddEffect("blur"))
        post(c.BypassEffect("blur"))  # in the chain, switched off
        yield
        seen["ids"] = app.store.chain.ids
        seen["scene"] = store_to_scene(app.store)
        seen["output"] = app.stage.read_output()

    run_app(script, str(photo()), "--size", "640x480")
    assert seen["ids"] == ("rgb_split", "saturate", "blur")
    chain = [(e.name, e.params) for e in seen["scene"].effects if e.enabled]
    assert [name for name, _ in chain] == ["rgb_split", "saturate"] and chain[1][1]["amount"] == 0.4
    expected = renderer.render(load_image(photo()).pixels, chain)
    _close(seen["output"], expected)


def test_the_fixed_clock_drives_time_frame_for_frame(renderer):
    """TIME comes from the injected clock: frame n renders exactly what a headless render at
    n / fps does, however slowly this machine draws it."""
    seen = []

    def script(app):
        yield from wait_for(app, lambda: app.stage.depth is not None)  # the built-in estimate
        app.inbox.put(c.AddEffect("depth_waves"))
        app.inbox.put(c.SetValue(chain_address("depth_waves", "speed"), 2.0))
        for _ in range(3):
            yield
            seen.append((app.now.time, app.now.index, app.stage.read_output()))

    run_app(script, str(photo()))
    times = [t for t, _, _ in seen]
    assert np.diff(times) == pytest.approx([1 / FPS, 1 / FPS])
    assert all(index == round(t * FPS) for t, index, _ in seen)
    image = load_image(photo()).pixels
    for time, _, output in (seen[0], seen[-1]):
        _close(output, renderer.render(image, [("depth_waves", {"speed": 2.0})], time=time))
    assert not np.array_equal(seen[0][2], seen[-1][2])  # it moved


def test_ten_thousand_queued_commands_are_applied_within_one_frame():
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        yield
        address = chain_address("saturate", "amount")
        for i in range(10_000):  # a flood from a controller, posted from this thread
            app.inbox.put(c.SetValue(address, (i % 200) / 100))
        heard = []
        app.store.subscribe(lambda changes: heard.append(dict(changes.values)))
        yield
        seen["left"] = app.inbox.qsize()
        seen["value"] = app.store.get(address)
        seen["notices"] = heard

    run_app(script, str(photo()), "--size", "320x240")
    assert seen["left"] == 0
    assert seen["value"] == (9_999 % 200) / 100
    assert seen["notices"] == [{chain_address("saturate", "amount"): 1.99}]  # coalesced: one notice


def test_bad_commands_are_one_line_each_and_the_show_goes_on():
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        post = app.inbox.put
        post(c.AddEffect("saturate"))
        yield
        before = app.stage.read_output()
        post(c.SetValue("chain/nope/amount", 1.0))  # no such effect
        post(c.SetValue(chain_address("saturate", "amount"), float("nan")))
        post(c.SetValue(chain_address("saturate", "amount"), "loud"))
        post(c.AddEffect("no_such_effect"))
        post(c.LoadScene(photo()))  # not a scene
        post(c.SetValue(chain_address("saturate", "amount"), 99.0))  # a knob past the end: clamped
        yield
        yield
        seen["notes"] = [n.text for n in app.store.session.notes if n.error]
        seen["amount"] = app.store.get(chain_address("saturate", "amount"))
        seen["max"] = app.store.slot(chain_address("saturate", "amount")).spec.max
        seen["changed"] = not np.array_equal(before, app.stage.read_output())

    run_app(script, str(photo()), "--size", "320x240")
    notes = seen["notes"]
    assert len(notes) == 5, notes
    assert all("\n" not in n and "Traceback" not in n for n in notes)
    assert "chain/nope/amount" in notes[0] and "nan" in notes[1].lower()
    assert seen["amount"] == seen["max"] and seen["changed"]  # the clamped value is rendering


def test_a_selection_and_its_undo_are_commands_saved_in_the_scene(tmp_path):
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        width, height = app.stage.output_size()
        app.inbox.put(c.Select((0, 0), (width / 2, height / 2)))
        yield
        seen["zoomed"] = app.store.effect_values("sampler")
        app.inbox.put(c.SaveScene(tmp_path / "zoom.toml"))
        app.inbox.put(c.UndoSelection())
        yield
        seen["after_undo"] = app.store.chain.ids
        app.inbox.put(c.LoadScene(tmp_path / "zoom.toml"))
        yield
        seen["loaded"] = app.store.effect_values("sampler")

    run_app(script, str(photo()), "--size", "320x240")
    zoom = seen["zoomed"]
    assert (zoom["x"], zoom["y"], zoom["width"], zoom["height"]) == (0.0, 0.0, 0.5, 0.5)
    assert seen["after_undo"] == ()
    assert seen["loaded"] == zoom


def test_a_flood_is_coalesced_but_never_reordered_across_the_chain_changing():
    """Of successive values for one slot the newest is applied; a structural command between
    them still sees the ones before it applied first, and those after it apply to the new chain."""
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        yield
        amount = chain_address("saturate", "amount")
        heard = []
        app.store.subscribe(lambda changes: heard.append(dict(changes.values)))
        for value in (0.1, 0.2, 0.3):
            app.inbox.put(c.SetValue(amount, value))
        app.inbox.put(c.Reset(amount))  # in between: the 0.3 is applied before it, then the reset
        app.inbox.put(c.SetValue(amount, 0.7))
        app.inbox.put(c.RemoveEffect("saturate"))
        app.inbox.put(c.SetValue(amount, 0.9))  # the slot is gone now: one line, no crash
        app.inbox.put(c.AddEffect("saturate"))
        app.inbox.put(c.SetValue(amount, 1.1))  # the new saturate's
        yield
        seen["value"] = app.store.get(amount)
        seen["heard"] = heard
        seen["errors"] = [n.text for n in app.store.session.notes if n.error]

    run_app(script, str(photo()), "--size", "320x240")
    assert seen["value"] == 1.1
    assert len(seen["errors"]) == 1 and "chain/saturate/amount" in seen["errors"][0]
    assert seen["heard"] == [{chain_address("saturate", "amount"): 1.1}]


def test_a_selection_on_a_full_chain_is_one_line():
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        for _ in range(64):  # the most a chain holds
            app.inbox.put(c.AddEffect("saturate"))
        yield
        app.inbox.put(c.Select((0, 0), (50, 50)))  # would add a sampler: refused, said once
        yield
        seen["length"] = len(app.store.chain)
        seen["errors"] = [n.text for n in app.store.session.notes if n.error]
        app.inbox.put(c.UndoSelection())  # nothing was selected: nothing to undo
        yield
        seen["notes"] = [n.text for n in app.store.session.notes]

    run_app(script, str(photo()), "--size", "160x120")
    assert seen["length"] == 64
    assert len(seen["errors"]) == 1 and "at most 64" in seen["errors"][0]
    assert seen["notes"][-1] == "no selection to undo"


def test_hot_reload_of_an_effect_used_twice_redeclares_both(tmp_path):
    """A user effect in the chain twice gains an input: when the new version has passed its
    trial, both slots have it (their other values kept) and the show never stopped."""
    effect = tmp_path / "tint.fs"
    header = '{"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0, "MAX": 1}'
    body = "void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * amount; }"
    effect.write_text(f'/*{{"INPUTS": [{{"NAME": "inputImage", "TYPE": "image"}}, {header}]}}*/\n{body}\n')
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.SetValue(chain_address("tint", "amount"), 0.25))
        yield
        extra = '{"NAME": "gain", "TYPE": "float", "DEFAULT": 2.0, "MIN": 0, "MAX": 4}'
        effect.write_text(f'/*{{"INPUTS": [{{"NAME": "inputImage", "TYPE": "image"}}, {header}, {extra}]}}*/\n'
                          "void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * amount * gain; }\n")
        gains = [chain_address("tint", "gain"), chain_address("tint-2", "gain")]
        yield from wait_for(app, lambda: all(a in app.store.addresses() for a in gains), frames=900)
        yield
        seen["values"] = {a: app.store.get(a) for a in app.store.addresses("chain/")}

    run_app(script, str(photo()), "--size", "160x120", "--shaders", str(tmp_path), "-e", "tint", "-e", "tint",
            max_frames=1500)
    assert seen["values"] == {"chain/tint/amount": 0.25, "chain/tint/gain": 2.0,
                              "chain/tint-2/amount": 0.5, "chain/tint-2/gain": 2.0}


def test_a_fix_after_a_typo_is_said_even_when_no_version_had_run_yet(tmp_path):
    """Saved with a typo before the first version finished its trial (a loaded machine), then
    fixed: the fix comes on and says "reloaded", as when the first version had run."""
    effect = tmp_path / "tint.fs"
    source = ('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
              "void main() { gl_FragColor = vec4(IMG_THIS_PIXEL(inputImage).rgb * vec3(%s), 1.0); }\n")
    effect.write_text(source % "1.0, 0.0, 0.0")
    seen = {}

    def script(app):
        yield  # the first version's trial is under way: not on the show yet
        effect.write_text((source % "0.0, 1.0, 0.0").replace("1.0); }", "1.0) * oops; }"))
        yield from wait_for(app, lambda: any("oops" in n.text for n in app.store.session.notes), frames=900)
        effect.write_text(source % "0.0, 1.0, 0.0")
        yield from wait_for(app, lambda: any("reloaded" in n.text for n in app.store.session.notes), frames=900)
        yield
        seen["output"] = app.stage.read_output()

    run_app(script, str(photo()), "--size", "160x120", "--shaders", str(tmp_path), "-e", "tint", max_frames=2000)
    output = seen["output"].astype(int)
    assert output[..., 0].max() == 0 and output[..., 2].max() == 0 and output[..., 1].mean() > 40  # green only


def test_osc_and_oscquery_play_the_window(renderer):
    """The real window with --osc and --oscquery: an effect added and a value set over UDP render
    as the headless renderer draws them; OSCQuery serves the tree while the show runs."""
    import json
    import urllib.request

    from pythonosc.udp_client import SimpleUDPClient

    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        osc, query = app.hub.surfaces
        client = SimpleUDPClient("127.0.0.1", osc.port)
        client.send_message("/shaderlab/chain/add", "saturate")
        yield from wait_for(app, lambda: "saturate" in app.store.chain.ids)
        client.send_message("/shaderlab/chain/saturate/amount/norm", 0.25)  # MIN 0 .. MAX 4
        yield from wait_for(app, lambda: app.store.get(chain_address("saturate", "amount")) == 1.0)
        yield
        seen["output"] = app.stage.read_output()
        with urllib.request.urlopen(f"http://127.0.0.1:{query.port}/shaderlab/chain/saturate/amount", timeout=5) as r:
            seen["node"] = json.loads(r.read())

    run_app(script, str(photo()), "--size", "320x240", "--osc", "0", "--oscquery", "0")
    assert seen["node"]["VALUE"] == [1.0] and seen["node"]["RANGE"] == [{"MIN": 0.0, "MAX": 4.0}]
    image = load_image(photo()).pixels
    _close(seen["output"], renderer.render(image, [("saturate", {"amount": 1.0})]))


def test_a_midi_controller_learns_and_plays_the_window(jack_server, tmp_path, renderer):
    """Through a real virtual MIDI port (JACK): learn from the panel's command, move the knob
    past the show's value (soft takeover), and the frame renders what the headless renderer does."""
    import mido

    backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
    knob = backend.open_output("test-knobs", virtual=True)
    seen = {}
    amount = chain_address("saturate", "amount")

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        app.inbox.put(c.MidiLearn(amount))
        yield
        assert jack_connected("test-knobs"), "the knob's port was never connected to the show's"
        knob.send(mido.Message("control_change", channel=4, control=70, value=0))
        yield from wait_for(app, lambda: app.hub.midi.mappings)
        for value in (20, 127, 32):  # 0.0 → past 1.5 of 0..4 (picked up) → 32/127 of the range
            knob.send(mido.Message("control_change", channel=4, control=70, value=value))
        yield from wait_for(app, lambda: app.store.get(amount) == pytest.approx(32 / 127 * 4.0))
        yield
        seen["output"] = app.stage.read_output()
        seen["value"] = app.store.get(amount)
        app.inbox.put(c.MidiSaveProfile())
        yield

    try:
        run_app(script, str(photo()), "--size", "320x240", "--midi-in", "test-knobs", "--midi-api", "JACK",
                "--midi-profile", str(tmp_path / "knobs.toml"))
    finally:
        knob.close()
    assert "number = 70" in (tmp_path / "knobs.toml").read_text()
    _close(seen["output"], renderer.render(load_image(photo()).pixels, [("saturate", {"amount": seen["value"]})]))


def test_midi_ports_chosen_in_the_panel_and_a_pad_that_saves(jack_server, tmp_path):
    """No --midi-in: the panel's picker starts MIDI on a port; a pad learned for Save saves."""
    import mido

    backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
    pads = backend.open_output("test-pads", virtual=True)
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        assert app.hub.midi is None
        app.inbox.put(c.MidiPorts("test-pads", None))
        yield from wait_for(app, lambda: app.hub.midi is not None and app.hub.midi.status.inputs)
        seen["ports"] = app.status().midi_ports
        yield from learn_and_press(app, pads, "test-pads", "/shaderlab/save", note=40)  # pressed: save
        yield from wait_for(app, lambda: any(n.text.startswith("saved ") for n in app.store.session.notes))

    try:
        run_app(script, str(photo()), "--size", "320x240", "--midi-api", "JACK", "--save-dir", str(tmp_path),
                "--midi-profile", str(tmp_path / "pads.toml"))
    finally:
        pads.close()
    assert any("test-pads" in name for name in seen["ports"][0])
    assert len(list(tmp_path.glob("*.png"))) == 1 and len(list(tmp_path.glob("*.toml"))) == 1


def test_the_music_reaches_shaders_and_lfos_move_values_frame_for_frame(tmp_path, renderer):
    """BPM and BEAT_PHASE as uniforms of an effect that declares them; an LFO synced to the
    beat moves a slot as its formula says on the fixed clock; the base value stays put."""
    pulse = tmp_path / "pulse.fs"
    pulse.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                     "uniform float BPM;\nuniform float BEAT_PHASE;\n"
                     "void main() { gl_FragColor = vec4(BEAT_PHASE, BPM / 255.0, 0.0, 1.0); }\n")
    seen = []
    amount = chain_address("saturate", "amount")

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.SetValue("settings/tempo/bpm", 90.0))
        app.inbox.put(c.AddEffect("saturate"))
        app.inbox.put(c.Modulate((("address", amount), ("shape", "saw_up"), ("sync", "1/4"), ("depth", 0.25))))
        app.inbox.put(c.AddEffectFile(pulse))
        yield from wait_for(app, lambda: len(app.store.chain) == 2 and app.stage.effects.specs, frames=60)
        for _ in range(90):  # until the user effect's trial has passed and it renders
            yield
            corner = app.stage.read_output()[0, 0]
            if corner[1] == round(90 / 255 * 255):
                break
        for _ in range(3):
            yield
            seen.append((app.now.tempo, app.resolved[amount], app.store.get(amount), app.stage.read_output()[0, 0]))

    run_app(script, str(photo()), "--size", "320x240", "--shaders", str(tmp_path), max_frames=900)
    for (bpm, beat, beat_phase, _), value, base, corner in seen:
        assert bpm == 90.0 and base == 1.5  # the slot's own value: never written by the LFO
        assert abs(corner[0] - beat_phase * 255) <= 1 and corner[1] == 90
        # saw up over a quarter note: -1..1 across each beat, a quarter of 0..4 deep.
        assert value == pytest.approx(1.5 + 0.25 * (2 * beat_phase - 1) * 4.0, abs=1e-6)


def test_a_sound_file_played_alongside_drives_isf_audio_and_followers(tmp_path):
    """play --audio: the analysis runs at the pace the file plays; an ISF file's audioFFT input
    lights up at the tone, and a follower on a slot lifts it while the base stays put."""
    import wave

    from test_audio_analysis import VISUALISER

    (tmp_path / "visualiser.fs").write_text(VISUALISER)
    t = np.arange(int(3.0 * 44100)) / 44100
    with wave.open(str(tmp_path / "tone.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes((0.6 * np.sin(2 * np.pi * 440.0 * t) * 32767).astype("<i2").tobytes())
    seen = {}
    amount = chain_address("saturate", "amount")

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        app.inbox.put(c.Modulate((("address", amount), ("follow", "level"), ("depth", 0.5), ("unipolar", True))))
        app.inbox.put(c.AddEffectFile(tmp_path / "visualiser.fs"))
        yield from wait_for(app, lambda: len(app.store.chain) == 2)

        def hearing() -> bool:  # the visualiser renders (no blue anywhere) and its spectrum is lit
            out = app.stage.read_output()
            return int(out[..., 2].max()) == 0 and int(out[..., 1].max()) > 100
        yield from wait_for(app, hearing, frames=600)
        seen["row"] = app.stage.read_output()[0]
        seen["value"], seen["base"] = app.resolved[amount], app.store.get(amount)

    run_app(script, str(photo()), "--size", "320x240", "--shaders", str(tmp_path), "--audio",
            str(tmp_path / "tone.wav"), max_frames=900)
    width = seen["row"].shape[0]
    peak = int(np.argmax(seen["row"][:, 1]))
    assert abs(peak / width * 512 - 440 / (44100 / 2048)) <= 3, peak
    assert seen["base"] == 1.5 and seen["value"] > 1.5 + 0.5  # the follower lifts what renders


def test_the_tempo_heard_in_a_sound_file_becomes_the_shows(tmp_path):
    """Tempo from the audio: a 120 BPM pattern played alongside sets the show's BPM once the
    estimate is sure and steady (the phase lock on the kicks: test_tempo_sources.py)."""
    import time
    import wave

    from test_audio_analysis import clicks
    from shaderlab.show.settings import AUDIO_TEMPO, BPM, TEMPO_SOURCE

    with wave.open(str(tmp_path / "beat.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes((np.clip(clicks(np.arange(0, 14, 0.5), 14.0), -1, 1) * 32767).astype("<i2").tobytes())
    seen = {}

    def script(app):
        app.inbox.put(c.SetValue(TEMPO_SOURCE, AUDIO_TEMPO))
        app.inbox.put(c.SetValue(BPM, 93.0))
        yield
        assert app.store.get(BPM) == 93.0

        def heard() -> bool:
            time.sleep(0.01)  # the file plays in real time; frames here are quick
            return abs(app.store.get(BPM) - 120.0) <= 0.5
        yield from wait_for(app, heard, frames=1400)
        seen["messages"] = [note.text for note in app.store.session.notes]

    run_app(script, str(photo()), "--size", "160x120", "--audio", str(tmp_path / "beat.wav"), max_frames=1500)
    assert any("(heard," in text for text in seen["messages"]), seen["messages"]


def test_a_trigger_fires_a_command_and_a_wrong_command_is_one_line():
    """A command route: the E key's trigger (here posted as the key does) sets saturate's amount
    through its OSC address; a route to no command is refused in one line, the show goes on."""
    amount = chain_address("saturate", "amount")
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        yield
        app.inbox.put(c.Modulate((("address", "/shaderlab/chain/saturate/amount"), ("trigger", "hit"),
                                  ("args", (3.0,)))))
        app.inbox.put(c.Modulate((("address", "/shaderlab/nothing"), ("trigger", "hit"))))
        yield
        assert app.store.get(amount) == 1.5
        app.inbox.put(c.Trigger())
        yield from wait_for(app, lambda: app.store.get(amount) == 3.0, frames=10)
        seen["notes"] = [note.text for note in app.store.session.notes]

    run_app(script, str(photo()), "--size", "160x120", max_frames=200)
    assert any("/shaderlab/nothing" in text for text in seen["notes"]), seen["notes"]


def test_blackout_fades_freeze_holds_and_panic_calms_the_show():
    """Show safety in the window: the blackout fades over its time, a freeze holds what the
    audience sees while the live picture changes, panic turns modulators and auto sort off."""
    from shaderlab.show.settings import BLACKOUT, BLACKOUT_FADE, FREEZE, MODULATORS, SORT_AUTO

    amount = chain_address("saturate", "amount")
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        app.inbox.put(c.SetValue(BLACKOUT_FADE, 1.0))
        yield
        live = app.stage.read_output().astype(float)
        app.inbox.put(c.Toggle(BLACKOUT))
        for _ in range(int(FPS / 2) + 1):  # half of the one-second fade
            yield
        seen["half"] = (app.stage.read_shown().astype(float)[..., :3].mean(), live[..., :3].mean())
        for _ in range(int(FPS)):
            yield
        seen["black"] = int(app.stage.read_shown()[..., :3].max())
        app.inbox.put(c.SetValue(BLACKOUT_FADE, 0.0))
        app.inbox.put(c.Toggle(BLACKOUT))
        yield
        yield
        held = app.stage.read_shown()
        app.inbox.put(c.Toggle(FREEZE))
        yield
        app.inbox.put(c.SetValue(amount, 0.0))  # the performer edits: grey live, the audience keeps colour
        yield
        yield
        seen["frozen"] = (np.array_equal(app.stage.read_shown(), held),
                          np.array_equal(app.stage.read_output(), held))
        app.inbox.put(c.Toggle(FREEZE))
        yield
        seen["thawed"] = np.array_equal(app.stage.read_shown(), app.stage.read_output())
        app.inbox.put(c.Modulate((("address", amount), ("shape", "sine"), ("hz", 1.0))))
        app.inbox.put(c.SetValue(SORT_AUTO, True))
        app.inbox.put(c.Panic())
        yield
        seen["panic"] = (app.store.get(MODULATORS), app.store.get(SORT_AUTO), app.resolved[amount],
                         app.store.get(amount), len(app.store.modulation.routes))

    run_app(script, str(photo()), "--size", "160x120", max_frames=300)
    shown, live = seen["half"]
    assert abs(shown - live * 0.5) <= live * 0.06, seen["half"]  # half way through the fade (a frame either side)
    assert seen["black"] == 0
    assert seen["frozen"] == (True, False) and seen["thawed"]
    modulators, auto, rendered, base, routes = seen["panic"]
    assert modulators is False and auto is False and rendered == base == 0.0 and routes == 1  # kept, silent


def test_the_clean_output_in_its_own_window_at_its_own_resolution():
    """play --output --output-size: a second window (no panel) shows what the audience sees,
    letterboxed into the output's resolution; a monitor that is not there: one line, a window."""
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        app.inbox.put(c.AddEffect("saturate"))
        for _ in range(3):
            yield
        width, height = 320, 240
        drawn = np.frombuffer(app.outputs.window.read(), np.uint8).reshape(height, width, 3)[::-1]
        seen["drawn"], seen["shown"] = drawn, app.stage.read_shown()
        seen["live"] = app.stage.read_output()
        seen["notes"] = [note.text for note in app.store.session.notes]
        seen["describe"] = app.outputs.window.describe()

    run_app(script, str(photo()), "--size", "480x320", "--output-monitor", "no such monitor",
            "--output-size", "320x240", max_frames=100)
    drawn, shown, live = seen["drawn"], seen["shown"], seen["live"]
    assert shown.shape[:2] == (240, 320)  # the output's resolution, not the picture's (600×400)
    assert np.abs(drawn.astype(int) - shown[..., :3]).max() <= 1  # the output window shows exactly that
    assert shown[:10, :, :3].max() == 0 and shown[-10:, :, :3].max() == 0  # letterboxed: bars above and below
    assert any("'no such monitor' is not there" in text for text in seen["notes"]), seen["notes"]
    assert seen["describe"].startswith("output: in a window")


def test_a_recording_at_the_output_size_and_a_fade_from_under_the_blackout(tmp_path):
    """--output-size with --record: frames at the output's resolution (none were recorded
    before); a cue's fade starts from the picture, not from the blacked-out, letterboxed frame."""
    from PIL import Image

    from shaderlab.show.settings import BLACKOUT, BLACKOUT_FADE

    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None and app.stage.recorder is not None)
        app.inbox.put(c.SetValue(BLACKOUT_FADE, 0.0))
        app.inbox.put(c.Toggle(BLACKOUT))
        yield
        app.stage.fade_cue(app.now.time, 10.0)  # a long fade begun under the blackout
        app.inbox.put(c.Toggle(BLACKOUT))
        yield
        yield
        seen["shown"] = app.stage.read_shown()

    run_app(script, str(photo()), "--size", "240x160", "--output-size", "320x240", "--record", str(tmp_path / "rec"),
            max_frames=100)
    recorded = sorted((tmp_path / "rec").glob("*.png"))
    assert len(recorded) >= 3 and Image.open(recorded[0]).size == (320, 240)
    assert seen["shown"][120, 160, :3].max() > 20  # the picture, fading to itself: not up from black


def test_sharing_that_cannot_start_here_is_one_line_each_and_the_show_goes_on():
    """A virtual camera without its extra or kernel module, Spout and Syphon off their platforms:
    one line each (what to install, or where it works); the frames go on."""
    seen = {}

    def script(app):
        yield from wait_for(app, lambda: app.stage.output is not None)
        for _ in range(3):
            yield
        seen["notes"] = [note.text for note in app.store.session.notes]
        seen["frames"] = app.frames_rendered

    run_app(script, str(photo()), "--size", "160x120", "--virtual-camera", "--spout", "x", "--syphon", "y",
            max_frames=100)
    notes = seen["notes"]
    camera = [text for text in notes if text.startswith(("a virtual camera", "no virtual camera"))]
    assert len(camera) == 1 and ("camera extra" in camera[0] or "v4l2loopback" in camera[0]), notes
    assert any("Spout exists only on Windows" in text for text in notes)
    assert any("Syphon exists only on macOS" in text for text in notes)
    assert seen["frames"] >= 3
