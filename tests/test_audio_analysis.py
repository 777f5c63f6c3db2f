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


VISUALISER = """/*{"DESCRIPTION": "A waveform and a spectrum, read as public ISF audio visualisers read them",
"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "waveImage", "TYPE": "audio"},
{"NAME": "fftImage", "TYPE": "audioFFT"}]}*/
void main() {
    vec2 uv = isf_FragNormCoord;
    float wave = IMG_NORM_PIXEL(waveImage, vec2(uv.x, 0.5)).r;
    float fft = IMG_NORM_PIXEL(fftImage, vec2(uv.x, 0.5)).r;
    gl_FragColor = vec4(wave, fft, 0.0, 1.0);
}
"""


def test_render_with_a_soundtrack_feeds_isf_audio_inputs_and_muxes_it(tmp_path):
    """shaderlab render --audio: the waveform and spectrum of each frame's time reach an ISF
    file's audio and audioFFT inputs (a 440 Hz tone lights the spectrum where 440 Hz is), the
    same command writes the same frames, and an MP4 gets the track."""
    from PIL import Image

    from conftest import run_cli

    (tmp_path / "visualiser.fs").write_text(VISUALISER)
    t = np.arange(int(2.0 * RATE)) / RATE
    write_wav(tmp_path / "tone.wav", 0.6 * np.sin(2 * np.pi * 440.0 * t))
    common = ["render", "--shaders", str(tmp_path), "--size", "512x16", "-e", "visualiser", "--fps", "4", "--frames", "4"]
    silent = run_cli(*common, "-o", str(tmp_path / "silent"))
    assert silent.returncode == 0, silent.stderr
    heard = [run_cli(*common, "--audio", str(tmp_path / "tone.wav"), "-o", str(tmp_path / name)) for name in ("a", "b")]
    assert all(r.returncode == 0 for r in heard), heard[0].stderr
    quiet = np.asarray(Image.open(sorted((tmp_path / "silent").glob("*.png"))[-1])).astype(int)
    assert np.abs(quiet[..., 0] - 128).max() <= 1 and quiet[..., 1].max() == 0  # silence: 0.5 and nothing
    frames = [np.asarray(Image.open(p)).astype(int) for p in sorted((tmp_path / "a").glob("*.png"))]
    again = [np.asarray(Image.open(p)).astype(int) for p in sorted((tmp_path / "b").glob("*.png"))]
    assert all(np.array_equal(x, y) for x, y in zip(frames, again))
    row = frames[-1][8]
    assert row[:, 0].max() - row[:, 0].min() > 100  # the wave swings
    peak = int(np.argmax(row[:, 1]))  # the spectrum's brightest column: 440 Hz of 512 bins of 21.5 Hz
    assert abs(peak - 440 / (RATE / 2048)) <= 2, peak

    video = run_cli(*common, "--audio", str(tmp_path / "tone.wav"), "-o", str(tmp_path / "clip.mp4"))
    if video.returncode != 0 and "video extra" in video.stderr:
        pytest.skip("MP4 needs the video extra")
    assert video.returncode == 0, video.stderr
    import imageio_ffmpeg
    import subprocess

    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(tmp_path / "clip.mp4")],
                           capture_output=True, text=True, timeout=60)
    assert "Audio: aac" in probe.stderr and "Video: h264" in probe.stderr


def test_audio_inputs_get_as_many_columns_as_their_max_asks(tmp_path):
    """ISF's MAX on an audio input: the waveform resampled over its window, the spectrum's bins
    pooled to their loudest — the tone's peak stays in its column."""
    from PIL import Image

    from conftest import run_cli

    (tmp_path / "narrow.fs").write_text("""/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"},
{"NAME": "waveImage", "TYPE": "audio", "MAX": 128}, {"NAME": "fftImage", "TYPE": "audioFFT", "MAX": 64}]}*/
void main() {
    float fft = IMG_NORM_PIXEL(fftImage, vec2(isf_FragNormCoord.x, 0.5)).r;
    gl_FragColor = vec4(IMG_SIZE(waveImage).x / 255.0, fft, IMG_SIZE(fftImage).x / 255.0, 1.0);
}
""")
    t = np.arange(int(1.0 * RATE)) / RATE
    write_wav(tmp_path / "tone.wav", 0.6 * np.sin(2 * np.pi * 440.0 * t))
    done = run_cli("render", "--shaders", str(tmp_path), "--size", "64x4", "-e", "narrow", "--fps", "2", "--frames", "2",
                   "--audio", str(tmp_path / "tone.wav"), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    frame = np.asarray(Image.open(sorted((tmp_path / "out").glob("*.png"))[-1])).astype(int)
    assert frame[2, 0, 0] == 128 and frame[2, 0, 2] == 64  # MAX columns each
    # 440 Hz is bin 20.4 of 512 (21.5 Hz each); pooled 8 to a column: column 2 of 64
    assert int(np.argmax(frame[2, :, 1])) == 2, frame[2, :8, 1]


def test_a_single_png_hears_the_soundtrack_at_its_time(tmp_path):
    from PIL import Image

    from conftest import run_cli

    (tmp_path / "visualiser.fs").write_text(VISUALISER)
    t = np.arange(int(2.0 * RATE)) / RATE
    write_wav(tmp_path / "late.wav", 0.6 * np.sin(2 * np.pi * 440.0 * t) * (t > 1.0))  # silent for a second
    common = ["render", "--shaders", str(tmp_path), "--size", "512x8", "-e", "visualiser", "--audio", str(tmp_path / "late.wav")]
    for name, at in (("early.png", "0.5"), ("late.png", "1.5")):
        done = run_cli(*common, "--time", at, "-o", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
    early, late = (np.asarray(Image.open(tmp_path / n)).astype(int) for n in ("early.png", "late.png"))
    assert early[4, :, 1].max() == 0 and late[4, :, 1].max() > 100  # the tone is heard at 1.5 s, not at 0.5
