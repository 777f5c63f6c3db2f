"""Commands: every intent from every surface, as data.

The panel, keys and pointer only *send* commands; threads (MIDI, OSC, audio) post them to the
app's one inbox (a thread-safe queue that worker messages share); the GL thread drains it at
the start of a frame (app/dispatch.py). Store commands are
carried out here by :func:`apply`; app commands (save the output, quit, record …) are data the
app's dispatch table acts on. A command that cannot be carried out is one line, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shaderlab.errors import ShaderlabError
from shaderlab.show.scenes import load_store, save_store
from shaderlab.show.store import Store


class Command:
    """Base of all commands (frozen dataclasses, safe to pass between threads)."""


class StoreCommand(Command):
    """Carried out on the store by :func:`apply`."""


class AppCommand(Command):
    """Carried out by the app (needs GL, files on workers, or the window)."""


# -- values --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SetValue(StoreCommand):
    """``clamp``: live surfaces (knobs, sliders) pull into range; scenes and the CLI refuse.
    ``origin`` names the surface it came from (a controller is not told its own move back)."""

    address: str
    value: Any
    clamp: bool = True
    origin: str = ""


@dataclass(frozen=True)
class Nudge(StoreCommand):
    address: str
    delta: Any
    clamp: bool = True


@dataclass(frozen=True)
class Reset(StoreCommand):
    address: str


@dataclass(frozen=True)
class Pulse(StoreCommand):
    address: str


@dataclass(frozen=True)
class Toggle(StoreCommand):
    address: str


# -- the chain -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AddEffect(StoreCommand):
    name: str
    index: int | None = None


@dataclass(frozen=True)
class RemoveEffect(StoreCommand):
    slot_id: str


@dataclass(frozen=True)
class MoveEffect(StoreCommand):
    slot_id: str
    offset: int


@dataclass(frozen=True)
class BypassEffect(StoreCommand):
    """``bypass`` None flips it."""

    slot_id: str
    bypass: bool | None = None


# -- scenes --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoadScene(StoreCommand):
    path: Path


@dataclass(frozen=True)
class SaveScene(StoreCommand):
    path: Path


# -- the app's (data for now; the app dispatches them) -------------------------------------
@dataclass(frozen=True)
class SaveOutput(AppCommand):
    pass


@dataclass(frozen=True)
class SortStep(AppCommand):
    """Sort toward ``direction`` (right, left, up, down); ``full`` sorts to the end."""

    direction: str
    full: bool = False


@dataclass(frozen=True)
class SortReset(AppCommand):
    pass


@dataclass(frozen=True)
class Select(AppCommand):
    """A drag between two output-image points (pixels): zoom into that area."""

    corner_a: tuple[float, float]
    corner_b: tuple[float, float]


@dataclass(frozen=True)
class PickNetwork(AppCommand):
    point: tuple[float, float]


@dataclass(frozen=True)
class UndoSelection(AppCommand):
    pass


@dataclass(frozen=True)
class ViewFit(AppCommand):
    pass


@dataclass(frozen=True)
class ViewActualSize(AppCommand):
    pass


@dataclass(frozen=True)
class ToggleFullscreen(AppCommand):
    pass


@dataclass(frozen=True)
class TogglePanel(AppCommand):
    pass


@dataclass(frozen=True)
class Generate(AppCommand):
    """A new source picture: ``name`` a configured model, None the built-in generator."""

    kind: str
    name: str | None = None
    seed: int = 0


@dataclass(frozen=True)
class RequestDepth(AppCommand):
    """Send the frame (or, ``of_source``, the source picture) to model ``name`` for depth."""

    name: str
    of_source: bool = False


@dataclass(frozen=True)
class RequestEnhance(AppCommand):
    """Send the frame through image-to-image model ``name``; its answer becomes the source."""

    name: str


@dataclass(frozen=True)
class CancelModels(AppCommand):
    pass


@dataclass(frozen=True)
class OpenImage(AppCommand):
    path: Path


@dataclass(frozen=True)
class OpenCamera(AppCommand):
    """A camera (an index, a device, a part of its name, or FORMAT:SPEC) or, with ``ndi``, an
    NDI source (a part of its name) becomes the source."""

    spec: str = ""
    ndi: bool = False


@dataclass(frozen=True)
class ClipSeek(AppCommand):
    """Scrub the clip: 0 is its first frame, 1 its last."""

    fraction: float


@dataclass(frozen=True)
class ClipCue(AppCommand):
    """Jump to the clip's cue point ``number`` (1 is the first)."""

    number: int


@dataclass(frozen=True)
class ClipMark(AppCommand):
    """The clip's play head becomes a cue point."""


@dataclass(frozen=True)
class UseOutputAsSource(AppCommand):
    """Bake: what is on screen becomes the source, and the chain is switched off."""


@dataclass(frozen=True)
class AddEffectFile(AppCommand):
    """Add the effect in a file (read on a worker; ``spec`` when already read, as the shelf's)."""

    path: Path
    spec: Any = None


@dataclass(frozen=True)
class OpenShelf(AppCommand):
    folder: Path


@dataclass(frozen=True)
class PlayTransition(AppCommand):
    """Run a transition effect's ``progress`` 0 → 1 over ``seconds`` of the show's clock."""

    slot_id: str
    seconds: float = 2.0


@dataclass(frozen=True)
class RecordStart(AppCommand):
    path: Path | None = None


@dataclass(frozen=True)
class RecordStop(AppCommand):
    pass


