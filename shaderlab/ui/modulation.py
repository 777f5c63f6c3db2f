"""The modulation strip beside each widget: a ~ that opens what moves this input (LFOs, audio
followers, envelopes, step sequences, recorded gestures) with an editor for a new route, and the
value the frame rendered. Reads the status; sends Modulate, Unmodulate, Trigger and
RecordGesture commands."""

from __future__ import annotations

from typing import Any, Callable

from imgui_bundle import imgui

from shaderlab.isf.header import InputSpec
from shaderlab.show import commands as c
from shaderlab.show.modulation import FOLLOW, MODULATED_TYPES, SHAPES, SYNC, TRIGGERS
from shaderlab.show.status import ShowStatus
from shaderlab.ui.widgets import WARNING_COLOUR

KINDS = ("LFO", "audio follower", "envelope", "steps", "gesture")
GESTURE_BARS = (1, 2, 4, 8)


class ModulationStrip:
    def __init__(self, post: Callable[[c.Command], None]):
        self.post = post
        #: The route being made in each input's popup (indexes into the choices it offers).
        self.drafts: dict[str, dict[str, Any]] = {}
        self.draft: dict[str, Any] = _new_draft()  # the open popup's

    def show(self, status: ShowStatus, address: str, declared: InputSpec) -> None:
        if declared.type not in MODULATED_TYPES or declared.values:
            return
        imgui.same_line()
        routes = status.routes.get(address, ())
        if imgui.small_button("~"):
            imgui.open_popup("modulate")
        imgui.set_item_tooltip("modulate: an LFO, the audio, an envelope, steps or a recorded gesture")
        if status.gesture_recording == address:
            imgui.same_line()
            imgui.text_colored(WARNING_COLOUR, "● rec")
            imgui.set_item_tooltip("recording the hand on this input (it loops once the bars are done)")
        if routes:  # on a line of its own under the widget: what renders now, and what moves it
            live = status.modulated.get(address)
            fraction = _fraction(declared, live)
            if fraction is not None:
                imgui.progress_bar(fraction, imgui.ImVec2(-1, 3), "")
            shown = ", ".join(f"{v:.2f}" for v in live) if isinstance(live, tuple) else f"{live:.2f}" \
                if isinstance(live, (int, float)) else str(live)
            more = f" (+{len(routes) - 1})" if len(routes) > 1 else ""
            imgui.text_colored(WARNING_COLOUR, f"~ {shown} · {route_text(routes[0])}{more}")
            imgui.set_item_tooltip("\n".join(route_text(r) for r in routes))
        if imgui.begin_popup("modulate"):
            self._editor(address, declared, routes)
            imgui.end_popup()

    def _editor(self, address: str, declared: InputSpec, routes: tuple[dict, ...]) -> None:
        for route in routes:
            imgui.text(route_text(route))
        if routes and imgui.small_button("remove them all"):
            self.post(c.Unmodulate(address))
        imgui.separator()
        draft = self.draft = self.drafts.setdefault(address, _new_draft())
        _, draft["kind"] = imgui.combo("source", draft["kind"], list(KINDS))
        kind = KINDS[draft["kind"]]
        route: dict[str, Any] | None = None
        if kind == "LFO":
            route = self._lfo(address)
        elif kind == "audio follower":
            _, draft["band"] = imgui.combo("band", draft["band"], list(FOLLOW))
            route = {"address": address, "follow": FOLLOW[draft["band"]], "unipolar": True}
        elif kind == "envelope":
            route = self._envelope(address)
        elif kind == "steps" and declared.type != "event":
            route = self._steps(address)
        elif kind == "gesture" and declared.type != "event":
            _, draft["bars"] = imgui.combo("bars", draft["bars"], [str(b) for b in GESTURE_BARS])
            if imgui.button("record from the next bar"):
                self.post(c.RecordGesture(address, GESTURE_BARS[draft["bars"]]))
            imgui.set_item_tooltip("move this input by hand (mouse, MIDI, OSC) for those bars; then it loops")
            return
        else:
            imgui.text("an event is fired by onsets or an envelope's trigger")
            return
        if declared.type != "event":
            _, draft["depth"] = imgui.slider_float("depth", draft["depth"], 0.0, 1.0)
            if kind == "LFO":
                _, draft["unipolar"] = imgui.checkbox("0..1 (unipolar)", draft["unipolar"])
            route["depth"] = draft["depth"]
        if imgui.button(f"add {kind}"):
            self.post(c.Modulate(tuple(route.items())))

    def _lfo(self, address: str) -> dict[str, Any]:
        draft = self.draft
        _, draft["shape"] = imgui.combo("shape", draft["shape"], list(SHAPES))
        rates = ["free (Hz)", *SYNC]
        _, draft["rate"] = imgui.combo("rate", draft["rate"], rates)
        if draft["rate"] == 0:
            _, draft["hz"] = imgui.slider_float("Hz", draft["hz"], 0.01, 10.0)
        route: dict[str, Any] = {"address": address, "shape": SHAPES[draft["shape"]], "unipolar": draft["unipolar"]}
        if draft["rate"] == 0:
            route["hz"] = draft["hz"]
        else:
            route["sync"] = rates[draft["rate"]]
        return route

    def _envelope(self, address: str) -> dict[str, Any]:
        draft = self.draft
        _, draft["trigger"] = imgui.combo("trigger", draft["trigger"], list(TRIGGERS))
        imgui.set_item_tooltip("an onset of a band, every beat or bar, or hit: the E key, a MIDI pad, OSC /shaderlab/trigger")
        trigger = TRIGGERS[draft["trigger"]]
        if trigger not in ("beat", "bar"):
            imgui.same_line()
            if imgui.small_button("fire"):
                self.post(c.Trigger(trigger))
            imgui.set_item_tooltip("fire this trigger now (as the E key does for hit)")
        for name, top in (("attack", 2.0), ("decay", 2.0), ("sustain", 1.0), ("release", 4.0)):
            _, draft[name] = imgui.slider_float(name, draft[name], 0.0, top)
        return {"address": address, "trigger": TRIGGERS[draft["trigger"]], "attack": draft["attack"],
                "decay": draft["decay"], "sustain": draft["sustain"], "release": draft["release"], "unipolar": True}

    def _steps(self, address: str) -> dict[str, Any]:
        draft = self.draft
        _, draft["sixteen"] = imgui.checkbox("16 steps a bar (else 8)", draft["sixteen"])
        count = 16 if draft["sixteen"] else 8
        for i in range(count):
            imgui.push_id(i)
            _, draft["steps"][i] = imgui.v_slider_float("##step", imgui.ImVec2(14, 60), draft["steps"][i], 0.0, 1.0, "")
            imgui.pop_id()
            if i + 1 < count:
                imgui.same_line()
        return {"address": address, "steps": [round(v, 3) for v in draft["steps"][:count]], "unipolar": True}


