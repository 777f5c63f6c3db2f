"""Audio analysis against signals the test makes (issue 14): clicks at known times, tones at
known frequencies, a 120 BPM pattern — written as a real WAV file and read back."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from shaderlab.audio.analysis import Analyzer

RATE = 44100


def write_wav(path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def read_wav(path) -> np.ndarray:
    with wave.open(str(path), "rb") as source:
        return np.frombuffer(source.readframes(source.getnframes()), "<i2")


def clicks(times, seconds: float, noise: float = 0.002) -> np.ndarray:
    rng = np.random.default_rng(1)
    signal = rng.normal(0, noise, int(seconds * RATE))
    for t in times:
        start = int(t * RATE)
        burst = rng.normal(0, 0.8, 400) * np.exp(-np.arange(400) / 80)
        signal[start:start + 400] += burst
    return signal


def run(analyzer: Analyzer, samples: np.ndarray, chunk: int = 1000) -> list:
    out = []
    for start in range(0, len(samples), chunk):  # as a device delivers: chunks that are not hops
        out += analyzer.feed(samples[start:start + chunk])
    return out


def test_onsets_within_one_hop_of_the_clicks(tmp_path):
    times = [0.5, 1.0, 1.73, 2.2, 2.61]
    write_wav(tmp_path / "clicks.wav", clicks(times, 3.0))
    analyzer = Analyzer(RATE)
    features = run(analyzer, read_wav(tmp_path / "clicks.wav"))
    found: list[float] = []
    for f in features:  # each band reports its own onset: one click may light two bands a hop apart
        if any(f.onsets.values()) and (not found or f.time - found[-1] > 0.05):
            found.append(f.time)
    assert len(found) == len(times), found
    for expected, got in zip(times, found):
        # The hop whose end first holds the click: within one hop (11.6 ms) after it.
        assert 0 <= got - expected <= 2 * analyzer.hop_seconds, (expected, got)


@pytest.mark.parametrize("frequency, band", [(80.0, "bass"), (400.0, "low_mid"), (1500.0, "high_mid"), (6000.0, "high")])
def test_a_tone_lights_its_band(frequency, band):
    t = np.arange(int(1.5 * RATE)) / RATE
    features = run(Analyzer(RATE), 0.5 * np.sin(2 * np.pi * frequency * t))
    last = features[-1]
    assert max(last.levels, key=last.levels.get) == band, last.levels
    peak_bin = int(np.argmax(last.spectrum))
    edges = np.geomspace(20.0, 16000.0, len(last.spectrum) + 1)
    assert edges[peak_bin] <= frequency < edges[peak_bin + 1]
    assert last.waveform.shape == (1, 2048) and np.abs(last.waveform).max() <= 1.0


def test_the_tempo_of_a_120_bpm_pattern(tmp_path):
    beats = np.arange(0, 10, 0.5)  # 120 BPM for 10 s
    write_wav(tmp_path / "beat.wav", clicks(beats, 10.0))
    analyzer = Analyzer(RATE)
    run(analyzer, read_wav(tmp_path / "beat.wav"))
    bpm, confidence = analyzer.tempo()
    assert bpm == pytest.approx(120.0, abs=1.0) and confidence > 0.3


def test_silence_and_garbage_give_quiet_features_not_errors():
    features = run(Analyzer(RATE, channels=2), np.zeros((RATE, 2)))
    assert not any(any(f.onsets.values()) for f in features) and features[-1].level == 0.0
    noisy = np.full((4096, 2), np.nan)
    assert all(np.isfinite(f.spectrum).all() for f in Analyzer(RATE, channels=2).feed(noisy))
    assert Analyzer(RATE).tempo() is None
