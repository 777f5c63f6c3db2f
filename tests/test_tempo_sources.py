"""Where the tempo comes from besides the BPM and taps (issue 14): the tempo heard in the audio
(sure and steady before it moves the clock, with a soft phase lock on the bass), and the latency
offset that reads the beat and a sound file's analysis ahead. (MIDI clock in: test_midi.py;
Ableton Link between two real peers: test_link.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from show_fixtures import make_store
from test_audio_analysis import RATE, clicks, run
from shaderlab.audio.analysis import Analyzer
from shaderlab.audio.files import OfflineAudio
from shaderlab.scene import load_scene, save_scene
from shaderlab.show.scenes import scene_to_store, store_to_scene
from shaderlab.show.settings import BPM, LATENCY
from shaderlab.show.tempo import HeardTempo, MusicalClock


def follow(samples: np.ndarray, clock: MusicalClock) -> list[tuple[float, float]]:
    """Feed the analysis's estimates to a HeardTempo as the window does: (time, bpm set)."""
    heard, changes = HeardTempo(), []
    for f in run(Analyzer(RATE), samples):
        if f.tempo is not None:
            bpm = heard.estimate(*f.tempo, current=clock.bpm)
            if bpm is not None:
                clock.set_bpm(bpm, f.time)
                changes.append((f.time, bpm))
        if f.onsets["bass"]:
            heard.onset(clock, f.time)
    return changes


def test_the_heard_tempo_follows_the_music_without_jumping():
    # 12 s at 120 BPM, then 12 s at 128: the clock takes each once it is sure and steady.
    first = np.arange(0, 12, 0.5)
    second = 12 + np.arange(0, 12, 60 / 128)
    clock = MusicalClock(100.0)
    changes = follow(np.concatenate([clicks(first, 12.0), clicks(second - 12, 12.0)]), clock)
    before = [bpm for t, bpm in changes if t < 12]
    assert before and before[-1] == pytest.approx(120.0, abs=0.5), changes
    assert changes[-1][1] == pytest.approx(128.0, abs=0.5), changes
    assert len(changes) <= 4, changes  # a change of tempo, not a wobble
    assert all(t >= 4.0 for t, _ in changes)  # not before it has heard four seconds


def test_noise_and_a_held_tone_never_move_the_clock():
    rng = np.random.default_rng(5)
    t = np.arange(10 * RATE) / RATE
    for samples in (rng.normal(0, 0.3, 10 * RATE), 0.5 * np.sin(2 * np.pi * 220 * t),
                    clicks(np.sort(rng.uniform(0, 10, 25)), 10.0)):
        clock = MusicalClock(97.0)
        assert follow(samples, clock) == [] and clock.bpm == 97.0


def test_bass_onsets_pull_the_phase_onto_the_beat():
    # Kicks at 120 BPM that fall 0.15 beat after the clock's beats: the phase locks on softly.
    clock = MusicalClock(120.0)
    heard = HeardTempo()
    heard.confidence = 0.9
    for n in range(1, 17):
        heard.onset(clock, (n + 0.15) * 0.5)
    error = clock.heard_at(8.5 + 0.075) - round(clock.heard_at(8.5 + 0.075))
    assert abs(error) < 0.01, error
    # far from any beat (half way): not a kick on the beat, nothing moves
    before = clock.heard_at(10.0)
    heard.onset(clock, 9.0 + 0.25)
    assert clock.heard_at(10.0) == before


def test_the_latency_offset_reads_the_beat_and_the_sound_ahead(tmp_path):
    store = make_store()
    store.set(BPM, 120.0)
    store.set(LATENCY, 100.0)
    beat = store.beat(2.0)
    assert beat.beat == pytest.approx((2.0 + 0.1) * 2.0)
    # the sound file's analysis, offline, runs as far ahead: a click at 1.0 s is heard at 0.9
    audio = OfflineAudio(clicks([1.0], 2.0).astype(np.float32)[:, None], RATE, offset=0.1)
    onset_at = next(t for t in np.arange(0.5, 1.5, 1 / 60) if any(audio.at(t).onsets.values()))
    assert 0.9 <= onset_at <= 0.9 + 2 * 512 / RATE + 1 / 60
    # scenes keep it; a scene's own refusal names the value
    save_scene(store_to_scene(store), tmp_path / "late.toml")
    assert load_scene(tmp_path / "late.toml").tempo["latency_ms"] == 100.0
    other = make_store()
    scene_to_store(load_scene(tmp_path / "late.toml"), other)
    assert other.get(LATENCY) == 100.0 and other.beat(2.0).beat == pytest.approx(4.2)


def test_past_a_sound_files_end_the_analysis_hears_silence():
    """A render longer than its --audio track: effects' audio inputs and followers hear the
    silence the video's sound has there, not the last moment of the track held for ever."""
    noise = np.random.default_rng(3).normal(0, 0.5, RATE).astype(np.float32)[:, None]  # 1 s, loud
    audio = OfflineAudio(noise, RATE)
    loud = audio.at(0.9)
    assert loud.level > 0.3 and loud.fft.max() > 0.3
    quiet = audio.at(3.0)
    assert quiet.level < 0.02 and quiet.fft.max() < 0.02 and np.abs(quiet.waveform).max() == 0.0
    assert audio.at(3600.0).level < 0.02  # an hour on: two seconds of silence heard, not an hour's


def test_link_takes_the_tempo_and_phase_but_never_restarts_a_stopped_clock():
    from shaderlab.show.tempo import follow_link

    clock = MusicalClock(120.0)
    assert follow_link(clock, 128.0, 10.0, 3.0)  # drifted: placed on the session's beat
    assert clock.bpm == 128.0 and clock.heard_at(3.0) == pytest.approx(10.0)
    assert not follow_link(clock, 128.0, 10.0 + 0.5 * 128 / 60 + 0.01, 3.5)  # within a fiftieth: left alone
    clock.stop(4.0)
    follow_link(clock, 130.0, 20.0, 4.5)
    assert not clock.running and clock.bpm == 130.0  # the tempo, not the transport
    follow_link(clock, 999.0, 20.0, 5.0)  # Link allows up to 999: clamped, not an error a reading
    assert clock.bpm == 400.0


@pytest.mark.parametrize("fps", [24, 30, 60, 120])
def test_a_render_hears_the_same_onsets_at_any_frame_rate(fps):
    kicks = np.arange(0.25, 4.0, 0.5)
    audio = OfflineAudio(clicks(kicks, 4.0).astype(np.float32)[:, None], RATE)
    heard: list[float] = []
    for n in range(4 * fps):
        f = audio.at(n / fps)
        # each band says its own onset: one click may light two bands a hop apart (one kick)
        if f is not None and any(f.onsets.values()) and (not heard or n / fps - heard[-1] > 0.05):
            heard.append(n / fps)
    assert len(heard) == len(kicks), heard  # each kick heard, however many hops between frames
    assert all(0 <= h - k <= 2 * 512 / RATE + 1 / fps for h, k in zip(heard, kicks))
