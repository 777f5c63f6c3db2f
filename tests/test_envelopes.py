"""Envelopes, step sequences and recorded gestures (issue 14): values against their formulas,
triggered by onsets, the clock and commands; gestures recorded from the hand on a bar line and
looped; all saved in scenes and the same for the same clock and triggers."""

from __future__ import annotations

import pytest

from show_fixtures import kit_spec, library, make_store
from shaderlab.control.namespace import Namespace, commands_for
from shaderlab.errors import ShaderlabError
from shaderlab.scene import load_scene, save_scene
from shaderlab.show import commands as c
from shaderlab.show.envelopes import Envelope, Gate
from shaderlab.show.modulation import Route
from shaderlab.show.scenes import scene_to_store, store_to_scene
from shaderlab.show.settings import BPM

AMOUNT = "chain/kit/amount"  # 0..1, 0.5 by default


def kit_store():
    store = make_store(library())
    store.add_effect("kit")
    store.set(BPM, 120.0)
    return store


@pytest.mark.parametrize("t, expected", [(0.05, 0.5), (0.1, 1.0), (0.2, 1.0 - 0.6 * 0.5), (0.3, 0.4), (1.0, 0.4),
                                         (1.25, 0.2), (1.5, 0.0), (2.0, 0.0)])
def test_an_adsr_envelope_against_its_formula(t, expected):
    # attack 0.1 s, decay 0.2 s to 0.4, held until 1.0 s, released over 0.5 s
    envelope = Envelope(attack=0.1, decay=0.2, sustain=0.4, release=0.5)
    assert envelope.value(t, Gate(0.0, 1.0)) == pytest.approx(expected)


def test_envelopes_open_on_onsets_the_beat_and_a_held_pad():
    store = kit_store()
    store.modulation.add(Route(AMOUNT, trigger="bass", depth=0.5, unipolar=True, attack=0.0, decay=0.5))
    store.resolve(0.0)
    assert store.resolve(0.0)[AMOUNT] == 0.5  # nothing fired yet
    store.modulation.hear({"bass": 1.0}, {"bass"})
    assert store.resolve(1.0)[AMOUNT] == pytest.approx(1.0)  # 0.5 + 0.5·1
    store.end_frame()
    assert store.resolve(1.25)[AMOUNT] == pytest.approx(0.75)  # half way down the decay
    assert store.get(AMOUNT) == 0.5  # the base is never written

    beats = kit_store()  # on every beat at 120 BPM: 0.5 s apart
    beats.modulation.add(Route(AMOUNT, trigger="beat", depth=1.0, unipolar=True, attack=0.0, decay=0.25))
    assert beats.resolve(0.5 + 0.125)[AMOUNT] == pytest.approx(1.0)  # 0.5 + 0.5: clamped at the top
    assert beats.resolve(1.0 + 0.25)[AMOUNT] == pytest.approx(0.5)  # decayed fully by a quarter second

    pad = kit_store()
    pad.modulation.add(Route(AMOUNT, trigger="hit", depth=0.5, unipolar=True, attack=0.0, decay=0.0, sustain=1.0,
                             release=1.0))
    pad.modulation.trigger("hit", True)
    assert pad.resolve(2.0)[AMOUNT] == 1.0
    assert pad.resolve(5.0)[AMOUNT] == 1.0  # held
    pad.modulation.trigger("hit", False)
    assert pad.resolve(5.0)[AMOUNT] == 1.0
    assert pad.resolve(5.5)[AMOUNT] == pytest.approx(0.75)  # half way through the release


def test_an_event_fires_once_a_beat_and_on_its_trigger():
    store = kit_store()
    store.modulation.add(Route("chain/kit/hit", trigger="beat"))
    fired = []
    for n in range(121):  # two seconds at 60 fps: beat lines at 0.5, 1.0, 1.5, 2.0
        t = n / 60
        if store.resolve(t)["chain/kit/hit"]:
            fired.append(round(t, 3))
        store.end_frame()
    assert fired == [0.5, 1.0, 1.5, 2.0]  # not on the first frame, wherever the beat is
    named = kit_store()
    named.modulation.add(Route("chain/kit/hit", trigger="kick"))
    assert named.resolve(0.0)["chain/kit/hit"] is False
    named.modulation.trigger("kick")
    assert named.resolve(0.1)["chain/kit/hit"] is True
    named.end_frame()
    assert named.resolve(0.2)["chain/kit/hit"] is False


