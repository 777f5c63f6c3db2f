"""Audio for the show: analysis (FFT bands, onsets, tempo) and sources (files; devices come
with the sounddevice extra). Numpy only here: the stage turns features into textures."""
