"""The show store: one write path, checked by the declared inputs; base apart from resolved."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from show_fixtures import KIT, kit_spec, library, make_store

from shaderlab.errors import ShaderlabError
from shaderlab.params import MAX_EFFECTS
from shaderlab.show import ShowError, Store
from shaderlab.show.modulators import Transition
from shaderlab.show.settings import CROSSFADE, SAVE_FOLDER, SORT_AUTO

SPECS = library()


@pytest.fixture
def store() -> Store:
    s = make_store(SPECS)
    s.add_effect("kit")
    return s


def refused(action, *words: str) -> str:
    with pytest.raises(ShaderlabError) as info:
        action()
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message
    return message


def test_show_imports_no_gl_or_imgui():
    code = ("import sys, shaderlab.show, shaderlab.show.commands, shaderlab.show.keys, shaderlab.show.modulators;"
            "print(sorted(m for m in ('moderngl', 'glfw', 'imgui_bundle', 'OpenGL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_set_refuses_or_clamps_by_mode(store):
    refused(lambda: store.set("chain/kit/amount", 1.5), "chain/kit/amount", "outside 0..1")
    assert store.get("chain/kit/amount") == 0.5
    assert store.set("chain/kit/amount", 1.5, clamp=True) == 1.0
    assert store.set("chain/kit/count", -4, clamp=True) == 1
    assert store.set("chain/kit/centre", (2.0, -1.0), clamp=True) == (1.0, 0.0)
    refused(lambda: store.set("chain/kit/centre", (2.0, 0.5)), "chain/kit/centre", "outside")
    assert store.set("chain/kit/amount", "0.25") == 0.25  # text from the CLI
    assert store.set("chain/kit/tint", "#ff0000") == (1.0, 0.0, 0.0, 1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "nan", "inf", (0.1, math.nan)])
@pytest.mark.parametrize("clamp", [False, True])
def test_non_finite_is_refused_in_both_modes(store, bad, clamp):
    address = "chain/kit/centre" if isinstance(bad, tuple) else "chain/kit/amount"
    before = store.get(address)
    refused(lambda: store.set(address, bad, clamp=clamp), address, "finite")
    refused(lambda: store.nudge(address, bad if not isinstance(bad, str) else math.nan, clamp=clamp), address)
    assert store.get(address) == before
    refused(lambda: store.set("chain/kit/shape", bad if not isinstance(bad, tuple) else math.nan, clamp=clamp))
    assert store.get("chain/kit/shape") == 0


def test_unknown_slot_names_it_and_suggests(store):
    message = refused(lambda: store.set("chain/kit/amout", 0.1), "chain/kit/amout", "did you mean 'chain/kit/amount'")
    assert message.startswith("no input")
    refused(lambda: store.nudge("nowhere", 1), "nowhere")
    refused(lambda: store.pulse("chain/ghost/hit"), "chain/ghost/hit")
    refused(lambda: store.reset("chain/kit"), "chain/kit")


@pytest.mark.parametrize("address, bad", [
    ("chain/kit/amount", True), ("chain/kit/amount", "lots"), ("chain/kit/amount", [0.1]), ("chain/kit/amount", None),
    ("chain/kit/count", 2.5), ("chain/kit/count", "three"), ("chain/kit/flip", 5.0), ("chain/kit/flip", "maybe"),
    ("chain/kit/flip", None), ("chain/kit/tint", 0.5), ("chain/kit/tint", [1, 2]), ("chain/kit/tint", "red"),
    ("chain/kit/centre", [0.5]), ("chain/kit/centre", [True, 0.5]), ("chain/kit/shape", "square"),
    ("chain/kit/mask", 3), (SAVE_FOLDER, "two\nlines"), (SAVE_FOLDER, 7),
])
@pytest.mark.parametrize("clamp", [False, True])
def test_wrong_type_is_refused(store, address, bad, clamp):
    before = store.get(address)
    refused(lambda: store.set(address, bad, clamp=clamp), address)
    assert store.get(address) == before


def test_beyond_what_a_shader_holds(store):
    store.add_effect("pixelsort")
    refused(lambda: store.set("chain/kit/tint", (1e39, 0, 0)), "chain/kit/tint")
    assert store.set("chain/kit/tint", (1e39, 0, 0, 1), clamp=True)[0] == pytest.approx(3.4028234663852886e38)


def test_menus_by_label_and_nearest_when_clamped(store):
    assert store.set("chain/kit/shape", "ring") == 2
    refused(lambda: store.set("chain/kit/shape", 7), "not one of", "ring (2)")
    assert store.set("chain/kit/shape", 0.9, clamp=True) == 1
    assert store.nudge("chain/kit/shape", 5) == 2
    assert store.nudge("chain/kit/shape", -1) == 1
    refused(lambda: store.nudge("chain/kit/shape", 0.5), "whole steps")


def test_nudge_moves_numbers_and_vectors(store):
    assert store.nudge("chain/kit/amount", 0.25) == 0.75
    assert store.nudge("chain/kit/amount", 1.0) == 1.0  # clamped by default
    refused(lambda: store.nudge("chain/kit/amount", 0.5, clamp=False), "outside")
    assert store.nudge("chain/kit/centre", (0.1, -0.1)) == pytest.approx((0.6, 0.4))
    assert store.nudge("chain/kit/tint", -0.5) == (0.5, 0.0, -0.5, 0.5)
    refused(lambda: store.nudge("chain/kit/flip", 1), "cannot be nudged")
    refused(lambda: store.nudge("chain/kit/count", 0.5), "chain/kit/count")


def test_grid_pick_past_the_seed_maximum_clamps():
    """random_network seed=999990 grid=8: the last tile is seed + 63, above MAX 1000000."""
    store = make_store(SPECS)
    net = store.add_effect("random_network", values={"seed": 999990, "grid": 8})
    assert store.nudge(f"chain/{net}/seed", 63) == 1000000
    refused(lambda: store.set(f"chain/{net}/seed", 1000053), "outside 0..")


def test_reset_and_toggle(store):
    store.set("chain/kit/amount", 0.9)
    assert store.reset("chain/kit/amount") == 0.5
    assert store.toggle("chain/kit/flip") is True
    refused(lambda: store.toggle("chain/kit/amount"), "only a bool")
    assert store.toggle(SORT_AUTO) is True


def test_pulse_is_true_for_exactly_one_frame(store):
    store.pulse("chain/kit/hit")
    assert store.resolve(0.0)["chain/kit/hit"] is True
    assert store.resolve(0.0)["chain/kit/hit"] is True  # the same frame, asked again
    store.end_frame()
    assert store.resolve(0.1)["chain/kit/hit"] is False
    store.pulse("chain/kit/hit")  # posted after this frame resolved: seen in the next one
    store.end_frame()
    assert store.resolve(0.2)["chain/kit/hit"] is True
    store.end_frame()
    assert store.resolve(0.3)["chain/kit/hit"] is False
    assert store.set("chain/kit/hit", True) is False  # set on an event pulses; base stays false
    assert store.get("chain/kit/hit") is False and store.resolve(0.4)["chain/kit/hit"] is True
    refused(lambda: store.pulse("chain/kit/flip"), "only an event")


def test_resolve_with_a_modulator_never_writes_back(store):
    store.set("chain/kit/progress", 0.3)
    transition = Transition("chain/kit/progress", start=10.0, seconds=2.0)
    store.add_modulator(transition)
    assert store.resolve(11.0)["chain/kit/progress"] == 0.5
    assert store.resolve(13.0)["chain/kit/progress"] == 1.0 and transition.finished(13.0)
    assert store.get("chain/kit/progress") == 0.3
    assert store.snapshot().values["chain/kit/progress"] == 0.3
    store.remove_modulator(transition)
    assert store.resolve(14.0)["chain/kit/progress"] == 0.3


def test_a_modulators_bad_value_never_reaches_the_chain(store):
    wild = {"chain/kit/amount": math.nan, "chain/kit/count": 99, "chain/kit/flip": "x"}
    store.add_modulator(lambda address, value, t: wild.get(address, value))
    resolved = store.resolve(0.0)
    assert resolved["chain/kit/amount"] == 0.5  # NaN dropped
    assert resolved["chain/kit/count"] == 10  # clamped
    assert resolved["chain/kit/flip"] is False
    assert store.get("chain/kit/count") == 3


def test_change_notices_are_coalesced_once_per_frame(store):
    heard = []
    unsubscribe = store.subscribe(heard.append)
    store.end_frame()
    heard.clear()  # adding the effect was news; now a quiet frame
    store.end_frame()
    assert heard == []
    store.set("chain/kit/amount", 0.1)
    store.set("chain/kit/amount", 0.2)
    store.nudge("chain/kit/amount", 0.1)
    store.set("chain/kit/count", 5)
    store.set("chain/kit/amount", 7.0, clamp=True)
    store.end_frame()
    assert len(heard) == 1 and dict(heard[0].values) == {"chain/kit/amount": 1.0, "chain/kit/count": 5}
    store.remove_effect("kit")
    store.end_frame()
    assert "chain/kit/amount" in heard[1].removed and not heard[1].values
    unsubscribe()
    store.set(CROSSFADE, 2.0)
    store.end_frame()
    assert len(heard) == 2


def test_a_failing_subscriber_does_not_stop_the_show(store):
    def broken(changes):
        raise RuntimeError("controller unplugged")

    store.subscribe(broken)
    store.set("chain/kit/amount", 0.1)
    store.end_frame()
    assert "controller unplugged" in store.session.notes[-1].text
    assert store.get("chain/kit/amount") == 0.1


def test_snapshot_restore_and_blend(store):
    store.add_effect("blur")
    a = store.snapshot()
    store.set("chain/kit/amount", 1.0)
    store.set("chain/kit/centre", (1.0, 0.0))
    store.set("chain/kit/tint", (0.0, 0.5, 1.0, 1.0))
    store.set("chain/kit/count", 9)
    store.set("chain/kit/shape", 2)
    store.set("chain/kit/flip", True)
    store.move_effect("blur", -1)
    store.bypass_effect("kit")
    b = store.snapshot()
    quarter = store.blend(a, b, 0.25).values
    assert quarter["chain/kit/amount"] == pytest.approx(0.625)
    assert quarter["chain/kit/centre"] == pytest.approx((0.625, 0.375))
    assert quarter["chain/kit/tint"] == pytest.approx((0.75, 0.5, 0.25, 1.0))
    assert (quarter["chain/kit/count"], quarter["chain/kit/shape"], quarter["chain/kit/flip"]) == (3, 0, False)
    late = store.blend(a, b, 0.75)
    assert (late.values["chain/kit/count"], late.values["chain/kit/shape"], late.values["chain/kit/flip"]) == (9, 2, True)
    assert late.chain == b.chain
    assert store.restore(a) == []
    assert store.snapshot() == a
    store.remove_effect("blur")
    assert "chain/blur/radius" in store.restore(b)  # gone since: reported, not an error
    assert store.get("chain/kit/count") == 9 and not store.chain.get("kit").enabled


def test_hot_reload_keeps_values_of_inputs_that_still_exist(store):
    store.set("chain/kit/amount", 0.9)
    store.set("chain/kit/shape", 2)
    store.set("chain/kit/flip", True)
    store.set("chain/kit/tint", (0.2, 0.3, 0.4, 1.0))
    changed = (KIT.replace('"DEFAULT": 0.5, "MIN": 0, "MAX": 1', '"DEFAULT": 0.1, "MIN": 0, "MAX": 0.4')
               .replace('{"NAME": "count", "TYPE": "long", "DEFAULT": 3, "MIN": 1, "MAX": 10},',
                        '{"NAME": "speed", "TYPE": "float", "DEFAULT": 2.0},')
               .replace('"NAME": "flip", "TYPE": "bool", "DEFAULT": false', '"NAME": "flip", "TYPE": "point2D"'))
    store.redeclare("kit", kit_spec(changed))
    assert store.get("chain/kit/amount") == 0.4  # kept, pulled into the new range
    assert store.get("chain/kit/shape") == 2 and store.get("chain/kit/tint") == (0.2, 0.3, 0.4, 1.0)
    assert store.get("chain/kit/flip") == (0.0, 0.0)  # a new type: the new default
    assert store.get("chain/kit/speed") == 2.0
    refused(lambda: store.get("chain/kit/count"), "chain/kit/count")


def test_chain_ids_are_stable_and_addresses_follow(store):
    second = store.add_effect("kit")
    assert second == "kit-2" and store.get("chain/kit-2/amount") == 0.5
    store.add_effect("blur", index=0)
    assert store.chain.ids == ("blur", "kit", "kit-2")
    assert store.move_effect("kit-2", -2) and store.chain.ids == ("kit-2", "blur", "kit")
    assert not store.move_effect("kit-2", -1)
    assert store.bypass_effect("blur") is True and store.bypass_effect("blur", False) is False
    store.remove_effect("kit")
    assert not store.addresses("chain/kit/") and store.addresses("chain/kit-2/")
    assert store.add_effect("kit") == "kit"  # a free id again
    refused(lambda: store.remove_effect("nope"), "no effect 'nope'")
    refused(lambda: store.add_effect("no_such_effect"), "no_such_effect")
    refused(lambda: store.add_effect("blur", slot_id="a/b"), "not a usable effect id")
    refused(lambda: store.add_effect("kit", values={"amount": 2.0}), "outside")
    assert len(store.chain) == 3


def test_the_chain_has_a_limit(store):
    for _ in range(MAX_EFFECTS - 1):
        store.add_effect("blur")
    refused(lambda: store.add_effect("blur"), f"at most {MAX_EFFECTS}")
    assert len(store.chain) == MAX_EFFECTS


def test_app_settings_are_slots_too(store):
    # The window sorts 8 steps a frame, as it always has (the effect's own default is 4).
    assert store.get("settings/sort/lower") == 0.25 and store.get("settings/sort/steps") == 8
    assert "settings/sort/mode" not in store.addresses()  # the effect's run mode is not the window's
    assert store.set(CROSSFADE, 9.0, clamp=True) == 5.0
    assert store.set("settings/sort/direction", "up") == 2
    assert store.set(SAVE_FOLDER, "/tmp/shows") == "/tmp/shows"
    assert store.get("settings/sort/motion") == 0


def test_an_image_input_cleared_is_the_source_picture_again(store, tmp_path):
    """A cleared image input is None (the chain's picture); scenes the panel once saved with
    an empty name for that load again."""
    mask = tmp_path / "mask.png"
    mask.write_bytes(b"not decoded here")
    assert store.set("chain/kit/mask", str(mask)) == str(mask.resolve())
    for cleared in ("", "  ", None):
        assert store.set("chain/kit/mask", cleared) is None
