"""Run an ordered list of effects over a source texture, pass by pass.

Each effect instance owns the buffers its passes write (kept while the instance stays in the
chain, so PERSISTENT buffers carry state from frame to frame) and an output surface that the
next effect reads as ``inputImage``. Every pass sets the GL state it needs itself: the window's
imgui renderer leaves blending, scissor and viewport behind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Sequence

import moderngl
import numpy as np

from shaderlab.errors import EffectError
from shaderlab.gl.surface import Surface
from shaderlab.isf.expressions import ExpressionError, evaluate
from shaderlab.isf.header import CHAIN_INPUTS, DEPTH_IMAGE, INPUT_IMAGE, WHEN, EffectSpec  # noqa: F401 (re-exported)
from shaderlab.render.audio_textures import KINDS as AUDIO_KINDS
from shaderlab.render.audio_textures import AudioTextures
from shaderlab.render.clock import TEMPO_UNIFORMS, FrameTime, date_now
from shaderlab.render.compiled import CompiledEffect
from shaderlab.render.fit import Fit
from shaderlab.render.reuse import frame_signature
from shaderlab.render.native import NativeEffect, NativeInstance


@dataclass
class Step:
    """One effect in a chain as the renderer runs it: which instance, its program, its values."""

    key: Hashable
    effect: CompiledEffect | NativeEffect
    params: dict[str, Any] = field(default_factory=dict)
    #: Textures for image inputs given explicitly (others see the source image).
    images: dict[str, moderngl.Texture] = field(default_factory=dict)


class _Buffer:
    """A pass target; persistent ones keep two surfaces so a pass can read its last frame."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], persistent: bool, float_: bool):
        self.front = Surface(ctx, size, float_)
        self.back = Surface(ctx, size, float_) if persistent else self.front
        self.front.clear()
        self.back.clear()

    def swap(self) -> None:
        self.front, self.back = self.back, self.front

    def release(self) -> None:
        self.front.release()
        if self.back is not self.front:
            self.back.release()


def pass_sizes(spec: EffectSpec, size: tuple[int, int], params: dict[str, Any]) -> tuple[tuple[int, int], ...]:
    """Each pass's render size: its WIDTH/HEIGHT expressions over the render size and the
    inputs' values, or the render size. Only passes with a target may differ from it."""
    variables = _variables(size, params)
    sizes = []
    for render_pass in spec.passes:
        if not render_pass.target:
            sizes.append(size)
            continue
        try:
            w = evaluate(render_pass.width, variables) if render_pass.width is not None else size[0]
            h = evaluate(render_pass.height, variables) if render_pass.height is not None else size[1]
        except ExpressionError as exc:
            raise EffectError(f"{spec.path}: PASSES size: {exc}") from None
        # Whole pixels, at least one, and at most MAX_PASS_SCALE × the render size (a typo like
        # "$WIDTH * 100" must not ask the driver for gigabytes) and a texture's limit.
        sizes.append((_pass_side(w, size[0]), _pass_side(h, size[1])))
    return tuple(sizes)


def passes_to_run(spec: EffectSpec, size: tuple[int, int], params: dict[str, Any]) -> tuple[bool, ...]:
    """Which passes run this frame: all but those whose SHADERLAB_WHEN expression is 0.

    Raises :class:`EffectError` where that would leave the output undrawn: the last pass may be
    skipped only if it has no TARGET and an earlier pass without one runs (draws the output)."""
    if all(p.when is None for p in spec.passes):
        return (True,) * len(spec.passes)
    variables = _variables(size, params)
    runs = []
    for render_pass in spec.passes:
        try:
            runs.append(render_pass.when is None or evaluate(render_pass.when, variables) != 0.0)
        except ExpressionError as exc:
            raise EffectError(f"{spec.path}: PASSES {WHEN}: {exc}") from None
    last = spec.passes[-1]
    if not runs[-1] and (last.target or not any(run and not p.target for p, run in zip(spec.passes, runs))):
        raise EffectError(f"{spec.path}: {WHEN} skips the last pass and no other pass draws the output; "
                          "let a pass without a TARGET run whenever the last one does not")
    return tuple(runs)


def _variables(size: tuple[int, int], params: dict[str, Any]) -> dict[str, float]:
    """What PASSES expressions see: $WIDTH, $HEIGHT (the render size) and the number inputs."""
    variables = {"WIDTH": float(size[0]), "HEIGHT": float(size[1])}
    for name, value in params.items():
        if isinstance(value, (bool, int, float)):
            variables[name] = float(value)
    return variables


#: How much larger than the render size a pass may be (supersampling needs 2 or 4).
MAX_PASS_SCALE = 4


def _pass_side(value: float, render_side: int) -> int:
    if not math.isfinite(value):  # evaluate() refuses these; a size must never be int(nan)
        raise EffectError(f"a pass size is {value}, not a finite number")
    return int(min(max(value, 1.0), MAX_PASS_SCALE * render_side, 16384.0))


