"""Model requests and the frame: window frame times with no fetch and with requests in flight to
a slow fake server, time from request to texture, and memory after 1,000 requests.

    python benchmarks/bench_models.py [--frames 300] [--requests 1000]

The fake server is the tests' (a real HTTP server on 127.0.0.1). Starts Xvfb when no DISPLAY.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from fake_model_server import FakeServer  # noqa: E402

from shaderlab.app.models import ModelAnswer, ModelWorker  # noqa: E402
from shaderlab.models.cache import ModelCache  # noqa: E402
from shaderlab.models.config import ModelConfig  # noqa: E402


def gradient_uri() -> str:
    buffer = io.BytesIO()
    Image.fromarray(np.tile(np.linspace(0, 255, 160).astype(np.uint8), (120, 1))).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def serve(delay: float) -> FakeServer:
    uri = gradient_uri()
    server = FakeServer(keep_log=False)
    server.route("GET", "/", lambda ex: ex.json(200, {"status": "running"}))
    server.route("GET", "/info", lambda ex: ex.json(200, {"inputs": [{"name": "image", "type": "image"}], "outputs": [{"name": "depth", "type": "image"}]}))
    server.route("POST", "/query", lambda ex: (time.sleep(delay), ex.json(200, {"depth": uri})))
    return server


def play(models: Path, frames: int, every: int | None) -> tuple[dict, list[float]]:
    command = [sys.executable, "-m", "shaderlab", "play", str(ROOT / "assets" / "coffee.png"), "--size", "1280x720",
               "--frames", str(frames), "--stats", "--models", str(models)]
    if every:
        command += ["--fetch-depth-every", str(every)]
    env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp()}  # no cache: every request goes out
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600, env=env)
    latencies = [float(m) for m in re.findall(r"\((\d+) ms from request to texture\)", result.stderr)]
    return json.loads(result.stdout.strip().splitlines()[-1]), latencies


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="window runs per case")
    args = parser.parse_args()
    display = None
    if not os.environ.get("DISPLAY"):
        display = subprocess.Popen(["Xvfb", ":78", "-screen", "0", "1920x1080x24"], stderr=subprocess.DEVNULL)
        time.sleep(1)
        os.environ["DISPLAY"] = ":78"
    try:
        with tempfile.TemporaryDirectory() as folder:
            rows = []
            for label, delay, every in (("idle (models configured, no fetch)", 0.0, None),
                                        ("requests in flight to a slow server (2 s each, one every 20 frames)", 2.0, 20),
                                        ("requests to a fast local server (one every 20 frames)", 0.0, 20)):
                server = serve(delay)
                models = Path(folder) / f"models-{len(rows)}.toml"
                models.write_text(f'[models.depth]\nprovider = "runway"\nurl = "{server.url}"\n')
                runs = [play(models, args.frames, every) for _ in range(args.runs)]
                server.close()
                rows.append((label, [r[0] for r in runs], [x for r in runs for x in r[1]]))
            print(f"# window 1280×720 (Xvfb), coffee.png, {args.runs} runs × {args.frames} frames per case")
            print("| case | median ms | p95 ms | p99 ms (median, min–max of runs) | request→texture ms (median, n) |")
            print("|---|---|---|---|---|")
            for label, stats, latencies in rows:
                p99 = [s["p99_ms"] for s in stats]
                latency = f"{statistics.median(latencies):.0f} (n={len(latencies)})" if latencies else "—"
                print(f"| {label} | {statistics.median(s['median_ms'] for s in stats):.2f} | "
                      f"{statistics.median(s['p95_ms'] for s in stats):.2f} | "
                      f"{statistics.median(p99):.2f} ({min(p99):.2f}–{max(p99):.2f}) | {latency} |")
            idle = statistics.median(s["p99_ms"] for s in rows[0][1])
            slow = statistics.median(s["p99_ms"] for s in rows[1][1])
            print(f"\np99 with requests in flight / idle p99 (medians): {slow / idle:.3f} (target ≤ 1.10)")

            server = serve(0.0)
            inbox: queue.Queue = queue.Queue()
            worker = ModelWorker(inbox, ModelCache(Path(folder) / "no-cache"))
            worker.cache.get = lambda key: None  # every request goes to the server
            worker.start()
            config = ModelConfig("depth", "runway", server.url)
            pixels = np.zeros((120, 160, 3), np.uint8)

            def batch(count: int) -> None:
                for _ in range(count):
                    job = worker.request("depth", config, pixels=pixels, size=(160, 120))
                    while True:
                        message = inbox.get(timeout=30)
                        if getattr(message, "job", None) == job:
                            assert isinstance(message, ModelAnswer), message
                            break

            batch(200)  # warm up: sessions, caches, allocator
            before = rss_mb()
            batch(args.requests)
            middle = rss_mb()
            batch(args.requests)
            after = rss_mb()
            worker.close()
            server.close()
            print(f"\nmemory (RSS, this process; the fake server runs in it too): {before:.1f} MB after 200 "
                  f"requests, {middle:.1f} MB after {args.requests} more ({middle - before:+.1f} MB), "
                  f"{after:.1f} MB after {args.requests} more ({after - middle:+.1f} MB)")
    finally:
        if display:
            display.terminate()


if __name__ == "__main__":
    main()
