"""NDI send cost per frame at 1080p (the sharing thread's work for each frame of the show), beside
a numpy copy of the same frame for scale. Runs itself inside a private network namespace
(loopback only: the benchmark never advertises on the machine's real network).

    python benchmarks/bench_ndi.py [--frames 200]
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

from display import percentile  # benchmarks/display.py (scripts run from their folder)


def measure(frames: int) -> None:
    import numpy as np

    from shaderlab.app.sharing import NdiSink

    rng = np.random.default_rng(0)
    pictures = [rng.integers(0, 255, (1080, 1920, 4), np.uint8) for _ in range(4)]
    sink = NdiSink("shaderlab-bench")
    for n in range(frames):
        sink.send(pictures[n % 4])
    sink.close()
    copies = []
    for n in range(frames):
        start = time.perf_counter()
        np.array(pictures[n % 4], copy=True)
        copies.append(time.perf_counter() - start)
    sends = sink.seconds[10:]  # past the first frames (the sender setting up)
    print(f"\n| 1920×1080 RGBA, {len(sends)} frames | median ms | p99 ms |\n|---|---|---|")
    print(f"| NDI send (cyndilib, the sharing thread) | {statistics.median(sends) * 1000:.2f} | "
          f"{percentile(sends, 99) * 1000:.2f} |")
    print(f"| numpy copy of the frame (scale) | {statistics.median(copies) * 1000:.2f} | {percentile(copies, 99) * 1000:.2f} |")
    print(f"\nratio NDI send / copy (medians): {statistics.median(sends) / statistics.median(copies):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.frames)
        return
    config = Path(tempfile.mkdtemp(prefix="bench-ndi-"))
    (config / "ndi-config.v1.json").write_text('{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}}}')
    command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable, __file__,
               "--frames", str(args.frames), "--inside"]
    subprocess.run(command, check=True, env={**os.environ, "NDI_CONFIG_DIR": str(config)},
                   cwd=Path(__file__).parent)


if __name__ == "__main__":
    main()
