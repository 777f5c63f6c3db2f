"""``shaderlab osc-list``: the address space of a scene, as text or as the OSCQuery tree."""

from __future__ import annotations

import json

from shaderlab.control.namespace import ACTIONS, NORM, SLOT_ACTIONS, Namespace, osc_address
from shaderlab.control.oscquery import tree


def address_listing(namespace: Namespace, as_json: bool = False) -> str:
    if as_json:
        return json.dumps(tree(namespace), indent=2)
    lines = ["# values (in their own units; .../norm takes 0..1 across the range)"]
    for address, spec in namespace.slots.items():
        lines.append(f"{osc_address(address):<48} {_takes(spec):<28} {spec.label or spec.name}")
    lines.append("\n# commands")
    lines += [f"{address:<48} {description}" for address, (_, description) in ACTIONS.items()]
    for slot_id, _ in namespace.chain:
        lines += [f"{osc_address(f'chain/{slot_id}/{verb}'):<48} {description}" for verb, description in SLOT_ACTIONS.items()]
    lines.append(f"\n# feedback: send /shaderlab/feedback/register [port] to be told every change ({NORM} variants are not sent)")
    return "\n".join(lines)


def _takes(spec) -> str:
    if spec.type == "event":
        return "event (no argument)"
    if spec.values:
        return "menu: " + ", ".join(spec.labels)
    if spec.type in ("float", "long") and spec.min is not None and spec.max is not None:
        return f"{spec.type} {spec.min}..{spec.max}"
    if spec.type == "point2D":
        return "2 floats"
    if spec.type == "color":
        return "3 or 4 floats (0..1)"
    if spec.is_image:
        return "image file path"
    return spec.type
