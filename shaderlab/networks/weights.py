"""Random networks: their weights (numpy, deterministic per seed), their layout for the GPU,
their grid of tiles, and a numpy forward pass that says what the shader must draw.

A network has ``depth`` hidden layers of ``width`` units (padded with zero weights to
``MAX_WIDTH`` so that one shader evaluates every shape), a sigmoid output for r, g, b, and
inputs x, y (the shorter side of a tile spans -scale..scale), radius and a time input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("tanh", "sin", "sigmoid", "gaussian", "relu", "mixed")
MIXED = ACTIVATIONS.index("mixed")
MAX_WIDTH = 16
MAX_DEPTH = 7
INPUTS = 4  # x, y, radius, time
BLOCKS = MAX_WIDTH // 4
#: Floats per network in the uniform block (std140: mat4s and vec4s, then two ivec4s).
_LAYOUT = (
    ("input_weights", BLOCKS * 16),
    ("input_bias", BLOCKS * 4),
    ("hidden_weights", (MAX_DEPTH - 1) * BLOCKS * BLOCKS * 16),
    ("hidden_bias", (MAX_DEPTH - 1) * BLOCKS * 4),
    ("output_weights", BLOCKS * 16),
    ("output_bias", 4),
    ("activations", 8),
)
NETWORK_FLOATS = sum(n for _, n in _LAYOUT)
#: Where the activation codes (ints) start in a packed network: the last layout entry.
ACTIVATIONS_AT = NETWORK_FLOATS - _LAYOUT[-1][1]
#: Gap between grid tiles, in pixels.
GRID_GAP = 2
#: Seeds run 0..1,000,000 (the header of shaders/random_network.native): a grid's tiles count on
#: from its seed and wrap past the end, so every tile shown is a seed a scene can hold.
SEEDS = 1_000_001


@dataclass(frozen=True)
class Shape:
    depth: int = 4
    width: int = 12
    activation: int = 0  # an index into ACTIVATIONS
    gain: float = 4.0  # weight scale: higher gives busier, harder-edged pictures


@dataclass
class Network:
    """Weights as the maths reads them: W @ inputs + b, padded to MAX_WIDTH units."""

    input_weights: np.ndarray  # (MAX_WIDTH, INPUTS)
    input_bias: np.ndarray  # (MAX_WIDTH,)
    hidden_weights: np.ndarray  # (MAX_DEPTH - 1, MAX_WIDTH, MAX_WIDTH)
    hidden_bias: np.ndarray  # (MAX_DEPTH - 1, MAX_WIDTH)
    output_weights: np.ndarray  # (3, MAX_WIDTH)
    output_bias: np.ndarray  # (3,)
    activations: tuple[int, ...]  # one per hidden layer
    depth: int


def random_network(seed: int, shape: Shape, stream: int = 0) -> Network:
    """The network of ``seed``: the same seed and shape always give the same weights.

    ``stream`` 1 gives a second, independent network of the same shape (the partner that
    weight animation turns toward)."""
    depth = min(max(int(shape.depth), 1), MAX_DEPTH)
    width = min(max(int(shape.width), 1), MAX_WIDTH)
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0x5EED, stream])
    gain = float(shape.gain)

    def layer(outputs: int, inputs: int, fan_in: int) -> tuple[np.ndarray, np.ndarray]:
        weights = np.zeros((outputs, inputs), np.float32)
        bias = np.zeros(outputs, np.float32)
        weights[:, :fan_in] = rng.normal(0.0, gain / np.sqrt(fan_in), (outputs, fan_in))
        bias[:] = rng.normal(0.0, 0.5 * gain, outputs)
        return weights, bias

    input_weights, input_bias = np.zeros((MAX_WIDTH, INPUTS), np.float32), np.zeros(MAX_WIDTH, np.float32)
    input_weights[:width], input_bias[:width] = layer(width, INPUTS, INPUTS)
    hidden_weights = np.zeros((MAX_DEPTH - 1, MAX_WIDTH, MAX_WIDTH), np.float32)
    hidden_bias = np.zeros((MAX_DEPTH - 1, MAX_WIDTH), np.float32)
    for index in range(depth - 1):
        w, b = layer(width, MAX_WIDTH, width)
        hidden_weights[index, :width], hidden_bias[index, :width] = w, b
    output_weights, output_bias = layer(3, MAX_WIDTH, width)
    if shape.activation == MIXED:
        activations = tuple(int(a) for a in rng.integers(0, MIXED, depth))
    else:
        activations = (int(shape.activation),) * depth
    return Network(input_weights, input_bias, hidden_weights, hidden_bias, output_weights, output_bias, activations, depth)


def pack(network: Network) -> np.ndarray:
    """The uniform block of one network (float32, NETWORK_FLOATS; ints stored bit-for-bit)."""

    def blocks(weights: np.ndarray) -> np.ndarray:
        """(4i.., 4j..) blocks as GLSL mat4s: column-major, so each block is stored transposed."""
        rows, cols = weights.shape
        tiles = weights.reshape(rows // 4, 4, cols // 4, 4).transpose(0, 2, 3, 1)
        return tiles.reshape(-1)

    output = np.zeros((4, MAX_WIDTH), np.float32)
    output[:3] = network.output_weights
    activations = np.zeros(8, np.int32)
    activations[: network.depth] = network.activations
    activations[7] = network.depth
    parts = [
        blocks(network.input_weights),  # (16, 4): one mat4 per block of four units
        network.input_bias,
        np.concatenate([blocks(w) for w in network.hidden_weights]),
        network.hidden_bias.reshape(-1),
        blocks(output),
        np.append(network.output_bias, 0.0).astype(np.float32),
        activations.view(np.float32),
    ]
    packed = np.concatenate([np.asarray(p, np.float32).reshape(-1) for p in parts])
    assert packed.size == NETWORK_FLOATS
    return packed


def blend_packed(packed: np.ndarray, partners: np.ndarray, angle: float) -> np.ndarray:
    """cos·packed + sin·partners, row by row: weights move on a circle toward the partner
    network, so their spread never changes. Packing is linear, so blending packed weights is
    blending the networks; the activations (ints stored bit for bit) are the first network's."""
    blended = (np.cos(angle) * packed + np.sin(angle) * partners).astype(np.float32)
    blended[..., ACTIVATIONS_AT:] = packed[..., ACTIVATIONS_AT:]
    return blended


