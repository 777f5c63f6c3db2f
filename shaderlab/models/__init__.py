"""Depth and image models: local ONNX files (optional extra `onnx`); hosted providers come later."""
