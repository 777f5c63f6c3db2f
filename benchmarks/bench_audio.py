"""Audio analysis: its CPU cost, its tempo accuracy, and in the real window the delay from a
click in the sound to the first frame that reacts, and frame times with audio on and off.

    python benchmarks/bench_audio.py [--frames 300]

Signals are made here (clicks, tones, beat patterns); the window runs in this process (hidden,
1280×720, saturate with an audio follower), wall clock. Starts Xvfb when no DISPLAY is set.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from display import percentile, start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]
RATE = 44100


def clicks(times, seconds: float) -> np.ndarray:
    rng = np.random.default_rng(2)
    signal = rng.normal(0, 0.002, int(seconds * RATE))
    for t in times:
        start = int(t * RATE)
        n = len(signal[start:start + 400])  # a click near the end is cut short
        signal[start:start + n] += rng.normal(0, 0.8, n) * np.exp(-np.arange(n) / 80)
    return signal


def music(seconds: float) -> np.ndarray:
    """A beat with a bass line and a hi-hat: something like what a show hears."""
    t = np.arange(int(seconds * RATE)) / RATE
    kick = clicks(np.arange(0, seconds, 0.5), seconds)
    bass = 0.3 * np.sin(2 * np.pi * 55 * t) * (np.sin(2 * np.pi * 2 * t) > 0)
    hat = np.random.default_rng(3).normal(0, 0.05, len(t)) * ((t * 8) % 1 < 0.05)
    return np.clip(kick + bass + hat, -1, 1)


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def analysis_cost() -> float:
    from shaderlab.audio.analysis import Analyzer

    signal = music(60.0).astype(np.float32)
    analyzer = Analyzer(RATE)
    start = time.process_time()
    for first in range(0, len(signal), 1024):
        analyzer.feed(signal[first:first + 1024])
    return (time.process_time() - start) / 60.0 * 1000  # ms of CPU per second of audio


def tempo_accuracy() -> list[tuple[float, float, float]]:
    from shaderlab.audio.analysis import Analyzer

    out = []
    for bpm in (90.0, 120.0, 128.0, 140.0, 174.0):
        analyzer = Analyzer(RATE)
        analyzer.feed(clicks(np.arange(0, 10, 60 / bpm), 10.0))
        heard, confidence = analyzer.tempo()
        out.append((bpm, heard, confidence))
    return out


def window(frames: int, sound: Path | None, click_at: float | None) -> dict:
    from shaderlab.app.runner import run_scripted
    from shaderlab.cli import play_options
    from shaderlab.show.commands import AddEffect, Modulate

    arguments = [str(ROOT / "assets" / "coffee.png"), "--size", "1280x720"]
    if sound is not None:
        arguments += ["--audio", str(sound), "--audio-out", "none"]  # paced by the clock: what the analysis adds
    result: dict = {"intervals": []}

    def script(app):
        while app.stage.output is None:
            yield
        app.inbox.put(AddEffect("saturate"))
        if sound is not None:
            route = (("address", "chain/saturate/amount"), ("follow", "level"), ("depth", 0.5), ("unipolar", True),
                     ("attack", 0.0))
            app.inbox.put(Modulate(route))
        for _ in range(10):
            yield
        last = time.monotonic()
        for _ in range(frames):
            yield
            now = time.monotonic()
            result["intervals"].append((now - last) * 1000)
            last = now
            if click_at is not None and app.sound.source is not None and app.sound.source.started:
                # Clicks every 2 s from click_at on: the first frame after each that shows it.
                played = app.sound.source.started + click_at + 2.0 * len(result.setdefault("reacted", []))
                value = app.resolved.get("chain/saturate/amount", 1.5)
                if now > played and value > 1.5 + 0.25 and result.get("armed", True):
                    result["reacted"].append((now - played) * 1000)
                    result["armed"] = False
                elif value < 1.5 + 0.1:
                    result["armed"] = True

    run_scripted(script, *play_options(arguments))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    print(f"analysis: {analysis_cost():.2f} ms of CPU per second of audio (44.1 kHz mono, FFT 2048, hop 512)")
    print("\n| pattern BPM | heard BPM | error | confidence |\n|---|---|---|---|")
    for bpm, heard, confidence in tempo_accuracy():
        print(f"| {bpm:g} | {heard:.2f} | {heard - bpm:+.2f} | {confidence:.2f} |")
    server = start_display(80)
    try:
        folder = Path(tempfile.mkdtemp(prefix="bench-audio-"))
        # Silence with a click every 2 s from 3 s on, looping: the click that reacts is timed.
        seconds = 60.0
        sound = folder / "clicks.wav"
        write_wav(sound, clicks(np.arange(3.0, seconds, 2.0), seconds))
        off = window(args.frames, None, None)
        on = window(args.frames, sound, 3.0)
        delays = on.get("reacted", [])
        print("\n| window 1280×720, saturate | frames | median ms | p99 ms |\n|---|---|---|---|")
        for name, run in (("audio off", off), ("audio on (file + analysis + follower)", on)):
            intervals = run["intervals"]
            print(f"| {name} | {len(intervals)} | {statistics.median(intervals):.2f} | {percentile(intervals, 0.99):.2f} |")
        print(f"\np99 ratio on/off: {percentile(on['intervals'], 0.99) / percentile(off['intervals'], 0.99):.3f}")
        if delays:
            print(f"a click in the sound → the first frame that reacted ({len(delays)} clicks): median "
                  f"{statistics.median(delays):.1f} ms, max {max(delays):.1f} ms")
    finally:
        if server is not None:
            server.terminate()


if __name__ == "__main__":
    main()
