"""Files in and out: images (any Pillow mode, orientation, size caps) and saving without overwrite."""
