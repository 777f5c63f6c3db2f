"""Create the GL context: headless through EGL, or attached to a window that exists already."""

from __future__ import annotations

import moderngl

from shaderlab.errors import ShaderlabError

REQUIRED_VERSION = 330
#: Asked for in turn: some drivers (NVIDIA's) give exactly the version asked for, and the
#: pixel sort's compute programs need 4.3.
PREFERRED_VERSIONS = (460, 450, 430, REQUIRED_VERSION)


def headless_context() -> moderngl.Context:
    """A standalone context for rendering without a window (CLI, Python API, tests)."""
    errors = []
    for backend in ("egl", None):
        kwargs = {"backend": backend} if backend else {}
        for version in PREFERRED_VERSIONS:
            try:
                return moderngl.create_standalone_context(require=version, **kwargs)
            except Exception as exc:  # each backend and version fails in its own way
                errors.append(f"{backend or 'default'} {version}: {exc}")
    raise ShaderlabError(
        "no OpenGL 3.3 context could be created headless ("
        + "; ".join(" ".join(e.split())[:120] for e in errors)
        + "); install Mesa's EGL drivers (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)"
    )


def max_texture_size(ctx: moderngl.Context) -> int:
    return int(ctx.info["GL_MAX_TEXTURE_SIZE"])
