"""Audio analysis, hop by hop (numpy only, no devices): a windowed FFT, log-spaced bands with a
slow auto-gain, spectral-flux onsets per band, and the tempo from the onsets.

The same :class:`Analyzer` runs on the audio thread live and over a file offline, so a render
of a set computes exactly what the show heard. Feed it samples as they come; it answers one
:class:`Features` per hop.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

#: Named bands (Hz): what shaders and modulators get as levels and onsets.
BANDS = {"bass": (20.0, 150.0), "low_mid": (150.0, 600.0), "high_mid": (600.0, 2500.0), "high": (2500.0, 16000.0)}
#: Tempo range the estimator looks in (BPM).
TEMPO_RANGE = (60.0, 200.0)
#: Bins of the linear spectrum given to ISF audioFFT inputs.
FFT_BINS = 512


@dataclass(frozen=True)
class Features:
    time: float  # seconds of audio up to the end of this hop
    waveform: np.ndarray  # float32 (channels, fft_size), -1..1: the latest window
    spectrum: np.ndarray  # float32 (bins,), 0..1 after auto-gain, log-spaced from 20 Hz
    fft: np.ndarray  # float32 (1, FFT_BINS): the linear spectrum from 0 Hz, 0..1, for ISF audioFFT
    levels: dict[str, float]  # per band, 0..1 after auto-gain
    onsets: dict[str, bool]  # per band: an onset in this hop
    level: float  # overall, 0..1
    #: (BPM, confidence 0..1) heard in the last 8 s, estimated once a second (None between,
    #: and while there is too little to go on).
    tempo: tuple[float, float] | None = None


class Analyzer:
    def __init__(self, sample_rate: int, channels: int = 1, fft_size: int = 2048, hop: int = 512,
                 bins: int = 64, gain_seconds: float = 10.0):
        if sample_rate < 8000 or channels < 1 or fft_size < 256 or not 0 < hop <= fft_size:
            raise ValueError("audio analysis needs 8 kHz or more, a channel, an FFT of 256+ samples and a hop within it")
        self.rate, self.channels, self.fft_size, self.hop = sample_rate, channels, fft_size, hop
        self.hop_seconds = hop / sample_rate
        self._window = np.hanning(fft_size).astype(np.float32)
        self._buffer = np.zeros((fft_size, channels), np.float32)
        self._pending = np.zeros((0, channels), np.float32)
        self._hops = 0
        freqs = np.fft.rfftfreq(fft_size, 1.0 / sample_rate)
        # Bins are sorted by frequency, so every band is a contiguous range: (start, stop) each,
        # reduced with one numpy call for all bands instead of a masked call per band.
        self._bands = _ranges(freqs, [BANDS[name] for name in BANDS])
        edges = np.geomspace(20.0, min(16000.0, sample_rate / 2), bins + 1)
        self._spectrum_ranges = _ranges(freqs, list(zip(edges[:-1], edges[1:])))
        self._previous: np.ndarray | None = None  # last log magnitude, for the flux
        # Auto-gain: a running peak that decays over ``gain_seconds`` (loud passages do not stay
        # pinned at 1, quiet ones come up).
        self._decay = math.exp(-self.hop_seconds / gain_seconds)
        self._peaks: dict[str, float] = {name: 1e-6 for name in (*BANDS, "spectrum", "level")}
        # A second of flux per band for the onset threshold: a ring of rows, one per hop.
        self._flux = np.zeros((int(round(1.0 / self.hop_seconds)), len(BANDS)))
        self._flux_count = 0
        self._last_onset = np.full(len(BANDS), -1.0)
        self._envelope: deque[float] = deque(maxlen=int(round(8.0 / self.hop_seconds)))  # 8 s for the tempo
        self._tempo_every = max(int(round(1.0 / self.hop_seconds)), 1)
        #: The latest tempo estimate (once a second): read by other threads, written only here.
        self.heard_tempo: tuple[float, float] | None = None

    def feed(self, samples: np.ndarray) -> list[Features]:
        """``samples``: float (n,) or (n, channels) in -1..1 (int16 is scaled). One Features a hop."""
        data = np.asarray(samples)
        if data.dtype == np.int16:
            data = data.astype(np.float32) / 32768.0
        data = data.astype(np.float32, copy=False).reshape(len(data), -1)
        if data.shape[1] != self.channels:
            data = np.repeat(data.mean(axis=1, keepdims=True), self.channels, axis=1)
        data = np.nan_to_num(data, nan=0.0, posinf=1.0, neginf=-1.0)
        self._pending = np.concatenate([self._pending, data])
        out = []
        while len(self._pending) >= self.hop:
            hop, self._pending = self._pending[: self.hop], self._pending[self.hop:]
            self._buffer = np.concatenate([self._buffer[self.hop:], hop])
            self._hops += 1
            out.append(self._analyse())
        return out

    def _analyse(self) -> Features:
        mono = self._buffer.mean(axis=1) * self._window
        magnitude = np.abs(np.fft.rfft(mono)) / (self.fft_size / 4)
        log_magnitude = np.log1p(100.0 * magnitude)
        time = self._hops * self.hop_seconds
        energies = _mean_by_range(magnitude ** 2, self._bands)
        if self._previous is not None:
            fluxes = _sum_by_range(np.maximum(log_magnitude - self._previous, 0.0), self._bands)
        else:
            fluxes = np.zeros(len(BANDS))
        fired = self._onsets(fluxes, time)
        levels, onsets = {}, {}
        for i, name in enumerate(BANDS):
            levels[name] = self._gained(name, float(np.sqrt(energies[i])))
            onsets[name] = bool(fired[i])
        self._previous = log_magnitude
        self._envelope.append(float(fluxes.sum()))
        spectrum = _max_by_range(magnitude, self._spectrum_ranges).astype(np.float32)
        peak = self._peaks["spectrum"] = max(float(spectrum.max(initial=0.0)), self._peaks["spectrum"] * self._decay, 1e-6)
        level = self._gained("level", float(np.sqrt(np.mean(mono ** 2))))
        waveform = np.clip(self._buffer.T, -1.0, 1.0).astype(np.float32)
        linear = magnitude[1:FFT_BINS + 1]
        fft = np.clip(linear / peak, 0.0, 1.0).astype(np.float32)[None, :]
        tempo = self.tempo() if self._hops % self._tempo_every == 0 else None
        if tempo is not None:
            self.heard_tempo = tempo
        return Features(time, waveform, np.clip(spectrum / peak, 0.0, 1.0), fft, levels, onsets, level, tempo)

    def _gained(self, name: str, value: float) -> float:
        peak = self._peaks[name] = max(value, self._peaks[name] * self._decay, 1e-6)
        return min(value / peak, 1.0)

    def _onsets(self, fluxes: np.ndarray, time: float) -> np.ndarray:
        """Per band: spectral flux above the band's recent median by a margin, at most every 100 ms."""
        rows = len(self._flux)
        self._flux[self._flux_count % rows] = fluxes
        self._flux_count += 1
        if self._flux_count < 4:
            return np.zeros(len(fluxes), bool)
        history = self._flux[: min(self._flux_count, rows)]
        median = np.median(history, axis=0)
        spread = np.median(np.abs(history - median), axis=0)
        fired = (fluxes > median + 4.0 * spread + 0.5) & (time - self._last_onset >= 0.1)
        self._last_onset[fired] = time
        return fired

    def tempo(self) -> tuple[float, float] | None:
        """(BPM, confidence 0..1) from the last 8 s of onsets, or None with too little to go on."""
        envelope = np.fromiter(self._envelope, float)
        # No onsets worth the name (a held tone, silence): no tempo rather than a guess.
        if len(envelope) < int(4.0 / self.hop_seconds) or envelope.max() <= 1.0:
            return None
        envelope = envelope - envelope.mean()
        correlation = np.correlate(envelope, envelope, "full")[len(envelope) - 1:]
        if correlation[0] <= 0:
            return None
        lags = np.arange(len(correlation))
        low = int(60.0 / TEMPO_RANGE[1] / self.hop_seconds)
        high = min(int(60.0 / TEMPO_RANGE[0] / self.hop_seconds), len(correlation) - 2)
        if high <= low:
            return None
        window = correlation[low:high + 1] / correlation[0]
        # A mild preference for tempi near 120: halves and doubles of the beat correlate too.
        bpms = 60.0 / (lags[low:high + 1] * self.hop_seconds)
        weighted = window * np.exp(-0.5 * (np.log2(bpms / 120.0) / 1.0) ** 2)
        best = int(np.argmax(weighted)) + low
        # Parabolic interpolation around the peak for a lag between hops.
        a, b, c = correlation[best - 1], correlation[best], correlation[best + 1]
        shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
        lag = best + float(np.clip(shift, -0.5, 0.5))
        return 60.0 / (lag * self.hop_seconds), float(np.clip(window[best - low], 0.0, 1.0))