def test_a_step_sequence_plays_sixteenths_in_time():
    store = kit_store()
    steps = [i / 15 for i in range(16)]
    store.modulation.add(Route(AMOUNT, steps=steps, depth=0.5, unipolar=True))
    sixteenth = 0.5 / 4  # at 120 BPM
    for i in (0, 3, 8, 15):
        assert store.resolve((i + 0.5) * sixteenth)[AMOUNT] == pytest.approx(min(0.5 + 0.5 * steps[i], 1.0))
    assert store.resolve(2.0 + 0.5 * sixteenth)[AMOUNT] == pytest.approx(0.5)  # the next bar starts again
    with pytest.raises(ShaderlabError, match="step 2"):
        Route(AMOUNT, steps=[0.0, 2])


def test_a_gesture_is_recorded_from_the_next_bar_and_loops():
    store = kit_store()
    store.resolve(0.0)
    store.modulation.record(AMOUNT, 1, 0.7)  # mid-bar: recording starts at the bar line at 2.0 s
    fps, hand = 60, (lambda t: 0.5 + 0.4 * ((t - 2.0) / 2.0 if 2.0 <= t < 4.0 else 0.0))
    for n in range(int(0.7 * fps), int(4.2 * fps)):
        t = n / fps
        store.set(AMOUNT, hand(t), clamp=True)  # the performer's knob
        store.resolve(t)
        store.end_frame()
    routes = store.modulation.on(AMOUNT)
    assert len(routes) == 1 and routes[0].gesture is not None and store.modulation.recording is None
    assert any("gesture of 1 bar loops" in note.text for note in store.session.notes)
    store.set(AMOUNT, 0.1)  # the knob left elsewhere: the loop plays the hand, not the knob
    for bar in (3, 7):
        for phase in (0.1, 0.5, 0.9):
            t = bar * 2.0 + phase * 2.0
            assert store.resolve(t)[AMOUNT] == pytest.approx(0.5 + 0.4 * phase, abs=0.02), (bar, phase)
    saved = store_to_scene(store).modulation[0]  # a scene keeps it: 16 points a beat
    assert saved["bars"] == 1 and len(saved["gesture"]) == 4 * 16


def test_routes_of_every_kind_survive_a_scene_and_give_the_same_values(tmp_path):
    store = kit_store()
    store.modulation.add(Route(AMOUNT, trigger="bar", attack=0.05, decay=0.3, sustain=0.2, release=0.1, depth=0.3))
    store.modulation.add(Route("chain/kit/centre", steps=[0, 0.5, 1, 0.5, 0, 0.25, 0.75, 1], depth=0.2))
    store.modulation.add(Route("chain/kit/tint", gesture=[(0, 0.5, 1, 1), (1, 0.5, 0, 1)], bars=2, start=4.0))
    save_scene(store_to_scene(store), tmp_path / "moves.toml")
    fresh = make_store(library())
    scene_to_store(load_scene(tmp_path / "moves.toml"), fresh)
    assert [r.saved() for r in fresh.modulation.routes] == [r.saved() for r in store.modulation.routes]
    for t in (0.0, 0.3, 1.7, 5.2):
        assert fresh.resolve(t) == store.resolve(t)


def test_triggers_and_recording_from_osc_addresses():
    store = kit_store()
    namespace = Namespace.of(store)
    assert commands_for(namespace, "/shaderlab/trigger", []) == [c.Trigger("hit", None)]
    assert commands_for(namespace, "/shaderlab/trigger", ["kick", 1]) == [c.Trigger("kick", True)]
    assert commands_for(namespace, "/shaderlab/gesture/record", ["/shaderlab/chain/kit/amount", 2]) == \
        [c.RecordGesture(AMOUNT, 2)]
    with pytest.raises(ShaderlabError, match="whole number"):
        commands_for(namespace, "/shaderlab/gesture/record", [AMOUNT, 2.5])
    with pytest.raises(ShaderlabError, match="a gesture is recorded on"):
        store.modulation.record("chain/kit/shape", 1, 0.0)


def test_commands_fired_by_onsets_beats_and_hits_once_each():
    from shaderlab.show.modulation import CommandTrigger

    store = kit_store()
    kick = store.modulation.add_command(CommandTrigger("/shaderlab/sort/step", "bass", ("right",)))
    bar = store.modulation.add_command(CommandTrigger("/shaderlab/generate", "bar"))
    hit = store.modulation.add_command(CommandTrigger("/shaderlab/save", "hit"))
    fired: dict[float, list] = {}
    for n in range(241):  # four seconds at 60 fps, 120 BPM: bar lines at 2.0 and 4.0
        t = n / 60
        if n == 30:
            store.modulation.hear({"bass": 1.0}, {"bass"})
        if n == 45:
            store.modulation.trigger("hit", True)
        if n == 50:
            store.modulation.trigger("hit", False)  # letting go fires nothing
        store.resolve(t)
        got = store.modulation.fired(t)
        if got:
            fired[round(t, 3)] = got
        store.end_frame()
    assert fired == {0.5: [kick], 0.75: [hit], 2.0: [bar], 4.0: [bar]}
    saved = store_to_scene(store).modulation
    assert {"address": "/shaderlab/sort/step", "trigger": "bass", "args": ["right"]} in saved
    again = make_store(library())
    scene_to_store(store_to_scene(store), again)
    assert again.modulation.commands == store.modulation.commands
    store.modulation.remove("/shaderlab/generate")
    assert store.modulation.commands == [kick, hit]