def _fraction(declared: InputSpec, live: Any) -> float | None:
    """Where a number renders within its range (0..1), for the strip's bar; None for the rest."""
    if isinstance(live, bool) or not isinstance(live, (int, float)):
        return None
    low = declared.min if isinstance(declared.min, (int, float)) else 0.0
    high = declared.max if isinstance(declared.max, (int, float)) else 1.0
    return min(max((live - low) / ((high - low) or 1.0), 0.0), 1.0)


def _new_draft() -> dict[str, Any]:
    return {"kind": 0, "shape": 0, "rate": 5, "hz": 1.0, "depth": 0.25, "unipolar": False, "band": 0,
            "trigger": TRIGGERS.index("beat"), "attack": 0.01, "decay": 0.2, "sustain": 0.0, "release": 0.3,
            "sixteen": True, "steps": [0.0] * 16, "bars": 0}


def route_text(route: dict) -> str:
    depth = f"depth {route.get('depth', 0.5):g}"
    if route.get("follow"):
        return f"audio {route['follow']} · {depth}"
    if route.get("trigger"):
        return (f"envelope on {route['trigger']} · A {route.get('attack', 0.01):g} D {route.get('decay', 0.2):g} "
                f"S {route.get('sustain', 0.0):g} R {route.get('release', 0.3):g} · {depth}")
    if route.get("steps"):
        return f"{len(route['steps'])} steps a bar · {depth}"
    if route.get("gesture"):
        return f"gesture of {route.get('bars', 1)} bar{'s' if route.get('bars', 1) > 1 else ''} (looping)"
    rate = route.get("sync") or f"{route.get('hz', 1.0):g} Hz"
    return f"{route.get('shape', 'sine')} · {rate} · {depth}"