def tempo_text(analyzer: Analyzer) -> str:
    """" · tempo heard 120.1 BPM (92% sure)" for a status line, from the latest estimate (safe
    from any thread: it reads one reference the analysing thread replaces)."""
    tempo = analyzer.heard_tempo
    return f" · tempo heard {tempo[0]:.1f} BPM ({tempo[1]:.0%} sure)" if tempo else ""


def _ranges(freqs: np.ndarray, bands: list[tuple[float, float]]) -> np.ndarray:
    """(start, stop) bin indexes of each [low, high) band (stop == start: no bin in it)."""
    return np.array([(np.searchsorted(freqs, lo), np.searchsorted(freqs, hi)) for lo, hi in bands], np.intp)


def _sum_by_range(values: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    sums = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    return sums[ranges[:, 1]] - sums[ranges[:, 0]]


def _mean_by_range(values: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    counts = ranges[:, 1] - ranges[:, 0]
    return np.where(counts > 0, _sum_by_range(values, ranges) / np.maximum(counts, 1), 0.0)


def _max_by_range(values: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    """The largest value in each range (0 for an empty one). The ranges follow one another (each
    starts where the one before stops), so one reduceat does them all: a 0 appended ends the last."""
    padded = np.append(values, 0.0)
    maxima = np.maximum.reduceat(padded, np.append(ranges[:, 0], ranges[-1, 1]))[:-1]
    return np.where(ranges[:, 1] > ranges[:, 0], maxima, 0.0)
