"""User-facing errors: one line that says what is wrong and what to do.

Anything raised as a :class:`ShaderlabError` is shown to the user as its message alone
(exit code 2 on the command line, a line in the panel in the window); anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations


class ShaderlabError(Exception):
    """A problem with the user's input (a file, a value, a shader) rather than with shaderlab."""


class ImageError(ShaderlabError):
    """An image file that cannot be used."""


class ShaderError(ShaderlabError):
    """A shader file whose header or GLSL is broken; the message is ``file:line: message``."""


class EffectError(ShaderlabError):
    """An unknown effect, parameter or an unusable parameter value."""


class SceneError(ShaderlabError):
    """A scene file that cannot be read or written."""


def unforeseen(path: object, doing: str, exc: BaseException) -> str:
    """The one line for an exception nobody foresaw while ``doing`` something with a user's
    file: it is that file's error, never the end of the show."""
    detail = " ".join(str(exc).split())[:200]
    return f"{path}:1: cannot {doing} ({type(exc).__name__}{': ' + detail if detail else ''})"
