"""Read-backs of the stage's textures (stage/readbacks.py): one read-back for every consumer of
the same contents, the first given the pixels and the others copies, new contents read again,
and the pixel buffers reused from frame to frame instead of made for each consumer."""

from __future__ import annotations

import numpy as np

from conftest import photo
from shaderlab.gl.surface import upload
from shaderlab.stage.readbacks import Readbacks


def test_consumers_of_one_frame_share_a_read_back_and_buffers_are_reused(renderer):
    picture = photo("coffee.png")
    with renderer.ctx as ctx:
        texture = upload(ctx, picture)
        readbacks = Readbacks(ctx)
        got: list[tuple[str, np.ndarray]] = []
        for frame in range(6):  # the recording and the sharing both want each frame
            readbacks.collect()
            readbacks.request(texture, lambda pixels, f=frame: got.append((f"record {f}", pixels)), frame)
            readbacks.request(texture, lambda pixels, f=frame: got.append((f"share {f}", pixels)), frame)
        readbacks.collect(all_now=True)
        assert [name for name, _ in got] == [f"{who} {f}" for f in range(6) for who in ("record", "share")]
        expected = np.dstack([picture, np.full(picture.shape[:2], 255, np.uint8)])
        assert all(np.array_equal(pixels, expected) for _, pixels in got)
        pairs = list(zip(got[::2], got[1::2]))
        assert all(a is not b and not np.shares_memory(a, b) for (_, a), (_, b) in pairs)  # copies
        assert readbacks.made <= 3  # two frames in flight and one more, not two a frame

        # New contents in the same frame (an upload: its token) are read again, not shared.
        upload(ctx, picture[::-1].copy(), texture)
        later: list[np.ndarray] = []
        readbacks.request(texture, later.append, 6)
        upload(ctx, picture, texture)
        readbacks.request(texture, later.append, 6)
        readbacks.collect(all_now=True)
        assert np.array_equal(later[0][..., :3], picture[::-1]) and np.array_equal(later[1][..., :3], picture)
        readbacks.release()
        texture.release()
