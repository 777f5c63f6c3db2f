"""What the panel reads of the running show besides the store: a read-only snapshot made by
the app once a frame. Plain values only — sizes, counts, texture ids for imgui to draw — so
the UI never holds a GL object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from shaderlab.isf.header import EffectSpec

#: The shader shelf's thumbnails, in pixels.
THUMBNAIL = (128, 80)


@dataclass(frozen=True)
class ShelfThumbnail:
    path: Path
    texture_id: int | None  # a GL texture name for imgui.image; None until drawn
    error: str | None
    description: str
    spec: "EffectSpec | None"


@dataclass(frozen=True)
class Recording:
    path: Path
    recorded: int
    dropped: int


@dataclass(frozen=True)
class MovingStatus:
    """A clip, camera or NDI source on show (or opening): where it is and how it keeps up."""

    label: str
    clip: bool  # a clip (with a transport) rather than a live feed
    frame: int  # the clip's frame on show (a live feed: frames shown)
    frames: int = 0
    fps: float = 0.0
    fraction: float = 0.0  # the play head, 0 (first frame) .. 1 (last)
    cue_points: tuple[float, ...] = ()
    late: int = 0  # frames due before they were decoded
    dropped: int = 0  # a live feed's frames the show had no room for
    waiting: bool = False  # opened, the first frame not here yet


@dataclass(frozen=True)
class ShowStatus:
    #: The output's size in pixels; None before the first picture is shown.
    output_size: tuple[int, int] | None = None
    #: The view's zoom (1.0: one output pixel per screen pixel).
    view_zoom: float = 1.0
    #: Arrow-key sorting is available (pixelsort.native compiled).
    sorting: bool = False
    recording: Recording | None = None
    #: One line per effect file whose newest version cannot run (its last good one does).
    shader_errors: tuple[str, ...] = ()
    #: Every effect the chain can add, by name or path.
    effect_names: tuple[str, ...] = ()
    shelf_folder: Path | None = None
    shelf: tuple[ShelfThumbnail, ...] = ()
    #: Configured hosted models and what each is doing.
    models: tuple[tuple[str, str], ...] = ()
    #: MIDI, when a controller plays: the slot being learned, and (address, control) mapped.
    midi_learning: str | None = None
    midi_mappings: tuple[tuple[str, str], ...] | None = None
    midi_options: tuple[dict, ...] = ()  # each mapping's options, in the same order
    #: MIDI ports there are (inputs, outputs) and the ones playing.
    midi_ports: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    midi_playing: tuple[str, str] = ("", "")
    #: Sound inputs as last listed ((index, name); None: not listed yet) and what is heard.
    audio_inputs: tuple[tuple[int, str], ...] | None = None
    audio_playing: str = ""
    #: The music now: BPM, beat, beat phase, bar phase.
    tempo: tuple[float, float, float, float] = (120.0, 0.0, 0.0, 0.0)
    #: What each modulated slot rendered this frame, and its routes (as saved in scenes).
    modulated: Mapping[str, Any] = field(default_factory=dict)
    routes: Mapping[str, tuple[dict, ...]] = field(default_factory=dict)
    #: The set: its cues' names, the one on show and the one waiting for its beat (0-based).
    cues: tuple[str, ...] = ()
    cue_current: int | None = None
    cue_pending: int | None = None
    cue_thumbnails: tuple[int | None, ...] = ()  # GL texture names, bottom row first
    set_path: Path | None = None
    #: The show log being written, if any.
    show_log: Path | None = None
    #: The moving source on show, if any.
    moving: MovingStatus | None = None
    #: Performance mode: the panel shows only what a show needs.
    performance: bool = False
    #: The input whose gesture is being recorded (armed or under way), if any.
    gesture_recording: str | None = None
    #: A line per control surface (OSC, OSCQuery, MIDI): where, what it heard last.
    surfaces: tuple[str, ...] = ()
    #: The monitors there are (names), for the panel's choice of where the output goes.
    monitors: tuple[str, ...] = ()
    #: Whether the clean output has a window of its own.
    output_open: bool = False
    #: Recent frame intervals in milliseconds, oldest first (a float32 array for the plot).
    frame_times: Sequence[float] = ()
