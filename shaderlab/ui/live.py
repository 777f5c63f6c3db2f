"""The panel's live sections: tempo, modulation strips beside widgets, MIDI learn buttons,
and the control surfaces (OSC, OSCQuery, MIDI ports and mappings). Reads the store and the
status; sends commands."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from imgui_bundle import imgui

from shaderlab.isf.header import InputSpec
from shaderlab.show import commands as c
from shaderlab.show.settings import (BEATS_PER_BAR, BLACKOUT, BLACKOUT_FADE, BPM, FREEZE, LATENCY, MODULATORS,
                                     OUTPUT_MONITOR, TEMPO_SOURCE, TEST_CARD)
from shaderlab.show.status import ShowStatus
from shaderlab.show.store import Store
from shaderlab.ui.modulation import ModulationStrip
from shaderlab.ui.widgets import NOTE_COLOUR, setting

#: Width of the combos in the MIDI port pickers.
PICKER_WIDTH = 240.0


class LiveControls:
    def __init__(self, store: Store, post: Callable[[c.Command], None]):
        self.store, self.post = store, post
        self.status = ShowStatus()
        self.strip = ModulationStrip(post)

    def modulation(self, address: str, declared: InputSpec) -> None:
        """The modulation strip beside an input's widget (ui/modulation.py)."""
        self.strip.show(self.status, address, declared)

    def tempo(self) -> None:
        """The musical clock: its source, BPM, beats a bar, the latency offset, tap, nudge, resync,
        and where the beat is."""
        imgui.separator_text("Tempo")
        bpm, beat, beat_phase, bar_phase = self.status.tempo
        imgui.progress_bar(bar_phase, imgui.ImVec2(-1, 6), "")
        imgui.text(f"beat {int(beat) % 4 + 1 if beat >= 0 else 1}  ·  {bpm:.1f} BPM")
        imgui.same_line()
        if imgui.small_button("tap (T)"):
            self.post(c.TapTempo())
        imgui.same_line()
        if imgui.small_button("<"):
            self.post(c.NudgeBeat(-0.05))
        imgui.set_item_tooltip("nudge the beat back a little")
        imgui.same_line()
        if imgui.small_button(">"):
            self.post(c.NudgeBeat(0.05))
        imgui.set_item_tooltip("nudge the beat ahead a little")
        imgui.same_line()
        if imgui.small_button("resync"):
            self.post(c.Resync())
        imgui.set_item_tooltip("a bar starts now")
        imgui.push_item_width(-175)
        for address in (TEMPO_SOURCE, BPM, BEATS_PER_BAR, LATENCY):
            imgui.push_id(address)
            setting(self.store, self.post, address)
            self.learn(address)
            imgui.pop_id()
        imgui.pop_item_width()

    def safety(self) -> None:
        """Show safety, always at hand: blackout, freeze, test card, panic, performance mode."""
        imgui.separator_text("Show")
        status, store = self.status, self.store
        for label, address, key in (("Blackout", BLACKOUT, "B"), ("Freeze", FREEZE, "X"), ("Test card", TEST_CARD, "ctrl+T")):
            on = bool(store.get(address)) if store.addresses(address) else False
            if on:
                imgui.push_style_color(imgui.Col_.button, imgui.ImVec4(0.7, 0.15, 0.1, 1.0))
            if imgui.small_button(f"{label} ({key})"):
                self.post(c.Toggle(address))
            if on:
                imgui.pop_style_color()
            imgui.same_line()
        if imgui.small_button("PANIC"):
            self.post(c.Panic())
        imgui.set_item_tooltip("ctrl+P: clear feedback buffers, auto sort and modulators off, transitions ended")
        if imgui.small_button("performance mode (P)" if not status.performance else "all controls (P)"):
            self.post(c.TogglePerformance())
        imgui.same_line()
        if status.show_log is None:
            if imgui.small_button("log the show"):  # a new name each time: a log is never replaced
                self.post(c.ShowLog(Path(time.strftime("show-%Y%m%d-%H%M%S.log"))))
            imgui.set_item_tooltip("log every frame's changes into show-DATE-TIME.log in the save folder "
                                   "(render --replay renders it again, at any resolution)")
        else:
            if imgui.small_button("end the log"):
                self.post(c.ShowLog(None))
            imgui.set_item_tooltip(f"logging the show in {status.show_log}")
        imgui.push_item_width(-175)
        for address in (BLACKOUT_FADE, MODULATORS):
            if store.addresses(address):
                imgui.push_id(address)
                setting(store, self.post, address)
                self.learn(address)
                imgui.pop_id()
        self._output_monitor()
        imgui.pop_item_width()

    def _output_monitor(self) -> None:
        """Where the clean output goes: a window, or fullscreen on a monitor (remembered for the
        next run). Choosing a monitor opens the output there if it is not open yet."""
        store, monitors = self.store, self.status.monitors
        if not monitors or not store.addresses(OUTPUT_MONITOR):
            return
        current = str(store.get(OUTPUT_MONITOR) or "")
        choices = ["a window of its own" if self.status.output_open else "no output window (choose a monitor)", *monitors]
        index = next((i for i, name in enumerate(monitors, 1) if current.lower() == name.lower()), 0)
        if current and index == 0:
            choices.append(f"{current} (not there)")
            index = len(choices) - 1
        changed, picked = imgui.combo("Output on", index, choices)
        if changed and picked <= len(monitors):
            self.post(c.SetValue(OUTPUT_MONITOR, monitors[picked - 1] if picked else ""))
        imgui.set_item_tooltip("the clean output fullscreen on a monitor (the projector), remembered for the next "
                               "show; play --output opens it there")

    def learn(self, address: str) -> None:
        """MIDI learn beside a widget (when a controller plays): click, then move a control."""
        status = self.status
        if status.midi_mappings is None:
            return
        imgui.same_line()
        learning = status.midi_learning == address
        if imgui.small_button("..." if learning else "L"):
            self.post(c.MidiLearn(None if learning else address))
        mapped = [control for mapped_address, control in status.midi_mappings if mapped_address == address]
        imgui.set_item_tooltip("move a control on the MIDI controller now (click to stop)" if learning else
                               f"MIDI: {mapped[0]} (click to learn another)" if mapped else "MIDI learn")

    def surfaces(self) -> None:
        imgui.separator_text("Control surfaces")
        self._sound_input()
        self._midi_ports()
        if not self.status.surfaces:
            return
        for line in self.status.surfaces:
            imgui.push_text_wrap_pos(0.0)
            imgui.text_colored(NOTE_COLOUR, line)
            imgui.pop_text_wrap_pos()
        for (address, control), options in zip(self.status.midi_mappings or (), self.status.midi_options):
            imgui.push_id(address)
            if imgui.small_button("x"):
                self.post(c.MidiUnmap(address))
            imgui.set_item_tooltip("unmap")
            imgui.same_line()
            if imgui.tree_node(f"{control} → {address}"):
                self._mapping_options(address, options)
                imgui.tree_pop()
            imgui.pop_id()
        if self.status.midi_mappings is not None and imgui.small_button("Save MIDI mappings"):
            self.post(c.MidiSaveProfile())

    def _mapping_options(self, address: str, options: dict) -> None:
        """A mapping's invert, curve, slew, takeover, and (for a CC) absolute or relative."""
        changes: list[tuple[str, Any]] = []
        changed, invert = imgui.checkbox("invert", bool(options.get("invert", False)))
        if changed:
            changes.append(("invert", invert))
        imgui.same_line()
        changed, takeover = imgui.checkbox("soft takeover", bool(options.get("takeover", True)))
        if changed:
            changes.append(("takeover", takeover))
        if options["kind"] in ("cc", "relative"):
            imgui.same_line()
            changed, relative = imgui.checkbox("encoder", options["kind"] == "relative")
            if changed:
                changes.append(("relative", relative))
            imgui.set_item_tooltip("a relative encoder: each tick moves the value a step")
        curves = ["linear", "exp", "log"]
        imgui.set_next_item_width(120)
        changed, curve = imgui.combo("curve", curves.index(options.get("curve", "linear")), curves)
        if changed:
            changes.append(("curve", curves[curve]))
        imgui.set_next_item_width(120)
        changed, slew = imgui.slider_float("slew (s)", float(options.get("slew", 0.0)), 0.0, 2.0)
        if changed:
            changes.append(("slew", slew))
        if changes:
            self.post(c.MidiConfigure(address, tuple(changes)))

    def _sound_input(self) -> None:
        """What the show hears: a sound input picked from the list (listed on a worker)."""
        status = self.status
        if status.audio_inputs is None:
            if imgui.small_button("Sound in…"):
                self.post(c.ListAudioInputs())
            imgui.set_item_tooltip("listen to a sound input: a monitor of the mixer's output, a line in "
                                   "(needs: pip install 'shaderlab[audio]' and PortAudio)")
            return
        choices = ["—", *(name for _, name in status.audio_inputs)]
        indexes = [None, *(index for index, _ in status.audio_inputs)]
        playing = next((i for i, index in enumerate(indexes) if index is not None
                        and status.audio_playing.startswith(f"{index}: ")), 0)
        imgui.set_next_item_width(PICKER_WIDTH)
        changed, chosen = imgui.combo("Sound in", playing, choices)
        if changed:
            self.post(c.AudioInput(indexes[chosen]))
        imgui.same_line()
        if imgui.small_button("list again"):
            self.post(c.ListAudioInputs())

    def _midi_ports(self) -> None:
        """MIDI input and output pickers (the ports there are, looked at every second)."""
        status = self.status
        if status.midi_mappings is None:
            if imgui.small_button("MIDI…"):
                self.post(c.MidiPorts())
            imgui.set_item_tooltip("play from a MIDI controller (needs: pip install 'shaderlab[live]')")
            return
        inputs, outputs = status.midi_ports
        playing_in, playing_out = status.midi_playing
        for label, names, playing, make in (("MIDI in", inputs, playing_in, lambda n: c.MidiPorts(n, playing_out or None)),
                                            ("MIDI out", outputs, playing_out, lambda n: c.MidiPorts(playing_in or None, n))):
            choices = ["—", *names]
            index = choices.index(playing) if playing in choices else 0
            imgui.set_next_item_width(PICKER_WIDTH)
            changed, index = imgui.combo(label, index, choices)
            if changed:
                self.post(make(None if index == 0 else choices[index]))
