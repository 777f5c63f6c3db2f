"""Setting uniforms that a program may not have: drivers drop the ones a shader never uses."""

from __future__ import annotations

from typing import Any

import moderngl


def set_uniform(program: moderngl.Program | moderngl.ComputeShader, name: str, value: Any) -> bool:
    """Set ``name`` if the program uses it; returns whether it did."""
    member = program.get(name, None)
    if isinstance(member, moderngl.Uniform):
        member.value = value
        return True
    return False
