"""Random neural networks as images: (x, y, radius, time) → (r, g, b), evaluated per pixel."""
