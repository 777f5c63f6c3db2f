"""Shadertoy code, unchanged: ``mainImage`` files and multipass Buffer A–D + Image manifests."""
