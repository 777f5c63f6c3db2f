"""Widgets generated from declared inputs, shared by the panel's sections: one per input type,
and a setting's widget that sends its change as a command."""

from __future__ import annotations

from typing import Any, Callable

from imgui_bundle import imgui

from shaderlab.isf.header import InputSpec
from shaderlab.params import clamp_value
from shaderlab.show import commands as c
from shaderlab.show.store import Store

ERROR_COLOUR = imgui.ImVec4(1.0, 0.45, 0.4, 1.0)
NOTE_COLOUR = imgui.ImVec4(0.7, 0.75, 0.8, 1.0)
WARNING_COLOUR = imgui.ImVec4(1.0, 0.8, 0.35, 1.0)


def setting(store: Store, post: Callable[[c.Command], None], address: str) -> None:
    """A widget for one of the show's slots; a change is a command (an event input: a pulse
    when its button is pressed, not a value every frame)."""
    declared = store.slot(address).spec
    changed, value = widget(declared, store.get(address))
    if declared.type == "event":
        if value:
            post(c.Pulse(address))
    elif changed:
        post(c.SetValue(address, value))


def _label(declared: InputSpec) -> str:
    return declared.label or declared.name


def widget(declared: InputSpec, value: Any) -> tuple[bool, Any]:
    """One widget for one input, chosen by its type; returns (changed, new value)."""
    label = _label(declared)
    kind = declared.type
    if kind == "long" and declared.values:
        index = declared.values.index(value) if value in declared.values else 0
        changed, index = imgui.combo(label, index, list(declared.labels))
        return changed, declared.values[index]
    if kind == "long":
        low = declared.min if declared.min is not None else 0
        high = declared.max if declared.max is not None else 100
        changed, new = imgui.slider_int(label, int(value), int(low), int(high))
        return changed, clamp_value(declared, new)
    if kind == "float":
        if declared.min is not None and declared.max is not None:
            changed, new = imgui.slider_float(label, float(value), declared.min, declared.max)
        else:
            changed, new = imgui.drag_float(label, float(value), 0.01)
        return changed, clamp_value(declared, new)
    if kind == "bool":
        return imgui.checkbox(label, bool(value))
    if kind == "event":
        return True, imgui.button(label)  # true for the one frame the button is pressed
    if kind == "color":
        changed, new = imgui.color_edit4(label, list(value))
        return changed, tuple(float(v) for v in new)
    if kind == "point2D":
        low = declared.min[0] if declared.min else 0.0
        high = declared.max[0] if declared.max else 1.0
        changed, new = imgui.slider_float2(label, list(value), low, high)
        return changed, tuple(float(v) for v in new)
    imgui.text(f"{label}: {kind} input")
    return False, value
