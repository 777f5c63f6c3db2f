"""The MIDI mapping maths (issue 13), without ports: 14-bit pairs, NRPN, encoders, takeover,
slew, curves, feedback and profiles."""

from __future__ import annotations

import pytest

from shaderlab.control.midi_mapping import (
    Control, Decoder, Mapping, MappingError, Slew, feedback_messages, relative_ticks, shaped, takes_over,
    to_position, to_value, unshaped,
)
from shaderlab.isf.header import InputSpec

AMOUNT = InputSpec("amount", "float", 0.5, 0.0, 2.0)
COUNT = InputSpec("count", "long", 3, 1, 10)
SHAPE = InputSpec("shape", "long", 0, values=(0, 1, 2), labels=("dot", "line", "ring"))


def cc(number, value, channel=0):
    return {"type": "control_change", "channel": channel, "control": number, "value": value}


def test_7_bit_14_bit_pairs_nrpn_pitch_bend_and_notes():
    decoder = Decoder()
    assert decoder.decode(cc(7, 127)) == [(Control("cc", 0, 7), 1.0)]
    # 14-bit: MSB on CC 1, LSB on CC 33. The MSB alone resets the LSB (as MIDI says).
    wide = {(0, 1)}
    msb = decoder.decode(cc(1, 64), wide)
    assert msb[-1] == (Control("cc14", 0, 1), (64 << 7) / 16383)
    lsb = decoder.decode(cc(33, 127), wide)
    assert lsb[-1] == (Control("cc14", 0, 1), (64 << 7 | 127) / 16383)
    assert decoder.decode(cc(1, 127), wide)[-1][1] == (127 << 7) / 16383  # fine part reset
    # NRPN parameter 300 (MSB 2, LSB 44), data 100/5.
    assert decoder.decode(cc(99, 2, 3)) == [] and decoder.decode(cc(98, 44, 3)) == []
    assert decoder.decode(cc(6, 100, 3)) == [(Control("nrpn", 3, 300), (100 << 7) / 16383)]
    assert decoder.decode(cc(38, 5, 3)) == [(Control("nrpn", 3, 300), (100 << 7 | 5) / 16383)]
    assert decoder.decode({"type": "pitchwheel", "channel": 2, "pitch": 8191}) == [(Control("pitchbend", 2), 1.0)]
    assert decoder.decode({"type": "pitchwheel", "channel": 2, "pitch": -8192}) == [(Control("pitchbend", 2), 0.0)]
    assert decoder.decode({"type": "note_on", "channel": 9, "note": 36, "velocity": 127}) == [(Control("note", 9, 36), 1.0)]
    assert decoder.decode({"type": "note_off", "channel": 9, "note": 36, "velocity": 64}) == [(Control("note", 9, 36), 0.0)]


@pytest.mark.parametrize("encoding, up, down", [("twos", 1, 127), ("offset", 65, 63), ("signed", 1, 65)])
def test_the_three_relative_encodings(encoding, up, down):
    assert relative_ticks(up, encoding) == 1 and relative_ticks(down, encoding) == -1
    assert relative_ticks(up + 4, encoding) == 5


def test_values_by_range_invert_curve_and_back():
    mapping = Mapping(Control("cc", 0, 7), "chain/kit/amount")
    assert to_value(shaped(0.25, mapping), mapping, AMOUNT) == 0.5
    assert to_value(1.0, mapping, COUNT) == 10 and to_value(0.5, mapping, COUNT) == 6
    assert to_value(0.5, mapping, SHAPE) == 1
    narrow = Mapping(Control("cc", 0, 7), "chain/kit/amount", low=1.0, high=1.5, invert=True, curve="exp")
    assert to_value(shaped(0.0, narrow), narrow, AMOUNT) == 1.5  # inverted: the bottom is the top
    for value in (1.0, 1.2, 1.5):
        assert to_value(shaped(to_position(value, narrow, AMOUNT), narrow), narrow, AMOUNT) == pytest.approx(value)
    assert unshaped(shaped(0.3, narrow), narrow) == pytest.approx(0.3)


