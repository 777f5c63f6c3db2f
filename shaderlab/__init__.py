"""shaderlab: a real-time GPU shader playground for live visuals.

The Python API renders images through effect chains headless::

    import shaderlab
    with shaderlab.Renderer() as r:
        out = r.render(image, [("blur", {"radius": 4})], time=0.0)
"""

from typing import Any

from shaderlab.errors import ShaderlabError
from shaderlab.io.images import load_image

__all__ = ["Clip", "Renderer", "ShaderlabError", "load_image", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``shaderlab.Renderer`` on first use: importing any part of the package (``show/``, which
    must stay free of GL) must not load moderngl."""
    if name == "Renderer":
        from shaderlab.render.renderer import Renderer

        return Renderer
    if name == "Clip":  # the media extra's PyAV is imported when a clip is opened
        from shaderlab.media.clip import Clip

        return Clip
    raise AttributeError(f"module 'shaderlab' has no attribute {name!r}")
