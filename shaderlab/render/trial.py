"""The process that tries new shader code (see render/vetting.py): a renderer of its own, one
trial per request, answering on its protocol pipe.

    python -m shaderlab.render.trial FD
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import signal
import sys
from typing import Any

from shaderlab.isf.header import EffectSpec
from shaderlab.render.vetting import TRIAL_FRAMES
from shaderlab.render.watchdog import FrameWatch, die_with_parent


def _usable(spec: EffectSpec, params: dict[str, Any]) -> dict[str, Any]:
    """The values the new version can take: a header edit may have removed or narrowed inputs
    (the show keeps what still fits, see stage/effects.py); the rest run at their defaults."""
    from shaderlab.errors import ShaderlabError
    from shaderlab.params import check_value

    usable = {}
    for name, value in params.items():
        declared = spec.input(name)
        if declared is not None and not declared.is_image:
            try:
                usable[name] = check_value(spec.name, declared, value)
            except ShaderlabError:
                pass
    return usable


def _serve(protocol_fd: int) -> None:
    """The child: a renderer of its own, one trial per request."""
    import numpy as np

    from shaderlab.render.renderer import Renderer

    watch = FrameWatch(protocol_fd)
    renderers: dict[tuple[str, ...], Renderer] = {}
    watch.send(json.dumps({"ready": True}))
    for line in sys.stdin:
        try:
            request = json.loads(line)
            spec: EffectSpec = pickle.loads(base64.b64decode(request["spec"]))
            folders = tuple(request["shaders"])
            if folders not in renderers:
                renderers[folders] = Renderer(folders, vet=False, watch=watch)
            width, height = request["size"]
            picture = np.full((height, width, 3), 128, np.uint8)
            chain = [(spec, _usable(spec, request["params"]))]
            for frame in range(TRIAL_FRAMES):
                renderers[folders].render(picture, chain, time=frame / 60.0)
            answer: dict[str, Any] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - every failure is this trial's answer
            answer = {"error": " ".join(str(exc).split())[:300] or type(exc).__name__}
        watch.send(json.dumps(answer))


if __name__ == "__main__":
    fd = int(sys.argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+C in the show's terminal is the show's
    die_with_parent(os.getppid())  # a show killed outright leaves no trial spinning
    os.dup2(2, 1)  # stray prints go to the log, never into the protocol
    _serve(fd)
