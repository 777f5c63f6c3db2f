"""The random-network generator as a native effect: weights from numpy, pixels from the GPU.

All the grid's networks live in one uniform buffer, a network every ``stride`` bytes; each tile
is one draw with its viewport and its slice of the buffer bound. Weights are rebuilt only when
a value that shapes them changes, or every frame while the weights animate.
"""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

from shaderlab.errors import ShaderError
from shaderlab.gl.surface import Surface
from shaderlab.gl.uniforms import set_uniform
from shaderlab.isf.glsl import GLSL_VERSION, VERTEX_SHADER
from shaderlab.isf.header import EffectSpec
from shaderlab.networks.weights import NETWORK_FLOATS, Shape, blend_packed, pack, random_network, tile_boxes, tile_seed
from shaderlab.render.clock import FrameTime

STILL, TIME_INPUT, WEIGHTS = 0, 1, 2
GAP_COLOUR = (0.05, 0.05, 0.06, 1.0)


def shape_of(params: dict[str, Any]) -> Shape:
    return Shape(int(params["depth"]), int(params["width"]), int(params["activation"]), float(params["gain"]))


def tile_networks(params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray | None]:
    """Every tile's packed network, (tiles, NETWORK_FLOATS) float32, and when the weights
    animate the partner networks they turn toward (else None)."""
    shape = shape_of(params)
    seeds = [tile_seed(params["seed"], k) for k in range(int(params["grid"]) ** 2)]
    networks = np.stack([pack(random_network(seed, shape)) for seed in seeds])
    if int(params["animate"]) != WEIGHTS:
        return networks, None
    return networks, np.stack([pack(random_network(seed, shape, stream=1)) for seed in seeds])


def time_input(params: dict[str, Any], time: float) -> float:
    """The network's fourth input: a slow swing while "time input" animates, else 0."""
    return float(2.0 * np.sin(time * float(params["speed"]))) if int(params["animate"]) == TIME_INPUT else 0.0


class RandomNetworkEffect:
    def __init__(self, ctx: moderngl.Context, spec: EffectSpec):
        self.ctx = ctx
        self.spec = spec
        path = spec.path.parent / "native" / "random_network.glsl"
        try:
            self.program = ctx.program(vertex_shader=VERTEX_SHADER, fragment_shader=f"{GLSL_VERSION}\n#line 1\n{path.read_text()}")
        except moderngl.Error as exc:
            detail = next((line for line in str(exc).splitlines() if "error" in line.lower()), str(exc))
            raise ShaderError(f"{path}: {detail.strip()}") from None
        self.program["Network"].binding = 0
        self.vertex_array = ctx.vertex_array(self.program, [])
        alignment = max(256, int(ctx.info.get("GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT", 256)))
        self.stride = -(-NETWORK_FLOATS * 4 // alignment) * alignment

    def instance(self, size: tuple[int, int]) -> "RandomNetworkInstance":
        return RandomNetworkInstance(self, size)

    def release(self) -> None:
        self.vertex_array.release()
        self.program.release()


class RandomNetworkInstance:
    def __init__(self, effect: RandomNetworkEffect, size: tuple[int, int]):
        self.effect = effect
        self.size = size
        self.surface = Surface(effect.ctx, size)
        self.buffer: moderngl.Buffer | None = None
        # The networks of the current values (made when they change, not every frame), and
        # what the buffer holds: (those values, the animation angle or None).
        self._networks: tuple[np.ndarray, np.ndarray | None] | None = None
        self._networks_for: tuple | None = None
        self._uploaded: tuple | None = None

    def run(
        self,
        source: moderngl.Texture,
        current: moderngl.Texture,
        params: dict[str, Any],
        images: dict[str, moderngl.Texture],
        frame: FrameTime,
    ) -> moderngl.Texture:
        effect, ctx = self.effect, self.effect.ctx
        grid = int(params["grid"])
        self._upload(params, frame.time)
        program = effect.program
        set_uniform(program, "scale", float(params["scale"]))
        set_uniform(program, "useRadius", bool(params["radius"]))
        set_uniform(program, "timeInput", time_input(params, frame.time))
        self.surface.framebuffer.use()
        ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        ctx.scissor = None
        self.surface.framebuffer.clear(*GAP_COLOUR)
        height = self.size[1]
        for k, (left, top, w, h) in enumerate(tile_boxes(self.size, grid)):
            bottom = height - top - h
            self.buffer.bind_to_uniform_block(0, offset=k * effect.stride, size=NETWORK_FLOATS * 4)
            set_uniform(program, "tileRect", (float(left), float(bottom), float(w), float(h)))
            ctx.viewport = (left, bottom, w, h)
            effect.vertex_array.render(moderngl.TRIANGLES, vertices=3)
        return self.surface.texture

    def _upload(self, params: dict[str, Any], time: float) -> None:
        """Make the networks when their values change; while the weights animate, only blend
        them each frame."""
        keys = ("seed", "depth", "width", "activation", "gain", "grid", "animate")
        values = tuple(params[k] for k in keys)
        if values != self._networks_for:
            self._networks, self._networks_for = tile_networks(params), values
        networks, partners = self._networks
        angle = None if partners is None else time * float(params["speed"])
        if (values, angle) == self._uploaded:
            return
        packed = networks if partners is None else blend_packed(networks, partners, angle)
        stride_floats = self.effect.stride // 4
        data = np.zeros((len(packed), stride_floats), np.float32)
        data[:, :NETWORK_FLOATS] = packed
        if self.buffer is None or self.buffer.size != data.nbytes:
            if self.buffer is not None:
                self.buffer.release()
            self.buffer = self.effect.ctx.buffer(data.tobytes())
        else:
            self.buffer.write(data.tobytes())
        self._uploaded = (values, angle)

    def release(self) -> None:
        self.surface.release()
        if self.buffer is not None:
            self.buffer.release()
