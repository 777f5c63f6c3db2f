"""The app-wide settings, declared like effect inputs so they share the one write path.

Sort settings come from ``pixelsort.native``'s own header (one declaration for the effect,
the panel's Sort section and any controller); the rest are declared here.
"""

from __future__ import annotations

from dataclasses import replace

from shaderlab.isf.header import EffectSpec, InputSpec
from shaderlab.show.slots import TEXT

SORT = "settings/sort"
APP = "settings/app"
SORT_AUTO = f"{SORT}/auto"
SORT_MOTION = f"{SORT}/motion"
TEMPO = "settings/tempo"
BPM = f"{TEMPO}/bpm"
BEATS_PER_BAR = f"{TEMPO}/beats_per_bar"
TEMPO_SOURCE = f"{TEMPO}/source"
#: Where the tempo comes from (one at a time, switchable live).
INTERNAL, MIDI_CLOCK, LINK, AUDIO_TEMPO = 0, 1, 2, 3
AUDIO = "settings/audio"
#: What the audience sees at show time t is computed for the music at t + latency: the beat and
#: the sound file's analysis run that far ahead (the analysis window, the projector's delay).
LATENCY = f"{AUDIO}/latency_ms"
SHOW = "settings/show"
#: Show safety: what the audience sees, whatever the chain does (keys, MIDI, OSC, the panel).
BLACKOUT = f"{SHOW}/blackout"
BLACKOUT_FADE = f"{SHOW}/blackout_fade"
FREEZE = f"{SHOW}/freeze"
TEST_CARD = f"{SHOW}/test_card"
MODULATORS = f"{SHOW}/modulators"
CLIP = "settings/clip"
#: How a clip plays (also a camera-less source's transport): speed and mode are slots, so
#: MIDI, OSC, LFOs and scenes move them like any value.
CLIP_SPEED = f"{CLIP}/speed"
CLIP_MODE = f"{CLIP}/mode"
OUTPUT = "settings/output"
#: The monitor the clean output goes fullscreen on (a part of its name; empty: a window of its
#: own). Chosen from the panel, OSC or --output-monitor, and remembered for the next run.
OUTPUT_MONITOR = f"{OUTPUT}/monitor"
CROSSFADE = f"{APP}/crossfade"
SAVE_FOLDER = f"{APP}/save_folder"

#: What the window's own sort adds to the effect's inputs (as stage/sorting.py's SortSettings).
_SORT_EXTRA = (
    InputSpec("auto", "bool", False, label="Auto sort"),
    InputSpec("motion", "long", 0, values=(0, 1), labels=("cycle directions", "drift thresholds"),
              label="When auto sort settles"),
)
_TEMPO = (
    InputSpec("bpm", "float", 120.0, 20.0, 400.0, label="Tempo (BPM)"),
    InputSpec("beats_per_bar", "long", 4, 1, 16, label="Beats per bar"),
    InputSpec("source", "long", INTERNAL, values=(INTERNAL, MIDI_CLOCK, LINK, AUDIO_TEMPO),
              labels=("internal (BPM, tap)", "MIDI clock in", "Ableton Link", "the audio (detected)"),
              label="Tempo from"),
)
_AUDIO = (
    InputSpec("latency_ms", "float", 0.0, 0.0, 500.0, label="Latency offset (ms)"),
)
_SHOW = (
    InputSpec("blackout", "bool", False, label="Blackout"),
    InputSpec("blackout_fade", "float", 1.0, 0.0, 10.0, label="Blackout fade (s)"),
    InputSpec("freeze", "bool", False, label="Freeze (hold the frame)"),
    InputSpec("test_card", "bool", False, label="Test card"),
    InputSpec("modulators", "bool", True, label="Modulators on"),
)
_CLIP = (
    InputSpec("speed", "float", 1.0, -4.0, 4.0, label="Clip speed"),
    InputSpec("mode", "long", 0, values=(0, 1, 2), labels=("loop", "ping-pong", "once"), label="Clip plays"),
)
_OUTPUT = (
    InputSpec("monitor", TEXT, "", label="Output on (a monitor; empty: a window)"),
)
_APP = (
    InputSpec("crossfade", "float", 1.0, 0.0, 5.0, label="crossfade (s)"),
    InputSpec("save_folder", TEXT, "", label="Save folder (empty: the current folder)"),
)


#: pixelsort.native's inputs that choose how the effect runs in a chain (settled or auto, live):
#: the window's own sort has auto and motion for that instead.
_EFFECT_ONLY = ("mode", "live")
#: Where the window's own sort starts elsewhere than the effect: arrows and auto sort move 8
#: odd-even steps a frame (the effect's auto mode, 4).
_WINDOW_DEFAULTS = {"steps": 8}


def app_settings(sort_spec: EffectSpec | None) -> list[tuple[str, InputSpec]]:
    """(address, declared input) for every app-wide setting; ``sort_spec`` is the parsed
    ``pixelsort.native`` (None: no sort settings, as where that file is missing)."""
    declared: list[tuple[str, InputSpec]] = []
    if sort_spec is not None:
        declared += [(f"{SORT}/{i.name}", replace(i, default=_WINDOW_DEFAULTS.get(i.name, i.default)))
                     for i in sort_spec.value_inputs if i.name not in _EFFECT_ONLY]
        declared += [(f"{SORT}/{i.name}", i) for i in _SORT_EXTRA if sort_spec.input(i.name) is None]
    declared += [(f"{TEMPO}/{i.name}", i) for i in _TEMPO]
    declared += [(f"{AUDIO}/{i.name}", i) for i in _AUDIO]
    declared += [(f"{SHOW}/{i.name}", i) for i in _SHOW]
    declared += [(f"{CLIP}/{i.name}", i) for i in _CLIP]
    declared += [(f"{OUTPUT}/{i.name}", i) for i in _OUTPUT]
    declared += [(f"{APP}/{i.name}", i) for i in _APP]
    return declared
