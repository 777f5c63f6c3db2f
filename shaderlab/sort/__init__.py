"""Pixel sorting: exact integer sort keys (no GL), a numpy reference sorter, and the GPU effect."""