class _Instance:
    """The GL buffers of one effect instance at one render size (and pass sizes)."""

    def __init__(
        self, ctx: moderngl.Context, effect: CompiledEffect, size: tuple[int, int], sizes: tuple[tuple[int, int], ...]
    ):
        self.effect = effect
        self.size = size
        self.pass_sizes = sizes
        self.buffers: dict[str, _Buffer] = {}
        for render_pass, pass_size in zip(effect.spec.passes, sizes):
            if render_pass.target and render_pass.target not in self.buffers:
                self.buffers[render_pass.target] = _Buffer(ctx, pass_size, render_pass.persistent, render_pass.float)
        last = effect.spec.passes[-1]
        self.output = None if last.target else Surface(ctx, size)

    def output_texture(self) -> moderngl.Texture:
        last = self.effect.spec.passes[-1]
        return self.buffers[last.target].front.texture if last.target else self.output.texture

    def release(self) -> None:
        for buffer in self.buffers.values():
            buffer.release()
        if self.output is not None:
            self.output.release()


class Chain:
    """Runs steps in order; keeps each instance's buffers between frames."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self._instances: dict[Hashable, _Instance | NativeInstance] = {}
        # Bound in place of a buffer while a pass writes it: sampling the texture being
        # rendered into is undefined in GL, and on Mesa it costs a copy each draw.
        self._placeholders: dict[tuple[int, int], moderngl.Texture] = {}
        self._placeholders_used: set[tuple[int, int]] = set()
        self._made_for: dict[Hashable, tuple] = {}
        self.audio = AudioTextures(ctx)  # what ISF audio and audioFFT inputs sample
        self._fit: Fit | None = None  # the source scaled to the render size, when they differ
        self._last: tuple[tuple | None, moderngl.Texture | None] = (None, None)  # for run(reuse=True)
        self.reused = 0  # frames shown again instead of rendered (render/reuse.py)

    def hear(self, waveform: np.ndarray | None, spectrum: np.ndarray | None) -> None:
        """What ISF ``audio`` and ``audioFFT`` inputs sample from now on (render/audio_textures.py):
        a waveform -1..1 and a spectrum 0..1, a row per channel; None goes back to silence."""
        self.audio.hear(waveform, spectrum)

    def run(
        self,
        source: moderngl.Texture,
        steps: Sequence[Step],
        size: tuple[int, int],
        frame: FrameTime,
        images: dict[str, moderngl.Texture] | None = None,
        before_step: Callable[[Step], None] | None = None,
        reuse: bool = False,
    ) -> moderngl.Texture:
        """Render ``steps`` over ``source`` at ``size``; returns the last output texture.

        ``images`` are named inputs for the whole chain (``depthImage``); an effect's own image
        parameters come first, and other image inputs see the source. An effect that asks for
        its ``inputImage`` at the render size (INPUT_AT_RENDERSIZE) gets it scaled to ``size``
        where it is not (render/fit.py). ``before_step`` is told of each step before it runs
        (a watchdog). With ``reuse``, a frame that would be the last one again (render/reuse.py)
        is not rendered: the last output is returned.
        """
        signature = frame_signature(source, steps, size, images or {}) if reuse else None
        if signature is not None and signature == self._last[0] and self._last[1] is not None:
            self.reused += 1
            return self._last[1]
        self._last = (None, None)
        self._forget_all_but({s.key for s in steps})
        self._placeholders_used = set()
        current = source
        fitted = False
        for step in steps:
            if before_step is not None:
                before_step(step)
            instance = self._instance(step, size)
            step_images = {**(images or {}), **step.images}
            if isinstance(instance, _Instance):
                if step.effect.spec.input_at_render_size and tuple(current.size) != tuple(size):
                    self._fit = self._fit or Fit(self.ctx)
                    current, fitted = self._fit(current, size), True
                self._run_effect(instance, step, source, current, frame, step_images)
                current = instance.output_texture()
            else:
                current = instance.run(source, current, step.params, step_images, frame)
        if self._fit is not None and not fitted:
            self._fit.release_surface()
        for unused in set(self._placeholders) - self._placeholders_used:  # sizes gone from the chain
            self._placeholders.pop(unused).release()
        if signature is not None and current is not source:
            self._last = (signature, current)
        return current

    def _instance(self, step: Step, size: tuple[int, int]) -> _Instance | NativeInstance:
        sizes = pass_sizes(step.effect.spec, size, step.params) if isinstance(step.effect, CompiledEffect) else ()
        key = (step.key, id(step.effect), size, sizes)
        instance = self._instances.get(step.key)
        if instance is not None and self._made_for.get(step.key) != key:
            # Resized, or a recompiled effect that may declare other passes: start afresh.
            instance.release()
            instance = None
        if instance is None:
            if isinstance(step.effect, CompiledEffect):
                instance = _Instance(self.ctx, step.effect, size, sizes)
            else:
                instance = step.effect.instance(size)
            self._instances[step.key] = instance
            self._made_for[step.key] = key
        return instance

    def _run_effect(
        self,
        instance: _Instance,
        step: Step,
        source: moderngl.Texture,
        current: moderngl.Texture,
        frame: FrameTime,
        images: dict[str, moderngl.Texture],
    ) -> None:
        effect = step.effect
        spec = effect.spec
        ctx = self.ctx
        runs = passes_to_run(spec, instance.size, step.params)
        for index, render_pass in enumerate(spec.passes):
            if not runs[index]:
                continue
            effect.select(index)  # a program of the pass's own, where the effect has them
            for name, value in step.params.items():
                effect.set_uniform(name, value)
            pass_size = instance.pass_sizes[index]
            self._set_builtins(effect, pass_size, frame)
            buffer = instance.buffers.get(render_pass.target) if render_pass.target else None
            destination = buffer.back if buffer else instance.output
            samplers = self._samplers(instance, images, source, current, destination.texture)
            for unit, (name, texture) in enumerate(samplers.items()):
                texture.use(location=unit)
                effect.set_uniform(name, unit)
                # ISF's hidden per-image uniforms (isf/glsl.py); our textures are never flipped.
                effect.set_uniform(f"_{name}_imgRect", (0.0, 0.0, float(texture.width), float(texture.height)))
                effect.set_uniform(f"_{name}_imgSize", (float(texture.width), float(texture.height)))
                effect.set_uniform(f"_{name}_flip", False)
            effect.set_uniform("PASSINDEX", index)
            if effect.compute:
                effect.dispatch(destination.texture, pass_size)
            else:
                # State after use(): moderngl applies scissor to the bound framebuffer, and the
                # last one bound may be gone (an instance released when the chain changed).
                destination.framebuffer.use()
                ctx.disable(moderngl.BLEND | moderngl.DEPTH_TEST | moderngl.CULL_FACE)
                ctx.scissor = None
                ctx.viewport = (0, 0, *pass_size)
                effect.draw()
            if buffer is not None:
                buffer.swap()

    def _samplers(
        self,
        instance: _Instance,
        images: dict[str, moderngl.Texture],
        source: moderngl.Texture,
        current: moderngl.Texture,
        destination: moderngl.Texture,
    ) -> dict[str, moderngl.Texture]:
        """Every texture the effect can sample, by uniform name, for the next pass."""
        effect = instance.effect
        samplers: dict[str, moderngl.Texture] = {}
        for declared in effect.spec.inputs:
            if declared.is_image and effect.uses(declared.name):
                # The chain's input feeds inputImage (and a transition's start); audio inputs
                # hear silence; other image inputs see the source unless given an image.
                if declared.name in CHAIN_INPUTS:
                    samplers[declared.name] = current
                elif declared.type in AUDIO_KINDS:
                    samplers[declared.name] = (images[declared.name] if declared.name in images
                                               else self.audio.texture(declared.type, declared.max))
                else:
                    samplers[declared.name] = images.get(declared.name, source)
        for name, buffer in instance.buffers.items():
            if effect.uses(name):
                texture = buffer.front.texture
                samplers[name] = self._placeholder(texture.size) if texture is destination else texture
        for name, texture in effect.imported.items():
            if effect.uses(name):
                samplers[name] = texture
        return samplers

    @staticmethod
    def _set_builtins(effect: CompiledEffect, size: tuple[int, int], frame: FrameTime) -> None:
        effect.set_uniform("TIME", frame.time)
        effect.set_uniform("TIMEDELTA", frame.delta)
        effect.set_uniform("FRAMEINDEX", frame.index)
        effect.set_uniform("RENDERSIZE", (float(size[0]), float(size[1])))
        # The music's clock, for effects that declare these uniforms (others never see them).
        for name, value in zip(TEMPO_UNIFORMS, frame.tempo):
            effect.set_uniform(name, value)
        if effect.uses("DATE"):
            effect.set_uniform("DATE", date_now())

    def _placeholder(self, size: tuple[int, int]) -> moderngl.Texture:
        """A blank texture of a buffer's size, bound in its place while a pass writes it, so
        IMG_SIZE of that buffer is still its size (one per size, kept for the chain's life)."""
        texture = self._placeholders.get(size)
        if texture is None:
            texture = self._placeholders[size] = self.ctx.texture(size, 4, bytes(size[0] * size[1] * 4))
        self._placeholders_used.add(size)
        return texture

    def _forget_all_but(self, keys: set[Hashable]) -> None:
        if any(k not in keys for k in self._instances):  # a released output is never shown again
            self._last = (None, None)
        for key in [k for k in self._instances if k not in keys]:
            self._instances.pop(key).release()
            self._made_for.pop(key, None)

    def release_instances(self) -> None:
        """Drop every instance's buffers (a one-off render), keeping what the chain shares."""
        self._forget_all_but(set())

    def release(self) -> None:
        self._forget_all_but(set())
        for texture in self._placeholders.values():
            texture.release()
        self._placeholders.clear()
        self.audio.release()
        if self._fit is not None:
            self._fit.release()
            self._fit = None
