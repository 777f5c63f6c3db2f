"""Frame times of the real window (panel drawn) at 1280×720: `shaderlab play --frames N --stats`.

    python benchmarks/bench_window.py [--runs 3] [--frames 300] [--before REF] [--now REF]

Starts Xvfb when no DISPLAY is set. Each row is one chain; the numbers are medians over the
runs of each run's median/p95/p99 frame interval, with the spread of the run medians.
``--before REF`` also runs the code of git revision REF (checked out in a temporary worktree),
interleaved run by run with this tree's (or with ``--now REF``'s, to measure committed code
while the tree is being edited), and adds the ratio of medians (now / before).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from display import start_display  # benchmarks/display.py (scripts run from their folder)

ROOT = Path(__file__).resolve().parents[1]
#: Each row: the play arguments after the image (None: no image, the bundled demo scene).
CHAINS = {
    "demo scene": None,
    "no effects": [],
    "saturate": ["-e", "saturate"],
    "rgb_split + colorize": ["-e", "rgb_split amount=12", "-e", "colorize palette=neon mixAmount=0.5"],
    "blur radius 4": ["-e", "blur radius=4"],
    "auto sort, 8 steps/frame": ["--auto-sort"],
    "pixelsort settled": ["-e", "pixelsort key=hue"],
}


def run(arguments: list[str] | None, frames: int, image: Path, code: Path = ROOT) -> dict:
    picture = [] if arguments is None else [str(image)]
    command = [sys.executable, "-m", "shaderlab", "play", *picture, "--size", "1280x720",
               "--frames", str(frames), "--stats", *(arguments or [])]
    env = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=code)
    if result.returncode != 0:
        sys.exit(f"bench_window: {' '.join(arguments or ['the demo'])} in {code} failed: {result.stderr.strip()[-400:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def worktree(revision: str) -> Path:
    """The code of ``revision`` in a temporary git worktree (removed at exit)."""
    import atexit
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="shaderlab-before-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision],
                   check=True, capture_output=True, timeout=120)
    atexit.register(lambda: subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
                                           capture_output=True, timeout=120))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--image", type=Path, default=ROOT / "assets" / "coffee.png")
    parser.add_argument("--before", metavar="REF", help="also run git revision REF and compare")
    parser.add_argument("--now", metavar="REF", help="run git revision REF instead of this tree")
    parser.add_argument("--rows", nargs="*", choices=list(CHAINS), help="only these rows")
    args = parser.parse_args()
    server = start_display(77)
    before = worktree(args.before) if args.before else None
    now = worktree(args.now) if args.now else ROOT
    try:
        print(f"# window 1280×720, {args.image.name}, {args.runs} runs × {args.frames} frames"
              + (f"; before = {args.before}, interleaved" if before else ""))
        header = f"| {'chain':<22} | {'median ms':>9} | {'p95 ms':>7} | {'p99 ms':>7} | {'median spread':>13} |"
        rule = f"|{'-' * 24}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 15}|"
        if before:
            header += " before median ms | before p99 ms | median ratio now/before | p99 ratio |"
            rule += "---|---|---|---|"
        print(header)
        print(rule)
        rows = {name: CHAINS[name] for name in args.rows} if args.rows else CHAINS
        for name, chain in rows.items():
            stats, old = [], []
            for _ in range(args.runs):
                stats.append(run(chain, args.frames, args.image, now))
                if before:
                    old.append(run(chain, args.frames, args.image, before))
            medians = [s["median_ms"] for s in stats]
            spread = f"{min(medians):.2f}–{max(medians):.2f}"
            line = (
                f"| {name:<22} | {statistics.median(medians):9.2f} | "
                f"{statistics.median(s['p95_ms'] for s in stats):7.2f} | "
                f"{statistics.median(s['p99_ms'] for s in stats):7.2f} | {spread:>13} |"
            )
            if before:
                then = statistics.median(s["median_ms"] for s in old)
                then99 = statistics.median(s["p99_ms"] for s in old)
                now99 = statistics.median(s["p99_ms"] for s in stats)
                line += f" {then:.2f} | {then99:.2f} | {statistics.median(medians) / then:.3f} | {now99 / then99:.3f} |"
            print(line, flush=True)
    finally:
        if server:
            server.terminate()


if __name__ == "__main__":
    main()
