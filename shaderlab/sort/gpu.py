"""The GPU pixel sort: a native effect of compute programs (OpenGL 4.3).

settled: one work-group per line builds interval starts (a max-scan), bitonic-sorts
(interval start, key, position) words in a storage buffer and gathers the pixels: the result
is that of a stable sort, identical to the public `pixelsort` package for angle 0.

auto: the interval starts are computed once from the input, then every frame runs `steps`
odd-even transposition steps on a canvas, so pixels visibly flow into place; run to
convergence it equals settled.
"""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

from shaderlab.errors import EffectError, ShaderError
from shaderlab.gl.surface import Surface
from shaderlab.gl.uniforms import set_uniform
from shaderlab.isf.header import EffectSpec
from shaderlab.render.clock import FrameTime
from shaderlab.sort.keys import KEY_RANGE_BITS, KEYS, hue_rank_table, lightness_bounds
from shaderlab.sort.fragment import FragmentPasses, compile_stages
from shaderlab.sort.options import DIRECTIONS, INTERVALS, SortOptions, line_geometry

#: The HALO of pixelsort_steps.comp: odd-even steps one dispatch can run.
STEPS_PER_DISPATCH = 16
#: Longest line the bitonic sort keeps in shared memory (8 bytes a pixel: 16 KiB).
SHARED_LINE = 2048
#: Interval starts are packed into 13 bits of the sort word.
MAX_LINE = 8192

_HEADER = "#version 430\n"