def test_envelope_edge_cases_a_flash_a_quick_pad_a_retrigger_and_a_stopped_clock():
    flash = Envelope(attack=0.0, decay=0.0, sustain=0.0, release=0.5)  # release only
    assert flash.value(1.0, flash.hit(1.0)) == 1.0 and flash.value(1.25, flash.hit(1.0)) == pytest.approx(0.5)

    store = kit_store()  # a pad pressed and let go within one frame: a hit, not nothing
    store.modulation.add(Route(AMOUNT, trigger="hit", depth=0.5, unipolar=True, attack=0.0, decay=0.5))
    store.modulation.trigger("hit", True)
    store.modulation.trigger("hit", False)
    assert store.resolve(1.0)[AMOUNT] == pytest.approx(1.0)
    assert store.resolve(1.25)[AMOUNT] == pytest.approx(0.75)
    store.modulation.trigger("hit")  # retriggered half way down: the attack rises from there
    slow = kit_store()
    slow.modulation.add(Route(AMOUNT, trigger="hit", depth=0.5, unipolar=True, attack=1.0, decay=0.0, sustain=1.0))
    slow.modulation.trigger("hit")
    slow.resolve(0.0)
    assert slow.resolve(0.5)[AMOUNT] == pytest.approx(0.75)  # half way up
    slow.modulation.trigger("hit")
    assert slow.resolve(0.5)[AMOUNT] == pytest.approx(0.75)  # no drop to 0 on the retrigger
    assert slow.resolve(0.75)[AMOUNT] == pytest.approx(0.5 + 0.5 * (0.5 + 0.5 * 0.25))

    stopped = kit_store()  # a clock standing still on a bar line fires nothing, frame after frame
    stopped.modulation.add(Route("chain/kit/hit", trigger="beat"))
    command = stopped.modulation.add_command(__import__("shaderlab.show.modulation", fromlist=["x"]).CommandTrigger(
        "/shaderlab/sort/step", "bar", ("right",)))
    stopped.tempo.stop(2.0)  # at beat 4, a bar line
    fired = []
    for n in range(60):
        t = 2.0 + n / 60
        fired.append((stopped.resolve(t)["chain/kit/hit"], bool(stopped.modulation.fired(t))))
        stopped.end_frame()
    assert not any(a or b for a, b in fired), fired
    assert command in stopped.modulation.commands


def test_gestures_refuse_what_they_cannot_play_back_in_one_line():
    store = kit_store()
    with pytest.raises(ShaderlabError, match="all lists of 4"):  # a colour's points are 4 levels each
        store.modulation.add(Route("chain/kit/tint", gesture=[(0, 1), (1, 0)]))
    with pytest.raises(ShaderlabError, match="of one kind"):
        Route(AMOUNT, gesture=[0.1, [0.2, 0.3]])
    with pytest.raises(ShaderlabError, match="wrong kind"):
        Route.loaded({"address": AMOUNT, "gesture": [0, 1], "bars": float("inf")})
    unbounded = make_store({"free": kit_spec('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, '
                                              '{"NAME": "x", "TYPE": "float", "DEFAULT": 5}]}*/\nvoid main() {}')})
    unbounded.add_effect("free")
    with pytest.raises(ShaderlabError, match="declares no MIN and MAX"):
        unbounded.modulation.record("chain/free/x", 1, 0.0)
    # the beat jumps past the bars being recorded: one line, no gesture, the show goes on
    store.modulation.record(AMOUNT, 1, 0.25)
    store.resolve(0.3)
    store.tempo.place(20.0, 0.4)
    store.resolve(0.4)
    assert store.modulation.recording is None and not store.modulation.on(AMOUNT)
    assert any("beat jumped past" in note.text for note in store.session.notes)
    with pytest.raises(ShaderlabError, match="whole number"):
        commands_for(Namespace.of(store), "/shaderlab/gesture/record", [AMOUNT, float("nan")])
