"""``shaderlab bench``: what this machine's GPU can hold, before the show (shaderlab/benchmark.py)."""

from __future__ import annotations

import argparse
import json

from shaderlab.commands.options import add_compute, add_shaders
from shaderlab.errors import ShaderlabError


def add_parser(commands) -> None:
    bench = commands.add_parser("bench", help="ms per frame for each effect and for chains, at show sizes, on this GPU")
    bench.add_argument("--sizes", default="720p,1080p,4k", help="720p, 1080p, 4k or WxH, comma-separated (default: all three)")
    bench.add_argument("--effects", default="all",
                       help="effects to time alone: names, comma-separated, 'all' (every effect) or 'none'")
    bench.add_argument("--chains", default="1,3,6,12", help="chain lengths to time (the typical six effects, repeated)")
    bench.add_argument("--runs", type=int, default=5, help="runs per figure (the median and spread are over these)")
    bench.add_argument("--frames", type=int, default=5, help="frames per run")
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    add_shaders(bench)
    add_compute(bench)
    bench.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    from tqdm import tqdm

    from shaderlab import Renderer
    from shaderlab.benchmark import measure, parse_sizes, tables

    sizes = parse_sizes(options.sizes)
    try:
        lengths = [int(v) for v in options.chains.split(",") if v.strip()] if options.chains.strip() else []
    except ValueError:
        raise ShaderlabError(f"--chains {options.chains!r}: chain lengths are whole numbers, e.g. 1,3,6,12") from None
    if any(n < 1 or n > 64 for n in lengths):
        raise ShaderlabError("--chains: each chain is 1 to 64 effects long")
    with Renderer(options.shaders, vet=bool(options.shaders), compute=options.compute) as renderer:
        if options.effects == "all":
            effects = sorted(renderer.library.paths())
        elif options.effects == "none":
            effects = []
        else:
            effects = [name.strip() for name in options.effects.split(",") if name.strip()]
            for name in effects:
                renderer.library.resolve(name)  # an unknown name: one line, before any timing
        if not effects and not lengths:
            raise ShaderlabError("nothing to measure: name effects (--effects) or chain lengths (--chains)")
        steps = (len(effects) + len(lengths) + bool(lengths)) * len(sizes)
        with tqdm(total=steps, unit="row", desc="bench", disable=None) as bar:
            def progress(what: str) -> None:
                bar.set_postfix_str(what, refresh=False)
                bar.update(1)

            report = measure(renderer, sizes, effects, lengths, options.runs, options.frames, progress)
    print(json.dumps(report.to_json(), indent=2) if options.json else tables(report))
    return 0
