"""The output shared with other software — NDI (OBS, Resolume, a streaming machine), a virtual
camera (v4l2loopback on Linux, OBS's camera elsewhere), Spout (Windows), Syphon (macOS) — behind
one interface: a sink takes what the audience sees, RGBA, top row first.

Frames reach the sinks through pixel buffers (read back a couple of frames late, so the frame
never waits) and are sent from a thread of their own; when a sink is slower than the show, the
oldest waiting frame is dropped, never the show's. Each sink is an optional extra: one missing,
or a platform without it, is one line, and the show goes on.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from fractions import Fraction
from typing import Any, Callable, Protocol

import numpy as np

from shaderlab.errors import ShaderlabError
from shaderlab.show.commands import Say


class Sink(Protocol):
    name: str

    def send(self, pixels: np.ndarray) -> None: ...
    def close(self) -> None: ...


class NdiSink:
    """An NDI source on the network (the ``ndi`` extra: cyndilib, which ships the NDI runtime)."""

    def __init__(self, name: str, fps: float = 60.0):
        try:
            from cyndilib.sender import Sender
            from cyndilib.video_frame import VideoSendFrame
            from cyndilib.wrapper.ndi_structs import FourCC
        except ImportError:
            raise ShaderlabError("NDI needs the ndi extra: pip install 'shaderlab[ndi]' (cyndilib, with the NDI runtime)") from None
        self.name = f"NDI {name!r}"
        self._frame_type, self._fourcc = VideoSendFrame, FourCC.RGBA
        self._fps = Fraction(fps).limit_denominator(1001)
        self._sender = Sender(name, clock_video=False)  # the show sets the pace, not NDI
        self._size: tuple[int, int] | None = None
        self.seconds: list[float] = []  # what each frame cost to send (the benchmark reads it)

    def send(self, pixels: np.ndarray) -> None:
        size = (pixels.shape[1], pixels.shape[0])
        if size != self._size:
            self._configure(size)
        start = time.perf_counter()
        self._sender.write_video(np.require(pixels, np.uint8, ["C", "W"]).ravel())  # cyndilib takes writable memory only
        self.seconds = (self.seconds + [time.perf_counter() - start])[-600:]

    def close(self) -> None:
        if self._size is not None:
            self._sender.close()

    def _configure(self, size: tuple[int, int]) -> None:
        if self._size is not None:
            self._sender.close()
        frame = self._frame_type()
        frame.set_resolution(*size)
        frame.set_frame_rate(self._fps)
        frame.set_fourcc(self._fourcc)
        self._sender.set_video_frame(frame)
        self._sender.open()
        self._size = size


class VirtualCameraSink:
    """A virtual camera (the ``camera`` extra: pyvirtualcam) — video calls and OBS see the show."""

    def __init__(self, size: tuple[int, int], fps: float = 30.0):
        try:
            import pyvirtualcam
        except ImportError:
            raise ShaderlabError("a virtual camera needs the camera extra: pip install 'shaderlab[camera]' "
                                 "(and on Linux the v4l2loopback kernel module)") from None
        try:
            self._camera = pyvirtualcam.Camera(width=size[0], height=size[1], fps=fps)
        except Exception as exc:  # no device: the library's own reason, in one line
            hint = " (load it: sudo modprobe v4l2loopback)" if sys.platform.startswith("linux") else ""
            raise ShaderlabError(f"no virtual camera to send to: {str(exc).splitlines()[0]}{hint}") from None
        self.name = f"virtual camera {self._camera.device}"
        self._size = size

    def send(self, pixels: np.ndarray) -> None:
        if (pixels.shape[1], pixels.shape[0]) != self._size:
            # A camera keeps the size it opened with: say so once rather than go quietly stale.
            raise ShaderlabError(f"the output is now {pixels.shape[1]}×{pixels.shape[0]}, the camera "
                                 f"{self._size[0]}×{self._size[1]} (fix the size with --output-size)")
        self._camera.send(np.ascontiguousarray(pixels[..., :3]))

    def close(self) -> None:
        self._camera.close()


def _platform(kind: str, platform: str, where: str) -> None:
    """Spout and Syphon are their platform's own: elsewhere one line says what to use instead."""
    if not sys.platform.startswith(platform):
        raise ShaderlabError(f"{kind} exists only on {where}; here share the output over NDI (--ndi NAME) "
                             "or a virtual camera (--virtual-camera)")