@dataclass(frozen=True)
class Quit(AppCommand):
    pass


@dataclass(frozen=True)
class TapTempo(AppCommand):
    """A tap: after three, the tempo is the median of the recent intervals."""


@dataclass(frozen=True)
class NudgeBeat(AppCommand):
    """Move the beat's phase by ``beats`` (positive: ahead)."""

    beats: float


@dataclass(frozen=True)
class Transport(AppCommand):
    """The music starts, stops, continues or jumps (``position``: to ``beat``) — MIDI clock in."""

    action: str
    beat: float = 0.0


@dataclass(frozen=True)
class Resync(AppCommand):
    """A bar starts now."""


@dataclass(frozen=True)
class Modulate(AppCommand):
    """Route an LFO to a slot (a [[modulation]] table's keys: address, shape, hz or sync, depth …)."""

    route: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Unmodulate(AppCommand):
    """Remove every route on ``address``."""

    address: str


@dataclass(frozen=True)
class CueGo(AppCommand):
    """The next cue (on the next beat or bar when the cue says so)."""


@dataclass(frozen=True)
class CueBack(AppCommand):
    """The cue before the current one."""


@dataclass(frozen=True)
class CueJump(AppCommand):
    """Cue ``number`` (1 is the first, as the panel numbers them)."""

    number: int


@dataclass(frozen=True)
class LoadSet(AppCommand):
    path: Path


@dataclass(frozen=True)
class SaveSet(AppCommand):
    """Save the set (None: where it was loaded from)."""

    path: Path | None = None


@dataclass(frozen=True)
class CaptureCue(AppCommand):
    """The show as it is becomes a cue after the current one (its scene saved beside the set)."""

    name: str = ""


@dataclass(frozen=True)
class MoveCue(AppCommand):
    number: int
    offset: int


@dataclass(frozen=True)
class RemoveCue(AppCommand):
    number: int


@dataclass(frozen=True)
class ShowLog(AppCommand):
    """Start logging the show into ``path`` (from the next frame), or with None end the log."""

    path: Path | None = None


@dataclass(frozen=True)
class Panic(AppCommand):
    """Back to a known state at once: feedback buffers cleared, auto sort and modulators off,
    transitions and fades ended, the current cue's values back."""


@dataclass(frozen=True)
class TogglePerformance(AppCommand):
    """Performance mode: the panel shows only what a show needs."""


@dataclass(frozen=True)
class Trigger(AppCommand):
    """Fire a trigger for the envelopes that listen to it (``gate``: True while a pad is held,
    False when it is let go, None for a hit)."""

    name: str = "hit"
    gate: bool | None = None


@dataclass(frozen=True)
class RecordGesture(AppCommand):
    """Record the hand on ``address`` for ``bars`` bars from the next bar line, then loop it."""

    address: str
    bars: int = 1


@dataclass(frozen=True)
class ListAudioInputs(AppCommand):
    """List the sound inputs (for the panel's picker)."""


@dataclass(frozen=True)
class AudioInput(AppCommand):
    """Listen to sound input ``device`` (an index; None: hear nothing)."""

    device: int | None = None


@dataclass(frozen=True)
class MidiLearn(AppCommand):
    """Map the next MIDI control moved to ``address`` (a slot, or a command's OSC address);
    None stops learning."""

    address: str | None


@dataclass(frozen=True)
class MidiPorts(AppCommand):
    """Play from these MIDI ports (None: none); starts MIDI when it is not playing yet."""

    input: str | None = None
    output: str | None = None


@dataclass(frozen=True)
class MidiConfigure(AppCommand):
    """Change a MIDI mapping's options: (name, value) pairs of invert, curve, slew, takeover,
    relative (a CC as an encoder), encoding, low, high."""

    address: str
    options: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class MidiUnmap(AppCommand):
    address: str


@dataclass(frozen=True)
class MidiSaveProfile(AppCommand):
    path: Path | None = None


@dataclass(frozen=True)
class Batch(AppCommand):
    """Commands carried out together, in order, at one frame (an OSC bundle)."""

    commands: tuple[Command, ...]


@dataclass(frozen=True)
class Say(AppCommand):
    """A line for the panel's messages (and the terminal) from a surface."""

    text: str
    error: bool = False
    warning: bool = False


def apply(store: Store, command: StoreCommand) -> str | None:
    """Carry out a store command; the one-line reason it could not be, or None."""
    if not isinstance(command, StoreCommand):
        raise TypeError(f"{type(command).__name__} is carried out by the app, not the store")
    try:
        _carry_out(store, command)
    except ShaderlabError as exc:
        return str(exc)
    return None


def _carry_out(store: Store, command: StoreCommand) -> None:
    match command:
        case SetValue(address, value, clamp, origin):
            store.set(address, value, clamp, origin)
        case Nudge(address, delta, clamp):
            store.nudge(address, delta, clamp)
        case Reset(address):
            store.reset(address)
        case Pulse(address):
            store.pulse(address)
        case Toggle(address):
            store.toggle(address)
        case AddEffect(name, index):
            store.add_effect(name, index=index)
        case RemoveEffect(slot_id):
            store.remove_effect(slot_id)
        case MoveEffect(slot_id, offset):
            store.move_effect(slot_id, offset)
        case BypassEffect(slot_id, bypass):
            store.bypass_effect(slot_id, bypass)
        case LoadScene(path):
            load_store(Path(path), store)
        case SaveScene(path):
            save_store(store, Path(path))
        case _:
            raise TypeError(f"no way to apply {type(command).__name__}")

