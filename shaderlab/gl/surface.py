"""Textures with their framebuffers, and the numpy <-> texture crossing.

Images are stored bottom row first, as GL and ISF expect (y grows upwards), so generators
written for other ISF hosts draw the right way up; numpy arrays stay row 0 = top, and the flip
happens once on upload and once on read-back.
"""

from __future__ import annotations

import moderngl
import numpy as np


class Surface:
    """A texture that can be rendered into: RGBA, 8-bit or 32-bit float, or ``dtype`` (for
    instance "u4", unsigned integers, which are sampled without filtering)."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], float_: bool = False, dtype: str | None = None):
        self.size = size
        self.float = float_
        self.texture = ctx.texture(size, 4, dtype=dtype or ("f4" if float_ else "f1"))
        set_sampling(self.texture)
        if dtype in ("u1", "u2", "u4", "i1", "i2", "i4"):
            self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.framebuffer = ctx.framebuffer(color_attachments=[self.texture])

    def clear(self) -> None:
        self.framebuffer.clear(0.0, 0.0, 0.0, 0.0)

    def release(self) -> None:
        ctx = self.framebuffer.ctx
        if ctx.fbo is self.framebuffer:
            # moderngl re-binds "the current framebuffer" when it creates the next one;
            # leave it the default framebuffer, not a deleted one.
            ctx.detect_framebuffer(0).use()
        self.framebuffer.release()
        self.texture.release()


def mark_written(texture: moderngl.Texture) -> None:
    """Say that ``texture``'s contents changed (every upload does): a fresh token in its
    ``extra``, which a chain compares to know whether its input is the one it last rendered."""
    texture.extra = object()


def written(texture: moderngl.Texture) -> object | None:
    """The token of ``texture``'s last marked write; None for a texture never marked (one a GPU
    pass writes, say), whose contents cannot be known unchanged."""
    return getattr(texture, "extra", None)


def set_sampling(texture: moderngl.Texture) -> None:
    texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
    texture.repeat_x = False
    texture.repeat_y = False


def checked_pixels(image: np.ndarray) -> np.ndarray:
    """uint8 H×W, H×W×1, H×W×3 or H×W×4 as H×W×C (TypeError or ValueError otherwise)."""
    if image.dtype != np.uint8:
        raise TypeError(f"images must be uint8 arrays, not {image.dtype}")
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError(f"images must be H×W, H×W×3 or H×W×4, not {image.shape}")
    return image


def as_rgba(image: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """uint8 H×W, H×W×1, H×W×3 or H×W×4 as H×W×4 (alpha 255 where there was none), into
    ``out`` (a C-ordered H×W×4 uint8 array) when given; RGBA comes back as it is."""
    image = checked_pixels(image)
    if image.shape[2] == 4 and out is None:
        return np.ascontiguousarray(image)
    if out is None:
        out = np.empty(image.shape[:2] + (4,), np.uint8)
    if image.shape[2] == 4:
        np.copyto(out, image)
        return out
    # A channel at a time over the flat pixels: numpy runs each as one strided loop, 4-5×
    # faster than assigning out[:, :, :3] at once (2.5 ms against 14 at 1080p here).
    pixels = np.ascontiguousarray(image).reshape(-1, image.shape[2])
    flat = out.reshape(-1, 4)
    for channel in range(3):
        flat[:, channel] = pixels[:, channel if pixels.shape[1] == 3 else 0]
    flat[:, 3] = 255
    return out


class Staging:
    """Arrays an uploader keeps from one frame to the next: a new 8 MB array each frame costs
    its page faults, a few ms at 1080p."""

    def __init__(self) -> None:
        self._flipped: np.ndarray | None = None  # RGB rows bottom first, one spare byte after
        self._rgba: np.ndarray | None = None

    def rows_for_gl(self, image: np.ndarray) -> np.ndarray:
        """``image`` (uint8 H×W×1, ×3 or ×4, row 0 = top) as RGBA, bottom row first, in an
        array of this staging's (valid until the next call)."""
        height, width, channels = image.shape
        if self._rgba is None or self._rgba.shape != (height, width, 4):
            self._rgba = np.empty((height, width, 4), np.uint8)
        if channels == 4:
            np.copyto(self._rgba, image[::-1])
            return self._rgba
        if channels == 1:
            return as_rgba(image[::-1], self._rgba)
        count = height * width
        if self._flipped is None or self._flipped.size != count * 3 + 1:
            self._flipped = np.empty(count * 3 + 1, np.uint8)  # the spare byte is never read as colour
        np.copyto(self._flipped[:-1].reshape(height, width, 3), image[::-1])  # contiguous rows: nearly free
        # Widen with one numpy operation: each pixel's three bytes and the next one read as a
        # little-endian 32-bit word (3 bytes apart, unaligned: the spare byte is the last
        # pixel's fourth), and the top byte set to an opaque alpha. 1.3× faster than a channel
        # at a time, and 6× faster than assigning rgba[..., :3] at once.
        words = np.ndarray((count,), "<u4", self._flipped, strides=(3,))
        np.bitwise_or(words, np.uint32(0xFF000000), out=self._rgba.reshape(-1).view("<u4"))
        return self._rgba


