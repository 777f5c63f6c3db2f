"""Cameras through PyAV (FFmpeg's input devices): V4L2 on Linux, AVFoundation on macOS,
DirectShow on Windows — and any other FFmpeg input device as ``FORMAT:SPEC`` (``lavfi:testsrc2``
is a moving test pattern with no camera at all)."""

from __future__ import annotations

import errno
import sys
import time
from pathlib import Path
from typing import Iterator

import numpy as np

from shaderlab.media.clip import MAX_FRAME_PIXELS, MediaError, _av, _why


def describe_camera(spec: str | None) -> tuple[str, str, str]:
    """(FFmpeg input format, what to open, label) for ``--camera SPEC``: an index, a device
    path, a part of a camera's name, or ``FORMAT:SPEC``."""
    spec = (spec or "").strip()
    form, _, what = spec.partition(":")
    # FORMAT:SPEC when FORMAT is an FFmpeg input format here (a camera's name may hold a colon).
    if what and form in _input_formats() or form in ("video", "audio") and what:
        if form in ("video", "audio"):  # DirectShow's own "video=NAME" spelled with a colon
            return "dshow", f"video={what}", what
        return form, what, spec
    if sys.platform.startswith("linux"):
        if spec.startswith("/dev/"):
            return "v4l2", spec, spec
        if spec == "" or spec.isdigit():
            device = f"/dev/video{spec or 0}"
            return "v4l2", device, device
        for name_file in sorted(Path("/sys/class/video4linux").glob("video*/name")):
            try:
                if spec.lower() in name_file.read_text().lower():
                    device = f"/dev/{name_file.parent.name}"
                    return "v4l2", device, f"{spec} ({device})"
            except OSError:
                continue
        raise MediaError(f"no camera named {spec!r}; `shaderlab cameras` lists them (FORMAT:SPEC opens an FFmpeg input device)")
    if sys.platform == "darwin":
        return "avfoundation", spec or "0", f"camera {spec or 0}"
    if sys.platform == "win32":
        if not spec or spec.isdigit():
            raise MediaError("on Windows name the camera: --camera \"NAME\" (`shaderlab cameras` lists them)")
        return "dshow", f"video={spec}", spec
    raise MediaError(f"cameras are not supported on {sys.platform}; use FORMAT:SPEC for an FFmpeg input device")


def _input_formats() -> set[str]:
    try:
        import av
    except ImportError:
        return set()
    return set(av.formats_available)


def list_cameras() -> list[tuple[str, str]]:
    """(what to pass to --camera, its name) for each camera the system lists (Linux: V4L2)."""
    found = []
    for name_file in sorted(Path("/sys/class/video4linux").glob("video*/name")):
        try:
            found.append((f"/dev/{name_file.parent.name}", name_file.read_text().strip()))
        except OSError:
            continue
    return found


class CameraDevice:
    """An open camera; ``frames()`` yields its pictures as they come."""

    def __init__(self, spec: str | None, size: tuple[int, int] | None = None, fps: float | None = None,
                 max_side: int = 16384):
        av = _av()
        form, what, self.label = describe_camera(spec)
        options: dict[str, str] = {}
        if form in ("v4l2", "avfoundation", "dshow"):
            if size is not None:
                options["video_size"] = f"{size[0]}x{size[1]}"
            if fps is not None:
                options["framerate"] = f"{fps:g}"
        if form == "v4l2" and not Path(what).exists():
            raise MediaError(f"no camera at {what} (is one plugged in? `shaderlab cameras` lists them)")
        try:
            self._container = av.open(what, format=form, options=options, timeout=5.0)
        except av.FFmpegError as exc:
            raise MediaError(_open_error(self.label, exc)) from None
        except ValueError as exc:  # an unknown FFmpeg input format
            raise MediaError(f"{self.label}: {_why(exc)}; is {form!r} an FFmpeg input device here?") from None
        if not self._container.streams.video:
            self._container.close()
            raise MediaError(f"{self.label}: gives no video")
        stream = self._stream = self._container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > MAX_FRAME_PIXELS or width <= 0:
            self._container.close()
            raise MediaError(f"{self.label}: {width}×{height} cannot be played live (at most 8K); choose a smaller --camera-size")
        scale = min(1.0, max_side / max(width, height))
        self.size = (max(2, round(width * scale)), max(2, round(height * scale)))
        # A camera gives frames as they happen; other inputs (a test pattern) as fast as asked,
        # so those are paced by their timestamps.
        self._paced = form not in ("v4l2", "avfoundation", "dshow", "android_camera")

    def frames(self) -> Iterator[np.ndarray]:
        width, height = self.size
        av = _av()
        began: float | None = None
        try:
            for frame in self._container.decode(self._stream):
                if self._paced and frame.time is not None:
                    now = time.monotonic()
                    began = now - frame.time if began is None else began
                    if began + frame.time > now:
                        time.sleep(began + frame.time - now)
                yield frame.to_ndarray(width=width, height=height, format="rgba")
        except av.FFmpegError as exc:
            raise MediaError(f"stopped ({_why(exc)}); unplugged?") from None

    def close(self) -> None:
        self._container.close()


def _open_error(label: str, exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    if code == errno.EBUSY:
        return f"{label} is busy: another program is using it; close that program and try again"
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return f"no camera at {label} (is one plugged in? `shaderlab cameras` lists them)"
    if code in (errno.EACCES, errno.EPERM):
        return f"{label}: permission denied (on Linux, add yourself to the video group)"
    return f"{label}: cannot be opened ({_why(exc)})"
