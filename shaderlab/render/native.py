"""Native effects: programs that are not a single ISF fragment shader (the pixel sort, the
random networks).

A native effect is declared by a header-only ``NAME.native`` file in a shader folder, parsed
like any ISF header, so the panel, scenes, the CLI and the API need not know the difference.
The chain asks it for an instance per place in the chain and runs that instance.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import moderngl

from shaderlab.errors import ShaderError
from shaderlab.isf.header import EffectSpec
from shaderlab.render.clock import FrameTime


class NativeInstance(Protocol):
    def run(
        self,
        source: moderngl.Texture,
        current: moderngl.Texture,
        params: dict[str, Any],
        images: dict[str, moderngl.Texture],
        frame: FrameTime,
    ) -> moderngl.Texture: ...

    def release(self) -> None: ...


class NativeEffect(Protocol):
    spec: EffectSpec

    def instance(self, size: tuple[int, int]) -> NativeInstance: ...

    def release(self) -> None: ...


def _pixelsort(ctx: moderngl.Context, spec: EffectSpec) -> NativeEffect:
    from shaderlab.sort.gpu import PixelSortEffect

    return PixelSortEffect(ctx, spec)


def _random_network(ctx: moderngl.Context, spec: EffectSpec) -> NativeEffect:
    from shaderlab.networks.effect import RandomNetworkEffect

    return RandomNetworkEffect(ctx, spec)


NATIVE_EFFECTS: dict[str, Callable[[moderngl.Context, EffectSpec], NativeEffect]] = {
    "pixelsort": _pixelsort,
    "random_network": _random_network,
}


def create_native(ctx: moderngl.Context, spec: EffectSpec) -> NativeEffect:
    factory = NATIVE_EFFECTS.get(spec.name)
    if factory is None:
        raise ShaderError(f"{spec.path}:1: no native effect is called {spec.name!r}")
    return factory(ctx, spec)