class PixelSortEffect:
    """The programs, shared by every pixelsort instance of a context.

    ``algorithm``: "bitonic" (work-group per line; GPUs), "counting" (invocation per line; CPU
    rasterizers such as llvmpipe) or "fragment" (fragment passes; contexts below 4.3).
    """

    def __init__(self, ctx: moderngl.Context, spec: EffectSpec):
        self.ctx = ctx
        self.spec = spec
        self.folder = spec.path.parent / "native"
        self.common = (self.folder / "pixelsort_common.glsl").read_text()
        self._hue_ranks: moderngl.Texture | None = None
        self._no_table: moderngl.Texture | None = None
        self.all_sortable = ctx.texture((1, 1), 4, b"\xff" * 4)
        self._fragment_programs: dict[str, moderngl.Program] | None = None
        self.compute = ctx.version_code >= 430
        if not self.compute:
            self.algorithm = "fragment"
            return
        common = self.common
        settled = (self.folder / "pixelsort_settled.comp").read_text()
        steps = (self.folder / "pixelsort_steps.comp").read_text()
        self.starts_program = self._compile(self.folder / "pixelsort_settled.comp", "#define SEGMENTS_ONLY\n" + common + settled)
        self.step_program = self._compile(self.folder / "pixelsort_steps.comp", common + steps)
        self.bitonic_program = self._compile(self.folder / "pixelsort_settled.comp", common + settled)
        try:  # lines up to SHARED_LINE sort in shared memory where the device has room for it
            self.bitonic_shared_program: moderngl.ComputeShader | None = self._compile(
                self.folder / "pixelsort_settled.comp", f"#define SHARED_ITEMS {SHARED_LINE}\n" + common + settled
            )
        except ShaderError:
            self.bitonic_shared_program = None
        counting = (self.folder / "pixelsort_counting.comp").read_text()
        self.counting_program = self._compile(self.folder / "pixelsort_counting.comp", common + counting)
        # Bitonic work-groups suit GPUs; a line per invocation, counting, suits CPU rasterizers.
        software = "llvmpipe" in ctx.info["GL_RENDERER"] or "softpipe" in ctx.info["GL_RENDERER"]
        self.algorithm = "counting" if software else "bitonic"

    @property
    def hue_ranks(self) -> moderngl.Texture:
        """The hue rank table as a texture, built on first use (it takes ~0.1 s)."""
        if self._hue_ranks is None:
            self._hue_ranks = self.ctx.texture((1536, 256), 1, hue_rank_table().tobytes(), dtype="u4")
            self._hue_ranks.filter = (moderngl.NEAREST, moderngl.NEAREST)
        return self._hue_ranks

    def key_table(self, options: SortOptions) -> moderngl.Texture:
        """What the programs' hueRanks sampler needs: the table for hue, else any uint texture."""
        if options.key == "hue":
            return self.hue_ranks
        if self._no_table is None:
            self._no_table = self.ctx.texture((1, 1), 1, bytes(4), dtype="u4")
            self._no_table.filter = (moderngl.NEAREST, moderngl.NEAREST)
        return self._no_table

    @property
    def fragment_programs(self) -> dict[str, moderngl.Program]:
        """The fragment-pass programs, compiled when first needed."""
        if self._fragment_programs is None:
            source = (self.folder / "pixelsort_fragment.glsl").read_text()
            path = self.folder / "pixelsort_fragment.glsl"

            def error(stage: str, exc: Exception) -> ShaderError:
                detail = next((l for l in str(exc).splitlines() if "error" in l.lower()), str(exc))
                return ShaderError(f"{path} ({stage}): {detail.strip()}")

            self._fragment_programs = compile_stages(self.ctx, self.common, source, error)
        return self._fragment_programs

    def _compile(self, path, source: str) -> moderngl.ComputeShader:
        try:
            return self.ctx.compute_shader(_HEADER + source)
        except moderngl.Error as exc:
            detail = next((l for l in str(exc).splitlines() if "error" in l.lower()), str(exc))
            raise ShaderError(f"{path}: {detail.strip()}") from None

    def needs_input(self, name: str, params: dict[str, Any]) -> bool:
        """Only depth intervals read the depth map (so no depth is estimated for the others)."""
        return name != "depthImage" or SortOptions.from_params(params).interval == "depth"

    def instance(self, size: tuple[int, int]) -> "PixelSortInstance":
        return PixelSortInstance(self, size)

    def configure(self, program: moderngl.ComputeShader, options: SortOptions, size: tuple[int, int]) -> None:
        """Set the uniforms every pixel sort program shares."""
        length, count = line_geometry(size, options.direction)
        low, high = lightness_bounds(options.lower, options.upper)
        values = {
            "imageSize_": size,
            "direction": DIRECTIONS.index(options.direction),
            "lineLength": length,
            "lineCount": count,
            "keyKind": KEYS.index(options.key),
            "intervalKind": INTERVALS.index(options.interval),
            "lowSum": low,
            "highSum": high,
            "reverseKey": options.reverse,
            "keyMax": (1 << KEY_RANGE_BITS[options.key]) - 1,
            "seed": options.seed & 0xFFFFFFFF,
            "randomThreshold": min(2**32 - 1, int(2**32 / options.char_length)),
            "wavePeriod": max(1, int(round(options.char_length))),
            "randomnessCut": int(round(options.randomness * 100)),
            "lowerDepth": options.lower,
            "upperDepth": options.upper,
        }
        for name, value in values.items():
            set_uniform(program, name, value)

    def release(self) -> None:
        programs = list((self._fragment_programs or {}).values())
        if self.compute:
            programs += [self.bitonic_program, self.counting_program, self.starts_program, self.step_program]
            programs += [self.bitonic_shared_program] if self.bitonic_shared_program else []
        for program in programs:
            program.release()
        for texture in (self._hue_ranks, self._no_table, self.all_sortable):
            if texture is not None:
                texture.release()


