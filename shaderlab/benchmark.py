"""What this machine's GPU can hold: ms per frame for each effect and for chains of effects at
the sizes a show plays at (``shaderlab bench`` prints it; ``measure`` is the Python API).

A frame is timed as the window draws it: the chain's passes on the GPU, waited for at the end
of each frame (a displayed frame must be finished), with no upload or read-back (those are the
picture's and the recording's, not the chain's). Each figure is the median of several runs of
a few frames, with the spread (fastest and slowest run) beside it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from shaderlab.errors import ShaderlabError

#: The sizes a show plays at, by the names the command takes.
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080), "4k": (3840, 2160)}
#: A typical chain: each effect once, in the order a performer might stack them.
CHAIN = (("rgb_split", {"amount": 8.0, "angle": 30.0}), ("blur", {"radius": 8.0}),
         ("sharpen", {"amount": 1.0, "radius": 2.0}), ("pixelate", {"size": 12}),
         ("saturate", {"amount": 1.5}), ("colorize", {"palette": 3, "mixAmount": 0.7}))
CHAIN_LENGTHS = (1, 3, 6, 12)


@dataclass(frozen=True)
class Timing:
    """ms per frame for one row at one size: median and spread over the runs."""

    median: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}–{self.high:.2f})"


@dataclass
class Report:
    renderer: str
    sizes: dict[str, tuple[int, int]]
    runs: int
    frames: int
    effects: dict[str, dict[str, Timing]] = field(default_factory=dict)  # effect → size → timing
    #: Rows that could not be timed, and why (an effect that fails to compile or to run there).
    failed: dict[str, str] = field(default_factory=dict)
    chains: dict[int, dict[str, Timing]] = field(default_factory=dict)  # length → size → timing
    #: Each of CHAIN's effects alone, with the chain's values: size → timings in CHAIN's order.
    parts: dict[str, list[Timing]] = field(default_factory=dict)

    def share(self, length: int, label: str) -> float:
        """A chain's time against the sum of its effects' times alone (1.0: no step costs more
        than its share; more: something between the steps costs)."""
        alone = sum(self.parts[label][i % len(CHAIN)].median for i in range(length))
        return self.chains[length][label].median / alone

    def to_json(self) -> dict:
        as_json = lambda rows: {str(k): {s: vars(t) for s, t in v.items()} for k, v in rows.items()}  # noqa: E731
        return {"renderer": self.renderer, "sizes": {k: list(v) for k, v in self.sizes.items()}, "runs": self.runs,
                "frames": self.frames, "effects": as_json(self.effects), "chains": as_json(self.chains),
                "failed": dict(self.failed),
                "chain_effects": [name for name, _ in CHAIN],
                "chain_effects_alone": {k: [vars(t) for t in v] for k, v in self.parts.items()}}


def parse_sizes(text: str) -> dict[str, tuple[int, int]]:
    """``720p,1080p,4k`` or ``WxH`` entries, comma-separated."""
    sizes = {}
    for entry in (part.strip() for part in text.split(",") if part.strip()):
        if entry.lower() in SIZES:
            sizes[entry.lower() if entry.lower() != "4k" else "4K"] = SIZES[entry.lower()]
            continue
        try:
            width, height = (int(v) for v in entry.lower().split("x"))
        except ValueError:
            raise ShaderlabError(f"size {entry!r} is not 720p, 1080p, 4k or WxH") from None
        if not (0 < width <= 16384 and 0 < height <= 16384):
            raise ShaderlabError(f"size {entry!r} must be between 1x1 and 16384x16384")
        sizes[f"{width}×{height}"] = (width, height)
    if not sizes:
        raise ShaderlabError("no sizes to measure at; give e.g. --sizes 720p,1080p,4k")
    return sizes


def measure(renderer, sizes: dict[str, tuple[int, int]], effects: Sequence[str] = (),
            chain_lengths: Iterable[int] = CHAIN_LENGTHS, runs: int = 5, frames: int = 5,
            progress: Callable[[str], None] = lambda done: None) -> Report:
    """Time each of ``effects`` alone and chains of ``chain_lengths`` effects (the typical six,
    repeated) at each of ``sizes`` on ``renderer`` (a :class:`shaderlab.Renderer`);
    ``progress`` is told of each row as it is done."""
    from shaderlab.gl.surface import upload, upload_depth
    from shaderlab.io.images import load_image
    from shaderlab.isf.header import DEPTH_IMAGE
    from shaderlab.paths import demo_image
    from shaderlab.render.clock import FixedClock
    from PIL import Image

    if runs < 1 or frames < 1:
        raise ShaderlabError("runs and frames must be at least 1")
    passes = " (effects as compute shaders where they compile)" if renderer.programs.compute else ""
    report = Report(renderer.ctx.info["GL_RENDERER"] + passes, dict(sizes), runs, frames)
    chain_lengths = list(chain_lengths)
    picture = Image.fromarray(load_image(demo_image()).pixels[..., :3])
    ctx = renderer.ctx
    with ctx:
        for label, size in sizes.items():
            source = upload(ctx, np.asarray(picture.resize(size, Image.Resampling.BICUBIC)))
            ramp = np.linspace(0.0, 1.0, size[1], dtype=np.float32)[:, None]  # near at the bottom
            depth = upload_depth(ctx, np.ascontiguousarray(np.broadcast_to(ramp, (size[1], size[0]))))
            images = {DEPTH_IMAGE: depth}
            clock = FixedClock(60.0)

            def timed(chain: Sequence) -> Timing:
                steps = renderer.steps(chain)
                try:
                    renderer.vet(steps, size)  # the user's own effects are tried off this process first
                    renderer.chain.run(source, steps, size, clock.tick(), images)  # buffers made, programs warm
                    ctx.finish()
                    per_run = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        for _ in range(frames):
                            renderer.chain.run(source, steps, size, clock.tick(), images)
                            ctx.finish()  # as a displayed frame: llvmpipe skips draws no one waits for
                        per_run.append((time.perf_counter() - start) * 1000 / frames)
                finally:
                    for step in steps:
                        for texture in step.images.values():
                            texture.release()
                    renderer.chain.release_instances()
                return Timing(statistics.median(per_run), min(per_run), max(per_run))

            try:
                for name in effects:
                    try:  # one effect that cannot run here is its row's note, not the end of the bench
                        report.effects.setdefault(name, {})[label] = timed([name])
                    except ShaderlabError as exc:
                        report.failed.setdefault(name, str(exc))
                    progress(f"{name} at {label}")
                if chain_lengths:
                    report.parts[label] = [timed([effect]) for effect in CHAIN]
                    progress(f"the chain's effects alone at {label}")
                for length in chain_lengths:
                    chain = [CHAIN[i % len(CHAIN)] for i in range(length)]
                    report.chains.setdefault(length, {})[label] = timed(chain)
                    progress(f"a chain of {length} at {label}")
            finally:
                source.release()
                depth.release()
    return report


def tables(report: Report) -> str:
    """The report as Markdown tables, with what the numbers mean for a show."""
    labels = list(report.sizes)
    lines = [f"# {report.renderer}: ms per frame on the GPU, median (fastest–slowest) of "
             f"{report.runs} runs × {report.frames} frames", ""]

    def table(title: str, rows: dict) -> None:
        lines.append(f"| {title} | " + " | ".join(labels) + " |")
        lines.append("|---|" + "---|" * len(labels))
        for key, timings in rows.items():
            lines.append(f"| {key} | " + " | ".join(str(timings[label]) if label in timings else "–" for label in labels) + " |")
        lines.append("")

    if report.effects or report.failed:
        table("effect", {**report.effects, **{name: {} for name in report.failed if name not in report.effects}})
        lines += [f"- {name} not timed: {why}" for name, why in report.failed.items()] + ([""] if report.failed else [])
    if report.chains:
        table("chain of", {f"{length} effect{'s' if length > 1 else ''}": row for length, row in report.chains.items()})
        lines += _scaling(report, labels)
    return "\n".join(lines)


def _scaling(report: Report, labels: list[str]) -> list[str]:
    """How cost grows: against pixels between sizes, against effects within a chain."""
    out = []
    lengths = sorted(report.chains)
    longest = report.chains[lengths[-1]]
    for small, large in zip(labels, labels[1:]):
        pixels = (report.sizes[large][0] * report.sizes[large][1]) / (report.sizes[small][0] * report.sizes[small][1])
        ratio = longest[large].median / longest[small].median
        out.append(f"- {large} against {small}: {ratio:.2f}× the time for {pixels:.2f}× the pixels (chain of {lengths[-1]})")
    names = ", ".join(name for name, _ in CHAIN)
    out.append(f"- chains against the sum of their effects alone (1.00: no step costs more than its share; "
               f"the chains take {names} in turn):")
    for label in labels:
        shares = ", ".join(f"{n}: {report.share(n, label):.2f}" for n in lengths)
        out.append(f"  - at {label}: {shares}")
    for label in labels:
        fits = [n for n in lengths if report.chains[n][label].median <= 1000 / 60]
        held = (f"the longest chain measured that fits is {fits[-1]} effect{'s' if fits[-1] > 1 else ''}" if fits
                else f"none of the chains measured fits (the shortest: {lengths[0]})")
        out.append(f"- at {label}, 60 fps leaves 16.7 ms a frame on the GPU: {held}")
    out.append("- (GPU time only: a picture's upload, a recording's read-back and the panel come on top)")
    return out