def test_soft_takeover_waits_for_the_value_and_a_fast_sweep_crossing_it_counts():
    mapping = Mapping(Control("cc", 0, 7), "chain/kit/amount")
    current = 0.5  # where the show's value stands, as a position
    assert not takes_over(mapping, 0.1, current)  # the knob is elsewhere: no jump
    assert not takes_over(mapping, 0.2, current)
    assert takes_over(mapping, 0.8, current)  # jumped from 0.2 to 0.8: crossed 0.5
    assert takes_over(mapping, 0.1, current)  # picked up: it follows from now on
    fresh = Mapping(Control("cc", 0, 8), "chain/kit/amount")
    assert takes_over(fresh, 0.5 + 1 / 127, current)  # reaching it (within a step) counts too
    off = Mapping(Control("cc", 0, 9), "chain/kit/amount", takeover=False)
    assert takes_over(off, 0.0, current)


def test_slew_smooths_toward_the_target():
    slew = Slew(0.1, 0.0)
    slew.toward(1.0)
    values = [slew.step(0.01) for _ in range(10)]
    assert values == sorted(values) and 0.0 < values[0] < 0.5  # moves, monotonically
    assert values[-1] == pytest.approx(0.95, abs=0.01)  # 95% of the jump in `seconds`
    for _ in range(100):
        slew.step(0.01)
    assert slew.settled and slew.value == 1.0
    assert Slew(0.0, 0.0).step(0.01) == 0.0


def test_feedback_messages_set_the_control_where_the_value_is():
    assert feedback_messages(Mapping(Control("cc", 1, 7), "a"), 1.0) == [
        {"type": "control_change", "channel": 1, "control": 7, "value": 127}]
    wide = feedback_messages(Mapping(Control("cc14", 0, 1), "a"), 0.5)
    assert [m["control"] for m in wide] == [1, 33] and (wide[0]["value"] << 7 | wide[1]["value"]) == round(0.5 * 16383)
    nrpn = feedback_messages(Mapping(Control("nrpn", 0, 300), "a"), 1.0)
    assert [(m["control"], m["value"]) for m in nrpn] == [(99, 2), (98, 44), (6, 127), (38, 127)]
    assert feedback_messages(Mapping(Control("note", 9, 36), "a"), 1.0)[0]["velocity"] == 127
    assert feedback_messages(Mapping(Control("pitchbend", 0), "a"), 0.0)[0]["pitch"] == -8192


def test_profiles_round_trip_and_refuse_nonsense():
    mapping = Mapping(Control("cc14", 2, 1), "chain/blur/radius", slew=0.2, curve="log", takeover=False)
    again = Mapping.loaded(mapping.saved())
    assert again == mapping and mapping.saved()["channel"] == 3  # channels as printed on devices: 1..16
    for bad, words in (({"address": "x", "kind": "knob", "channel": 1}, "not a control kind"),
                       ({"address": "x", "kind": "cc", "channel": 17, "number": 1}, "outside 1..16"),
                       ({"address": "x", "kind": "cc", "channel": 1, "curve": "wobbly"}, "curve"),
                       ({"address": "x", "kind": "cc", "channel": 1, "slew": float("nan")}, "finite"),
                       ({"kind": "cc", "channel": 1}, "needs address")):
        with pytest.raises(MappingError) as info:
            Mapping.loaded(bad)
        assert words in str(info.value) and "\n" not in str(info.value)


def test_the_panel_changes_a_mappings_options_as_a_profile_would(tmp_path):
    pytest.importorskip("rtmidi")
    from shaderlab.control.midi import MidiSurface
    from shaderlab.errors import ShaderlabError

    profile = tmp_path / "p.toml"
    profile.write_text('[[mapping]]\naddress = "chain/kit/amount"\nkind = "cc"\nchannel = 1\nnumber = 7\n')
    surface = MidiSurface(lambda command: None, None, profile=profile)  # no port, not started
    surface.configure("chain/kit/amount", {"invert": True, "relative": True, "slew": 0.5})
    (mapping,) = surface.mappings.values()
    assert mapping.control.kind == "relative" and mapping.invert and mapping.slew == 0.5
    assert surface.status.options[0]["kind"] == "relative"
    with pytest.raises(ShaderlabError) as info:
        surface.configure("chain/kit/amount", {"curve": "wobbly"})
    assert "curve" in str(info.value)
    assert surface.save_profile() == profile and 'kind = "relative"' in profile.read_text()