class PixelSortInstance:
    """One pixelsort in one chain: its output, and for auto mode its canvas and intervals."""

    def __init__(self, effect: PixelSortEffect, size: tuple[int, int]):
        self.effect = effect
        self.ctx = effect.ctx
        self.size = size
        self.output = Surface(self.ctx, size)
        self._items: moderngl.Buffer | None = None
        self._canvas: list[Surface] = []
        self._starts: moderngl.Texture | None = None
        self._auto_for: SortOptions | None = None  # options the canvas and starts were made for
        self._parity = 0
        self._fresh = True  # the next step reads the input, not the canvas
        self.steps_done = 0
        self._swaps = self.ctx.buffer(bytes(4))  # work-groups that swapped since the last check
        self._passes: FragmentPasses | None = None  # the fragment-pass path, when used

    # --- the chain calls this ------------------------------------------------------------

    def run(
        self,
        source: moderngl.Texture,
        current: moderngl.Texture,
        params: dict[str, Any],
        images: dict[str, moderngl.Texture],
        frame: FrameTime,
    ) -> moderngl.Texture:
        options = SortOptions.from_params(params)
        mask = self._mask(options, images.get("depthImage" if options.interval == "depth" else "mask"))
        if int(params["mode"]) == 0:
            self.sort(current, options, mask, self.output)
            return self.output.texture
        if params.get("live") or options != self._auto_for:
            self.restart(current, options, mask)
        return self.advance(current, options, int(params["steps"]))

    # --- settled ---------------------------------------------------------------------------

    def sort(
        self,
        image: moderngl.Texture,
        options: SortOptions,
        mask: moderngl.Texture,
        into: Surface,
    ) -> None:
        """Sort ``image`` into ``into`` (both of this instance's size)."""
        length, count = line_geometry(self.size, options.direction)
        algorithm = self.effect.algorithm
        if algorithm == "fragment":
            self._fragment().sort(image, options, mask, into)
            return
        if algorithm == "counting":
            program = self.effect.counting_program
            self.effect.configure(program, options, self.size)
            program["keyBits"].value = KEY_RANGE_BITS[options.key]
            items = self._buffer(count * (4 * length + 1024) * 4)
            groups = (count + 7) // 8
        else:
            padded = 1 << max(1, (length - 1).bit_length())
            shared = self.effect.bitonic_shared_program
            program = shared if shared is not None and padded <= SHARED_LINE else self.effect.bitonic_program
            self.effect.configure(program, options, self.size)
            program["padded"].value = padded
            items = self._buffer(count * padded * 8)
            groups = count
        self._bind(image, options, mask)
        into.texture.bind_to_image(0, read=False, write=True)
        items.bind_to_storage_buffer(0)
        program.run(group_x=groups)
        self.ctx.memory_barrier()

    # --- auto ------------------------------------------------------------------------------

    def restart(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture) -> None:
        """Take intervals from ``image`` and start flowing from it."""
        if not self._canvas:
            self._canvas = [Surface(self.ctx, self.size), Surface(self.ctx, self.size)]
        self._auto_for = options
        self._fresh = True
        self._parity = 0
        self.steps_done = 0
        if self.effect.algorithm == "fragment":
            self._fragment().remember_starts(image, options, mask)
            return
        length, count = line_geometry(self.size, options.direction)
        if self._starts is None or self._starts.size != (length, count):
            if self._starts is not None:
                self._starts.release()
            self._starts = self.ctx.texture((length, count), 1, dtype="u4")
            self._starts.filter = (moderngl.NEAREST, moderngl.NEAREST)
        padded = 1 << max(1, (length - 1).bit_length())
        program = self.effect.starts_program
        self.effect.configure(program, options, self.size)
        program["padded"].value = padded
        self._bind(image, options, mask)
        self._starts.bind_to_image(0, read=False, write=True)
        self._buffer(count * padded * 8).bind_to_storage_buffer(0)
        program.run(group_x=count)
        self.ctx.memory_barrier()

    def advance(self, image: moderngl.Texture, options: SortOptions, steps: int) -> moderngl.Texture:
        """Run ``steps`` odd-even steps; returns the canvas."""
        if self.effect.algorithm == "fragment":
            for _ in range(steps):
                read = image if self._fresh else self._canvas[0].texture
                self._fragment().step(read, options, self._parity, self._canvas[1])
                self._canvas.reverse()
                self._parity ^= 1
                self._fresh = False
                self.steps_done += 1
            return self.canvas(image)
        length, count = line_geometry(self.size, options.direction)
        program = self.effect.step_program
        self.effect.configure(program, options, self.size)
        self.effect.key_table(options).use(location=1)
        self._starts.use(location=3)
        self._swaps.bind_to_storage_buffer(1)
        while steps > 0:
            batch = min(steps, STEPS_PER_DISPATCH)
            read = image if self._fresh else self._canvas[0].texture
            read.use(location=0)
            self._canvas[1].texture.bind_to_image(0, read=False, write=True)
            program["parity"].value = self._parity
            program["stepCount"].value = batch
            program.run(group_x=(length + 511) // 512, group_y=(count + 7) // 8)
            self.ctx.memory_barrier()
            self._canvas.reverse()
            self._parity ^= batch & 1
            self._fresh = False
            self.steps_done += batch
            steps -= batch
        return self.canvas(image)

    def canvas(self, image: moderngl.Texture) -> moderngl.Texture:
        """What auto mode shows now: the canvas, or the input before the first step."""
        return image if self._fresh else self._canvas[0].texture

    def settle(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture) -> moderngl.Texture:
        """Sort ``image`` fully onto the canvas (the window's shift+arrow); returns the canvas."""
        self.restart(image, options, mask)
        self.sort(image, options, mask, self._canvas[1])
        self._canvas.reverse()
        self._fresh = False
        return self._canvas[0].texture

    def moved_since_last_check(self) -> bool:
        """Did any step swap pixels since the last call? (A 4-byte read; call it now and then.)"""
        if self.effect.algorithm == "fragment":  # no counter: settled for sure after a line's length
            return self._auto_for is None or self.steps_done < line_geometry(self.size, self._auto_for.direction)[0]
        moved = int.from_bytes(self._swaps.read(), "little") > 0
        self._swaps.write(bytes(4))
        return moved

    # --- helpers ---------------------------------------------------------------------------

    def _mask(self, options: SortOptions, mask: moderngl.Texture | None) -> moderngl.Texture:
        length, _ = line_geometry(self.size, options.direction)
        if length > MAX_LINE:
            raise EffectError(f"pixelsort: lines of {length} pixels are longer than the {MAX_LINE} it can sort")
        if options.interval not in ("mask", "depth"):
            return self.effect.all_sortable
        what = "mask" if options.interval == "mask" else "depth map"
        if mask is None:
            raise EffectError(
                "pixelsort: interval=mask needs a mask image (white = sortable)"
                if what == "mask"
                else "pixelsort: interval=depth needs a depth map"
            )
        if mask.size != self.size:
            raise EffectError(
                f"pixelsort: the {what} is {mask.size[0]}×{mask.size[1]} but the image is "
                f"{self.size[0]}×{self.size[1]}; they must be the same size"
            )
        return mask

    def _fragment(self) -> FragmentPasses:
        if self._passes is None:
            self._passes = FragmentPasses(self.effect, self.size)
        return self._passes

    def _bind(self, image: moderngl.Texture, options: SortOptions, mask: moderngl.Texture) -> None:
        image.use(location=0)
        self.effect.key_table(options).use(location=1)
        mask.use(location=2)

    def _buffer(self, size: int) -> moderngl.Buffer:
        if self._items is None or self._items.size < size:
            if self._items is not None:
                self._items.release()
            self._items = self.ctx.buffer(reserve=size)
        return self._items

    def release(self) -> None:
        self.output.release()
        for surface in self._canvas:
            surface.release()
        if self._items is not None:
            self._items.release()
        if self._starts is not None:
            self._starts.release()
        if self._passes is not None:
            self._passes.release()
        self._swaps.release()


def mask_from_pixels(pixels: np.ndarray) -> np.ndarray:
    """The rule the GPU applies to a mask image: sortable where red >= 128."""
    channel = pixels if pixels.ndim == 2 else pixels[..., 0]
    return channel >= 128
