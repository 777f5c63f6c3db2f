"""Pan and zoom of the picture in the window: a look at the output, never a change to it.

Coordinates: window pixels from the top-left corner; image pixels from the image's top-left.
``scale`` is window pixels per image pixel; ``None`` means "fit", which follows the window.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How far the wheel can zoom: from a thumbnail to one image pixel per 64 window pixels.
MIN_SCALE, MAX_SCALE = 0.02, 64.0


@dataclass(frozen=True)
class Area:
    """Where the picture may be drawn: the window beside the panel."""

    left: float
    top: float
    width: float
    height: float


@dataclass
class View:
    scale: float | None = None  # None: fit the area
    centre: tuple[float, float] | None = None  # image point at the area's centre; None: middle

    def fit(self) -> None:
        self.scale = None
        self.centre = None

    def actual_size(self, image: tuple[int, int]) -> None:
        """1:1 — one image pixel to one window pixel, about the point now in the middle."""
        self.centre = self._centre(image)
        self.scale = 1.0

    def current_scale(self, image: tuple[int, int], area: Area) -> float:
        if self.scale is not None:
            return self.scale
        return min(area.width / image[0], area.height / image[1])

    def placement(self, image: tuple[int, int], area: Area) -> tuple[float, float, float, float]:
        """The picture's rectangle in the window: (left, top, width, height), maybe off-screen."""
        scale = self.current_scale(image, area)
        cx, cy = self._centre(image)
        left = area.left + area.width / 2 - cx * scale
        top = area.top + area.height / 2 - cy * scale
        return left, top, image[0] * scale, image[1] * scale

    def to_image(self, point: tuple[float, float], image: tuple[int, int], area: Area) -> tuple[float, float]:
        """The image point under a window point (may lie outside the image)."""
        left, top, width, _ = self.placement(image, area)
        scale = width / image[0]
        return (point[0] - left) / scale, (point[1] - top) / scale

    def zoom_at(self, point: tuple[float, float], factor: float, image: tuple[int, int], area: Area) -> None:
        """Zoom by ``factor`` keeping the image point under ``point`` where it is."""
        fixed = self.to_image(point, image, area)
        scale = min(max(self.current_scale(image, area) * factor, MIN_SCALE), MAX_SCALE)
        offset_x = point[0] - (area.left + area.width / 2)
        offset_y = point[1] - (area.top + area.height / 2)
        self.scale = scale
        self.centre = (fixed[0] - offset_x / scale, fixed[1] - offset_y / scale)

    def pan(self, delta: tuple[float, float], image: tuple[int, int], area: Area) -> None:
        """Move the picture by ``delta`` window pixels."""
        scale = self.current_scale(image, area)
        cx, cy = self._centre(image)
        self.scale = scale
        self.centre = (cx - delta[0] / scale, cy - delta[1] / scale)

    def _centre(self, image: tuple[int, int]) -> tuple[float, float]:
        return self.centre if self.centre is not None else (image[0] / 2, image[1] / 2)
