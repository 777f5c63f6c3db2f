"""shaderlab: a real-time GPU shader playground for live visuals.

The Python API renders images through effect chains headless::

    import shaderlab
    with shaderlab.Renderer() as r:
        out = r.render(image, [("blur", {"radius": 4})], time=0.0)
"""

from shaderlab.errors import ShaderlabError
from shaderlab.io.images import load_image
from shaderlab.render.renderer import Renderer

__all__ = ["Renderer", "ShaderlabError", "load_image", "__version__"]
__version__ = "0.1.0"
