"""Run inside the NDI test's private network namespace: find the NDI source named on the command
line, receive one frame of it once it has run a while, and save it (RGB, top row first)."""

from __future__ import annotations

import sys
import time

import numpy as np
from cyndilib.finder import Finder
from cyndilib.receiver import Receiver
from cyndilib.video_frame import VideoFrameSync
from cyndilib.wrapper.ndi_recv import RecvBandwidth, RecvColorFormat

name, out = sys.argv[1], sys.argv[2]
finder = Finder()
finder.open()
deadline = time.monotonic() + 30
found = []
while not found and time.monotonic() < deadline:
    finder.wait_for_sources(1.0)
    found = [n for n in finder.get_source_names() if n.endswith(f"({name})")]
if not found:
    sys.exit(f"no NDI source {name!r} (saw {finder.get_source_names()})")
receiver = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest)
frame = VideoFrameSync()
receiver.frame_sync.set_video_frame(frame)
receiver.set_source(finder.get_source(found[0]))
frames, deadline = 0, time.monotonic() + 30
while time.monotonic() < deadline:
    if receiver.is_connected():
        receiver.frame_sync.capture_video()
        if frame.xres > 0:
            frames += 1
            if frames >= 20:  # past the first frames the codec is still settling on
                pixels = frame.get_array().reshape(frame.yres, frame.xres, -1)[..., :3]
                np.save(out, np.array(pixels))
                break
    time.sleep(0.03)
finder.close()
if frames < 20:
    sys.exit("connected to the NDI source, but no frames came")