class SpoutSink:
    """A Spout sender (Windows; the ``spout`` extra: SpoutGL). The pixels go over Spout's shared
    memory and DirectX path; no GL context of ours is needed on the sharing thread."""

    def __init__(self, name: str):
        _platform("Spout", "win32", "Windows")
        try:
            import SpoutGL
            from SpoutGL.enums import GL_RGBA
        except ImportError:
            raise ShaderlabError("Spout needs the spout extra: pip install 'shaderlab[spout]' (SpoutGL)") from None
        self.name, self._sender_name, self._rgba = f"Spout {name!r}", name, GL_RGBA
        self._sender = SpoutGL.SpoutSender()
        self._sender.setSenderName(name)

    def send(self, pixels: np.ndarray) -> None:
        height, width = pixels.shape[:2]
        if not self._sender.sendImage(np.require(pixels, np.uint8, ["C"]), width, height, self._rgba, False, 0):
            raise ShaderlabError("Spout refused the frame")
        self._sender.setFrameSync(self._sender_name)  # receivers waiting on a new frame go on

    def close(self) -> None:
        self._sender.releaseSender()


class SyphonSink:
    """A Syphon server (macOS; the ``syphon`` extra: syphon-python, on Metal)."""

    def __init__(self, name: str):
        _platform("Syphon", "darwin", "macOS")
        try:
            import syphon
            from syphon.utils.numpy import copy_image_to_mtl_texture
            from syphon.utils.raw import create_mtl_texture
        except ImportError:
            raise ShaderlabError("Syphon needs the syphon extra: pip install 'shaderlab[syphon]' (syphon-python)") from None
        self.name = f"Syphon {name!r}"
        self._server = syphon.SyphonMetalServer(name)
        self._copy, self._create = copy_image_to_mtl_texture, create_mtl_texture
        self._texture: Any = None
        self._size: tuple[int, int] | None = None

    def send(self, pixels: np.ndarray) -> None:
        size = (pixels.shape[1], pixels.shape[0])
        if size != self._size:
            self._texture, self._size = self._create(self._server.device, *size), size
        self._copy(np.require(pixels, np.uint8, ["C"]), self._texture)
        self._server.publish_frame_texture(self._texture)

    def close(self) -> None:
        self._server.stop()


class Sharing:
    """The sinks, fed from a thread of their own."""

    def __init__(self, sinks: list[Sink], post: Callable[[Any], None]):
        self.sinks, self.post = sinks, post  # its thread tells the show through the inbox
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=2)
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="shaderlab-sharing", daemon=True)
        self._thread.start()

    def offer(self, pixels: np.ndarray) -> None:
        """A frame read back (on the GL thread): queued, the oldest dropped when the sinks lag."""
        try:
            self._queue.put_nowait(pixels)
        except queue.Full:
            try:
                self._queue.get_nowait()
                self.dropped += 1
            except queue.Empty:
                pass
            self._queue.put_nowait(pixels)

    def describe(self) -> tuple[str, ...]:
        dropped = f" ({self.dropped} frames dropped: a sink slower than the show)" if self.dropped else ""
        return tuple(f"sharing: {sink.name}{dropped}" for sink in self.sinks)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:  # closing a sink that failed: nothing more to lose
                pass

    def _run(self) -> None:
        while True:
            pixels = self._queue.get()
            if pixels is None:
                return
            for sink in list(self.sinks):
                try:
                    sink.send(pixels)
                except Exception as exc:  # one sink failing stops that sink only
                    self.sinks.remove(sink)
                    self.post(Say(f"sharing: {sink.name} stopped ({exc})", error=True))


def start_sharing(options: Any, size: tuple[int, int], report: Callable[..., None],
                  post: Callable[[Any], None]) -> Sharing | None:
    """The sinks the command line asks for; each that cannot start is one line."""
    sinks: list[Sink] = []
    makers: list[tuple[bool, Callable[[], Sink]]] = [
        (bool(getattr(options, "ndi", None)), lambda: NdiSink(options.ndi)),
        (bool(getattr(options, "virtual_camera", False)), lambda: VirtualCameraSink(size)),
        (bool(getattr(options, "spout", None)), lambda: SpoutSink(options.spout)),
        (bool(getattr(options, "syphon", None)), lambda: SyphonSink(options.syphon)),
    ]
    for wanted, make in makers:
        if wanted:
            try:
                sinks.append(make())
            except ShaderlabError as exc:
                report(str(exc), error=True)
    if not sinks:
        return None
    report("sharing the output: " + ", ".join(sink.name for sink in sinks))
    return Sharing(sinks, post)