def upload(ctx: moderngl.Context, image: np.ndarray, into: moderngl.Texture | None = None,
           staging: Staging | None = None) -> moderngl.Texture:
    """Upload an image into ``into`` when it has the right size, else into a new texture.

    Every texture is RGBA: widened here, as numpy does it faster than the GL (llvmpipe took
    3.6 ms to widen RGB at 1080p, and its 3-byte texels then cost every pass ~2 ms more to
    read). ``staging`` keeps the arrays the rows go through from one frame to the next."""
    data = (staging or Staging()).rows_for_gl(checked_pixels(image))
    size = (data.shape[1], data.shape[0])
    if into is not None and into.size == size and into.dtype == "f1" and into.components == 4:
        into.write(data)
        mark_written(into)
        return into
    if into is not None:
        into.release()
    texture = ctx.texture(size, 4, data)
    mark_written(texture)
    set_sampling(texture)
    return texture


def upload_depth(ctx: moderngl.Context, depth: np.ndarray, into: moderngl.Texture | None = None) -> moderngl.Texture:
    """A float32 H×W depth map (row 0 = top) as a one-channel float texture, y-up."""
    data = np.ascontiguousarray(depth.astype(np.float32)[::-1])
    size = (data.shape[1], data.shape[0])
    if into is not None and into.size == size and into.dtype == "f4":
        into.write(data)
        mark_written(into)
        return into
    if into is not None:
        into.release()
    texture = ctx.texture(size, 1, data, dtype="f4")
    mark_written(texture)
    set_sampling(texture)
    return texture


class Readback:
    """Read a texture back without stalling the frame: the copy goes into a pixel buffer now
    and is collected a couple of frames later, when the GPU has long finished it."""

    def __init__(self, ctx: moderngl.Context, texture: moderngl.Texture, frames: int = 2,
                 buffer: moderngl.Buffer | None = None):
        """``buffer``: one of the right size to read into (a pool's), else a new one."""
        self.size = texture.size
        self.components = texture.components
        self.buffer = buffer or ctx.buffer(reserve=texture.size[0] * texture.size[1] * self.components)
        texture.read_into(self.buffer, alignment=1)
        self.frames_left = frames

    def tick(self) -> bool:
        """Call once a frame; True when the pixels may be collected."""
        self.frames_left -= 1
        return self.frames_left <= 0

    def collect(self) -> np.ndarray:
        """uint8 H×W×4, row 0 = top. The buffer stays: its owner pools or releases it."""
        return rows_top_first(self.buffer.read(), self.size, self.components)


def rows_top_first(raw, size: tuple[int, int], components: int = 4) -> np.ndarray:
    """8-bit pixels read from GL (bottom row first; bytes or an array) as H×W×4, row 0 = top;
    three components (a screen read as RGB) are widened with alpha 255."""
    rows = np.frombuffer(raw, np.uint8).reshape(size[1], size[0], components)[::-1]
    return rows.copy() if components == 4 else as_rgba(rows)
