"""The musical clock, tap tempo, MIDI clock following and LFO modulation (issue 14): values
against their formulas, on the show's store, through scenes (no GL)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from show_fixtures import library, make_store
from shaderlab.errors import ShaderlabError
from shaderlab.scene import load_scene, save_scene
from shaderlab.show.modulation import Lfo, Route
from shaderlab.show.scenes import scene_to_store, store_to_scene
from shaderlab.show.settings import BEATS_PER_BAR, BPM
from shaderlab.show.tempo import ClockFollower, MusicalClock, TapTempo


def test_the_beat_stays_continuous_through_tempo_changes_nudges_and_resync():
    clock = MusicalClock(120.0)
    assert clock.at(1.0).beat == 2.0 and clock.at(1.25).beat_phase == 0.5
    clock.set_bpm(60.0, 2.0)  # at beat 4
    assert clock.beat_at(2.0) == 4.0 and clock.beat_at(3.0) == 5.0
    assert clock.at(3.0).bar == 1.25 and clock.at(3.0).bar_phase == 0.25
    clock.nudge(0.25, 3.0)
    assert clock.beat_at(3.0) == 5.25
    clock.resync(3.0)  # the nearest bar line: beat 4
    assert clock.beat_at(3.0) == 4.0
    clock.stop(4.0)
    assert clock.beat_at(10.0) == 5.0
    clock.start(10.0)
    assert clock.beat_at(11.0) == 6.0
    with pytest.raises(ShaderlabError):
        clock.set_bpm(float("nan"), 0.0)


def test_tap_tempo_takes_the_median_and_forgets_after_a_pause():
    tap = TapTempo()
    times = [0.0, 0.5, 1.0, 1.62, 2.0, 2.5]  # one late tap
    tempos = [tap.tap(t) for t in times]
    assert tempos[:2] == [None, None] and tempos[-1] == pytest.approx(120.0)
    assert tap.tap(10.0) is None  # after a pause: a new run of taps


def test_midi_clock_reads_120_bpm_through_jitter():
    follower = ClockFollower()
    jitter = random.Random(3)
    interval = 60.0 / (120.0 * 24)
    tempo = None
    for n in range(24 * 8):
        tempo = follower.pulse(n * interval + jitter.uniform(-0.002, 0.002)) or tempo
    assert tempo == pytest.approx(120.0, abs=0.5)
    assert follower.beat == 8.0
    follower.song_position(16)  # four bars of sixteenths
    assert follower.beat == 4.0


@pytest.mark.parametrize("shape, formula", [
    ("sine", lambda x: math.sin(2 * math.pi * x)),
    ("triangle", lambda x: 1 - 4 * abs(x - 0.5)),
    ("saw_up", lambda x: 2 * x - 1),
    ("saw_down", lambda x: 1 - 2 * x),
    ("square", lambda x: 1.0 if x < 0.25 else -1.0),
])
def test_lfo_shapes_against_their_formulas(shape, formula):
    lfo = Lfo(shape, hz=2.0, width=0.25, phase=0.1)
    for t in (0.0, 0.07, 0.2, 0.33, 0.49, 1.3):
        cycles = t * 2.0 + 0.1
        assert lfo.value(t) == pytest.approx(formula(cycles - math.floor(cycles)), abs=1e-9)


def test_synced_and_random_lfos():
    clock = MusicalClock(120.0)  # a bar of 4 beats is 2 s
    bar = Lfo("saw_up", sync="1 bar")
    assert bar.value(0.5, clock) == pytest.approx(-0.5) and bar.value(1.5, clock) == pytest.approx(0.5)
    assert Lfo("saw_up", sync="1/4").value(0.25, clock) == pytest.approx(0.0)  # half a beat
    held = Lfo("sample_hold", hz=1.0, seed=4)
    assert held.value(0.1) == held.value(0.9) != held.value(1.1)
    assert held.value(0.1) == Lfo("sample_hold", hz=1.0, seed=4).value(0.1)  # repeatable
    smooth = Lfo("smooth_random", hz=1.0, seed=4)
    steps = [smooth.value(t / 100) for t in range(300)]
    assert max(abs(a - b) for a, b in zip(steps, steps[1:])) < 0.05  # no jumps
    assert all(-1.0 <= v <= 1.0 for v in steps)


def test_routes_on_the_store_never_write_the_base_and_are_clamped():
    store = make_store(library())
    store.add_effect("kit")  # amount: 0..1, default 0.5
    store.modulation.add(Route("chain/kit/amount", Lfo("square", hz=1.0), depth=0.25))
    store.modulation.add(Route("chain/kit/amount", Lfo("square", hz=1.0), depth=0.5))
    assert store.resolve(0.1)["chain/kit/amount"] == 1.0  # 0.5 + 0.75: clamped to MAX
    assert store.resolve(0.6)["chain/kit/amount"] == 0.0  # 0.5 - 0.75: clamped to MIN
    assert store.get("chain/kit/amount") == 0.5  # the base is what the performer set
    store.modulation.add(Route("chain/kit/centre", Lfo("saw_up", hz=1.0), depth=0.5, unipolar=True))
    assert store.resolve(0.5)["chain/kit/centre"] == pytest.approx((0.75, 0.75))
    store.modulation.add(Route("chain/kit/flip", Lfo("square", hz=1.0), depth=1.0))
    assert store.resolve(0.1)["chain/kit/flip"] is True and store.resolve(0.6)["chain/kit/flip"] is False
    with pytest.raises(ShaderlabError, match="menu cannot be modulated"):
        store.modulation.add(Route("chain/kit/shape"))
    with pytest.raises(ShaderlabError, match="no input"):
        store.modulation.add(Route("chain/kit/nope"))


def test_the_tempo_is_a_slot_and_scenes_keep_tempo_and_routes(tmp_path):
    store = make_store(library())
    store.add_effect("kit")
    store.set(BPM, 90.0)
    assert store.beat(2.0).bpm == 90.0
    store.modulation.add(Route("chain/kit/amount", Lfo("sine", sync="2 bars", phase=0.25), depth=0.3, curve="exp"))
    save_scene(store_to_scene(store), tmp_path / "groove.toml")
    text = (tmp_path / "groove.toml").read_text()
    assert "[tempo]" in text and "[[modulation]]" in text
    fresh = make_store(library())
    scene_to_store(load_scene(tmp_path / "groove.toml"), fresh)
    assert fresh.get(BPM) == 90.0 and fresh.get(BEATS_PER_BAR) == 4
    assert [r.saved() for r in fresh.modulation.routes] == [r.saved() for r in store.modulation.routes]
    again = make_store(library())
    scene_to_store(load_scene(tmp_path / "groove.toml"), again)
    for t in (0.0, 0.4, 3.3):  # the same scene and clock: the same values, as a render does
        assert fresh.resolve(t) == again.resolve(t)
    # 2 bars at 90 BPM last 16/3 s; a quarter cycle in, the sine is at its top: 0.5 + 0.3·1².
    assert fresh.resolve(0.0)["chain/kit/amount"] == pytest.approx(0.8)
    assert fresh.resolve(16 / 3 / 4)["chain/kit/amount"] == pytest.approx(0.5)

    # A route the scene's chain cannot take: refused, and the old chain is put back.
    (tmp_path / "bad.toml").write_text('[[effects]]\nname = "blur"\n[[modulation]]\naddress = "chain/kit/amount"\n')
    with pytest.raises(ShaderlabError, match="no input"):
        scene_to_store(load_scene(tmp_path / "bad.toml"), fresh)
    assert fresh.chain.ids == ("kit",) and len(fresh.modulation.routes) == 1


def test_a_scene_with_routes_renders_headless_frame_for_frame_and_the_same_twice(tmp_path, renderer):
    """shaderlab render --frames: each frame's values are the routes' at its time (as in the
    window), the tempo reaches shaders that declare it, and the same command writes the same frames."""
    import numpy as np
    from PIL import Image

    from conftest import run_cli
    from shaderlab.io.images import load_image

    photo = Path(__file__).resolve().parents[1] / "assets" / "coffee.png"
    beat = tmp_path / "beat.fs"
    beat.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\nuniform float BEAT_PHASE;\n'
                    "void main() { vec4 c = IMG_THIS_PIXEL(inputImage); gl_FragColor = vec4(c.rgb, 1.0);"
                    " if (gl_FragCoord.x < 1.0 && gl_FragCoord.y < 1.0) gl_FragColor = vec4(BEAT_PHASE); }\n")
    scene = tmp_path / "groove.toml"
    scene.write_text(f'[source]\nimage = "{photo}"\n[tempo]\nbpm = 150\n'
                     '[[effects]]\nname = "saturate"\nid = "sat"\n[effects.params]\namount = 2.0\n'
                     f'[[effects]]\nname = "{beat}"\n'
                     '[[modulation]]\naddress = "chain/sat/amount"\nshape = "saw_up"\nsync = "1/4"\ndepth = 0.25\n')
    outputs = []
    for run in ("a", "b"):
        result = run_cli("render", "--scene", str(scene), "--frames", "3", "--fps", "10", "-o", str(tmp_path / run))
        assert result.returncode == 0, result.stderr
        outputs.append([np.asarray(Image.open(p)) for p in sorted((tmp_path / run).glob("*.png"))])
    assert len(outputs[0]) == 3 and all(np.array_equal(a, b) for a, b in zip(*outputs))
    image = load_image(photo).pixels
    for index, frame in enumerate(outputs[0]):
        t = index / 10
        beats = t * 150 / 60
        phase = beats - math.floor(beats)
        amount = 2.0 + 0.25 * (2 * phase - 1) * 4.0  # saw up across each beat, a quarter of 0..4
        expected = renderer.render(image, [("saturate", {"amount": amount})])
        assert np.abs(frame[1:, 1:, :3].astype(int) - expected[1:, 1:, :3].astype(int)).max() <= 1
        assert abs(int(frame[-1, 0, 0]) - phase * 255) <= 1  # the bottom-left pixel: BEAT_PHASE


def test_audio_followers_rise_and_fall_and_onsets_fire_events():
    store = make_store(library())
    store.add_effect("kit")
    store.modulation.add(Route("chain/kit/amount", follow="bass", depth=0.5, unipolar=True, attack=0.0, release=0.5))
    store.modulation.add(Route("chain/kit/hit", follow="bass"))
    with pytest.raises(ShaderlabError, match="fired by onsets or a trigger"):
        store.modulation.add(Route("chain/kit/hit", Lfo()))
    store.resolve(0.0)
    store.modulation.hear({"bass": 1.0}, {"bass"})
    first = store.resolve(0.1)
    assert first["chain/kit/amount"] == 1.0 and first["chain/kit/hit"] is True  # 0.5 + 0.5·1, clamped
    store.end_frame()
    store.modulation.hear({"bass": 0.0}, set())
    later = store.resolve(0.6)  # half a second of release: e^-1 of the way back
    assert later["chain/kit/amount"] == pytest.approx(0.5 + 0.5 * math.exp(-1.0))
    assert later["chain/kit/hit"] is False and store.get("chain/kit/amount") == 0.5
    saved = Route.loaded(Route("chain/kit/amount", follow="high", release=0.2).saved())
    assert saved.follow == "high" and saved.release == 0.2