def activate(values: np.ndarray, kind: int) -> np.ndarray:
    if kind == 0:
        return np.tanh(values)
    if kind == 1:
        return np.sin(values)
    if kind == 2:
        return 1.0 / (1.0 + np.exp(-values))
    if kind == 3:
        return np.exp(-values * values)
    return np.maximum(values, 0.0)


def coordinates(size: tuple[int, int], scale: float, radius: bool) -> np.ndarray:
    """Network inputs for every pixel of a tile, row 0 = top: (H, W, 3) of x, y, radius."""
    w, h = size
    half = min(w, h) / 2.0
    xs = (np.arange(w) + 0.5 - w / 2.0) / half * scale
    ys = (h / 2.0 - (np.arange(h) + 0.5)) / half * scale
    x, y = np.meshgrid(xs, ys)
    r = np.sqrt(x * x + y * y) if radius else np.zeros_like(x)
    return np.stack([x, y, r], axis=-1)


def evaluate(network: Network, inputs: np.ndarray, time_input: float = 0.0) -> np.ndarray:
    """The network on (…, 3) inputs (x, y, radius): (…, 3) colours in 0..1, in float64."""
    t = np.full(inputs.shape[:-1] + (1,), time_input)
    h = np.concatenate([inputs, t], axis=-1) @ network.input_weights.T.astype(np.float64) + network.input_bias
    h = activate(h, network.activations[0])
    for layer in range(network.depth - 1):
        h = h @ network.hidden_weights[layer].T.astype(np.float64) + network.hidden_bias[layer]
        h = activate(h, network.activations[layer + 1])
    out = h @ network.output_weights.T.astype(np.float64) + network.output_bias
    return 1.0 / (1.0 + np.exp(-out))


def tile_boxes(size: tuple[int, int], grid: int) -> list[tuple[int, int, int, int]]:
    """The grid's tiles as (left, top, width, height) from the top-left, row by row."""
    w, h = size
    grid = max(1, int(grid))
    gap = GRID_GAP if grid > 1 else 0
    edges = lambda total, k: (round(k * (total + gap) / grid), round((k + 1) * (total + gap) / grid) - gap)  # noqa: E731
    boxes = []
    for row in range(grid):
        top, bottom = edges(h, row)
        for col in range(grid):
            left, right = edges(w, col)
            boxes.append((left, top, max(1, right - left), max(1, bottom - top)))
    return boxes


def tile_seed(seed: int, tile: int) -> int:
    """The seed of tile ``tile`` of a grid whose first tile is ``seed``."""
    return (int(seed) + int(tile)) % SEEDS


def tile_at(point: tuple[float, float], size: tuple[int, int], grid: int) -> int | None:
    """The index of the tile under an image point, or None (a gap, or outside)."""
    for index, (left, top, w, h) in enumerate(tile_boxes(size, grid)):
        if left <= point[0] < left + w and top <= point[1] < top + h:
            return index
    return None
