"""Run inside the NDI test's private network namespace: open the NDI source named on the command
line as shaderlab opens a source (``ndi:NAME``, a LiveFeed on its own thread), take frames as the
GL thread would, and save the 20th (RGB, top row first) with the feed's label."""

from __future__ import annotations

import json
import queue
import sys

import numpy as np

from shaderlab.media.feeds import open_feed
from shaderlab.show.messages import FeedFrame

name, out = sys.argv[1], sys.argv[2]
inbox: queue.SimpleQueue = queue.SimpleQueue()
feed, label, _ = open_feed(f"ndi:{name}", inbox.put, 16384)
feed.start()
frames = 0
while frames < 20:
    message = inbox.get(timeout=20)
    if not isinstance(message, FeedFrame):
        sys.exit(f"the feed said: {message.message}")
    frames += 1
    feed.taken()
np.save(out, np.ascontiguousarray(message.rows[::-1, :, :3]))
print(json.dumps({"label": label, "size": list(feed.size)}))
feed.stop()
feed.join()
