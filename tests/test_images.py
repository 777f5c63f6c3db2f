"""Image loading: every Pillow mode, EXIF orientation, size caps and broken files."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from conftest import IMAGES, photo
from shaderlab.errors import ImageError
from shaderlab.io.images import MAX_PIXELS, load_image


@pytest.fixture(scope="module")
def chelsea():
    return photo("chelsea.png")


@pytest.mark.parametrize("mode", ["L", "LA", "P", "RGBA", "CMYK", "I;16", "1"])
def test_every_mode_loads_as_uint8_rgb_or_rgba(tmp_path, chelsea, mode):
    source = Image.fromarray(chelsea)
    if mode == "I;16":
        grey = np.asarray(source.convert("L")).astype(np.uint16) * 257  # 0..65535
        converted = Image.fromarray(grey)  # uint16 arrays become mode I;16
        assert converted.mode == "I;16"
    else:
        converted = source.convert(mode)
    suffix = ".tif" if mode == "CMYK" else ".png"
    path = tmp_path / f"image{suffix}"
    converted.save(path)
    loaded = load_image(path)
    pixels = loaded.pixels
    assert pixels.dtype == np.uint8
    assert pixels.shape[:2] == chelsea.shape[:2]
    assert pixels.shape[2] == (4 if mode in ("LA", "RGBA") else 3)
    if mode in ("L", "I;16"):
        expected = np.asarray(source.convert("L"))
        assert np.abs(pixels[..., 0].astype(int) - expected).max() <= 1
        assert np.array_equal(pixels[..., 0], pixels[..., 2])
    if mode == "RGBA":
        assert np.array_equal(pixels[..., :3], chelsea)


def test_palette_image_with_transparency_keeps_alpha(tmp_path):
    image = Image.new("P", (8, 4))
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    image.paste(1, (0, 0, 4, 4))
    image.info["transparency"] = 1
    path = tmp_path / "p.png"
    image.save(path, transparency=1)
    pixels = load_image(path).pixels
    assert pixels.shape == (4, 8, 4)
    assert (pixels[:, :4, 3] == 0).all() and (pixels[:, 4:, 3] == 255).all()
    assert (pixels[:, 4:, :3] == [255, 0, 0]).all()


@pytest.mark.parametrize("orientation, transform", [(3, lambda a: a[::-1, ::-1]), (6, lambda a: np.rot90(a, -1)), (8, lambda a: np.rot90(a, 1))])
def test_exif_orientation_is_applied(tmp_path, chelsea, orientation, transform):
    # A camera that stored the picture rotated says how to turn it back in the EXIF tag.
    stored = {3: chelsea[::-1, ::-1], 6: np.rot90(chelsea, 1), 8: np.rot90(chelsea, -1)}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "rotated.png"
    Image.fromarray(np.ascontiguousarray(stored)).save(path, exif=exif)
    loaded = load_image(path).pixels
    assert np.array_equal(loaded, chelsea)
    assert transform is not None


def test_larger_than_the_texture_limit_is_scaled_down_with_a_warning(chelsea, tmp_path):
    path = tmp_path / "wide.png"
    Image.fromarray(chelsea).save(path)
    loaded = load_image(path, max_side=200)
    assert loaded.size == (200, 133)
    assert "texture limit" in loaded.warnings[0]


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size (its data is a single row): a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda: b"this is not an image", "not an image file"),
        (lambda: (IMAGES / "coffee.png").read_bytes()[:20000], "cannot decode image"),
        (lambda: _png_claiming(12000, 12000), "megapixel limit"),
        (lambda: _png_claiming(60000, 60000), "decompression bomb"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content())
    with pytest.raises(ImageError) as info:
        load_image(path)
    assert message in str(info.value)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ImageError, match="no such image file"):
        load_image(tmp_path / "nope.png")


def test_limit_is_sane():
    assert 50_000_000 <= MAX_PIXELS <= 200_000_000
