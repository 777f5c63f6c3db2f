"""Where the bundled shaders and assets live: in the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(folder: str) -> Path:
    """``shaders`` or ``assets``: inside the installed package, else at the checkout's top."""
    installed = _PACKAGE / "_data" / folder
    return installed if installed.is_dir() else _PACKAGE.parent / folder


def shaders_dir() -> Path:
    return bundled("shaders")


def assets_dir() -> Path:
    return bundled("assets")


def demo_image() -> Path:
    return assets_dir() / "coffee.png"


def demo_scene() -> Path:
    """What `shaderlab` alone opens: a real photo through a few effects."""
    return assets_dir() / "demo.toml"
