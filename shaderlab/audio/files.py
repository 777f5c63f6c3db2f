"""Sound files as samples: WAV with the standard library; FLAC, MP3 and the rest through the
ffmpeg of the video extra. And a file's analysis at any frame's time, for offline renders."""

from __future__ import annotations

import subprocess
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np

from shaderlab.audio.analysis import Analyzer, Features
from shaderlab.errors import ShaderlabError

#: Longest soundtrack read (an hour of stereo float32 at 48 kHz is about 1.4 GB).
MAX_SECONDS = 3600


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """(float32 samples × channels in -1..1, sample rate); a one-line error for anything else."""
    path = Path(path)
    if not path.is_file():
        raise ShaderlabError(f"{path}: no such sound file")
    if path.suffix.lower() == ".wav":
        return _read_wav(path)
    return _read_with_ffmpeg(path)


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    try:
        with wave.open(str(path), "rb") as source:
            channels, width, rate, count = source.getnchannels(), source.getsampwidth(), source.getframerate(), source.getnframes()
            if count > MAX_SECONDS * rate:
                raise ShaderlabError(f"{path}: longer than {MAX_SECONDS // 60} minutes")
            raw = source.readframes(count)
    except (wave.Error, EOFError) as exc:
        raise ShaderlabError(f"{path}: not a PCM WAV file ({exc}); convert it, or give FLAC/MP3 with the video extra") from None
    if width == 1:
        samples = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    elif width == 2:
        samples = np.frombuffer(raw, "<i2").astype(np.float32) / 32768
    elif width == 3:
        bytes3 = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        ints = (bytes3[:, 0].astype(np.int32) | bytes3[:, 1].astype(np.int32) << 8 | bytes3[:, 2].astype(np.int32) << 16)
        samples = ((ints ^ 0x800000) - 0x800000).astype(np.float32) / 8388608
    else:
        samples = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648
    return samples.reshape(-1, channels), rate


def _read_with_ffmpeg(path: Path, rate: int = 44100) -> tuple[np.ndarray, int]:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ShaderlabError(f"{path}: reading {path.suffix or 'this'} needs the video extra "
                             "(pip install 'shaderlab[video]'); WAV needs nothing") from None
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
                             "-i", str(path), "-t", str(MAX_SECONDS), "-f", "f32le", "-ac", "2", "-ar", str(rate), "-"],
                            capture_output=True, timeout=600)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise ShaderlabError(f"{path}: cannot be read as sound ({reason[-1] if reason else 'no audio in it'})")
    return np.frombuffer(result.stdout, "<f4").reshape(-1, 2), rate


#: Seconds of silence the analysis hears at most after a file's end, however far a render goes.
SILENCE_HEARD = 2


class OfflineAudio:
    """A sound file's analysis at increasing times, exactly as it would have run live."""

    def __init__(self, samples: np.ndarray, rate: int, offset: float = 0.0):
        self.samples, self.rate = samples, rate
        self.analyzer = Analyzer(rate, samples.shape[1])
        self.offset = offset  # seconds the analysis runs ahead (a projector's latency)
        self._fed = 0
        self.last: Features | None = None

    def at(self, time: float) -> Features | None:
        """The features of the last hop that ends by ``time`` (None before the first). Past
        the file's end the analysis hears silence, as the video's sound track has there."""
        upto = max(0, int(round((time + self.offset) * self.rate)))
        features = []
        if upto > self._fed:
            end = len(self.samples)
            sound = self.samples[self._fed:min(upto, end)]
            # Of a long silence only the last seconds matter (the analysis window, its decay).
            quiet = min(max(0, upto - max(self._fed, end)), SILENCE_HEARD * self.rate)
            if quiet:
                sound = np.concatenate([sound, np.zeros((quiet, self.samples.shape[1]), np.float32)])
            features = self.analyzer.feed(sound)
            self._fed = upto
        if features:
            # The newest hop's sound, with every onset of the hops since the last frame (as the
            # window hears each hop's message): the same onsets at any frame rate.
            onsets = {band: any(f.onsets[band] for f in features) for band in features[-1].onsets}
            self.last = replace(features[-1], onsets=onsets)
        elif self.last is not None and any(self.last.onsets.values()):
            self.last = replace(self.last, onsets={band: False for band in self.last.onsets})  # heard once
        return self.last
