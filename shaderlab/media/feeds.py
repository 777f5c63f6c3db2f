"""Opening whatever moves as a feed, on a worker: a clip file, a camera (``camera:SPEC``) or an
NDI source (``ndi:NAME``). The feed comes back unstarted; the GL thread starts it once it has
a place for its frames."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from shaderlab.show.messages import Message

CAMERA_PREFIX, NDI_PREFIX = "camera:", "ndi:"


def is_live(spec: str) -> bool:
    """Whether ``spec`` names a camera or an NDI source rather than a file."""
    return spec.startswith((CAMERA_PREFIX, NDI_PREFIX))


def open_feed(spec: str, post: Callable[[Message], None], max_side: int,
              camera_size: tuple[int, int] | None = None, camera_fps: float | None = None):
    """(feed, label, warnings) for ``spec``: a ClipPlayer for a clip file, a LiveFeed for a
    camera or NDI source. Raises MediaError (one line) when it cannot be opened."""
    from shaderlab.media.live import LiveFeed

    if spec.startswith(CAMERA_PREFIX):
        from shaderlab.media.camera import CameraDevice

        def camera() -> CameraDevice:
            return CameraDevice(spec[len(CAMERA_PREFIX):], camera_size, camera_fps, max_side)

        device = camera()
        return LiveFeed(device, camera, post), device.label, ()
    if spec.startswith(NDI_PREFIX):
        from shaderlab.media.ndi_in import NdiDevice

        def receiver() -> NdiDevice:
            return NdiDevice(spec[len(NDI_PREFIX):], max_side)

        device = receiver()
        return LiveFeed(device, receiver, post), device.label, ()
    from shaderlab.media.clip import Clip
    from shaderlab.media.player import ClipPlayer

    clip = Clip(Path(spec).expanduser(), max_side, pixel_format="rgba")
    return ClipPlayer(clip, post), clip.info.describe(), tuple(clip.warnings)
