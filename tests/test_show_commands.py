"""Commands and the key table: every surface sends data; bad commands are one line; any
sequence of commands leaves a show whose scene loads again."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from show_fixtures import library, make_store

from shaderlab.scene import scene_text
from shaderlab.show import store_to_scene
from shaderlab.show.commands import (
    AddEffect,
    BypassEffect,
    LoadScene,
    MoveEffect,
    Nudge,
    Pulse,
    Quit,
    RemoveEffect,
    Reset,
    SaveOutput,
    SaveScene,
    SetValue,
    SortStep,
    Toggle,
    ViewActualSize,
    ViewFit,
    apply,
)
from shaderlab.show.keys import TABLE, listing, lookup
from shaderlab.show.settings import SORT_AUTO

SPECS = library()


def test_store_commands_apply_or_say_why_in_one_line(tmp_path):
    store = make_store(SPECS)
    assert apply(store, AddEffect("kit")) is None
    assert apply(store, SetValue("chain/kit/amount", 3.0)) is None  # a knob: clamped
    assert store.get("chain/kit/amount") == 1.0
    assert "outside 0..1" in apply(store, SetValue("chain/kit/amount", 3.0, clamp=False))
    assert apply(store, Nudge("chain/kit/amount", -0.5)) is None and store.get("chain/kit/amount") == 0.5
    assert apply(store, Reset("chain/kit/count")) is None
    assert apply(store, Pulse("chain/kit/hit")) is None and store.resolve(0.0)["chain/kit/hit"] is True
    assert apply(store, Toggle(SORT_AUTO)) is None and store.get(SORT_AUTO) is True
    assert apply(store, AddEffect("blur", index=0)) is None and store.chain.ids == ("blur", "kit")
    assert apply(store, MoveEffect("blur", 1)) is None and store.chain.ids == ("kit", "blur")
    assert apply(store, BypassEffect("blur")) is None and not store.chain.get("blur").enabled
    assert apply(store, RemoveEffect("blur")) is None and store.chain.ids == ("kit",)
    for command, words in [
        (SetValue("chain/nope/amount", 1), "no input 'chain/nope/amount'"),
        (SetValue("chain/kit/amount", math.nan), "not a finite number"),
        (SetValue("chain/kit/flip", "perhaps"), "chain/kit/flip"),
        (RemoveEffect("blur"), "no effect 'blur'"),
        (AddEffect("nothing"), "nothing"),
        (LoadScene(tmp_path / "missing.toml"), "no such scene file"),
    ]:
        error = apply(store, command)
        assert error is not None and words in error and "\n" not in error, error
    with pytest.raises(TypeError):
        apply(store, Quit())  # the app's, not the store's: a programming error, not a user's


def test_a_refused_scene_leaves_the_show_as_it_was(tmp_path):
    store = make_store(SPECS)
    apply(store, AddEffect("kit"))
    bad = tmp_path / "bad.toml"
    bad.write_text('[[effects]]\nname = "blur"\n\n[[effects]]\nname = "kit"\nparams = { amount = 7.0 }\n')
    error = apply(store, LoadScene(bad))
    assert error.startswith(f"{bad}: ") and "chain/kit/amount" in error and "outside 0..1" in error
    assert store.chain.ids == ("kit",)


def test_scene_keeps_slot_ids_and_values(tmp_path):
    store = make_store(SPECS)
    mask = tmp_path / "mask.png"
    mask.write_bytes(b"not read here")
    for name in ("kit", "blur", "kit"):
        apply(store, AddEffect(name))
    store.set("chain/kit-2/tint", (0.25, 0.5, 0.75, 1.0))
    store.set("chain/kit-2/mask", str(mask))
    store.remove_effect("kit")
    store.move_effect("kit-2", -1)
    assert apply(store, SaveScene(tmp_path / "s.toml")) is None
    assert 'id = "kit-2"' in (tmp_path / "s.toml").read_text()
    fresh = make_store(SPECS)
    assert apply(fresh, LoadScene(tmp_path / "s.toml")) is None
    assert fresh.chain.ids == ("kit-2", "blur")
    assert fresh.get("chain/kit-2/tint") == (0.25, 0.5, 0.75, 1.0)
    assert fresh.get("chain/kit-2/mask") == str(mask.resolve())


def test_one_key_table_keeps_the_current_keys():
    assert listing() == (
        ("arrows", "sort the picture that way (shift: fully)"),
        ("space", "auto sort on / off"),
        ("R", "reset the sort"),
        ("S", "save the image and its scene"),
        ("F", "fullscreen on / off"),
        ("H", "hide / show the panel"),
        ("Z", "undo the last selection"),
        ("T", "tap the tempo"),
        ("E", "fire the trigger (envelopes on 'hit')"),
        ("B", "blackout on / off (fades)"),
        ("X", "freeze: hold the frame on show"),
        ("ctrl+P", "panic: clear feedback, auto sort and modulators off"),
        ("ctrl+T", "test card on / off"),
        ("P", "performance mode: only what the show needs"),
        ("enter", "GO: the next cue"),
        ("backspace", "the cue before"),
        ("drag", "select an area: zoom into it (sampler)"),
        ("click", "pick a network from a grid"),
        ("wheel", "zoom the view"),
        ("right drag", "pan the view"),
        ("0 / 1", "view: fit / 1:1"),
        ("ctrl+Q", "quit"),
    )
    assert lookup("q", ctrl=True).command == Quit() and lookup("q") is None
    assert lookup("Q", ctrl=True, shift=True).command == Quit()
    right = lookup("right")
    assert right.command == SortStep("right") and right.held
    full = lookup("right", shift=True)
    assert full.command == SortStep("right", full=True) and not full.held
    assert lookup("s", ctrl=True).command == SaveOutput()
    assert lookup("keypad0").command == ViewFit() and lookup("1").command == ViewActualSize()
    assert lookup("space").command == Toggle(SORT_AUTO)
    chords = [c for b in TABLE if b.command is not None for c in b.chords]
    assert len(chords) == len(set(chords))  # one meaning per chord


# -- any sequence of commands leaves a scene that loads again ------------------------------
NAMES = ("kit", "blur", "random_network", "pixelsort", "sampler", "colorize", "nope")
WILD = (math.nan, math.inf, -math.inf, "abc", True, None, [1, 2], 10**20, 1e39, -1e39, 2.5, "ring", "#00ff00", "")


def _random_value(rng: random.Random, spec) -> object:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(WILD)
    if spec.type in ("float", "long") and not spec.values:
        low = spec.min if spec.min is not None else -100
        high = spec.max if spec.max is not None else 100
        span = (high - low) or 1
        value = rng.uniform(low - span, high + span)
        return round(value) if spec.type == "long" else value
    if spec.values:
        return rng.choice(spec.values + (max(spec.values) + 1,) + tuple(spec.labels))
    if spec.type in ("point2D", "color"):
        return [rng.uniform(-2, 3) for _ in range(2 if spec.type == "point2D" else 4)]
    if spec.type in ("bool", "event"):
        return rng.choice((True, False, 0, 1, "on"))
    return rng.choice((str(Path(__file__).resolve()), "missing.png", None))


def _random_command(rng: random.Random, store) -> object:
    ids = list(store.chain.ids) or ["none"]
    known = store.addresses("chain/")
    addresses = known or ["chain/none/x"]
    kind = rng.randrange(10)
    if kind == 0:
        return AddEffect(rng.choice(NAMES), index=rng.choice((None, 0, 2)))
    if kind == 1:
        return RemoveEffect(rng.choice(ids + ["ghost"]))
    if kind == 2:
        return MoveEffect(rng.choice(ids), rng.choice((-2, -1, 1, 3)))
    if kind == 3:
        return BypassEffect(rng.choice(ids), rng.choice((None, True, False)))
    address = rng.choice(addresses + ["chain/kit/amout"])
    spec = store.slot(address).spec if address in known else None
    if kind in (4, 5, 6):
        value = _random_value(rng, spec) if spec is not None else 1.0
        return SetValue(address, value, clamp=rng.random() < 0.5)
    if kind == 7:
        return Nudge(address, rng.choice((1, -3, 0.25, (0.1, 0.2), math.nan, "x", 70)), clamp=rng.random() < 0.7)
    if kind == 8:
        return Reset(address)
    return Pulse(address)


def test_any_command_sequence_saves_a_scene_that_loads_again(tmp_path):
    for seed in range(300):
        rng = random.Random(seed)
        store = make_store(SPECS)
        for _ in range(rng.randrange(3)):
            apply(store, AddEffect(rng.choice(NAMES)))
        for _ in range(rng.randrange(1, 25)):
            error = apply(store, _random_command(rng, store))
            assert error is None or (error and "\n" not in error)
        store.resolve(0.0)
        store.end_frame()
        path = tmp_path / f"scene-{seed}.toml"
        # The text SaveScene writes (tested above), without its fsync: 300 of those are most
        # of this test's time on a shared disk.
        path.write_text(scene_text(store_to_scene(store), tmp_path), encoding="utf-8")
        loaded = make_store(SPECS)
        error = apply(loaded, LoadScene(path))
        assert error is None, f"seed {seed}: {error}\n{path.read_text()}"
        assert [(s.id, s.name, s.enabled) for s in loaded.chain.slots] == [
            (s.id, s.name, s.enabled) for s in store.chain.slots], f"seed {seed}"
        assert {a: loaded.get(a) for a in loaded.addresses("chain/")} == {
            a: store.get(a) for a in store.addresses("chain/")}, f"seed {seed}"
        assert store_to_scene(loaded) == store_to_scene(store)


def test_every_key_in_the_table_is_one_the_window_reads():
    """A chord whose key the window never polls would be listed in the panel and do nothing."""
    from shaderlab.app.keys import IMGUI_KEYS
    from shaderlab.show.keys import TABLE

    names = {chord.split("+")[-1] for binding in TABLE if binding.command is not None for chord in binding.chords}
    assert names <= set(IMGUI_KEYS), names - set(IMGUI_KEYS)


def test_ctrl_with_shift_arrow_is_still_one_full_sort():
    assert lookup("right", ctrl=True, shift=True).command == SortStep("right", full=True)
    assert lookup("s", ctrl=True).command == lookup("s").command
