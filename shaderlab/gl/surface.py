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


def as_rgba(image: np.ndarray) -> np.ndarray:
    """An H×W, H×W×3 or H×W×4 uint8 array as contiguous H×W×4 (alpha 255 where absent)."""
    if image.dtype != np.uint8:
        raise TypeError(f"images must be uint8 arrays, not {image.dtype}")
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError(f"images must be H×W, H×W×3 or H×W×4, not {image.shape}")
    if image.shape[2] == 4:
        return np.ascontiguousarray(image)
    out = np.empty(image.shape[:2] + (4,), np.uint8)
    out[:, :, :3] = image  # a grey channel broadcasts into r, g and b
    out[:, :, 3] = 255
    return out


def upload(ctx: moderngl.Context, image: np.ndarray, into: moderngl.Texture | None = None,
           staging: np.ndarray | None = None) -> moderngl.Texture:
    """Upload an image into ``into`` when it has the right size, else into a new texture.

    RGB stays three channels (shaders read alpha 1): the GL widens it several times faster
    than numpy can (5 ms against 14 at 1080p on llvmpipe). ``staging``, an array of the image's
    shape kept by the caller, takes the rows flipped for GL (a new array each frame costs its
    page faults: a few ms at 1080p)."""
    pixels = image if image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] in (3, 4) else as_rgba(image)
    components = pixels.shape[2]
    size = (pixels.shape[1], pixels.shape[0])
    if staging is not None and staging.shape == pixels.shape and staging.dtype == np.uint8 and staging.flags.c_contiguous:
        np.copyto(staging, pixels[::-1])
        data = staging
    else:
        data = np.ascontiguousarray(pixels[::-1])
    if into is not None and into.size == size and into.dtype == "f1" and into.components == components:
        into.write(data, alignment=1)
        mark_written(into)
        return into
    if into is not None:
        into.release()
    texture = ctx.texture(size, components, data, alignment=1)
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

    def __init__(self, ctx: moderngl.Context, texture: moderngl.Texture, frames: int = 2):
        self.size = texture.size
        self.components = texture.components  # 3: an uploaded RGB picture shown as it is
        self.buffer = ctx.buffer(reserve=texture.size[0] * texture.size[1] * self.components)
        texture.read_into(self.buffer, alignment=1)
        self.frames_left = frames

    def tick(self) -> bool:
        """Call once a frame; True when the pixels may be collected."""
        self.frames_left -= 1
        return self.frames_left <= 0

    def collect(self) -> np.ndarray:
        """uint8 H×W×4, row 0 = top; releases the buffer."""
        raw = self.buffer.read()
        self.buffer.release()
        return rows_top_first(raw, self.size, self.components)


def rows_top_first(raw, size: tuple[int, int], components: int = 4) -> np.ndarray:
    """8-bit pixels read from GL (bottom row first; bytes or an array) as H×W×4, row 0 = top;
    three components (an uploaded RGB picture) are widened with alpha 255."""
    rows = np.frombuffer(raw, np.uint8).reshape(size[1], size[0], components)[::-1]
    return rows.copy() if components == 4 else as_rgba(rows)
