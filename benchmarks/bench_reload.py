"""What a hot reload of a huge effect costs the GL thread (issue 11: a 100,000-line shader).

Three ways of getting the new version compiled on the thread that draws, each from a cold Mesa
shader cache of its own:
  - direct:   the GL thread reads nothing but compiles everything (the text rewrites and the driver)
  - prepared: the watcher thread did the rewrites (library.prepare_code)
  - tried:    as the window does it: rewrites prepared, and the trial in a child process compiled
              the same program first, so the driver's on-disk cache has it

    python benchmarks/bench_reload.py [--lines 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys, time
from pathlib import Path
import moderngl
from shaderlab.library import EffectLibrary, prepare_code, read_effect
from shaderlab.render.programs import ProgramCache
from shaderlab.render.vetting import Vetter
path, mode = Path(sys.argv[1]), sys.argv[2]
spec = read_effect(path)
if mode == "tried":
    vetter = Vetter(600)
    assert vetter.vet(spec, (64, 64)) is None
    vetter.close()
if mode in ("prepared", "tried"):
    prepare_code(spec)
ctx = moderngl.create_standalone_context(backend="egl")
cache = ProgramCache(ctx, EffectLibrary([path.parent]))
start = time.perf_counter()
error = cache.update(spec)
ctx.finish()
print((time.perf_counter() - start) * 1000, error)
"""


def write_effect(folder: Path, lines: int) -> Path:
    body = ['/*{ "INPUTS": [ {"NAME": "inputImage", "TYPE": "image"} ] }*/', "float f(float x) {", "    float a = x;"]
    body += [f"    a = a * 0.999 + {i % 7}.0 * 0.0001;" for i in range(lines)]
    body += ["    return a;", "}", "void main() { gl_FragColor = vec4(IMG_THIS_PIXEL(inputImage).rgb * f(1.0), 1.0); }"]
    path = folder / "huge.fs"
    path.write_text("\n".join(body))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_effect(Path(folder), args.lines)
        results: dict[str, list[float]] = {}
        for mode in ("direct", "prepared", "tried"):
            for run in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="mesa-cache-") as cache:  # cold each time
                    env = {**os.environ, "MESA_SHADER_CACHE_DIR": cache}
                    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], env=env,
                                         capture_output=True, text=True, timeout=900, check=True)
                milliseconds, error = out.stdout.split(maxsplit=1)
                assert error.strip() == "None", error
                results.setdefault(mode, []).append(float(milliseconds))
    reference = statistics.median(results["direct"])
    print(f"GL-thread time to take a {args.lines:,}-line effect, {args.runs} runs each (ms)")
    print(f"{'way':<10}{'median':>10}{'min':>10}{'max':>10}{'× direct':>10}")
    for mode, times in results.items():
        median = statistics.median(times)
        print(f"{mode:<10}{median:>10.0f}{min(times):>10.0f}{max(times):>10.0f}{median / reference:>10.2f}")


if __name__ == "__main__":
    main()
