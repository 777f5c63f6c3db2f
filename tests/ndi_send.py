"""Run inside the NDI test's private network namespace: send a picture as the NDI source named on
the command line, at about 30 frames a second, until killed (or 60 s)."""

from __future__ import annotations

import sys
import time

import numpy as np
from PIL import Image

from shaderlab.app.sharing import NdiSink

name, image = sys.argv[1], sys.argv[2]
pixels = np.asarray(Image.open(image).convert("RGBA"))
sink = NdiSink(name, fps=30.0)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    sink.send(pixels)
    time.sleep(1 / 30)
sink.close()
